"""Measure the claim check on the development claims: tuning part, test part, per kind.

    python -m verify.evaluate

**Development claims** (`verify.devset`): the corpus and correction releases are loaded into a
fresh data directory through the ingest path, and every claim goes through
`verify.check.check_text` exactly as the API runs it. Printed for the tuning part and for the
test part (never looked at while tuning; the model was trained on the tuning part only), and for
the test part's claims written after the corpus (the corpus claims were seen by earlier
sessions):

- accuracy, macro-F1 and the confusion matrix; Recall@1/@5 (the claim's release among the first
  1 or 5 releases of the evidence);
- the share of CONTRADICTED claims answered SUPPORTED, and how many denied rumours (the rumour
  a correction release denies) were answered SUPPORTED;
- expected calibration error of `confidence` (10 equal bins), and how often 100 % was shown;
- a confusion table per kind of claim (number, date, place, restrictor, event, scope ...);
- the same verdict figures for a plain BM25 baseline (SUPPORTED when the best score reaches a
  threshold calibrated on the tuning part, otherwise NOT_FOUND; it cannot see contradictions).

IndoNLI through the API is measured by `bench/indonli_api.py` with this module's report.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from index.retrieve import retrieve
from index.store import SearchIndex
from verify.check import CheckInputError, CheckResult, check_text
from verify.devset import (
    CHECK_DAY,
    CORPUS_RELEASES,
    DENIALS,
    LABELS,
    load_releases,
    read_claims,
    read_releases,
)

BINS = 10


@dataclass
class Outcome:
    """One claim's result: gold and predicted verdict, confidence, ranked evidence releases."""

    claim_id: str
    gold: str
    predicted: str
    confidence: float = 0.0
    gold_release: str | None = None
    releases: tuple[str, ...] = ()
    kind: str = ""
    seconds: float = 0.0


# -- metrics --------------------------------------------------------------------------------


def summarise(outcomes: Sequence[Outcome]) -> dict:
    """Recall@1/@5, accuracy, macro-F1, confusion, safety and calibration figures."""
    labelled = [o for o in outcomes if o.gold_release]
    recall = {
        k: sum(o.gold_release in o.releases[:k] for o in labelled) / len(labelled)
        if labelled
        else 0.0
        for k in (1, 5)
    }
    matrix = {g: {p: 0 for p in LABELS} for g in LABELS}
    for o in outcomes:
        matrix[o.gold][o.predicted] += 1
    contradicted = sum(matrix["CONTRADICTED"].values())
    return {
        "n": len(outcomes),
        "recall@1": recall[1],
        "recall@5": recall[5],
        "accuracy": sum(matrix[g][g] for g in LABELS) / len(outcomes) if outcomes else 0.0,
        "macro_f1": macro_f1([o.gold for o in outcomes], [o.predicted for o in outcomes]),
        "matrix": matrix,
        "supported_when_contradicted": matrix["CONTRADICTED"]["SUPPORTED"] / contradicted
        if contradicted
        else 0.0,
        "denied_rumours": sum(o.kind == "denied_rumour" for o in outcomes),
        "denied_rumours_supported": sum(
            o.kind == "denied_rumour" and o.predicted == "SUPPORTED" for o in outcomes
        ),
        "ece": calibration_error(outcomes),
        "certain": sum(o.confidence >= 0.995 for o in outcomes),
    }


def macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """The mean F1 over the three labels."""
    scores = []
    for label in LABELS:
        pairs = list(zip(gold, predicted, strict=True))
        tp = sum(g == p == label for g, p in pairs)
        fp = sum(p == label != g for g, p in pairs)
        fn = sum(g == label != p for g, p in pairs)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0)
    return sum(scores) / len(scores)


def calibration_error(outcomes: Sequence[Outcome], bins: int = BINS) -> float:
    """Expected calibration error: |accuracy - mean confidence| per equal-width bin, weighted."""
    if not outcomes:
        return 0.0
    groups: dict[int, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        groups[min(bins - 1, int(o.confidence * bins))].append(o)
    total = 0.0
    for members in groups.values():
        accuracy = sum(o.gold == o.predicted for o in members) / len(members)
        confidence = sum(o.confidence for o in members) / len(members)
        total += len(members) * abs(accuracy - confidence)
    return total / len(outcomes)


def release_order(result: CheckResult) -> tuple[str, ...]:
    """Distinct release ids in the order the evidence shows them."""
    return tuple(dict.fromkeys(e.release_id for e in result.evidence))


# -- running ----------------------------------------------------------------------------------


def check_claims(
    index: SearchIndex, claims: Sequence[dict], mapping: dict[str, str]
) -> list[Outcome]:
    """Run every claim through `check_text` (no clarifications: the index holds none)."""
    outcomes = []
    for claim in claims:
        started = time.perf_counter()
        try:
            result = check_text(index, claim["text"], now=CHECK_DAY, with_clarifications=False)
        except CheckInputError:
            outcomes.append(Outcome(claim["id"], claim["label"], "NOT_FOUND", 0.0,
                                    kind=claim.get("kind", "")))  # fmt: skip
            continue
        outcomes.append(
            Outcome(
                claim["id"],
                claim["label"],
                result.verdict.value,
                result.confidence,
                mapping.get(claim.get("release_id") or ""),
                release_order(result),
                claim.get("kind", ""),
                time.perf_counter() - started,
            )  # fmt: skip
        )
    return outcomes


def baseline(
    index: SearchIndex, claims: Sequence[dict], tune_ids: set[str]
) -> tuple[float, dict[str, str]]:
    """BM25F over whole releases: SUPPORTED above a threshold calibrated on the tuning part."""
    best = {}
    for claim in claims:
        candidates = retrieve(index, claim["text"], kind="release", limit=1, prune=False)
        best[claim["id"]] = candidates[0].score if candidates else 0.0
    gold = {c["id"]: c["label"] for c in claims}

    def predictions(threshold: float) -> dict[str, str]:
        return {i: "SUPPORTED" if s >= threshold else "NOT_FOUND" for i, s in best.items()}

    def tuned_f1(threshold: float) -> float:
        predicted = predictions(threshold)
        outcomes = [Outcome(i, gold[i], predicted[i]) for i in tune_ids]
        return summarise(outcomes)["macro_f1"]

    threshold = max(sorted({round(s, 1) for s in best.values()}), key=tuned_f1, default=0.0)
    return threshold, predictions(threshold)


# -- printing -------------------------------------------------------------------------------


def print_matrix(matrix: dict, indent: str = "    ") -> None:
    """A confusion matrix, rows gold, columns predicted."""
    print(indent + " " * 13 + "".join(f"{label:>14}" for label in LABELS))
    for gold in LABELS:
        cells = "".join(f"{matrix[gold][p]:>14}" for p in LABELS)
        print(f"{indent}{gold:<13}{cells}")


def print_report(title: str, outcomes: Sequence[Outcome], base: Sequence[Outcome] = ()) -> None:
    """The figures of one group of claims, with the baseline's beside them."""
    figures = summarise(outcomes)
    print(f"\n{title} (n={figures['n']})")
    if not outcomes:
        return
    baseline_figures = summarise(base) if base else None
    for key in ("accuracy", "macro_f1", "recall@1", "recall@5"):
        extra = f"   (baseline {baseline_figures[key]:.3f})" if baseline_figures else ""
        print(f"  {key:<10} {figures[key]:.3f}{extra}")
    print(f"  CONTRADICTED answered SUPPORTED: {figures['supported_when_contradicted']:.1%}; "
          f"denied rumours answered SUPPORTED: {figures['denied_rumours_supported']} of "
          f"{figures['denied_rumours']}")  # fmt: skip
    print(f"  calibration: ECE {figures['ece']:.3f} over {BINS} bins; "
          f"answers shown as 100 %: {figures['certain']}")  # fmt: skip
    print("  confusion matrix (rows: gold, columns: predicted)")
    print_matrix(figures["matrix"])


def print_kinds(outcomes: Sequence[Outcome]) -> None:
    """Per kind of claim: n, accuracy, and gold->predicted counts."""
    kinds: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        kinds[o.kind or "-"].append(o)
    print("  per kind: n, accuracy, gold>predicted (S supported, C contradicted, N not found)")
    for kind, members in sorted(kinds.items()):
        pairs = Counter(f"{o.gold[0]}>{o.predicted[0]}" for o in members)
        accuracy = sum(o.gold == o.predicted for o in members) / len(members)
        cells = " ".join(f"{k}:{v}" for k, v in sorted(pairs.items()))
        print(f"    {kind:<16} {len(members):>4} {accuracy:6.2f}  {cells}")


def evaluate_development(
    release_paths: Sequence[Path], claim_paths: Sequence[Path] | None, errors: bool
) -> None:
    """Load the development releases and report every part of the development claims."""
    releases = read_releases(release_paths)
    known = {r["id"] for r in releases}
    claims = [
        c for c in read_claims(claim_paths) if not c.get("release_id") or c["release_id"] in known
    ]
    with tempfile.TemporaryDirectory(prefix="saring-eval-") as temporary:
        started = time.perf_counter()
        index, mapping = load_releases(Path(temporary), releases)
        print(
            f"Loaded {len(mapping)} of {len(releases)} releases through the ingest path in "
            f"{time.perf_counter() - started:.1f} s; {len(claims)} development claims"
        )
        outcomes = check_claims(index, claims, mapping)
        tune_ids = {c["id"] for c in claims if c["part"] == "tune"}
        threshold, base_predicted = baseline(index, claims, tune_ids)
    by_id = {c["id"]: c for c in claims}
    base = {
        o.claim_id: Outcome(
            o.claim_id, o.gold, base_predicted[o.claim_id], 0.5, o.gold_release, o.releases, o.kind
        )  # fmt: skip
        for o in outcomes
    }
    print(f"Baseline: BM25F over whole releases, SUPPORTED when the best score >= {threshold}")
    groups = {
        "Tuning part": lambda c: c["part"] == "tune",
        "Test part (never looked at while tuning)": lambda c: c["part"] == "test",
        "Test part, claims written after the corpus": lambda c: (
            c["part"] == "test" and not c["id"].startswith("C")
        ),
    }
    for title, wanted in groups.items():
        chosen = [o for o in outcomes if wanted(by_id[o.claim_id])]
        print_report(title, chosen, [base[o.claim_id] for o in chosen])
        print_kinds(chosen)
    timings = sorted(o.seconds for o in outcomes if o.seconds)
    if timings:
        print(f"\nCheck time per claim: median {statistics.median(timings) * 1000:.0f} ms, "
              f"p95 {timings[int(0.95 * (len(timings) - 1))] * 1000:.0f} ms")  # fmt: skip
    if errors:
        print("\nMisjudged tuning claims:")
        for o in outcomes:
            claim = by_id[o.claim_id]
            if claim["part"] == "tune" and o.gold != o.predicted:
                print(f"  {o.claim_id} {o.kind} gold={o.gold} got={o.predicted} "
                      f"({o.confidence:.2f}): {claim['text'][:120]}")  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    """Run the evaluation and print the report."""
    parser = argparse.ArgumentParser(
        prog="python -m verify.evaluate",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--releases", type=Path, nargs="+", default=[CORPUS_RELEASES, DENIALS],
                        help="development releases (corpus JSON Lines)")  # fmt: skip
    parser.add_argument("--claims", type=Path, nargs="+",
                        help="claims files (default: the development claims)")  # fmt: skip
    parser.add_argument("--errors", action="store_true", help="list misjudged tuning claims")
    args = parser.parse_args(argv)
    evaluate_development(args.releases, args.claims, args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
