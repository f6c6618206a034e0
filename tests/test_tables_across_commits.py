"""A long-lived SearchIndex across many commits, as a web worker sees it while releases arrive:
it holds one generation's tables (not one per commit), drops what it read from merged-away
segments, finds a new release at the next search, and answers as a freshly opened index does."""

from __future__ import annotations

import gc
import random
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from index import tables as tables_module
from index.search import SearchQuery, SearchResults, search
from index.store import IndexDoc, SearchIndex

WIB = timezone(timedelta(hours=7))
OPDS = ["Dinas Perhubungan", "Badan Penanggulangan Bencana Daerah", "Dinas Lingkungan Hidup"]
WORDS = (
    "banjir jalan raya tarif angkot pasar besar sampah drainase warga kota malang petugas "
    "perbaikan jembatan sekolah vaksin posyandu parkir pajak festival taman lampu"
).split()
COMMITS = 30

QUERIES = [
    SearchQuery(q="banjir"),
    SearchQuery(q="tarif angkot"),
    SearchQuery(q='"jalan raya"'),
    SearchQuery(q="banjir", sort="newest"),
    SearchQuery(q="sampah", opd=OPDS[2]),
    SearchQuery(q="pasar -parkir"),
    SearchQuery(q=""),
    SearchQuery(q="", category="Lingkungan"),
    SearchQuery(q="warga", year=2025),
    SearchQuery(q="jembtan"),  # misspelt: a suggestion from the vocabulary
]


def release(number: int, rng: random.Random, word: str = "") -> IndexDoc:
    title = " ".join(rng.choices(WORDS, k=4))
    body = " ".join(rng.choices(WORDS, k=30))
    return IndexDoc(
        id=str(number),
        url=f"https://malangkota.go.id/rilis/{number}/",
        title=f"{title} {word}".strip(),
        body=body,
        opd=rng.choice(OPDS),
        source="uji",
        categories=[rng.choice(["Berita", "Lingkungan", "Transportasi"])],
        tags=[],
        published=datetime(2025, 1, 1, 8, tzinfo=WIB) + timedelta(days=number),
        modified=None,
    )


def answer(results: SearchResults) -> tuple:
    """What a reader sees of a search: total, hits with scores, facets, notice."""
    return (
        results.total,
        [(hit.id, hit.score) for hit in results.hits],
        {name: [(c.value, c.count) for c in counts] for name, counts in results.facets.items()},
        results.notice,
        results.widened,
        results.suggestion,
    )


def finish_warming() -> None:
    for thread in threading.enumerate():
        if thread.name == "saring-warm-tables":
            thread.join()


def commit_one(index: SearchIndex, number: int, rng: random.Random) -> None:
    """One commit: mostly a new release, sometimes an edit (a deletion in an older segment)
    or a removal, so segments are added, merged and masked."""
    if number % 7 == 3:
        index.upsert([release(rng.randrange(number), rng)])
    elif number % 11 == 5:
        index.delete([str(rng.randrange(number))])
    else:
        index.upsert([release(number, rng)])


@pytest.fixture
def index(tmp_path: Path) -> SearchIndex:
    rng = random.Random(12)
    built = SearchIndex(tmp_path)
    built.rebuild(release(number, rng) for number in range(60))
    tables_module.forget_tables()
    yield built
    finish_warming()
    tables_module.forget_tables()


def test_tables_and_segment_caches_stay_bounded_over_many_commits(index: SearchIndex) -> None:
    rng = random.Random(3)
    for number in range(60, 60 + COMMITS):
        commit_one(index, number, rng)
        for query in QUERIES:
            search(index, query)
        finish_warming()
        gc.collect()
        alive = sum(isinstance(o, tables_module.Tables) for o in gc.get_objects())
        assert alive <= 2  # the current generation's, and at most the one it replaces
        with index.searcher() as searcher:
            segments = {leaf.segment().segment_id() for leaf, _ in searcher.reader().leaf_readers()}
        caches = (
            tables_module._segment_lists,
            tables_module._segment_facets,
            tables_module._segment_vocabularies,
        )
        for cache in caches:
            assert {key[0] for key in cache} <= segments  # nothing of merged-away segments


def test_a_committed_release_is_found_by_the_next_search_and_counted_in_facets(
    index: SearchIndex,
) -> None:
    rng = random.Random(5)
    for query in QUERIES:
        search(index, query)  # tables built and their lists cached, as in a warm worker
    before = search(index, SearchQuery(q="banjir"))
    everything = search(index, SearchQuery())
    new = release(500, rng, word="kodeujibaru")
    new.opd, new.categories, new.body = "Dinas Pendidikan", ["Pendidikan"], "banjir di sekolah"
    index.upsert([new])

    found = search(index, SearchQuery(q="kodeujibaru"))  # no waiting for any warming
    assert [hit.id for hit in found.hits] == ["500"]
    assert search(index, SearchQuery(q="banjir")).total == before.total + 1
    now = search(index, SearchQuery())
    assert now.total == everything.total + 1
    opd = {c.value: c.count for c in now.facets["opd"]}
    category = {c.value: c.count for c in now.facets["category"]}
    assert opd["Dinas Pendidikan"] == 1 and category["Pendidikan"] == 1
    assert [hit.id for hit in search(index, SearchQuery(opd="Dinas Pendidikan")).hits] == ["500"]


def test_searches_after_commits_answer_as_a_freshly_opened_index(
    index: SearchIndex, tmp_path: Path
) -> None:
    rng = random.Random(9)
    for number in range(60, 60 + COMMITS):
        for query in QUERIES:  # lists cached in this generation, carried into the next
            search(index, query)
        commit_one(index, number, rng)
        if number % 5 == 0:
            finish_warming()  # sometimes the background finishes the carried lists first
        kept = [answer(search(index, query)) for query in QUERIES]
        finish_warming()
        tables_module.forget_tables()
        fresh = [answer(search(SearchIndex(tmp_path), query)) for query in QUERIES]
        assert kept == fresh, number
        for query in QUERIES:  # the fresh tables are now the ones carried on
            search(index, query)
