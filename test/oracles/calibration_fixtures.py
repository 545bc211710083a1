"""Regenerates test/fixtures/calibration/: cases and scikit-learn's calibration figures for them.

Run with Debian's Python (scikit-learn 1.2, scipy, numpy, statsmodels): /usr/bin/python3 test/oracles/calibration_fixtures.py
Regenerating needs statsmodels, Debian's package: apt-get install -y python3-statsmodels (0.13.5 made the
committed fixtures). The tests do not need Python.

Files written
  synthetic.json   seeded synthetic scores, outcomes (1/0/-1 unknown) and groups, with a large well
                   calibrated group, a miscalibrated one, a small group (30 cases), a group whose outcomes
                   are all 0, and scores placed exactly on bin edges, at 0 and 1, and tied; plus the
                   reference figures for several settings (bins, strategy, threshold).
  compas.json      the COMPAS data (../shared/data/compas, see its README): decile_score as the score
                   (decile / 10), two_year_recid as the outcome, race as the group; reference figures.
  cli/             a logistic model, its cases (CSV, with an unknown outcome and a small group) and the
                   reference figures for the CLI test, computed on the model's scores in numpy (which may
                   differ from the engine's in the last bit: quantile edges are compared to 1e-6 there).

Reference figures, for everyone and per group, over the cases with a known outcome:
  calibration_curve(y, p, n_bins, strategy)  -> prob_true, prob_pred (non-empty bins only)
  bin counts: numpy.bincount of numpy.searchsorted(edges[1:-1], p), edges as calibration_curve makes them
  brier_score_loss, roc_auc_score (null when one class: scikit-learn raises)
  ECE = sum over non-empty bins of n_b / N * |prob_true_b - prob_pred_b|
  slope, intercept: Newton's method on the unpenalised logistic regression of y on logit(clip(p, 1e-15)),
    cross-checked here against LogisticRegression(penalty=None) (its lbfgs stops early, so it is only a check)
  FPR, FNR, PPV, selection rate from sklearn.metrics.confusion_matrix(y, p >= threshold)
  Wilson intervals: scipy.stats.binomtest(k, n).proportion_ci(0.95, method="wilson")
  standardErrors (null where the engine gives none):
    auc: DeLong's variance by brute force: the placement values from the full m x n pairwise comparison
      matrix (1 above, 1/2 tied), their sample variances S10, S01, and sqrt(S10/m + S01/n) -- O(m n),
      independent of the engine's merge of sorted scores; null with fewer than 2 cases of a class
    brier: numpy, std(d, ddof=1) / sqrt(n), d = (p - y)**2
    calibrationSlope, calibrationIntercept: statsmodels Logit(y, [1, logit(clip(p))]).fit(method="newton").bse
  figureIntervals: 95% intervals from those, with the engine's z = norm.ppf(0.975) = 1.959963984540054 (so that the ends check the
    formulas, not the last digits of z): AUC on the logit scale, expit(logit(auc) +- z se / (auc (1 - auc)));
    Brier b +- z se clipped to [0, 1]; slope and intercept estimate +- z se; null when se is none or 0
  Bootstrap intervals of the AUC, ECE and slope gaps of the large synthetic groups (bootstrap_gaps).
"""
import json
import os

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy.special import expit, logit
from scipy.stats import binomtest, norm
from sklearn.calibration import calibration_curve
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, confusion_matrix, roc_auc_score

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "fixtures", "calibration")
COMPAS = os.path.join(HERE, "..", "..", "..", "shared", "data", "compas", "compas-two-years.csv")
if not os.path.exists(COMPAS):
    COMPAS = "/work/shared/data/compas/compas-two-years.csv"


def wilson(k, n):
    if n == 0:
        return None
    ci = binomtest(int(k), int(n)).proportion_ci(confidence_level=0.95, method="wilson")
    return [float(ci.low), float(ci.high)]


def newton_logistic(x, y):
    """Unpenalised logistic regression of y on (1, x): Newton's method with step halving, to machine precision."""
    X = np.column_stack([np.ones_like(x), x])

    def loglik(beta):
        eta = X @ beta
        return float(np.sum(y * eta - np.logaddexp(0, eta)))

    beta = np.array([0.0, 1.0])
    for _ in range(200):
        mu = 1 / (1 + np.exp(-(X @ beta)))
        g = X.T @ (y - mu)
        H = (X * (mu * (1 - mu))[:, None]).T @ X
        step = np.linalg.solve(H, g)
        # Halve only on a real fall: near the optimum the log-likelihood changes less than its rounding.
        while loglik(beta + step) < loglik(beta) - 1e-12 * abs(loglik(beta)) and np.max(np.abs(step)) > 1e-15:
            step = step / 2
        beta = beta + step
        if np.max(np.abs(step)) < 1e-13:
            return beta
    raise RuntimeError("Newton did not converge")


Z = float(norm.ppf(0.975))  # the engine's Z_95, the exact 97.5% normal quantile


def delong_se(p, y):
    """DeLong's standard error of the AUC from the full pairwise comparison matrix (brute force)."""
    pos, neg = p[y == 1], p[y == 0]
    if len(pos) < 2 or len(neg) < 2:
        return None
    psi = (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])
    v10 = psi.mean(axis=1)  # for each positive, the share of negatives it outranks
    v01 = psi.mean(axis=0)  # for each negative, the share of positives that outrank it
    assert abs(psi.mean() - roc_auc_score(y, p)) < 1e-12
    return float(np.sqrt(v10.var(ddof=1) / len(pos) + v01.var(ddof=1) / len(neg)))


def statsmodels_se(x, y, intercept, slope):
    """statsmodels' Logit standard errors (intercept, slope), its fit checked against the Newton fit above."""
    fit = sm.Logit(y, np.column_stack([np.ones_like(x), x])).fit(method="newton", tol=1e-12, maxiter=100, disp=0)
    assert np.allclose(fit.params, [intercept, slope], rtol=1e-9, atol=1e-12), (fit.params, intercept, slope)
    return float(fit.bse[0]), float(fit.bse[1])


def normal_interval(estimate, se, lower=-np.inf, upper=np.inf):
    if se is None or not se > 0:
        return None
    return [float(max(lower, estimate - Z * se)), float(min(upper, estimate + Z * se))]


def logit_interval(estimate, se):
    if se is None or not se > 0 or not 0 < estimate < 1:
        return None
    half = Z * se / (estimate * (1 - estimate))
    return [float(expit(logit(estimate) - half)), float(expit(logit(estimate) + half))]


def edges_of(p, n_bins, strategy):
    if strategy == "quantile":
        return np.percentile(p, np.linspace(0, 1, n_bins + 1) * 100)
    return np.linspace(0.0, 1.0, n_bins + 1)


def figures(p, y, n_bins, strategy, threshold):
    n = len(p)
    out = {"n": n, "positives": int(y.sum())}
    if n == 0:
        return out
    edges = edges_of(p, n_bins, strategy)
    ids = np.searchsorted(edges[1:-1], p)
    counts = np.bincount(ids, minlength=n_bins)
    pos_counts = np.bincount(ids, weights=y, minlength=n_bins)
    prob_true, prob_pred = calibration_curve(y, p, n_bins=n_bins, strategy=strategy)
    nonzero = counts > 0
    assert nonzero.sum() == len(prob_true)
    out["edges"] = edges.tolist()
    out["binCounts"] = counts.tolist()
    out["binPositives"] = pos_counts.astype(int).tolist()
    out["probTrue"] = prob_true.tolist()
    out["probPred"] = prob_pred.tolist()
    out["binIntervals"] = [wilson(k, c) for k, c in zip(pos_counts[nonzero], counts[nonzero])]
    out["ece"] = float(np.sum(counts[nonzero] / n * np.abs(prob_true - prob_pred)))
    out["brier"] = float(brier_score_loss(y, p))
    out["meanScore"] = float(np.mean(p))
    out["observedRate"] = float(np.mean(y))
    two_classes = len(np.unique(y)) == 2
    out["auc"] = float(roc_auc_score(y, p)) if two_classes else None
    if two_classes:
        x = np.log(np.clip(p, 1e-15, 1 - 1e-15) / (1 - np.clip(p, 1e-15, 1 - 1e-15)))
        intercept, slope = newton_logistic(x, y)
        lr = LogisticRegression(penalty=None, tol=1e-10, max_iter=10000).fit(x[:, None], y)
        assert abs(lr.coef_[0, 0] - slope) < 1e-3 and abs(lr.intercept_[0] - intercept) < 1e-3, (slope, lr.coef_, intercept, lr.intercept_)
        out["calibrationSlope"] = float(slope)
        out["calibrationIntercept"] = float(intercept)
        intercept_se, slope_se = statsmodels_se(x, y, intercept, slope)
    else:
        intercept_se = slope_se = None
        out["calibrationSlope"] = None
        out["calibrationIntercept"] = None
    tn, fp, fn, tp = confusion_matrix(y, (p >= threshold).astype(int), labels=[0, 1]).ravel()
    out["confusion"] = {"tp": int(tp), "fp": int(fp), "fn": int(fn), "tn": int(tn)}
    out["fpr"] = float(fp / (fp + tn)) if fp + tn else None
    out["fnr"] = float(fn / (fn + tp)) if fn + tp else None
    out["ppv"] = float(tp / (tp + fp)) if tp + fp else None
    out["selectionRate"] = float((tp + fp) / n)
    out["intervals"] = {
        "observedRate": wilson(y.sum(), n),
        "fpr": wilson(fp, fp + tn),
        "fnr": wilson(fn, fn + tp),
        "ppv": wilson(tp, tp + fp),
        "selectionRate": wilson(tp + fp, n),
    }
    d = (p - y) ** 2
    auc_se = delong_se(p, y) if two_classes else None
    brier_se = float(np.std(d, ddof=1) / np.sqrt(n)) if n >= 2 else None
    out["standardErrors"] = {"auc": auc_se, "brier": brier_se, "calibrationSlope": slope_se, "calibrationIntercept": intercept_se}
    out["figureIntervals"] = {
        "auc": logit_interval(out["auc"], auc_se) if two_classes else None,
        "brier": normal_interval(out["brier"], brier_se, 0, 1),
        "calibrationSlope": normal_interval(out["calibrationSlope"], slope_se) if slope_se is not None else None,
        "calibrationIntercept": normal_interval(out["calibrationIntercept"], intercept_se) if intercept_se is not None else None,
    }
    return out


def reference(scores, outcomes, codes, labels, settings):
    known = outcomes >= 0
    results = []
    for s in settings:
        args = (s["bins"], s["strategy"], s["threshold"])
        entry = dict(s)
        entry["overall"] = figures(scores[known], outcomes[known].astype(float), *args)
        entry["overall"]["excludedUnknownOutcome"] = int((~known).sum())
        entry["groups"] = []
        for g, label in enumerate(labels):
            m = known & (codes == g)
            f = figures(scores[m], outcomes[m].astype(float), *args)
            f["group"] = label
            f["excludedUnknownOutcome"] = int(((codes == g) & ~known).sum())
            entry["groups"].append(f)
        results.append(entry)
    return results


SETTINGS = [
    {"bins": 10, "strategy": "uniform", "threshold": 0.5},
    {"bins": 7, "strategy": "uniform", "threshold": 0.3},
    {"bins": 10, "strategy": "quantile", "threshold": 0.5},
    {"bins": 4, "strategy": "quantile", "threshold": 0.7},
]


def bootstrap_gaps(scores, outcomes, codes, labels, reference_label, groups, replicates=3000, seed=11):
    """Percentile intervals (2.5, 97.5) of group-minus-reference gaps in AUC, ECE (10 uniform bins) and
    calibration slope, from a stratified bootstrap: every replicate resamples each group's cases with a
    known outcome with replacement, independently. numpy's generator, not the engine's: the two intervals
    agree up to Monte Carlo error, which the test allows for."""
    rng = np.random.default_rng(seed)
    known = outcomes >= 0
    sets = {label: (scores[known & (codes == labels.index(label))], outcomes[known & (codes == labels.index(label))].astype(float)) for label in [reference_label, *groups]}

    def gap_figures(p, y):
        edges = edges_of(p, 10, "uniform")
        ids = np.searchsorted(edges[1:-1], p)
        counts = np.bincount(ids, minlength=10)
        nonzero = counts > 0
        true = np.bincount(ids, weights=y, minlength=10)[nonzero] / counts[nonzero]
        pred = np.bincount(ids, weights=p, minlength=10)[nonzero] / counts[nonzero]
        x = np.log(np.clip(p, 1e-15, 1 - 1e-15) / (1 - np.clip(p, 1e-15, 1 - 1e-15)))
        return {"auc": roc_auc_score(y, p), "ece": float(np.sum(counts[nonzero] / len(p) * np.abs(true - pred))), "calibrationSlope": newton_logistic(x, y)[1]}

    draws = {g: {k: [] for k in ("auc", "ece", "calibrationSlope")} for g in groups}
    for _ in range(replicates):
        figures_of = {}
        for label, (p, y) in sets.items():
            i = rng.integers(0, len(p), len(p))
            figures_of[label] = gap_figures(p[i], y[i])
        for g in groups:
            for k in draws[g]:
                draws[g][k].append(figures_of[g][k] - figures_of[reference_label][k])
    return {
        "replicates": replicates,
        "reference": reference_label,
        "gaps": {g: {k: np.percentile(v, [2.5, 97.5]).tolist() for k, v in d.items()} for g, d in draws.items()},
    }


def synthetic():
    rng = np.random.default_rng(20240605)
    labels = ["A", "B", "C-small", "D-one-class", "E"]
    sizes = [1800, 1400, 30, 60, 700]
    scores, outcomes, codes = [], [], []
    for g, n in enumerate(sizes):
        p = rng.beta(2, 3, n)
        if g == 1:
            truth = np.clip(p * 0.7 + 0.05, 0, 1)  # overstates the risk
        elif g == 4:
            truth = 1 / (1 + np.exp(-(2 * np.log(p / (1 - p)) + 0.3)))  # too timid
        else:
            truth = p
        y = (rng.random(n) < truth).astype(int)
        if g == 3:
            y[:] = 0
        # Scores exactly on edges (of 10, 7 and 4 bins), at 0 and 1, and ties.
        k = min(n, 40)
        special = np.array([0.0, 1.0, 0.1, 0.2, 0.5, 0.7, 0.9, 0.25, 0.75, 3 / 10, 0.30000000000000004, 1 / 7, 2 * (1 / 7), 0.6, 0.4, 0.8])
        p[:k] = np.resize(special, k) if g != 2 else p[:k]
        if g == 2:
            p[:5] = 0.5
        p[k : k + 30] = 0.35  # a block of ties
        scores.append(p)
        outcomes.append(y)
        codes.append(np.full(n, g))
    scores = np.concatenate(scores)
    outcomes = np.concatenate(outcomes)
    codes = np.concatenate(codes)
    # Some unknown outcomes, in groups A and E.
    unknown = rng.choice(np.where((codes == 0) | (codes == 4))[0], 45, replace=False)
    outcomes[unknown] = -1
    order = rng.permutation(len(scores))
    scores, outcomes, codes = scores[order], outcomes[order], codes[order]
    return {
        "description": "seeded synthetic cases; outcome -1 = unknown; group D has only outcome 0; C has 30 cases",
        "labels": labels,
        "scores": scores.tolist(),
        "outcomes": outcomes.tolist(),
        "codes": codes.tolist(),
        "reference": reference(scores, outcomes, codes, labels, SETTINGS),
        # 10 uniform bins, threshold 0.5; the reference is the largest group, as the engine picks it.
        "bootstrap": bootstrap_gaps(scores, outcomes, codes, labels, "A", ["B", "E"]),
    }


def compas():
    df = pd.read_csv(COMPAS)
    labels = sorted(df["race"].unique())
    codes = df["race"].map({l: i for i, l in enumerate(labels)}).to_numpy()
    deciles = df["decile_score"].to_numpy()
    scores = deciles / 10
    outcomes = df["two_year_recid"].to_numpy()
    settings = [{"bins": 10, "strategy": "uniform", "threshold": 0.5}, {"bins": 5, "strategy": "quantile", "threshold": 0.5}]
    return {
        "description": "COMPAS two-year recidivism (ProPublica, de-identified): score = decile_score / 10, outcome two_year_recid, group race",
        "labels": labels,
        "deciles": deciles.tolist(),
        "outcomes": outcomes.tolist(),
        "codes": codes.tolist(),
        "reference": reference(scores, outcomes, codes, labels, settings),
    }


def cli_fixture():
    """A logistic model and cases for the CLI: scores computed here as the engine does (σ(b + w·x))."""
    rng = np.random.default_rng(7)
    n = 600
    group = rng.choice(["North", "South", "Islands"], n, p=[0.55, 0.4, 0.05])
    priors = rng.poisson(2.0, n)
    age = rng.integers(14, 19, n)
    # Coefficients with no simple ratio, so that different inputs never tie in score: numpy's and the
    # engine's scores may differ in the last bit, and only identical inputs then tie in both.
    model = {"kind": "logistic", "name": "CLI calibration fixture", "intercept": 1.2, "coefficients": {"priors": 0.45, "age": -0.137}}
    margin = model["intercept"] + 0.45 * priors - 0.137 * age
    p = 1 / (1 + np.exp(-margin))
    y = (rng.random(n) < np.clip(p + np.where(group == "South", 0.1, 0.0), 0, 1)).astype(int)
    outcome = y.astype(str).astype(object)
    outcome[[3, 50]] = ""  # unknown outcomes: left out and counted
    df = pd.DataFrame({"case_id": [f"C{i:04d}" for i in range(n)], "region": group, "priors": priors, "age": age, "reoffended": outcome})
    os.makedirs(os.path.join(OUT, "cli"), exist_ok=True)
    with open(os.path.join(OUT, "cli", "model.riskmodel.json"), "w") as f:
        json.dump(model, f, indent=2)
    df.to_csv(os.path.join(OUT, "cli", "cases.csv"), index=False)
    known = np.array([o != "" for o in outcome])
    labels = sorted(set(group))
    codes = np.array([labels.index(g) for g in group])
    outcomes = np.where(known, y, -1)
    settings = [{"bins": 10, "strategy": "uniform", "threshold": 0.5}, {"bins": 5, "strategy": "quantile", "threshold": 0.4}]
    ref = {"labels": labels, "reference": reference(p, outcomes, codes, labels, settings)}
    with open(os.path.join(OUT, "cli", "expected.json"), "w") as f:
        json.dump(ref, f)


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "synthetic.json"), "w") as f:
        json.dump(synthetic(), f)
    with open(os.path.join(OUT, "compas.json"), "w") as f:
        json.dump(compas(), f)
    cli_fixture()
    print("wrote", OUT)


if __name__ == "__main__":
    main()
