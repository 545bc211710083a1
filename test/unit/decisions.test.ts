/**
 * The reviewers' decisions (extension/engine/decisions/): what counts (the latest decision on each case
 * about this model and data), which side of the threshold a band lies on, the figures of small, empty and
 * outcome-less sets, and the report's blocks. The figures themselves are checked against pandas and
 * statsmodels in test/cli/decisions.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decisionFigures, groupTable, type ReviewedCase } from '../../extension/engine/decisions/byGroup';
import { bandFlags, decisionsOverview } from '../../extension/engine/decisions/overview';
import { readProject } from '../../extension/engine/project';
import { chainBlocks, decisionsByGroupBlocks, decisionsByGroupTables, decisionsSummary } from '../../extension/engine/report/decisions';
import { openReview, scoreAll, scoringSha256 } from '../../extension/engine/review';
import { appendEntry, verifyLog, type ReviewLogEntry } from '../../extension/engine/reviewLog';

const SAMPLE = join(__dirname, '..', '..', 'samples', 'juvenile', 'juvenile.riskreview.json');

test('a band is flagged when it lies wholly at or above the threshold, not flagged wholly below, either across it', () => {
  const bands = [{ label: 'Low', below: 0.25 }, { label: 'Moderate', below: 0.5 }, { label: 'High' }];
  assert.deepEqual(bandFlags(bands, 0.5), ['not flagged', 'not flagged', 'flagged']);
  assert.deepEqual(bandFlags(bands, 0.4), ['not flagged', 'either', 'flagged']);
  assert.deepEqual(bandFlags(bands, 0.25), ['not flagged', 'flagged', 'flagged']);
  assert.deepEqual(bandFlags([{ label: 'Low', below: 10 }, { label: 'High' }], 12), ['not flagged', 'either'], 'a points scale');
});

const c = (direction: ReviewedCase['direction'], outcome: 0 | 1 | null, flagged: boolean, adjustedFlagged = flagged, index = 0): ReviewedCase => ({ index, direction, outcome, flagged, adjustedFlagged });

test('the figures of a set: shares of all reviewed, outcomes only where known, overrides toward the outcome', () => {
  const cases = [
    c('agree', 1, true),
    c('agree', 0, true),
    c('up', 1, false, true), // made right, toward
    c('up', 0, false, true), // made wrong, away
    c('down', 0, true, false), // made right, toward
    c('down', null, true, false), // outcome unknown: counted in the rates only
    c('unnamed', 1, false),
  ];
  const f = decisionFigures('G', cases, true);
  assert.equal(f.reviewed, 7);
  assert.deepEqual([f.agreed.count, f.overrideUp.count, f.overrideDown.count, f.disagreedNoBand], [2, 2, 2, 1]);
  assert.equal(f.agreed.value, 2 / 7);
  const out = f.outcomes!;
  assert.equal(out.known, 6);
  assert.deepEqual([out.scoreAccuracy.count, out.adjustedAccuracy.count, out.madeRight, out.madeWrong], [2, 3, 2, 1]);
  assert.deepEqual([out.towardOutcome.count, out.towardOutcome.n], [2, 3]);
  assert.deepEqual(f.warnings, ['only 7 reviewed cases (fewer than 50): every figure here is very uncertain']);
  assert.equal(decisionFigures('G', cases, false).outcomes, null, 'no outcome column, no outcome figures');
});

test('an empty set has no rates; a large set with few known outcomes warns about the accuracy only', () => {
  const empty = decisionFigures('G', [], true);
  assert.deepEqual([empty.agreed.value, empty.agreed.ciLow, empty.outcomes!.scoreAccuracy.value], [null, null, null]);
  assert.deepEqual(empty.warnings, ['no reviewed case']);
  const many = decisionFigures('G', Array.from({ length: 60 }, (_, k) => c('agree', k < 10 ? 1 : null, true)), true);
  assert.deepEqual(many.warnings, ['only 10 reviewed cases with a known outcome (fewer than 50): the accuracy figures are very uncertain']);
  assert.deepEqual(decisionFigures('G', [c('agree', 1, true)], true).warnings, ['only 1 reviewed case (fewer than 50): every figure here is very uncertain']);
});

test('a group table compares every group with the reference asked for, else the one with most reviewed cases; a group without reviews has no gap', () => {
  const column = { column: 'g', labels: ['a', 'b', 'c'], codes: Int32Array.from([0, 0, 0, 1, 1, 2]) };
  const reviewed = [c('up', null, false, false, 0), c('agree', null, false, false, 1), c('agree', null, false, false, 2), c('down', null, false, false, 3)];
  const largest = groupTable(column, reviewed, false, undefined);
  assert.equal(largest.reference, 'a');
  assert.equal(largest.rows[0].gaps, null);
  assert.ok(Math.abs(largest.rows[1].gaps!.overrideUp!.value - (0 - 1 / 3)) < 1e-15);
  assert.deepEqual(largest.rows[2].gaps, { agreed: null, overrideUp: null, overrideDown: null });
  assert.equal(groupTable(column, reviewed, false, 'b').reference, 'b');
  assert.equal(groupTable(column, reviewed, false, 'no such group').reference, 'a');
});

const entry = (review: ReturnType<typeof openReview>, caseId: string, extra: Partial<ReviewLogEntry> = {}): ReviewLogEntry => ({
  caseId,
  verdict: 'agree',
  reason: '',
  notes: '',
  reviewer: 'ana',
  modelSha256: scoringSha256(review),
  dataSha256: review.dataSha256,
  model: 'm',
  time: '2026-01-01T00:00:00.000Z',
  ...extra,
});

test('the overview counts the latest decision on each case about this model and data, and says what it could not count', async () => {
  const review = openReview(readProject(SAMPLE));
  const { score } = scoreAll(review.model, review.cases);
  const ids = review.cases.ids;
  const bandOfCase = (id: string) => review.bands.findIndex((b) => b.below === undefined || score[review.cases.indexOf(id)] < b.below);
  const low = ids.find((id) => bandOfCase(id) === 0)!;
  const high = ids.find((id) => bandOfCase(id) === 2)!;
  const file = join(mkdtempSync(join(tmpdir(), 'rr-decisions-')), 'reviews.jsonl');
  for (const e of [
    entry(review, low, { verdict: 'disagree', assignedBand: 'High', time: '2026-01-01T00:00:00.000Z' }),
    entry(review, low, { verdict: 'disagree', assignedBand: 'Moderate', blind: true, band: 'Low', time: '2026-01-02T00:00:00.000Z' }),
    entry(review, high, { verdict: 'disagree', assignedBand: 'Very high', band: 'Moderate', time: '2026-01-03T00:00:00.000Z' }),
    entry(review, 'J-nowhere'),
    entry(review, ids[5], { modelSha256: 'c'.repeat(64) }),
  ])
    await appendEntry(file, e);
  const o = decisionsOverview(review, score, await verifyLog(file), file);
  assert.deepEqual([o.entries, o.otherReviews, o.rows.length], [5, 1, 2]);
  assert.deepEqual(o.rows.map((r) => [r.caseId, r.direction, r.assignedBand, r.decisions, r.blind]), [
    [high, 'unnamed', 'Very high', 1, null],
    [low, 'up', 'Moderate', 2, true],
  ]);
  assert.deepEqual(o.rows[1].groups, review.cases.groups.map((g) => g.labels[g.codes[review.cases.indexOf(low)]]));
  assert.deepEqual(o.warnings, [
    '1 decision names a band this review does not have; it counts as disagreeing without a band',
    "1 case was decided in another band than its band now (the project's bands or threshold changed since); overrides are counted against the band now",
    '1 decision is about case ids this case file does not have',
  ]);
  assert.deepEqual(o.byGroup.map((t) => [t.column, t.reference]), [
    ['sex', 'Male'],
    ['race_ethnicity', 'White'],
    ['sex × race_ethnicity', 'Male × White'],
  ]);
  assert.deepEqual([o.everyone.reviewed, o.everyone.overrideUp.count, o.everyone.disagreedNoBand], [2, 1, 1]);
  assert.equal(o.verification.intact, true);
  const blocks = decisionsByGroupBlocks(o);
  assert.deepEqual(blocks[0], { kind: 'heading', text: "Reviewers' decisions by group" });
  assert.equal(decisionsByGroupTables(o).length, 3, 'with outcomes: rates, gaps, and whether the overrides were right');
});

test('with no decision yet, the section says so; a log with problems says how many, then each', () => {
  const review = openReview({ ...readProject(SAMPLE), outcomeColumn: undefined });
  const { score } = scoreAll(review.model, review.cases);
  const empty = decisionsOverview(review, score, { entries: [], skippedLines: [], verification: { lines: 0, entries: 0, unchainedBefore: 0, problems: [], head: null, intact: true } }, '/x/reviews.jsonl');
  assert.deepEqual(decisionsSummary(empty), ['No decision has been recorded on the cases of this review yet.']);
  assert.equal(decisionsByGroupTables(empty).length, 2, 'without outcomes, no accuracy table');
  assert.deepEqual(chainBlocks(empty), [{ kind: 'paragraph', text: 'The review log reviews.jsonl holds no decision yet.', tone: 'muted' }]);
  const broken = { ...empty, verification: { lines: 3, entries: 2, unchainedBefore: 1, problems: [{ kind: 'edited', line: 2 }, { kind: 'torn', line: 3 }] as const, head: 'f'.repeat(64), intact: false } };
  assert.deepEqual(chainBlocks(broken), [
    { kind: 'paragraph', text: 'The review log reviews.jsonl has 2 problems: it may have been changed after it was written, or a write was cut short. 1 decision from before the log was chained cannot be checked.', tone: 'warning' },
    {
      kind: 'list',
      items: [
        'line 2 was changed after it was written: its text no longer matches its hash.',
        'line 3, the last, is cut short: a write was interrupted (a crash or a killed process), and the decision on it was not recorded.',
      ],
    },
  ]);
});
