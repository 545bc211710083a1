/**
 * Redaction for summaries that leave the agency: the case id becomes a reference and the group
 * attributes are left out everywhere they appear — the header, the group calibration, and any model
 * feature that is itself a group column (its value in the attribution table, the what-ifs and the rule).
 * Free text the reviewer typed (reason, notes) is kept as written; the reviewer is responsible for it.
 */
import type { CaseSummary, Condition } from './types';

export const WITHHELD = 'withheld';

export function redactSummary(summary: CaseSummary, reference: string): CaseSummary {
  const hidden = new Set(summary.header.groups.map((g) => g.column));
  const hide = (c: Condition): Condition => (hidden.has(c.feature) ? { kind: 'in', feature: c.feature, label: c.label, categories: [WITHHELD], includesMissing: false } : c);
  const { attribution, surrogate, calibration } = summary;
  return {
    ...summary,
    header: { ...summary.header, caseId: reference, groups: [] },
    attribution: attribution && {
      ...attribution,
      rows: attribution.rows.map((r) => (hidden.has(r.feature) ? { ...r, value: null, valueText: WITHHELD } : r)),
    },
    surrogate: surrogate && {
      ...surrogate,
      nodes: surrogate.nodes.map((n) => (n.condition ? { ...n, condition: hide(n.condition) } : n)),
      rule: surrogate.rule.map(hide),
    },
    calibration: calibration && { ...calibration, groups: [] },
    whatIfs: summary.whatIfs.map((w) => ({ ...w, changes: w.changes.map((c) => (hidden.has(c.feature) ? { ...c, from: WITHHELD, to: WITHHELD } : c)) })),
    redacted: true,
  };
}
