/**
 * What a case summary document says, as a list of plain-text blocks (headings, paragraphs, lists,
 * key–value facts, tables, charts). The Markdown, HTML and PDF renderers only lay these blocks out, so
 * the three formats say the same things in the same order; no block holds markup, and every renderer
 * escapes every string it writes.
 */
import { reliabilityChart, shortCondition, treeChart, waterfallChart, type Chart } from './charts';
import { domainTable } from './domains';
import { effectScale, rankedRows, type EffectScale } from './drivers';
import { fixedNumber, integer, percent, plainNumber, scoreText, shortHash, signed } from './format';
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
  plainDecisionSentence,
  plainDriverSentence,
  plainLanguageIntro,
  plainLanguageIsNot,
  ruleSentence,
  thresholdSentence,
  timeText,
  whatIfSentence,
} from './sentences';
import type { CalibrationMetrics, CalibrationSection, CaseHeader, CaseSummary, Estimate, GroupCalibration, Provenance, RateWithInterval, ReliabilityCurve, SectionName } from './types';

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
        return [String(k), n.condition ? shortCondition(n.condition) : 'All cases', scoreText(n.value, h.scoreIsProbability), integer(n.n)];
      }),
    },
    { kind: 'paragraph', text: [`Method: ${s.method}.`, ...s.notes].join(' '), tone: 'muted' },
  ];
}

function intervalText(interval: readonly [number, number]): string {
  return `${percent(interval[0])}–${percent(interval[1])}`;
}

function binRows(who: string, curve: ReliabilityCurve): string[][] {
  return curve.bins.map((b) => [who, `${percent(b.lower, 0)}–${percent(b.upper, 0)}`, integer(b.n), percent(b.meanScore), percent(b.observedRate), intervalText(b.interval)]);
}

/** A figure the engine could not give shows as a dash; the warnings say why. */
const NONE = '–';

function figureText(v: number | null, digits = 3): string {
  return v === null ? NONE : plainNumber(v, digits);
}

/** "0.835 (0.812–0.857)", all to the same decimals; "-0.03 (-0.18 to 0.12)" when an end is negative, where a dash would read as a minus. */
function estimateText(e: Estimate | null, digits = 3): string {
  if (e === null) return NONE;
  const value = fixedNumber(e.value, digits);
  if (e.interval === null) return value;
  const [low, high] = e.interval;
  return `${value} (${fixedNumber(low, digits)}${low < 0 || high < 0 ? ' to ' : '–'}${fixedNumber(high, digits)})`;
}

function rateText(r: RateWithInterval | null): string {
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
  const rows = metricsRows(c);
  const who: Column = { title: 'Who' };
  const numeric = (...titles: string[]): Column[] => [who, ...titles.map((title) => ({ title, numeric: true }))];
  const brackets = `${percent(c.confidence, 0)} intervals in brackets`;
  return [
    {
      kind: 'table',
      caption: `Calibration by group, ${brackets} (Brier score and ECE: 0 is perfect)`,
      columns: numeric('Cases', 'Outcome rate', 'Brier', 'ECE', 'Score − outcome (points)'),
      rows: rows.map(([name, m]) => [
        name,
        integer(m.n),
        m.n ? percent(m.positives / m.n) : NONE,
        estimateText(m.brier),
        figureText(m.ece),
        m.calibrationInTheLarge === null ? NONE : signed(m.calibrationInTheLarge * 100),
      ]),
    },
    {
      kind: 'table',
      caption: `Discrimination and recalibration by group, ${brackets} (AUC: 0.5 is chance, 1 is perfect; slope 1 and intercept 0 are perfect)`,
      columns: numeric('AUC', 'Slope', 'Intercept'),
      rows: rows.map(([name, m]) => [name, estimateText(m.auc), estimateText(m.calibrationSlope, 2), estimateText(m.calibrationIntercept, 2)]),
    },
    {
      kind: 'table',
      caption: `Errors at the threshold (flagged at ${scoreText(header.threshold, header.scoreIsProbability)} or more), with ${percent(c.confidence, 0)} intervals`,
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
    rows: [...c.groups.flatMap((g) => binRows(groupName(g), g.curve)), ...binRows('Everyone', c.everyone)],
  });
  blocks.push(...calibrationMetricsTables(c, summary.header));
  const warnings = calibrationMetricsWarnings(c);
  if (warnings.length) blocks.push({ kind: 'paragraph', text: 'What the figures stand on:', tone: 'warning' }, { kind: 'list', items: warnings });
  blocks.push({ kind: 'paragraph', text: `Method: ${c.method}. Outcome column: ${c.outcomeColumn}.`, tone: 'muted' });
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
    return [['Score audited', `column "${p.scoreColumn ?? '?'}" of the data file, a score already in use (no model file)`]];
  }
  return [
    ['Model', `${p.modelName}${p.modelVersion ? ` (version ${p.modelVersion})` : ''}, ${p.modelKind}`],
    ['Model file', p.modelFile],
    ['Model SHA-256', p.modelSha256],
  ];
}

function provenanceFacts(summary: CaseSummary): [string, string][] {
  const p = summary.provenance;
  return [
    ...(p.projectName ? ([['Project', p.projectName]] as [string, string][]) : []),
    ...provenanceSourceFacts(p),
    ['Data file', p.dataFile],
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
    [caseLabel(summary), h.caseId],
    ['Score', h.scoreIsProbability ? `${percent(h.score)} estimated risk; band: ${h.band}` : `${scoreText(h.score, false)}; band: ${h.band}`],
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
          { kind: 'facts', rows: [['Verdict', d.verdict === 'agree' ? 'agrees with the score' : 'disagrees with the score'], ...(d.assignedBand ? [['Band the reviewer would assign', d.assignedBand] as [string, string]] : []), ['Reason', d.reason || '—'], ['Notes', d.notes || '—'], ['Reviewer', d.reviewer ?? '—'], ['Recorded', timeText(d.time)]] },
        ] as Block[])
      : [{ kind: 'paragraph', text: 'No decision recorded.', tone: 'muted' } as Block]),
    { kind: 'heading', text: 'How to read this' },
    { kind: 'list', items: howToRead(summary) },
    { kind: 'heading', text: 'Provenance' },
    { kind: 'facts', rows: provenanceFacts(summary) },
  ];
  return {
    title: `Case summary: ${h.caseId}`,
    subtitle: `Risk review of one case · ${reviewTitle(p)}${summary.redacted ? ' · redacted copy' : ''}`,
    footer: `Risk Review case summary · ${caseLabel(summary)} ${h.caseId}`,
    blocks,
  };
}

function plainDocument(summary: CaseSummary, drivers: number): SummaryDocument {
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
  if (summary.decision) {
    blocks.push({ kind: 'heading', text: 'What the reviewer decided' }, { kind: 'paragraph', text: plainDecisionSentence(summary.decision) });
  }
  blocks.push(
    { kind: 'heading', text: 'About this letter' },
    {
      kind: 'facts',
      rows: [
        [caseLabel(summary), h.caseId],
        ...(summary.redacted ? [] : ([['Group', groupsText(h)]] as [string, string][])),
        ['Model', p.scoreColumn !== undefined ? modelFact(p, 'fingerprint') : `${reviewTitle(p)} (fingerprint ${shortHash(p.modelSha256 ?? '')})`],
        ['Made by', `Risk Review ${p.extensionVersion}`],
        ['Date', timeText(p.generatedAt)],
      ],
    },
  );
  return {
    title: `About the risk score for ${summary.redacted ? 'reference' : 'case'} ${h.caseId}`,
    subtitle: 'A short explanation in plain words',
    footer: `Risk Review · ${caseLabel(summary)} ${h.caseId}`,
    blocks,
  };
}

/** The document for a summary: the full technical one, or the plain-language letter. */
export function summaryDocument(summary: CaseSummary, options: ContentOptions = {}): SummaryDocument {
  const drivers = options.drivers ?? 3;
  return options.plainLanguage ? plainDocument(summary, drivers) : technicalDocument(summary, drivers);
}
