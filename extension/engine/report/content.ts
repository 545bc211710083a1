/**
 * What a case summary document says, as a list of plain-text blocks (headings, paragraphs, lists,
 * key–value facts, tables, charts). The Markdown, HTML and PDF renderers only lay these blocks out, so
 * the three formats say the same things in the same order; no block holds markup, and every renderer
 * escapes every string it writes.
 */
import { groupReliabilityChart, reliabilityChart, shortCondition, treeChart, waterfallChart, type Chart } from './charts';
import { domainTable } from './domains';
import { effectScale, rankedRows, type EffectScale } from './drivers';
import { isolate } from './escape';
import { fixedNumber, integer, percent, plainNumber, scoreText, shortHash, signed, signedEstimate } from './format';
import { comparedName, driverSentence as groupDriverSentence, groupSentence, impossibilityNote } from './group-sentences';
import { plainSensitivityBlocks, sensitivityBlocks } from './sensitivity';
import {
  agreementSentence,
  attributionIntro,
  calibrationStatements,
  caseFitSentence,
  decisionSentence,
  driverSentence,
  fidelitySentence,
  groupName,
  groupsText,
  howToRead,
  interactionSentence,
  outcomeText,
  plainCalibrationSentence,
  plainDecisionSentences,
  blindText,
  plainDriverSentence,
  plainLanguageIntro,
  plainLanguageIsNot,
  ruleSentence,
  thresholdSentence,
  timeText,
  whatIfSentence,
} from './sentences';
import type {
  CalibrationMetrics,
  CalibrationSection,
  CaseHeader,
  CaseSummary,
  ComparedGap,
  Estimate,
  GapEstimate,
  GroupCalibration,
  GroupComparison,
  Provenance,
  RateWithInterval,
  ReliabilityBin,
  ReliabilityCurve,
  ScoreScale,
  SectionName,
} from './types';

export interface Column {
  readonly title: string;
  readonly numeric?: boolean;
}

export interface TableBlock {
  readonly kind: 'table';
  readonly caption: string;
  readonly columns: readonly Column[];
  readonly rows: readonly (readonly string[])[];
}

export type Block =
  | { readonly kind: 'heading'; readonly text: string }
  | { readonly kind: 'paragraph'; readonly text: string; readonly tone?: 'warning' | 'muted' }
  | { readonly kind: 'list'; readonly items: readonly string[] }
  | { readonly kind: 'facts'; readonly rows: readonly (readonly [string, string])[] }
  | TableBlock
  | { readonly kind: 'chart'; readonly chart: Chart; readonly id: string };

export interface SummaryDocument {
  readonly title: string;
  readonly subtitle: string;
  /** A short line for page footers. */
  readonly footer: string;
  readonly blocks: readonly Block[];
}

/** The line under a chart in the HTML and PDF documents (Markdown shows the chart's text alternative instead). */
export function chartCaption(chart: Chart): string {
  return `${chart.title} (the table below gives the numbers).`;
}

export interface ContentOptions {
  /** The variant for the person concerned and their family: short sentences, no jargon. */
  readonly plainLanguage?: boolean;
  /** In the letter, the reviewer's reason and notes too (by default only whether the score was reviewed and the outcome of the review). */
  readonly reviewerText?: boolean;
  /** How many drivers are told in sentences (the table always lists every feature). */
  readonly drivers?: number;
}

function unavailable(summary: CaseSummary, section: SectionName): Block[] {
  const u = summary.unavailable.find((x) => x.section === section);
  return [{ kind: 'paragraph', text: `Not available for this case: ${u ? u.reason : 'the analysis was not run'}.`, tone: 'muted' }];
}

/** The model as a title names it: "Juvenile reoffending 2.1". */
function modelTitle(p: Provenance): string {
  return p.modelVersion ? `${p.modelName} ${p.modelVersion}` : p.modelName;
}

/** What the review is called: its project's name, else its model's title. */
function reviewTitle(p: Provenance): string {
  return p.projectName ?? modelTitle(p);
}

function caseLabel(summary: CaseSummary): string {
  return summary.redacted ? 'Reference' : 'Case';
}

function effectColumnTitle(scale: EffectScale): string {
  return scale.unit === 'probability points' ? 'Effect (points of %)' : scale.unit === 'points' ? 'Effect (points)' : 'Effect (log-odds)';
}

function attributionBlocks(summary: CaseSummary, drivers: number): Block[] {
  const a = summary.attribution;
  if (!a) return unavailable(summary, 'attribution');
  const h = summary.header;
  const scale = effectScale(a, h);
  const ranked = rankedRows(a, scale);
  const blocks: Block[] = [
    { kind: 'paragraph', text: attributionIntro(scale, h.scoreIsProbability) },
    { kind: 'list', items: ranked.slice(0, drivers).map((r) => driverSentence(r, scale)) },
  ];
  if (a.topInteraction) blocks.push({ kind: 'paragraph', text: interactionSentence(a.topInteraction) });
  blocks.push({ kind: 'chart', chart: waterfallChart(a, h), id: 'chart-attribution' });
  const withMargin = scale.unit === 'probability points';
  blocks.push({
    kind: 'table',
    caption: 'Every feature, largest effect first',
    columns: [{ title: 'Feature' }, { title: 'Value' }, { title: effectColumnTitle(scale), numeric: true }, ...(withMargin ? [{ title: 'Log-odds', numeric: true }] : [])],
    rows: ranked.map((r) => [r.label, r.valueText, signed(scale.effect(r)), ...(withMargin ? [plainNumber(r.contribution, 4)] : [])]),
  });
  const domains = domainTable(a, scale, effectColumnTitle(scale));
  if (domains) blocks.push({ kind: 'table', caption: domains.caption, columns: domains.columns.map((title, k) => ({ title, numeric: k >= 2 })), rows: domains.rows });
  blocks.push({ kind: 'paragraph', text: `Method: ${a.method}. Base value ${plainNumber(a.baseValue, 4)} (${a.scale}); base value plus all effects on the ${a.scale} scale equals the case's margin, ${plainNumber(h.margin, 4)}.`, tone: 'muted' });
  return blocks;
}

function surrogateBlocks(summary: CaseSummary): Block[] {
  const s = summary.surrogate;
  if (!s) return unavailable(summary, 'surrogate');
  const h = summary.header;
  return [
    { kind: 'paragraph', text: ruleSentence(s, h) },
    { kind: 'paragraph', text: agreementSentence(s, h), tone: s.agreesWithModel ? undefined : 'warning' },
    { kind: 'paragraph', text: caseFitSentence(s, h), tone: s.caseFit.poorlyServed ? 'warning' : undefined },
    { kind: 'list', items: s.fidelity.map(fidelitySentence) },
    { kind: 'chart', chart: treeChart(s, h), id: 'chart-surrogate' },
    {
      kind: 'table',
      caption: "This case's path through the rule",
      columns: [{ title: 'Step', numeric: true }, { title: 'Test' }, { title: "Rule's score", numeric: true }, { title: 'Cases', numeric: true }],
      rows: s.path.map((node, k) => {
        const n = s.nodes[node];
        return [String(k), n.condition ? shortCondition(n.condition) : 'All cases', scoreText(n.value, h.scoreIsProbability, h.scoreUnit), integer(n.n)];
      }),
    },
    { kind: 'paragraph', text: [`Method: ${s.method}.`, ...s.notes].join(' '), tone: 'muted' },
  ];
}

function intervalText(interval: readonly [number, number]): string {
  return `${percent(interval[0])}–${percent(interval[1])}`;
}

/** A bin's scores as people read them: "20%–30%", or on a score's own scale "7" (a value bin) or "3–5". */
function binScores(b: ReliabilityBin, scale: ScoreScale): string {
  if (scale === 'probability') return `${percent(b.lower, 0)}–${percent(b.upper, 0)}`;
  return b.lower === b.upper ? plainNumber(b.upper, 2) : `${plainNumber(b.lower, 2)}–${plainNumber(b.upper, 2)}`;
}

function binRows(who: string, curve: ReliabilityCurve, scale: ScoreScale): string[][] {
  const average = (v: number) => (scale === 'probability' ? percent(v) : plainNumber(v, 2));
  return curve.bins.map((b) => [who, binScores(b, scale), integer(b.n), average(b.meanScore), percent(b.observedRate), intervalText(b.interval)]);
}

/** A figure the engine could not give shows as a dash; the warnings say why. */
export const NONE = '–';

function figureText(v: number | null, digits = 3): string {
  return v === null ? NONE : plainNumber(v, digits);
}

/** "0.835 (0.812–0.857)", all to the same decimals; "-0.03 (-0.18 to 0.12)" when an end is negative, where a dash would read as a minus. */
export function estimateText(e: Estimate | null, digits = 3): string {
  if (e === null) return NONE;
  const value = fixedNumber(e.value, digits);
  if (e.interval === null) return value;
  const [low, high] = e.interval;
  return `${value} (${fixedNumber(low, digits)}${low < 0 || high < 0 ? ' to ' : '–'}${fixedNumber(high, digits)})`;
}

export function rateText(r: RateWithInterval | null): string {
  return r ? `${percent(r.value)} (${intervalText(r.interval)})` : NONE;
}

/** A row's name: the group and its column, marked when it is the case's own group or the reference. */
function metricsRowName(g: GroupCalibration, m: CalibrationMetrics): string {
  const marks = [m.label === g.group ? "this case's group" : null, m.label === g.reference ? 'reference' : null].filter((x): x is string => x !== null);
  return groupName({ column: g.column, group: m.label }) + (marks.length ? ` · ${marks.join(', ')}` : '');
}

function metricsRows(c: CalibrationSection): (readonly [string, CalibrationMetrics])[] {
  return [...c.groups.flatMap((g) => g.columnMetrics.map((m) => [metricsRowName(g, m), m] as const)), ['Everyone', c.everyoneMetrics] as const];
}

/**
 * The per-group figures of the calibration engine as three compact tables (calibration; discrimination
 * and recalibration; the errors at the threshold): every group of each of the case's group columns, its
 * own group and the reference marked, then everyone. Figures with intervals are split over the first two
 * tables so that each fits the width of a PDF page. One definition for the documents and the panel.
 */
export function calibrationMetricsTables(c: CalibrationSection, header: CaseHeader): TableBlock[] {
  return metricsTables(metricsRows(c), c.scale, c.confidence, scoreText(header.threshold, header.scoreIsProbability, header.scoreUnit));
}

/**
 * The calibration engine's figures for named sets of cases as three tables: calibration (its
 * probability figures only on a probability scale), discrimination and recalibration, and the errors at
 * the threshold. The case summary's tables and the audit report's per-group tables are both these.
 */
function metricsTables(rows: readonly (readonly [string, CalibrationMetrics])[], scale: ScoreScale, confidence: number, threshold: string): TableBlock[] {
  const who: Column = { title: 'Who' };
  const numeric = (...titles: string[]): Column[] => [who, ...titles.map((title) => ({ title, numeric: true }))];
  const brackets = `${percent(confidence, 0)} intervals in brackets`;
  const rate = (m: CalibrationMetrics) => (m.n ? percent(m.positives / m.n) : NONE);
  const probabilities = scale === 'probability';
  return [
    probabilities
      ? {
          kind: 'table',
          caption: `Calibration by group, ${brackets} (Brier score and ECE: 0 is perfect; score − outcome above 0: the scores overstate what happened)`,
          columns: numeric('Cases', 'Outcome rate', 'Brier', 'ECE', 'Score − outcome (percentage points)'),
          rows: rows.map(([name, m]) => [
            name,
            integer(m.n),
            rate(m),
            estimateText(m.brier),
            figureText(m.ece),
            m.calibrationInTheLarge === null ? NONE : signedEstimate(m.calibrationInTheLarge.value, m.calibrationInTheLarge.interval, 100),
          ]),
        }
      : { kind: 'table', caption: 'Cases and outcomes by group', columns: numeric('Cases', 'With the outcome', 'Outcome rate'), rows: rows.map(([name, m]) => [name, integer(m.n), integer(m.positives), rate(m)]) },
    {
      kind: 'table',
      caption: probabilities
        ? `Discrimination and recalibration by group, ${brackets} (AUC: 0.5 is chance, 1 is perfect; slope 1 and intercept 0 are perfect)`
        : `Discrimination by group, ${brackets} (AUC: 0.5 is chance, 1 is perfect)`,
      columns: probabilities ? numeric('AUC', 'Slope', 'Intercept') : numeric('AUC'),
      rows: rows.map(([name, m]) => (probabilities ? [name, estimateText(m.auc), estimateText(m.calibrationSlope, 2), estimateText(m.calibrationIntercept, 2)] : [name, estimateText(m.auc)])),
    },
    {
      kind: 'table',
      caption: `Errors at the threshold (flagged at ${threshold} or more), with ${percent(confidence, 0)} intervals`,
      columns: [who, ...['Flagged', 'False positive rate', 'False negative rate', 'Flagged who had the outcome'].map((title) => ({ title, numeric: true }))],
      rows: rows.map(([name, m]) => [name, rateText(m.selectionRate), rateText(m.fpr), rateText(m.fnr), rateText(m.ppv)]),
    },
  ];
}

/** The engine's warnings for each row of the tables, named: "Asian (race): only 30 cases…". */
export function calibrationMetricsWarnings(c: CalibrationSection): string[] {
  return metricsRows(c).flatMap(([name, m]) => m.warnings.map((w) => `${name}: ${w}.`));
}

function calibrationBlocks(summary: CaseSummary): Block[] {
  const c = summary.calibration;
  if (!c) return unavailable(summary, 'calibration');
  const blocks: Block[] = calibrationStatements(c).map(({ text, caution }) => (caution ? { kind: 'paragraph', text, tone: 'warning' } : { kind: 'paragraph', text }));
  if (c.groups.length === 0) blocks.push({ kind: 'chart', chart: reliabilityChart(c, null, summary.header.score), id: 'chart-calibration' });
  c.groups.forEach((g, k) => blocks.push({ kind: 'chart', chart: reliabilityChart(c, g, summary.header.score), id: `chart-calibration-${k}` }));
  blocks.push({
    kind: 'table',
    caption: `Score bins: outcome rates with ${percent(c.confidence, 0)} intervals`,
    columns: [{ title: 'Who' }, { title: 'Scores' }, { title: 'Cases', numeric: true }, { title: 'Average score', numeric: true }, { title: 'Outcome rate', numeric: true }, { title: 'Interval', numeric: true }],
    rows: [...c.groups.flatMap((g) => binRows(groupName(g), g.curve, c.scale)), ...binRows('Everyone', c.everyone, c.scale)],
  });
  if (c.absentFigures) blocks.push({ kind: 'paragraph', text: `Not computed: ${c.absentFigures}.`, tone: 'muted' });
  blocks.push(...calibrationMetricsTables(c, summary.header));
  const warnings = calibrationMetricsWarnings(c);
  if (warnings.length) blocks.push({ kind: 'paragraph', text: 'What the figures stand on:', tone: 'warning' }, { kind: 'list', items: warnings });
  blocks.push({ kind: 'paragraph', text: `Method: ${c.method}. Outcome column: ${c.outcomeColumn}.`, tone: 'muted' });
  return blocks;
}

/** A gap to the reference: "+12.1 (+9.8 to +14.3) *", the mark when its interval excludes 0. */
function gapText(e: GapEstimate | null, factor: number, digits: number): string {
  return e === null ? NONE : `${signedEstimate(e.value, e.interval, factor, digits)}${e.standsOut ? ' *' : ''}`;
}

/** The gap columns of the two comparison tables: calibration within groups, then the balance of errors. */
const CALIBRATION_GAPS: readonly (readonly [ComparedGap, string])[] = [
  ['calibrationInTheLarge', 'Score − outcome (percentage points)'],
  ['outcomeAtEqualScore', 'Outcome at equal scores (percentage points)'],
  ['auc', 'AUC'],
];
const ERROR_GAPS: readonly (readonly [ComparedGap, string])[] = [
  ['selectionRate', 'Flagged'],
  ['fpr', 'False positive rate'],
  ['fnr', 'False negative rate'],
  ['ppv', 'Flagged who had the outcome'],
];

export interface ComparisonOptions {
  /** The group of the case on screen, marked wherever it appears. */
  readonly caseGroup?: string | null;
  /** The audit report's fuller version: every group's own figures too. */
  readonly full?: boolean;
  /** A unique suffix for the chart's id in a page showing several comparisons. */
  readonly id?: string;
}

/** A row's name in a comparison: the group, marked when it is the reference or the case's own. */
function comparedRowName(c: GroupComparison, group: string, caseGroup: string | null | undefined): string {
  const marks = [group === caseGroup ? "this case's group" : null, group === c.reference ? 'reference' : null].filter((x): x is string => x !== null);
  return group + (marks.length ? ` · ${marks.join(', ')}` : '');
}

/**
 * A grouping's groups compared with the reference, as blocks: a sentence per group, the small
 * multiples, the gaps in calibration and in error rates with their intervals, what the two can and
 * cannot both show, the drivers that differ, the small-group warnings and the methods. The panel's group
 * view and the audit report both show these blocks.
 */
export function groupComparisonBlocks(c: GroupComparison, options: ComparisonOptions = {}): Block[] {
  const caseGroup = options.caseGroup ?? null;
  const probabilities = c.scale === 'probability';
  const others = c.groups.filter((g) => g.group !== c.reference);
  const known = c.everyoneMetrics.n;
  const blocks: Block[] = [
    {
      kind: 'paragraph',
      text: `${integer(known)} cases with a known outcome (${c.outcomeColumn}), by ${c.column}: each group is compared with ${c.reference}, the reference group. Gaps are the group's figure minus ${c.reference}'s, with ${percent(c.confidence, 0)} intervals; * marks a gap whose interval excludes 0.`,
    },
    { kind: 'list', items: c.groups.map((g) => groupSentence(c, g)) },
  ];
  if (others.length) blocks.push({ kind: 'chart', chart: groupReliabilityChart(c, caseGroup), id: `chart-groups${options.id ? `-${options.id}` : ''}` });
  if (options.full) {
    const rows = [...c.groups.map((g) => [comparedRowName(c, g.group, caseGroup), g.metrics] as const), ['Everyone', c.everyoneMetrics] as const];
    blocks.push(...metricsTables(rows, c.scale, c.confidence, scoreText(c.threshold, c.scoreIsProbability, c.scoreUnit)));
  }
  const gapTable = (caption: string, columns: readonly (readonly [ComparedGap, string])[]): Block => ({
    kind: 'table',
    caption,
    columns: [{ title: 'Group' }, ...columns.map(([, title]) => ({ title, numeric: true }))],
    rows: others.map((g) => [
      comparedRowName(c, g.group, caseGroup),
      ...columns.map(([f]) => (g.gaps === null ? NONE : gapText(g.gaps[f], f === 'auc' ? 1 : 100, f === 'auc' ? 3 : 1))),
    ]),
  });
  if (others.length) {
    blocks.push(
      gapTable(
        `Calibration within groups: gaps to ${c.reference}${probabilities ? '' : ' (on the score\'s own scale only the outcome at equal scores and the AUC can be compared)'}`,
        CALIBRATION_GAPS.filter(([f]) => probabilities || f !== 'calibrationInTheLarge'),
      ),
      gapTable(`Balance of errors at the threshold (flagged at ${scoreText(c.threshold, c.scoreIsProbability, c.scoreUnit)} or more): gaps to ${c.reference} in percentage points`, ERROR_GAPS),
      { kind: 'paragraph', text: impossibilityNote(c) },
    );
  }
  if (c.absentFigures) blocks.push({ kind: 'paragraph', text: `Not computed: ${c.absentFigures}.`, tone: 'muted' });
  if (c.drivers) {
    const d = c.drivers;
    const said = groupDriverSentence(c, d);
    const digits = d.unit === 'percentage points' ? 1 : 2;
    const top = d.rows.slice(0, 8);
    blocks.push(
      ...(said ? [{ kind: 'paragraph', text: said } as Block] : [{ kind: 'paragraph', text: `No feature's part in the scores differs from ${c.reference}'s beyond what chance gives.`, tone: 'muted' } as Block]),
      {
        kind: 'table',
        caption: `What drives the scores, by group: the mean size of each feature's effect (${d.unit}); for the other groups, after the comma, the difference to ${c.reference} with its ${percent(c.confidence, 0)} interval`,
        columns: [{ title: 'Feature' }, ...c.groups.map((g) => ({ title: comparedRowName(c, g.group, caseGroup), numeric: true }))],
        rows: top.map((r) => [
          r.label,
          ...r.influence.map((v, k) => {
            if (v === null) return NONE;
            const e = r.differences[k];
            const size = fixedNumber(v, digits);
            return e === null ? size : `${size}, ${gapText(e, 1, digits)}`;
          }),
        ]),
      },
    );
    if (d.warning) blocks.push({ kind: 'paragraph', text: `Caution: ${d.warning}.`, tone: 'warning' });
  }
  const warnings = c.groups.flatMap((g) => g.metrics.warnings.map((w) => `${comparedName(c, g.group)}: ${w}.`));
  if (warnings.length) blocks.push({ kind: 'paragraph', text: 'What the figures stand on:', tone: 'warning' }, { kind: 'list', items: warnings });
  blocks.push({ kind: 'paragraph', text: `Method: ${c.method}.`, tone: 'muted' });
  return blocks;
}

/** What was scored, with the fingerprint that identifies it: the model's, or for a score read from the data the data's. */
function modelFact(p: Provenance, fingerprint: string): string {
  return p.scoreColumn !== undefined
    ? `the score in column "${p.scoreColumn}" of the data, no model (data ${fingerprint} ${shortHash(p.dataSha256)})`
    : `${modelTitle(p)} (${fingerprint} ${shortHash(p.modelSha256 ?? '')})`;
}

/** Where the score comes from, in full, for the provenance table. */
export function provenanceSourceFacts(p: Provenance): [string, string][] {
  if (p.scoreColumn !== undefined || p.modelFile === null || p.modelSha256 === null) {
    return [['Score audited', `column "${isolate(p.scoreColumn ?? '?')}" of the data file, a score already in use (no model file)`]];
  }
  return [
    ['Model', `${isolate(p.modelName)}${p.modelVersion ? ` (version ${isolate(p.modelVersion)})` : ''}, ${p.modelKind}`],
    ['Model file', isolate(p.modelFile)],
    ['Model SHA-256', p.modelSha256],
  ];
}

/** The provenance table of any document. */
export function provenanceBlock(p: Provenance): Block {
  return { kind: 'facts', rows: provenanceFacts(p) };
}

function provenanceFacts(p: Provenance): [string, string][] {
  return [
    ...(p.projectName ? ([['Project', isolate(p.projectName)]] as [string, string][]) : []),
    ...provenanceSourceFacts(p),
    ['Data file', isolate(p.dataFile)],
    ['Data SHA-256', p.dataSha256],
    ['Risk Review', `version ${p.extensionVersion}`],
    ['Methods', p.methods.join('; ')],
    ['Generated', timeText(p.generatedAt)],
  ];
}

function technicalDocument(summary: CaseSummary, drivers: number): SummaryDocument {
  const h = summary.header;
  const p = summary.provenance;
  const d = summary.decision;
  const facts: [string, string][] = [
    [caseLabel(summary), isolate(h.caseId)],
    ['Score', h.scoreIsProbability ? `${percent(h.score)} estimated risk; band: ${h.band}` : `${scoreText(h.score, false, h.scoreUnit)}; band: ${h.band}`],
    ['Threshold', thresholdSentence(h)],
    ['Known outcome', outcomeText(h)],
    ['Group', summary.redacted ? 'withheld from this copy' : groupsText(h)],
    ["Reviewer's decision", d ? (d.verdict === 'agree' ? 'agreed with the score' : `disagreed with the score${d.assignedBand ? `; would assign ${d.assignedBand}` : ''}`) : 'not recorded'],
    ['Model', modelFact(p, 'SHA-256')],
  ];
  const blocks: Block[] = [
    { kind: 'facts', rows: facts },
    { kind: 'heading', text: 'What drove the score' },
    ...attributionBlocks(summary, drivers),
    ...sensitivityBlocks(summary),
    { kind: 'heading', text: 'A simple rule that imitates the model' },
    ...surrogateBlocks(summary),
    { kind: 'heading', text: 'Is the score calibrated for people like this?' },
    ...calibrationBlocks(summary),
    { kind: 'heading', text: 'What-if scenarios kept by the reviewer' },
    summary.whatIfs.length
      ? { kind: 'list', items: summary.whatIfs.map((w) => whatIfSentence(w, h) + (w.note ? ` Note: ${w.note}` : '')) }
      : { kind: 'paragraph', text: 'None kept.', tone: 'muted' },
    { kind: 'heading', text: "Reviewer's decision" },
    ...(d
      ? ([
          { kind: 'paragraph', text: decisionSentence(d) },
          {
            kind: 'facts',
            rows: [
              ['Verdict', d.verdict === 'agree' ? 'agrees with the score' : 'disagrees with the score'],
              ...(d.assignedBand ? [['Band the reviewer would assign', d.assignedBand] as [string, string]] : []),
              ['Reason', d.reason || '—'],
              ['Notes', d.notes || '—'],
              ['Reviewer', d.reviewer ?? '—'],
              ['Recorded', timeText(d.time)],
              ['Decided blind', blindText(d)],
            ],
          },
        ] as Block[])
      : [{ kind: 'paragraph', text: 'No decision recorded.', tone: 'muted' } as Block]),
    { kind: 'heading', text: 'How to read this' },
    { kind: 'list', items: howToRead(summary) },
    { kind: 'heading', text: 'Provenance' },
    provenanceBlock(summary.provenance),
  ];
  return {
    title: `Case summary: ${isolate(h.caseId)}`,
    subtitle: `Risk review of one case · ${isolate(reviewTitle(p))}${summary.redacted ? ' · redacted copy' : ''}`,
    footer: `Risk Review case summary · ${caseLabel(summary)} ${isolate(h.caseId)}`,
    blocks,
  };
}

function plainDocument(summary: CaseSummary, drivers: number, reviewerText: boolean): SummaryDocument {
  const h = summary.header;
  const p = summary.provenance;
  const blocks: Block[] = [...plainLanguageIntro(h).map((text): Block => ({ kind: 'paragraph', text }))];
  if (summary.attribution) {
    const scale = effectScale(summary.attribution, h);
    blocks.push({ kind: 'heading', text: 'What mattered most' }, { kind: 'list', items: rankedRows(summary.attribution, scale).slice(0, drivers).map((r) => plainDriverSentence(r, scale)) });
  }
  if (summary.calibration && h.scoreIsProbability) {
    const c = summary.calibration;
    blocks.push({ kind: 'heading', text: 'Has the score been right before?' }, { kind: 'paragraph', text: 'We checked the model against past cases.' }, { kind: 'paragraph', text: plainCalibrationSentence(c, null) });
    for (const g of c.groups) blocks.push({ kind: 'paragraph', text: plainCalibrationSentence(c, g) });
  }
  blocks.push(...plainSensitivityBlocks(summary.sensitivity, h));
  blocks.push({ kind: 'heading', text: 'What the score is not' }, { kind: 'list', items: plainLanguageIsNot() });
  blocks.push({ kind: 'heading', text: 'Review by a person' }, ...plainDecisionSentences(summary.decision, reviewerText).map((text): Block => ({ kind: 'paragraph', text })));
  blocks.push(
    { kind: 'heading', text: 'About this letter' },
    {
      kind: 'facts',
      rows: [
        [caseLabel(summary), isolate(h.caseId)],
        ...(summary.redacted ? [] : ([['Group', groupsText(h)]] as [string, string][])),
        ['Model', p.scoreColumn !== undefined ? modelFact(p, 'fingerprint') : `${reviewTitle(p)} (fingerprint ${shortHash(p.modelSha256 ?? '')})`],
        ['Made by', `Risk Review ${p.extensionVersion}`],
        ['Date', timeText(p.generatedAt)],
      ],
    },
  );
  return {
    title: `About the risk score for ${summary.redacted ? 'reference' : 'case'} ${isolate(h.caseId)}`,
    subtitle: 'A short explanation in plain words',
    footer: `Risk Review · ${caseLabel(summary)} ${isolate(h.caseId)}`,
    blocks,
  };
}

/** The document for a summary: the full technical one, or the plain-language letter. */
export function summaryDocument(summary: CaseSummary, options: ContentOptions = {}): SummaryDocument {
  const drivers = options.drivers ?? 3;
  return options.plainLanguage ? plainDocument(summary, drivers, options.reviewerText === true) : technicalDocument(summary, drivers);
}
