"""Oracle side of bench/treeshap.bench.ts (run with /usr/bin/python3, which has xgboost 1.7).

  treeshap_oracle.py make DIR N      a synthetic case file (DIR/cases.csv, with missing values, and
                                     DIR/cases_complete.csv without) and an XGBoost model trained on
                                     part of it (DIR/model.json: 150 trees, depth 5, binary:logistic)
  treeshap_oracle.py contribs MODEL CSV OUT
                                     the timed process: reads the case file, computes XGBoost's
                                     pred_contribs on one thread, and writes every contribution (CSV)
"""
import sys

from oracle_data import FEATURES, make


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
