import type { OptionSpec, Values } from './args';

/** One verb of `risk-review`. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly options: OptionSpec;
  /** Names of the arguments the verb takes by position, in order (`log verify FILE`: action, file). */
  readonly positionals?: readonly string[];
  run(values: Values): void | Promise<void>;
}
