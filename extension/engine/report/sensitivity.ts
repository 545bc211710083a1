/**
 * What the score is sensitive to, in words and blocks: the per-feature curves and the smallest changes
 * that reach a lower band (recourse/), for the technical summary, the family letter and the panel.
 * Worded as what the score is computed from — "the score would be", "if the record showed" — never as
 * advice to the person or a prediction of what they will do. Plain text only; renderers escape it.
 */
import type { Block } from './content';
import { curvesChart, curveExtremes, curveValueText } from './curveCharts';
import { count, integer, plainNumber, scoreText, wordList } from './format';
import type { CaseHeader, CaseSummary } from './types';
import type { ChangeableFeature, FeatureCurve, RecourseOption, RecourseSection, SensitivitySection } from '../recourse/types';

/** What the options are and are not, said wherever they are shown. */
export const RECOURSE_CAUTION =
  'These are the smallest changes to the features marked as able to change that the model would score in a lower band. They show what the score is sensitive to. They are not advice, not a case plan and not a prediction of what the person will do, and a lower score is not a lower risk.';

/** "Family conflict 2 → 0". */
export function changeText(c: RecourseOption['changes'][number]): string {
  return `${c.label} ${c.fromText} → ${c.toText}`;
}

/** "If Family conflict were 0 instead of 2 and …, the score would be 44.1% (Moderate)." */
export function optionSentence(o: RecourseOption, header: Pick<CaseHeader, 'scoreIsProbability'>): string {
  const changes = o.changes.map((c) => `${c.label} were ${c.toText} instead of ${c.fromText}`);
  return `If ${wordList(changes, 'and')}, the score would be ${scoreText(o.score, header.scoreIsProbability)} (${o.band}).`;
}

/** How a dynamic feature may move, in words: "0 to 3, either way", "categories a, b or c, up only". */
export function allowedText(c: ChangeableFeature): string {
  const values = 'categories' in c.values ? wordList(c.values.categories) : `${plainNumber(c.values.min, 4)} to ${plainNumber(c.values.max, 4)}${c.values.step === 1 ? '' : ` in steps of ${plainNumber(c.values.step, 6)}`}`;
  const way = c.direction === 'either' ? 'either way' : c.direction === 'increase' ? 'up only' : 'down only';
  return `${values}, ${way}`;
}

function targetText(r: RecourseSection, header: CaseHeader): string {
  return r.target ? `${r.target.band} or a lower band (a score below ${scoreText(r.target.below, header.scoreIsProbability)})` : 'a lower band';
}

/** The search's answer in one sentence (what was found, or why there is nothing). */
export function recourseStatusSentence(r: RecourseSection, header: CaseHeader): string {
  switch (r.status) {
    case 'in-target':
      return `The case is in the band ${header.band}; there is no lower band to reach${r.target ? '' : ' from here'}.`;
    case 'nothing-changeable':
      return r.changeable.length === 0
        ? 'No feature is marked as able to change ("riskFactor": "dynamic") in the project, so there is nothing to search.'
        : 'None of the features that can change could lower the score for this case (a missing value stays missing, and no other value of the rest would lower it).';
    case 'none':
      return `No change to the features that can change (${r.maxChanges === r.changeable.filter((c) => !c.fixed).length ? 'any number of them' : `at most ${count(r.maxChanges, 'feature')}`}, within their values and directions) brings the score to ${targetText(r, header)}: the case stays in ${header.band} whatever they are.`;
    case 'stopped':
      return `The search stopped before it found a change that brings the score to ${targetText(r, header)}.`;
    case 'found':
      return `The smallest change that brings the score to ${targetText(r, header)}: ${optionSentence(r.options[0], header)}`;
  }
}

/** How sure the answer is: exact, or the bound the search proved when it stopped. */
export function searchSentence(r: RecourseSection): string {
  const scored = `${count(r.search.evaluated, 'set')} of changes scored`;
  if (r.search.complete) {
    return r.status === 'found'
      ? `Exact (${scored}): no option is smaller than the first, and each listed option is the smallest of those not listed before it.`
      : `Exact (${scored}).`;
  }
  const b = r.search.bound;
  const rest = b ? ` Any option not listed changes at least ${count(b.changes, 'feature')}, and with exactly ${integer(b.changes)} changes them by at least ${plainNumber(b.size, 4)} in total.` : '';
  return `The search stopped at its budget (${scored}); the options listed are proven the smallest, in order, but there may be more.${rest}`;
}

/** "School disengagement (3; 0 to 3, either way)". */
export function changeableText(c: ChangeableFeature): string {
  const why = c.fixed === 'missing' ? '; missing, so it stays as it is' : c.fixed ? '; none of its values would lower the score' : '';
  return `${c.label} (${c.valueText}; ${allowedText(c)}${why})`;
}

/** "0: 31.2% · 1: 35.4% …" — every point; steps read "from 1.5: …". */
export function curveValuesText(curve: FeatureCurve, isProbability: boolean): string {
  const prefix = curve.shape === 'steps' ? 'from ' : '';
  const points = curve.points.map((p) => `${prefix}${curveValueText(curve, p.value)}: ${scoreText(p.score, isProbability)}`);
  if (curve.missingScore !== null) points.push(`missing: ${scoreText(curve.missingScore, isProbability)}`);
  return points.join(' · ');
}

/** The options as a table's rows: number, changes, size, score and band. */
export function recourseRows(r: RecourseSection, header: CaseHeader): string[][] {
  return r.options.map((o, k) => [String(k + 1), o.changes.map(changeText).join('; '), plainNumber(o.size, 4), `${scoreText(o.score, header.scoreIsProbability)} (${o.band})`]);
}

export const RECOURSE_COLUMNS = ['Option', 'Changes', 'Size', 'Score (band)'] as const;

function unavailableBlock(summary: CaseSummary): Block {
  const u = summary.unavailable.find((x) => x.section === 'sensitivity');
  return { kind: 'paragraph', text: `Not available for this case: ${u ? u.reason : 'the analysis was not run'}.`, tone: 'muted' };
}

function recourseBlocks(r: RecourseSection, header: CaseHeader): Block[] {
  const blocks: Block[] = [{ kind: 'paragraph', text: RECOURSE_CAUTION, tone: 'warning' }, { kind: 'paragraph', text: recourseStatusSentence(r, header) }];
  if (r.options.length) {
    blocks.push({ kind: 'table', caption: 'Smallest changes first (fewest features, then the smallest total change in each feature\'s own units)', columns: RECOURSE_COLUMNS.map((title, k) => ({ title, numeric: k === 0 || k === 2 })), rows: recourseRows(r, header) });
  }
  if (r.changeable.length) blocks.push({ kind: 'paragraph', text: 'Features the project marks as able to change:' }, { kind: 'list', items: r.changeable.map(changeableText) });
  for (const note of r.notes) blocks.push({ kind: 'paragraph', text: note, tone: 'muted' });
  blocks.push({ kind: 'paragraph', text: `${searchSentence(r)} Method: ${r.method}.`, tone: 'muted' });
  return blocks;
}

/** The technical summary's two sections: the curves, then the smallest changes to a lower band. */
export function sensitivityBlocks(summary: CaseSummary): Block[] {
  const s = summary.sensitivity;
  const h = summary.header;
  const curvesHeading: Block = { kind: 'heading', text: 'What the score is sensitive to' };
  const recourseHeading: Block = { kind: 'heading', text: 'What would move the score to a lower band' };
  if (!s) return [curvesHeading, unavailableBlock(summary), recourseHeading, unavailableBlock(summary)];
  return [
    curvesHeading,
    { kind: 'paragraph', text: 'Each panel shows the score as one feature takes each of its values, every other feature held at this case\'s values. The project marks each feature as static (a fact of the record) or dynamic (able to change).' },
    { kind: 'chart', chart: curvesChart(s.curves, h.score, h.scoreIsProbability), id: 'chart-curves' },
    {
      kind: 'table',
      caption: 'The score at each value of each feature',
      columns: [{ title: 'Feature' }, { title: 'Type' }, { title: 'This case' }, { title: 'Score at each value' }],
      rows: s.curves.curves.map((c) => [c.label, c.riskFactor, c.caseValueText, curveValuesText(c, h.scoreIsProbability)]),
    },
    { kind: 'paragraph', text: `Method: ${s.curves.method}.`, tone: 'muted' },
    recourseHeading,
    ...recourseBlocks(s.recourse, h),
  ];
}

/** "between 31 and 60 in 100" / "between 5 and 12 points". */
function plainRange(lo: number, hi: number, isProbability: boolean): string {
  if (!isProbability) return `between ${plainNumber(lo, 1)} and ${plainNumber(hi, 1)} points`;
  const a = plainNumber(lo * 100, 0);
  const b = plainNumber(hi * 100, 0);
  return a === b ? `about ${a} in 100` : `between ${a} and ${b} in 100`;
}

function plainScore(s: number, isProbability: boolean): string {
  return isProbability ? `about ${plainNumber(s * 100, 0)} in 100` : `${plainNumber(s, 1)} points`;
}

/** The family letter's section "What the score counts that can change" (none when the project marks nothing as able to change). */
export function plainSensitivityBlocks(s: SensitivitySection | null, header: CaseHeader): Block[] {
  if (!s) return [];
  const dynamic = s.curves.curves.filter((c) => c.riskFactor === 'dynamic');
  if (dynamic.length === 0) return [];
  const p = header.scoreIsProbability;
  const items = dynamic.map((c) => {
    const ext = curveExtremes(c);
    const now = `${c.label} (recorded: ${c.caseValueText})`;
    if (!ext || ext.low.score === ext.high.score) return `${now}: the score is the same whatever the record says here.`;
    return `${now}: the score would be ${plainRange(ext.low.score, ext.high.score, p)}, depending on what the record says here.`;
  });
  const blocks: Block[] = [
    { kind: 'heading', text: 'What the score counts that can change' },
    { kind: 'paragraph', text: 'Some things the score counts can change over time. Here is how the score would differ if the record said something else about them, with everything else the same. This is how the score is worked out. It is not advice, and it does not say what you will do.' },
    { kind: 'list', items },
  ];
  const r = s.recourse;
  if (r.status === 'found') {
    const o = r.options[0];
    const changes = wordList(o.changes.map((c) => `${c.label} ${c.toText} instead of ${c.fromText}`), 'and');
    blocks.push({ kind: 'paragraph', text: `The smallest difference that would put the score in a lower band: ${changes} (the score would be ${plainScore(o.score, p)}, band ${o.band}).` });
  } else if (r.status === 'none') {
    blocks.push({ kind: 'paragraph', text: 'No difference in these things alone would put the score in a lower band.' });
  }
  return blocks;
}
