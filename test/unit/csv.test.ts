import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv } from '../../extension/engine/data/csv';
import { splitAtRecords } from '../../extension/engine/data/csv-parallel';
import { bindCases } from '../../extension/engine/data/cases';
import { InputError } from '../../extension/engine/errors';

const F = 'cases.csv';

test('reads quoted fields, CRLF line ends and a byte-order mark', () => {
  const t = parseCsv('\uFEFFid,name,x\r\n1,"Smith, Jo",2.5\r\n2,"say ""hi""",\r\n', F, ['id']);
  assert.deepEqual(t.header, ['id', 'name', 'x']);
  assert.equal(t.rowCount, 2);
  assert.equal(t.cell(0, 'name'), 'Smith, Jo');
  assert.equal(t.cell(1, 'name'), 'say "hi"');
  const x = t.column('x');
  assert.equal(x?.kind, 'number');
  assert.equal(x?.values?.[0], 2.5);
  assert.ok(Number.isNaN(x?.values?.[1]));
});

test('empty, NA and NaN cells are missing numbers', () => {
  const t = parseCsv('a\n1\n\nNA\nNaN\n2\n', F);
  // skip_empty_lines drops the blank line; an empty cell needs a delimiter to exist
  const t2 = parseCsv('id,a\n1,\n2,NA\n3,NaN\n4,7\n', F);
  assert.equal(t.rowCount, 4);
  const v = t2.column('a')!.values!;
  assert.deepEqual([...v].map((n) => (Number.isNaN(n) ? 'missing' : n)), ['missing', 'missing', 'missing', 7]);
});

test('ids stay text ("007" is not 7), and a column that turns to text late keeps its early text', () => {
  const rows = ['id,code'];
  for (let i = 0; i < 5; i++) rows.push(`00${i},${i}.50`);
  rows.push('x9,abc');
  const t = parseCsv(rows.join('\n'), F, ['id']);
  assert.equal(t.cell(0, 'id'), '000');
  assert.equal(t.column('code')?.kind, 'text');
  assert.equal(t.cell(0, 'code'), '0.50');
  assert.equal(t.cell(5, 'code'), 'abc');
});

test('line numbers count physical lines, also inside quoted line breaks', () => {
  const t = parseCsv('id,note\n1,"two\nlines"\n2,ok\n', F, ['id']);
  assert.equal(t.lines[0], 3);
  assert.equal(t.lines[1], 4);
});

function throwsInput(fn: () => unknown, pattern: RegExp) {
  assert.throws(fn, (e: unknown) => e instanceof InputError && pattern.test(e.message));
}

test('bad files get one message naming the file and line', () => {
  throwsInput(() => parseCsv('', F), /^cases\.csv: is empty/);
  throwsInput(() => parseCsv('id,a\n', F), /^cases\.csv: has a header but no cases/);
  throwsInput(() => parseCsv('id,a\n1,2\n3,4,5\n', F), /^cases\.csv, line 3: has 3 fields where the header has 2/);
  throwsInput(() => parseCsv('id,a\n1,2\n3\n', F), /^cases\.csv, line 3: has 1 fields where the header has 2/);
  throwsInput(() => parseCsv('id,a\n1,"2\n', F), /quoted field that is never closed/);
  throwsInput(() => parseCsv('id,id\n1,2\n', F), /names "id" twice/);
});

test('binding names the row, column and value of a word where a number belongs', () => {
  const t = parseCsv('id,age,priors\nA,14,2\nB,15,abc\n', F, ['id']);
  throwsInput(
    () => bindCases(t, [{ name: 'age', label: 'Age' }, { name: 'priors', label: 'Priors' }], { idColumn: 'id' }),
    /^cases\.csv, line 3, column "priors": "abc" is not a number/,
  );
});

test('binding refuses duplicate ids, a missing column and an outcome that is not 0/1', () => {
  const t = parseCsv('id,age,y\nA,14,1\nA,15,0\n', F, ['id']);
  throwsInput(() => bindCases(t, [], { idColumn: 'id' }), /line 3, column "id": case id "A" appears twice \(also on line 2\)/);
  const t2 = parseCsv('id,age,y\nA,14,1\nB,15,2\n', F, ['id', 'y']);
  throwsInput(() => bindCases(t2, [{ name: 'priors', label: 'p' }], { idColumn: 'id' }), /has no column "priors" \(a feature the model needs\)/);
  throwsInput(() => bindCases(t2, [], { idColumn: 'id', outcomeColumn: 'y' }), /line 3, column "y": the outcome "2" is not 0\/1/);
});

test('binding reads outcomes, groups and the feature matrix in model order', () => {
  const t = parseCsv('id,b,a,y,sex\nA,1,2,true,F\nB,3,,0,M\nC,5,6,,\n', F, ['id', 'y', 'sex']);
  const cs = bindCases(t, [{ name: 'a', label: 'a' }, { name: 'b', label: 'b' }], { idColumn: 'id', outcomeColumn: 'y', groupColumns: ['sex'] });
  assert.deepEqual([...cs.x].map((v) => (Number.isNaN(v) ? null : v)), [2, 1, null, 3, 6, 5]);
  assert.deepEqual([...cs.outcome!], [1, 0, -1]);
  assert.deepEqual(cs.groups[0].labels, ['(missing)', 'F', 'M']);
  assert.deepEqual([...cs.groups[0].codes], [1, 2, 0]);
  assert.equal(cs.indexOf('C'), 2);
  assert.equal(cs.indexOf('Z'), -1);
});

/** Everything a table holds, for comparing two reads of the same bytes. */
function contents(t: ReturnType<typeof parseCsv>) {
  return {
    header: t.header,
    lines: [...t.lines],
    columns: t.header.map((h) => {
      const c = t.column(h)!;
      return c.kind === 'number' ? { kind: c.kind, values: [...c.values].map((v) => (Number.isNaN(v) ? 'NaN' : v)) } : { kind: c.kind, text: c.text };
    }),
  };
}

function outcomeOf(fn: () => ReturnType<typeof parseCsv>) {
  try {
    return contents(fn());
  } catch (e) {
    if (e instanceof InputError) return e.message;
    throw e;
  }
}

test('read in parts on worker threads: the same columns, lines and errors as on one thread', () => {
  const rows = ['id,a,b,note'];
  for (let i = 0; i < 3000; i++) rows.push(`r${i},${i % 7},${(i * 0.37).toFixed(2)},${i % 11 === 0 ? '"two\nlines, quoted"' : i % 13 === 0 ? '"a ""quote"""' : 'plain'}`);
  const files: Record<string, string> = {
    lf: rows.join('\n') + '\n',
    crlf: '\uFEFF' + rows.join('\r\n') + '\r\n',
    // "b" turns to text near the end (in the last part): earlier parts' numbers must come back as text.
    late: [...rows.slice(0, -1), 'r2999,1,n/a?,plain'].join('\n') + '\n',
    // Errors in two parts: the one earlier in the file is reported, with its line.
    errors: [...rows.slice(0, 2500), 'r2500,1,2', ...rows.slice(2501, 2900), 'r2900,1,2,3,4'].join('\n') + '\n',
    lateError: [...rows.slice(0, 2800), 'bad,"unclosed', ...rows.slice(2801)].join('\n') + '\n',
  };
  // The files are cut into as many parts as asked (else the test would read them whole).
  assert.equal(splitAtRecords(Buffer.from(files.lf), rows[0].length + 1, 3, '\n').starts.length, 2);
  for (const [name, text] of Object.entries(files)) {
    const bytes = Buffer.from(text);
    const one = outcomeOf(() => parseCsv(bytes, F, ['id']));
    for (const threads of [2, 3]) assert.deepEqual(outcomeOf(() => parseCsv(bytes, F, ['id'], { threads })), one, `${name}, ${threads} threads`);
  }
  const badLine = files.errors.split('\n').indexOf('r2500,1,2') + 1;
  assert.equal(outcomeOf(() => parseCsv(Buffer.from(files.errors), F, ['id'], { threads: 3 })), `${F}, line ${badLine}: has 3 fields where the header has 4`);
  assert.deepEqual((outcomeOf(() => parseCsv(Buffer.from(files.late), F, ['id'], { threads: 3 })) as ReturnType<typeof contents>).columns[2].kind, 'text');
});
