"""Oracle side of bench/surrogate.bench.ts (run with /usr/bin/python3: xgboost 1.7, scikit-learn 1.2).

  surrogate_oracle.py make DIR N     DIR/cases.csv: N synthetic cases, 12 features (4 decimals, so far
                                     more distinct values than bins; 10% missing), and DIR/model.json, an
                                     XGBoost model (150 trees of depth 5, binary:logistic) trained on part
  surrogate_oracle.py fit X SCORE M  scikit-learn's greedy tree, DecisionTreeRegressor(max_leaf_nodes=k),
                                     fitted to the scores (float64 file SCORE) from the cases (float64 file
                                     X, n x M row-major, NaN missing, coded -999 as scikit-learn 1.2 takes
                                     no missing values) for k = 2, 4, 8, 16: prints JSON with leaves,
                                     depth, r2_score and fit seconds (best of three) for each k
"""
import json
import sys
import time

import numpy as np

M = 12
FEATURES = [f"x{j}" for j in range(M)]


def make(out_dir, n):
    import xgboost as xgb

    rng = np.random.default_rng(11)
    x = np.round(rng.normal(size=(n, M)), 4)
    logit = 0.9 * x[:, 0] - 0.6 * x[:, 1] + 0.7 * x[:, 2] * x[:, 3] + np.where(x[:, 4] > 0.3, 0.8, -0.4) + 0.3 * np.sin(3 * x[:, 5])
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(float)
    x[rng.random((n, M)) < 0.1] = np.nan
    train = min(n, 20000)
    booster = xgb.train(
        {"objective": "binary:logistic", "max_depth": 5, "eta": 0.1, "nthread": 1, "seed": 11},
        xgb.DMatrix(x[:train], label=y[:train], feature_names=FEATURES),
        num_boost_round=150,
    )
    booster.save_model(f"{out_dir}/model.json")
    with open(f"{out_dir}/cases.csv", "w") as f:
        f.write("case_id," + ",".join(FEATURES) + "\n")
        for i in range(n):
            f.write(f"c{i}," + ",".join("" if np.isnan(v) else f"{v:.4f}" for v in x[i]) + "\n")


def fit(x_file, score_file, m):
    from sklearn.metrics import r2_score
    from sklearn.tree import DecisionTreeRegressor

    score = np.fromfile(score_file, dtype=np.float64)
    x = np.fromfile(x_file, dtype=np.float64).reshape(len(score), int(m))
    x = np.where(np.isnan(x), -999.0, x)
    out = {}
    for k in [2, 4, 8, 16]:
        seconds = []
        for _ in range(3):
            start = time.perf_counter()
            tree = DecisionTreeRegressor(max_leaf_nodes=k, random_state=0).fit(x, score)
            seconds.append(time.perf_counter() - start)
        out[str(k)] = {
            "leaves": int(tree.get_n_leaves()),
            "depth": int(tree.get_depth()),
            "r2": float(r2_score(score, tree.predict(x))),
            "seconds": min(seconds),
        }
    print(json.dumps(out))


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2], int(sys.argv[3]))
    else:
        fit(sys.argv[2], sys.argv[3], sys.argv[4])
