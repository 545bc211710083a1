/**
 * The reviewer's decision on the case: agree or disagree with the band, a reason and notes, sent to the
 * host, which records it; the decisions already recorded for the case are listed below the form.
 */
import { decisionSentence } from '../../extension/engine/report/sentences';
import type { ReviewDecision, Verdict } from '../../extension/engine/report/types';
import { fill, h } from '../dom';
import type { HostMessage, PanelDraft, WebviewMessage } from '../protocol';
import { button, dropdown, radioGroup, selectRadio, textArea, textField, type ValueControl } from '../toolkit';

type CaseMessage = Extract<HostMessage, { type: 'case' }>;

export class DecisionForm {
  private caseId = '';
  private decisions: ReviewDecision[] = [];
  private verdict: Verdict | null = null;
  private saving = false;
  /** The case whose decision was just recorded: shown again (its outcome revealed), the form still says so. */
  private recordedFor: string | null = null;
  private readonly list = h('ul', { class: 'decisions', testid: 'decision-list' });
  private readonly message = h('p', { class: 'muted', testid: 'decision-status', attrs: { 'aria-live': 'polite' } });
  private radios: ValueControl | null = null;
  /** With a disagreement: the band the reviewer would assign instead ('' for none named). */
  private assigned: ValueControl | null = null;
  private readonly assignedRow = h('div', { class: 'assigned-band' });
  private reason: ValueControl | null = null;
  private notes: ValueControl | null = null;
  private submit: ValueControl | null = null;
  /** Why decisions cannot be recorded here, or null when they can. */
  private blocked: string | null = null;
  private readonly blockedNote = h('p', { class: 'warning', testid: 'decision-blocked', attrs: { role: 'status' } });

  constructor(
    private readonly post: (m: WebviewMessage) => void,
    /** Called on every edit, so the unsent form can be kept while the panel is hidden. */
    private readonly onEdit: () => void,
  ) {}

  render(msg: CaseMessage): HTMLElement {
    const band = msg.summary.header.band;
    this.caseId = msg.summary.header.caseId;
    this.decisions = [...msg.decisions];
    this.verdict = null;
    this.saving = false;
    this.radios = radioGroup({
      label: `Do you agree with the band “${band}”?`,
      testid: 'decision-verdict',
      choices: [
        { value: 'agree', text: 'Agree', testid: 'decision-agree' },
        { value: 'disagree', text: 'Disagree', testid: 'decision-disagree' },
      ],
      onChange: (v) => {
        this.verdict = v === 'agree' || v === 'disagree' ? v : null;
        this.update();
        this.onEdit();
      },
    });
    const others = msg.bands.filter((b) => b !== band);
    this.assigned = dropdown({
      label: 'Band you would assign (optional)',
      testid: 'decision-band',
      choices: [{ value: '', text: 'No other band named' }, ...others.map((b) => ({ value: b, text: b, testid: `decision-band-${b}` }))],
      value: '',
      onChange: () => this.onEdit(),
    });
    fill(this.assignedRow, h('span', null, 'Band you would assign (optional)'), this.assigned);
    this.reason = textField({
      label: 'Reason',
      testid: 'decision-reason',
      placeholder: 'Required when you disagree',
      onInput: () => {
        this.update();
        this.onEdit();
      },
    });
    this.notes = textArea({ label: 'Notes', testid: 'decision-notes', rows: 4, onInput: () => this.onEdit() });
    this.submit = button('Record decision', { appearance: 'primary', testid: 'decision-submit', onClick: () => this.send() });
    if (this.recordedFor !== this.caseId) this.recordedFor = null;
    this.message.textContent = this.recordedFor ? 'Decision recorded.' : '';
    this.setRecording(msg.recordingBlocked);
    this.renderList();
    return h(
      'form',
      { class: 'decision', attrs: { 'aria-label': 'Your decision on this case' }, on: { submit: (e) => e.preventDefault() } },
      this.blockedNote,
      this.radios,
      this.assignedRow,
      this.reason,
      this.notes,
      h('div', { class: 'actions' }, this.submit),
      this.message,
      h('h3', null, 'Decisions recorded for this case'),
      this.list,
    );
  }

  /** The form as typed and not yet sent. */
  draft(): Pick<PanelDraft, 'verdict' | 'reason' | 'notes' | 'assignedBand'> {
    const band = this.assignedBand();
    return { verdict: this.verdict, reason: this.reason?.value ?? '', notes: this.notes?.value ?? '', ...(band ? { assignedBand: band } : {}) };
  }

  /** The band named in the form, only when disagreeing. */
  private assignedBand(): string | undefined {
    return this.verdict === 'disagree' && this.assigned?.value ? this.assigned.value : undefined;
  }

  /** Fills the form with a draft kept while the panel was hidden. */
  restore(d: Pick<PanelDraft, 'verdict' | 'reason' | 'notes' | 'assignedBand'>): void {
    this.verdict = d.verdict;
    if (this.radios) selectRadio(this.radios, d.verdict ?? '');
    if (this.assigned) this.assigned.value = d.assignedBand ?? '';
    if (this.reason) this.reason.value = d.reason;
    if (this.notes) this.notes.value = d.notes;
    this.update();
  }

  /** Why the decision cannot be sent yet, or null when it can. */
  private problem(): string | null {
    if (!this.verdict) return 'Choose agree or disagree.';
    if (this.verdict === 'disagree' && !this.reason?.value.trim()) return 'Give a reason for disagreeing.';
    return null;
  }

  private update(): void {
    this.assignedRow.hidden = this.verdict !== 'disagree';
    if (this.submit) this.submit.disabled = this.saving || this.blocked !== null || this.problem() !== null;
  }

  /** Whether decisions can be recorded here: the form says why not before anyone types, and cannot be sent. */
  setRecording(blocked: string | null): void {
    this.blocked = blocked;
    this.blockedNote.textContent = blocked ?? '';
    this.blockedNote.hidden = blocked === null;
    this.update();
  }

  private send(): void {
    const problem = this.blocked ?? this.problem();
    if (problem || !this.verdict) {
      this.message.textContent = problem;
      return;
    }
    this.saving = true;
    this.update();
    this.message.textContent = 'Saving…';
    const band = this.assignedBand();
    this.post({ type: 'decide', caseId: this.caseId, verdict: this.verdict, reason: this.reason!.value.trim(), notes: this.notes!.value, ...(band ? { assignedBand: band } : {}) });
  }

  /** The host recorded a decision: list it and clear the form for the next one. */
  saved(caseId: string, d: ReviewDecision): void {
    if (caseId !== this.caseId) return;
    this.decisions.push(d);
    this.saving = false;
    this.restore({ verdict: null, reason: '', notes: '' });
    this.onEdit();
    this.recordedFor = caseId;
    this.message.textContent = 'Decision recorded.';
    this.renderList();
  }

  /** The host did not record it: say why beside the form and let the reviewer try again. */
  failed(caseId: string, reason: string): void {
    if (!this.saving || caseId !== this.caseId) return;
    this.saving = false;
    this.message.textContent = `The decision was not recorded: ${reason}`;
    this.update();
  }

  private renderList(): void {
    fill(
      this.list,
      ...(this.decisions.length
        ? this.decisions.map((d) => h('li', null, h('span', { class: `verdict ${d.verdict}` }, d.verdict === 'agree' ? 'Agree' : 'Disagree'), ' ', decisionSentence(d), d.notes.trim() && h('p', { class: 'notes' }, d.notes)))
        : [h('li', { class: 'muted' }, 'No decision recorded yet.')]),
    );
  }
}
