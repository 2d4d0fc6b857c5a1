"""Reference values for ConfigComparisonTests, computed with scipy (Debian's python3-scipy), independently of CnnGrid.

Run: /usr/bin/python3 tests/CnnGrid.Orchestrator.Tests/Sweeps/comparison_reference.py
The fold accuracies are the ones ConfigComparisonTests writes; k = 5 folds, 2 seeds (J = 10), rope 0.005.
"""
import json
import numpy as np
from scipy import stats

K, ROPE = 5, 0.005
RATIO = 1 / (K - 1)  # n_val / n_train of k-fold
configs = {
    "best": [0.86, 0.84, 0.85, 0.88, 0.83, 0.87, 0.85, 0.84, 0.86, 0.85],
    "close": [0.85, 0.84, 0.86, 0.87, 0.82, 0.86, 0.85, 0.83, 0.86, 0.84],
    "worse": [0.80, 0.79, 0.81, 0.82, 0.78, 0.80, 0.79, 0.80, 0.81, 0.79],
}

def interval(values):
    values = np.array(values)
    j = len(values)
    half = stats.t.ppf(0.975, j - 1) * np.sqrt((1 / j + RATIO) * values.var(ddof=1))
    return [values.mean() - half, values.mean() + half]

out = {"ci95": {name: interval(values) for name, values in configs.items()}, "vsBest": {}}
pvalues = {}
for name in ("close", "worse"):
    d = np.array(configs["best"]) - np.array(configs[name])
    j = len(d)
    se = np.sqrt((1 / j + RATIO) * d.var(ddof=1))
    t = d.mean() / se
    p = 2 * stats.t.sf(abs(t), j - 1)
    posterior = stats.t(j - 1, loc=d.mean(), scale=se)
    out["vsBest"][name] = {
        "meanDifference": d.mean(), "stdError": se, "t": t, "df": j - 1, "pValue": p,
        "probabilityBestBetter": posterior.sf(ROPE),
        "probabilityEquivalent": posterior.cdf(ROPE) - posterior.cdf(-ROPE),
        "probabilityThisBetter": posterior.cdf(-ROPE),
    }
    pvalues[name] = p
# Holm's step-down adjustment.
order = sorted(pvalues, key=pvalues.get)
running = 0.0
for i, name in enumerate(order):
    running = max(running, min(1.0, (len(order) - i) * pvalues[name]))
    out["vsBest"][name]["pValueHolm"] = running
print(json.dumps(out, indent=1))
