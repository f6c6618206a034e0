"""The Whoosh internals adapter: its start-up self-check, and the public-API fallback giving the
same search, facets, suggestions, related releases and claim-check retrieval on a real index."""

from __future__ import annotations

import logging
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from index import tables as tables_module
from index import whoosh_internals
from index.retrieve import retrieve, retrieve_weighted
from index.search import SearchQuery, search
from index.similar import similar
from index.store import IndexDoc, SearchIndex

WORDS = (
    "banjir jalan raya tarif angkot naik tidak benar pasar besar ditutup warga kota malang "
    "pembangunan jembatan sampah vaksin sekolah taman pajak"
).split()
OPDS = ["Dinas Perhubungan", "Badan Penanggulangan Bencana Daerah", "Dinas Lingkungan Hidup"]


@pytest.fixture(autouse=True)
def checked_again(monkeypatch: pytest.MonkeyPatch):
    """Each test starts and ends with the process's normal state: checked, fast paths on."""
    monkeypatch.delenv(whoosh_internals.FORCE_PUBLIC_ENV, raising=False)
    assert whoosh_internals.run_check() == whoosh_internals.STATUS_OK
    yield
    monkeypatch.delenv(whoosh_internals.FORCE_PUBLIC_ENV, raising=False)
    whoosh_internals.run_check()
    tables_module.forget_tables()


def _doc(number: int, rng: random.Random) -> IndexDoc:
    body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 60)))
    if number % 41 == 0:  # a long gap: positions beyond a byte
        body += " uraian" * 300 + " tarif angkot"
    return IndexDoc(
        id=f"r{number}",
        url=f"https://malangkota.go.id/rilis/{number}/",
        title=" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 6))),
        body=body,
        opd=rng.choice(OPDS),
        source="uji",
        categories=[rng.choice(["Berita", "Banjir", "Transportasi"])],
        tags=[],
        published=None
        if number % 29 == 0
        else datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=number * 3),
        modified=None,
        kind="clarification" if number % 13 == 0 else "release",
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    """Several segments, long posting lists (several blocks), edits and deletions."""
    rng = random.Random(12)
    docs = [_doc(number, rng) for number in range(400)]
    index = SearchIndex(tmp_path_factory.mktemp("internals-index"))
    index.rebuild(docs[:250])
    index.upsert(docs[250:])
    index.upsert([_doc(number, rng) for number in (3, 4, 5, 260)])  # edited: old ones deleted
    index.delete(["r0", "r7", "r300"])
    return index


QUERIES = [
    SearchQuery(),
    SearchQuery(q="banjir"),
    SearchQuery(q="tarif angkot", per_page=50),
    SearchQuery(q='"tarif angkot"', per_page=50),
    SearchQuery(q='"jalan raya" -banjir'),
    SearchQuery(q="pasar OR jembatan", sort="newest"),
    SearchQuery(q="opd:dishub naik", kind="all"),
    SearchQuery(q="banjir jalan", opd=OPDS[1], year=2024, page=2),
    SearchQuery(q="sampah", category="Berita", sort="oldest"),
    SearchQuery(q="pembangunan warga kota malang sekolah taman pajak vaksin"),  # long: widened
    SearchQuery(q="tarrif angkott"),  # misspelt: a suggestion
    SearchQuery(q="tarif uraian", kind="clarification"),
]
CLAIMS = ["tarif angkot naik", "banjir di jalan raya kota malang", "pasar besar ditutup"]


def _answers(index: SearchIndex) -> list:
    """Everything searches and the claim check read from the index, as plain values."""
    answers: list = []
    for query in QUERIES:
        results = search(index, query)
        answers.append(
            (
                results.total,
                [(hit.id, hit.score, hit.snippet, hit.title_html) for hit in results.hits],
                {name: [vars(f) for f in values] for name, values in results.facets.items()},
                results.notice,
                results.suggestion,
                results.widened,
            )
        )
    for claim in CLAIMS:
        for kind in ("release", "clarification", None):
            found = retrieve(index, claim, kind=kind, limit=10)
            answers.append([(c.id, c.score) for c in found])
        weighted = retrieve_weighted(index, {t: 1.0 for t in claim.split()}, limit=10)
        answers.append(([(c.id, c.score) for c in weighted.candidates], weighted.idf))
    for doc_id in ("r1", "r2", "r250"):
        answers.append([(hit.id, hit.score) for hit in similar(index, doc_id)])
    return answers


def test_self_check_passes_on_the_pinned_whoosh() -> None:
    assert whoosh_internals.status() == "ok"
    reader = whoosh_internals.sample_reader()
    assert all(whoosh_internals.segment_id(leaf) for leaf, _ in reader.leaf_readers())


class _Renamed:
    """A segment's per-document reader as a Whoosh release that renamed one of its private
    methods would hand it out: everything else still answers."""

    def __init__(self, inner: object, missing: str) -> None:
        self._inner = inner
        self._missing = missing

    def __getattr__(self, name: str):
        if name == self._missing:
            raise AttributeError(f"{type(self._inner).__name__!r} has no attribute {name!r}")
        return getattr(self._inner, name)


def test_self_check_falls_back_loudly_when_an_internal_is_renamed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    reader = whoosh_internals.sample_reader()
    for leaf, _ in reader.leaf_readers():
        leaf._perdoc = _Renamed(leaf._perdoc, "_cached_reader")
    with caplog.at_level(logging.WARNING, logger="index.whoosh_internals"):
        state = whoosh_internals.run_check(reader)
    assert state.startswith("fallback: AttributeError") and "_cached_reader" in state
    assert whoosh_internals.status() == state
    (record,) = caplog.records
    assert record.levelname == "WARNING" and "_cached_reader" in record.getMessage()


class _Shifted(_Renamed):
    """A per-document reader whose length column reads one byte off (a changed layout)."""

    def _cached_reader(self, *args):
        column = self._inner._cached_reader(*args)
        return None if column is None else [value + 1 for value in column]


def test_self_check_falls_back_when_a_fast_path_reads_differently() -> None:
    reader = whoosh_internals.sample_reader()
    for leaf, _ in reader.leaf_readers():
        leaf._perdoc = _Shifted(leaf._perdoc, "")
    state = whoosh_internals.run_check(reader)
    assert state == "fallback: field lengths of 'title' differ from doc_field_length"


def test_the_public_api_gives_the_same_results_as_the_fast_paths(
    corpus: SearchIndex, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    fast = _answers(corpus)
    assert fast[1][0] > 0 and any(fast[-3])  # the corpus finds things
    monkeypatch.setenv(whoosh_internals.FORCE_PUBLIC_ENV, "public")
    with caplog.at_level(logging.WARNING, logger="index.whoosh_internals"):
        assert whoosh_internals.run_check() == "fallback: SARING_WHOOSH_INTERNALS=public"
    assert "SARING_WHOOSH_INTERNALS=public" in caplog.text
    tables_module.forget_tables()
    with corpus.searcher() as searcher:
        reader = searcher.reader()
        assert len(reader.leaf_readers()) > 1 and reader.has_deletions()
        assert whoosh_internals.generation_key(reader)[0][0] == "reader"  # public path in use
        assert whoosh_internals.segment_id(reader.leaf_readers()[0][0]) is None
    assert _answers(corpus) == fast


def test_healthz_shows_whether_the_internals_are_used(
    client, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert client.get("/healthz").get_json()["whoosh_internals"] == "ok"
    monkeypatch.setenv(whoosh_internals.FORCE_PUBLIC_ENV, "public")
    whoosh_internals.run_check()
    body = client.get("/healthz").get_json()
    assert body["whoosh_internals"] == "fallback: SARING_WHOOSH_INTERNALS=public"
    assert body["status"] != "error"


def test_latest_commit_reads_the_same_generation_either_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = SearchIndex(tmp_path)
    rng = random.Random(3)
    index.rebuild([_doc(number, rng) for number in range(5)])
    index.upsert([_doc(5, rng)])
    folder = tmp_path / "current"
    fast = whoosh_internals.latest_commit(folder)
    monkeypatch.setenv(whoosh_internals.FORCE_PUBLIC_ENV, "public")
    whoosh_internals.run_check()
    assert fast >= 1 and whoosh_internals.latest_commit(folder) == fast
    assert whoosh_internals.latest_commit(tmp_path / "missing") == -1


def test_a_segment_list_keeps_its_deleted_first_documents(tmp_path: Path) -> None:
    # Whoosh's deletion filter steps past deleted documents at the start of a list; read under
    # it, a segment's list was shorter while they were deleted, so a list cached before the
    # deletion and one read after it differed, and so did the idf ranking used.
    index = SearchIndex(tmp_path)
    rng = random.Random(4)
    index.rebuild(_doc(number, rng) for number in range(1, 40))
    with index.searcher() as searcher:
        ((leaf, _),) = searcher.reader().leaf_readers()
        before = {
            (name, term): whoosh_internals.segment_postings(leaf, name, term)
            for name in ("title", "body")
            for term in ("banjir", "tarif", "pasar")
        }
        first = min(ids[0] for ids, _ in before.values() if ids)  # some list starts with it
        first_id = searcher.stored_fields(first)["id"]
    index.delete([first_id])
    with index.searcher() as searcher:
        leaf = searcher.reader().leaf_readers()[0][0]
        assert leaf.is_deleted(first)
        for (name, term), lists in before.items():
            assert whoosh_internals.segment_postings(leaf, name, term) == lists
            assert len(lists[0]) == leaf.doc_frequency(name, term)
            positions = [
                doc
                for block, _ in whoosh_internals.segment_positions(leaf, name, term)
                for doc in block
            ]
            assert positions == list(lists[0])
