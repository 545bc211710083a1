/**
 * A case summary built by hand for the report tests: every section present, numbers that add up
 * (Shapley effects sum to score − base), and hooks to make any data string hostile.
 */
import type { CaseSummary } from '../../extension/engine/report/types';

export interface SampleStrings {
  readonly caseId?: string;
  readonly featureLabel?: string;
  readonly group?: string;
  readonly notes?: string;
}

export function sampleSummary(s: SampleStrings = {}): CaseSummary {
  const label = s.featureLabel ?? 'Prior referrals';
  const group = s.group ?? 'Female';
  const base = 0.31;
  const score = 0.623;
  // Effects in probability points; they add up to (score − base) × 100 = 31.3.
  const rows = [
    { feature: 'prior_referrals', label, value: 3, valueText: '3', contribution: 0.52, probabilityPoints: 12.4 },
    { feature: 'age_first', label: 'Age at first referral', value: 13, valueText: '13', contribution: 0.38, probabilityPoints: 9.1 },
    { feature: 'school', label: 'School attendance', value: 1, valueText: 'irregular', contribution: 0.21, probabilityPoints: 5.0 },
    { feature: 'peers', label: 'Peer group concerns', value: 1, valueText: 'yes', contribution: 0.17, probabilityPoints: 4.1 },
    { feature: 'family', label: 'Family support', value: 0, valueText: 'good', contribution: -0.09, probabilityPoints: -2.2 },
    { feature: 'offense', label: 'Offense type', value: 2, valueText: 'property', contribution: 0.06, probabilityPoints: 1.4 },
    { feature: 'substance', label: 'Substance use', value: 0, valueText: 'no', contribution: -0.05, probabilityPoints: -1.1 },
    { feature: 'age', label: 'Age', value: 15, valueText: '15', contribution: 0.03, probabilityPoints: 0.7 },
    { feature: 'employment', label: 'Employment', value: null, valueText: 'missing', contribution: 0.02, probabilityPoints: 0.5 },
    { feature: 'housing', label: 'Housing stability', value: 1, valueText: 'stable', contribution: -0.03, probabilityPoints: -0.7 },
    { feature: 'mental', label: 'Mental health referral', value: 0, valueText: 'no', contribution: 0.01, probabilityPoints: 0.3 },
    { feature: 'gang', label: 'Gang affiliation', value: 0, valueText: 'no', contribution: 0.04, probabilityPoints: 1.8 },
  ];
  const bins = (shift: number, n: number) =>
    [0.1, 0.3, 0.5, 0.7, 0.9].map((m, k) => {
      const rate = Math.min(0.98, Math.max(0.02, m + shift));
      const half = 1.96 * Math.sqrt((rate * (1 - rate)) / n);
      return { lower: k * 0.2, upper: (k + 1) * 0.2, n, meanScore: m, observedRate: rate, interval: [Math.max(0, rate - half), Math.min(1, rate + half)] as const };
    });
  const rate = (value: number, low: number, high: number) => ({ value, interval: [low, high] as const });
  const estimate = (value: number, half: number) => ({ value, interval: [value - half, value + half] as const });
  const metrics = (label: string, n: number, positives: number, shift: number, warnings: string[] = []) => ({
    label,
    n,
    positives,
    brier: estimate(0.19 + shift, 0.02),
    ece: 0.03 + shift,
    auc: estimate(0.74 - shift, 0.04),
    calibrationSlope: estimate(0.94 - shift, 0.14),
    calibrationIntercept: estimate(-0.05 + shift, 0.15),
    calibrationInTheLarge: estimate(0.012 + shift, 0.01),
    fpr: rate(0.21 + shift, 0.17 + shift, 0.25 + shift),
    fnr: rate(0.33 - shift, 0.28 - shift, 0.38 - shift),
    ppv: rate(0.64, 0.59, 0.69),
    selectionRate: rate(0.41, 0.38, 0.44),
    warnings,
  });
  const everyone = { label: 'Everyone', n: 1000, positives: 480, bins: bins(0, 200) };
  const groupCurve = { label: group, n: 150, positives: 62, bins: bins(-0.06, 30) };
  return {
    header: {
      caseId: s.caseId ?? 'J-0042',
      score,
      scoreIsProbability: true,
    scoreUnit: 'points',
      margin: 0.5022,
      band: 'High',
      threshold: 0.5,
      flagged: true,
      outcome: 1,
      outcomeColumn: 'reoffended',
      groups: [{ column: 'sex', group }],
    },
    attribution: { method: 'Exact TreeSHAP (path-dependent)', scale: 'log-odds', baseValue: -0.8, baseScore: base, rows },
    surrogate: {
      method: 'CART regression tree on the model score, depth 3 (ml-cart)',
      nodes: [
        { value: 0.45, n: 1000, children: [1, 2] },
        { condition: { kind: 'below', feature: 'prior_referrals', label, threshold: 1.5, includesMissing: false }, value: 0.3, n: 560, children: [] },
        { condition: { kind: 'atLeast', feature: 'prior_referrals', label, threshold: 1.5, includesMissing: true }, value: 0.63, n: 440, children: [3, 4] },
        { condition: { kind: 'below', feature: 'age_first', label: 'Age at first referral', threshold: 14, includesMissing: false }, value: 0.71, n: 200, children: [] },
        { condition: { kind: 'atLeast', feature: 'age_first', label: 'Age at first referral', threshold: 14, includesMissing: false }, value: 0.55, n: 240, children: [] },
      ],
      path: [0, 2, 3],
      rule: [
        { kind: 'atLeast', feature: 'prior_referrals', label, threshold: 1.5, includesMissing: true },
        { kind: 'below', feature: 'age_first', label: 'Age at first referral', threshold: 14, includesMissing: false },
      ],
      leafScore: 0.71,
      fidelity: [
        { measure: "R² of the rule's score against the model's", kind: 'r2', value: 0.87, n: 1000 },
        { measure: "cases the rule puts in the model's band", kind: 'share', value: 0.93, n: 1000 },
      ],
      agreesWithModel: true,
      caseFit: { ruleBand: 'High', modelBand: 'High', errorRank: 0.64, leafSpread: 0.08, poorlyServed: false },
      notes: ["Fitted to the model's probability on all 1000 cases loaded; fidelity is measured on the same cases."],
    },
    calibration: {
      scale: 'probability',
      absentFigures: null,
      method:
        'Reliability bins (5, uniform); outcome rates with Wilson score intervals; other intervals: AUC by DeLong (logit scale), Brier score by normal approximation (central limit theorem), slope and intercept by Wald (observed information)',
      confidence: 0.95,
      intervalMethod: 'Wilson score interval',
      outcomeColumn: 'reoffended',
      everyone,
      everyoneCaseBin: everyone.bins[3],
      everyoneMetrics: metrics('Everyone', 1000, 480, 0),
      groups: [
        {
          column: 'sex',
          group,
          curve: groupCurve,
          caseBin: groupCurve.bins[3],
          smallGroup: { n: 30, minimum: 50 },
          columnMetrics: [metrics(group, 150, 62, 0.02, ['2 bins have fewer than 10 cases (80%–90%: 4; 90%–100%: 2): their observed rates are very uncertain']), metrics('Male', 850, 418, -0.004)],
          reference: 'Male',
        },
      ],
    },
    sensitivity: {
      curves: {
        method: 'Each feature swept over its values with every other feature held at this case\'s values',
        bands: [{ label: 'Low', below: 0.25 }, { label: 'Medium', below: 0.5 }, { label: 'High' }],
        curves: [
          { feature: 'prior_referrals', label, riskFactor: 'static', shape: 'points', points: [0, 1, 2, 3, 4].map((v) => ({ value: v, score: 0.4 + 0.06 * v })), end: 4, caseValue: 3, caseValueText: '3', missingScore: null },
          { feature: 'school', label: 'School attendance', riskFactor: 'dynamic', shape: 'points', points: [{ value: 0, score: 0.55 }, { value: 1, score: 0.623 }, { value: 2, score: 0.66 }], end: 2, categories: ['regular', 'irregular', 'none'], caseValue: 1, caseValueText: 'irregular', missingScore: 0.6 },
          { feature: 'age', label: 'Age', riskFactor: 'static', shape: 'steps', points: [{ value: 12, score: 0.7 }, { value: 14.5, score: 0.623 }, { value: 16.5, score: 0.58 }], end: 18, caseValue: 15, caseValueText: '15', missingScore: 0.62 },
          { feature: 'employment', label: 'Employment', riskFactor: 'dynamic', shape: 'line', points: [0, 10, 20, 30, 40].map((v) => ({ value: v, score: 0.623 - v / 400 })), end: 40, caseValue: null, caseValueText: 'missing', missingScore: 0.623 },
        ],
      },
      recourse: {
        method: 'Exact search over the dynamic features\' allowed values',
        status: 'found',
        target: { band: 'Medium', below: 0.5 },
        maxChanges: 1,
        options: [
          { changes: [{ feature: 'school', label: 'School attendance', from: 1, to: 0, fromText: 'irregular', toText: 'regular', size: 1 }], size: 1, score: 0.49, margin: -0.04, band: 'Medium' },
        ],
        changeable: [
          { feature: 'school', label: 'School attendance', valueText: 'irregular', direction: 'either', values: { categories: ['regular', 'irregular', 'none'] } },
          { feature: 'employment', label: 'Employment', valueText: 'missing', direction: 'increase', values: { min: 0, max: 40, step: 0.5 }, fixed: 'missing' },
        ],
        search: { evaluated: 3, complete: true, bound: null },
        notes: ['Employment is missing for this case and stays missing: recording an unknown value is not a change in the person.'],
      },
    },
    whatIfs: [{ changes: [{ feature: 'school', label: 'School attendance', from: 'irregular', to: 'regular' }], score: 0.57, band: 'Medium', note: 'Attendance improved since March' }],
    decision: { verdict: 'disagree', reason: 'Referrals were for one incident', notes: s.notes ?? 'Two of the three referrals concern the same incident.\nRecommend a standard review.', reviewer: 'A. Analyst', time: '2026-11-20T10:15:00Z' },
    provenance: {
      modelName: 'Juvenile reoffending (XGBoost)',
      modelVersion: '2.1',
      modelKind: 'xgboost',
      modelFile: 'juvenile.model.json',
      modelSha256: '3f5a9c0e7b21d4e8a6f0c1b2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2',
      dataFile: 'cases.csv',
      dataSha256: 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90',
      extensionVersion: '0.1.0',
      methods: ['Exact TreeSHAP', 'CART surrogate (ml-cart)', 'Reliability bins with Wilson intervals'],
      generatedAt: '2026-11-23T12:00:00.000Z',
    },
    unavailable: [],
    redacted: false,
  };
}
