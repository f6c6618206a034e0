"""The learned verdict: a multinomial logistic regression over `verify.features`, kept as JSON.

The weights live in `verify/data/verdict_model.json`, written by `python -m verify.train` (which
needs scikit-learn; reading the model needs nothing but the standard library). The file holds:

- `classes` and `features` (names, in order), `mean` and `scale` to standardise each feature,
  `coef` (one row per class) and `intercept`: the probabilities are the softmax of
  ``coef · standardised(x) + intercept``, divided by `temperature` (fitted on held-out data so
  that a probability of 0.8 is right about eight times in ten);
- `costs[predicted][gold]`: what each kind of mistake costs. The verdict is the class with the
  lowest expected cost, so calling a contradicted claim SUPPORTED (the worst mistake for a
  hoax-verification site) needs much more evidence than the other answers;
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


class ModelError(ValueError):
    """The model file is missing, malformed or inconsistent."""


@dataclass(frozen=True)
class VerdictModel:
    """A trained verdict model; see the module docstring for the fields."""

    classes: tuple[str, ...]
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[tuple[float, ...], ...]
    intercept: tuple[float, ...]
    temperature: float = 1.0
    costs: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    max_confidence: float = 0.97
    meta: Mapping[str, Any] = field(default_factory=dict)
    calibration: Mapping[str, tuple[float, float]] = field(default_factory=dict)

    def probabilities(self, features: Mapping[str, float]) -> dict[str, float]:
        """The probability of each class for one feature dict (missing features count as 0)."""
        x = [
            (features.get(name, 0.0) - mean) / scale
            for name, mean, scale in zip(self.features, self.mean, self.scale, strict=True)
        ]
        scores = [
            (sum(w * v for w, v in zip(row, x, strict=True)) + b) / self.temperature
            for row, b in zip(self.coef, self.intercept, strict=True)
        ]
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return {label: e / total for label, e in zip(self.classes, exps, strict=True)}

    def decide(self, probabilities: Mapping[str, float]) -> str:
        """The class with the lowest expected cost (the most probable one without costs)."""
        if not self.costs:
            return max(self.classes, key=lambda c: probabilities[c])

        def expected(predicted: str) -> float:
            row = self.costs[predicted]
            return sum(row.get(gold, 1.0) * p for gold, p in probabilities.items()
                       if gold != predicted)  # fmt: skip

        return min(self.classes, key=lambda c: (expected(c), -probabilities[c]))

    def confidence(self, probabilities: Mapping[str, float], verdict: str) -> float:
        """The chance that `verdict` is right, never shown as certain."""
        return min(self.max_confidence, calibrated(probabilities[verdict],
                                                   self.calibration.get(verdict)))  # fmt: skip

    def to_json(self) -> dict[str, Any]:
        """The JSON form written by the training script."""
        return {
            "classes": list(self.classes),
            "features": list(self.features),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "coef": [list(row) for row in self.coef],
            "intercept": list(self.intercept),
            "temperature": self.temperature,
            "costs": {k: dict(v) for k, v in self.costs.items()},
            "max_confidence": self.max_confidence,
            "calibration": {k: list(v) for k, v in self.calibration.items()},
            "meta": dict(self.meta),
        }


def model_from_json(data: Mapping[str, Any]) -> VerdictModel:
    """Build and check a model from its JSON form; ModelError names what is wrong."""
    try:
        model = VerdictModel(
            classes=tuple(data["classes"]),
            features=tuple(data["features"]),
            mean=tuple(float(v) for v in data["mean"]),
            scale=tuple(float(v) for v in data["scale"]),
            coef=tuple(tuple(float(v) for v in row) for row in data["coef"]),
            intercept=tuple(float(v) for v in data["intercept"]),
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
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"malformed verdict model: {exc!r}") from exc
    width = len(model.features)
    if len(model.mean) != width or len(model.scale) != width:
        raise ModelError("verdict model: mean and scale must have one value per feature")
    if len(model.coef) != len(model.classes) or len(model.intercept) != len(model.classes):
        raise ModelError("verdict model: one coefficient row and intercept per class")
    if any(len(row) != width for row in model.coef):
        raise ModelError("verdict model: every coefficient row needs one weight per feature")
    if any(s <= 0 for s in model.scale) or model.temperature <= 0:
        raise ModelError("verdict model: scales and temperature must be positive")
    if any(c not in model.classes for c in model.costs):
        raise ModelError("verdict model: costs name an unknown class")
    if any(c not in model.classes for c in model.calibration):
        raise ModelError("verdict model: calibration names an unknown class")
    return model


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
