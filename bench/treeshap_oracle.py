"""Oracle side of bench/treeshap.bench.ts.

With /usr/bin/python3 (Debian's, which has xgboost 1.7):
  treeshap_oracle.py make DIR N D1,D2,…
                                     a synthetic case file (DIR/cases.csv, with missing values, and
                                     DIR/cases_complete.csv without) and XGBoost models trained on part of
                                     it, 150 trees of each depth Di (DIR/model.json for depth 5, else
                                     DIR/model_dDi.json), binary:logistic
  treeshap_oracle.py contribs MODEL CSV OUT
                                     the timed process: reads the case file, computes XGBoost's
                                     pred_contribs on one thread, and writes every contribution (CSV)
With a Python that has shap (the machine image's wheel store; there is no xgboost there, so the XGBoost
model is handed to shap as its own tree description, which shap.TreeExplainer accepts as a dict):
  treeshap_oracle.py shap MODEL CSV OUT
                                     the timed process: reads the model JSON and the case file, computes
                                     shap.TreeExplainer(...).shap_values (path-dependent, as XGBoost's),
                                     and writes every contribution and the expected value (CSV)
"""
import json
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


def shap_trees(model_file):
    """XGBoost's JSON trees as shap's tree dictionaries: shap sends x ≤ t left, XGBoost x < t (in float32),
    so each threshold becomes the float32 just below it; the inputs are rounded to float32 as XGBoost's."""
    import numpy as np

    with open(model_file) as f:
        model = json.load(f)
    learner = model["learner"]
    base = float(str(learner["learner_model_param"]["base_score"]).strip("[]"))
    trees = []
    for t in learner["gradient_booster"]["model"]["trees"]:
        left = np.array(t["left_children"], dtype=np.int32)
        right = np.array(t["right_children"], dtype=np.int32)
        leaf = left < 0
        cond = np.array(t["split_conditions"], dtype=np.float32)
        below = np.nextafter(cond, np.float32(-np.inf)).astype(np.float64)
        trees.append(
            {
                "children_left": np.where(leaf, -1, left),
                "children_right": np.where(leaf, -1, right),
                "children_default": np.where(leaf, -1, np.where(np.array(t["default_left"], dtype=bool), left, right)),
                "features": np.where(leaf, -2, np.array(t["split_indices"], dtype=np.int32)),
                "thresholds": np.where(leaf, 0.0, below),
                "values": np.where(leaf, cond.astype(np.float64), 0.0).reshape(-1, 1),
                "node_sample_weight": np.array(t["sum_hessian"], dtype=np.float64),
            }
        )
    return {"trees": trees, "base_offset": float(np.log(base / (1 - base))), "tree_output": "raw_value", "objective": "binary_crossentropy", "input_dtype": np.float64, "internal_dtype": np.float64}


def shap_contribs(model, csv, out):
    import numpy as np
    import pandas as pd
    import shap

    cases = pd.read_csv(csv)
    x = cases[FEATURES].to_numpy(dtype=np.float32).astype(np.float64)
    explainer = shap.TreeExplainer(shap_trees(model), feature_perturbation="tree_path_dependent")
    phi = explainer.shap_values(x, check_additivity=False)
    frame = pd.DataFrame(phi, columns=FEATURES)
    frame["bias"] = float(np.asarray(explainer.expected_value).ravel()[0])
    frame.insert(0, "case_id", cases["case_id"])
    frame.to_csv(out, index=False)


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2], int(sys.argv[3]), [int(d) for d in sys.argv[4].split(",")])
    elif sys.argv[1] == "contribs":
        contribs(*sys.argv[2:5])
    elif sys.argv[1] == "shap":
        shap_contribs(*sys.argv[2:5])
    else:
        sys.exit(f"unknown mode {sys.argv[1]}")
