/**
 * The extension host's engine worker (extension/host/worker.ts), run as the host runs it — a worker
 * thread driven through `EngineClient` — on the bundled sample: the case list's scores equal XGBoost's
 * own predictions (test/fixtures/sample/xgboost-predict.csv), a case summary equals the one the engine
 * builds in-process, a what-if equals scoring and explaining the changed row directly, exports land
 * whole, long work is cancelled, and bad input comes back as an `InputError` naming its place.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isInputError } from '../../extension/engine/errors';
import { explainCase } from '../../extension/engine/explain/index';
import { bandOf, marginOf, scoreOf } from '../../extension/engine/models/score';
import { readProject } from '../../extension/engine/project';
import { buildCaseSummary, prepareAnalyses } from '../../extension/engine/report/index';
import { computedModel, openReview, type Review } from '../../extension/engine/review';
import { BLIND_REASON } from '../../extension/engine/report/blind';
import { CancelledError, EngineClient } from '../../extension/host/engineClient';
import type { OpenedReview } from '../../extension/host/engineProtocol';

const ROOT = join(__dirname, '..', '..');
const SAMPLE = join(ROOT, 'samples', 'juvenile');
const PROJECT = join(SAMPLE, 'juvenile.riskreview.json');
const WORKER = { file: join(ROOT, 'extension', 'host', 'worker.ts'), execArgv: ['--require', 'tsx/cjs'] };

let client: EngineClient;
let opened: OpenedReview;
let review: Review;
const lost: string[] = [];
const stages: string[] = [];

before(async () => {
  client = new EngineClient(WORKER, (why) => lost.push(why));
  opened = await client.request('open', { source: { kind: 'project', file: PROJECT }, options: {} }, { onProgress: (_d, _t, message) => message && stages.push(message) });
  review = openReview(readProject(PROJECT));
});
after(() => client.dispose());

function csvRows(file: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const names = header.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, j) => [names[j], v])));
}

test('the case list: every score equals XGBoost\'s prediction; bands, outcomes, groups and orders follow', () => {
  const oracle = csvRows(join(ROOT, 'test', 'fixtures', 'sample', 'xgboost-predict.csv'));
  const cases = csvRows(join(SAMPLE, 'cases.csv'));
  assert.equal(opened.n, oracle.length);
  assert.deepEqual(opened.bands, ['Low', 'Moderate', 'High']);
  let worst = 0;
  oracle.forEach((row, i) => {
    assert.equal(opened.ids[i], row.case_id);
    const p = Number(row.probability);
    worst = Math.max(worst, Math.abs(opened.score[i] - p));
    assert.equal(opened.bands[opened.band[i]], opened.score[i] < 0.25 ? 'Low' : opened.score[i] < 0.5 ? 'Moderate' : 'High');
    assert.equal(opened.outcome![i], Number(cases[i].reoffended_2y));
    assert.equal(opened.groups[0].labels[opened.groups[0].codes[i]], cases[i].sex);
    assert.equal(opened.groups[1].labels[opened.groups[1].codes[i]], cases[i].race_ethnicity);
  });
  assert.ok(worst < 1e-6, `largest difference from XGBoost ${worst}`);
  for (let k = 1; k < opened.n; k++) assert.ok(opened.score[opened.byScore[k - 1]] >= opened.score[opened.byScore[k]]);
  assert.equal(new Set(opened.byId).size, opened.n);
  assert.equal(opened.modelSha256, review.modelSha256);
  assert.deepEqual(stages, ['reading the model and the case file', 'scoring 3,500 cases', 'fitting the surrogate rule and checking calibration', 'ordering the case list']);
  assert.equal(opened.dataSha256, review.dataSha256);
  // The what-if editor's ranges are the ranges in the file.
  for (const f of opened.fields) {
    const values = cases.map((c) => c[f.name]).filter((v) => v !== '').map(Number);
    assert.equal(f.min, Math.min(...values), f.name);
    assert.equal(f.max, Math.max(...values), f.name);
    assert.equal(f.acceptsMissing, true, 'XGBoost scores missing values');
  }
});

test('a case: the same summary the engine builds in-process, and the case\'s own values', async () => {
  const analyses = prepareAnalyses(review);
  const cases = csvRows(join(SAMPLE, 'cases.csv'));
  const decision = { verdict: 'disagree' as const, reason: 'r', notes: 'n', reviewer: 'ana', time: '2026-01-01T00:00:00.000Z' };
  for (const i of [0, 41, opened.n - 1]) {
    const view = await client.request('case', { index: i, extras: { decision } });
    const local = buildCaseSummary(review, analyses, i, { generatedAt: view.summary.provenance.generatedAt, extensionVersion: view.summary.provenance.extensionVersion, decision });
    assert.deepEqual(view.summary, local);
    for (const f of opened.fields) assert.equal(view.values[f.name], cases[i][f.name] === '' ? null : Number(cases[i][f.name]));
  }
});

test('blind review: the same summary without the known outcome and the calibration section, which says why', async () => {
  const decision = { verdict: 'agree' as const, reason: '', notes: '', reviewer: 'ana', time: '2026-01-01T00:00:00.000Z' };
  const seen = await client.request('case', { index: 41, extras: { decision } });
  const blind = await client.request('case', { index: 41, extras: { decision }, blind: true });
  assert.equal(blind.summary.header.outcome, 'hidden');
  assert.notEqual(seen.summary.header.outcome, 'hidden');
  assert.equal(blind.summary.calibration, null);
  assert.ok(seen.summary.calibration);
  assert.deepEqual(blind.summary.unavailable, [{ section: 'calibration', reason: BLIND_REASON }]);
  assert.doesNotMatch(JSON.stringify(blind.summary), /reoffended_2y = [01]|observedRate/, 'nothing computed from the outcomes reaches the panel');
  const same = (v: typeof seen) => ({ ...v.summary, header: { ...v.summary.header, outcome: null }, calibration: null, unavailable: [], provenance: { ...v.summary.provenance, generatedAt: '' } });
  assert.deepEqual(same(blind), same(seen));
  assert.deepEqual(blind.values, seen.values);
});

test('the decisions view\'s overview is the CLI\'s: the same figures from the same log', async () => {
  const fixture = join(ROOT, 'test', 'fixtures', 'decisions');
  const o = await client.request('decisions', { logFile: join(fixture, 'reviews.jsonl') });
  const expected = JSON.parse(readFileSync(join(fixture, 'expected.json'), 'utf8'));
  assert.equal(o.rows.length, expected.projects.juvenile.rows);
  assert.equal(o.everyone.overrideUp.count, expected.projects.juvenile.everyone.overrideUp.count);
  assert.ok(Math.abs(o.byGroup[1].rows[1].gaps!.overrideUp!.ciLow - expected.projects.juvenile.byGroup[1].rows[1].gaps.overrideUp.ciLow) < 1e-12);
  assert.equal(o.verification.head, expected.head);
  const none = await client.request('decisions', { logFile: join(tmpdir(), 'no-such-log', 'reviews.jsonl') });
  assert.deepEqual([none.rows.length, none.entries, none.verification.intact], [0, 0, true], 'no log yet: no decision');
});

test('the surrogate\'s leaf budget (riskReview.maxLeaves) reaches the summary', async () => {
  const leaves = (nodes: readonly { children: readonly number[] }[]) => nodes.filter((n) => n.children.length === 0).length;
  const byDefault = (await client.request('case', { index: 0, extras: {} })).summary.surrogate!;
  const c = new EngineClient(WORKER);
  try {
    await c.request('open', { source: { kind: 'project', file: PROJECT }, options: { maxLeaves: 3 } });
    const small = (await c.request('case', { index: 0, extras: {} })).summary.surrogate!;
    assert.ok(leaves(small.nodes) <= 3 && leaves(small.nodes) >= 2, `${leaves(small.nodes)} leaves`);
    assert.ok(leaves(byDefault.nodes) > 3, `${leaves(byDefault.nodes)} leaves by default`);
  } finally {
    await c.dispose();
  }
});

test('untrusted: a project naming a file outside its folder is refused by the worker; the sample, whose files are beside it, opens', async () => {
  const d = mkdtempSync(join(tmpdir(), 'rr-untrusted-'));
  const outside = join(d, 'outside.riskreview.json');
  writeFileSync(outside, JSON.stringify({ model: join(SAMPLE, 'xgboost.json'), data: join(SAMPLE, 'cases.csv'), idColumn: 'case_id' }));
  const c = new EngineClient(WORKER);
  try {
    await assert.rejects(c.request('open', { source: { kind: 'project', file: outside }, options: { untrusted: true } }), (e: unknown) => isInputError(e) && /names a model outside the project's folder/.test((e as Error).message));
    assert.equal((await c.request('open', { source: { kind: 'project', file: outside }, options: {} })).n, opened.n, 'trusted, it opens');
    assert.equal((await c.request('open', { source: { kind: 'project', file: PROJECT }, options: { untrusted: true } })).n, opened.n);
  } finally {
    await c.dispose();
  }
});

test('a what-if equals scoring and explaining the changed row directly', async () => {
  const i = 7;
  const m = review.model.features.length;
  const own = await client.request('case', { index: i, extras: {} });
  const same = await client.request('whatIf', { index: i, values: own.values });
  assert.equal(same.score, own.summary.header.score);
  assert.deepEqual(same.attribution, own.summary.attribution);

  const change = { prior_referrals: 9, school_disengagement: null };
  const r = await client.request('whatIf', { index: i, values: change });
  const row = review.cases.x.slice(i * m, (i + 1) * m);
  row[review.model.features.findIndex((f) => f.name === 'prior_referrals')] = 9;
  row[review.model.features.findIndex((f) => f.name === 'school_disengagement')] = NaN;
  const margin = marginOf(computedModel(review, 'the test'), row, 0);
  assert.equal(r.margin, margin);
  assert.equal(r.score, scoreOf(review.model, margin));
  assert.equal(r.band, bandOf(review.bands, r.score));
  const direct = explainCase(prepareAnalyses(review).explainer!, { n: 1, x: row, ids: [review.cases.ids[i]] }, 0);
  assert.deepEqual(r.attribution!.rows.map((x) => x.contribution), Array.from(direct.contributions));
  const sum = r.attribution!.rows.reduce((t, x) => t + x.contribution, 0);
  assert.ok(Math.abs(r.attribution!.baseValue + sum - margin) < 1e-9);
  assert.equal(r.attribution!.rows.find((x) => x.feature === 'school_disengagement')!.valueText, 'missing');
});

test('a what-if the model cannot take is an InputError in words', async () => {
  await assert.rejects(client.request('whatIf', { index: 0, values: { no_such_feature: 1 } }), (e) => isInputError(e) && /no feature "no_such_feature"/.test(e.message));
  const logistic = new EngineClient(WORKER);
  try {
    await logistic.request('open', { source: { kind: 'project', file: join(SAMPLE, 'juvenile-logistic.riskreview.json') }, options: {} });
    const opened = await logistic.request('case', { index: 0, extras: {} });
    assert.ok(opened.summary.attribution);
    await assert.rejects(logistic.request('whatIf', { index: 0, values: { prior_referrals: null } }), (e) => isInputError(e) && /missing|prior/i.test(e.message));
  } finally {
    await logistic.dispose();
  }
});

test('categorical what-if values are category indexes, checked against the model', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rr-cat-'));
  writeFileSync(
    join(dir, 'm.riskmodel.json'),
    JSON.stringify({
      kind: 'scorecard',
      name: 'loans',
      items: [{ feature: 'housing', label: 'Housing', categories: { Own: 0, Mortgage: 1, Rent: 3 }, missingPoints: 4 }],
      bands: [{ label: 'Accept', below: 3 }, { label: 'Decline' }],
    }),
  );
  writeFileSync(join(dir, 'c.csv'), 'id,housing\na,Own\nb,Rent\nc,\n');
  const c = new EngineClient(WORKER);
  try {
    const o = await c.request('open', { source: { kind: 'files', model: join(dir, 'm.riskmodel.json'), data: join(dir, 'c.csv'), idColumn: 'id', groupColumns: [] }, options: {} });
    assert.deepEqual(Array.from(o.score), [0, 3, 4]);
    assert.deepEqual(o.fields[0].categories, ['Own', 'Mortgage', 'Rent']);
    const rent = o.fields[0].categories!.indexOf('Rent');
    assert.equal((await c.request('whatIf', { index: 0, values: { housing: rent } })).score, 3);
    assert.equal((await c.request('whatIf', { index: 0, values: { housing: null } })).score, 4);
    await assert.rejects(c.request('whatIf', { index: 0, values: { housing: 7 } }), (e) => isInputError(e) && /not a category/.test(e.message));
    await assert.rejects(c.request('whatIf', { index: 0, values: { housing: 0.5 } }), isInputError);
  } finally {
    await c.dispose();
  }
});

test('values outside the background data come back with the opened review, as the CLI words them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rr-far-'));
  writeFileSync(join(dir, 'm.riskmodel.json'), JSON.stringify({ kind: 'logistic', intercept: 0, coefficients: { priors: 0.3 } }));
  writeFileSync(join(dir, 'background.csv'), 'priors\n0\n3\n');
  writeFileSync(join(dir, 'c.csv'), 'id,priors\na,1\nb,9\n');
  writeFileSync(join(dir, 'p.riskreview.json'), JSON.stringify({ model: 'm.riskmodel.json', data: 'c.csv', background: 'background.csv', idColumn: 'id' }));
  const c = new EngineClient(WORKER);
  try {
    const o = await c.request('open', { source: { kind: 'project', file: join(dir, 'p.riskreview.json') }, options: {} });
    assert.equal(o.warnings.length, 1);
    assert.match(o.warnings[0], /c\.csv, line 3, column "priors", case "b": 9 is above the range of "priors" in the background data \(0 to 3/);
    assert.deepEqual(opened.warnings, []);
  } finally {
    await c.dispose();
  }
});

test('exports: one file, a batch with planned names, and a cancelled batch leaves only whole files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rr-export-'));
  const file = join(dir, 'one.md');
  const one = await client.request('export', { indices: [3], extras: {}, format: 'md', plainLanguage: false, target: { kind: 'file', file } });
  assert.deepEqual(one, { written: [file], cancelled: false });
  assert.match(readFileSync(file, 'utf8'), new RegExp(opened.ids[3]));

  const indices = [0, 1, 2];
  const plan = await client.request('planBatch', { indices, format: 'html', dir });
  assert.deepEqual(plan, { names: indices.map((i) => `case-${opened.ids[i]}.html`), existing: [] });
  writeFileSync(join(dir, plan.names[1]), 'old');
  assert.deepEqual((await client.request('planBatch', { indices, format: 'html', dir })).existing, [plan.names[1]]);
  const progress: number[] = [];
  const batch = await client.request('export', { indices, extras: {}, format: 'html', plainLanguage: true, redact: undefined, target: { kind: 'folder', dir, names: plan.names } }, { onProgress: (d) => progress.push(d) });
  assert.equal(batch.written.length, 3);
  assert.equal(progress[progress.length - 1], 3);
  assert.notEqual(readFileSync(join(dir, plan.names[1]), 'utf8'), 'old');

  const redacted = await client.request('planBatch', { indices, format: 'md', redactPrefix: 'REF', dir });
  assert.deepEqual(redacted.names, ['REF-001.md', 'REF-002.md', 'REF-003.md']);

  const many = Array.from({ length: 400 }, (_, k) => k);
  const out = join(dir, 'many');
  const names = (await client.request('planBatch', { indices: many, format: 'html', dir: out })).names;
  await import('node:fs').then((fs) => fs.mkdirSync(out));
  const abort = new AbortController();
  const cancelled = await client.request('export', { indices: many, extras: {}, format: 'html', plainLanguage: false, target: { kind: 'folder', dir: out, names } }, { signal: abort.signal, onProgress: () => abort.abort() });
  assert.equal(cancelled.cancelled, true);
  assert.ok(cancelled.written.length < many.length, `${cancelled.written.length} written`);
  const files = readdirSync(out);
  assert.equal(files.length, cancelled.written.length, 'no temporary or half-written files');
  for (const f of files) assert.match(readFileSync(join(out, f), 'utf8'), /<\/html>\s*$/);
  // The worker and its review are still there after a cancelled export.
  assert.equal((await client.request('case', { index: 0, extras: {} })).summary.header.caseId, opened.ids[0]);
});

test('cancelling an open ends the worker; the next request starts a fresh one', async () => {
  const seen: string[] = [];
  const c = new EngineClient(WORKER, (why) => seen.push(why));
  try {
    const abort = new AbortController();
    const pending = c.request('open', { source: { kind: 'project', file: PROJECT }, options: {} }, { signal: abort.signal });
    setTimeout(() => abort.abort(), 20);
    await assert.rejects(pending, CancelledError);
    assert.equal(seen.length, 1);
    assert.equal(c.running, false);
    await assert.rejects(c.request('case', { index: 0, extras: {} }), /no review is open/);
    assert.deepEqual(await c.request('csvHeader', { file: join(SAMPLE, 'cases.csv') }), readFileSync(join(SAMPLE, 'cases.csv'), 'utf8').split('\n')[0].split(','));
  } finally {
    await c.dispose();
  }
});

test('bad input comes back as an InputError naming the file; a bad index as an error', async () => {
  const c = new EngineClient(WORKER);
  const dir = mkdtempSync(join(tmpdir(), 'rr-bad-'));
  try {
    const missing = join(dir, 'nope.riskreview.json');
    await assert.rejects(c.request('open', { source: { kind: 'project', file: missing }, options: {} }), (e) => isInputError(e) && e.message.includes(missing));
    await assert.rejects(
      c.request('open', { source: { kind: 'files', model: join(SAMPLE, 'xgboost.json'), data: join(SAMPLE, 'cases.csv'), idColumn: 'no_id', groupColumns: [] }, options: {} }),
      (e) => isInputError(e) && /no column "no_id"/.test(e.message),
    );
    writeFileSync(join(dir, 'empty.csv'), '');
    await assert.rejects(c.request('csvHeader', { file: join(dir, 'empty.csv') }), isInputError);
    await c.request('open', { source: { kind: 'project', file: PROJECT }, options: {} });
    await assert.rejects(c.request('case', { index: 1e9, extras: {} }), /out of range/);
    assert.ok(!existsSync(join(dir, 'nothing-written')));
  } finally {
    await c.dispose();
  }
  assert.deepEqual(lost, [], 'the shared worker never stopped');
});
