"""Brute-force recourse with the models' own libraries, timed, for bench/recourse.bench.ts.

    /usr/bin/python3 bench/recourse_oracle.py PROJECT CASE_IDS_FILE

For each case: every combination of the project's dynamic items' values (min..max in whole steps; a missing
value stays missing) scored at once — XGBoost's Booster.predict (one thread) for an XGBoost model, numpy for a
logistic model or an instrument — and the smallest (fewest changed, then smallest total change) that scores
below the band under the case's own. Prints JSON: seconds per case (scoring and selection, not reading), and
each case's smallest (count, size), so the benchmark can check it found the same.
"""
import itertools
import json
import os
import sys
import time

import numpy as np
import pandas as pd
import xgboost as xgb


def main():
    project_file, ids_file = sys.argv[1], sys.argv[2]
    here = os.path.dirname(os.path.abspath(project_file))
    project = json.load(open(project_file))
    model_file = os.path.join(here, project["model"])
    ids = open(ids_file).read().split()
    df = pd.read_csv(os.path.join(here, project["data"]), keep_default_na=False, na_values=["", "NA", "NaN"], dtype={project["idColumn"]: str}).set_index(project["idColumn"])
    edges = [b["below"] for b in project["bands"] if "below" in b]

    if model_file.endswith(".riskmodel.json"):
        m = json.load(open(model_file))
        if m["kind"] == "logistic":
            names = list(m["coefficients"])
            w = np.array([m["coefficients"][f] for f in names])

            def probability(rows):
                return 1 / (1 + np.exp(-(m["intercept"] + rows @ w)))
        else:
            names = [it["feature"] for it in m["items"]]
            a, b = m["probability"]["intercept"], m["probability"]["slope"]
            items = m["items"]

            def probability(rows):
                total = np.zeros(len(rows))
                for j, it in enumerate(items):
                    below = np.array([x["below"] for x in it["bins"][:-1]], dtype=float)
                    pts = np.array([x["points"] for x in it["bins"]], dtype=float)
                    v = rows[:, j]
                    idx = np.searchsorted(below, v, side="right")
                    total += np.where(np.isnan(v), it.get("missingPoints", np.nan), pts[np.minimum(idx, len(pts) - 1)])
                return 1 / (1 + np.exp(-(a + b * total)))
    else:
        booster = xgb.Booster()
        booster.load_model(model_file)
        booster.set_param({"nthread": 1})
        names = booster.feature_names

        def probability(rows):
            return booster.predict(xgb.DMatrix(rows, feature_names=names, missing=np.nan))

    dynamic = [j for j, f in enumerate(names) if project["features"].get(f, {}).get("riskFactor") == "dynamic"]
    x = df.loc[ids, names].to_numpy(float)
    seconds, answers = [], []
    for i in range(len(ids)):
        start = time.perf_counter()
        own = x[i]
        band = int(np.searchsorted(edges, probability(own[None, :])[0], side="right"))
        choices = []
        for j in dynamic:
            note = project["features"][names[j]]
            choices.append([own[j]] if np.isnan(own[j]) else [own[j]] + [v for v in np.arange(note["min"], note["max"] + 1.0) if v != own[j]])
        combos = np.array(list(itertools.product(*choices)))
        rows = np.repeat(own[None, :], len(combos), axis=0)
        rows[:, dynamic] = combos
        p = probability(rows)
        changed = ~((combos == own[dynamic]) | (np.isnan(combos) & np.isnan(own[dynamic])))
        count = changed.sum(axis=1)
        size = np.where(changed, np.abs(combos - own[dynamic]), 0).sum(axis=1)
        ok = (p < edges[band - 1]) if band > 0 else np.zeros(len(p), bool)
        best = None
        if ok.any():
            k = np.lexsort((size[ok], count[ok]))[0]
            best = [int(count[ok][k]), float(size[ok][k])]
        seconds.append(time.perf_counter() - start)
        answers.append(best)
    print(json.dumps({"seconds": seconds, "smallest": answers}))


if __name__ == "__main__":
    main()
