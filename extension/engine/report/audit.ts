/**
 * The audit report of a whole instrument: what was audited, how often the outcome happened and how well
 * the score did for everyone, each grouping's groups compared (the panel's group view, at full length),
 * the simple rules that imitate the score, the methods and the provenance — as one `SummaryDocument`, so
 * the Markdown, HTML and PDF renderers of the case summaries print it.
 */
import { comparedName, impossibilityNote } from './group-sentences';
import { groupComparisonBlocks, provenanceBlock, type Block, type SummaryDocument } from './content';
import { count, integer, percent, pointsSize, scoreText, shortHash, wordList } from './format';
import { conditionText, fidelitySentence, timeText } from './sentences';
import type { AuditSummary, Condition, GroupComparison, SurrogateTree } from './types';

/** The leaves of a surrogate tree as "if … then" rules: the conditions on the way, the rule's score, the cases. */
export function surrogateRules(tree: Pick<SurrogateTree, 'nodes'>): { readonly conditions: readonly Condition[]; readonly value: number; readonly n: number }[] {
  const rules: { conditions: Condition[]; value: number; n: number }[] = [];
  const walk = (id: number, path: Condition[]) => {
    const node = tree.nodes[id];
    const here = node.condition ? [...path, node.condition] : path;
    if (node.children.length === 0) rules.push({ conditions: here, value: node.value, n: node.n });
    else for (const child of node.children) walk(child, here);
  };
  if (tree.nodes.length) walk(0, []);
  return rules;
}

/** A finding worth a supervisor's attention: any group whose calibration or error-rate gap stands out. */
function findings(c: GroupComparison): string[] {
  return c.groups.flatMap((g) => {
    const who = comparedName(c, g.group);
    const small = g.small ? ` (only ${count(g.metrics.n, 'case')})` : '';
    const out: string[] = [];
    const citl = g.metrics.calibrationInTheLarge;
    if (c.scale === 'probability' && citl?.interval && (citl.interval[0] > 0 || citl.interval[1] < 0)) {
      out.push(`the scores ${citl.value > 0 ? 'overstate' : 'understate'} what happened for ${who} by ${pointsSize(citl.value)} percentage points on average${small}`);
    }
    const eq = g.gaps?.outcomeAtEqualScore;
    if (eq?.standsOut) out.push(`at the same score the outcome happened ${eq.value > 0 ? 'more' : 'less'} often for ${who} than for ${c.reference} (by ${pointsSize(eq.value)} percentage points)${small}`);
    for (const [f, name] of [['fpr', 'false positive rate'], ['fnr', 'false negative rate']] as const) {
      const e = g.gaps?.[f];
      if (e?.standsOut) out.push(`${who}'s ${name} is ${pointsSize(e.value)} percentage points ${e.value > 0 ? 'higher' : 'lower'} than ${c.reference}'s${small}`);
    }
    return out;
  });
}

function rulesBlocks(tree: SurrogateTree, shown: Pick<AuditSummary, 'scoreIsProbability' | 'scoreUnit'>): Block[] {
  const rules = surrogateRules(tree);
  return [
    { kind: 'paragraph', text: `A decision tree of ${count(rules.length, 'rule')} was fitted to imitate the score from the cases' answers. Where it imitates the score well, these rules say in a few lines what the score mostly rests on; where it does not, the score is more complicated than any such rule.` },
    { kind: 'list', items: tree.fidelity.map(fidelitySentence) },
    {
      kind: 'table',
      caption: 'Every rule: if a case meets all the conditions, the rule gives this score',
      columns: [{ title: 'If' }, { title: 'Score', numeric: true }, { title: 'Cases', numeric: true }],
      rows: rules.map((r) => [r.conditions.length ? wordList(r.conditions.map(conditionText), 'and') : 'Every case', scoreText(r.value, shown.scoreIsProbability, shown.scoreUnit), integer(r.n)]),
    },
    { kind: 'paragraph', text: [`Method: ${tree.method}.`, ...tree.notes].join(' '), tone: 'muted' },
  ];
}

const MODEL_KINDS: Readonly<Record<AuditSummary['provenance']['modelKind'], string>> = {
  xgboost: 'an XGBoost tree ensemble',
  lightgbm: 'a LightGBM tree ensemble',
  logistic: 'a logistic regression',
  scorecard: 'an additive instrument',
  'score-column': 'a score read from the data',
};

/** The audit as a document. */
export function auditDocument(a: AuditSummary): SummaryDocument {
  const p = a.provenance;
  const title = p.projectName ?? (p.scoreColumn !== undefined ? `the score in "${p.scoreColumn}"` : p.modelName);
  const named = `${p.modelName}${p.modelVersion ? ` ${p.modelVersion}` : ''}`;
  const audited =
    p.scoreColumn !== undefined
      ? `a score already in use: column "${p.scoreColumn}" of ${p.dataFile} (no model)`
      : `${named} (${MODEL_KINDS[p.modelKind]}${p.modelFile && p.modelFile !== named ? `, file ${p.modelFile}` : ''}, SHA-256 ${shortHash(p.modelSha256 ?? '')})`;
  const known = a.everyone?.n ?? 0;
  const blocks: Block[] = [
    {
      kind: 'facts',
      rows: [
        ['What was audited', audited],
        ['Cases', `${integer(a.cases)} in ${p.dataFile} (SHA-256 ${shortHash(p.dataSha256)}); ${integer(known)} with a known outcome${a.outcomeColumn ? ` (${a.outcomeColumn})` : ''}`],
        ['Outcome rate', a.everyone && known ? `${percent(a.everyone.positives / known)} of cases with a known outcome` : 'unknown: no outcome column'],
        ['Flagged', `at a score of ${scoreText(a.threshold, a.scoreIsProbability, a.scoreUnit)} or more`],
        ...(a.bands.length ? ([['Bands', a.bands.join('; ')]] as [string, string][]) : []),
        ['Compared', a.comparisons.length ? wordList(a.comparisons.map((c) => `by ${c.column} (against ${c.reference})`), 'and') : 'no groups'],
        ['Generated', `${timeText(p.generatedAt)} by Risk Review ${p.extensionVersion}`],
      ],
    },
    { kind: 'heading', text: 'Findings' },
  ];
  const found = a.comparisons.flatMap(findings);
  blocks.push(
    found.length
      ? { kind: 'list', items: found.map((f) => f.charAt(0).toUpperCase() + f.slice(1) + '.') }
      : { kind: 'paragraph', text: 'No group differs from its reference group beyond what chance gives, in calibration or in error rates at the threshold.' },
    { kind: 'paragraph', text: 'Each finding is a difference whose 95% interval excludes 0; the sections below give every figure with its interval, including the differences that do not stand out. Small groups give wide intervals: absence of a finding there is weak evidence.', tone: 'muted' },
  );
  if (a.comparisons.length) blocks.push({ kind: 'paragraph', text: impossibilityNote(a.comparisons[0]) });
  for (const u of a.unavailable) blocks.push({ kind: 'paragraph', text: `Not available: ${u}.`, tone: 'muted' });
  a.comparisons.forEach((c, k) => blocks.push({ kind: 'heading', text: `By ${c.column}` }, ...groupComparisonBlocks(c, { full: true, id: String(k) })));
  if (a.surrogate) blocks.push({ kind: 'heading', text: 'Rules that imitate the score' }, ...rulesBlocks(a.surrogate, a));
  blocks.push({ kind: 'heading', text: 'Provenance' }, provenanceBlock(p));
  return {
    title: `Audit of ${title}`,
    subtitle: `How the score performs for each group · ${integer(a.cases)} cases`,
    footer: `Risk Review audit · ${title}`,
    blocks,
  };
}
