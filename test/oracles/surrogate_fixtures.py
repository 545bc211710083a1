"""Regenerates test/fixtures/surrogate/: seeded cases and model scores, with scikit-learn's greedy tree
(the baseline the surrogate must match or beat) fitted to the same scores.

Run with Debian's Python (scikit-learn 1.2, xgboost 1.7, numpy): /usr/bin/python3 test/oracles/surrogate_fixtures.py

Files written
  <name>.json   one data set each: features (name, label, categories), cases x (null = missing,
                category index for categorical features), the score to imitate, bands, and for every leaf
                budget k in 2, 4, 8, 16 scikit-learn's DecisionTreeRegressor(max_leaf_nodes=k,
                random_state=0) fitted to the score: its leaves, depth, r2_score and, for k = 8, its
                predictions (to check our R² against r2_score on the very same predictions); and the R² on
                the held-out fifth of the cases (the engine's rule, held_out below) of the same kind of tree
                grown on the other four fifths.
      smooth     3,000 cases, six continuous features (more distinct values than the bins), a smooth
                 logistic score with an interaction.
      mixed      3,000 cases: counts, a five-level category, a binary, a continuous feature 15% missing
                 (missing means higher risk), the score of a small tree ensemble.
      steps      2,000 cases: an instrument's total (points, not a probability) of three items, so a
                 tree with 12 leaves reproduces it exactly and some splits leave both sides pure.
      ties       1,500 cases whose score takes five values only, with duplicated rows.
  cli/          an XGBoost model (model.json, saved by xgboost 1.7), its cases (cases.csv, some values
                missing) and expected.json: the model's probabilities (xgboost predict) and scikit-learn's
                greedy tree R² on them at 2, 4, 8, 16 leaves.

scikit-learn 1.2 trees take no missing values and no categories, so for them a missing value is coded
-999 (below every value) and a category by its index: what a user of scikit-learn would do. Our
surrogate must reach their R² less 0.02 at every budget (the tests allow no more).
"""
import json
import os

import numpy as np
import xgboost as xgb
from sklearn.metrics import r2_score
from sklearn.tree import DecisionTreeRegressor

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "fixtures", "surrogate")
BUDGETS = [2, 4, 8, 16]


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def held_out(n):
    """The engine's held-out fifth (extension/engine/surrogate/holdout.ts): ((i + 1) * 2654435761) mod 2^32 < 2^32 // 5."""
    i = np.arange(1, n + 1, dtype=np.uint64)
    return (i * np.uint64(2654435761)) % np.uint64(2**32) < np.uint64(0x33333333)


def sklearn_baseline(x, score):
    xs = np.where(np.isnan(x), -999.0, x)
    held = held_out(len(score))
    out = {}
    for k in BUDGETS:
        tree = DecisionTreeRegressor(max_leaf_nodes=k, random_state=0).fit(xs, score)
        pred = tree.predict(xs)
        # The same tree grown on the other four fifths, scored on the held-out fifth.
        unseen = DecisionTreeRegressor(max_leaf_nodes=k, random_state=0).fit(xs[~held], score[~held])
        entry = {
            "leaves": int(tree.get_n_leaves()),
            "depth": int(tree.get_depth()),
            "r2": float(r2_score(score, pred)),
            "heldOut": {"n": int(held.sum()), "r2": float(r2_score(score[held], unseen.predict(xs[held])))},
        }
        if k == 8:
            entry["predictions"] = [float(v) for v in pred]
        out[str(k)] = entry
    return out


def cells(x):
    return [[None if np.isnan(v) else float(v) for v in row] for row in x]


def write(name, features, x, score, bands, is_probability=True):
    doc = {
        "name": name,
        "features": features,
        "scoreIsProbability": is_probability,
        "bands": bands,
        "x": cells(x),
        "score": [float(v) for v in score],
        "sklearn": sklearn_baseline(x, score),
    }
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(doc, f, separators=(",", ":"))
    print(name, {k: (v["leaves"], v["depth"], round(v["r2"], 4)) for k, v in doc["sklearn"].items()})


PROB_BANDS = [{"label": "Low", "below": 0.3}, {"label": "Moderate", "below": 0.6}, {"label": "High"}]


def smooth(rng):
    n = 3000
    x = np.column_stack([
        rng.normal(0, 1, n),
        rng.uniform(10, 18, n),
        rng.exponential(2, n),
        rng.normal(5, 2, n),
        rng.uniform(0, 1, n),
        rng.normal(0, 3, n),
    ]).round(4)
    z = 0.9 * x[:, 0] - 0.35 * (x[:, 1] - 14) + 0.3 * x[:, 2] + 0.25 * x[:, 0] * x[:, 3] - 1.5 * (x[:, 4] > 0.7) + 0.05 * x[:, 5]
    features = [{"name": f"f{j}", "label": f"Feature {j}"} for j in range(6)]
    write("smooth", features, x, sigmoid(z - 0.5), PROB_BANDS)


def mixed(rng):
    n = 3000
    priors = rng.poisson(1.5, n).astype(float)
    region = rng.integers(0, 5, n).astype(float)
    school = rng.integers(0, 2, n).astype(float)
    age = np.round(rng.uniform(12, 18, n), 1)
    needs = rng.normal(0, 1, n)
    needs_missing = rng.uniform(0, 1, n) < 0.15
    needs[needs_missing] = np.nan
    region_effect = np.array([0.0, 0.8, -0.4, 1.2, 0.1])[region.astype(int)]
    z = -1.0 + 0.5 * np.minimum(priors, 4) + region_effect - 0.6 * school - 0.25 * (age - 15) + np.where(needs_missing, 1.0, 0.7 * np.nan_to_num(needs))
    z += 0.8 * ((priors >= 2) & (age < 14))
    x = np.column_stack([priors, region, school, age, needs])
    features = [
        {"name": "priors", "label": "Prior referrals"},
        {"name": "region", "label": "Region", "categories": ["North", "East", "South", "West", "Central"]},
        {"name": "school", "label": "In school", "categories": ["no", "yes"]},
        {"name": "age", "label": "Age at referral"},
        {"name": "needs", "label": "Needs score"},
    ]
    write("mixed", features, x, sigmoid(z), PROB_BANDS)


def steps(rng):
    n = 2000
    a = rng.integers(0, 2, n).astype(float)
    b = rng.integers(0, 2, n).astype(float)
    c = rng.integers(0, 3, n).astype(float)
    noise_feature = rng.uniform(0, 100, n)
    total = 2 * a + 3 * b + np.array([0, 1, 4])[c.astype(int)]
    x = np.column_stack([a, b, c, noise_feature])
    features = [{"name": "a", "label": "Item A"}, {"name": "b", "label": "Item B"}, {"name": "c", "label": "Item C"}, {"name": "noise", "label": "Unrelated"}]
    write("steps", features, x, total, [{"label": "Low", "below": 3}, {"label": "Moderate", "below": 6}, {"label": "High"}], is_probability=False)


def ties(rng):
    n = 1500
    g = rng.integers(0, 5, n)
    x = np.column_stack([g.astype(float), rng.integers(0, 3, n).astype(float), (g % 2).astype(float)])
    score = np.array([0.1, 0.25, 0.4, 0.55, 0.8])[g]
    features = [{"name": "g", "label": "Group code"}, {"name": "h", "label": "Other code"}, {"name": "odd", "label": "Odd group"}]
    write("ties", features, x, score, PROB_BANDS)


def cli_fixture(rng):
    out = os.path.join(OUT, "cli")
    os.makedirs(out, exist_ok=True)
    n = 4000
    priors = rng.poisson(1.2, n).astype(float)
    age = np.round(rng.uniform(12, 18, n), 1)
    school = rng.integers(0, 2, n).astype(float)
    needs = np.round(rng.normal(0, 1, n), 2)
    needs[rng.uniform(0, 1, n) < 0.1] = np.nan
    z = -1 + 0.6 * np.minimum(priors, 4) - 0.3 * (age - 15) - 0.5 * school + 0.6 * np.nan_to_num(needs, nan=1.0)
    y = (rng.uniform(0, 1, n) < sigmoid(z)).astype(float)
    x = np.column_stack([priors, age, school, needs])
    names = ["priors", "age", "school", "needs"]
    dm = xgb.DMatrix(x, label=y, feature_names=names, missing=np.nan)
    booster = xgb.train({"objective": "binary:logistic", "max_depth": 4, "eta": 0.1, "seed": 1, "nthread": 1}, dm, num_boost_round=60)
    booster.save_model(os.path.join(out, "model.json"))
    p = booster.predict(dm)
    with open(os.path.join(out, "cases.csv"), "w") as f:
        f.write("case_id," + ",".join(names) + "\n")
        for i in range(n):
            f.write(f"K{i:05d}," + ",".join("" if np.isnan(v) else repr(float(v)).rstrip("0").rstrip(".") for v in x[i]) + "\n")
    baseline = sklearn_baseline(x, p.astype(float))
    for v in baseline.values():
        v.pop("predictions", None)
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump({"n": n, "probabilities": [float(v) for v in p], "sklearn": baseline}, f, separators=(",", ":"))
    print("cli", {k: (v["leaves"], v["depth"], round(v["r2"], 4)) for k, v in baseline.items()})


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20261123)
    smooth(rng)
    mixed(rng)
    steps(rng)
    ties(rng)
    cli_fixture(rng)


if __name__ == "__main__":
    main()
