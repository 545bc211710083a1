/**
 * Bad input through the CLI as a user runs it (`node dist/cli.js`): for every verb and every kind of
 * mistake a case file, a model or a project can hold, the CLI exits 1 with one line that names the file
 * and, where it applies, the line, column or case; no stack trace; and `--out` leaves nothing behind,
 * neither the file nor a temporary one. Each verb is first run on good input to show the same arguments
 * succeed, so a failure below is the input's doing. Verbs are taken from `risk-review --help`.
 *
 * Not covered: a file without read permission (the tests run as root, whom `chmod 000` does not stop);
 * a folder stands in for a file that cannot be read, and `readBytes` maps EACCES like the others.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertCleanFailure, runCli } from '../helpers/cli';

const d = mkdtempSync(join(tmpdir(), 'rr-cli-bad-'));
const at = (name: string) => join(d, name);
const write = (name: string, text: string | Uint8Array) => writeFileSync(at(name), text);

const logistic = JSON.stringify({ kind: 'logistic', name: 'test logistic', intercept: -1, coefficients: { priors: 0.5, age: -0.05 } });
write('m.riskmodel.json', logistic);
write('ok.csv', 'id,priors,age,y,sex\nA,0,16,0,F\nB,4,14,1,M\nC,2,17,1,M\nD,1,15,0,F\n');

// Models
write('notjson.json', 'this is not JSON\n');
write('truncated.json', logistic.slice(0, Math.floor(logistic.length * 0.6)));
write('kind.riskmodel.json', JSON.stringify({ kind: 'neural', layers: [3, 1] }));
const xgb = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'xgb', 'binary_d3_named.json'), 'utf8'));
xgb.learner.objective.name = 'multi:softprob';
write('instrument.riskmodel.json', JSON.stringify({
  kind: 'scorecard',
  items: [{ feature: 'sex', categories: { F: 0, M: 1 } }, { feature: 'priors', bins: [{ below: 2, points: 0 }, { points: 2 }] }],
  bands: [{ label: 'Low', below: 2 }, { label: 'High' }],
  probability: { method: 'logistic', intercept: -1, slope: 0.5 },
}));
write('softprob.json', JSON.stringify(xgb));

// Case files
write('nofeature.csv', 'id,priors,y,sex\nA,0,0,F\nB,4,1,M\n');
write('word.csv', 'id,priors,age,y,sex\nA,0,16,0,F\nB,4,14,1,M\nC,2,abc,1,M\n');
write('header.csv', 'id,priors,age,y,sex\n');
write('empty.csv', '');
write('toomany.csv', 'id,priors,age,y,sex\nA,0,16,0,F\nB,4,14,1,M,extra\n');
write('toofew.csv', 'id,priors,age,y,sex\nA,0,16,0,F\nB,4,14\n');
write('outcome.csv', 'id,priors,age,y,sex\nA,0,16,0,F\nB,4,14,2,M\n');
write('category.csv', 'id,priors,age,y,sex\nA,0,16,0,F\nB,4,14,1,X\n');
write('duplicate.csv', 'id,priors,age,y,sex\nA,0,16,0,F\nB,4,14,1,M\nA,2,17,1,M\n');
write('missing.csv', 'id,priors,age,y,sex\nA,0,16,0,F\nB,4,14,1,M\nC,2,,1,M\n');
write('overflow.csv', 'id,priors,age,y,sex\nA,0,16,0,F\nB,1e999,14,1,M\n');
// "Hélène" in Latin-1: é is the single byte 0xE9, which UTF-8 does not allow there.
write('latin1.csv', Buffer.concat([Buffer.from('id,priors,age,y,sex\nA,0,16,0,F\nB,4,14,1,H'), Buffer.from([0xe9]), Buffer.from('l\n')]));
write('long.csv', `id,priors,age,y,sex\nA,0,16,0,F\nB,4,14,1,${'x'.repeat(2 * 1024 * 1024)}\n`);
mkdirSync(at('folder.csv'));

// Projects
write('schema.riskreview.json', JSON.stringify({ model: 'm.riskmodel.json', data: 'ok.csv', idColumn: 'id', threshold: 'high' }));
write('notjson.riskreview.json', '{"model": "m.riskmodel.json",\n "data": "ok.csv"\n "idColumn": "id"}');
write('nomodel.riskreview.json', JSON.stringify({ model: 'gone.riskmodel.json', data: 'ok.csv', idColumn: 'id' }));

/** How each verb is run on the review given by `input`, writing to `out` (a file in an empty folder). */
const VERB_ARGS: Record<string, { ext: string; args: (out: string) => string[]; withCase?: (id: string, out: string) => string[] }> = {
  score: { ext: '.json', args: (out) => ['--format', 'json', '--out', out] },
  explain: { ext: '.jsonl', args: (out) => ['--all', '--out', out], withCase: (id, out) => ['--case', id, '--out', out] },
  calibration: { ext: '.json', args: (out) => ['--outcome', 'y', '--group', 'sex', '--out', out], withCase: (id, out) => ['--outcome', 'y', '--group', 'sex', '--case', id, '--out', out] },
  export: { ext: '.md', args: (out) => ['--case', 'B', '--out', out], withCase: (id, out) => ['--case', id, '--out', out] },
  surrogate: { ext: '.json', args: (out) => ['--out', out], withCase: (id, out) => ['--case', id, '--out', out] },
};

const listed = runCli(['--help']).stdout;
const VERBS = Object.keys(VERB_ARGS).filter((v) => new RegExp(`^  ${v} `, 'm').test(listed));

const files = (model: string, data: string) => ['--model', at(model), '--data', at(data), '--id-column', 'id'];

interface Scenario {
  readonly what: string;
  readonly input: readonly string[];
  readonly pattern: RegExp;
  /** Extra arguments for every verb (e.g. the outcome column). */
  readonly extra?: readonly string[];
  /** A case id to ask for (verbs with --case only). */
  readonly caseId?: string;
}

const esc = (name: string) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const file = (name: string) => esc(at(name));

/** The one line expected on stderr; `$` marks where it must end. */
const msg = (pattern: string) => new RegExp(`^risk-review: ${pattern}`, 'm');

const SCENARIOS: readonly Scenario[] = [
  { what: 'a model file that is not JSON', input: files('notjson.json', 'ok.csv'), pattern: msg(`${file('notjson.json')}, line 1, column 1: is not valid JSON: a value .* was expected, not "this"$`) },
  { what: 'a truncated model file', input: files('truncated.json', 'ok.csv'), pattern: msg(`${file('truncated.json')}, line 1, column \\d+: is not valid JSON: it ends too early \\(truncated\\?\\)$`) },
  { what: 'a model kind Risk Review does not read', input: files('kind.riskmodel.json', 'ok.csv'), pattern: msg(`${file('kind.riskmodel.json')}: has "kind": "neural", which Risk Review does not read; it reads "logistic" and "scorecard" models`) },
  { what: 'an XGBoost objective Risk Review does not read', input: files('softprob.json', 'ok.csv'), pattern: msg(`${file('softprob.json')}: uses the objective "multi:softprob"`) },
  { what: 'a feature the model needs missing from the CSV', input: files('m.riskmodel.json', 'nofeature.csv'), pattern: msg(`${file('nofeature.csv')}: has no column "age" \\(a feature the model needs\\)`) },
  { what: 'a word where a number belongs', input: files('m.riskmodel.json', 'word.csv'), pattern: msg(`${file('word.csv')}, line 4, column "age": "abc" is not a number$`) },
  { what: 'a number too large for a double', input: files('m.riskmodel.json', 'overflow.csv'), pattern: msg(`${file('overflow.csv')}, line 3, column "priors": "1e999" is not a number`) },
  { what: 'a category the instrument does not know', input: files('instrument.riskmodel.json', 'category.csv'), pattern: msg(`${file('category.csv')}, line 3, column "sex": "X" is not one of the categories the model knows \\(F, M\\)$`) },
  { what: 'a header-only CSV', input: files('m.riskmodel.json', 'header.csv'), pattern: msg(`${file('header.csv')}: has a header but no cases$`) },
  { what: 'an empty CSV', input: files('m.riskmodel.json', 'empty.csv'), pattern: msg(`${file('empty.csv')}: is empty`) },
  { what: 'a row with too many fields', input: files('m.riskmodel.json', 'toomany.csv'), pattern: msg(`${file('toomany.csv')}, line 3: has 6 fields where the header has 5$`) },
  { what: 'a row with too few fields', input: files('m.riskmodel.json', 'toofew.csv'), pattern: msg(`${file('toofew.csv')}, line 3: has 3 fields where the header has 5$`) },
  { what: 'an outcome that is not 0/1', input: files('m.riskmodel.json', 'outcome.csv'), extra: ['--outcome', 'y'], pattern: msg(`${file('outcome.csv')}, line 3, column "y": the outcome "2" is not 0/1`) },
  { what: 'a case id that is not there', input: files('m.riskmodel.json', 'ok.csv'), caseId: 'ZZ-404', pattern: msg(`${file('ok.csv')}: has no case with id "ZZ-404"$`) },
  { what: 'a case file that does not exist', input: files('m.riskmodel.json', 'nowhere.csv'), pattern: msg(`${file('nowhere.csv')}: file not found$`) },
  { what: 'a model file that does not exist', input: files('nowhere.json', 'ok.csv'), pattern: msg(`${file('nowhere.json')}: file not found$`) },
  { what: 'a case file that cannot be read (a folder)', input: files('m.riskmodel.json', 'folder.csv'), pattern: msg(`${file('folder.csv')}: is a folder, not a file; Risk Review reads regular files only$`) },
  { what: 'duplicate case ids', input: files('m.riskmodel.json', 'duplicate.csv'), pattern: msg(`${file('duplicate.csv')}, line 4, column "id": case id "A" appears twice \\(also on line 2\\)$`) },
  { what: 'a missing value a logistic model cannot take', input: files('m.riskmodel.json', 'missing.csv'), pattern: msg(`${file('missing.csv')}, line 4, column "age"(, case "C")?: missing value for "age"`) },
  { what: 'a case file that is not UTF-8 (Latin-1)', input: files('m.riskmodel.json', 'latin1.csv'), pattern: msg(`${file('latin1.csv')}, line 3, column 11: is not UTF-8 text \\(byte 0xE9\\); save it as UTF-8`) },
  { what: 'a field of 2 MB', input: files('m.riskmodel.json', 'long.csv'), pattern: msg(`${file('long.csv')}, line 3: has a row longer than Risk Review reads \\(1,000,000 characters\\)$`) },
  { what: 'a project that fails its schema', input: ['--project', at('schema.riskreview.json')], pattern: msg(`${file('schema.riskreview.json')}: is not a valid Risk Review project: "threshold" must be number`) },
  { what: 'a project that is not JSON', input: ['--project', at('notjson.riskreview.json')], pattern: msg(`${file('notjson.riskreview.json')}, line 3, column 2: is not valid JSON: a ',' or '}' was expected, not "\\\\""$`) },
  { what: 'a project whose model does not exist', input: ['--project', at('nomodel.riskreview.json')], pattern: msg(`${file('gone.riskmodel.json')}: file not found$`) },
  { what: 'a project that does not exist', input: ['--project', at('nowhere.riskreview.json')], pattern: msg(`${file('nowhere.riskreview.json')}: file not found$`) },
];

/** A fresh, empty output folder per run, so "left nothing behind" covers temporary files too. */
let runs = 0;
function outFolder(): string {
  const o = at(`out-${++runs}`);
  mkdirSync(o);
  return o;
}

for (const verb of VERBS) {
  const how = VERB_ARGS[verb];
  const good = ['--model', at('m.riskmodel.json'), '--data', at('ok.csv'), '--id-column', 'id'];

  test(`${verb}: the arguments used below succeed on good input`, () => {
    const o = outFolder();
    const out = join(o, `result${how.ext}`);
    const r = runCli([verb, ...good, ...how.args(out)]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readdirSync(o), [`result${how.ext}`]);
    if (how.withCase) {
      const r2 = runCli([verb, ...good, ...how.withCase('C', join(o, `case${how.ext}`))]);
      assert.equal(r2.code, 0, r2.stderr);
    }
  });

  for (const s of SCENARIOS) {
    if (s.caseId !== undefined && !how.withCase) continue;
    test(`${verb}: ${s.what} → exit 1, one line naming the place, nothing written`, () => {
      const o = outFolder();
      const out = join(o, `result${how.ext}`);
      const args = s.caseId !== undefined ? how.withCase!(s.caseId, out) : how.args(out);
      const r = runCli([verb, ...s.input, ...(s.extra ?? []), ...args]);
      assertCleanFailure(r, s.pattern);
      assert.deepEqual(readdirSync(o), [], 'the output folder is left empty');
    });
  }
}

test('export of several cases: bad input leaves the output folder uncreated', () => {
  if (!VERBS.includes('export')) return;
  const dir = join(outFolder(), 'summaries');
  assertCleanFailure(runCli(['export', ...files('m.riskmodel.json', 'word.csv'), '--all', '--out-dir', dir]), /word\.csv, line 4, column "age": "abc" is not a number/);
  assertCleanFailure(runCli(['export', ...files('m.riskmodel.json', 'ok.csv'), '--cases', 'A,ZZ', '--out-dir', dir]), /has no case with id "ZZ"/);
  assert.throws(() => readdirSync(dir), /ENOENT/);
});

test('values outside what the model saw: every verb warns on stderr ("risk-review: warning: …") and succeeds', () => {
  write('background.csv', 'priors,age\n0,14\n3,17\n1,15\n');
  write('far.csv', 'id,priors,age,y,sex\nA,0,16,0,F\nB,9,14,1,M\nC,2,22,1,M\nD,1,15,0,F\n');
  write('far.riskreview.json', JSON.stringify({ model: 'm.riskmodel.json', data: 'far.csv', background: 'background.csv', idColumn: 'id' }));
  for (const verb of VERBS) {
    const o = outFolder();
    const r = runCli([verb, '--project', at('far.riskreview.json'), ...VERB_ARGS[verb].args(join(o, `result${VERB_ARGS[verb].ext}`))]);
    assert.equal(r.code, 0, `${verb}: ${r.stderr}`);
    // Long verbs end with a line of figures ("risk-review: scored 4 cases in 0.1 s (…)"); the warnings come before it.
    const lines = r.stderr.trimEnd().split('\n').filter((l) => !/^risk-review: (scored|explained|exported) [\d,]+ cases? in /.test(l));
    assert.deepEqual(lines, [
      `risk-review: warning: ${at('far.csv')}, line 3, column "priors", case "B": 9 is above the range of "priors" in the background data (0 to 3, background.csv); it is the only case outside it: the model saw no such values, so read these scores with care`,
      `risk-review: warning: ${at('far.csv')}, line 4, column "age", case "C": 22 is above the range of "age" in the background data (14 to 17, background.csv); it is the only case outside it: the model saw no such values, so read these scores with care`,
    ], verb);
    assert.deepEqual(readdirSync(o), [`result${VERB_ARGS[verb].ext}`]);
  }
});

test('nothing lost: every verb refuses to replace an --out file without --force, and replaces it with --force', () => {
  const good = ['--model', at('m.riskmodel.json'), '--data', at('ok.csv'), '--id-column', 'id'];
  for (const verb of VERBS) {
    const o = outFolder();
    const out = join(o, `result${VERB_ARGS[verb].ext}`);
    writeFileSync(out, 'precious\n');
    assertCleanFailure(runCli([verb, ...good, ...VERB_ARGS[verb].args(out)]), msg(`${esc(out)}: already exists; pass --force to replace it$`));
    assert.equal(readFileSync(out, 'utf8'), 'precious\n', `${verb} left the file as it was`);
    assert.deepEqual(readdirSync(o), [`result${VERB_ARGS[verb].ext}`], `${verb} left no temporary file`);
    const r = runCli([verb, ...good, ...VERB_ARGS[verb].args(out), '--force']);
    assert.equal(r.code, 0, r.stderr);
    assert.notEqual(readFileSync(out, 'utf8'), 'precious\n');
    assert.deepEqual(readdirSync(o), [`result${VERB_ARGS[verb].ext}`]);
  }
});

test('nothing lost: a batch export refuses before writing anything when one of its files exists', () => {
  if (!VERBS.includes('export')) return;
  const dir = outFolder();
  const first = runCli(['export', ...files('m.riskmodel.json', 'ok.csv'), '--cases', 'A,B', '--out-dir', dir]);
  assert.equal(first.code, 0, first.stderr);
  const written = readdirSync(dir).sort();
  assert.equal(written.length, 2);
  writeFileSync(join(dir, written[1]), 'precious\n');
  const r = runCli(['export', ...files('m.riskmodel.json', 'ok.csv'), '--all', '--out-dir', dir]);
  assertCleanFailure(r, /already exists; pass --force to replace it/);
  assert.equal(readFileSync(join(dir, written[1]), 'utf8'), 'precious\n');
  assert.deepEqual(readdirSync(dir).sort(), written, 'no file of the refused batch was written');
});
