"""Regenerates test/fixtures/lightgbm/: LightGBM models and LightGBM's own outputs for them.

LightGBM is not a Debian package: it comes from the machine image's local wheel store. Make a virtual
environment with the image's Python (pip installs from the store, nothing is downloaded) and run there:

    python3 -m venv /tmp/oracle && /tmp/oracle/bin/pip install lightgbm shap pandas
    /tmp/oracle/bin/python test/oracles/lightgbm_fixtures.py

Models (each saved as NAME.txt, Booster.save_model, and NAME.json, json.dumps(Booster.dump_model())):
  pandas   objective binary, trained on a pandas DataFrame: categorical columns (offense, county: 40
           categories, bitsets past one word) so the model holds their names (pandas_categorical);
           age and priors have missing values in training (missing type NaN), score has none (None).
  zeros    objective cross_entropy, numpy input with feature names, zero_as_missing=True (missing type
           Zero); a categorical feature given as codes (categorical_feature=[2]): no names in the model.
  sigmoid  objective binary with sigmoid=0.7 and boosting dart, numpy input without feature names
           (LightGBM names them Column_0, …); LightGBM's contributions are on its raw scale, and the
           log-odds are 0.7 × raw, so the expected contributions here are LightGBM's × 0.7.
For each: NAME.csv (cases; categories as names where the model holds them, else codes; values on split
thresholds, zeros and values LightGBM reads as zero included) and NAME.expected.json: probability
(predict), contribs (predict(pred_contrib=True), the expected value last) and, where shap can give them
(models without categorical splits), interactions (shap.TreeExplainer(...).shap_interaction_values, the
same path-dependent algorithm; LightGBM itself has none) for the first N_INTERACTIONS cases, each
(M+1)×(M+1) with the expected value at [M][M] as XGBoost lays them out.
"""
import json
import os

import lightgbm as lgb
import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "fixtures", "lightgbm")
N_TRAIN = 4000
N_TEST = 160
N_INTERACTIONS = 10

OFFENSES = ["assault", "burglary", "drugs", "theft", "traffic", "vandalism"]
COUNTIES = [f"County {k:02d}" for k in range(40)]


def thresholds(booster):
    """(feature, threshold) of every numeric split, from the model's own dump."""
    out = []
    stack = [t["tree_structure"] for t in booster.dump_model()["tree_info"]]
    while stack:
        node = stack.pop()
        if "split_index" in node:
            if node["decision_type"] == "<=":
                out.append((node["split_feature"], node["threshold"]))
            stack += [node["left_child"], node["right_child"]]
    return out


def with_edges(rng, x, splits, numeric):
    """Every fourth case gets a value exactly on a split threshold; some get 0, -0 or 1e-36 (read as 0)."""
    x = x.copy()
    for i in range(0, len(x), 4):
        feature, value = splits[rng.integers(len(splits))]
        x[i, feature] = value
    for i in range(1, len(x), 9):
        x[i, numeric[rng.integers(len(numeric))]] = [0.0, -0.0, 1e-36][i % 3]
    return x


def cell(v):
    return "" if v != v else repr(float(v))


def write(name, booster, frame, ids, contribs_scale=1.0, interactions=None):
    booster.save_model(os.path.join(OUT, f"{name}.txt"))
    with open(os.path.join(OUT, f"{name}.json"), "w") as f:
        json.dump(booster.dump_model(), f)
    expected = {
        "lightgbmVersion": lgb.__version__,
        "probability": [float(p) for p in booster.predict(frame)],
        "contribs": (np.asarray(booster.predict(frame, pred_contrib=True)) * contribs_scale).tolist(),
        "interactions": [] if interactions is None else interactions.tolist(),
    }
    with open(os.path.join(OUT, f"{name}.expected.json"), "w") as f:
        json.dump(expected, f, separators=(",", ":"))
        f.write("\n")


def shap_interactions(booster, x, scale):
    import shap

    explainer = shap.TreeExplainer(booster)
    phi = explainer.shap_interaction_values(x[:N_INTERACTIONS]) * scale
    n, m, _ = phi.shape
    out = np.zeros((n, m + 1, m + 1))
    out[:, :m, :m] = phi
    out[:, m, m] = np.asarray(explainer.expected_value).ravel()[0] * scale
    return out


def pandas_model(rng):
    def frame(n):
        df = pd.DataFrame(
            {
                "age": np.round(rng.normal(30, 10, n), 1),
                "offense": pd.Categorical(rng.choice(OFFENSES, n), categories=OFFENSES),
                "county": pd.Categorical(rng.choice(COUNTIES, n), categories=COUNTIES),
                "priors": np.round(np.exp(rng.normal(size=n))),
                "score": np.round(rng.normal(size=n), 3),
            }
        )
        for col in ["age", "priors"]:
            df.loc[rng.random(n) < 0.1, col] = np.nan
        return df

    train = frame(N_TRAIN)
    codes = train["county"].cat.codes
    logit = 0.04 * (train["age"].fillna(30) - 30) + np.where(train["offense"].isin(["drugs", "theft"]), 0.8, -0.3) + np.where(codes % 7 == 3, 1.0, 0.0) + 0.3 * train["priors"].fillna(0) + 0.5 * train["score"]
    y = (rng.random(N_TRAIN) < 1 / (1 + np.exp(-logit))).astype(int)
    booster = lgb.train({"objective": "binary", "num_leaves": 15, "learning_rate": 0.2, "min_data_in_leaf": 10, "cat_smooth": 1, "min_data_per_group": 5, "verbose": -1, "num_threads": 1, "seed": 3}, lgb.Dataset(train, y), 30)

    test = frame(N_TEST)
    numeric = [0, 3, 4]
    splits = [(f, t) for f, t in thresholds(booster) if f in numeric]
    for i in range(0, N_TEST, 4):
        feature, value = splits[rng.integers(len(splits))]
        test.iloc[i, feature] = value
    for i in range(1, N_TEST, 9):
        test.iloc[i, numeric[rng.integers(len(numeric))]] = [0.0, -0.0, 1e-36][i % 3]
    test.loc[rng.random(N_TEST) < 0.08, "offense"] = np.nan
    ids = [f"L{i + 1:04d}" for i in range(N_TEST)]
    with open(os.path.join(OUT, "pandas.csv"), "w", newline="") as f:
        f.write("case_id,age,offense,county,priors,score\n")
        for i in range(N_TEST):
            row = test.iloc[i]
            cats = ["" if pd.isna(row[c]) else str(row[c]) for c in ("offense", "county")]
            f.write(",".join([ids[i], cell(row["age"]), cats[0], cats[1], cell(row["priors"]), cell(row["score"])]) + "\n")
    # Read back as written, categories as the training frame's categoricals, so LightGBM sees what Risk Review reads.
    read = pd.read_csv(os.path.join(OUT, "pandas.csv"), float_precision="round_trip", keep_default_na=False, na_values=[""])
    read["offense"] = pd.Categorical(read["offense"], categories=OFFENSES)
    read["county"] = pd.Categorical(read["county"], categories=COUNTIES)
    write("pandas", booster, read.drop(columns=["case_id"]), ids)


def numpy_cases(name, rng, booster, x, columns, numeric):
    splits = [(f, t) for f, t in thresholds(booster) if f in numeric]
    x = with_edges(rng, x, splits, numeric)
    ids = [f"N{i + 1:04d}" for i in range(len(x))]
    with open(os.path.join(OUT, f"{name}.csv"), "w", newline="") as f:
        f.write(",".join(["case_id"] + columns) + "\n")
        for i, row in enumerate(x):
            f.write(",".join([ids[i]] + [cell(v) for v in row]) + "\n")
    read = pd.read_csv(os.path.join(OUT, f"{name}.csv"), float_precision="round_trip")
    return read[columns].to_numpy(dtype=np.float64), ids


def numpy_data(rng, n):
    x = np.column_stack([rng.normal(size=n), np.where(rng.random(n) < 0.3, 0.0, rng.normal(size=n)), rng.integers(0, 8, size=n), np.round(rng.normal(size=n), 2)]).astype(float)
    logit = 0.9 * x[:, 0] - 0.7 * x[:, 1] + np.where(np.isin(x[:, 2], [1, 4, 6]), 0.9, -0.4) + 0.4 * x[:, 3] * x[:, 0]
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    x[rng.random((n, 4)) < 0.08] = np.nan
    return x, y


def zeros_model(rng):
    columns = ["risk_a", "risk_b", "program", "risk_c"]
    x, y = numpy_data(rng, N_TRAIN)
    params = {"objective": "cross_entropy", "num_leaves": 12, "learning_rate": 0.2, "zero_as_missing": True, "min_data_in_leaf": 10, "min_data_per_group": 5, "cat_smooth": 1, "verbose": -1, "num_threads": 1, "seed": 4}
    booster = lgb.train(params, lgb.Dataset(x, y, feature_name=columns, categorical_feature=[2]), 25)
    test, _ = numpy_data(rng, N_TEST)
    read, ids = numpy_cases("zeros", rng, booster, test, columns, [0, 1, 3])
    write("zeros", booster, read, ids)


def sigmoid_model(rng):
    columns = [f"Column_{j}" for j in range(4)]
    x, y = numpy_data(rng, N_TRAIN)
    x[:, 2] += 0.25  # a numeric feature here
    params = {"objective": "binary", "sigmoid": 0.7, "boosting": "dart", "drop_rate": 0.2, "num_leaves": 10, "learning_rate": 0.3, "verbose": -1, "num_threads": 1, "seed": 5}
    booster = lgb.train(params, lgb.Dataset(x, y), 20)
    test, _ = numpy_data(rng, N_TEST)
    test[:, 2] += 0.25
    read, ids = numpy_cases("sigmoid", rng, booster, test, columns, [0, 1, 2, 3])
    write("sigmoid", booster, read, ids, contribs_scale=0.7, interactions=shap_interactions(booster, read, 0.7))


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(17)
    pandas_model(rng)
    zeros_model(rng)
    sigmoid_model(rng)


if __name__ == "__main__":
    main()
