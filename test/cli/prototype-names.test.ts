/**
 * Names from the data are looked up as names, never as members of Object.prototype: a model whose
 * coefficient, a case file whose column or a group whose label is `constructor`, `toString`,
 * `__proto__`, `valueOf` or `hasOwnProperty` works through every verb like any other name, and no
 * function or "[object Object]" leaks into an output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';

const NAMES = ['constructor', 'toString', '__proto__', 'valueOf', 'hasOwnProperty'];
const LEAK = /function |\[native code\]|\[object Object\]/;

for (const name of NAMES) {
  test(`a feature, a group column and a group named "${name}" go through every verb`, () => {
    const d = mkdtempSync(join(tmpdir(), 'rr-proto-'));
    const at = (f: string) => join(d, f);
    writeFileSync(at('cases.csv'), `id,${name},b,y,g\nA,1,2,0,${name}\nB,3,1,1,other\nC,2,2,1,${name}\nD,0,3,0,other\n`);
    writeFileSync(at('m.riskmodel.json'), `{"kind":"logistic","intercept":0.1,"coefficients":{"${name}":0.5,"b":-0.2},"labels":{"b":"Bee"}}`);
    writeFileSync(at('p.riskreview.json'), `{"model":"m.riskmodel.json","data":"cases.csv","idColumn":"id","outcomeColumn":"y","groupColumns":["g"],"referenceGroups":{"g":"other"},"features":{"b":{"label":"B!"}}}`);
    const project = ['--project', at('p.riskreview.json')];
    const runs = [
      ['score', '--format', 'csv'],
      ['explain', '--all'],
      ['export', '--case', 'A'],
      ['export', '--case', 'A', '--format', 'html'],
      ['surrogate', '--case', 'A'],
      ['calibration', '--case', 'A'],
      ['calibration', '--group', name],
      ['calibration', '--group', 'g', '--reference', name],
    ];
    for (const args of runs) {
      const r = runCli([...args, ...project]);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.doesNotMatch(r.stdout, LEAK, args.join(' '));
    }
    const explained = JSON.parse(runCli(['explain', '--case', 'B', ...project]).stdout);
    assert.deepEqual(explained.attributions.map((a: { feature: string }) => a.feature), [name, 'b']);
    assert.equal(explained.attributions[0].value, 3);
    const summary = runCli(['export', '--case', 'A', ...project]).stdout;
    assert.match(summary, new RegExp(`${name.replace(/_/g, '\\\\?_')} \\(1\\)`), 'the feature is named by its own name, with its value');
  });
}
