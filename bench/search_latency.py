"""Time searches as the site runs them (facets, highlights, suggestions) on a large archive.

    python bench/make_archive.py --count 100000 --out bench/out/archive-100k   # once, ~12 min
    python bench/search_latency.py --data bench/out/archive-100k

Queries are drawn (deterministically, --seed) from the demo releases' titles, bodies, tags and
agencies, in the mix a journalist produces: one to three words, phrases, exclusions, OR, typos
(the "did you mean" path), opd: prefixes, and filters by agency, year and date range, some
sorted by date, some empty (browsing an agency). Each query goes through `index.search.search`
exactly as /cari calls it, so the time includes opening the index, matching, facet counts over
all matches, BM25F ranking, stored fields, highlighted snippets and spelling suggestions.

It prints the cold start (the first search after a commit builds the per-generation tables and
starts decoding the most frequent terms in the background; --no-warm skips that), waits for
the warming, then, after --warmup queries, prints the median, p95 and p99 of each run and per
query type. Every run draws new queries, so cached posting lists help only as much as a real
query stream's shared vocabulary lets them. Nothing here asserts a time; compare runs on the
same machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.make_archive import demo_releases  # noqa: E402
from index import tables as tables_module  # noqa: E402
from index.analysis import STOP_WORDS  # noqa: E402
from index.names import AGENCIES  # noqa: E402
from index.search import SearchQuery, search  # noqa: E402
from index.store import SearchIndex  # noqa: E402
from index.tables import forget_tables, tables_for  # noqa: E402

# Query type -> weight in the mix.
MIX = {
    "one word": 18,
    "two words": 16,
    "three words": 8,
    "phrase": 8,
    "tag": 6,
    "exclude": 4,
    "or": 4,
    "typo": 5,
    "opd prefix": 4,
    "filter opd": 8,
    "filter year": 6,
    "date range": 4,
    "sort newest": 5,
    "browse opd": 4,
}


def _content_words(text: str) -> list[str]:
    words = [w.strip(".,;:()\"'!?“”") for w in text.split()]
    return [w for w in words if len(w) >= 4 and w.lower() not in STOP_WORDS and w.isalpha()]


def make_queries(count: int, seed: int) -> list[tuple[str, SearchQuery]]:
    """`count` (type, SearchQuery) pairs drawn from the demo vocabulary."""
    rng = random.Random(seed)
    releases = [release for _, release in demo_releases()]
    abbreviations = sorted(AGENCIES)
    kinds = list(MIX)
    weights = [MIX[k] for k in kinds]
    queries: list[tuple[str, SearchQuery]] = []
    while len(queries) < count:
        kind = rng.choices(kinds, weights)[0]
        release = rng.choice(releases)
        title = _content_words(release.title) or ["malang"]
        body = _content_words(rng.choice(release.paragraphs)) or title
        word = rng.choice(title).lower()
        query = SearchQuery(q=word)
        if kind == "two words" and len(title) > 1:
            at = rng.randrange(len(title) - 1)
            query = SearchQuery(q=f"{title[at]} {title[at + 1]}".lower())
        elif kind == "three words" and len(title) > 2:
            query = SearchQuery(q=" ".join(rng.sample(title, 3)).lower())
        elif kind == "phrase" and len(body) > 1:
            at = rng.randrange(len(body) - 1)
            query = SearchQuery(q=f'"{body[at]} {body[at + 1]}"'.lower())
        elif kind == "tag" and release.tags:
            query = SearchQuery(q=rng.choice(release.tags))
        elif kind == "exclude":
            query = SearchQuery(q=f"{word} -{rng.choice(body).lower()}")
        elif kind == "or":
            query = SearchQuery(q=f"{word} OR {rng.choice(body).lower()}")
        elif kind == "typo" and len(word) > 5:
            cut = rng.randrange(1, len(word) - 1)
            query = SearchQuery(q=word[:cut] + word[cut + 1 :])
        elif kind == "opd prefix":
            query = SearchQuery(q=f"opd:{rng.choice(abbreviations)} {word}")
        elif kind == "filter opd":
            query = SearchQuery(q=word, opd=release.opd)
        elif kind == "filter year":
            query = SearchQuery(q=word, year=rng.randint(2018, 2026))
        elif kind == "date range":
            start = date(2017, 1, 1) + timedelta(days=rng.randrange(3300))
            query = SearchQuery(q=word, date_from=start, date_to=start + timedelta(days=90))
        elif kind == "sort newest":
            query = SearchQuery(q=word, sort="newest")
        elif kind == "browse opd":
            query = SearchQuery(opd=release.opd, page=rng.randint(1, 5))
        queries.append((kind, query))
    return queries


def percentile(values: list[float], share: float) -> float:
    """Linear-interpolated percentile of `values` (share in 0..1)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * share
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def timed(index: SearchIndex, query: SearchQuery) -> tuple[float, int]:
    """Milliseconds for one full search, and its total."""
    started = time.perf_counter()
    results = search(index, query)
    return (time.perf_counter() - started) * 1000, results.total


def time_round(
    index: SearchIndex, queries: list[tuple[str, SearchQuery]]
) -> list[tuple[str, float, int]]:
    """(kind, milliseconds, total) of each query of one round, searched in order."""
    return [(kind, *timed(index, query)) for kind, query in queries]


def figures(times: list[float], digits: int = 1) -> dict[str, float]:
    """Median, p95, p99 and maximum of some milliseconds, rounded to `digits` decimals."""
    return {
        "median_ms": round(statistics.median(times), digits),
        "p95_ms": round(percentile(times, 0.95), digits),
        "p99_ms": round(percentile(times, 0.99), digits),
        "max_ms": round(max(times), digits),
    }


def main(argv: list[str] | None = None) -> None:
    """Run the query mix --runs times and print the numbers."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="a make_archive.py output dir")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    parser.add_argument(
        "--no-warm", action="store_true", help="do not decode frequent terms ahead of searches"
    )
    args = parser.parse_args(argv)

    index = SearchIndex(args.data / "index")
    if not index.exists():
        raise SystemExit(f"no index under {args.data}; run bench/make_archive.py first")
    documents = index.doc_count()

    if args.no_warm:
        tables_module.WARM_POSTINGS = 0  # measure with caches filled only by the queries
    forget_tables()  # a fresh generation: the first search builds the tables
    cold_ms, _ = timed(index, SearchQuery(q="banjir"))
    started = time.perf_counter()
    with index.searcher() as searcher:
        warmed = tables_for(searcher).warmed.wait(timeout=600)
    warm_seconds = time.perf_counter() - started if warmed else None
    for _, query in make_queries(args.warmup, args.seed - 1):
        search(index, query)

    runs = []
    by_type: dict[str, list[float]] = defaultdict(list)
    totals: dict[str, list[int]] = defaultdict(list)
    for run in range(args.runs):
        # Every run asks new queries (its own seed); caches carry over from earlier runs, as
        # they do in a server between two index commits.
        timings = time_round(index, make_queries(args.queries, args.seed + run))
        for kind, ms, total in timings:
            by_type[kind].append(ms)
            totals[kind].append(total)
        runs.append(figures([ms for _, ms, _ in timings]))
    every = [ms for values in by_type.values() for ms in values]
    summary = {
        "documents": documents,
        "queries_per_run": args.queries,
        "runs": runs,
        "cold_first_search_ms": round(cold_ms, 1),
        "warming_seconds": round(warm_seconds, 1) if warm_seconds is not None else None,
        "warm_postings": tables_module.WARM_POSTINGS,
        "median_ms": round(statistics.median(every), 1),
        "p95_ms": round(percentile(every, 0.95), 1),
        "p99_ms": round(percentile(every, 0.99), 1),
        "p95_ms_without_phrases": round(
            percentile([ms for kind, v in by_type.items() if kind != "phrase" for ms in v], 0.95), 1
        ),
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cpu",
        "by_type": {
            kind: {
                "n": len(values),
                "median_ms": round(statistics.median(values), 1),
                "p95_ms": round(percentile(values, 0.95), 1),
                "mean_total": round(statistics.mean(totals[kind])),
            }
            for kind, values in sorted(by_type.items())
        },
    }
    build = args.data / "build.json"
    if build.exists():
        summary["build"] = json.loads(build.read_text("utf-8"))
    print(
        f"{documents} documents; {args.runs} runs of {args.queries} new queries after "
        f"{args.warmup} warm-up; first search on fresh tables {summary['cold_first_search_ms']} ms"
    )
    print(
        f"background warming: {summary['warm_postings']} postings, "
        f"{summary['warming_seconds']} s after the first search"
    )
    for number, run in enumerate(runs, 1):
        print(
            f"run {number}: median {run['median_ms']} ms, p95 {run['p95_ms']} ms, "
            f"p99 {run['p99_ms']} ms, max {run['max_ms']} ms"
        )
    print(
        f"all runs: median {summary['median_ms']} ms, p95 {summary['p95_ms']} ms, "
        f"p99 {summary['p99_ms']} ms; p95 without phrase queries "
        f"{summary['p95_ms_without_phrases']} ms"
    )
    print("| type | n | median ms | p95 ms | mean total hits |")
    print("|---|---|---|---|---|")
    for kind, row in summary["by_type"].items():
        print(
            f"| {kind} | {row['n']} | {row['median_ms']} | {row['p95_ms']} | {row['mean_total']} |"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(summary, indent=1) + "\n", "utf-8")


if __name__ == "__main__":
    main()
