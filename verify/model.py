"""The learned verdict: gradient-boosted decision trees over `verify.features`, kept as JSON.

The trees live in `verify/data/verdict_model.json`, written by `python -m verify.train` (which
needs scikit-learn; reading the model needs nothing but the standard library). The file holds:

- `classes` and `features` (names, in order);
- `baseline` (one score per class) and `trees`: per boosting round, one tree per class. A tree
  is a list of nodes, the root first; a split node is ``[feature, threshold, left, right]``
  (go to node `left` when the feature's value is at most `threshold`, else to `right`; children
  always come after their parent) and a leaf is ``[value]``. A class's score is its baseline
  plus the leaf values its trees reach; the probabilities are the softmax of the scores divided
  by `temperature` (fitted on held-out data so that a probability of 0.8 is right about eight
  times in ten). Trees, unlike one weight per feature, learn that a feature matters only
  together with another ("a number differs" weighs little when the claim is barely covered);
- `costs[predicted][gold]`: what each kind of mistake costs. The verdict is the likeliest class
  unless NOT_FOUND has a lower expected cost, so calling a contradicted claim SUPPORTED (the
  worst mistake for a hoax-verification site) needs much more evidence than the other answers,
  and a claim too risky to call SUPPORTED is left NOT_FOUND, never turned into CONTRADICTED;
- `calibration[verdict]`: (a, b) of a logistic map from the verdict's probability to the chance
  that the verdict is right, ``1 / (1 + exp(-(a * logit(p) + b)))``, fitted on held-out
  predictions *after* the costs: a verdict chosen for its low cost is not right as often as the
  class probability says, so the confidence shown is this mapped value;
- `max_confidence`: no verdict that rests on a machine comparison is ever shown as certain;
- `meta`: how and on what it was trained, and what it scored on held-out data.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

MODEL_PATH = Path(__file__).resolve().parent / "data" / "verdict_model.json"
# The answer a verdict falls back to when calling it is too risky.
CAUTIOUS = "NOT_FOUND"
# A tree's nodes: [feature, threshold, left, right] splits and [value] leaves, the root first.
Tree = tuple[tuple[float, ...], ...]


class ModelError(ValueError):
    """The model file is missing, malformed or inconsistent."""


@dataclass(frozen=True)
class VerdictModel:
    """A trained verdict model; see the module docstring for the fields."""

    classes: tuple[str, ...]
    features: tuple[str, ...]
    baseline: tuple[float, ...]
    trees: tuple[tuple[Tree, ...], ...]
    temperature: float = 1.0
    costs: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    max_confidence: float = 0.97
    meta: Mapping[str, Any] = field(default_factory=dict)
    calibration: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    # Per class, every tree's nodes laid out flat for a quick walk (made from `trees`).
    _forests: tuple[_Forest, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Refuse an inconsistent model (ModelError), then lay its trees out for walking."""
        if len(self.baseline) != len(self.classes):
            raise ModelError("verdict model: one baseline score per class")
        if any(len(round_trees) != len(self.classes) for round_trees in self.trees):
            raise ModelError("verdict model: every boosting round needs one tree per class")
        for round_trees in self.trees:
            for tree in round_trees:
                _check_tree(tree, len(self.features))
        if self.temperature <= 0:
            raise ModelError("verdict model: the temperature must be positive")
        if any(c not in self.classes for c in self.costs):
            raise ModelError("verdict model: costs name an unknown class")
        if any(c not in self.classes for c in self.calibration):
            raise ModelError("verdict model: calibration names an unknown class")
        forests = tuple(
            _Forest.of([round_trees[k] for round_trees in self.trees])
            for k in range(len(self.classes))
        )
        object.__setattr__(self, "_forests", forests)

    def probabilities(self, features: Mapping[str, float]) -> dict[str, float]:
        """The probability of each class for one feature dict (missing features count as 0)."""
        x = [features.get(name, 0.0) for name in self.features]
        scores = [
            forest.total(x, base) for base, forest in zip(self.baseline, self._forests, strict=True)
        ]
        scores = [score / self.temperature for score in scores]
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return {label: e / total for label, e in zip(self.classes, exps, strict=True)}

    def decide(self, probabilities: Mapping[str, float]) -> str:
        """The likeliest class, or the cautious NOT_FOUND when that costs less in expectation.

        The costs only ever hold a verdict back: a claim likely SUPPORTED that is too risky to
        call so becomes NOT_FOUND ("the record does not say"), never CONTRADICTED.
        """
        likeliest = max(self.classes, key=lambda c: probabilities[c])
        if not self.costs or CAUTIOUS not in self.classes:
            return likeliest

        def expected(predicted: str) -> float:
            row = self.costs[predicted]
            return sum(row.get(gold, 1.0) * p for gold, p in probabilities.items()
                       if gold != predicted)  # fmt: skip

        return min((likeliest, CAUTIOUS), key=lambda c: (expected(c), -probabilities[c]))

    def confidence(self, probabilities: Mapping[str, float], verdict: str) -> float:
        """The chance that `verdict` is right, never shown as certain."""
        return min(self.max_confidence, calibrated(probabilities[verdict],
                                                   self.calibration.get(verdict)))  # fmt: skip

    def to_json(self) -> dict[str, Any]:
        """The JSON form written by the training script."""
        return {
            "classes": list(self.classes),
            "features": list(self.features),
            "baseline": list(self.baseline),
            "trees": [
                [[list(node) for node in tree] for tree in round_trees]
                for round_trees in self.trees
            ],  # fmt: skip
            "temperature": self.temperature,
            "costs": {k: dict(v) for k, v in self.costs.items()},
            "max_confidence": self.max_confidence,
            "calibration": {k: list(v) for k, v in self.calibration.items()},
            "meta": dict(self.meta),
        }


@dataclass(frozen=True)
class _Forest:
    """One class's trees as flat lists: node i splits on `feature[i]` at `threshold[i]` into
    `children[i]` (left, right), or is a leaf (`children[i]` None) worth `value[i]`. Walking
    these is about three times quicker than walking the nested tuples, and adds the leaves in
    the same order, so the scores are the same to the last bit."""

    feature: list[int]
    threshold: list[float]
    children: list[tuple[int, int] | None]
    value: list[float]
    roots: list[int]

    @classmethod
    def of(cls, trees: list[Tree]) -> _Forest:
        forest = cls([], [], [], [], [])
        for tree in trees:
            base = len(forest.feature)
            forest.roots.append(base)
            for node in tree:
                leaf = len(node) != 4
                forest.feature.append(0 if leaf else int(node[0]))
                forest.threshold.append(0.0 if leaf else node[1])
                forest.children.append(None if leaf else (base + int(node[2]), base + int(node[3])))
                forest.value.append(node[0] if leaf else 0.0)
        return forest

    def total(self, x: list[float], start: float) -> float:
        """`start` plus the leaf values that `x` reaches, tree by tree."""
        feature, threshold, children = self.feature, self.threshold, self.children
        value = self.value
        total = start
        for node in self.roots:
            pair = children[node]
            while pair is not None:
                node = pair[0] if x[feature[node]] <= threshold[node] else pair[1]
                pair = children[node]
            total += value[node]
        return total


def model_from_json(data: Mapping[str, Any]) -> VerdictModel:
    """Build a model from its JSON form; ModelError names what is wrong (the model checks
    itself as it is made)."""
    try:
        model = VerdictModel(
            classes=tuple(data["classes"]),
            features=tuple(data["features"]),
            baseline=tuple(float(v) for v in data["baseline"]),
            trees=tuple(
                tuple(_tree(tree) for tree in round_trees) for round_trees in data["trees"]
            ),  # fmt: skip
            temperature=float(data.get("temperature", 1.0)),
            costs={
                k: {g: float(c) for g, c in v.items()} for k, v in data.get("costs", {}).items()
            },
            max_confidence=float(data.get("max_confidence", 0.97)),
            meta=data.get("meta", {}),
            calibration={
                k: (float(v[0]), float(v[1])) for k, v in data.get("calibration", {}).items()
            },
        )
    except ModelError:
        raise
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"malformed verdict model: {exc!r}") from exc
    return model


def _tree(nodes: Any) -> Tree:
    return tuple(tuple(float(v) for v in node) for node in nodes)


def _check_tree(tree: Tree, width: int) -> None:
    """A tree's nodes are leaves or splits on a known feature with children further on."""
    if not tree:
        raise ModelError("verdict model: an empty tree")
    for index, node in enumerate(tree):
        if len(node) == 1:
            continue
        if len(node) != 4:
            raise ModelError(f"verdict model: node {index} is neither a leaf nor a split")
        feature, _, left, right = node
        if not (feature.is_integer() and 0 <= feature < width):
            raise ModelError(f"verdict model: node {index} splits on an unknown feature")
        for child in (left, right):
            if not (child.is_integer() and index < child < len(tree)):
                raise ModelError(f"verdict model: node {index} points at a missing node")


def calibrated(probability: float, mapping: tuple[float, float] | None) -> float:
    """`probability` through a logistic calibration map (a, b); unchanged without one."""
    if mapping is None:
        return probability
    p = min(max(probability, 1e-6), 1 - 1e-6)
    z = mapping[0] * math.log(p / (1 - p)) + mapping[1]
    return 1 / (1 + math.exp(-max(-50.0, min(50.0, z))))


@cache
def load_model(path: Path = MODEL_PATH) -> VerdictModel:
    """The shipped verdict model (read once)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelError(f"cannot read the verdict model {path}: {exc}") from exc
    return model_from_json(data)
