/**
 * Messages between the extension host and the review panel. Both sides import these types; the host
 * validates every message it receives with `parseFromWebview` before acting on it, because a webview
 * is a browser page and anything in it could be tampered with.
 */
import type { AttributionSummary, ReviewDecision, Verdict, WhatIfScenario } from '../extension/engine/report/types';

/** Feature metadata the what-if editor needs. */
export interface FeatureField {
  readonly name: string;
  readonly label: string;
  readonly description?: string;
  readonly categories?: readonly string[];
  /** Range seen in the cases (for the editor's hints; values outside it are allowed and flagged). */
  readonly min: number;
  readonly max: number;
}

export type HostMessage =
  | { readonly type: 'loading'; readonly message: string }
  | { readonly type: 'error'; readonly message: string }
  /** The case to show; `summary` is a report `CaseSummary` (see extension/engine/report/types.ts). */
  | { readonly type: 'case'; readonly summary: unknown; readonly index: number; readonly total: number; readonly fields: readonly FeatureField[]; readonly decisions: readonly ReviewDecision[] }
  | { readonly type: 'whatIf'; readonly caseId: string; readonly score: number; readonly band: string; readonly attribution: AttributionSummary }
  | { readonly type: 'decisionSaved'; readonly caseId: string; readonly decision: ReviewDecision };

export type WebviewMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'navigate'; readonly to: 'next' | 'previous' }
  | { readonly type: 'openCase'; readonly caseId: string }
  /** Values by feature name; null = missing. */
  | { readonly type: 'whatIf'; readonly caseId: string; readonly values: Readonly<Record<string, number | null>> }
  | { readonly type: 'keepScenario'; readonly caseId: string; readonly scenario: WhatIfScenario }
  | { readonly type: 'decide'; readonly caseId: string; readonly verdict: Verdict; readonly reason: string; readonly notes: string }
  | { readonly type: 'export'; readonly caseId: string };
