/**
 * The what-if editor: one control per feature, starting from the case's values. Each edit is sent to
 * the host (lightly debounced); the host scores the scenario and explains it, and the answer updates
 * the score, the band and the attributions. Answers overtaken by a newer edit are dropped (`seq`).
 */
import { plainNumber, scoreText, signed } from '../../extension/engine/report/format';
import { whatIfSentence } from '../../extension/engine/report/sentences';
import type { WhatIfScenario } from '../../extension/engine/report/types';
import { fill, h } from '../dom';
import type { FeatureField, FeatureValues, HostMessage, WebviewMessage } from '../protocol';
import { changedFields, inputText, outOfRange, parseInput, scenarioOf, valueText } from '../scenario';
import { button, dropdown, textField, type ValueControl } from '../toolkit';
import type { WhatIfResult } from './attributions';
import { own } from '../../extension/engine/own';

type CaseMessage = Extract<HostMessage, { type: 'case' }>;
type Answer = Extract<HostMessage, { type: 'whatIf' }>;

/** Long enough to let a run of keystrokes settle, short enough to feel immediate. */
const DEBOUNCE_MS = 40;

export class WhatIfEditor {
  private msg: CaseMessage | null = null;
  /** Keyed by feature name, which comes from the model: no prototype, so any name is an ordinary key. */
  private current: Record<string, number | null> = Object.create(null);
  private invalid = new Set<string>();
  private seq = 0;
  private sentAt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private result: WhatIfResult | null = null;
  /** The request `result` answers; a kept scenario must pair the values with their own answer. */
  private resultSeq = -1;
  private kept: WhatIfScenario[] = [];
  private readonly controls = new Map<string, { control: ValueControl; row: HTMLElement; note: HTMLElement }>();
  private readonly status = h('div', { class: 'whatif-result', attrs: { 'aria-live': 'polite' } });
  private readonly error = h('p', { class: 'error-text', testid: 'whatif-error', attrs: { role: 'alert', hidden: true } });
  private readonly keptList = h('ul', { class: 'kept', testid: 'whatif-kept' });
  private note: ValueControl | null = null;
  private keepButton: ValueControl | null = null;

  constructor(
    private readonly post: (m: WebviewMessage) => void,
    /** Called with the scenario's answer, or null when the editor is back to the case's own values. */
    private readonly onResult: (r: WhatIfResult | null) => void,
    /** Called on every edit, so the scenario can be kept while the panel is hidden. */
    private readonly onEdit: () => void,
  ) {}

  /** The edited values when any differ from the case's (invalid entries left out), else null. */
  draftValues(): FeatureValues | null {
    return this.changes().length ? { ...this.current } : null;
  }

  /**
   * Puts `values` into the editor and asks for their answer: over the case's own values when `replace`
   * (a recourse option, or values kept while the panel was hidden), else over the current scenario (one
   * value tried from a curve).
   */
  setValues(values: FeatureValues, replace: boolean): void {
    if (!this.msg) return;
    for (const f of this.msg.fields) {
      const given = own(values, f.name);
      if (!replace && given === undefined) continue;
      const v = given !== undefined ? given : (own(this.msg.values, f.name) ?? null);
      this.controls.get(f.name)!.control.value = inputText(f, v);
      this.edit(f, inputText(f, v), false);
    }
    this.schedule();
    this.onEdit();
  }

  render(msg: CaseMessage): HTMLElement {
    clearTimeout(this.timer);
    this.msg = msg;
    this.current = Object.assign(Object.create(null), msg.values);
    this.invalid.clear();
    this.result = null;
    this.kept = [...msg.summary.whatIfs];
    this.controls.clear();
    const grid = h('div', { class: 'whatif-grid' }, ...msg.fields.map((f) => this.fieldRow(f)));
    this.note = textField({ label: 'Note for this scenario (optional)', testid: 'whatif-note' });
    this.keepButton = button('Keep scenario', { testid: 'whatif-keep', onClick: () => this.keep() });
    const reset = button('Reset', { testid: 'whatif-reset', onClick: () => this.reset() });
    this.renderStatus();
    this.renderKept();
    return h(
      'div',
      { class: 'whatif' },
      h('p', { class: 'muted' }, 'Change any value to see how the score, the band and the attributions would change, or load one of the smallest changes to a lower band. Leave a number empty for a missing value.'),
      this.status,
      this.error,
      h('div', { class: 'actions' }, reset, this.note, this.keepButton),
      grid,
      h('h3', null, 'Kept scenarios'),
      this.keptList,
    );
  }

  private fieldRow(f: FeatureField): HTMLElement {
    const original = own(this.msg!.values, f.name) ?? null;
    const note = h('span', { class: 'field-note muted' });
    const onEdit = (text: string) => this.edit(f, text);
    let control: ValueControl;
    if (f.categories) {
      const choices = f.categories.map((c, k) => ({ value: String(k), text: c }));
      if (f.acceptsMissing !== false) choices.push({ value: '', text: 'missing' });
      control = dropdown({ label: f.label, testid: `whatif-input-${f.name}`, choices, value: inputText(f, original), onChange: onEdit });
    } else {
      control = textField({ label: f.label, testid: `whatif-input-${f.name}`, value: inputText(f, original), onInput: onEdit, attrs: { inputmode: 'decimal' } });
    }
    const row = h(
      'div',
      { class: 'whatif-field' },
      f.categories && h('span', { class: 'label' }, f.label),
      control,
      h('span', { class: 'field-hint muted' }, `Case: ${valueText(f, original)}${f.categories ? '' : ` · seen ${plainNumber(f.min)} to ${plainNumber(f.max)}`}`),
      note,
    );
    if (f.description) row.title = f.description;
    this.controls.set(f.name, { control, row, note });
    return row;
  }

  private edit(f: FeatureField, text: string, send = true): void {
    const c = this.controls.get(f.name)!;
    const parsed = parseInput(f, text);
    if (!parsed.ok) {
      this.invalid.add(f.name);
      c.note.textContent = parsed.error;
      c.row.classList.add('invalid');
      c.control.setAttribute('aria-invalid', 'true');
    } else {
      this.invalid.delete(f.name);
      this.current[f.name] = parsed.value;
      c.note.textContent = outOfRange(f, parsed.value) ? 'Outside the range seen in the cases.' : '';
      c.row.classList.remove('invalid');
      c.control.removeAttribute('aria-invalid');
    }
    c.row.classList.toggle('changed', parsed.ok && parsed.value !== (own(this.msg!.values, f.name) ?? null));
    if (!send) return;
    this.schedule();
    this.onEdit();
  }

  private changes(): FeatureField[] {
    return this.msg ? changedFields(this.msg.fields, this.msg.values, this.current) : [];
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.seq++; // an answer to any earlier request is now stale
    this.showError(null);
    if (this.invalid.size > 0) return this.renderStatus();
    if (this.changes().length === 0) {
      this.result = null;
      this.onResult(null);
      return this.renderStatus();
    }
    this.status.setAttribute('aria-busy', 'true');
    if (this.keepButton) this.keepButton.disabled = true;
    const seq = this.seq;
    this.timer = setTimeout(() => {
      this.sentAt = performance.now();
      this.post({ type: 'whatIf', caseId: this.msg!.summary.header.caseId, seq, values: { ...this.current } });
    }, DEBOUNCE_MS);
  }

  /** The host's answer; ignored when it belongs to another case or an overtaken edit. */
  answer(m: Answer): void {
    if (!this.msg || m.caseId !== this.msg.summary.header.caseId || m.seq !== this.seq) return;
    this.result = { score: m.score, margin: m.margin, band: m.band, attribution: m.attribution };
    this.resultSeq = m.seq;
    this.onResult(this.result);
    this.renderStatus(performance.now() - this.sentAt);
  }

  failed(m: Extract<HostMessage, { type: 'whatIfError' }>): void {
    if (!this.msg || m.caseId !== this.msg.summary.header.caseId || m.seq !== this.seq) return;
    this.result = null;
    this.onResult(null);
    this.renderStatus();
    this.showError(m.message);
  }

  private showError(message: string | null): void {
    this.error.textContent = message ?? '';
    this.error.hidden = message === null;
  }

  private renderStatus(roundTripMs?: number): void {
    if (!this.msg) return;
    const h0 = this.msg.summary.header;
    const r = this.result;
    const p = h0.scoreIsProbability;
    const score = h('strong', { class: 'score', testid: 'whatif-score' }, scoreText(r ? r.score : h0.score, p, h0.scoreUnit));
    if (roundTripMs !== undefined) score.dataset.roundTripMs = roundTripMs.toFixed(1);
    const band = h('span', { class: 'band', testid: 'whatif-band' }, r ? r.band : h0.band);
    const n = this.changes().length;
    const pending = this.invalid.size > 0 ? 'Correct the marked values to see the score.' : n > 0 && !r ? 'Updating…' : null;
    if (!pending) this.status.removeAttribute('aria-busy');
    const delta = r && (p ? `${signed((r.score - h0.score) * 100)} points of probability` : `${signed(r.score - h0.score)} points`);
    fill(
      this.status,
      h('span', { class: 'label' }, n === 0 ? 'Score (no changes)' : `Score with ${n === 1 ? '1 change' : `${n} changes`}`),
      score,
      band,
      r && h('span', { class: 'delta', testid: 'whatif-delta' }, `${delta} against the case’s ${scoreText(h0.score, p, h0.scoreUnit)} (${h0.band})`),
      r && r.band !== h0.band && h('span', { class: 'band-change' }, `Band changes from ${h0.band} to ${r.band}`),
      pending && h('span', { class: 'muted' }, pending),
    );
    if (this.keepButton) this.keepButton.disabled = !r || n === 0 || this.resultSeq !== this.seq;
  }

  reset(): void {
    if (!this.msg) return;
    for (const f of this.msg.fields) {
      const c = this.controls.get(f.name)!;
      c.control.value = inputText(f, own(this.msg.values, f.name) ?? null);
      c.note.textContent = '';
      c.row.classList.remove('invalid', 'changed');
      c.control.removeAttribute('aria-invalid');
    }
    this.current = Object.assign(Object.create(null), this.msg.values);
    this.invalid.clear();
    this.schedule();
    this.onEdit();
  }

  private keep(): void {
    if (!this.msg || !this.result || this.resultSeq !== this.seq) return;
    const scenario = scenarioOf(this.msg.fields, this.msg.values, this.current, this.result, this.note?.value);
    this.post({ type: 'keepScenario', caseId: this.msg.summary.header.caseId, scenario });
    this.kept.push(scenario);
    if (this.note) this.note.value = '';
    this.renderKept();
  }

  private renderKept(): void {
    if (!this.msg) return;
    const header = this.msg.summary.header;
    fill(
      this.keptList,
      ...(this.kept.length
        ? this.kept.map((w) => h('li', null, whatIfSentence(w, header), w.note && h('span', { class: 'muted' }, ` Note: ${w.note}`)))
        : [h('li', { class: 'muted' }, 'None yet. A kept scenario goes into the case summary you export.')]),
    );
  }
}
