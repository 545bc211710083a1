/**
 * `risk-review`: the engine on the command line. Exit codes: 0 success, 1 bad input (one message naming
 * the file and place), 2 bad usage, 70 an internal error (a bug: please report it).
 */
import { isInputError } from '../engine/errors';
import { RISK_REVIEW_VERSION } from '../engine/version';
import { refuseOverwrite } from '../engine/io';
import { UsageError } from '../engine/project';
import { COMMON_HELP, parse } from './args';
import { COMMANDS } from './commands/index';
import { printError } from './stderr';

const VERSION = RISK_REVIEW_VERSION;

function help(): string {
  const verbs = COMMANDS.map((c) => `  ${c.name.padEnd(12)} ${c.summary}`).join('\n');
  return `risk-review ${VERSION}: review risk-assessment scores case by case.\n\nUsage: risk-review <verb> [options]\n\nVerbs:\n${verbs}\n\n${COMMON_HELP}\n\nrisk-review <verb> --help shows a verb's own options.\n`;
}

export async function main(argv: readonly string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === undefined || verb === '--help' || verb === '-h' || verb === 'help') {
    process.stdout.write(help());
    return verb === undefined ? 2 : 0;
  }
  if (verb === '--version') {
    process.stdout.write(VERSION + '\n');
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === verb);
  try {
    if (!command) throw new UsageError(`unknown verb "${verb}"; verbs: ${COMMANDS.map((c) => c.name).join(', ')}`);
    const values = parse(rest, command.options, command.positionals);
    if (values.help) {
      process.stdout.write(`Usage: ${command.usage}\n\n${COMMON_HELP}\n`);
      return 0;
    }
    // Refuse an existing --out before the work, not after minutes of it (emit checks again when writing).
    if (typeof values.out === 'string') refuseOverwrite(values.out, values.force === true);
    await command.run(values);
    return 0;
  } catch (e) {
    if (isInputError(e)) {
      printError(e.message);
      return 1;
    }
    if (e instanceof UsageError) {
      printError(e.message);
      if (command) process.stderr.write(`Usage: ${command.usage}\n`);
      return 2;
    }
    printError(`internal error: ${(e as Error)?.message ?? String(e)} (this is a bug in Risk Review; please report it)`);
    return 70;
  }
}

// A reader that stops early (`| head`) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.exitCode = 70;
  },
);
