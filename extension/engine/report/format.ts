/**
 * Numbers as people read them in every summary format and in the panel: probabilities as percentages,
 * effects as signed points, plain numbers without float noise. One place, so the documents and the
 * panel never round the same number two ways.
 */

/** A number without float noise: at most `digits` decimals, trailing zeros dropped, "−0" shown as "0". */
export function plainNumber(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'missing' : v > 0 ? 'infinity' : '-infinity';
  const fixed = v.toFixed(digits);
  const s = digits > 0 ? fixed.replace(/\.?0+$/, '') : fixed;
  return s === '-0' ? '0' : s;
}

/** Exactly `digits` decimals ("0.90"), so that a figure and its interval's ends line up; "-0.00" shown as "0.00". */
export function fixedNumber(v: number, digits: number): string {
  const s = v.toFixed(digits);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

/** A probability as a percentage: "62.3%". */
export function percent(p: number, digits = 1): string {
  return `${plainNumber(p * 100, digits)}%`;
}

/** A signed effect: "+9.1", "-0.4", with one decimal below 10 and none above. */
export function signed(v: number): string {
  const digits = Math.abs(v) >= 10 ? 0 : 1;
  const s = plainNumber(v, digits);
  return v > 0 && s !== '0' ? `+${s}` : s;
}

/** An unsigned size for sentences ("9.1", "12", "less than 0.1"). */
export function magnitude(v: number): string {
  const a = Math.abs(v);
  if (a < 0.05) return 'less than 0.1';
  return plainNumber(a, a >= 10 ? 0 : 1);
}

/**
 * The score as shown: a percentage for a probability, else the number on the score's own scale with its
 * unit ("12 points" for an instrument's total; a score read from a column has none unless named).
 */
export function scoreText(score: number, isProbability: boolean, unit = 'points'): string {
  return isProbability ? percent(score) : unit ? `${plainNumber(score, 2)} ${unit}` : plainNumber(score, 2);
}

/**
 * A feature's value as people read it: the category's name, the number without float noise, or
 * "missing" — with the value the model takes instead where it imputes one ("missing (taken as 1.2)").
 * NaN or null is missing; `imputed` is NaN or absent where the model imputes nothing.
 */
export function featureValueText(v: number | null, categories?: readonly string[], imputed = NaN): string {
  if (v === null || v !== v) return imputed === imputed ? `missing (taken as ${plainNumber(imputed, 4)})` : 'missing';
  return categories ? (categories[v] ?? plainNumber(v)) : plainNumber(v, 4);
}

/** A whole number with thousands separators: "3,500". */
export function integer(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A duration as people read it: "0.4 s", "41 s", "3 min 20 s", "2 h 05 min". */
export function duration(seconds: number): string {
  if (!(seconds >= 0) || !Number.isFinite(seconds)) return 'unknown';
  if (seconds < 10) return `${plainNumber(seconds, 1)} s`;
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** A size in the binary units file managers use: "512 bytes", "1.5 KiB", "256 MiB", "2 GiB". */
export function byteSize(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let k = 0;
  while (v >= 1024 && k < units.length - 1) {
    v /= 1024;
    k++;
  }
  return k === 0 ? `${integer(bytes)} bytes` : `${plainNumber(v, 1)} ${units[k]}`;
}

/** "1 case" / "12 cases". */
export function count(n: number, one: string, many = one + 's'): string {
  return `${integer(n)} ${n === 1 ? one : many}`;
}

/** A list in words: "a", "a or b", "a, b or c". */
export function wordList(items: readonly string[], conjunction = 'or'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

/** The first 12 hex digits of a SHA-256, the part people compare by eye. */
export function shortHash(sha256: string): string {
  return sha256.slice(0, 12);
}

/** The size of a difference of probabilities in percentage points, always to one decimal: "12.1". */
export function pointsSize(difference: number): string {
  return fixedNumber(Math.abs(difference) * 100, 1);
}

/** A signed figure to `digits` decimals: "+12.1", "-0.4", "0.0". */
export function signedFixed(v: number, digits = 1): string {
  const s = fixedNumber(v, digits);
  return v > 0 && Number(s) !== 0 ? `+${s}` : s;
}

/**
 * A signed figure and its interval, all to the same decimals, scaled by `factor` (100 for percentage
 * points of a probability): "+12.1 (9.8 to 14.3)", "-1.0 (-3.4 to 1.5)". The ends are joined by "to",
 * never a dash, because either may be negative.
 */
export function signedEstimate(value: number, interval: readonly [number, number] | null, factor = 1, digits = 1): string {
  const v = signedFixed(value * factor, digits);
  return interval ? `${v} (${fixedNumber(interval[0] * factor, digits)} to ${fixedNumber(interval[1] * factor, digits)})` : v;
}
