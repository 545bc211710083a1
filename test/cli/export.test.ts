/**
 * `risk-review export` as a process: Markdown, HTML and PDF summaries of a case name the case, its
 * strongest driver (as `risk-review explain` finds it), the model's SHA-256 and the group; the HTML
 * loads nothing; hostile ids stay text; files are never overwritten unasked; batches; reproducibility.
 * The PDF is read back with `pdftotext` (poppler-utils), as a reviewer's tools would.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertCleanFailure, runCli } from '../helpers/cli';

const FIXTURE = join(__dirname, '..', 'fixtures', 'xgb');
const HOSTILE = '<img src=x onerror=alert(1)>';
const d = mkdtempSync(join(tmpdir(), 'rr-cli-export-'));

// A small review: the XGBoost fixture's cases with a known outcome and a group column added
// (deterministically), and one case given a hostile id.
copyFileSync(join(FIXTURE, 'binary_d3_named.json'), join(d, 'model.json'));
{
  const lines = readFileSync(join(FIXTURE, 'binary_d3_named.csv'), 'utf8').trim().split('\n');
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const rows = lines.slice(1, 61).map((l, k) => {
    const cells = l.split(',');
    if (k === 5) cells[0] = HOSTILE;
    return `${cells.join(',')},${next() < 0.45 ? 1 : 0},${next() < 0.35 ? 'Girls' : 'Boys'}`;
  });
  writeFileSync(join(d, 'cases.csv'), [`${lines[0]},reoffended,sex`, ...rows].join('\n') + '\n');
}
const MODEL_SHA = createHash('sha256').update(readFileSync(join(d, 'model.json'))).digest('hex');
const base = ['--model', join(d, 'model.json'), '--data', join(d, 'cases.csv'), '--id-column', 'case_id', '--outcome', 'reoffended', '--group', 'sex'];

/** The strongest driver's feature name, according to `risk-review explain`. */
function strongestDriver(caseId: string): string {
  const r = runCli(['explain', ...base, '--case', caseId]);
  assert.equal(r.code, 0, r.stderr);
  const rows: { feature: string; contribution: number }[] = JSON.parse(r.stdout).attributions;
  return rows.reduce((a, b) => (Math.abs(b.contribution) > Math.abs(a.contribution) ? b : a)).feature;
}

function groupOf(caseId: string): string {
  const line = readFileSync(join(d, 'cases.csv'), 'utf8').split('\n').find((l) => l.startsWith(caseId + ','))!;
  return line.split(',').pop()!;
}

function pdftotext(file: string): string {
  const r = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  assert.equal(r.status, 0, `pdftotext failed (is poppler-utils installed?): ${r.stderr}`);
  return r.stdout.replace(/\s+/g, ' ');
}

function exportTo(file: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return runCli(['export', ...base, ...args, '--out', file], { env });
}

test('md, html and pdf each name the case, its strongest driver, the model SHA-256 and the group', () => {
  for (const id of ['C0003', HOSTILE]) {
    const driver = strongestDriver(id);
    const group = groupOf(id);
    const texts: Record<string, string> = {};
    for (const format of ['md', 'html', 'pdf']) {
      const file = join(d, `one-${id === HOSTILE ? 'hostile' : id}.${format}`);
      const r = runCli(['export', ...base, '--case', id, '--format', format, '--out', file]);
      assert.equal(r.code, 0, r.stderr);
      texts[format] = format === 'pdf' ? pdftotext(file) : readFileSync(file, 'utf8');
    }
    // Markdown and HTML carry `<` and `>` as entities; the PDF's text is the id itself.
    const shown = (format: string) => (format === 'pdf' ? id : id.replace(/</g, '&lt;').replace(/>/g, '&gt;'));
    for (const [format, text] of Object.entries(texts)) {
      assert.ok(text.includes(shown(format)), `${format} lacks the case id`);
      assert.ok(text.includes(driver), `${format} lacks the strongest driver ${driver}`);
      assert.ok(text.includes(MODEL_SHA.slice(0, 12)), `${format} lacks the SHA-256 prefix`);
      assert.ok(text.includes(group), `${format} lacks the group ${group}`);
    }
    if (id === HOSTILE) {
      assert.ok(!texts.html.includes(HOSTILE) && !texts.md.includes(HOSTILE), 'the hostile id came out unescaped');
      assert.ok(texts.pdf.includes(HOSTILE));
    }
  }
});

test('the HTML loads nothing and runs nothing', () => {
  const html = readFileSync(join(d, 'one-C0003.html'), 'utf8');
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /\s(src|href|srcset|action)\s*=/i);
  assert.doesNotMatch(html, /url\(|@import|https?:\/\//i);
  assert.match(html, /<svg class="rr-chart"/);
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
});

test('an existing file is kept unless --force; with --force it is replaced', () => {
  const file = join(d, 'kept.md');
  writeFileSync(file, 'mine');
  assertCleanFailure(runCli(['export', ...base, '--case', 'C0003', '--out', file]), /kept\.md: already exists; pass --force to replace it/);
  assert.equal(readFileSync(file, 'utf8'), 'mine');
  const r = runCli(['export', ...base, '--case', 'C0003', '--out', file, '--force']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(readFileSync(file, 'utf8'), /^# Case summary: \u2068C0003\u2069/);
  assert.deepEqual(readdirSync(d).filter((f) => f.endsWith('.tmp')), []);
});

test('batch: --all and --cases write one file each; a batch that would overwrite writes nothing', () => {
  const out = join(d, 'all');
  const r = runCli(['export', ...base, '--all', '--format', 'html', '--out-dir', out]);
  assert.equal(r.code, 0, r.stderr);
  const files = readdirSync(out).sort();
  assert.equal(files.length, 60);
  assert.equal(r.stdout.trim().split('\n').length, 60);
  assert.ok(files.includes('case-C0001.html'));
  assert.ok(files.includes('case-_img_src_x_onerror_alert_1__.html'));
  const before = statSync(join(out, 'case-C0001.html')).mtimeMs;
  assertCleanFailure(runCli(['export', ...base, '--all', '--format', 'html', '--out-dir', out]), /already exists; pass --force/);
  assert.equal(statSync(join(out, 'case-C0001.html')).mtimeMs, before);

  const some = join(d, 'some');
  const p = runCli(['export', ...base, '--cases', 'C0002,C0004', '--format', 'pdf', '--out-dir', some]);
  assert.equal(p.code, 0, p.stderr);
  assert.deepEqual(readdirSync(some).sort(), ['case-C0002.pdf', 'case-C0004.pdf']);
  assert.match(pdftotext(join(some, 'case-C0004.pdf')), /Case summary: C0004/);
  assertCleanFailure(runCli(['export', ...base, '--cases', 'C0002,NOPE', '--out-dir', join(d, 'none')]), /has no case with id "NOPE"/);
});

test('two runs differ only in the time stamp line; with SOURCE_DATE_EPOCH the PDF is byte-identical', () => {
  for (const format of ['md', 'html']) {
    const a = exportTo(join(d, `run1.${format}`), ['--case', 'C0007']);
    assert.equal(a.code, 0, a.stderr);
    const b = exportTo(join(d, `run2.${format}`), ['--case', 'C0007']);
    assert.equal(b.code, 0, b.stderr);
    const one = readFileSync(join(d, `run1.${format}`), 'utf8').split('\n');
    const two = readFileSync(join(d, `run2.${format}`), 'utf8').split('\n');
    assert.equal(one.length, two.length);
    const differing = one.filter((line, k) => line !== two[k]);
    assert.ok(differing.length <= 1, `${format}: ${differing.length} lines differ`);
    for (const line of differing) assert.match(line, /^(- \*\*Generated:\*\*|<tr><th scope="row">Generated<\/th>)/);
  }
  const env = { SOURCE_DATE_EPOCH: '1795000000' };
  assert.equal(exportTo(join(d, 'same1.pdf'), ['--case', 'C0007'], env).code, 0);
  assert.equal(exportTo(join(d, 'same2.pdf'), ['--case', 'C0007'], env).code, 0);
  assert.ok(readFileSync(join(d, 'same1.pdf')).equals(readFileSync(join(d, 'same2.pdf'))));
  assert.match(pdftotext(join(d, 'same1.pdf')), /Generated 2026-11-18 \d\d:\d\d:\d\d UTC/);
});

test('--redact leaves out the case id and the group; --plain-language writes the short letter', () => {
  const group = groupOf('C0003');
  const file = join(d, 'redacted.md');
  const r = runCli(['export', ...base, '--case', 'C0003', '--redact', '--reference', 'AGENCY-17', '--out', file]);
  assert.equal(r.code, 0, r.stderr);
  const md = readFileSync(file, 'utf8');
  assert.ok(!md.includes('C0003') && !md.includes(group));
  assert.match(md, /# Case summary: \u2068AGENCY-17\u2069/);
  assert.ok(md.includes(MODEL_SHA.slice(0, 12)));
  const plain = runCli(['export', ...base, '--case', 'C0003', '--plain-language', '--format', 'md']);
  assert.equal(plain.code, 0, plain.stderr);
  assert.match(plain.stdout, /not a judgement of you/);
  assert.doesNotMatch(plain.stdout, /Shapley|log-odds/);
});

test('--review-log puts each case\'s latest decision on this model and data into its summary', () => {
  const DATA_SHA = createHash('sha256').update(readFileSync(join(d, 'cases.csv'))).digest('hex');
  const entry = (caseId: string, extra: Record<string, string>) =>
    JSON.stringify({ caseId, verdict: 'agree', reason: '', notes: '', reviewer: 'ana', modelSha256: MODEL_SHA, dataSha256: DATA_SHA, model: 'm', time: '2026-11-20T09:00:00.000Z', ...extra });
  const log = join(d, 'reviews.jsonl');
  writeFileSync(
    log,
    [
      entry('C0002', {}),
      entry('C0002', { verdict: 'disagree', reason: 'referrals dismissed', assignedBand: 'Below threshold', time: '2026-11-21T09:00:00.000Z' }),
      entry('C0003', { verdict: 'disagree', reason: 'about another model', modelSha256: 'a'.repeat(64) }),
      '{"cut short',
    ].join('\n') + '\n',
  );
  const out = join(d, 'reviewed');
  const r = runCli(['export', ...base, '--cases', 'C0002,C0003', '--format', 'md', '--out-dir', out, '--review-log', log]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /reviews\.jsonl: line 4 is not a decision \(not complete JSON, or not a decision's fields\)/);
  const two = readFileSync(join(out, 'case-C0002.md'), 'utf8');
  assert.match(two, /\*\*Reviewer's decision:\*\* disagreed with the score; would assign Below threshold/, 'the latest decision wins');
  assert.match(two, /The reviewer \(ana\) disagreed with the score on 2026-11-21 09:00:00 UTC, and would place the case in the band Below threshold: referrals dismissed\./);
  assert.match(readFileSync(join(out, 'case-C0003.md'), 'utf8'), /\*\*Reviewer's decision:\*\* not recorded/, 'a decision about another model is not this one\'s');
  assertCleanFailure(runCli(['export', ...base, '--case', 'C0002', '--review-log', join(d, 'nowhere.jsonl')]), /nowhere\.jsonl: does not exist/);
});

test('usage errors exit 2', () => {
  for (const args of [['--case', 'C0001', '--all'], ['--case', 'C0001', '--out-dir', d], ['--all'], ['--all', '--out', join(d, 'x.md')], ['--case', 'C0001', '--format', 'docx'], ['--case', 'C0001', '--reference', 'R']]) {
    const r = runCli(['export', ...base, ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
  }
});
