"""Makes the bundled sample, samples/juvenile/: a synthetic juvenile risk-and-needs assessment.

    /usr/bin/python3 scripts/make_sample.py

Run it with Debian's Python (xgboost 1.7, scikit-learn 1.2, pandas, numpy). It is seeded (SEED below)
and rewrites every file it makes, so running it again on the same libraries gives the same files.
No real person is in these data: every case is drawn from the process described here.

What it writes
  samples/juvenile/cases.csv                   3,500 cases (the "review cohort"): ids, sex,
                                               race/ethnicity, ten assessment items, the outcome
  samples/juvenile/instrument.riskmodel.json   an additive instrument (points per item, bands on the
                                               total, a logistic total -> probability mapping)
  samples/juvenile/logistic.riskmodel.json     a logistic regression (scikit-learn)
  samples/juvenile/xgboost.json                an XGBoost model (Booster.save_model, feature names kept)
  samples/juvenile/*.riskreview.json           one project per model
  test/fixtures/sample/{xgboost,logistic,instrument}-predict.csv
                                               each model's score for every case, computed here by
                                               XGBoost, scikit-learn and numpy (the engine's oracles)
  test/fixtures/sample/planted.json            the figures printed below, for the tests

The models are fitted on a separate "development cohort" of 3,500 cases drawn from the same process and
not shipped, so the review cohort is new to them, as it would be in practice.

Data-generating process (per case)
  sex                 exactly 30% Female, 70% Male (juvenile caseloads are mostly boys)
  race_ethnicity      fixed counts: Black 1260, White 1050, Hispanic 770, Other 203,
                      Native American 175, Asian/Pacific Islander 42 (a small group, < 50 cases, on purpose)
  z                   an unobserved propensity, N(0, 1), independent of sex and race/ethnicity
  items               each item is driven partly by z (a Gaussian copula: u = r*z + sqrt(1-r^2)*e), so
                      items are correlated as real ones are:
    age_first_referral    years, 10-17, round(14.3 - 0.9 z + N(0, 1.1))
    prior_referrals       count, Poisson(exp(0.25 + 0.55 z)), at most 12
    prior_detentions      count, Poisson(exp(-0.9 + 0.6 z)), at most 6 and at most prior_referrals
    offence_severity      0 status/minor, 1 misdemeanour, 2 property felony, 3 person felony (r = 0.3)
    probation_violations  count, Poisson(exp(-1.1 + 0.5 z)), at most 5
    school_disengagement  0 engaged ... 3 not attending (r = 0.6); unknown (empty) for about 6% of
                          cases, more often when disengagement is high (4% at levels 0-1, 10% at 2-3)
    family_conflict       0 none ... 3 severe (r = 0.3). Its distribution depends on sex:
                          boys  0/1/2/3 with probabilities .25/.55/.17/.03 (bunched near the middle),
                          girls 0/1/2/3 with probabilities .30/.10/.15/.45 (spread to both ends)
    supervision_problems  0 adequate ... 3 none (r = 0.5)
    peer_delinquency      0 none ... 3 mostly delinquent peers (r = 0.6)
    substance_use         0 none ... 3 dependence (r = 0.5)
  reoffended_2y       Bernoulli(sigmoid(eta)), a new referral within two years, with
    eta = -2.35 + 0.16 min(prior_referrals, 8) - 0.12 (age_first_referral - 14) + 0.25 prior_detentions
          + 0.08 offence_severity + 0.20 probation_violations + 0.25 school_disengagement (true level,
          also when it is recorded as unknown) + 0.18 supervision_problems + 0.28 peer_delinquency
          + 0.22 substance_use + 0.30 z
          + family conflict: 0.10 per level for boys, 0.75 per level for girls, less 0.75 for girls
          + 0.85 for Hispanic youth
  The last two lines are the planted truths.

Planted truth 1 (calibration): the outcome carries a group effect the items do not: Hispanic youth are
  re-referred more often than their items explain (+0.85 on the log-odds, standing for, e.g., heavier
  policing of their neighbourhoods). No model sees race/ethnicity, and all three are fitted on the pooled
  cohort, so all three under-predict for Hispanic youth. Expected: observed rate minus mean predicted
  probability ("calibration in the large") about +0.12 for Hispanic youth in every model (0.54 observed,
  0.41 predicted), and observed above predicted in every fifth of their predicted probabilities; within
  0.03 of zero for the other groups of 150 or more cases (slightly negative: the pooled fit is pulled up
  by the Hispanic cases) and for both sexes. (The 42 Asian/Pacific Islander cases wander by chance, about
  +0.04: too few to tell.)
Planted truth 2 (attribution): family conflict matters more for girls. Its effect on the outcome is
  larger for girls (0.75 vs 0.10 per level) and girls' values are spread to both ends while boys' bunch
  near the middle, so the models' attributions to family conflict are larger for girls. Expected: the
  XGBoost model's mean |SHAP| (pred_contribs) for family_conflict about 2.3 times as large for girls as
  for boys (no other item above 1.15), and about 2 times in the logistic model and the instrument; in the
  data, girls with family conflict 2-3 are re-referred far more often than girls with 0-1 (about +0.44),
  while for boys the gap is small (about +0.07). The girls' offset
  (-0.75) keeps the models' calibration in the large for girls near zero, so truth 1 stays the only
  group-level miscalibration.

Missing values: school_disengagement is empty when unknown. XGBoost follows its default branches; the
instrument gives unknown its own points (missingPoints, fitted like any bin). A logistic regression
cannot score a missing value, so the logistic model reads school_disengagement_imputed instead: the same
item with unknown replaced by the development cohort's median, as a scoring pipeline would do before a
logistic model. That column is in cases.csv next to the recorded one.
"""
import json
import os

import numpy as np
import pandas as pd
import xgboost as xgb
from scipy.stats import norm
from sklearn.linear_model import LogisticRegression

SEED = 20240611
N = 3500
ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
SAMPLE = os.path.join(ROOT, "samples", "juvenile")
FIXTURES = os.path.join(ROOT, "test", "fixtures", "sample")

RACE_COUNTS = {"Black": 1260, "White": 1050, "Hispanic": 770, "Other": 203, "Native American": 175, "Asian/Pacific Islander": 42}
PLANTED_GROUP = "Hispanic"
PLANTED_GROUP_EFFECT = 0.85
PLANTED_ITEM = "family_conflict"
FEMALE_SHARE = 0.30

ITEMS = [
    "prior_referrals", "age_first_referral", "prior_detentions", "offence_severity", "probation_violations",
    "school_disengagement", "family_conflict", "supervision_problems", "peer_delinquency", "substance_use",
]
LOGISTIC_FEATURES = [("school_disengagement_imputed" if f == "school_disengagement" else f) for f in ITEMS]

# Plain-language labels and descriptions, shared by the models and the projects.
FEATURES = {
    "prior_referrals": ("Prior referrals", "Referrals to juvenile court before this one (count)."),
    "age_first_referral": ("Age at first referral", "Age in years at the first referral to juvenile court."),
    "prior_detentions": ("Prior detentions", "Times held in secure detention before this referral (count)."),
    "offence_severity": ("Current offence severity", "0 status or minor offence, 1 misdemeanour, 2 property felony, 3 felony against a person."),
    "probation_violations": ("Probation violations", "Recorded violations of probation conditions (count)."),
    "school_disengagement": ("School disengagement", "0 engaged, 1 some problems (absences, discipline), 2 serious problems, 3 not attending. Empty when unknown."),
    "school_disengagement_imputed": ("School disengagement (unknown as typical)", "School disengagement as recorded (0 engaged … 3 not attending), with unknown replaced by the typical level (the development cohort's median) so that the logistic model can score it."),
    "family_conflict": ("Family conflict", "0 none, 1 some, 2 frequent, 3 severe conflict at home (caseworker's rating)."),
    "supervision_problems": ("Family supervision problems", "0 adequate supervision, 1 inconsistent, 2 poor, 3 none (caseworker's rating)."),
    "peer_delinquency": ("Delinquent peers", "0 none, 1 some, 2 many, 3 mostly delinquent friends (caseworker's rating)."),
    "substance_use": ("Substance use", "0 none, 1 experimental, 2 regular use, 3 dependence (caseworker's rating)."),
}

# Which items can change, as juvenile risk-and-needs instruments sort them: the offence history is static
# (it records the past), the needs are dynamic (case plans target them). Each need is rated on its whole
# scale, 0 to 3, and may move either way. The projects say so (riskFactor, min, max), and Risk Review's
# curves and smallest changes to a lower band read it.
DYNAMIC = {"school_disengagement", "school_disengagement_imputed", "family_conflict", "supervision_problems",
           "peer_delinquency", "substance_use"}
NEED_SCALE = (0, 3)

# The instrument's bins: (below, label) pairs, the last with below None. Designed as such instruments are:
# a few ordered bins per item, the lowest-risk bin worth 0 points (the first bin, or the last for the items
# in DECREASING, where risk falls as the value rises).
INSTRUMENT_BINS = {
    "prior_referrals": [(1, "None"), (2, "1"), (4, "2–3"), (7, "4–6"), (None, "7 or more")],
    "age_first_referral": [(12, "Under 12"), (14, "12–13"), (16, "14–15"), (None, "16 or older")],
    "prior_detentions": [(1, "None"), (2, "1"), (None, "2 or more")],
    "offence_severity": [(2, "Status, minor or misdemeanour"), (3, "Property felony"), (None, "Felony against a person")],
    "probation_violations": [(1, "None"), (2, "1"), (None, "2 or more")],
    "school_disengagement": [(1, "Engaged"), (2, "Some problems"), (3, "Serious problems"), (None, "Not attending")],
    "family_conflict": [(1, "None"), (2, "Some"), (3, "Frequent"), (None, "Severe")],
    "supervision_problems": [(2, "Adequate or inconsistent"), (3, "Poor"), (None, "None")],
    "peer_delinquency": [(1, "None"), (2, "Some"), (3, "Many"), (None, "Mostly delinquent")],
    "substance_use": [(1, "None"), (2, "Experimental"), (None, "Regular use or dependence")],
}
DECREASING = {"age_first_referral"}
# The instrument's domains (sub-scales), as instruments of this kind group their items.
DOMAINS = {
    "prior_referrals": "Offence history", "age_first_referral": "Offence history", "prior_detentions": "Offence history",
    "offence_severity": "Offence history", "probation_violations": "Offence history",
    "school_disengagement": "Education",
    "family_conflict": "Family", "supervision_problems": "Family",
    "peer_delinquency": "Peers and substance use", "substance_use": "Peers and substance use",
}
POINT_SCALE = 0.25  # one instrument point stands for this much log-odds

# Bands on the probability (all models) — a case is flagged (threshold) when it is High.
BAND_EDGES = [(0.25, "Low"), (0.5, "Moderate"), (None, "High")]
THRESHOLD = 0.5
XGB_PARAMS = {"objective": "binary:logistic", "max_depth": 4, "eta": 0.1, "min_child_weight": 5, "lambda": 1.0,
              "tree_method": "exact", "seed": SEED, "nthread": 1}
XGB_ROUNDS = 100


def ordinal(u, probabilities):
    """Levels 0..k-1 from a standard-normal u, with the given marginal probabilities."""
    cuts = norm.ppf(np.cumsum(probabilities)[:-1])
    return np.searchsorted(cuts, u, side="right")


def copula(rng, z, r):
    return r * z + np.sqrt(1 - r * r) * rng.normal(size=z.shape)


def exact_shuffle(rng, counts):
    labels = np.concatenate([[k] * v for k, v in counts.items()])
    return rng.permutation(labels)


def draw_cohort(rng, prefix, start):
    """One cohort of N cases from the process in the module docstring."""
    n_female = round(FEMALE_SHARE * N)
    sex = rng.permutation(np.array(["Female"] * n_female + ["Male"] * (N - n_female)))
    race = exact_shuffle(rng, RACE_COUNTS)
    female = sex == "Female"
    z = rng.normal(size=N)

    age_first = np.clip(np.round(14.3 - 0.9 * z + rng.normal(0, 1.1, N)), 10, 17).astype(int)
    referrals = np.minimum(rng.poisson(np.exp(0.25 + 0.55 * z)), 12)
    detentions = np.minimum(np.minimum(rng.poisson(np.exp(-0.9 + 0.6 * z)), 6), referrals)
    severity = ordinal(copula(rng, z, 0.3), [0.35, 0.35, 0.2, 0.1])
    violations = np.minimum(rng.poisson(np.exp(-1.1 + 0.5 * z)), 5)
    school = ordinal(copula(rng, z, 0.6), [0.35, 0.3, 0.2, 0.15])
    u_conflict = copula(rng, z, 0.3)
    conflict = np.where(female, ordinal(u_conflict, [0.30, 0.10, 0.15, 0.45]), ordinal(u_conflict, [0.25, 0.55, 0.17, 0.03]))
    supervision = ordinal(copula(rng, z, 0.5), [0.35, 0.35, 0.2, 0.1])
    peers = ordinal(copula(rng, z, 0.6), [0.3, 0.35, 0.2, 0.15])
    substance = ordinal(copula(rng, z, 0.5), [0.4, 0.3, 0.2, 0.1])

    eta = (-2.35 + 0.16 * np.minimum(referrals, 8) - 0.12 * (age_first - 14) + 0.25 * detentions + 0.08 * severity
           + 0.20 * violations + 0.25 * school + 0.18 * supervision + 0.28 * peers + 0.22 * substance + 0.30 * z
           + np.where(female, 0.75 * conflict - 0.75, 0.10 * conflict)
           + np.where(race == PLANTED_GROUP, PLANTED_GROUP_EFFECT, 0.0))
    outcome = (rng.random(N) < 1 / (1 + np.exp(-eta))).astype(int)

    unknown = rng.random(N) < np.where(school >= 2, 0.10, 0.04)
    recorded_school = np.where(unknown, np.nan, school)
    return pd.DataFrame({
        "case_id": [f"{prefix}-{start + i:06d}" for i in range(N)],
        "sex": sex,
        "race_ethnicity": race,
        "prior_referrals": referrals,
        "age_first_referral": age_first,
        "prior_detentions": detentions,
        "offence_severity": severity,
        "probation_violations": violations,
        "school_disengagement": recorded_school,
        "family_conflict": conflict,
        "supervision_problems": supervision,
        "peer_delinquency": peers,
        "substance_use": substance,
        "reoffended_2y": outcome,
    })


def add_imputed(df, median):
    df = df.copy()
    df.insert(df.columns.get_loc("school_disengagement") + 1, "school_disengagement_imputed",
              df["school_disengagement"].fillna(median).astype(int))
    return df


def fit_xgboost(dev):
    dtrain = xgb.DMatrix(dev[ITEMS], label=dev["reoffended_2y"], missing=np.nan)
    return xgb.train(XGB_PARAMS, dtrain, num_boost_round=XGB_ROUNDS)


def fit_logistic(dev):
    return LogisticRegression(penalty=None, max_iter=5000).fit(dev[LOGISTIC_FEATURES].to_numpy(float), dev["reoffended_2y"])


def bin_index(values, bins):
    """The bin of each value (NaN -> -1)."""
    edges = np.array([b for b, _ in bins[:-1]], dtype=float)
    idx = np.searchsorted(edges, values, side="right")
    return np.where(np.isnan(values), -1, idx)


def reference_bin(f):
    return len(INSTRUMENT_BINS[f]) - 1 if f in DECREASING else 0


def instrument_design(df):
    """One-hot bins (the lowest-risk bin left out) and an 'unknown' column for school disengagement."""
    cols, names = [], []
    for f in ITEMS:
        idx = bin_index(df[f].to_numpy(float), INSTRUMENT_BINS[f])
        for k in range(len(INSTRUMENT_BINS[f])):
            if k == reference_bin(f):
                continue
            cols.append((idx == k).astype(float))
            names.append((f, k))
        if f == "school_disengagement":
            cols.append((idx == -1).astype(float))
            names.append((f, "missing"))
    return np.column_stack(cols), names


def fit_instrument(dev):
    """Points: a logistic fit on the bins, scaled (1 point = POINT_SCALE log-odds) and rounded, never below 0
    and never falling as an item's bins move away from its lowest-risk bin (instruments are monotone); then
    the total -> probability mapping is a logistic fit of the outcome on the total."""
    x, names = instrument_design(dev)
    fit = LogisticRegression(penalty=None, max_iter=5000).fit(x, dev["reoffended_2y"])
    coef = dict(zip(names, fit.coef_[0]))
    items = []
    for f in ITEMS:
        label, description = FEATURES[f]
        ref = reference_bin(f)
        order = range(len(INSTRUMENT_BINS[f]))
        points, running = {}, 0
        for k in (reversed(order) if f in DECREASING else order):
            running = 0 if k == ref else max(running, int(round(coef[(f, k)] / POINT_SCALE)))
            points[k] = running
        points = [points[k] for k in order]
        bins = [{**({"below": below} if below is not None else {}), "points": p, "label": bl}
                for (below, bl), p in zip(INSTRUMENT_BINS[f], points)]
        item = {"feature": f, "label": label, "description": description, "domain": DOMAINS[f], "bins": bins}
        if f == "school_disengagement":
            item["missingPoints"] = max(0, int(round(coef[(f, "missing")] / POINT_SCALE)))
        items.append(item)
    instrument = {"kind": "scorecard", "name": "Juvenile Risk and Needs Screen (synthetic)", "version": "1.0", "items": items}
    total = instrument_total(instrument, dev)
    mapping = LogisticRegression(penalty=None, max_iter=5000).fit(total.reshape(-1, 1), dev["reoffended_2y"])
    a, b = float(mapping.intercept_[0]), float(mapping.coef_[0][0])
    instrument["probability"] = {"method": "logistic", "intercept": round(a, 6), "slope": round(b, 6)}
    # Bands on the total where the mapped probability crosses the probability bands' edges.
    a, b = instrument["probability"]["intercept"], instrument["probability"]["slope"]
    bands = []
    for edge, band_label in BAND_EDGES:
        if edge is None:
            bands.append({"label": band_label})
        else:
            bands.append({"label": band_label, "below": int(np.ceil((np.log(edge / (1 - edge)) - a) / b))})
    instrument["bands"] = bands
    return instrument


def instrument_total(instrument, df):
    total = np.zeros(len(df))
    for item in instrument["items"]:
        v = df[item["feature"]].to_numpy(float)
        bins = [(b.get("below"), None) for b in item["bins"]]
        idx = bin_index(v, bins)
        pts = np.array([b["points"] for b in item["bins"]], dtype=float)
        total += np.where(idx < 0, item.get("missingPoints", np.nan), pts[np.maximum(idx, 0)])
    return total


def instrument_probability(instrument, total):
    p = instrument["probability"]
    return 1 / (1 + np.exp(-(p["intercept"] + p["slope"] * total)))


def instrument_project_bands(instrument):
    """The instrument's bands on the total, restated on the probability (the review bands scores): each edge
    halfway between the probabilities of the totals either side, so the same cases fall in the same band."""
    out = []
    for band in instrument["bands"]:
        if "below" not in band:
            out.append({"label": band["label"]})
            continue
        t = band["below"]
        lo, hi = instrument_probability(instrument, np.array([t - 1.0, float(t)]))
        out.append({"label": band["label"], "below": round(float((lo + hi) / 2), 6)})
    return out


def write_json(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2, ensure_ascii=False)
        f.write("\n")


def feature_note(f):
    label, description = FEATURES[f]
    if f in DYNAMIC:
        return {"label": label, "description": description, "riskFactor": "dynamic", "min": NEED_SCALE[0], "max": NEED_SCALE[1]}
    return {"label": label, "description": description, "riskFactor": "static"}


def project(name, model_file, instrument=None):
    features = {f: feature_note(f) for f in FEATURES}
    bands = instrument_project_bands(instrument) if instrument else [
        ({"label": l, "below": e} if e is not None else {"label": l}) for e, l in BAND_EDGES]
    return {
        "name": name,
        "model": model_file,
        "data": "cases.csv",
        "idColumn": "case_id",
        "outcomeColumn": "reoffended_2y",
        "groupColumns": ["sex", "race_ethnicity"],
        "referenceGroups": {"sex": "Male", "race_ethnicity": "White"},
        "threshold": THRESHOLD,
        "bands": bands,
        "features": features,
    }


def calibration_in_the_large(y, p, groups):
    return {g: {"n": int((groups == g).sum()), "observed": float(y[groups == g].mean()), "predicted": float(p[groups == g].mean()),
                "difference": float(y[groups == g].mean() - p[groups == g].mean())} for g in sorted(set(groups))}


def fifths(y, p):
    """Observed and mean predicted in each fifth of the predicted probabilities."""
    order = np.argsort(p, kind="stable")
    return [(float(y[i].mean()), float(p[i].mean())) for i in np.array_split(order, 5)]


def main():
    rng = np.random.default_rng(SEED)
    dev = draw_cohort(rng, "D", 1)
    review = draw_cohort(rng, "J", 1)
    median = float(dev["school_disengagement"].median())
    dev, review = add_imputed(dev, median), add_imputed(review, median)

    booster = fit_xgboost(dev)
    logistic = fit_logistic(dev)
    instrument = fit_instrument(dev)

    os.makedirs(SAMPLE, exist_ok=True)
    os.makedirs(FIXTURES, exist_ok=True)
    review.to_csv(os.path.join(SAMPLE, "cases.csv"), index=False, na_rep="", float_format="%.0f")
    # Everything below is computed on the cases as written, read back.
    cases = pd.read_csv(os.path.join(SAMPLE, "cases.csv"), keep_default_na=False, na_values=[""])

    booster.save_model(os.path.join(SAMPLE, "xgboost.json"))
    write_json(os.path.join(SAMPLE, "logistic.riskmodel.json"), {
        "kind": "logistic",
        "name": "Juvenile reoffending logistic regression (synthetic)",
        "version": "1.0",
        "intercept": float(logistic.intercept_[0]),
        "coefficients": {f: float(w) for f, w in zip(LOGISTIC_FEATURES, logistic.coef_[0])},
        "labels": {f: FEATURES[f][0] for f in LOGISTIC_FEATURES},
    })
    write_json(os.path.join(SAMPLE, "instrument.riskmodel.json"), instrument)
    write_json(os.path.join(SAMPLE, "juvenile.riskreview.json"), project("Juvenile reoffending — XGBoost model (synthetic sample)", "xgboost.json"))
    write_json(os.path.join(SAMPLE, "juvenile-logistic.riskreview.json"), project("Juvenile reoffending — logistic regression (synthetic sample)", "logistic.riskmodel.json"))
    write_json(os.path.join(SAMPLE, "juvenile-instrument.riskreview.json"), project("Juvenile reoffending — risk and needs screen (synthetic sample)", "instrument.riskmodel.json", instrument))

    dcases = xgb.DMatrix(cases[ITEMS], missing=np.nan)
    p_xgb = booster.predict(dcases)
    contribs = booster.predict(dcases, pred_contribs=True)
    p_log = logistic.predict_proba(cases[LOGISTIC_FEATURES].to_numpy(float))[:, 1]
    total = instrument_total(instrument, cases)
    p_ins = instrument_probability(instrument, total)

    ids = cases["case_id"]
    pd.DataFrame({"case_id": ids, "probability": [f"{v:.9g}" for v in p_xgb]}).to_csv(os.path.join(FIXTURES, "xgboost-predict.csv"), index=False)
    pd.DataFrame({"case_id": ids, "probability": [repr(float(v)) for v in p_log]}).to_csv(os.path.join(FIXTURES, "logistic-predict.csv"), index=False)
    pd.DataFrame({"case_id": ids, "total": total.astype(int), "probability": [repr(float(v)) for v in p_ins]}).to_csv(os.path.join(FIXTURES, "instrument-predict.csv"), index=False)

    y = cases["reoffended_2y"].to_numpy()
    race = cases["race_ethnicity"].to_numpy()
    sex = cases["sex"].to_numpy()
    planted = {"seed": SEED, "n": int(len(cases)), "plantedGroup": PLANTED_GROUP, "plantedItem": PLANTED_ITEM,
               "calibrationInTheLarge": {}, "plantedGroupFifths": {}, "meanAbsShapBySex": {}}
    print(f"review cohort: {len(cases)} cases, re-referred within two years {y.mean():.3f}; "
          f"school disengagement unknown {cases['school_disengagement'].isna().mean():.3f}")
    print("race/ethnicity:", cases["race_ethnicity"].value_counts().to_dict())
    print("sex:", cases["sex"].value_counts().to_dict())
    for model, p in (("xgboost", p_xgb), ("logistic", p_log), ("instrument", p_ins)):
        by_race = calibration_in_the_large(y, p, race)
        by_sex = calibration_in_the_large(y, p, sex)
        planted["calibrationInTheLarge"][model] = {"race_ethnicity": by_race, "sex": by_sex}
        planted["plantedGroupFifths"][model] = fifths(y[race == PLANTED_GROUP], p[race == PLANTED_GROUP])
        print(f"\n{model}: calibration in the large (observed - mean predicted)")
        for g, c in {**by_race, **by_sex}.items():
            print(f"  {g:24s} n={c['n']:5d}  observed {c['observed']:.3f}  predicted {c['predicted']:.3f}  difference {c['difference']:+.3f}")
        print(f"  {PLANTED_GROUP} by fifths of predicted (observed/predicted): "
              + "  ".join(f"{o:.2f}/{q:.2f}" for o, q in planted["plantedGroupFifths"][model]))

    print("\nxgboost: mean |pred_contribs| (log-odds) by sex")
    for j, f in enumerate(ITEMS):
        by = {s: float(np.abs(contribs[sex == s, j]).mean()) for s in ("Female", "Male")}
        planted["meanAbsShapBySex"][f] = by
        print(f"  {f:22s} Female {by['Female']:.3f}  Male {by['Male']:.3f}  ratio {by['Female'] / by['Male']:.2f}")

    # Additive models' exact Shapley values with the case file as background: the item's own term minus its mean.
    planted["meanAbsAdditiveBySex"] = {}
    j = ITEMS.index(PLANTED_ITEM)
    terms = {"logistic": logistic.coef_[0][j] * cases[PLANTED_ITEM].to_numpy(float),
             "instrument": instrument_total({"items": [instrument["items"][j]]}, cases)}
    for model, term in terms.items():
        phi = np.abs(term - term.mean())
        by = {s: float(phi[sex == s].mean()) for s in ("Female", "Male")}
        planted["meanAbsAdditiveBySex"][model] = by
        print(f"{model}: mean |attribution| of {PLANTED_ITEM} ({'log-odds' if model == 'logistic' else 'points'}) "
              f"Female {by['Female']:.3f}  Male {by['Male']:.3f}  ratio {by['Female'] / by['Male']:.2f}")

    high = cases[PLANTED_ITEM] >= 2
    planted["outcomeGapByPlantedItem"] = {}
    print(f"\ndata: re-referral rate with {PLANTED_ITEM} 2-3 minus with 0-1, by sex")
    for s in ("Female", "Male"):
        m = sex == s
        gap = float(y[m & high].mean() - y[m & ~high].mean())
        planted["outcomeGapByPlantedItem"][s] = gap
        print(f"  {s:6s} {y[m & high].mean():.3f} - {y[m & ~high].mean():.3f} = {gap:+.3f}")
    print("\ninstrument bands on the total:", instrument["bands"], "probability:", instrument["probability"])
    write_json(os.path.join(FIXTURES, "planted.json"), planted)


if __name__ == "__main__":
    main()
