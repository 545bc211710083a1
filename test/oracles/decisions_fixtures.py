"""Regenerates test/fixtures/decisions/: a review log of the sample with known override patterns per group,
and the reviewers' decisions by group computed from it in pandas and statsmodels.

Run with Debian's Python (XGBoost 1.7, pandas, statsmodels 0.13):  /usr/bin/python3 test/oracles/decisions_fixtures.py
The tests do not need Python.

The review is the sample's XGBoost project (samples/juvenile/juvenile.riskreview.json); its scores come
from XGBoost's own Booster.predict (no case lies within 1e-6 of a band edge or the threshold, checked
below, so float32 rounding cannot move a band). Written:

  reviews.jsonl     about 2,100 decisions on about 1,900 cases. Each group has its own override pattern
                    (e.g. Black youth overridden up more often, White youth down, girls down more often);
                    some cases decided twice (only the latest counts); 25 decisions about another model
                    (left out); disagreements that name no band; reasons with quotes, accents and markup.
                    Every line is chained as docs/file-formats.md says, by this script: an implementation
                    of the chain independent of the engine's (the CLI must find this log intact).
  tampered.jsonl    the log's first 120 lines with line 100's verdict changed in place;
  resealed.jsonl    line 100 changed and its own hash recomputed (the chain breaks at line 101);
  deleted.jsonl     line 50 removed (the chain breaks at the line after it);
  torn.jsonl        a last line cut short mid-write.
  threshold-40.riskreview.json  the same project with the threshold at 0.4, inside the Moderate band:
                    overrides into Moderate then keep the score's flag (the accuracy rule's third case).
  expected.json     for each project: everyone, and per group of sex, race_ethnicity and sex x race_ethnicity:
                    reviewed cases; agreement, override up and override down as counts, rates and 95% Wilson
                    intervals (statsmodels proportion_confint, method="wilson"); the gap of each rate to the
                    reference group (Male, White, Male x White) with Newcombe's hybrid score interval
                    (statsmodels confint_proportions_2indep, method="newcomb", compare="diff"); over the
                    reviewed cases with a known outcome, the accuracy of the score's flag and of the flag after
                    the review, the overrides that made the flag right or wrong, and the share of overrides
                    that moved toward the outcome. Intervals use the engine's z = 1.959964 (alpha from it),
                    so the ends check the formulas, not the last digits of z. Also the chain's head hash.
"""
import hashlib
import json
import os
import shutil

import numpy as np
import pandas as pd
import xgboost as xgb
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SAMPLE = os.path.join(ROOT, "samples", "juvenile")
OUT = os.path.join(ROOT, "test", "fixtures", "decisions")
ALPHA = 0.05  # z = norm.ppf(0.975), as the engine's Z_95
CROSS = " \u00d7 "
rng = np.random.default_rng(13)


def sha_file(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def sha_text(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


project = json.load(open(os.path.join(SAMPLE, "juvenile.riskreview.json"), encoding="utf-8"))
MODEL_SHA = sha_file(os.path.join(SAMPLE, project["model"]))
DATA_SHA = sha_file(os.path.join(SAMPLE, project["data"]))
cases = pd.read_csv(os.path.join(SAMPLE, project["data"]), dtype={"case_id": str, "sex": str, "race_ethnicity": str}, keep_default_na=False, na_values=[""])
booster = xgb.Booster()
booster.load_model(os.path.join(SAMPLE, project["model"]))
features = booster.feature_names
cases["score"] = booster.predict(xgb.DMatrix(cases[features].astype(float), missing=np.nan)).astype(float)
bands = project["bands"]
labels = [b["label"] for b in bands]
edges = [b["below"] for b in bands if "below" in b]
for t in edges + [project["threshold"]]:
    assert (cases["score"] - t).abs().min() > 1e-6, f"a score lies within 1e-6 of {t}"
cases["band"] = np.searchsorted(np.array(edges), cases["score"].to_numpy(), side="right")

# ---- the log: decisions with a pattern per group --------------------------------------------------------
UP = {"Black": 0.16, "White": 0.04, "Hispanic": 0.10}
DOWN = {"Black": 0.03, "White": 0.12, "Hispanic": 0.06}
REASONS = ['school records show "steady attendance"', "family support — recently improved", "<b>not markup</b> & more", "referrals were dismissed", "agree after reading the file"]


def decide(row, later):
    up = UP.get(row.race_ethnicity, 0.08)
    down = DOWN.get(row.race_ethnicity, 0.08) + (0.05 if row.sex == "Female" else 0.0)
    if later:  # a second look is more often an agreement
        up, down = up / 2, down / 2
    unnamed = 0.04
    u = rng.random()
    band = int(row.band)
    if u < up and band < len(labels) - 1:
        return "disagree", labels[int(rng.integers(band + 1, len(labels)))]
    if up <= u < up + down and band > 0:
        return "disagree", labels[int(rng.integers(0, band))]
    if up + down <= u < up + down + unnamed:
        return "disagree", None
    return "agree", None


entries = []
time = pd.Timestamp("2026-03-01T08:00:00Z")
reviewed = cases.sample(frac=0.55, random_state=7)
for row in reviewed.itertuples():
    for later in ([False, True] if rng.random() < 0.1 else [False]):
        verdict, assigned = decide(row, later)
        time += pd.Timedelta(seconds=int(rng.integers(30, 600)))
        e = {
            "caseId": row.case_id,
            "verdict": verdict,
            "reason": REASONS[int(rng.integers(0, len(REASONS)))] if verdict == "disagree" or rng.random() < 0.3 else "",
            "notes": "" if rng.random() < 0.7 else "Notes ü — second line",
        }
        if assigned is not None:
            e["assignedBand"] = assigned
        e.update({
            "band": labels[int(row.band)],
            "blind": bool(rng.random() < 0.8),
            "reviewer": ["ana", "ben", "chidi"][int(rng.integers(0, 3))],
            "modelSha256": MODEL_SHA,
            "dataSha256": DATA_SHA,
            "model": "Juvenile reoffending (synthetic)",
            "time": time.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "version": "0.2.0",
        })
        entries.append(e)
# Decisions about another model: in the log, left out of every figure.
for k in range(25):
    other = dict(entries[k])
    other["modelSha256"] = "c" * 64
    other["verdict"] = "disagree"
    other.pop("assignedBand", None)
    entries.insert(200 + k * 40, other)


def chained_lines(items):
    """The chain as docs/file-formats.md states it: prev = SHA-256 of the previous line, hash seals the line."""
    lines, prev = [], None
    for e in items:
        body = json.dumps({**e, "prev": prev}, ensure_ascii=False, separators=(",", ":"))
        line = body[:-1] + ',"hash":"' + sha_text(body) + '"}'
        lines.append(line)
        prev = sha_text(line)
    return lines


lines = chained_lines(entries)
os.makedirs(OUT, exist_ok=True)


def write(name, ls, end="\n"):
    with open(os.path.join(OUT, name), "w", encoding="utf-8", newline="") as f:
        f.write("\n".join(ls) + end)


write("reviews.jsonl", lines)
# The tampered copies need only the log's start.
head = lines[:120]
tampered = list(head)
assert '"verdict":"agree"' in tampered[99]
tampered[99] = tampered[99].replace('"verdict":"agree"', '"verdict":"disagree"')
write("tampered.jsonl", tampered)
resealed = list(head)
fields = json.loads(resealed[99])
fields.pop("hash")
fields["reason"] = "changed later"
body = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
resealed[99] = body[:-1] + ',"hash":"' + sha_text(body) + '"}'
write("resealed.jsonl", resealed)
write("deleted.jsonl", head[:49] + head[50:])
extra = chained_lines(entries[:120] + [dict(entries[0], caseId="J-torn")])[-1]
write("torn.jsonl", head + [extra[: len(extra) // 2]], end="")

straddle = dict(project, threshold=0.4)
for key in ("model", "data"):
    straddle[key] = os.path.relpath(os.path.join(SAMPLE, project[key]), OUT)
with open(os.path.join(OUT, "threshold-40.riskreview.json"), "w", encoding="utf-8") as f:
    json.dump(straddle, f, ensure_ascii=False, indent=2)
    f.write("\n")

# ---- the figures, in pandas and statsmodels --------------------------------------------------------------
log = pd.DataFrame(entries)
about = log[(log.modelSha256 == MODEL_SHA) & (log.dataSha256 == DATA_SHA)]
latest = about.groupby("caseId", sort=False).tail(1).set_index("caseId")
counts = about.groupby("caseId").size()


def wilson(k, n):
    if n == 0:
        return None, None
    lo, hi = proportion_confint(k, n, alpha=ALPHA, method="wilson")
    return float(lo), float(hi)


def rate(k, n):
    lo, hi = wilson(k, n)
    return {"count": int(k), "n": int(n), "value": None if n == 0 else k / n, "ciLow": lo, "ciHigh": hi}


def gap(a, b):
    if a["n"] == 0 or b["n"] == 0:
        return None
    lo, hi = confint_proportions_2indep(a["count"], a["n"], b["count"], b["n"], method="newcomb", compare="diff", alpha=ALPHA)
    return {"value": a["count"] / a["n"] - b["count"] / b["n"], "ciLow": float(lo), "ciHigh": float(hi)}


def figures_for(threshold):
    lower = [-np.inf] + edges
    upper = edges + [np.inf]
    flag_of_band = ["flagged" if lo >= threshold else "not flagged" if up <= threshold else "either" for lo, up in zip(lower, upper)]
    d = cases.set_index("case_id").loc[latest.index].copy()
    d["verdict"] = latest.verdict
    d["assigned"] = latest.assignedBand.map(lambda b: labels.index(b) if isinstance(b, str) else -1)
    d["direction"] = np.where(d.verdict == "agree", "agree", np.where(d.assigned < 0, "unnamed", np.where(d.assigned > d.band, "up", "down")))
    d["flagged"] = d.score >= threshold
    adjusted = []
    for r in d.itertuples():
        f = flag_of_band[r.assigned] if r.direction in ("up", "down") else "either"
        adjusted.append(r.flagged if f == "either" else f == "flagged")
    d["adjusted"] = adjusted
    outcome = project["outcomeColumn"]
    d["sex" + CROSS + "race_ethnicity"] = d.sex + CROSS + d.race_ethnicity

    def figures(group, s):
        n = len(s)
        k = s[s[outcome].notna()]
        happened = k[outcome] == 1
        right_before = k.flagged == happened
        right_after = k.adjusted == happened
        moved = k[k.direction.isin(["up", "down"])]
        toward = ((moved.direction == "up") == (moved[outcome] == 1)).sum()
        return {
            "group": group,
            "reviewed": n,
            "agreed": rate((s.direction == "agree").sum(), n),
            "overrideUp": rate((s.direction == "up").sum(), n),
            "overrideDown": rate((s.direction == "down").sum(), n),
            "disagreedNoBand": int((s.direction == "unnamed").sum()),
            "outcomes": {
                "known": len(k),
                "scoreAccuracy": rate(right_before.sum(), len(k)),
                "adjustedAccuracy": rate(right_after.sum(), len(k)),
                "madeRight": int((right_after & ~right_before).sum()),
                "madeWrong": int((right_before & ~right_after).sum()),
                "towardOutcome": rate(toward, len(moved)),
            },
        }

    tables = []
    refs = {"sex": "Male", "race_ethnicity": "White", "sex" + CROSS + "race_ethnicity": "Male" + CROSS + "White"}
    all_groups = {
        "sex": sorted(cases.sex.unique()),
        "race_ethnicity": sorted(cases.race_ethnicity.unique()),
        "sex" + CROSS + "race_ethnicity": [a + CROSS + b for a, b in sorted(set(zip(cases.sex, cases.race_ethnicity)))],
    }
    for column, groups in all_groups.items():
        rows = [figures(g, d[d[column] == g]) for g in groups]
        ref = next(r for r in rows if r["group"] == refs[column])
        for r in rows:
            r["gaps"] = None if r is ref else {f: gap(r[f], ref[f]) for f in ("agreed", "overrideUp", "overrideDown")}
        tables.append({"column": column, "reference": refs[column], "rows": rows})
    return {"everyone": figures("Everyone", d), "byGroup": tables, "bandFlags": flag_of_band, "rows": len(d)}


expected = {
    "entries": len(entries),
    "otherReviews": int((log.modelSha256 != MODEL_SHA).sum()),
    "head": sha_text(lines[-1]),
    "projects": {
        "juvenile": figures_for(project["threshold"]),
        "threshold-40": figures_for(0.4),
    },
}
with open(os.path.join(OUT, "expected.json"), "w", encoding="utf-8") as f:
    json.dump(expected, f, ensure_ascii=False, indent=1)
    f.write("\n")
print(f"{len(entries)} decisions on {len(latest)} cases; wrote {OUT}")
