"""A full rebuild written by several processes (index.build) equals a single-process one, and a
failure anywhere in it leaves the previous generation serving."""

from __future__ import annotations

import os
import random
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from archive.months import WIB
from index import build
from index.query import SearchQuery
from index.search import search
from index.store import IndexBuildFailed, IndexDoc, SearchIndex

WORDS = (
    "banjir jembatan angkot tarif parkir sampah drainase kelurahan warga pasar alun-alun "
    "membangun membantah penutupan pemerintah jalan perahu evakuasi kabar hoaks tidak benar "
    "naik turun gratis sekolah vaksin covid-19 Rp15.000 2025 Kedawung Sukun Klojen Blimbing"
).split()
AGENCIES = [
    "Dinas Perhubungan",
    "Badan Penanggulangan Bencana Daerah",
    "Dinas Lingkungan Hidup",
    "",
]
CATEGORIES = ["Berita", "Banjir", "Transportasi", "Lingkungan", "HOAKS"]
QUERIES = [
    "banjir",
    "tarif angkot",
    "membantah kabar",
    '"jembatan baru"',
    "pasar -banjir",
    "hoaks OR gratis",
    "kelurahan sukun",
    "covid-19",
    "rp15.000",
    "",
]


def corpus(count: int, seed: int = 12) -> list[IndexDoc]:
    """`count` releases of a small vocabulary: many equal scores, so ties show document order."""
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, 8, 0, tzinfo=WIB)
    return [
        IndexDoc(
            id=f"R{number}",
            url=f"https://malangkota.go.id/r{number}/",
            title=" ".join(rng.choices(WORDS, k=rng.randint(2, 6))).capitalize(),
            body="\n\n".join(
                " ".join(rng.choices(WORDS, k=rng.randint(3, 25))) + "."
                for _ in range(rng.randint(1, 4))
            ),
            opd=rng.choice(AGENCIES),
            source="uji",
            categories=rng.sample(CATEGORIES, rng.randint(0, 2)),
            tags=rng.sample(WORDS[:6], rng.randint(0, 2)),
            published=start + timedelta(hours=rng.randint(0, 20_000)) if number % 9 else None,
            modified=None,
            status="removed" if number % 50 == 0 else "active",
        )
        for number in range(1, count + 1)
    ]


@pytest.fixture
def small_parallel_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let a few hundred documents take the parallel path, in several chunk files."""
    monkeypatch.setattr(build, "PARALLEL_FROM", 50)
    monkeypatch.setattr(build, "CHUNK_DOCUMENTS", 40)


def results(index: SearchIndex, q: str) -> tuple:
    found = search(index, SearchQuery(q=q, per_page=50))
    facets = {name: [(f.value, f.count) for f in values] for name, values in found.facets.items()}
    return found.total, [(hit.id, round(hit.score, 9)) for hit in found.hits], facets


def stored_and_segments(index: SearchIndex) -> tuple[list[dict], int]:
    with index.searcher() as searcher:
        reader = searcher.reader()
        stored = [reader.stored_fields(doc) for doc in range(reader.doc_count_all())]
        return stored, len(reader.leaf_readers())


def generations(base: Path) -> list[str]:
    return sorted(entry.name for entry in base.iterdir() if entry.name.startswith("gen-"))


def test_parallel_rebuild_gives_the_same_results_facets_and_stored_fields(
    tmp_path: Path, small_parallel_builds: None
) -> None:
    docs = corpus(300)
    single = SearchIndex(tmp_path / "single", build_processes=1)
    parallel = SearchIndex(tmp_path / "parallel", build_processes=2)
    assert single.rebuild(docs) == parallel.rebuild(docs) == 300

    single_stored, single_segments = stored_and_segments(single)
    parallel_stored, parallel_segments = stored_and_segments(parallel)
    assert (single_segments, parallel_segments) == (1, 2)  # the parallel path really ran
    assert parallel_stored == single_stored  # same fields, same document numbers
    for q in QUERIES:
        assert results(parallel, q) == results(single, q), q
    assert results(single, "banjir")[0] > 0
    assert not any(name.startswith("chunks-") for name in os.listdir(tmp_path / "parallel/current"))


def test_small_rebuilds_stay_in_one_process(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path, build_processes=2)
    assert index.rebuild(corpus(30)) == 30
    assert stored_and_segments(index)[1] == 1


def bad_document(number: int) -> IndexDoc:
    """A document Whoosh refuses while analysing it (its body is not text)."""
    return IndexDoc(
        id=f"R{number}",
        url="https://malangkota.go.id/rusak/",
        title="Rusak",
        body=12345,  # type: ignore[arg-type]
        opd="",
        source="uji",
        categories=[],
        tags=[],
        published=None,
        modified=None,
    )


@pytest.mark.parametrize("where", ["worker", "this process"])
def test_a_document_failing_in_any_process_leaves_the_previous_index_serving(
    tmp_path: Path, small_parallel_builds: None, where: str
) -> None:
    index = SearchIndex(tmp_path, build_processes=2)
    index.rebuild(corpus(60, seed=1))
    before = index.status()["generation"]
    docs = corpus(300)
    broken = 280 if where == "worker" else 10  # the worker writes the second half
    docs[broken] = bad_document(broken + 1)

    with pytest.raises(IndexBuildFailed, match=rf"'R{broken + 1}' could not be indexed"):
        index.rebuild(docs)

    assert index.status()["generation"] == before
    assert generations(tmp_path) == [before]
    assert index.doc_count() == 60
    assert search(index, SearchQuery(q="banjir")).total > 0


def _exit_at_once(folder: str, run: list[str], limitmb: int, reply) -> None:
    os._exit(3)


def test_a_worker_that_dies_is_reported_and_nothing_is_switched(
    tmp_path: Path, small_parallel_builds: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = SearchIndex(tmp_path, build_processes=2)
    index.rebuild(corpus(60, seed=1))
    before = index.status()["generation"]
    monkeypatch.setattr(build, "_write_run", _exit_at_once)

    with pytest.raises(IndexBuildFailed, match=r"worker exited without answering \(exit code 3\)"):
        index.rebuild(corpus(300))

    assert generations(tmp_path) == [before] and index.doc_count() == 60


def test_with_another_thread_running_workers_start_fresh_and_agree(
    tmp_path: Path, small_parallel_builds: None
) -> None:
    stop = threading.Event()
    waiting = threading.Thread(target=stop.wait)  # forking now could copy a held lock
    waiting.start()
    try:
        docs = corpus(200, seed=3)
        single = SearchIndex(tmp_path / "single", build_processes=1)
        parallel = SearchIndex(tmp_path / "parallel", build_processes=2)
        single.rebuild(docs)
        parallel.rebuild(docs)
    finally:
        stop.set()
        waiting.join()
    assert stored_and_segments(parallel) == (stored_and_segments(single)[0], 2)
    assert results(parallel, "tarif angkot") == results(single, "tarif angkot")
