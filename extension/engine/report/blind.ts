/**
 * Blind review: the summary a reviewer sees while deciding a case, without the case's known outcome and
 * without any figure computed from the known outcomes (the calibration section: its reliability, error
 * rates and statements all rest on them), so that hindsight cannot colour the decision. The reviewer sees
 * them once their decision is recorded. Like redaction, a view of the one summary, not another summary.
 */
import type { CaseSummary } from './types';

export const BLIND_REASON = 'hidden until you record your decision (blind review), as it is computed from the known outcomes';

export function blindSummary(summary: CaseSummary): CaseSummary {
  const { header } = summary;
  return {
    ...summary,
    header: { ...header, outcome: header.outcomeColumn === null ? null : 'hidden' },
    calibration: null,
    unavailable: [...summary.unavailable.filter((u) => u.section !== 'calibration'), { section: 'calibration', reason: BLIND_REASON }],
  };
}
