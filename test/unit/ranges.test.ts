import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openReview } from '../../extension/engine/review';
import { readProject, resolveSpec } from '../../extension/engine/project';
import { InputError } from '../../extension/engine/errors';

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'rr-ranges-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

const logistic = JSON.stringify({ kind: 'logistic', intercept: -1, coefficients: { priors: 0.5, age: -0.05 } });
const project = (extra: object = {}) => JSON.stringify({ model: 'm.riskmodel.json', data: 'cases.csv', idColumn: 'id', ...extra });

test('values outside the background range are warnings placed at the first such case, one per feature', () => {
  const d = dir({
    'm.riskmodel.json': logistic,
    'background.csv': 'priors,age\n0,14\n3,17\n1,15\n',
    'cases.csv': 'id,priors,age\nA,0,14\nB,2,12\nC,9,16\nD,1,20\nE,3,17\n',
    'p.riskreview.json': project({ background: 'background.csv' }),
  });
  const review = openReview(readProject(join(d, 'p.riskreview.json')));
  assert.equal(review.cases.n, 5, 'the review opens with every case');
  const messages = review.warnings.map((w) => w.message.replace(d + '/', ''));
  assert.deepEqual(messages, [
    'cases.csv, line 4, column "priors", case "C": 9 is above the range of "priors" in the background data (0 to 3, background.csv); it is the only case outside it: the model saw no such values, so read these scores with care',
    'cases.csv, line 3, column "age", case "B": 12 is below the range of "age" in the background data (14 to 17, background.csv); 2 cases are outside it: the model saw no such values, so read these scores with care',
  ]);
  assert.deepEqual(review.warnings[1].place, { file: join(d, 'cases.csv'), line: 3, column: 'age', caseId: 'B' });
});

test('no background file, no range warnings (cases compared with themselves are never outside)', () => {
  const d = dir({ 'm.riskmodel.json': logistic, 'cases.csv': 'id,priors,age\nA,0,14\nB,99,99\n' });
  assert.deepEqual(openReview(resolveSpec({ model: join(d, 'm.riskmodel.json'), data: join(d, 'cases.csv'), idColumn: 'id' })).warnings, []);
});

test('XGBoost: a missing value of a feature the background never lacks is a warning; values inside the range are not', () => {
  const fixture = join(__dirname, '..', 'fixtures', 'xgb');
  const cases = readFileSync(join(fixture, 'binary_d3_named.csv'), 'utf8');
  const [header, ...rows] = cases.trimEnd().split('\n');
  // The background: the same cases with every missing value filled by 0 (inside every column's range).
  const background = [header, ...rows.map((r) => r.replace(/,(?=,|$)/g, ',0'))].join('\n') + '\n';
  const d = dir({ 'cases.csv': cases, 'background.csv': background, 'm.json': readFileSync(join(fixture, 'binary_d3_named.json'), 'utf8'), 'p.riskreview.json': JSON.stringify({ model: 'm.json', data: 'cases.csv', idColumn: 'case_id', background: 'background.csv' }) });
  const review = openReview(readProject(join(d, 'p.riskreview.json')));
  const missingByFeature = review.model.features.map((f, j) => {
    let k = 0;
    for (let i = 0; i < review.cases.n; i++) if (Number.isNaN(review.cases.x[i * review.model.features.length + j])) k++;
    return [f.name, k] as const;
  });
  const expected = missingByFeature.filter(([, k]) => k > 0);
  assert.ok(expected.length >= 3, 'the fixture has missing values in several features');
  assert.deepEqual(
    review.warnings.map((w) => [w.place.column, Number(/(\d+) cases are missing it|it is the only case/.exec(w.problem)![1] ?? 1)]),
    expected,
  );
  assert.ok(review.warnings.every((w) => /is missing, and no case of the background data \(background\.csv\) lacks it/.test(w.problem)));
});

test('a background file with a word where a number belongs is an error naming its line', () => {
  const d = dir({ 'm.riskmodel.json': logistic, 'background.csv': 'priors,age\n0,14\n3,old\n', 'cases.csv': 'id,priors,age\nA,0,14\n', 'p.riskreview.json': project({ background: 'background.csv' }) });
  assert.throws(() => openReview(readProject(join(d, 'p.riskreview.json'))), (e: unknown) => e instanceof InputError && /background\.csv, line 3, column "age": "old" is not a number/.test(e.message));
});
