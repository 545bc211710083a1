"""Regenerates test/fixtures/audit/: reference figures for auditing a score by group (issue 11).

Run with Debian's Python (numpy, pandas, scikit-learn 1.2, statsmodels 0.13):
    /usr/bin/python3 test/oracles/group_audit_fixtures.py
The tests do not need Python.

Files written
  compas-deciles.json   ProPublica's full two-year table (../shared/data/external/compas, 7,214 rows, see its
                        README): the vendor's decile_score audited as a score already in use, on its own
                        scale (1-10), flagged at decile >= 5, outcome two_year_recid, grouped by race and by
                        sex x race. Per group and per decile: cases, outcomes, rate and Wilson interval; AUC
                        (roc_auc_score) and DeLong's standard error by brute force; FPR, FNR, PPV, selection
                        rate (confusion_matrix) with Wilson intervals. Per group against the reference (the
                        largest group): every rate's difference with Newcombe's interval
                        (statsmodels confint_proportions_2indep(method="newcomb")), the AUC difference with
                        the Wald interval of two independent DeLong estimates, and the outcome gap at equal
                        scores computed with pandas (reference rates standardised to the group's deciles).
                        Also ProPublica's published figures ("Compas Analysis.ipynb": FPR 44.85% / 23.45%,
                        FNR 27.99% / 47.72% for African-American / Caucasian defendants), typed in by hand.
  probabilities.json    seeded synthetic probabilities, outcomes and two groups: calibration-in-the-large
                        with its standard error std(s - y, ddof=1)/sqrt(n) and interval, and the gaps'
                        intervals between the groups (Newcombe for rates, Wald for CITL, Brier and AUC).
"""
import json
import os

import numpy as np
import pandas as pd
from sklearn.metrics import confusion_matrix, roc_auc_score
from scipy.stats import norm
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "fixtures", "audit")
COMPAS = os.path.join(HERE, "..", "..", "..", "shared", "data", "external", "compas", "compas-scores-two-years-deid.csv")
Z = float(norm.ppf(0.975))  # the engine's Z_95


def wilson(k, n):
    if n == 0:
        return None
    lo, hi = proportion_confint(int(k), int(n), alpha=0.05, method="wilson")
    return [float(lo), float(hi)]


def delong_se(scores, y):
    """DeLong's standard error from the full pairwise matrix (1 above, 1/2 tied): O(m n), independent of the engine."""
    pos = scores[y == 1]
    neg = scores[y == 0]
    m, n = len(pos), len(neg)
    if m < 2 or n < 2:
        return None
    psi = (pos[:, None] > neg[None, :]).astype(float) + 0.5 * (pos[:, None] == neg[None, :])
    v10 = psi.mean(axis=1)
    v01 = psi.mean(axis=0)
    return float(np.sqrt(v10.var(ddof=1) / m + v01.var(ddof=1) / n))


def newcombe(k1, n1, k2, n2):
    if n1 == 0 or n2 == 0:
        return None
    lo, hi = confint_proportions_2indep(int(k1), int(n1), int(k2), int(n2), method="newcomb", compare="diff")
    return [float(lo), float(hi)]


def group_figures(s, y, threshold):
    n = len(s)
    flagged = s >= threshold
    tn, fp, fn, tp = confusion_matrix(y, flagged, labels=[0, 1]).ravel()
    both = 0 < y.sum() < n
    return {
        "n": n,
        "positives": int(y.sum()),
        "observedRate": float(y.mean()),
        "observedRateInterval": wilson(y.sum(), n),
        "auc": float(roc_auc_score(y, s)) if both else None,
        "aucSe": delong_se(s, y) if both else None,
        "tp": int(tp), "fp": int(fp), "fn": int(fn), "tn": int(tn),
        "fpr": float(fp / (fp + tn)) if fp + tn else None,
        "fnr": float(fn / (fn + tp)) if fn + tp else None,
        "ppv": float(tp / (tp + fp)) if tp + fp else None,
        "selectionRate": float((tp + fp) / n),
        "fprInterval": wilson(fp, fp + tn),
        "fnrInterval": wilson(fn, fn + tp),
        "ppvInterval": wilson(tp, tp + fp),
        "selectionRateInterval": wilson(tp + fp, n),
    }


def wald_difference(a, sa, b, sb):
    if a is None or b is None or sa is None or sb is None:
        return None
    d = a - b
    h = Z * np.sqrt(sa**2 + sb**2)
    return [float(d - h), float(d + h)]


def equal_score_gap(df, group, reference, score, outcome, by):
    """Sum over scores held by both of w_b (rate_g,b - rate_r,b), w_b = n_g,b / n_g(shared), and its Wald interval."""
    g = df[df[by] == group].groupby(score)[outcome].agg(["count", "mean"])
    r = df[df[by] == reference].groupby(score)[outcome].agg(["count", "mean"])
    shared = g.index.intersection(r.index)
    if len(shared) == 0:
        return None
    gs, rs = g.loc[shared], r.loc[shared]
    w = gs["count"] / gs["count"].sum()
    value = float((w * (gs["mean"] - rs["mean"])).sum())
    var = float((w**2 * (gs["mean"] * (1 - gs["mean"]) / gs["count"] + rs["mean"] * (1 - rs["mean"]) / rs["count"])).sum())
    se = np.sqrt(var)
    return {"value": value, "interval": [value - Z * se, value + Z * se] if se > 0 else None, "coverage": float(gs["count"].sum() / g["count"].sum())}


def audit(df, by, threshold):
    score, outcome = "decile_score", "two_year_recid"
    groups = {}
    for label, part in sorted(df.groupby(by), key=lambda kv: kv[0]):
        s = part[score].to_numpy(float)
        y = part[outcome].to_numpy(int)
        fig = group_figures(s, y, threshold)
        fig["bins"] = [
            {"value": float(v), "n": int(len(sub)), "positives": int(sub[outcome].sum()), "rate": float(sub[outcome].mean()), "interval": wilson(sub[outcome].sum(), len(sub))}
            for v, sub in part.groupby(score)
        ]
        groups[label] = fig
    reference = max(groups, key=lambda k: groups[k]["n"])
    r = groups[reference]
    gaps = {}
    for label, g in groups.items():
        if label == reference:
            continue
        gaps[label] = {
            "observedRate": [g["observedRate"] - r["observedRate"], newcombe(g["positives"], g["n"], r["positives"], r["n"])],
            "fpr": [g["fpr"] - r["fpr"], newcombe(g["fp"], g["fp"] + g["tn"], r["fp"], r["fp"] + r["tn"])] if g["fpr"] is not None else None,
            "fnr": [g["fnr"] - r["fnr"], newcombe(g["fn"], g["fn"] + g["tp"], r["fn"], r["fn"] + r["tp"])] if g["fnr"] is not None else None,
            "ppv": [g["ppv"] - r["ppv"], newcombe(g["tp"], g["tp"] + g["fp"], r["tp"], r["tp"] + r["fp"])] if g["ppv"] is not None else None,
            "selectionRate": [g["selectionRate"] - r["selectionRate"], newcombe(g["tp"] + g["fp"], g["n"], r["tp"] + r["fp"], r["n"])],
            "auc": [g["auc"] - r["auc"], wald_difference(g["auc"], g["aucSe"], r["auc"], r["aucSe"])] if g["auc"] is not None else None,
            "outcomeAtEqualScore": equal_score_gap(df, label, reference, score, outcome, by),
        }
    return {"by": by, "reference": reference, "groups": groups, "gaps": gaps}


def compas():
    df = pd.read_csv(COMPAS)
    df["sex × race"] = df["sex"] + " × " + df["race"]
    everyone = group_figures(df["decile_score"].to_numpy(float), df["two_year_recid"].to_numpy(int), 5)
    return {
        "description": "ProPublica's 7,214-row two-year COMPAS table; decile_score >= 5 flagged; outcome two_year_recid",
        "rows": int(len(df)),
        "threshold": 5,
        "everyone": everyone,
        "byRace": audit(df, "race", 5),
        "bySexRace": audit(df, "sex × race", 5),
        "propublica": {
            "source": "ProPublica, 'How We Analyzed the COMPAS Recidivism Algorithm' (2016), Compas Analysis.ipynb",
            "African-American": {"fpr": 0.4485, "fnr": 0.2799},
            "Caucasian": {"fpr": 0.2345, "fnr": 0.4772},
        },
    }


def probabilities():
    rng = np.random.default_rng(11)
    rows = []
    for label, n, shift in [("A", 900, 0.0), ("B", 400, 0.08), ("C", 45, -0.05)]:
        s = rng.beta(2, 5, n)
        y = (rng.random(n) < np.clip(s + shift, 0, 1)).astype(int)
        rows += [(label, float(si), int(yi)) for si, yi in zip(s, y)]
    df = pd.DataFrame(rows, columns=["group", "score", "outcome"])
    out = {"cases": [[g, s, y] for g, s, y in rows], "threshold": 0.3, "groups": {}}
    for label, part in df.groupby("group"):
        s = part["score"].to_numpy()
        y = part["outcome"].to_numpy()
        e = s - y
        citl = float(e.mean())
        se = float(e.std(ddof=1) / np.sqrt(len(e)))
        d = (s - y) ** 2
        fig = group_figures(s, y, 0.3)
        fig.update({"citl": citl, "citlSe": se, "citlInterval": [citl - Z * se, citl + Z * se], "brier": float(d.mean()), "brierSe": float(d.std(ddof=1) / np.sqrt(len(d)))})
        out["groups"][label] = fig
    r = out["groups"]["A"]
    out["gaps"] = {}
    for label in ["B", "C"]:
        g = out["groups"][label]
        out["gaps"][label] = {
            "calibrationInTheLarge": [g["citl"] - r["citl"], wald_difference(g["citl"], g["citlSe"], r["citl"], r["citlSe"])],
            "brier": [g["brier"] - r["brier"], wald_difference(g["brier"], g["brierSe"], r["brier"], r["brierSe"])],
            "auc": [g["auc"] - r["auc"], wald_difference(g["auc"], g["aucSe"], r["auc"], r["aucSe"])],
            "fpr": [g["fpr"] - r["fpr"], newcombe(g["fp"], g["fp"] + g["tn"], r["fp"], r["fp"] + r["tn"])],
            "fnr": [g["fnr"] - r["fnr"], newcombe(g["fn"], g["fn"] + g["tp"], r["fn"], r["fn"] + r["tp"])],
        }
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, make in [("compas-deciles.json", compas), ("probabilities.json", probabilities)]:
        with open(os.path.join(OUT, name), "w") as f:
            json.dump(make(), f, indent=1, allow_nan=False)
            f.write("\n")
        print("wrote", name)


if __name__ == "__main__":
    main()
