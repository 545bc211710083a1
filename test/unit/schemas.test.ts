import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

test('the generated validators are up to date with schemas/*.schema.json', () => {
  const file = 'extension/engine/schema/validators.generated.js';
  const before = readFileSync(file, 'utf8');
  execFileSync(process.execPath, ['scripts/compile-schemas.mjs']);
  assert.equal(readFileSync(file, 'utf8'), before, 'run `npm run build` and commit the regenerated validators');
});

test('the generated validators compile no code at run time', () => {
  const code = readFileSync('extension/engine/schema/validators.generated.js', 'utf8');
  assert.doesNotMatch(code, /new Function|\beval\(/);
});
