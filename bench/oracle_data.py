"""The synthetic cases and XGBoost model the benchmarks share (run with /usr/bin/python3: xgboost 1.7).

make(DIR, N, depths) writes DIR/cases.csv (N cases, 12 features with 4 decimals, 10% missing),
DIR/cases_complete.csv (the same cases with nothing missing) and, for each depth, an XGBoost model (150
trees of that depth, binary:logistic) trained on the first 20,000 cases: DIR/model.json for depth 5 (the
default), DIR/model_dD.json for another depth D. The outcome depends on the features through linear,
interaction, step and smooth terms, so that trees, attributions and surrogates all have something to find.
"""
import numpy as np

M = 12
FEATURES = [f"x{j}" for j in range(M)]


def synthetic(n):
    """x (with a tenth missing), y and x without missing values: the benchmarks' cases."""
    rng = np.random.default_rng(7)
    x = np.round(rng.normal(size=(n, M)), 4)
    logit = 0.9 * x[:, 0] - 0.6 * x[:, 1] + 0.7 * x[:, 2] * x[:, 3] + np.where(x[:, 4] > 0.3, 0.8, -0.4) + 0.3 * np.sin(3 * x[:, 5])
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(float)
    complete = x.copy()
    x[rng.random((n, M)) < 0.1] = np.nan
    return x, y, complete


def write_cases(out_dir, x, complete):
    for name, data in (("cases.csv", x), ("cases_complete.csv", complete)):
        with open(f"{out_dir}/{name}", "w") as f:
            f.write(",".join(["case_id"] + FEATURES) + "\n")
            for i, row in enumerate(data):
                f.write(f"c{i}," + ",".join("" if v != v else repr(float(v)) for v in row) + "\n")


def make(out_dir, n, depths=(5,)):
    import xgboost as xgb

    x, y, complete = synthetic(n)
    train = min(n, 20000)
    for depth in depths:
        booster = xgb.train(
            {"objective": "binary:logistic", "max_depth": depth, "eta": 0.1, "nthread": 1, "seed": 7},
            xgb.DMatrix(x[:train], label=y[:train], feature_names=FEATURES),
            150,
        )
        booster.save_model(f"{out_dir}/model.json" if depth == 5 else f"{out_dir}/model_d{depth}.json")
    write_cases(out_dir, x, complete)
