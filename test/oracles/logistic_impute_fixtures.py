"""Regenerates test/fixtures/logistic-impute/: logistic regressions trained behind an imputer, exported in
Risk Review's model format, with scikit-learn's probabilities for cases that have missing values.

Run with Debian's Python (scikit-learn 1.2, numpy): /usr/bin/python3 test/oracles/logistic_impute_fixtures.py

For each strategy in mean, median, constant (fill_value 0.5), the script fits
    Pipeline([("impute", SimpleImputer(strategy=...)), ("model", LogisticRegression(max_iter=5000))])
on 600 seeded training rows whose five features are missing 10–30% of the time (missing more often at
high risk, as unknown history often is), and exports it as Risk Review reads it:
    intercept    = model.intercept_[0]
    coefficients = dict(zip(features, model.coef_[0]))
    impute       = dict(zip(features, imputer.statistics_))
Files written
  cases.csv                     200 fresh seeded cases (id, the five features, an empty cell where missing,
                                the outcome); one case has every feature missing, one has none
  <strategy>.riskmodel.json     the exported model
  <strategy>.expected.json      {"probability": pipeline.predict_proba(cases)[:, 1] in case order,
                                 "margin": pipeline.decision_function(cases)}
Floats are written with Python's repr, which reads back to the same double.
"""
import json
import os

import numpy as np
import sklearn
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "fixtures", "logistic-impute")
FEATURES = ["priors count", "age_at_first_referral", "school_disengagement", "peer_delinquency", "family_support"]
MISSING_RATE = [0.1, 0.15, 0.3, 0.2, 0.25]
STRATEGIES = {"mean": {}, "median": {}, "constant": {"fill_value": 0.5}}


def draw(rng, n):
    x = np.column_stack([
        rng.poisson(1.5, n).astype(float),
        np.round(rng.uniform(10, 17, n), 1),
        rng.integers(0, 4, n).astype(float),
        np.round(rng.beta(2, 5, n), 3),
        rng.normal(0, 1, n).round(3),
    ])
    z = -1.0 + 0.4 * x[:, 0] - 0.15 * (x[:, 1] - 13.5) + 0.3 * x[:, 2] + 1.5 * x[:, 3] - 0.4 * x[:, 4]
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-z))).astype(int)
    # Missing more often at higher risk, so the imputed values matter.
    for j, rate in enumerate(MISSING_RATE):
        p = np.clip(rate * (1 + 0.5 * np.tanh(z)), 0, 1)
        x[rng.uniform(size=n) < p, j] = np.nan
    return x, y


def cell(v):
    return "" if np.isnan(v) else repr(float(v))


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20240611)
    x_train, y_train = draw(rng, 600)
    x, y = draw(rng, 200)
    x[7, :] = np.nan
    x[8, :] = [2.0, 14.5, 1.0, 0.25, -0.5]
    assert not np.isnan(x_train).all(axis=0).any(), "SimpleImputer would drop an all-missing column"
    ids = [f"C-{i + 1:04d}" for i in range(len(y))]
    with open(os.path.join(OUT, "cases.csv"), "w", newline="") as f:
        f.write(",".join(["case_id", *FEATURES, "outcome"]) + "\n")
        for i in range(len(y)):
            f.write(",".join([ids[i], *(cell(v) for v in x[i]), str(y[i])]) + "\n")
    for strategy, extra in STRATEGIES.items():
        pipe = Pipeline([("impute", SimpleImputer(strategy=strategy, **extra)), ("model", LogisticRegression(max_iter=5000))])
        pipe.fit(x_train, y_train)
        imputer, model = pipe.named_steps["impute"], pipe.named_steps["model"]
        exported = {
            "kind": "logistic",
            "name": f"Logistic regression behind SimpleImputer(strategy={strategy!r})",
            "version": "test",
            "intercept": float(model.intercept_[0]),
            "coefficients": {name: float(w) for name, w in zip(FEATURES, model.coef_[0])},
            "impute": {name: float(v) for name, v in zip(FEATURES, imputer.statistics_)},
        }
        with open(os.path.join(OUT, f"{strategy}.riskmodel.json"), "w") as f:
            json.dump(exported, f, indent=2)
            f.write("\n")
        expected = {
            "sklearn": sklearn.__version__,
            "ids": ids,
            "probability": [float(p) for p in pipe.predict_proba(x)[:, 1]],
            "margin": [float(m) for m in pipe.decision_function(x)],
        }
        with open(os.path.join(OUT, f"{strategy}.expected.json"), "w") as f:
            json.dump(expected, f)
            f.write("\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
