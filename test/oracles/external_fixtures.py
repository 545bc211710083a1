"""Regenerates the expected outputs beside the model files in test/fixtures/external/: XGBoost models from
public repositories that nobody on this project made (XGBoost 1.4 to 3.1; see that folder's README.md for
each file's source, commit and licence).

Run with Debian's Python (it has xgboost 1.7): /usr/bin/python3 test/oracles/external_fixtures.py

For each model M.json (or M.model.json) it writes M.cases.csv and M.oracle.json. The cases take, per feature, values at
and between the model's own split thresholds and missing values (a categorical feature: its codes), so
that every branch is taken; the expected outputs are XGBoost 1.7's: margin (predict(output_margin=True)),
contribs (pred_contribs, bias last) and interactions (pred_interactions, first N_INTERACTIONS cases).

XGBoost 1.7 reads a 3.1 `base_score` written as "[x]" as 0.5, silently; the script sets it to x before
predicting (set_param), and checks that the margins then equal what the model's own files say where
they say it (egordm's `expected.json`, XGBoost 3.1.1's own margins).
"""
import glob
import json
import os

import numpy as np
import xgboost as xgb

HERE = os.path.dirname(os.path.abspath(__file__))
DIR = os.path.join(HERE, "..", "fixtures", "external")
N_CASES = 60
N_INTERACTIONS = 6


def f9(a):
    return json.loads(np.array2string(np.asarray(a, dtype=np.float64), separator=",", formatter={"float_kind": lambda v: "%.9g" % v}, threshold=10**9, max_line_width=10**9))


def trees_of(model):
    booster = model["learner"]["gradient_booster"]
    return (booster["gbtree"] if booster["name"] == "dart" else booster)["model"]["trees"]


def make_cases(rng, model, n_features, types):
    """Per feature: its split thresholds, midpoints and neighbours, or its categories; a tenth missing."""
    values = [set() for _ in range(n_features)]
    for tree in trees_of(model):
        cats = dict(zip(tree.get("categories_nodes", []), zip(tree.get("categories_segments", []), tree.get("categories_sizes", []))))
        for node, left in enumerate(tree["left_children"]):
            if left < 0:
                continue
            f = tree["split_indices"][node]
            if tree.get("split_type", [0] * len(tree["left_children"]))[node] == 1:
                begin, size = cats[node]
                values[f].update(tree["categories"][begin : begin + size])
            else:
                t = float(np.float32(tree["split_conditions"][node]))
                values[f].update([t, t - 0.5, t + 0.5, t * 0.99])
    x = np.empty((N_CASES, n_features))
    for j in range(n_features):
        pool = sorted(values[j]) or [0.0, 1.0]
        if types[j] == "c":
            pool = sorted(set(int(v) for v in pool) | {0, max(pool) + 1})
        x[:, j] = rng.choice(pool, size=N_CASES)
    x[rng.random(x.shape) < 0.1] = np.nan
    return x


def write_cases(path, x, types, names):
    with open(path, "w") as f:
        f.write(",".join(["case_id"] + names) + "\n")
        for i, row in enumerate(x):
            cells = ["" if np.isnan(v) else (str(int(v)) if types[j] == "c" else repr(float(np.float32(v)))) for j, v in enumerate(row)]
            f.write(",".join([f"E{i + 1:03d}"] + cells) + "\n")


def main():
    rng = np.random.default_rng(19)
    for path in sorted(glob.glob(os.path.join(DIR, "*", "*.json"))):
        if path.endswith((".expected.json", ".input.json", ".oracle.json")):
            continue
        with open(path) as f:
            model = json.loads(f.read())
        learner = model["learner"]
        params = learner["learner_model_param"]
        if int(params.get("num_class", "0")) > 1:
            continue  # refused by Risk Review (several outputs): nothing to compare
        n_features = int(params["num_feature"])
        types = learner.get("feature_types") or ["q"] * n_features
        if any(tree.get("split_type") and 1 in tree["split_type"] for tree in trees_of(model)):
            # 1.4's categorical models name no feature types; the split types say which are categorical.
            cat = {tree["split_indices"][k] for tree in trees_of(model) for k, s in enumerate(tree.get("split_type", [])) if s == 1}
            types = ["c" if j in cat else "q" for j in range(n_features)]
        base_score = float(str(params["base_score"]).strip("[]"))
        booster = xgb.Booster(model_file=path)
        booster.set_param({"base_score": base_score, "nthread": 1})
        x = make_cases(rng, model, n_features, types)
        stem = path[: -len(".json")].removesuffix(".model")
        names = learner.get("feature_names") or [f"f{j}" for j in range(n_features)]
        write_cases(stem + ".cases.csv", x, types, names)
        read = np.genfromtxt(stem + ".cases.csv", delimiter=",", skip_header=1, usecols=range(1, n_features + 1), missing_values="", filling_values=np.nan)
        read = read.reshape(N_CASES, n_features)

        def dm(rows):
            return xgb.DMatrix(rows, feature_names=names, feature_types=types, enable_categorical="c" in types, nthread=1)

        expected = {
            "xgboostVersion": xgb.__version__,
            "objective": learner["objective"]["name"],
            "baseScore": base_score,
            "margin": f9(booster.predict(dm(read), output_margin=True)),
            "contribs": f9(booster.predict(dm(read), pred_contribs=True)),
            "interactions": f9(booster.predict(dm(read[:N_INTERACTIONS]), pred_interactions=True)),
        }
        if os.path.exists(stem + ".input.json"):
            with open(stem + ".input.json") as f:
                inputs = np.array([[np.nan if v is None else v for v in row] for row in json.load(f)["features"]], dtype=float)
            with open(stem + ".expected.json") as f:
                theirs = json.load(f)["predictions"]
            ours = booster.predict(dm(inputs), output_margin=True)
            assert np.max(np.abs(ours - np.array(theirs))) < 1e-5, f"{path}: XGBoost 1.7 disagrees with the file's own margins"
        with open(stem + ".oracle.json", "w") as f:
            json.dump(expected, f, separators=(",", ":"))
            f.write("\n")


if __name__ == "__main__":
    main()
