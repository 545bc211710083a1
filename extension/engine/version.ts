/**
 * Risk Review's version, as every summary's provenance and `--version` quote it. esbuild writes it in
 * from package.json at build time; running from source (tests under tsx) says so.
 */
export const RISK_REVIEW_VERSION: string = process.env.RISK_REVIEW_VERSION ?? '0.0.0-dev';
