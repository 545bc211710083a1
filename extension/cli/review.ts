/**
 * How every verb opens its review: the engine's `openReview`, with the review's warnings (values outside
 * what the model saw) written to standard error as `risk-review: warning: …`, one line each. Warnings
 * never change the exit code; errors stay the one line `main` prints. An --out that is one of the run's
 * own inputs is refused first, --force or not.
 */
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { openReview, type Review } from '../engine/review';
import { byteSize } from '../engine/report/format';
import type { ReviewSpec } from '../engine/project';
import { str, type Values } from './args';
import { inputsOf, refuseInputAsOutput } from './output';
import { printWarning } from './stderr';
import type { Progress } from './progress';

/** " (1 GiB)": the size of the file being read; empty when it cannot be told. */
function sizeOf(file: string): string {
  try {
    return ` (${byteSize(statSync(file).size)})`;
  } catch {
    return '';
  }
}

/**
 * @param progress a long verb's progress, which says on a terminal that the case file is being read
 * (reading 5,000,000 cases takes a while, and nothing else shows meanwhile).
 */
export function openReviewAndWarn(spec: ReviewSpec, v: Values, progress?: Progress): Review {
  const out = str(v, 'out');
  if (out !== undefined) refuseInputAsOutput(out, inputsOf(spec, [['review log', str(v, 'review-log')]]));
  progress?.phase(`reading ${basename(spec.dataFile)}${sizeOf(spec.dataFile)}`);
  const review = openReview(spec);
  progress?.clear();
  progress?.startCounting();
  for (const w of review.warnings) printWarning(w.message);
  return review;
}
