"""Each part of `python -m bench`, run in a fresh process so no part warms another's caches.

    python -m bench.parts search '{"data": "bench/out/archive-3k", "rounds": 3, ...}'

prints one line `RESULT {json}`. The runner (bench/__main__.py) starts one such process per
part; the functions below are also callable directly.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

from archive.store import Archive, database_url_for
from bench import check_latency, engines, reingest, worker
from bench.search_latency import figures, make_queries, time_round
from index.store import SearchIndex
from index.tables import forget_tables
from ingest.indexing import rebuild_index

SEARCH_SEED = 7
CHECK_SEED = 20261128
CHECK_WARMUP = 20


def search(options: dict) -> dict:
    """First round on a fresh process and fresh tables (nothing warmed), then further rounds."""
    index = SearchIndex(Path(options["data"]) / "index")
    forget_tables()
    rounds = [
        time_round(index, make_queries(options["queries"], SEARCH_SEED + number))
        for number in range(options["rounds"])
    ]
    every = [timing for round_ in rounds for timing in round_]
    return {
        "documents": index.doc_count(),
        "queries_per_round": options["queries"],
        "rounds": options["rounds"],
        "first_search_ms": round(rounds[0][0][1], 1),
        "first_round": figures([ms for _, ms, _ in rounds[0]]),
        "all_rounds": figures([ms for _, ms, _ in every]),
        "first_round_kinds": _kind_medians(rounds[0]),
        "kinds": _kind_medians(every),
    }


def _kind_medians(timings: list[tuple[str, float, int]]) -> dict[str, dict]:
    by_kind: dict[str, list[float]] = defaultdict(list)
    for kind, ms, _total in timings:
        by_kind[kind].append(ms)
    return {
        kind: {"n": len(values), "median_ms": round(statistics.median(values), 1)}
        for kind, values in sorted(by_kind.items())
    }


def check(options: dict) -> dict:
    """Claim checks as POST /api/v1/check makes them (bench/check_latency.py)."""
    index = SearchIndex(Path(options["data"]) / "index")
    batch = check_latency.messages(options["checks"] + CHECK_WARMUP + 1, CHECK_SEED)
    cold, timings, verdicts = check_latency.run(index, batch, CHECK_WARMUP, True)
    every = [seconds * 1000 for values in timings.values() for seconds in values]
    return {
        "checks": len(every),
        "cold_ms": round(cold * 1000, 1),
        **figures(every),
        "kinds": {
            kind: round(statistics.median(values) * 1000, 1)
            for kind, values in sorted(timings.items())
        },
        "verdicts": dict(verdicts),
    }


def build(options: dict) -> dict:
    """Rebuild the whole index from the archive (a new generation, swapped in) and time it."""
    data = Path(options["data"])
    archive = Archive(database_url_for(data))
    try:
        started = time.perf_counter()
        count = rebuild_index(archive, SearchIndex(data / "index"))
        seconds = time.perf_counter() - started
    finally:
        archive.dispose()
    return {"documents": count, "index_seconds": round(seconds, 2), "measured": "rebuild"}


def engines_part(options: dict) -> dict:
    """Saring, tantivy and SQLite FTS5 on the same documents and queries (bench/engines.py)."""
    data = Path(options["data"])
    archive = Archive(database_url_for(data))
    try:
        return engines.compare(
            archive, SearchIndex(data / "index"), options["rounds"], options["queries"],
            SEARCH_SEED + 100,
        )  # fmt: skip
    finally:
        archive.dispose()


def freshness(options: dict) -> dict:
    """A new release searchable in a warm web worker (bench/worker.py)."""
    return worker.freshness(Path(options["work"]), options["freshness_trials"], CHECK_SEED)


def rss(options: dict) -> dict:
    """The web worker's memory across index commits (bench/worker.py)."""
    return worker.memory(Path(options["work"]), options["commits"], CHECK_SEED)


def reingest_part(options: dict) -> dict:
    """An unchanged re-ingest of fixture sources (bench/reingest.py)."""
    return reingest.measure()


PARTS = {
    "build": build,
    "search": search,
    "engines": engines_part,
    "check": check,
    "freshness": freshness,
    "rss": rss,
    "reingest": reingest_part,
}


def main(argv: list[str] | None = None) -> None:
    """Run the part named by the first argument with the JSON options of the second."""
    name, options = (argv or sys.argv[1:])[:2]
    result = PARTS[name](json.loads(options))
    print("RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
