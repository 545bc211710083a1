/**
 * How every verb opens its review: the engine's `openReview`, with the review's warnings (values outside
 * what the model saw) written to standard error as `risk-review: warning: …`, one line each. Warnings
 * never change the exit code; errors stay the one line `main` prints.
 */
import { openReview, type Review } from '../engine/review';
import type { ReviewSpec } from '../engine/project';
import { printWarning } from './stderr';

export function openReviewAndWarn(spec: ReviewSpec): Review {
  const review = openReview(spec);
  for (const w of review.warnings) printWarning(w.message);
  return review;
}
