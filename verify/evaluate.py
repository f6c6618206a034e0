"""Measure the claim check on a labelled corpus, next to a plain BM25 baseline.

    python -m verify.evaluate --releases ../shared/corpus/releases.jsonl \\
                              --claims ../shared/corpus/claims.jsonl

The releases are loaded into a fresh temporary data directory through the normal ingest path:
each is written as a WordPress REST post, parsed by `ingest.parsers.parse_wp_posts`, normalised
and archived by `Ingester.take`, and indexed by `sync_index`. Every claim then goes through
`verify.check` exactly as the API runs it. Printed, for all claims and for odd and even claim
ids separately (a held-out check: tune on one half, look at the other):

- Recall@1 and Recall@5: the labelled release among the first 1 or 5 distinct releases of the
  evidence (claims that have a labelled release only);
- verdict accuracy, macro-F1 and the confusion matrix;
- the same for the baseline: BM25F over whole releases (title and body, the raw claim text as
  plain words); SUPPORTED when the best score reaches a threshold, NOT_FOUND otherwise (it cannot
  see contradictions). Its threshold is calibrated on the odd ids.

``--calibrate`` also searches the checker's thresholds on the odd ids and reports how the best
setting does on the even ids; it changes nothing by itself.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from archive.store import Archive, database_url_for
from index.retrieve import retrieve
from index.store import SearchIndex
from ingest.corpus import read_jsonl, wordpress_post
from ingest.fetch import Fetcher
from ingest.indexing import sync_index
from ingest.normalise import canonical_url
from ingest.parsers import parse_wp_posts
from ingest.pipeline import Ingester, SourceReport
from ingest.sources import Source
from verify.check import (
    DEFAULT_THRESHOLDS,
    CheckResult,
    PreparedMessage,
    Thresholds,
    Verdict,
    decide,
    prepare,
)

LABELS = [v.value for v in Verdict]


# -- loading the corpus through the ingest path ---------------------------------------------


def load_releases(data_dir: Path, releases: Sequence[dict]) -> tuple[SearchIndex, dict[str, str]]:
    """Ingest corpus releases into `data_dir`; returns the index and corpus id -> archive id."""
    archive = Archive(database_url_for(data_dir))
    index = SearchIndex(data_dir / "index")
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for release in releases:
        groups[(urlsplit(release["url"]).hostname or "", release["opd"])].append(release)
    hosts = {host for host, _ in groups}
    ingester = Ingester(archive, index, Fetcher(allowed_hosts=hosts))
    number = 0
    for position, ((host, opd), members) in enumerate(sorted(groups.items())):
        source = Source(id=f"eval-{position}", kind="wordpress", url=f"https://{host}/", opd=opd)
        posts = []
        for release in members:
            number += 1
            posts.append(wordpress_post(number, release))
        page = parse_wp_posts(
            json.dumps(posts).encode("utf-8"), f"https://{host}/wp-json/wp/v2/posts"
        )
        report = SourceReport(source.id)
        ingester.take(source, page.items, report)
        if report.problems:
            print(f"[{source.id}] {len(report.problems)} problem(s): {report.problems[:2]}",
                  file=sys.stderr)  # fmt: skip
    sync_index(archive, index)
    by_url = {stored.url: str(stored.id) for stored in archive.iter_releases()}
    archive.dispose()
    mapping = {}
    for release in releases:
        archived = by_url.get(canonical_url(release["url"]))
        if archived:
            mapping[release["id"]] = archived
    return index, mapping


# -- metrics --------------------------------------------------------------------------------


@dataclass
class Outcome:
    """One claim's result: predicted verdict and the ranked release ids of its evidence."""

    claim_id: str
    gold: str
    predicted: str
    gold_release: str | None
    releases: list[str]
    seconds: float = 0.0


def release_order(result: CheckResult) -> list[str]:
    """Distinct release ids in the order the evidence shows them."""
    return list(dict.fromkeys(e.release_id for e in result.evidence))


def summarise(outcomes: Sequence[Outcome]) -> dict:
    """Recall@1/@5, accuracy, macro-F1 and confusion matrix of some outcomes."""
    labelled = [o for o in outcomes if o.gold_release]
    recall = {
        k: (
            sum(o.gold_release in o.releases[:k] for o in labelled) / len(labelled)
            if labelled
            else 0
        )
        for k in (1, 5)
    }
    matrix = {g: {p: 0 for p in LABELS} for g in LABELS}
    for o in outcomes:
        matrix[o.gold][o.predicted] += 1
    f1s = []
    for label in LABELS:
        tp = matrix[label][label]
        fp = sum(matrix[g][label] for g in LABELS if g != label)
        fn = sum(matrix[label][p] for p in LABELS if p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall_ = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * precision * recall_ / (precision + recall_) if precision + recall_ else 0.0)
    accuracy = sum(matrix[g][g] for g in LABELS) / len(outcomes) if outcomes else 0.0
    return {
        "n": len(outcomes),
        "recall@1": recall[1],
        "recall@5": recall[5],
        "accuracy": accuracy,
        "macro_f1": sum(f1s) / len(f1s),
        "matrix": matrix,
    }


def _split(outcomes: Sequence[Outcome], parity: str) -> list[Outcome]:
    if parity == "all":
        return list(outcomes)
    want = 1 if parity == "odd" else 0
    return [o for o in outcomes if int("".join(c for c in o.claim_id if c.isdigit())) % 2 == want]


# -- the baseline ---------------------------------------------------------------------------


def baseline_scores(
    index: SearchIndex, claims: Sequence[dict]
) -> dict[str, tuple[float, list[str]]]:
    """BM25F over whole releases for the raw claim text: best score and ranked release ids."""
    scores = {}
    for claim in claims:
        candidates = retrieve(index, claim["text"], kind="release", limit=5, prune=False)
        best = candidates[0].score if candidates else 0.0
        scores[claim["id"]] = (best, [c.id for c in candidates])
    return scores


def baseline_outcomes(
    claims: Sequence[dict], scores: dict, threshold: float, mapping: dict[str, str]
) -> list[Outcome]:
    """The baseline's verdicts at one score threshold."""
    outcomes = []
    for claim in claims:
        best, ranked = scores[claim["id"]]
        predicted = Verdict.SUPPORTED.value if best >= threshold else Verdict.NOT_FOUND.value
        outcomes.append(
            Outcome(
                claim["id"],
                claim["label"],
                predicted,
                mapping.get(claim.get("release_id") or ""),
                ranked,
            )  # fmt: skip
        )
    return outcomes


def calibrate_baseline(claims: Sequence[dict], scores: dict, mapping: dict[str, str]) -> float:
    """The score threshold with the best macro-F1 on the odd claim ids."""
    values = sorted({round(best, 2) for best, _ in scores.values()})
    best_threshold, best_f1 = 0.0, -1.0
    for threshold in values:
        outcomes = _split(baseline_outcomes(claims, scores, threshold, mapping), "odd")
        f1 = summarise(outcomes)["macro_f1"]
        if f1 > best_f1:
            best_threshold, best_f1 = threshold, f1
    return best_threshold


# -- the checker ----------------------------------------------------------------------------


def checker_outcomes(
    claims: Sequence[dict],
    prepared: dict[str, PreparedMessage],
    thresholds: Thresholds,
    mapping: dict[str, str],
    seconds: dict[str, float] | None = None,
) -> list[Outcome]:
    """The checker's verdicts for prepared claims at some thresholds."""
    outcomes = []
    for claim in claims:
        result = decide(prepared[claim["id"]], thresholds)
        outcomes.append(
            Outcome(
                claim["id"],
                claim["label"],
                result.verdict.value,
                mapping.get(claim.get("release_id") or ""),
                release_order(result),
                (seconds or {}).get(claim["id"], 0.0),
            )
        )
    return outcomes


def _grid(start: float, stop: float, step: float) -> Iterable[float]:
    value = start
    while value <= stop + 1e-9:
        yield round(value, 3)
        value += step


def calibrate_checker(
    claims: Sequence[dict], prepared: dict[str, PreparedMessage], mapping: dict[str, str]
) -> Thresholds:
    """The thresholds with the best macro-F1 on the odd claim ids, smoothed over the grid.

    Each setting is scored by the mean macro-F1 of itself and its grid neighbours, so that the
    choice sits in the middle of a plateau rather than on a lucky spike of a small sample.
    """
    founds = list(_grid(0.3, 0.7, 0.025))
    conflicts = list(_grid(0.25, 0.6, 0.025))
    odd = [c for c in claims if int("".join(ch for ch in c["id"] if ch.isdigit())) % 2 == 1]
    scores: dict[tuple[int, int], float] = {}
    for i, found in enumerate(founds):
        for j, conflict in enumerate(conflicts):
            thresholds = replace(DEFAULT_THRESHOLDS, found=found, conflict=conflict)
            outcomes = checker_outcomes(odd, prepared, thresholds, mapping)
            scores[(i, j)] = summarise(outcomes)["macro_f1"]

    def smoothed(key: tuple[int, int]) -> float:
        near = [
            scores[(key[0] + di, key[1] + dj)]
            for di in (-1, 0, 1)
            for dj in (-1, 0, 1)
            if (key[0] + di, key[1] + dj) in scores
        ]
        return sum(near) / len(near)

    best = max(scores, key=lambda key: (round(smoothed(key), 4), scores[key]))
    return replace(DEFAULT_THRESHOLDS, found=founds[best[0]], conflict=conflicts[best[1]])


# -- printing -------------------------------------------------------------------------------


def _row(name: str, system: dict, baseline: dict) -> str:
    return f"  {name:<12} {system:>8.3f} {baseline:>10.3f}"


def print_report(title: str, system: dict, baseline: dict) -> None:
    """Side-by-side figures and both confusion matrices."""
    print(f"\n{title} (n={system['n']})")
    print(f"  {'':<12} {'system':>8} {'baseline':>10}")
    for key in ("recall@1", "recall@5", "accuracy", "macro_f1"):
        print(_row(key, system[key], baseline[key]))
    for name, figures in (("system", system), ("baseline", baseline)):
        print(f"  confusion matrix, {name} (rows: gold, columns: predicted)")
        print("    " + " " * 13 + "".join(f"{label:>14}" for label in LABELS))
        for gold in LABELS:
            cells = "".join(f"{figures['matrix'][gold][p]:>14}" for p in LABELS)
            print(f"    {gold:<13}{cells}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the evaluation and print the report."""
    parser = argparse.ArgumentParser(
        prog="python -m verify.evaluate",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--releases", type=Path, required=True, help="releases.jsonl")
    parser.add_argument("--claims", type=Path, required=True, help="claims.jsonl")
    parser.add_argument("--data-dir", type=Path, help="keep the loaded data here (default: temp)")
    parser.add_argument(
        "--calibrate",
        action="store_true",
        help="search thresholds on odd ids and report them on even ids",
    )
    parser.add_argument("--errors", action="store_true", help="list the misjudged claims")
    args = parser.parse_args(argv)

    releases, claims = read_jsonl(args.releases), read_jsonl(args.claims)
    with tempfile.TemporaryDirectory(prefix="saring-eval-") as temporary:
        data_dir = args.data_dir or Path(temporary)
        data_dir.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        index, mapping = load_releases(data_dir, releases)
        print(f"Loaded {len(mapping)} of {len(releases)} releases through the ingest path "
              f"into {data_dir} in {time.perf_counter() - started:.1f} s")  # fmt: skip
        prepared: dict[str, PreparedMessage] = {}
        seconds: dict[str, float] = {}
        for claim in claims:
            started = time.perf_counter()
            prepared[claim["id"]] = prepare(index, claim["text"])
            seconds[claim["id"]] = time.perf_counter() - started
        scores = baseline_scores(index, claims)

        threshold = calibrate_baseline(claims, scores, mapping)
        base = baseline_outcomes(claims, scores, threshold, mapping)
        system = checker_outcomes(claims, prepared, DEFAULT_THRESHOLDS, mapping, seconds)
        print(f"Baseline: BM25F over whole releases, SUPPORTED when the best score >= {threshold}"
              " (calibrated on odd ids)")  # fmt: skip
        print(f"System thresholds: {DEFAULT_THRESHOLDS}")
        for parity in ("all", "odd", "even"):
            print_report(f"Claims: {parity}", summarise(_split(system, parity)),
                         summarise(_split(base, parity)))  # fmt: skip
        timings = sorted(seconds.values())
        print(f"\nCheck time per claim (excluding clarifications): median "
              f"{statistics.median(timings) * 1000:.0f} ms, p95 "
              f"{timings[int(0.95 * (len(timings) - 1))] * 1000:.0f} ms")  # fmt: skip
        if args.errors:
            texts = {c["id"]: c for c in claims}
            print("\nMisjudged claims:")
            for outcome in system:
                wrong = outcome.gold != outcome.predicted
                missed = outcome.gold_release and outcome.gold_release not in outcome.releases[:1]
                if wrong or missed:
                    claim = texts[outcome.claim_id]
                    rank = (outcome.releases.index(outcome.gold_release) + 1
                            if outcome.gold_release in outcome.releases else None)  # fmt: skip
                    print(f"  {outcome.claim_id} gold={outcome.gold} got={outcome.predicted} "
                          f"release_rank={rank}: {claim['text'][:110]}")  # fmt: skip
        if args.calibrate:
            tuned = calibrate_checker(claims, prepared, mapping)
            tuned_outcomes = checker_outcomes(claims, prepared, tuned, mapping)
            print(f"\nCalibrated on odd ids: found={tuned.found} conflict={tuned.conflict}")
            for parity in ("odd", "even"):
                figures = summarise(_split(tuned_outcomes, parity))
                print(f"  {parity}: accuracy {figures['accuracy']:.3f}, "
                      f"macro-F1 {figures['macro_f1']:.3f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
