/**
 * Every split of a forest as one comparison, so that the scorer and TreeSHAP walk XGBoost's and
 * LightGBM's trees, numeric and categorical splits alike, with the same branch-free step:
 *
 *     goes right  ⇔  channel value ≥ cut
 *
 * A *channel* is one feature read the way a group of splits reads it (rules in types.ts `SplitRule`):
 *   - numeric, XGBoost:   fround(x); a missing value becomes NaN (default left: NaN ≥ cut is false for
 *                         every cut) or +∞ (default right: +∞ ≥ cut is true for every cut); cut = threshold.
 *   - numeric, LightGBM:  x, with |x| ≤ 1e-35 read as 0 and +∞ as the largest double; then a missing value
 *                         becomes NaN/+∞ (missing type NaN) or 0 (Zero, None), and for type Zero a 0 becomes
 *                         NaN/+∞ (its default branch). "Left when x ≤ t" is "right when x ≥ the next double
 *                         above t": cut = nextUp(t) (for t = +∞, cut = +∞: every present value goes left,
 *                         which is why a present +∞ is read as the largest double).
 *   - categorical:        1 when the case goes right, else 0 (set membership, the missing value's branch
 *                         and the library's rule for other codes all decided here); cut = ½.
 * Channels that read the same feature the same way are shared, so a case is read once per channel
 * (`fillChannels`) and every split then costs one load and one comparison.
 */
import { SplitRule, type Forest } from './types';

/** LightGBM's kZeroThreshold (a float constant held in a double). */
export const LIGHTGBM_ZERO = Math.fround(1e-35);
/** XGBoost reads a category code at or above this as invalid (2^24: float32 holds integers exactly below it). */
const XGBOOST_MAX_CATEGORY = 16777216;

const enum Kind {
  XGBoostNumber = 0,
  LightGBMNumber = 1,
  XGBoostCategory = 2,
  LightGBMCategory = 3,
}

/** A forest's channels and each node's channel and cut. Built once per forest (`channelsOf`). */
export interface Channels {
  readonly count: number;
  readonly feature: Int32Array;
  readonly kind: Uint8Array;
  /** Numeric channels: the value a missing input becomes (NaN, +∞ or 0). */
  readonly missingAs: Float64Array;
  /** Numeric channels: the value 0 becomes (LightGBM's missing type Zero), or NaN to keep 0 as it is. */
  readonly zeroAs: Float64Array;
  readonly keepsZero: Uint8Array;
  /** Categorical channels: their set as a bitset `bits[setStart[c] …]` of `setWords[c]` 32-bit words. */
  readonly setStart: Int32Array;
  readonly setWords: Int32Array;
  readonly bits: Int32Array;
  /** Categorical channels: the value (0/1) for a category in the set, and for a missing value. */
  readonly inSet: Uint8Array;
  readonly missing: Uint8Array;
  /** Per node: the channel it compares and the cut (leaves: channel 0, cut +∞). */
  readonly input: Int32Array;
  readonly cut: Float64Array;
}

/** The next double above t (t finite or −∞). */
export function nextUp(t: number): number {
  if (t !== t || t === Infinity) return t;
  if (t === 0) return Number.MIN_VALUE;
  const buffer = new Float64Array([t]);
  const bits = new BigInt64Array(buffer.buffer);
  bits[0] += t > 0 ? 1n : -1n;
  return buffer[0];
}

interface ChannelSpec {
  kind: Kind;
  feature: number;
  missingAs: number;
  zeroAs: number | null;
  set: Int32Array | null;
  inSet: number;
  missing: number;
}

function specOf(forest: Forest, k: number): { spec: ChannelSpec; cut: number } {
  const feature = forest.feature[k];
  const t = forest.threshold[k];
  const towardDefault = forest.defaultLeft[k] ? NaN : Infinity;
  const set = () => forest.categories.subarray(forest.categoryStart[k], forest.categoryStart[k + 1]);
  const number = (kind: Kind, missingAs: number, zeroAs: number | null, cut: number) => ({ spec: { kind, feature, missingAs, zeroAs, set: null, inSet: 0, missing: 0 }, cut });
  const category = (kind: Kind, inSet: number, missing: number) => ({ spec: { kind, feature, missingAs: 0, zeroAs: null, set: set(), inSet, missing }, cut: 0.5 });
  const rule = forest.split[k] as SplitRule;
  switch (rule) {
    case SplitRule.XGBoostLess:
      return number(Kind.XGBoostNumber, towardDefault, null, t);
    case SplitRule.LightGBMLessNaN:
      return number(Kind.LightGBMNumber, towardDefault, null, nextUp(t));
    case SplitRule.LightGBMLessZero:
      return number(Kind.LightGBMNumber, 0, towardDefault, nextUp(t));
    case SplitRule.LightGBMLessNone:
      return number(Kind.LightGBMNumber, 0, null, nextUp(t));
    case SplitRule.XGBoostCategory:
      return category(Kind.XGBoostCategory, 1, forest.defaultLeft[k] ? 0 : 1);
    case SplitRule.LightGBMCategory:
      return category(Kind.LightGBMCategory, 0, 1);
  }
}

function keyOf(s: ChannelSpec): string {
  return `${s.kind} ${s.feature} ${s.missingAs} ${s.zeroAs} ${s.inSet} ${s.missing} ${s.set ? s.set.join(',') : ''}`;
}

const built = new WeakMap<Forest, Channels>();

export function channelsOf(forest: Forest): Channels {
  const done = built.get(forest);
  if (done) return done;
  const nodes = forest.left.length;
  const index = new Map<string, number>();
  const specs: ChannelSpec[] = [];
  const input = new Int32Array(nodes);
  const cut = new Float64Array(nodes).fill(Infinity);
  for (let k = 0; k < nodes; k++) {
    if (forest.left[k] < 0) continue;
    const { spec, cut: c } = specOf(forest, k);
    const key = keyOf(spec);
    let channel = index.get(key);
    if (channel === undefined) {
      channel = specs.length;
      index.set(key, channel);
      specs.push(spec);
    }
    input[k] = channel;
    cut[k] = c;
  }
  const count = specs.length;
  const words = specs.map((s) => (s.set && s.set.length > 0 ? (s.set[s.set.length - 1] >> 5) + 1 : 0));
  const setStart = new Int32Array(count);
  let offset = 0;
  words.forEach((w, c) => {
    setStart[c] = offset;
    offset += w;
  });
  const bits = new Int32Array(offset);
  specs.forEach((s, c) => {
    if (s.set) for (const code of s.set) bits[setStart[c] + (code >> 5)] |= 1 << (code & 31);
  });
  const channels: Channels = {
    count,
    feature: Int32Array.from(specs, (s) => s.feature),
    kind: Uint8Array.from(specs, (s) => s.kind),
    missingAs: Float64Array.from(specs, (s) => s.missingAs),
    zeroAs: Float64Array.from(specs, (s) => s.zeroAs ?? NaN),
    keepsZero: Uint8Array.from(specs, (s) => (s.zeroAs === null ? 1 : 0)),
    setStart,
    setWords: Int32Array.from(words),
    bits,
    inSet: Uint8Array.from(specs, (s) => s.inSet),
    missing: Uint8Array.from(specs, (s) => s.missing),
    input,
    cut,
  };
  built.set(forest, channels);
  return channels;
}

/** Whether category code c (an integer ≥ 0) is in channel ch's set. */
function inSet(ch: Channels, c: number, code: number): boolean {
  const word = code >>> 5;
  return word < ch.setWords[c] && ((ch.bits[ch.setStart[c] + word] >>> (code & 31)) & 1) === 1;
}

/** The value channel c reads from an input v (NaN = missing). */
export function channelValue(ch: Channels, c: number, v: number): number {
  switch (ch.kind[c] as Kind) {
    case Kind.XGBoostNumber: {
      const f = Math.fround(v);
      return f === f ? f : ch.missingAs[c];
    }
    case Kind.LightGBMNumber: {
      let f = v >= -LIGHTGBM_ZERO && v <= LIGHTGBM_ZERO ? 0 : v === Infinity ? Number.MAX_VALUE : v;
      if (f !== f) f = ch.missingAs[c];
      return f === 0 && !ch.keepsZero[c] ? ch.zeroAs[c] : f;
    }
    case Kind.XGBoostCategory: {
      if (v !== v) return ch.missing[c];
      const f = Math.fround(v);
      const valid = f >= 0 && f < XGBOOST_MAX_CATEGORY;
      return valid && inSet(ch, c, Math.trunc(f)) ? ch.inSet[c] : 1 - ch.inSet[c];
    }
    case Kind.LightGBMCategory: {
      if (v !== v) return ch.missing[c];
      // C++'s static_cast<int>: toward zero; outside int32 it is undefined, and x86 gives a negative code.
      const code = v > -1 && v < 2147483648 ? Math.trunc(v) : -1;
      return code >= 0 && inSet(ch, c, code) ? ch.inSet[c] : 1 - ch.inSet[c];
    }
  }
}

/** Reads every channel of the case at `x[offset …]` into `out[outOff …]`. */
export function fillChannels(ch: Channels, x: Float64Array, offset: number, out: Float64Array, outOff: number): void {
  const feature = ch.feature;
  for (let c = 0; c < ch.count; c++) out[outOff + c] = channelValue(ch, c, x[offset + feature[c]]);
}
