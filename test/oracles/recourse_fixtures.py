"""Regenerates test/fixtures/recourse/: XGBoost's own scores for the per-feature curves and for the
smallest changes that move a case to a lower band.

Run with Debian's Python (it has xgboost 1.7): /usr/bin/python3 test/oracles/recourse_fixtures.py

It writes
  sample-xgboost.json  for the first CASES cases of samples/juvenile/cases.csv that the XGBoost model puts
                       above the lowest band: every combination of the project's dynamic items' values
                       (their "min" to "max" in whole steps; a missing value stays missing) scored by
                       Booster.predict, and the options as Risk Review defines them — the combinations
                       that score below the band just under the case's own, ordered by the number of items
                       changed, then the total of |new - old|, then the margin; a combination left out
                       when a listed one changes only some of its items, each to a value between the case's
                       own and its (extension/engine/recourse/search.ts) — the first MAX_OPTIONS of them.
  curves-d3.json       for the first CURVE_CASES cases of test/fixtures/xgb/binary_d3_named.csv: for every
                       feature, XGBoost's probability as that feature alone takes each of a dense set of
                       values: every split threshold of the feature and the float32 values either side of
                       it, and 101 evenly spaced values across the case file's range; and with it missing.
XGBoost scores in float32; probabilities are written with 9 significant digits (float32 round-trips).
"""
import itertools
import json
import os

import numpy as np
import pandas as pd
import xgboost as xgb

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
SAMPLE = os.path.join(ROOT, "samples", "juvenile")
XGB = os.path.join(ROOT, "test", "fixtures", "xgb")
OUT = os.path.join(ROOT, "test", "fixtures", "recourse")
CASES = 60
MAX_OPTIONS = 5
CURVE_CASES = 6
# A combination this close to a band edge could fall either side between float32 and float64 sums: such
# cases are left out (and counted), so the fixture only holds cases whose answer is not in doubt.
EDGE_MARGIN = 1e-6


def read_cases(path, columns):
    df = pd.read_csv(path, keep_default_na=False, na_values=["", "NA", "NaN"], dtype={"case_id": str})
    return df, df[columns].to_numpy(float)


def contains(big, small, own):
    for j, v in small["changes"].items():
        if j not in big["changes"]:
            return False
        w = big["changes"][j]
        if not (min(own[j], w) <= v <= max(own[j], w)):
            return False
    return True


def sample_recourse():
    project = json.load(open(os.path.join(SAMPLE, "juvenile.riskreview.json")))
    booster = xgb.Booster()
    booster.load_model(os.path.join(SAMPLE, project["model"]))
    names = booster.feature_names
    df, x = read_cases(os.path.join(SAMPLE, project["data"]), names)
    edges = [b["below"] for b in project["bands"] if "below" in b]
    dynamic = [j for j, f in enumerate(names) if project["features"].get(f, {}).get("riskFactor") == "dynamic"]
    steps = {j: np.arange(project["features"][names[j]]["min"], project["features"][names[j]]["max"] + 1, 1.0) for j in dynamic}
    p_case = booster.predict(xgb.DMatrix(x, feature_names=names, missing=np.nan))
    out, skipped = [], 0
    for i in range(len(df)):
        band = int(np.searchsorted(edges, p_case[i], side="right"))
        if band == 0:
            continue
        below = edges[band - 1]
        own = x[i]
        choices = [[own[j]] + ([] if np.isnan(own[j]) else [v for v in steps[j] if v != own[j]]) for j in dynamic]
        combos = list(itertools.product(*choices))
        rows = np.repeat(own[None, :], len(combos), axis=0)
        for k, j in enumerate(dynamic):
            rows[:, j] = [c[k] for c in combos]
        dm = xgb.DMatrix(rows, feature_names=names, missing=np.nan)
        p = booster.predict(dm)
        margin = booster.predict(dm, output_margin=True)
        if np.min(np.abs(p.astype(float) - below)) < EDGE_MARGIN:
            skipped += 1
            continue
        feasible = []
        for c, pc, mc in zip(combos, p, margin):
            changes = {names[j]: float(v) for j, v in zip(dynamic, c) if not (v == own[j] or (np.isnan(v) and np.isnan(own[j])))}
            if changes and pc < below:
                feasible.append({"changes": changes, "count": len(changes), "size": float(sum(abs(v - own[names.index(f)]) for f, v in changes.items())),
                                 "margin": float(mc), "probability": float(f"{pc:.9g}")})
        feasible.sort(key=lambda o: (o["count"], o["size"], o["margin"]))
        listed = []
        own_by_name = {f: own[j] for j, f in enumerate(names)}
        for o in feasible:
            if not any(contains(o, l, own_by_name) for l in listed):
                listed.append(o)
        out.append({"caseId": df["case_id"][i], "band": band, "below": below, "combinations": len(combos), "options": listed[:MAX_OPTIONS], "optionCount": len(listed)})
        if len(out) == CASES:
            break
    print(f"sample: {len(out)} cases ({skipped} skipped near a band edge); options per case: {[c['optionCount'] for c in out]}")
    return {"project": "samples/juvenile/juvenile.riskreview.json", "maxOptions": MAX_OPTIONS, "cases": out}


def curves_d3():
    booster = xgb.Booster()
    booster.load_model(os.path.join(XGB, "binary_d3_named.json"))
    names = booster.feature_names
    df, x = read_cases(os.path.join(XGB, "binary_d3_named.csv"), names)
    trees = json.loads(booster.save_raw("json").decode())["learner"]["gradient_booster"]["model"]["trees"]
    cuts = {j: set() for j in range(len(names))}
    for tree in trees:
        for node, left in enumerate(tree["left_children"]):
            if left >= 0:
                cuts[tree["split_indices"][node]].add(np.float32(tree["split_conditions"][node]))
    cases = []
    for i in range(CURVE_CASES):
        features = []
        for j, f in enumerate(names):
            col = x[:, j][~np.isnan(x[:, j])]
            values = set(np.linspace(col.min(), col.max(), 101).round(6).tolist())
            for t in cuts[j]:
                values.update([float(t), float(np.nextafter(t, np.float32(-np.inf))), float(np.nextafter(t, np.float32(np.inf)))])
            values = sorted(values)
            rows = np.repeat(x[i][None, :], len(values), axis=0)
            rows[:, j] = values
            p = booster.predict(xgb.DMatrix(rows, feature_names=names, missing=np.nan))
            gone = x[i].copy()
            gone[j] = np.nan
            p_missing = booster.predict(xgb.DMatrix(gone[None, :], feature_names=names, missing=np.nan))[0]
            features.append({"feature": f, "values": values, "probability": [float(f"{v:.9g}") for v in p], "missing": float(f"{p_missing:.9g}")})
        cases.append({"caseId": df["case_id"][i], "features": features})
    print(f"curves: {CURVE_CASES} cases x {len(names)} features")
    return {"model": "test/fixtures/xgb/binary_d3_named.json", "cases": cases}


def write(name, obj):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    write("sample-xgboost.json", sample_recourse())
    write("curves-d3.json", curves_d3())
