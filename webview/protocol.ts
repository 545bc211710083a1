/**
 * Messages between the extension host and the review panel. Both sides import these types; the host
 * validates every message it receives with `parseFromWebview` before acting on it, because a webview
 * is a browser page and anything in it could be tampered with. The panel checks what it receives with
 * `parseFromHost` (lighter: the host is trusted, but a message of an older or newer shape is ignored
 * rather than half-rendered).
 *
 * Nothing here touches the DOM or Node: the host bundle and the webview bundle both import it.
 */
import type { DecisionsOverview } from '../extension/engine/decisions/types';
import type { AttributionSummary, CaseSummary, ReviewDecision, Verdict, WhatIfScenario } from '../extension/engine/report/types';

/** Feature metadata the what-if editor needs. */
export interface FeatureField {
  readonly name: string;
  readonly label: string;
  readonly description?: string;
  /** For a categorical feature the names by index; a value is then the category index. */
  readonly categories?: readonly string[];
  /** Range seen in the cases (for the editor's hints; values outside it are allowed and flagged). */
  readonly min: number;
  readonly max: number;
  /** False when the model cannot score a missing value for this feature (a logistic model without an impute value for it, an instrument item without missing points); default true. */
  readonly acceptsMissing?: boolean;
  /** The value the model takes for a missing one (a logistic model's impute value), when it has one. */
  readonly imputedAs?: number;
}

/** A case's values by feature name; null = missing; a categorical value is the category index. */
export type FeatureValues = Readonly<Record<string, number | null>>;

export type HostMessage =
  | { readonly type: 'loading'; readonly message: string }
  | { readonly type: 'error'; readonly message: string }
  /** The case to show. `values` are the case's own feature values (the what-if editor starts from them). */
  | {
      readonly type: 'case';
      readonly summary: CaseSummary;
      readonly index: number;
      readonly total: number;
      readonly fields: readonly FeatureField[];
      readonly values: FeatureValues;
      readonly decisions: readonly ReviewDecision[];
      /** The review's bands, lowest risk first (a reviewer who disagrees may name the band they would assign). */
      readonly bands: readonly string[];
      /** Why decisions cannot be recorded here (an untrusted workspace), or null when they can. */
      readonly recordingBlocked: string | null;
      /** Blind review: the summary leaves out the known outcome and the figures computed from it until the reviewer decides. */
      readonly blind: boolean;
    }
  /** The reviewers' decisions on the review (the decisions view), read from the log and checked. */
  | { readonly type: 'decisions'; readonly overview: DecisionsOverview }
  /** The decisions could not be read (e.g. the log cannot be read), in words. */
  | { readonly type: 'decisionsError'; readonly message: string }
  /** Every decision on a case, oldest first (the decisions view's history, asked for by `history`). */
  | { readonly type: 'history'; readonly caseId: string; readonly decisions: readonly ReviewDecision[] }
  /** Show this view of the panel ("Risk Review: Show Decisions"). */
  | { readonly type: 'view'; readonly view: PanelView }
  /** Whether decisions can be recorded changed (the workspace was trusted): null when they can. */
  | { readonly type: 'recording'; readonly blocked: string | null }
  /**
   * The answer to a `whatIf` request, echoing its `seq` so the panel drops answers that a newer edit
   * has overtaken. `margin` is the scenario's margin (log-odds or points); `attribution` the
   * scenario's attributions, computed exactly as for a real case.
   */
  | { readonly type: 'whatIf'; readonly caseId: string; readonly seq: number; readonly score: number; readonly margin: number; readonly band: string; readonly attribution: AttributionSummary }
  /** A scenario the model cannot score (e.g. a missing value for a logistic model), in words. */
  | { readonly type: 'whatIfError'; readonly caseId: string; readonly seq: number; readonly message: string }
  | { readonly type: 'decisionSaved'; readonly caseId: string; readonly decision: ReviewDecision }
  /** The decision was not recorded (e.g. an untrusted workspace, or the log cannot be written), in words. */
  | { readonly type: 'decisionError'; readonly caseId: string; readonly message: string };

export type WebviewMessage =
  /** The panel is ready for a case; `caseId` is the case it showed before it was hidden or reloaded, if any. */
  | { readonly type: 'ready'; readonly caseId?: string }
  | { readonly type: 'navigate'; readonly to: 'next' | 'previous' }
  | { readonly type: 'openCase'; readonly caseId: string }
  /** Values by feature name; null = missing. `seq` increases with every request from the panel. */
  | { readonly type: 'whatIf'; readonly caseId: string; readonly seq: number; readonly values: FeatureValues }
  | { readonly type: 'keepScenario'; readonly caseId: string; readonly scenario: WhatIfScenario }
  /** `assignedBand`: with a disagreement only, the band the reviewer would assign instead (an override). */
  | { readonly type: 'decide'; readonly caseId: string; readonly verdict: Verdict; readonly reason: string; readonly notes: string; readonly assignedBand?: string }
  | { readonly type: 'export'; readonly caseId: string }
  /** The reviewer turned to the decisions view: send the decisions (and again whenever the log changes). */
  | { readonly type: 'decisionsView' }
  | { readonly type: 'history'; readonly caseId: string }
  /** Open the review log itself, as a file. */
  | { readonly type: 'showLog' };

/** The panel shows one case, or the decisions on every case. */
export type PanelView = 'case' | 'decisions';

/**
 * What the panel keeps with `vscode.setState`, and what the host's `WebviewPanelSerializer` receives
 * as `state` after a window reload (so it can reopen the same case).
 */
export interface PanelState {
  readonly caseId: string | null;
  /** Which view was showing; absent in a state from before the decisions view (then the case). */
  readonly view?: PanelView;
  readonly scrollY: number;
  /** The ids of the sections that are open. */
  readonly open: readonly string[];
  /** What the reviewer was typing for `caseId` and had not sent, so hiding the panel loses nothing. */
  readonly draft?: PanelDraft;
}

export interface PanelDraft {
  readonly caseId: string;
  readonly verdict: Verdict | null;
  readonly reason: string;
  readonly notes: string;
  /** The band chosen in the form, when disagreeing. */
  readonly assignedBand?: string;
  /** The what-if editor's values when they differ from the case's, else null. */
  readonly values: FeatureValues | null;
}

/** Longest text the panel may send in one field; a reason or a note longer than this is refused. */
export const MAX_TEXT = 20_000;
const MAX_ID = 1_000;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown, max = MAX_TEXT): v is string => typeof v === 'string' && v.length <= max;
const isId = (v: unknown): v is string => isText(v, MAX_ID) && v.length > 0;
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function featureValues(v: unknown): FeatureValues | null {
  if (!isObj(v)) return null;
  const out: Record<string, number | null> = Object.create(null);
  for (const [k, x] of Object.entries(v)) {
    if (!isId(k) || !(x === null || isNum(x))) return null;
    out[k] = x;
  }
  return out;
}

function scenario(v: unknown): WhatIfScenario | null {
  if (!isObj(v) || !Array.isArray(v.changes) || v.changes.length > 10_000 || !isNum(v.score) || !isText(v.band, MAX_ID)) return null;
  if (v.note !== undefined && !isText(v.note)) return null;
  const changes = [];
  for (const c of v.changes as unknown[]) {
    if (!isObj(c) || !isId(c.feature) || !isText(c.label, MAX_ID) || !isText(c.from, MAX_ID) || !isText(c.to, MAX_ID)) return null;
    changes.push({ feature: c.feature, label: c.label, from: c.from, to: c.to });
  }
  return { changes, score: v.score, band: v.band, ...(v.note !== undefined ? { note: v.note as string } : {}) };
}

/**
 * A message from the panel, checked field by field and rebuilt from the checked fields only, or null
 * when anything is off (the host then ignores it). Field names of a what-if are not checked against
 * the model here: the host knows the features, this function only the shape.
 */
export function parseFromWebview(msg: unknown): WebviewMessage | null {
  if (!isObj(msg)) return null;
  switch (msg.type) {
    case 'ready':
      if (msg.caseId === undefined) return { type: 'ready' };
      return isId(msg.caseId) ? { type: 'ready', caseId: msg.caseId } : null;
    case 'navigate':
      return msg.to === 'next' || msg.to === 'previous' ? { type: 'navigate', to: msg.to } : null;
    case 'openCase':
    case 'export':
    case 'history':
      return isId(msg.caseId) ? { type: msg.type, caseId: msg.caseId } : null;
    case 'decisionsView':
    case 'showLog':
      return { type: msg.type };
    case 'whatIf': {
      const values = featureValues(msg.values);
      return isId(msg.caseId) && Number.isSafeInteger(msg.seq) && values ? { type: 'whatIf', caseId: msg.caseId, seq: msg.seq as number, values } : null;
    }
    case 'keepScenario': {
      const s = scenario(msg.scenario);
      return isId(msg.caseId) && s ? { type: 'keepScenario', caseId: msg.caseId, scenario: s } : null;
    }
    case 'decide': {
      if (!isId(msg.caseId) || (msg.verdict !== 'agree' && msg.verdict !== 'disagree') || !isText(msg.reason) || !isText(msg.notes)) return null;
      const decision = { type: 'decide', caseId: msg.caseId, verdict: msg.verdict, reason: msg.reason, notes: msg.notes } as const;
      if (msg.assignedBand === undefined) return decision;
      // Only a disagreement names another band.
      return isId(msg.assignedBand) && msg.verdict === 'disagree' ? { ...decision, assignedBand: msg.assignedBand } : null;
    }
    default:
      return null;
  }
}

/**
 * A message from the host, or null for one the panel does not know. Only the fields the panel reads
 * first are checked; the host builds the rest from the engine's own types.
 */
const isBlocked = (v: unknown): v is string | null => v === null || typeof v === 'string';

export function parseFromHost(msg: unknown): HostMessage | null {
  if (!isObj(msg)) return null;
  switch (msg.type) {
    case 'loading':
    case 'error':
      return typeof msg.message === 'string' ? (msg as unknown as HostMessage) : null;
    case 'case': {
      const s = msg.summary;
      const ok =
        isObj(s) &&
        isObj(s.header) &&
        typeof s.header.caseId === 'string' &&
        isNum(s.header.score) &&
        Array.isArray(msg.fields) &&
        isObj(msg.values) &&
        Array.isArray(msg.decisions) &&
        Array.isArray(msg.bands) &&
        isNum(msg.index) &&
        isNum(msg.total) &&
        isBlocked(msg.recordingBlocked) &&
        typeof msg.blind === 'boolean';
      return ok ? (msg as unknown as HostMessage) : null;
    }
    case 'whatIf':
      return typeof msg.caseId === 'string' && isNum(msg.seq) && isNum(msg.score) && isNum(msg.margin) && typeof msg.band === 'string' && isObj(msg.attribution) && Array.isArray(msg.attribution.rows)
        ? (msg as unknown as HostMessage)
        : null;
    case 'whatIfError':
      return typeof msg.caseId === 'string' && isNum(msg.seq) && typeof msg.message === 'string' ? (msg as unknown as HostMessage) : null;
    case 'recording':
      return isBlocked(msg.blocked) ? (msg as unknown as HostMessage) : null;
    case 'decisionError':
      return typeof msg.caseId === 'string' && typeof msg.message === 'string' ? (msg as unknown as HostMessage) : null;
    case 'decisions':
      return isObj(msg.overview) && Array.isArray(msg.overview.rows) && Array.isArray(msg.overview.byGroup) && isObj(msg.overview.verification) ? (msg as unknown as HostMessage) : null;
    case 'decisionsError':
      return typeof msg.message === 'string' ? (msg as unknown as HostMessage) : null;
    case 'history':
      return typeof msg.caseId === 'string' && Array.isArray(msg.decisions) ? (msg as unknown as HostMessage) : null;
    case 'view':
      return msg.view === 'case' || msg.view === 'decisions' ? (msg as unknown as HostMessage) : null;
    case 'decisionSaved':
      return typeof msg.caseId === 'string' && isObj(msg.decision) && (msg.decision.verdict === 'agree' || msg.decision.verdict === 'disagree') ? (msg as unknown as HostMessage) : null;
    default:
      return null;
  }
}
