"""Regenerates test/fixtures/xgb/: small XGBoost models and XGBoost's own outputs for them.

Run with Debian's Python (it has xgboost 1.7): /usr/bin/python3 test/oracles/xgb_fixtures.py

For each model NAME it writes
  NAME.json            the model, Booster.save_model (XGBoost 1.7 JSON)
  NAME.v2.json         the same model as XGBoost 2.x writes it (default_left as booleans, version 2.x)
  NAME.v3.json         ... as 3.x writes it (also base_score as a one-element list string, "[5E-1]")
                       (only for the models listed in VARIANTS: 1.7 is the version installed here)
  NAME.csv             test cases: case_id + the model's feature columns; missing values empty
  NAME.expected.json   XGBoost's outputs on those cases, read back from the CSV exactly as written:
                       probability (predict), contribs (pred_contribs, n x (M+1), bias last) and
                       interactions (pred_interactions, (M+1) x (M+1)) for the first N_INTERACTIONS cases.
Test cases carry missing values (so default branches matter) and values equal to split thresholds (so
the strict "x < threshold" rule is exercised). Outputs are float32 in XGBoost and written with 9
significant digits, which round-trips float32 exactly.
"""
import json
import os

import numpy as np
import pandas as pd
import xgboost as xgb

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "fixtures", "xgb")
N_TEST = 160
N_INTERACTIONS = 12
VARIANTS = {"binary_d3_named", "reglogistic_d6_unnamed"}

NAMES = ["age", "prior_arrests", "school_days_missed", "months_supervised", "peer_score", "family_support", "substance_score", "housing_moves"]

MODELS = [
    # name, objective, depth, trees, named, base_score, seed
    ("binary_d3_named", "binary:logistic", 3, 12, True, None, 11),
    ("binary_d4_named", "binary:logistic", 4, 20, True, 0.42, 12),
    ("binary_d5_unnamed", "binary:logistic", 5, 10, False, None, 13),
    ("reglogistic_d6_unnamed", "reg:logistic", 6, 8, False, 0.3, 14),
]


def make_data(rng, n, m):
    x = rng.normal(size=(n, m))
    x[:, 1] = np.round(np.exp(x[:, 1]))  # a count, so ties and repeated splits happen
    x[:, 7] = rng.integers(0, 5, size=n)
    x = np.round(x, 3)
    logit = 0.8 * x[:, 0] - 0.5 * x[:, 1] + 0.6 * x[:, 2] * x[:, 3] + np.where(x[:, 4] > 0.5, 1.0, -0.3) + 0.2 * x[:, 7]
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(float)
    x[rng.random((n, m)) < 0.15] = np.nan
    return x, y


def thresholds(booster):
    """(feature index, float32 threshold) of every split, from the model's own dump."""
    out = []
    for tree in json.loads(booster.save_raw("json").decode())["learner"]["gradient_booster"]["model"]["trees"]:
        for node, left in enumerate(tree["left_children"]):
            if left >= 0:
                out.append((tree["split_indices"][node], np.float32(tree["split_conditions"][node])))
    return out


def write_csv(path, x, columns):
    """Values as the shortest text that reads back to the same float32; missing as empty cells."""
    with open(path, "w", newline="") as f:
        f.write(",".join(["case_id"] + columns) + "\n")
        for i, row in enumerate(x):
            cells = ["" if np.isnan(v) else str(np.float32(v)) for v in row]
            f.write(",".join([f"C{i + 1:04d}"] + cells) + "\n")


def f9(a):
    """float32 outputs to 9 significant digits (exact for float32), as plain JSON numbers."""
    return json.loads(np.array2string(np.asarray(a, dtype=np.float64), separator=",", formatter={"float_kind": lambda v: "%.9g" % v}, threshold=10**9, max_line_width=10**9))


def variant(model_json, major):
    m = json.loads(json.dumps(model_json))
    m["version"] = [major, 1, 4] if major == 2 else [major, 0, 2]
    for tree in m["learner"]["gradient_booster"]["model"]["trees"]:
        tree["default_left"] = [bool(v) for v in tree["default_left"]]
    if major >= 3:
        params = m["learner"]["learner_model_param"]
        params["base_score"] = "[" + params["base_score"] + "]"
    return m


def main():
    os.makedirs(OUT, exist_ok=True)
    m = len(NAMES)
    for name, objective, depth, trees, named, base_score, seed in MODELS:
        rng = np.random.default_rng(seed)
        x_train, y_train = make_data(rng, 2500, m)
        columns = NAMES if named else [f"f{j}" for j in range(m)]
        dtrain = xgb.DMatrix(x_train, label=y_train, feature_names=NAMES if named else None)
        params = {"objective": objective, "max_depth": depth, "eta": 0.3, "min_child_weight": 2, "subsample": 0.9, "nthread": 1, "seed": seed}
        if base_score is not None:
            params["base_score"] = base_score
        booster = xgb.train(params, dtrain, trees)
        model_path = os.path.join(OUT, f"{name}.json")
        booster.save_model(model_path)

        x_test, _ = make_data(rng, N_TEST, m)
        splits = thresholds(booster)
        for i in range(0, N_TEST, 4):  # every fourth case has one value exactly at a split threshold
            feature, value = splits[rng.integers(len(splits))]
            x_test[i, feature] = value
        csv_path = os.path.join(OUT, f"{name}.csv")
        write_csv(csv_path, x_test, columns)

        # Read the cases back exactly as written, so XGBoost sees what Risk Review reads.
        read = pd.read_csv(csv_path, float_precision="round_trip")
        x_read = read[columns].to_numpy(dtype=np.float64)
        dtest = xgb.DMatrix(x_read, feature_names=NAMES if named else None)
        expected = {
            "xgboostVersion": xgb.__version__,
            "objective": objective,
            "probability": f9(booster.predict(dtest)),
            "contribs": f9(booster.predict(dtest, pred_contribs=True)),
            "interactions": f9(booster.predict(xgb.DMatrix(x_read[:N_INTERACTIONS], feature_names=NAMES if named else None), pred_interactions=True)),
        }
        with open(os.path.join(OUT, f"{name}.expected.json"), "w") as f:
            json.dump(expected, f, separators=(",", ":"))
            f.write("\n")

        if name in VARIANTS:
            with open(model_path) as f:
                model_json = json.load(f)
            for major in (2, 3):
                with open(os.path.join(OUT, f"{name}.v{major}.json"), "w") as f:
                    json.dump(variant(model_json, major), f, separators=(",", ":"))


if __name__ == "__main__":
    main()
