import type { OptionSpec, Values } from './args';

/** One verb of `risk-review`. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly options: OptionSpec;
  run(values: Values): void | Promise<void>;
}
