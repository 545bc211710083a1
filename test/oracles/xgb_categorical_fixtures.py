"""Regenerates test/fixtures/xgb-categorical/: XGBoost models with categorical splits and a dart booster,
and XGBoost's own outputs for them.

Run with Debian's Python (it has xgboost 1.7): /usr/bin/python3 test/oracles/xgb_categorical_fixtures.py

Features: age and priors (numeric), offense (6 categories), county (40: bitsets past one 32-bit word) and
program (3), each missing in about a tenth of the cases. Categories are XGBoost's codes 0…K-1; NAMES gives
their names in code order, as a pandas categorical would hold them.

For each model NAME it writes
  NAME.json            Booster.save_model (XGBoost 1.7 JSON: categorical split conditions are the bare token NaN)
  NAME.expected.json   on cases.csv: probability (predict), contribs (pred_contribs, bias last) and
                       interactions (pred_interactions) for the first N_INTERACTIONS cases
Models: partition (categorical splits into sets, max_cat_to_onehot=1), onehot (one category per split) and
dart (booster dart, rate_drop 0.3, so the trees' weights differ; categorical splits too).

Also:
  cases.csv              the cases with categories as codes (what a model without names reads)
  cases_names.csv        the same cases with categories as names
  partition.v31.json     partition.json as XGBoost 3.1 writes a model trained on a pandas DataFrame with
                         categorical columns: the categories' names in "cats" (format of XGBoost 3.1's
                         CatContainer::Save, src/data/cat_container.cc: one entry per feature, strings as
                         UTF-8 bytes written as signed 8-bit numbers cut at Arrow offsets, empty for numeric
                         features), version 3.1.1, base_score as "[x]", default_left as booleans, categorical split conditions as 1E-45 (not NaN). XGBoost 1.7
                         cannot write it, so it is made here from partition.json; its trees are the same.
  partition.riskreview.json  a project naming the categories of partition.json (features.NAME.categories)
"""
import json
import os

import numpy as np
import pandas as pd
import xgboost as xgb

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "fixtures", "xgb-categorical")
N_TRAIN = 3000
N_TEST = 200
N_INTERACTIONS = 12

FEATURES = ["age", "offense", "county", "priors", "program"]
TYPES = ["q", "c", "c", "q", "c"]
NAMES = {
    "offense": ["assault", "burglary", "drugs", "theft", "traffic", "vandalism"],
    "county": [f"County {k:02d}" for k in range(40)],
    "program": ["none", "día", "Zürich–North"],  # non-ASCII, so the UTF-8 bytes of "cats" are exercised
}
MODELS = [
    # name, extra parameters, depth, trees
    ("partition", {"tree_method": "hist", "max_cat_to_onehot": 1}, 4, 25),
    ("onehot", {"tree_method": "hist", "max_cat_to_onehot": 64}, 3, 15),
    ("dart", {"tree_method": "hist", "max_cat_to_onehot": 1, "booster": "dart", "rate_drop": 0.3, "skip_drop": 0.0}, 3, 20),
]


def make_data(rng, n):
    x = np.column_stack(
        [
            np.round(rng.normal(30, 10, size=n), 1),
            rng.integers(0, 6, size=n),
            rng.integers(0, 40, size=n),
            np.round(np.exp(rng.normal(size=n))),
            rng.integers(0, 3, size=n),
        ]
    ).astype(float)
    logit = 0.04 * (x[:, 0] - 30) + np.where(np.isin(x[:, 1], [0, 2]), 0.9, -0.3) + np.where(x[:, 2] % 7 == 3, 1.1, 0.0) + np.where(x[:, 2] > 33, -0.8, 0.1) + 0.3 * x[:, 3] - 0.5 * (x[:, 4] == 1)
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(float)
    x[rng.random(x.shape) < 0.1] = np.nan
    return x, y


def f9(a):
    """float32 outputs to 9 significant digits (exact for float32), as plain JSON numbers."""
    return json.loads(np.array2string(np.asarray(a, dtype=np.float64), separator=",", formatter={"float_kind": lambda v: "%.9g" % v}, threshold=10**9, max_line_width=10**9))


def dmatrix(x, label=None):
    return xgb.DMatrix(x, label=label, feature_names=FEATURES, feature_types=TYPES, enable_categorical=True, nthread=1)


def write_cases(x):
    def cell(j, v):
        if np.isnan(v):
            return ""
        if TYPES[j] == "q":
            return str(np.float32(v))
        return str(int(v))

    def name(j, v):
        if np.isnan(v) or TYPES[j] == "q":
            return cell(j, v)
        return NAMES[FEATURES[j]][int(v)]

    for file, show in (("cases.csv", cell), ("cases_names.csv", name)):
        with open(os.path.join(OUT, file), "w", newline="", encoding="utf-8") as f:
            f.write(",".join(["case_id"] + FEATURES) + "\n")
            for i, row in enumerate(x):
                f.write(",".join([f"K{i + 1:04d}"] + [show(j, v) for j, v in enumerate(row)]) + "\n")


def cats_of():
    """The "cats" object of XGBoost 3.1 for FEATURES, names from NAMES (see the module docstring)."""
    enc = []
    for j, feature in enumerate(FEATURES):
        if TYPES[j] == "q":
            enc.append({"offsets": [], "values": []})
            continue
        data = [name.encode("utf-8") for name in NAMES[feature]]
        offsets = [0]
        for d in data:
            offsets.append(offsets[-1] + len(d))
        values = [b - 256 if b > 127 else b for b in b"".join(data)]
        enc.append({"offsets": offsets, "values": values})
    segments = [0]
    for j, feature in enumerate(FEATURES):
        segments.append(segments[-1] + (len(NAMES[feature]) if TYPES[j] == "c" else 0))
    sorted_idx = []
    for j, feature in enumerate(FEATURES):
        if TYPES[j] == "c":
            names = NAMES[feature]
            sorted_idx += sorted(range(len(names)), key=lambda k: names[k].encode("utf-8"))
    return {"enc": enc, "feature_segments": segments, "sorted_idx": sorted_idx}


def v31_variant(model_json):
    m = json.loads(json.dumps(model_json))
    m["version"] = [3, 1, 1]
    params = m["learner"]["learner_model_param"]
    params["base_score"] = "[" + params["base_score"] + "]"
    model = m["learner"]["gradient_booster"]["model"]
    for tree in model["trees"]:
        tree["default_left"] = [bool(v) for v in tree["default_left"]]
        # 3.x writes a categorical split's (meaningless) condition as a number, not NaN.
        tree["split_conditions"] = [1e-45 if kind == 1 else c for kind, c in zip(tree["split_type"], tree["split_conditions"])]
    model["cats"] = cats_of()
    return m


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(15)
    x_train, y_train = make_data(rng, N_TRAIN)
    x_test, _ = make_data(rng, N_TEST)
    write_cases(x_test)
    # Read the cases back exactly as written, so XGBoost sees what Risk Review reads.
    read = pd.read_csv(os.path.join(OUT, "cases.csv"), float_precision="round_trip")
    x_read = read[FEATURES].to_numpy(dtype=np.float64)
    for name, extra, depth, trees in MODELS:
        params = {"objective": "binary:logistic", "max_depth": depth, "eta": 0.3, "min_child_weight": 2, "nthread": 1, "seed": 15, **extra}
        booster = xgb.train(params, dmatrix(x_train, y_train), trees)
        path = os.path.join(OUT, f"{name}.json")
        booster.save_model(path)
        expected = {
            "xgboostVersion": xgb.__version__,
            "objective": "binary:logistic",
            "probability": f9(booster.predict(dmatrix(x_read))),
            "contribs": f9(booster.predict(dmatrix(x_read), pred_contribs=True)),
            "interactions": f9(booster.predict(dmatrix(x_read[:N_INTERACTIONS]), pred_interactions=True)),
        }
        with open(os.path.join(OUT, f"{name}.expected.json"), "w") as f:
            json.dump(expected, f, separators=(",", ":"))
            f.write("\n")
        if name == "partition":
            with open(path) as f:
                text = f.read()
            assert "NaN" in text, "XGBoost 1.7 writes categorical split conditions as NaN"
            with open(os.path.join(OUT, "partition.v31.json"), "w", encoding="utf-8") as f:
                json.dump(v31_variant(json.loads(text)), f, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    project = {
        "name": "Categorical XGBoost model, categories named by the project",
        "model": "partition.json",
        "data": "cases_names.csv",
        "idColumn": "case_id",
        "features": {feature: {"categories": names} for feature, names in NAMES.items()},
    }
    with open(os.path.join(OUT, "partition.riskreview.json"), "w", encoding="utf-8") as f:
        json.dump(project, f, indent=2, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
