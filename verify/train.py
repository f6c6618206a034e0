"""Train the claim check's verdict model and write it as JSON (needs scikit-learn).

    pip install -r requirements-train.txt
    git clone https://github.com/ir-nlp-csui/indonli ../indonli     # once
    python -m verify.train --indonli ../indonli/data/indonli

What it does, all through the same code the API runs (`verify.check.prepare`, then
`verify.features.claim_features`):

1. Features for three sets of claims, each checked against its own fresh index loaded through
   the ingest path (`verify.devset`): IndoNLI **train** (premises as releases), IndoNLI **val**,
   and the **tuning part** of the development claims (corpus and correction releases). The
   development test part and IndoNLI's test splits are never read here. Features are cached
   under --cache, keyed by the code and the data, so refitting is quick.
2. Held-out predictions: gradient-boosted trees for each tree size and weight of the
   development claims (`TREE_GRID` x `DEV_WEIGHTS`), fitted on IndoNLI train plus four fifths
   of the tuning claims (grouped by release) and scored on IndoNLI val and on the fifth left
   out. The model is the average of all of them (their class scores averaged), not the one
   setting that scored best: the settings score within a few hundredths of each other, so
   picking one made each retraining flip borderline claims; the average is steadier.
3. On the ensemble's held-out predictions: the temperature (lowest log loss), then one cost,
   what calling a contradicted claim SUPPORTED costs against any other mistake: the smallest in
   `SAFETY_COSTS` that keeps contradicted tuning claims answered SUPPORTED at or under 3 %
   (a larger cost only ever turns more SUPPORTED answers into NOT_FOUND). Then, on the same
   held-out predictions decided with it, a logistic map per verdict from its probability to
   how often it is right (the confidence shown), the development claims and IndoNLI val
   weighing the same in all.
4. The final fit of every setting on IndoNLI train and every tuning claim, averaged into one
   set of trees and written to --out with what it scored.

IndoNLI (Mahendra, Aji, Louvan, Rahman and Vania, 2021) is CC BY-SA 4.0; the model file credits
it. Nothing of the data set itself is written into the repository.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from index.store import WIB
from verify.check import CheckInputError, prepare, rank
from verify.devset import (
    CHECK_DAY,
    CORPUS_RELEASES,
    DENIALS,
    DEV_DIR,
    LABELS,
    group_of,
    indonli_as_corpus,
    load_releases,
    read_claims,
    read_indonli,
    read_releases,
)
from verify.evaluate import Outcome, macro_f1
from verify.evaluate import calibration_error as evaluation_ece
from verify.features import claim_features
from verify.model import MODEL_PATH, VerdictModel

VERIFY = Path(__file__).resolve().parent
# The most contradicted claims the checker may answer SUPPORTED (held out): safety first.
MAX_SHARE_SUPPORTED_WHEN_CONTRADICTED = 0.03
# Trees: (leaves per tree, boosting rounds), each round at this learning rate.
TREE_GRID = ((7, 150), (15, 200))
LEARNING_RATE = 0.1
DEV_WEIGHTS = (10.0, 20.0)
# What calling a contradicted claim SUPPORTED may cost, in units of any other mistake.
SAFETY_COSTS = (1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 6.0, 7.0, 8.0, 10.0, 12.0, 16.0, 24.0)
FOLDS = 5
# A verdict needs this many held-out answers before its confidence gets a calibration map.
CALIBRATION_MIN = 30


@dataclass
class Example:
    """One claim's features with its gold label and where it comes from."""

    id: str
    label: str
    features: dict[str, float]
    group: str
    kind: str = ""
    part: str = ""


# -- features ---------------------------------------------------------------------------------


def featurise(
    releases: Sequence[dict], claims: Sequence[dict], *, now: datetime = CHECK_DAY
) -> list[Example]:
    """Check each claim against `releases` (loaded into a fresh index) and keep its features.

    A claim the checker splits into several claims is left out: its gold label is the whole
    message's, not any one part's.
    """
    examples = []
    with tempfile.TemporaryDirectory(prefix="saring-train-") as temporary:
        index, _ = load_releases(Path(temporary), releases)
        for claim in claims:
            try:
                prepared = prepare(index, claim["text"], now=now, with_clarifications=False)
            except CheckInputError:
                continue
            if len(prepared.claims) != 1:
                continue
            only = prepared.claims[0]
            features = claim_features(only.view, rank(only.comparisons))
            examples.append(
                Example(claim["id"], claim["label"], features, group_of(claim),
                        claim.get("kind", ""), claim.get("part", ""))
            )  # fmt: skip
    return examples


def _code_digest() -> bytes:
    """The code and tables that make features, as this process loaded them."""
    digest = hashlib.sha256()
    for path in sorted(VERIFY.glob("*.py")) + sorted((VERIFY / "facts").glob("*.py")):
        if path.name not in {"train.py", "evaluate.py", "model.py"}:  # these read features
            digest.update(path.read_bytes())
    for path in sorted((VERIFY / "data").glob("*.tsv")):
        digest.update(path.read_bytes())
    return digest.digest()


# Read once, when this module is imported with the rest of the checker: a file edited while a
# run goes on must not give a cache name the features in it were not computed with.
_CODE = _code_digest()


def _fingerprint(*parts: object) -> str:
    digest = hashlib.sha256(_CODE)
    digest.update(repr(parts).encode())
    return digest.hexdigest()[:16]


def cached(
    cache: Path, name: str, key: object, build: Callable[[], list[Example]]
) -> list[Example]:
    """`build()`'s examples, reused from `cache` while the code and `key` are unchanged."""
    path = cache / f"{name}-{_fingerprint(key)}.jsonl"
    if path.exists():
        return [Example(**json.loads(line)) for line in path.read_text().splitlines()]
    started = time.perf_counter()
    examples = build()
    cache.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(e.__dict__) + "\n" for e in examples))
    print(f"  {name}: {len(examples)} examples in {time.perf_counter() - started:.0f} s")
    return examples


def dev_tuning_examples(cache: Path, release_paths: Sequence[Path]) -> list[Example]:
    """Features of the tuning part of the development claims."""
    releases = read_releases(release_paths)
    known = {r["id"] for r in releases}
    claims = [
        c for c in read_claims()
        if c["part"] == "tune" and (not c.get("release_id") or c["release_id"] in known)
    ]  # fmt: skip
    texts = [(c["id"], c["text"], c["label"]) for c in claims]
    key = ("dev-tune", [r["id"] for r in releases], texts)
    return cached(cache, "dev-tune", key, lambda: featurise(releases, claims))


def indonli_examples(cache: Path, path: Path, sample: int | None = None) -> list[Example]:
    """Features of one IndoNLI split (or its first `sample` premises), premises as releases."""
    rows = read_indonli(path)
    if sample:
        kept = list(dict.fromkeys(r["premise_id"] for r in rows))[:sample]
        rows = [r for r in rows if r["premise_id"] in set(kept)]
    releases, claims = indonli_as_corpus(rows)
    key = ("indonli", path.name, hashlib.sha256(path.read_bytes()).hexdigest(), sample)
    name = f"indonli-{path.stem}" + (f"-{sample}" if sample else "")
    return cached(cache, name, key, lambda: featurise(releases, claims))


# -- fitting ----------------------------------------------------------------------------------


def fit(
    examples: Sequence[Example],
    weights: Sequence[float],
    setting: tuple[int, int],
    names: list[str],
):
    """Gradient-boosted trees (a scikit-learn object) with (leaves per tree, rounds)."""
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier

    leaves, rounds = setting
    x = np.array([[e.features.get(n, 0.0) for n in names] for e in examples])
    model = HistGradientBoostingClassifier(
        learning_rate=LEARNING_RATE, max_iter=rounds, max_leaf_nodes=leaves,
        l2_regularization=1.0, early_stopping=False, random_state=0,
    )  # fmt: skip
    model.fit(x, [e.label for e in examples], sample_weight=np.asarray(weights))
    return model


def to_verdict_model(models: Sequence, names: list[str], **extra) -> VerdictModel:
    """The average of scikit-learn models as one `VerdictModel` (classes in LABELS order).

    Class scores add up over trees, so the mean of several models' scores is one model: the
    mean of their baselines, and all their trees with each leaf divided by their number.
    """
    share = 1.0 / len(models)
    baseline = [0.0] * len(LABELS)
    trees = []
    for model in models:
        order = [list(model.classes_).index(label) for label in LABELS]
        raw = [float(v) for v in model._baseline_prediction.ravel()]
        for k, i in enumerate(order):
            baseline[k] += raw[i] * share
        trees.extend(
            tuple(_export_tree(round_trees[i].nodes, share) for i in order)
            for round_trees in model._predictors
        )
    return VerdictModel(
        classes=LABELS,
        features=tuple(names),
        baseline=tuple(baseline),
        trees=tuple(trees),
        **extra,
    )


def _export_tree(nodes, scale: float = 1.0) -> tuple[tuple[float, ...], ...]:
    """scikit-learn's node records as [feature, threshold, left, right] / [value * scale], root
    first and every child after its parent (numbered in the order a depth-first walk meets
    them)."""
    exported: list[list[float]] = []

    def walk(index: int) -> int:
        node = nodes[index]
        position = len(exported)
        if node["is_leaf"]:
            exported.append([float(node["value"]) * scale])
            return position
        exported.append([])
        left = walk(int(node["left"]))
        right = walk(int(node["right"]))
        exported[position] = [float(node["feature_idx"]), float(node["num_threshold"]),
                              float(left), float(right)]  # fmt: skip
        return position

    walk(0)
    return tuple(tuple(node) for node in exported)


def check_export(models: Sequence, exported: VerdictModel, examples: Sequence[Example]) -> float:
    """The largest gap between the mean of scikit-learn's class scores (as probabilities) and
    the exported model's probabilities."""
    import numpy as np

    names = list(exported.features)
    x = np.array([[e.features.get(n, 0.0) for n in names] for e in examples])
    # Log-probabilities are the class scores less one constant per row, which softmax ignores.
    scores = sum(
        np.log(np.clip(m.predict_proba(x), 1e-300, None))[
            :, [list(m.classes_).index(label) for label in LABELS]
        ]
        for m in models
    ) / len(models)
    expected = np.exp(scores - scores.max(axis=1, keepdims=True))
    expected /= expected.sum(axis=1, keepdims=True)
    gap = 0.0
    for row, example in zip(expected, examples, strict=True):
        ours = exported.probabilities(example.features)
        gap = max(gap, max(abs(ours[c] - row[k]) for k, c in enumerate(LABELS)))
    return gap


def folds(examples: Sequence[Example], count: int = FOLDS) -> list[int]:
    """A fold number per example, the same for every example of one release group."""
    return [
        int(hashlib.sha256(f"fold:{e.group}".encode()).hexdigest(), 16) % count for e in examples
    ]


def held_out_predictions(
    nli_train: list[Example],
    nli_val: list[Example],
    dev: list[Example],
    names: list[str],
    setting: tuple[int, int],
    dev_weight: float,
) -> tuple[list[dict[str, float]], list[dict[str, float]]]:
    """Probabilities for IndoNLI val and, fold by fold, for every tuning claim left out."""
    fold_of = folds(dev)
    dev_probabilities: list[dict[str, float] | None] = [None] * len(dev)
    val_probabilities: list[dict[str, float]] = []
    for fold in range(FOLDS):
        train_dev = [e for e, f in zip(dev, fold_of, strict=True) if f != fold]
        training = nli_train + train_dev
        weights = [1.0] * len(nli_train) + [dev_weight] * len(train_dev)
        verdict = to_verdict_model([fit(training, weights, setting, names)], names)
        for i, (example, f) in enumerate(zip(dev, fold_of, strict=True)):
            if f == fold:
                dev_probabilities[i] = verdict.probabilities(example.features)
        if fold == 0:
            val_probabilities = [verdict.probabilities(e.features) for e in nli_val]
    return val_probabilities, [p or {} for p in dev_probabilities]


# -- scoring ----------------------------------------------------------------------------------


def accuracy(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """The share of correct answers."""
    return sum(g == p for g, p in zip(gold, predicted, strict=True)) / max(len(gold), 1)


def supported_when_contradicted(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """The share of contradicted claims answered SUPPORTED."""
    contradicted = [p for g, p in zip(gold, predicted, strict=True) if g == "CONTRADICTED"]
    return sum(p == "SUPPORTED" for p in contradicted) / max(len(contradicted), 1)


def decisions(model: VerdictModel, probabilities: Sequence[dict[str, float]]) -> list[str]:
    """The model's verdict for each probability dict."""
    return [model.decide(p) for p in probabilities]


def most_probable(probabilities: Sequence[dict[str, float]]) -> list[str]:
    """The most probable label for each probability dict."""
    return [max(p, key=p.get) for p in probabilities]


def softmax(logs: dict[str, float]) -> dict[str, float]:
    """Probabilities from log-scores (any constant added to all of them cancels out)."""
    top = max(logs.values())
    exps = {k: math.exp(v - top) for k, v in logs.items()}
    total = sum(exps.values())
    return {k: v / total for k, v in exps.items()}


def with_temperature(
    probabilities: Sequence[dict[str, float]], temperature: float
) -> list[dict[str, float]]:
    """Probabilities sharpened (t < 1) or softened (t > 1) by a temperature."""
    return [
        softmax({k: math.log(max(v, 1e-12)) / temperature for k, v in p.items()})
        for p in probabilities
    ]


def averaged(members: Sequence[Sequence[dict[str, float]]]) -> list[dict[str, float]]:
    """Per example, the softmax of the members' mean log-probabilities: what the model that
    averages the members' class scores gives (see `to_verdict_model`)."""
    return [
        softmax({k: sum(math.log(max(r[k], 1e-300)) for r in rows) / len(rows) for k in rows[0]})
        for rows in zip(*members, strict=True)
    ]


def fit_temperature(probabilities: Sequence[dict[str, float]], gold: Sequence[str]) -> float:
    """The temperature with the lowest log loss on held-out predictions."""
    best, best_loss = 1.0, float("inf")
    for step in range(40, 301, 5):
        temperature = step / 100
        scaled = with_temperature(probabilities, temperature)
        loss = -sum(math.log(max(p[g], 1e-12)) for p, g in zip(scaled, gold, strict=True))
        if loss < best_loss:
            best, best_loss = temperature, loss
    return best


def costs_for(safety: float) -> dict[str, dict[str, float]]:
    """The cost table: every mistake costs 1 but a contradicted claim called SUPPORTED."""
    return {
        "SUPPORTED": {"CONTRADICTED": safety, "NOT_FOUND": 1.0},
        "CONTRADICTED": {"SUPPORTED": 1.0, "NOT_FOUND": 1.0},
        "NOT_FOUND": {"SUPPORTED": 1.0, "CONTRADICTED": 1.0},
    }


def choose_costs(
    template: VerdictModel,
    val: Sequence[dict[str, float]],
    val_gold: Sequence[str],
    dev: Sequence[dict[str, float]],
    dev_gold: Sequence[str],
) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
    """The cheapest safety cost that meets the target on the held-out tuning claims (the
    largest when none does), and what it scores there and on IndoNLI val."""
    for safety in SAFETY_COSTS:
        model = replace(template, costs=costs_for(safety))
        dev_predicted = decisions(model, dev)
        val_predicted = decisions(model, val)
        figures = {
            "dev_macro_f1": macro_f1(dev_gold, dev_predicted),
            "dev_supported_when_contradicted": supported_when_contradicted(dev_gold, dev_predicted),
            "indonli_val_accuracy": accuracy(val_gold, val_predicted),
        }
        if figures["dev_supported_when_contradicted"] <= MAX_SHARE_SUPPORTED_WHEN_CONTRADICTED:
            break
    return costs_for(safety), figures


def fit_calibration(
    model: VerdictModel,
    val: Sequence[dict[str, float]],
    val_gold: Sequence[str],
    dev: Sequence[dict[str, float]],
    dev_gold: Sequence[str],
) -> dict[str, tuple[float, float]]:
    """Per verdict, (a, b) of the logistic map from its probability to being right.

    Fitted on held-out predictions decided with the model's costs; the development claims and
    IndoNLI val weigh the same in total. A verdict with too few answers keeps no map.
    """
    from sklearn.linear_model import LogisticRegression

    rows: dict[str, tuple[list[list[float]], list[int], list[float]]] = {}
    for probabilities, gold, weight in (
        (val, val_gold, 1.0 / max(len(val), 1)),
        (dev, dev_gold, 1.0 / max(len(dev), 1)),
    ):
        for p, label in zip(probabilities, gold, strict=True):
            verdict = model.decide(p)
            q = min(max(p[verdict], 1e-6), 1 - 1e-6)
            xs, ys, ws = rows.setdefault(verdict, ([], [], []))
            xs.append([math.log(q / (1 - q))])
            ys.append(int(verdict == label))
            ws.append(weight)
    found = {}
    for verdict, (xs, ys, ws) in rows.items():
        if len(ys) < CALIBRATION_MIN or len(set(ys)) < 2:
            continue
        fitted = LogisticRegression(C=1.0).fit(xs, ys, sample_weight=[w * len(ws) for w in ws])
        found[verdict] = (float(fitted.coef_[0][0]), float(fitted.intercept_[0]))
    return found


def calibration_error(
    model: VerdictModel, probabilities: Sequence[dict[str, float]], gold: Sequence[str]
) -> float:
    """Expected calibration error of the shown confidence, as `verify.evaluate` measures it."""
    outcomes = []
    for number, (p, label) in enumerate(zip(probabilities, gold, strict=True)):
        verdict = model.decide(p)
        outcomes.append(Outcome(str(number), label, verdict, model.confidence(p, verdict)))
    return evaluation_ece(outcomes)


def model_text(model: VerdictModel) -> str:
    """The model file's text: readable JSON, with each boosting round's trees on one line."""
    data = model.to_json()
    text = json.dumps({**data, "trees": "@trees"}, indent=1, ensure_ascii=False)
    rounds = ",\n".join("  " + json.dumps(r, separators=(",", ":")) for r in data["trees"])
    return text.replace('"@trees"', "[\n" + rounds + "\n ]") + "\n"


def feature_names(examples: Sequence[Example]) -> list[str]:
    """Every feature name seen, in a stable order."""
    return sorted({name for e in examples for name in e.features})


# -- main -------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Train, select, calibrate and write the verdict model."""
    parser = argparse.ArgumentParser(
        prog="python -m verify.train",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--indonli", type=Path, required=True,
                        help="folder holding IndoNLI's train.jsonl and val.jsonl")  # fmt: skip
    parser.add_argument("--releases", type=Path, nargs="+",
                        default=[CORPUS_RELEASES, DENIALS],
                        help="development releases (corpus JSON Lines)")  # fmt: skip
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--cache", type=Path, default=Path("bench/out/features"))
    parser.add_argument(
        "--sample",
        type=int,
        help="quick experiments: only the first N premises of each IndoNLI split",
    )
    args = parser.parse_args(argv)

    print("Features (cached while code and data are unchanged):")
    nli_train = indonli_examples(args.cache, args.indonli / "train.jsonl", args.sample)
    nli_val = indonli_examples(args.cache, args.indonli / "val.jsonl", args.sample)
    dev = dev_tuning_examples(args.cache, args.releases)
    names = feature_names(nli_train + dev)
    print(f"  {len(names)} features; IndoNLI train {len(nli_train)}, val {len(nli_val)}; "
          f"development tuning claims {len(dev)} (claims in {DEV_DIR})")  # fmt: skip

    val_gold = [e.label for e in nli_val]
    dev_gold = [e.label for e in dev]
    print("Held-out predictions (IndoNLI val; development claims by release folds):")
    template = VerdictModel(LABELS, tuple(names), (0.0,) * len(LABELS), ())
    settings = [(setting, weight) for setting in TREE_GRID for weight in DEV_WEIGHTS]
    members_val, members_dev = [], []
    for setting, dev_weight in settings:
        val_p, dev_p = held_out_predictions(nli_train, nli_val, dev, names, setting, dev_weight)
        members_val.append(val_p)
        members_dev.append(dev_p)
        plain_val = accuracy(val_gold, most_probable(val_p))
        plain_dev = macro_f1(dev_gold, most_probable(dev_p))
        print(f"  {setting[0]} leaves x {setting[1]} rounds, dev weight={dev_weight:<5} "
              f"most probable: IndoNLI val accuracy {plain_val:.3f}, "
              f"development macro-F1 {plain_dev:.3f}")  # fmt: skip
    val_p, dev_p = averaged(members_val), averaged(members_dev)
    temperature = fit_temperature(val_p + dev_p, val_gold + dev_gold)
    val_p = with_temperature(val_p, temperature)
    dev_p = with_temperature(dev_p, temperature)
    costs, figures = choose_costs(template, val_p, val_gold, dev_p, dev_gold)
    print(f"  the average of all {len(settings)}, most probable: IndoNLI val accuracy "
          f"{accuracy(val_gold, most_probable(val_p)):.3f}, development macro-F1 "
          f"{macro_f1(dev_gold, most_probable(dev_p)):.3f}")  # fmt: skip
    print(f"Ensemble: temperature {temperature}, costs {json.dumps(costs)} -> held out "
          f"{json.dumps(figures)}")  # fmt: skip
    decider = replace(template, costs=costs)
    calibration = fit_calibration(decider, val_p, val_gold, dev_p, dev_gold)
    for name, (probabilities, gold) in {"IndoNLI val": (val_p, val_gold),
                                        "development": (dev_p, dev_gold)}.items():  # fmt: skip
        before = calibration_error(decider, probabilities, gold)
        after = calibration_error(replace(decider, calibration=calibration), probabilities, gold)
        figures[f"{name.split()[0].lower()}_ece"] = after
        print(f"  expected calibration error, {name} (held out): {before:.3f} -> {after:.3f}")

    training = nli_train + dev
    fitted = [
        fit(training, [1.0] * len(nli_train) + [weight] * len(dev), setting, names)
        for setting, weight in settings
    ]
    import sklearn

    meta = {
        "trained": datetime.now(WIB).date().isoformat(),
        "trainer": "python -m verify.train (scikit-learn " + sklearn.__version__ + ")",
        "data": {
            "indonli_train": len(nli_train),
            "development_tuning_claims": len(dev),
            "development_weights": list(DEV_WEIGHTS),
            "credit": "IndoNLI (Mahendra, Aji, Louvan, Rahman, Vania, 2021), "
            "https://github.com/ir-nlp-csui/indonli, CC BY-SA 4.0: train split for fitting, "
            "val split for tuning; test splits never used",
        },
        "trees": {
            "ensemble": [
                {"leaves": leaves, "rounds": rounds, "development_weight": weight}
                for (leaves, rounds), weight in settings
            ],
            "learning_rate": LEARNING_RATE,
        },
        "held_out": {k: round(v, 4) for k, v in figures.items()},
    }
    model = to_verdict_model(fitted, names, temperature=temperature, costs=costs,
                             calibration=calibration, meta=meta)  # fmt: skip
    gap = check_export(fitted, replace(model, temperature=1.0), training)
    if gap > 1e-6:
        raise SystemExit(f"the exported trees disagree with scikit-learn by {gap:.2e}")
    args.out.write_text(model_text(model))
    print(f"Wrote {args.out} ({args.out.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
