"""Oracle side of bench/treeshap.bench.ts (run with /usr/bin/python3, which has xgboost 1.7).

  treeshap_oracle.py make DIR N      a synthetic case file (DIR/cases.csv, with missing values, and
                                     DIR/cases_complete.csv without) and an XGBoost model trained on
                                     part of it (DIR/model.json: 150 trees, depth 5, binary:logistic)
  treeshap_oracle.py contribs MODEL CSV OUT
                                     the timed process: reads the case file, computes XGBoost's
                                     pred_contribs on one thread, and writes every contribution (CSV)
"""
import sys

import numpy as np

M = 12
FEATURES = [f"x{j}" for j in range(M)]


def make(out_dir, n):
    import xgboost as xgb

    rng = np.random.default_rng(7)
    x = np.round(rng.normal(size=(n, M)), 4)
    logit = 0.9 * x[:, 0] - 0.6 * x[:, 1] + 0.7 * x[:, 2] * x[:, 3] + np.where(x[:, 4] > 0.3, 0.8, -0.4) + 0.3 * np.sin(3 * x[:, 5])
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(float)
    complete = x.copy()
    x[rng.random((n, M)) < 0.1] = np.nan
    train = min(n, 20000)
    booster = xgb.train(
        {"objective": "binary:logistic", "max_depth": 5, "eta": 0.1, "nthread": 1, "seed": 7},
        xgb.DMatrix(x[:train], label=y[:train], feature_names=FEATURES),
        150,
    )
    booster.save_model(f"{out_dir}/model.json")
    for name, data in (("cases.csv", x), ("cases_complete.csv", complete)):
        with open(f"{out_dir}/{name}", "w") as f:
            f.write(",".join(["case_id"] + FEATURES) + "\n")
            for i, row in enumerate(data):
                f.write(f"c{i}," + ",".join("" if v != v else repr(float(v)) for v in row) + "\n")


def contribs(model, csv, out):
    import pandas as pd
    import xgboost as xgb

    cases = pd.read_csv(csv)
    booster = xgb.Booster(model_file=model)
    booster.set_param({"nthread": 1})
    phi = booster.predict(xgb.DMatrix(cases[FEATURES].to_numpy(), feature_names=FEATURES, nthread=1), pred_contribs=True)
    frame = pd.DataFrame(phi, columns=FEATURES + ["bias"])
    frame.insert(0, "case_id", cases["case_id"])
    frame.to_csv(out, index=False)


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "contribs":
        contribs(*sys.argv[2:5])
    else:
        sys.exit(f"unknown mode {sys.argv[1]}")
