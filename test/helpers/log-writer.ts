/**
 * A review-log writer as a separate process, for the concurrency tests (test/unit/review-log-concurrency.test.ts):
 *
 *   node --import tsx test/helpers/log-writer.ts append FILE PREFIX COUNT [BIG_BYTES]
 *     appends COUNT decisions (PREFIX-1 … PREFIX-COUNT) with `appendEntry`, every tenth with notes of
 *     BIG_BYTES characters, and prints each case id on standard output once its append has returned
 *     (the decision is then on disk: what a reviewer sees as "Decision recorded.");
 *   node --import tsx test/helpers/log-writer.ts tear FILE
 *     takes the log's lock, writes the first half of a decision's line, prints "torn", and waits to be
 *     killed: a writer killed in the middle of its write, at the worst moment, every time.
 */
import { openSync, writeSync } from 'node:fs';
import { withFileLock } from '../../extension/engine/fileLock';
import { sealLine } from '../../extension/engine/logChain';
import { appendEntry, type ReviewLogEntry } from '../../extension/engine/reviewLog';

const [mode, file, prefix = 'W', countText = '1', bigText = '0'] = process.argv.slice(2);

const entry = (caseId: string, notes: string): ReviewLogEntry => ({
  caseId,
  verdict: 'disagree',
  reason: `written by process ${process.pid}`,
  notes,
  band: 'High',
  blind: true,
  reviewer: `writer-${prefix}`,
  modelSha256: 'a'.repeat(64),
  dataSha256: 'b'.repeat(64),
  model: 'm',
  time: new Date().toISOString(),
  version: 'test',
});

async function main(): Promise<void> {
  if (mode === 'append') {
    const big = 'n'.repeat(Number(bigText));
    for (let k = 1; k <= Number(countText); k++) {
      const id = `${prefix}-${k}`;
      await appendEntry(file, entry(id, k % 10 === 0 ? big : `note ${k}`));
      process.stdout.write(`${id}\n`);
    }
    return;
  }
  if (mode === 'tear') {
    await withFileLock(file, async () => {
      const line = sealLine({ ...entry(`${prefix}-torn`, 'never finished'), prev: null });
      const fd = openSync(file, 'a');
      writeSync(fd, line.slice(0, Math.floor(line.length / 2)));
      process.stdout.write('torn\n');
      await new Promise(() => setInterval(() => {}, 1 << 30)); // held until killed
    });
  }
}

void main();
