"""Oracle side of bench/surrogate.bench.ts (run with /usr/bin/python3: xgboost 1.7, scikit-learn 1.2).

  surrogate_oracle.py make DIR N     the benchmarks' synthetic cases and XGBoost model (oracle_data.py:
                                     4 decimals, so far more distinct values than bins; 10% missing)
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

from oracle_data import make


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
