/**
 * An instrument's attributions by domain: each domain's effect against brute-force Shapley values of the
 * game whose players are the domains; points and most points by hand; the sample's domains in every
 * summary format; and the loader's rule that every item names a domain or none does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parseCsv } from '../../extension/engine/data/csv';
import { bindCases } from '../../extension/engine/data/cases';
import { backgroundFromCases, explainCase, prepareExplainer, toProbabilityPoints } from '../../extension/engine/explain/index';
import { InputError } from '../../extension/engine/errors';
import { parseModel } from '../../extension/engine/models/load';
import { marginOf } from '../../extension/engine/models/score';
import type { ScorecardModel } from '../../extension/engine/models/types';
import { readProject } from '../../extension/engine/project';
import { domainRows } from '../../extension/engine/report/domains';
import { buildCaseSummary, prepareAnalyses, renderSummary } from '../../extension/engine/report/index';
import { openReview } from '../../extension/engine/review';
import { bruteShapley, interventionalGame } from './explain-fixtures';

const F = 'domains.riskmodel.json';
const SAMPLE = join(__dirname, '..', '..', 'samples', 'juvenile');
const extras = { generatedAt: '2026-11-23T12:00:00.000Z', extensionVersion: '9.9.9' };

function instrument(domains: (string | undefined)[]): unknown {
  const items = [
    { feature: 'priors', bins: [{ below: 1, points: 0 }, { below: 3, points: 2 }, { points: 4 }], missingPoints: 1 },
    { feature: 'age', bins: [{ below: 15, points: 3 }, { points: 0 }] },
    { feature: 'school', categories: { engaged: 0, partial: 1, disengaged: 3 }, missingPoints: 1 },
    { feature: 'peers', bins: [{ below: 0.5, points: 0 }, { points: 2.5 }], missingPoints: 0.5 },
    { feature: 'family', bins: [{ below: 1, points: 0 }, { points: 2 }] },
  ];
  return {
    kind: 'scorecard',
    items: items.map((it, j) => (domains[j] === undefined ? it : { ...it, domain: domains[j] })),
    bands: [{ label: 'Low', below: 3 }, { label: 'High' }],
    probability: { method: 'logistic', intercept: -3, slope: 0.5 },
  };
}

test('a domain\'s effect is the Shapley value of the game whose players are the domains (brute force); points by hand', () => {
  // Domains interleaved with the item order, to catch sums over the wrong items.
  const model = parseModel(instrument(['History', 'History', 'Education', 'Peers and family', 'Peers and family']), F) as ScorecardModel;
  assert.deepEqual(model.domains, [{ name: 'History', items: [0, 1] }, { name: 'Education', items: [2] }, { name: 'Peers and family', items: [3, 4] }]);
  const cases = bindCases(
    parseCsv('id,priors,age,school,peers,family\nA,0,16,engaged,0.2,0\nB,4,14,disengaged,,1\nC,,17,partial,0.9,1\nD,2,13,,0.5,0\nE,1,15,engaged,0.1,1\n', 'cases.csv', ['id']),
    model.features,
    { idColumn: 'id' },
  );
  const m = model.features.length;
  const explainer = prepareExplainer(model, backgroundFromCases(model, cases));
  for (let i = 0; i < cases.n; i++) {
    const x = cases.x.subarray(i * m, (i + 1) * m);
    const items = interventionalGame(model, (row) => marginOf(model, row, 0), x, cases.x, cases.n);
    // A coalition of domains is the coalition of all their items.
    const masks = model.domains.map((d) => d.items.reduce((s, j) => s | (1 << j), 0));
    const byDomain = bruteShapley(model.domains.length, (t) => items(masks.reduce((s, mask, k) => ((t >> k) & 1 ? s | mask : s), 0)));
    const a = explainCase(explainer, cases, i);
    const p = toProbabilityPoints(model, a);
    const rows = model.features.map((f, j) => ({ label: f.label, contribution: a.contributions[j], probabilityPoints: p.contributions[j] * 100 }));
    const domains = domainRows(model, cases.x, i * m, rows);
    domains.forEach((d, k) => {
      assert.ok(Math.abs(d.contribution - byDomain[k]) < 1e-12, `case ${cases.ids[i]} ${d.domain}: ${d.contribution} vs ${byDomain[k]}`);
      const itemPoints = model.domains[k].items.map((j) => a.contributions[j]);
      assert.ok(Math.abs(d.probabilityPoints! - (p.contributions.filter((_, j) => model.domains[k].items.includes(j)).reduce((s, v) => s + v, 0) * 100)) < 1e-9);
      assert.equal(itemPoints.length, d.items.length);
    });
    // The domains' points add up to the total, and so do their effects to the margin.
    assert.ok(Math.abs(domains.reduce((s, d) => s + d.points, 0) - a.margin) < 1e-12);
    assert.ok(Math.abs(a.baseValue + domains.reduce((s, d) => s + d.contribution, 0) - a.margin) < 1e-12);
  }
  // Case B: priors 4 → 4 points, age 14 → 3 (History 7 of 7); school disengaged → 3 of 3; peers missing → 0.5, family 1 → 2 (2.5 of 4.5).
  const b = domainRows(model, cases.x, 1 * m, model.features.map(() => ({ label: '', contribution: 0, probabilityPoints: null })));
  assert.deepEqual(b.map((d) => [d.domain, d.points, d.maxPoints, d.probabilityPoints]), [['History', 7, 7, null], ['Education', 3, 3, null], ['Peers and family', 2.5, 4.5, null]]);
});

test('every item names a domain, or none does', () => {
  assert.deepEqual((parseModel(instrument([]), F) as ScorecardModel).domains, []);
  assert.throws(() => parseModel(instrument(['History', undefined, 'Education', undefined, 'Family']), F), (e: Error) => e instanceof InputError && /domains\.riskmodel\.json: some items name a domain and items "age", "peers" do not: give every item a domain, or none/.test(e.message));
  assert.throws(() => parseModel(instrument(['History', '', 'Education', 'Family', 'Family']), F), InputError);
});

test('the sample instrument\'s domains in the summary and in every format; none for the other models', async () => {
  const review = openReview(readProject(join(SAMPLE, 'juvenile-instrument.riskreview.json')));
  const s = buildCaseSummary(review, prepareAnalyses(review), 1, extras);
  const domains = s.attribution!.domains!;
  assert.deepEqual(domains.map((d) => d.domain), ['Offence history', 'Education', 'Family', 'Peers and substance use']);
  const sum = domains.reduce((t, d) => t + d.probabilityPoints!, 0);
  assert.ok(Math.abs(s.attribution!.baseScore * 100 + sum - s.header.score * 100) < 1e-9, 'domain effects add up to the score');
  const md = String(await renderSummary(s, 'md'));
  assert.match(md, /By domain: each domain's points for this case/);
  assert.match(md, /\| Offence history \| Prior referrals, Age at first referral, Prior detentions, Current offence severity, Probation violations \| \d+ of 13 \| [+-]?\d/);
  const html = String(await renderSummary(s, 'html'));
  assert.match(html, /<tr><td>Peers and substance use<\/td><td>Delinquent peers, Substance use<\/td>/);

  const xgb = openReview(readProject(join(SAMPLE, 'juvenile.riskreview.json')));
  assert.equal(buildCaseSummary(xgb, prepareAnalyses(xgb), 1, extras).attribution!.domains, undefined);
});
