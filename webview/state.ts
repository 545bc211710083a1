/**
 * The panel's link to VS Code: `acquireVsCodeApi` (callable once per page) for messages and for the
 * state VS Code keeps while the panel is hidden and hands to the host's serializer after a reload.
 */
import type { PanelDraft, PanelState, WebviewMessage } from './protocol';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: PanelState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export const EMPTY_STATE: PanelState = { caseId: null, scrollY: 0, open: [] };

/** A stored state, or the empty one when it is missing or of another shape (e.g. from an older version). */
export function readState(raw: unknown): PanelState {
  if (typeof raw !== 'object' || raw === null) return EMPTY_STATE;
  const s = raw as Record<string, unknown>;
  const draft = readDraft(s.draft);
  return {
    caseId: typeof s.caseId === 'string' ? s.caseId : null,
    ...(s.view === 'case' || s.view === 'decisions' ? { view: s.view } : {}),
    scrollY: typeof s.scrollY === 'number' && Number.isFinite(s.scrollY) && s.scrollY >= 0 ? s.scrollY : 0,
    open: Array.isArray(s.open) ? s.open.filter((x): x is string => typeof x === 'string') : [],
    ...(draft ? { draft } : {}),
  };
}

function readDraft(raw: unknown): PanelDraft | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const d = raw as Record<string, unknown>;
  if (typeof d.caseId !== 'string' || typeof d.reason !== 'string' || typeof d.notes !== 'string') return null;
  const verdict = d.verdict === 'agree' || d.verdict === 'disagree' ? d.verdict : null;
  let values: Record<string, number | null> | null = null;
  if (typeof d.values === 'object' && d.values !== null) {
    values = Object.create(null) as Record<string, number | null>;
    for (const [k, v] of Object.entries(d.values)) if (v === null || (typeof v === 'number' && Number.isFinite(v))) values[k] = v;
  }
  const assignedBand = verdict === 'disagree' && typeof d.assignedBand === 'string' ? { assignedBand: d.assignedBand } : {};
  return { caseId: d.caseId, verdict, reason: d.reason, notes: d.notes, ...assignedBand, values };
}

export interface Host {
  post(message: WebviewMessage): void;
  /** The state as it was when the page loaded. */
  readonly initial: PanelState;
  /** Merges `change` into the stored state. */
  save(change: Partial<PanelState>): void;
}

export function connect(): Host {
  const api = acquireVsCodeApi();
  let current = readState(api.getState());
  const initial = current;
  return {
    post: (m) => api.postMessage(m),
    initial,
    save(change) {
      current = { ...current, ...change };
      api.setState(current);
    },
  };
}
