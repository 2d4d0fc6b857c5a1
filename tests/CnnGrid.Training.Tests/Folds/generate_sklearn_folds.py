#!/usr/bin/python3
"""Writes sklearn_folds.json: the reference folds FoldSplitterSklearnTests compares against.

Run with Debian's scikit-learn (apt-get install -y python3-sklearn), from this folder:
    /usr/bin/python3 generate_sklearn_folds.py
The tests only read the JSON; this script records how it was produced.
"""
import json
import warnings

import numpy as np
import sklearn
from sklearn.model_selection import KFold, StratifiedKFold

SEEDS = [0, 1, 42, 2**31 - 1]

# A fixed, imbalanced three-class label vector (classes first appear in the order 2, 0, 1).
_label_rng = np.random.RandomState(7)
THREE_CLASSES = [2, 0, 1] + [int(v) for v in _label_rng.choice([0, 1, 2], size=47, p=[0.6, 0.3, 0.1])]

LABEL_SETS = {
    "balanced": [0, 1] * 10,
    "imbalanced": [0] * 17 + [1] * 5 + [2] * 3,
    "interleaved": [1, 0, 0, 1, 2, 0, 1, 0, 0, 2, 1, 0, 0, 0, 1, 2, 0, 1, 0, 0, 0],
    "negative_and_sparse": [-5, 100, -5, 7, 100, -5, 7, -5, 100, -5, 7, -5, 100, -5],
    "three_classes_50": THREE_CLASSES,
    "rare_class": [0] * 9 + [1] * 2,  # class 1 has fewer members than 3..5 folds: sklearn warns, still splits
    "single_class": [3] * 6,
}


def fold_case(name, n, k, shuffle, seed, labels):
    """One KFold / StratifiedKFold run, or the fact that sklearn refuses it."""
    kwargs = {"n_splits": k, "shuffle": shuffle, "random_state": seed if shuffle else None}
    splitter = StratifiedKFold(**kwargs) if labels is not None else KFold(**kwargs)
    case = {"name": name, "n": n, "k": k, "shuffle": shuffle, "seed": seed, "labels": labels}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            splits = list(splitter.split(np.zeros((n, 1)), labels))
        case["folds"] = [{"train": tr.tolist(), "validation": te.tolist()} for tr, te in splits]
    except ValueError as error:
        case["sklearnError"] = str(error)
    return case


def fold_cases():
    cases = []
    kfold_shapes = [(10, 2), (10, 3), (11, 4), (7, 7), (5, 5), (23, 5), (100, 7), (3, 2)]
    for n, k in kfold_shapes:
        cases.append(fold_case(f"kfold_n{n}_k{k}", n, k, False, 0, None))
        for seed in SEEDS:
            cases.append(fold_case(f"kfold_n{n}_k{k}_seed{seed}", n, k, True, seed, None))
    cases.append(fold_case("kfold_n4_k5_too_many_folds", 4, 5, False, 0, None))

    stratified_shapes = {
        "balanced": [2, 3, 7],
        "imbalanced": [2, 3, 4, 5],
        "interleaved": [3, 4],
        "negative_and_sparse": [2, 3, 4],
        "three_classes_50": [3, 5, 10],
        "rare_class": [3, 5],
        "single_class": [6],  # k = n
    }
    for label_set, ks in stratified_shapes.items():
        labels = LABEL_SETS[label_set]
        for k in ks:
            n = len(labels)
            cases.append(fold_case(f"stratified_{label_set}_k{k}", n, k, False, 0, labels))
            for seed in SEEDS:
                cases.append(fold_case(f"stratified_{label_set}_k{k}_seed{seed}", n, k, True, seed, labels))
    # Every class smaller than the fold count: sklearn raises.
    cases.append(fold_case("stratified_every_class_too_small", 6, 4, False, 0, [0, 0, 0, 1, 1, 1]))
    return cases


def shuffle_cases():
    """RandomState(seed).shuffle(arange(n)): pins the permutation itself, including n > 624 (state regeneration)."""
    cases = []
    for n, seed in [(1, 0), (2, 0), (10, 0), (10, 1), (50, 42), (1000, 12345), (1000, 2**32 - 1)]:
        values = np.arange(n)
        np.random.RandomState(seed).shuffle(values)
        cases.append({"n": n, "seed": seed, "permutation": values.tolist()})
    return cases


def stream_cases():
    """The raw 32-bit MT19937 outputs of RandomState(seed), past the first state regeneration at 624."""
    return [
        {"seed": seed, "uint32": np.random.RandomState(seed).randint(0, 2**32, size=700, dtype=np.uint32).tolist()}
        for seed in [0, 5489]
    ]


def main():
    sections = {"foldCases": fold_cases(), "shuffleCases": shuffle_cases(), "streamCases": stream_cases()}
    # One case per line keeps the file diffable without spreading every index over its own line.
    lines = ["{", f'  "generator": {json.dumps(f"scikit-learn {sklearn.__version__}, numpy {np.__version__}")},']
    for index, (section, cases) in enumerate(sections.items()):
        lines.append(f'  "{section}": [')
        lines.append(",\n".join("    " + json.dumps(case, separators=(",", ":")) for case in cases))
        lines.append("  ]" + ("," if index < len(sections) - 1 else ""))
    lines.append("}")
    with open("sklearn_folds.json", "w", encoding="utf-8") as output:
        output.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
