import type { Command } from '../command';
import { score } from './score';
import { explain } from './explain';
import { exportCommand } from './export';
import { calibration } from './calibration';
import { surrogate } from './surrogate';
import { audit } from './audit';
import { decisions } from './decisions';
import { log } from './log';
import { decide } from './decide';
import { recourse } from './recourse';

/** Every verb, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [score, explain, recourse, exportCommand, calibration, audit, surrogate, decisions, decide, log];
