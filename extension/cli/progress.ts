/**
 * Progress of long CLI work, on standard error. When standard error is a terminal, one line is redrawn
 * (at most ten times a second): a bar, the share done, the count, the rate and the time left —
 *
 *     explain [██████████░░░░░░░░░░░░░░]  42%  2,100,000 of 5,000,000 cases · 118,000 cases/s · 25 s left
 *
 * and at the end it is replaced by one final line of figures, which is printed whether or not standard
 * error is a terminal, so a log of a scheduled run keeps it too:
 *
 *     risk-review: explained 5,000,000 cases in 42 s (read in 12 s, then 166,000 cases/s)
 *
 * Nothing else is written while the bar is shown; an error first erases the bar (`clear`).
 */
import { duration, integer } from '../engine/report/format';

const BAR = 24;
const REDRAW_MS = 100;

export interface ProgressWords {
  /** The verb on the bar: "score", "explain", "export", "bootstrap". */
  readonly label: string;
  /** The past tense in the final line: "scored", "explained". */
  readonly done: string;
  /** What is counted: "case", "replicate". */
  readonly unit: string;
}

export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

const plural = (n: number, unit: string) => `${integer(n)} ${n === 1 ? unit : `${unit}s`}`;

/** The bar line for `done` of `total` after `seconds` (exported for tests). */
export function progressLine(words: ProgressWords, done: number, total: number, seconds: number): string {
  const share = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(share * BAR);
  const rate = seconds > 0 ? done / seconds : 0;
  const left = rate > 0 ? duration((total - done) / rate) : 'unknown';
  const percent = `${Math.floor(share * 100)}%`.padStart(4);
  return `${words.label} [${'█'.repeat(filled)}${'░'.repeat(BAR - filled)}] ${percent}  ${integer(done)} of ${plural(total, words.unit)} · ${integer(rate)} ${words.unit}s/s · ${left} left`;
}

/**
 * The final line's figures: "5,000,000 cases in 42 s (read in 12 s, then 166,000 cases/s)" — the time
 * to read the input, and the rate of the verb's own work (computing and writing) after it.
 */
export function finalFigures(words: ProgressWords, done: number, seconds: number, readSeconds: number): string {
  const working = seconds - readSeconds;
  const rate = working > 0 ? `${integer(done / working)} ${words.unit}s/s` : 'at once';
  return `${plural(done, words.unit)} in ${duration(seconds)} (read in ${duration(readSeconds)}, then ${rate})`;
}

/** The progress shown now, if any: an error or warning erases its line before it is printed. */
let shown: Progress | null = null;

export function clearProgressLine(): void {
  shown?.clear();
}

export class Progress {
  private readonly started = performance.now();
  /** When the counted work began (the input had been read); the start until then. */
  private counting: number | null = null;
  private lastDraw = -Infinity;
  private drawn = false;

  constructor(
    private readonly words: ProgressWords,
    private readonly stream: ProgressStream = process.stderr,
  ) {}

  /** Seconds since the work started (reading the input included). */
  seconds(): number {
    return (performance.now() - this.started) / 1000;
  }

  private draw(line: string): void {
    // A terminal of unknown width (0 columns under some pseudo-terminals) gets a line of 100.
    const width = Math.max(20, (this.stream.columns || 100) - 1);
    this.stream.write(`\r${line.slice(0, width)}\x1b[K`);
    this.drawn = true;
    shown = this;
  }

  /** A step before the counting starts ("reading cases.csv (1 GiB)…"), on a terminal. */
  phase(text: string): void {
    if (this.stream.isTTY) this.draw(`${this.words.label}: ${text}…`);
  }

  /** The input is read; the counted work starts now. */
  startCounting(): void {
    this.counting ??= performance.now();
  }

  /** `done` of `total` are finished; redraws the bar on a terminal when it is time. */
  update(done: number, total: number): void {
    this.startCounting();
    if (!this.stream.isTTY) return;
    const now = performance.now();
    if (now - this.lastDraw < REDRAW_MS && done < total) return;
    this.lastDraw = now;
    this.draw(progressLine(this.words, done, total, this.seconds()));
  }

  /** Erases the bar, so that what follows starts on a clean line. */
  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
    if (shown === this) shown = null;
  }

  /** Replaces the bar with the final line: "risk-review: explained 5,000,000 cases in 42 s (…)". */
  finish(done: number): void {
    this.clear();
    const read = ((this.counting ?? performance.now()) - this.started) / 1000;
    this.stream.write(`risk-review: ${this.words.done} ${finalFigures(this.words, done, this.seconds(), read)}\n`);
  }
}
