/**
 * `risk-review export --format pdf` from the bundled CLI finds its embedded typeface (dist/fonts/) and
 * keeps names in Polish, Greek, Cyrillic and Vietnamese: a case id, a group and a feature named in those
 * scripts come back out of the PDF exactly (read with `pdftotext`, poppler-utils), and the same inputs
 * give the same bytes.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';

const FIXTURE = join(__dirname, '..', 'fixtures', 'xgb');
const d = mkdtempSync(join(tmpdir(), 'rr-cli-export-pdf-'));
after(() => rmSync(d, { recursive: true, force: true }));

const CASE = 'Nguyễn Thị-Дмитрий-03';
const GROUPS = ['Łódź district', 'Ελληνικά −'];
const FEATURE = 'arrests − Łódź Ελληνικά Дмитрий Nguyễn Thị';

// The XGBoost fixture with one feature renamed (in the model and the case file alike), case C0003 given
// the id above, and a group column whose labels are the two names above (C0003, row 2, is in the first).
{
  const model = readFileSync(join(FIXTURE, 'binary_d3_named.json'), 'utf8');
  assert.ok(model.includes('"prior_arrests"'));
  writeFileSync(join(d, 'model.json'), model.replace('"prior_arrests"', JSON.stringify(FEATURE)));
  const lines = readFileSync(join(FIXTURE, 'binary_d3_named.csv'), 'utf8').trim().split('\n');
  const header = lines[0].replace('prior_arrests', `"${FEATURE}"`);
  const rows = lines.slice(1, 41).map((l, k) => `${l.replace(/^C0003,/, `${CASE},`)},${k % 3 ? 0 : 1},"${GROUPS[k % 2]}"`);
  writeFileSync(join(d, 'cases.csv'), [`${header},reoffended,area`, ...rows].join('\n') + '\n');
}
const base = ['--model', join(d, 'model.json'), '--data', join(d, 'cases.csv'), '--id-column', 'case_id', '--outcome', 'reoffended', '--group', 'area', '--case', CASE, '--format', 'pdf'];

function pdftotext(file: string): string {
  const r = spawnSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  assert.equal(r.status, 0, `pdftotext failed (is poppler-utils installed?): ${r.stderr}`);
  return r.stdout.replace(/\s+/g, ' ');
}

test('the bundled CLI writes a PDF whose case id, group and feature come out exactly, in every script', () => {
  const file = join(d, 'case.pdf');
  const r = runCli(['export', ...base, '--out', file]);
  assert.equal(r.code, 0, r.stderr);
  const text = pdftotext(file);
  for (const s of [`Case summary: ${CASE}`, `${GROUPS[0]} (area)`, FEATURE, 'Łódź', 'Ελληνικά', 'Дмитрий', 'Nguyễn Thị', '−']) assert.ok(text.includes(s), `the PDF lacks "${s}"`);
  assert.doesNotMatch(text, /\?\?|\uFFFD|Characters not drawn/);
});

test('the same inputs give the same PDF bytes, font subsets included', () => {
  const env = { SOURCE_DATE_EPOCH: '1795000000' };
  for (const name of ['same1.pdf', 'same2.pdf']) assert.equal(runCli(['export', ...base, '--out', join(d, name)], { env }).code, 0);
  assert.ok(readFileSync(join(d, 'same1.pdf')).equals(readFileSync(join(d, 'same2.pdf'))));
});
