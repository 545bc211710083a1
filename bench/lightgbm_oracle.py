"""Oracle side of bench/lightgbm.bench.ts, run with a Python that has lightgbm, shap and pandas (the machine
image's local wheel store: `python3 -m venv /tmp/oracle && /tmp/oracle/bin/pip install lightgbm shap pandas`).

  lightgbm_oracle.py make DIR N      the benchmarks' synthetic cases (DIR/cases.csv, oracle_data.py) and a
                                     LightGBM model trained on the first 20,000 of them: objective binary,
                                     300 trees of 31 leaves (DIR/model.txt, Booster.save_model)
  lightgbm_oracle.py contrib MODEL CSV OUT
                                     the timed process: reads the model and the case file, computes
                                     LightGBM's predict(pred_contrib=True) on one thread, and writes every
                                     contribution and the expected value (CSV)
  lightgbm_oracle.py shap MODEL CSV OUT
                                     the same with shap.TreeExplainer(booster).shap_values
"""
import sys

from oracle_data import FEATURES, synthetic, write_cases


def make(out_dir, n):
    import lightgbm as lgb

    x, y, complete = synthetic(n)
    train = min(n, 20000)
    params = {"objective": "binary", "num_leaves": 31, "learning_rate": 0.05, "min_data_in_leaf": 5, "min_gain_to_split": 0, "verbose": -1, "num_threads": 1, "seed": 7}
    booster = lgb.train(params, lgb.Dataset(x[:train], y[:train], feature_name=FEATURES), 300)
    booster.save_model(f"{out_dir}/model.txt")
    write_cases(out_dir, x, complete)


def write(cases, phi, out):
    import pandas as pd

    frame = pd.DataFrame(phi, columns=FEATURES + ["expected"])
    frame.insert(0, "case_id", cases["case_id"])
    frame.to_csv(out, index=False)


def contrib(model, csv, out):
    import lightgbm as lgb
    import pandas as pd

    cases = pd.read_csv(csv)
    booster = lgb.Booster(model_file=model)
    write(cases, booster.predict(cases[FEATURES].to_numpy(), pred_contrib=True, num_threads=1), out)


def shap_contrib(model, csv, out):
    import lightgbm as lgb
    import numpy as np
    import pandas as pd
    import shap

    cases = pd.read_csv(csv)
    explainer = shap.TreeExplainer(lgb.Booster(model_file=model), feature_perturbation="tree_path_dependent")
    phi = explainer.shap_values(cases[FEATURES].to_numpy(), check_additivity=False)
    expected = np.full((len(cases), 1), float(np.asarray(explainer.expected_value).ravel()[0]))
    write(cases, np.hstack([phi, expected]), out)


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "contrib":
        contrib(*sys.argv[2:5])
    elif sys.argv[1] == "shap":
        shap_contrib(*sys.argv[2:5])
    else:
        sys.exit(f"unknown mode {sys.argv[1]}")
