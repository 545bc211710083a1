import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readProject, resolveSpec, UsageError } from '../../extension/engine/project';
import { openReview, scoreAll } from '../../extension/engine/review';
import { bandOf } from '../../extension/engine/models/score';
import { InputError } from '../../extension/engine/errors';

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'rr-project-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

const model = JSON.stringify({ kind: 'logistic', intercept: -1, coefficients: { priors: 0.5, age: -0.05 } });
const csv = 'id,priors,age,y,sex\nA,0,16,0,F\nB,4,14,1,M\nC,2,17,1,M\n';

test('a project resolves its paths against its own folder and carries its settings', () => {
  const d = dir({ 'm.riskmodel.json': model, 'cases.csv': csv, 'p.riskreview.json': JSON.stringify({ model: 'm.riskmodel.json', data: 'cases.csv', idColumn: 'id', outcomeColumn: 'y', groupColumns: ['sex'], threshold: 0.4, features: { priors: { label: 'Prior referrals' } } }) });
  const spec = readProject(join(d, 'p.riskreview.json'));
  assert.deepEqual(spec.source, { kind: 'model', modelFile: join(d, 'm.riskmodel.json'), modelFeatures: undefined });
  const review = openReview(spec);
  assert.equal(review.threshold, 0.4);
  assert.equal(review.model.features[0].label, 'Prior referrals');
  assert.deepEqual(review.bands.map((b) => b.label), ['Below threshold', 'At or above threshold']);
  const { margin, score } = scoreAll(review.model, review.cases);
  assert.ok(Math.abs(margin[1] - (-1 + 2 - 0.7)) < 1e-12);
  assert.ok(Math.abs(score[1] - 1 / (1 + Math.exp(-0.3))) < 1e-12);
  assert.equal(review.dataSha256.length, 64);
});

test('flags override the project; without a project the three inputs are required (usage error)', () => {
  const d = dir({ 'm.riskmodel.json': model, 'cases.csv': csv, 'p.riskreview.json': JSON.stringify({ model: 'm.riskmodel.json', data: 'cases.csv', idColumn: 'id', groupColumns: ['sex'] }) });
  const spec = resolveSpec({ project: join(d, 'p.riskreview.json'), outcome: 'y', threshold: 0.7 });
  assert.equal(spec.outcomeColumn, 'y');
  assert.equal(spec.threshold, 0.7);
  assert.throws(() => resolveSpec({ model: 'm.json' }), (e: unknown) => e instanceof UsageError && /--data, --id-column/.test(e.message));
});

test('a project that fails its schema names the file and the property', () => {
  const d = dir({ 'p.riskreview.json': JSON.stringify({ model: 'm.json', data: 'c.csv', idColumn: 'id', threshold: 'high' }), 'q.riskreview.json': JSON.stringify({ model: 'm.json', data: 'c.csv' }), 'r.riskreview.json': '{"model": "m.json",' });
  assert.throws(() => readProject(join(d, 'p.riskreview.json')), (e: unknown) => e instanceof InputError && /p\.riskreview\.json: is not a valid Risk Review project: "threshold" must be number/.test(e.message));
  assert.throws(() => readProject(join(d, 'q.riskreview.json')), (e: unknown) => e instanceof InputError && /needs the property "idColumn"/.test(e.message));
  assert.throws(() => readProject(join(d, 'r.riskreview.json')), (e: unknown) => e instanceof InputError && /r\.riskreview\.json.*is not valid JSON/.test(e.message));
  assert.throws(() => readProject(join(d, 'nope.riskreview.json')), (e: unknown) => e instanceof InputError && /nope\.riskreview\.json: file not found/.test(e.message));
});

test('a threshold outside (0, 1) for probabilities is refused', () => {
  const d = dir({ 'm.riskmodel.json': model, 'cases.csv': csv });
  const spec = resolveSpec({ model: join(d, 'm.riskmodel.json'), data: join(d, 'cases.csv'), idColumn: 'id', threshold: 3 });
  assert.throws(() => openReview(spec), (e: unknown) => e instanceof InputError && /threshold 3 is not a probability/.test(e.message));
});

test("an instrument's own bands on its total carry over to its probabilities", () => {
  const instrument = {
    kind: 'scorecard',
    items: [{ feature: 'priors', bins: [{ below: 1, points: 0 }, { below: 3, points: 4 }, { points: 8 }] }],
    bands: [{ label: 'Low', below: 4 }, { label: 'Moderate', below: 8 }, { label: 'High' }],
    probability: { method: 'logistic', intercept: -2, slope: 0.3 },
  };
  const d = dir({ 'i.riskmodel.json': JSON.stringify(instrument), 'cases.csv': 'id,priors\nA,0\nB,1\nC,2\nD,5\n' });
  const review = openReview(resolveSpec({ model: join(d, 'i.riskmodel.json'), data: join(d, 'cases.csv'), idColumn: 'id' }));
  const { margin, score } = scoreAll(review.model, review.cases);
  const byTotal = (t: number) => (t < 4 ? 'Low' : t < 8 ? 'Moderate' : 'High');
  for (let i = 0; i < review.cases.n; i++) assert.equal(bandOf(review.bands, score[i]), byTotal(margin[i]));
});

test('an instrument whose probability table flattens across band edges names its model file', () => {
  const flat = {
    kind: 'scorecard',
    items: [{ feature: 'priors', bins: [{ below: 1, points: 0 }, { points: 8 }] }],
    bands: [{ label: 'Low', below: 2 }, { label: 'Moderate', below: 4 }, { label: 'High' }],
    probability: { method: 'table', totals: [0, 1, 8], probabilities: [0.1, 0.3, 0.3] },
  };
  const d = dir({ 'flat.riskmodel.json': JSON.stringify(flat), 'cases.csv': 'id,priors\nA,0\n' });
  assert.throws(
    () => openReview(resolveSpec({ model: join(d, 'flat.riskmodel.json'), data: join(d, 'cases.csv'), idColumn: 'id' })),
    (e: unknown) => e instanceof InputError && e.message.startsWith(`${join(d, 'flat.riskmodel.json')}: the probability mapping is not strictly increasing`),
  );
});
