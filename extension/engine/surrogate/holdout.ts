/**
 * Fidelity on cases the tree never saw. The surrogate's fidelity over the cases it was fitted to says how
 * well this tree imitates the model here; it can flatter a tree that learnt the cases rather than the
 * model. So a second tree is grown the same way on four fifths of the cases and measured on the fifth
 * held out: if the two figures are close, the rule describes the model, not the sample.
 *
 * The held-out fifth is fixed by position, not drawn at random, so every run gives the same figures
 * (a summary must be reproducible from its provenance). Case i (0-based) is held out when
 *
 *     ((i + 1) · 2654435761) mod 2³² < 2³² / 5,
 *
 * Fibonacci hashing: (i + 1)·φ⁻¹ modulo 1 spreads any run of consecutive positions evenly over [0, 1),
 * so a file sorted by date, score or group gives a held-out fifth spread across the whole file.
 * test/oracles/surrogate_fixtures.py applies the same rule in Python for scikit-learn's figures.
 */
import type { Band } from '../models/types';
import { fidelityOf } from './fidelity';
import { route } from './path';
import type { Fidelity, SurrogateNode } from './types';

/** Below this many cases the held-out fifth is too small to say anything; no held-out figure is given. */
export const MIN_CASES_FOR_HOLDOUT = 100;

const FIBONACCI = 2654435761;
const FIFTH = 0x33333333; // ⌊2³² / 5⌋

export function isHeldOut(i: number): boolean {
  return Math.imul(i + 1, FIBONACCI) >>> 0 < FIFTH;
}

/** The rows of `x` (row-major, `m` per row) and their scores, split into the fitted and the held-out part. */
export function splitForHoldout(x: Float64Array, m: number, score: Float64Array): { fit: { x: Float64Array; score: Float64Array }; held: { x: Float64Array; score: Float64Array } } {
  const n = score.length;
  let nHeld = 0;
  for (let i = 0; i < n; i++) if (isHeldOut(i)) nHeld++;
  const fit = { x: new Float64Array((n - nHeld) * m), score: new Float64Array(n - nHeld) };
  const held = { x: new Float64Array(nHeld * m), score: new Float64Array(nHeld) };
  let f = 0;
  let h = 0;
  for (let i = 0; i < n; i++) {
    const part = isHeldOut(i) ? held : fit;
    const k = part === held ? h++ : f++;
    part.x.set(x.subarray(i * m, (i + 1) * m), k * m);
    part.score[k] = score[i];
  }
  return { fit, held };
}

/** How well a tree (grown without them) reproduces the scores of the held-out rows. */
export function fidelityOn(nodes: readonly SurrogateNode[], x: Float64Array, m: number, score: Float64Array, scoreBands: readonly string[], bands: readonly Band[]): Fidelity {
  const prediction = new Float64Array(score.length);
  for (let i = 0; i < score.length; i++) {
    const path = route(nodes, x, i * m);
    prediction[i] = nodes[path[path.length - 1]].mean;
  }
  return fidelityOf(score, scoreBands, prediction, bands);
}
