"""Candidate retrieval for the claim check on a real Whoosh index: its scores are Whoosh's own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from whoosh.query import Or, Term

from index.retrieve import TITLE_BOOST, _query_terms, idf, retrieve_weighted
from index.store import IndexDoc, SearchIndex

WORDS = "sampah bank pasar banjir jalan sekolah vaksin pajak angkot taman".split()


def _release(number: int, words: int) -> IndexDoc:
    """A release whose title and body lengths differ from its neighbours'."""
    body = " ".join(WORDS[(number + i) % len(WORDS)] for i in range(words))
    return IndexDoc(
        id=str(number),
        url=f"https://malangkota.go.id/rilis/{number}/",
        title=" ".join(WORDS[number % len(WORDS) : number % len(WORDS) + 1 + number % 3]),
        body=f"Kota Malang {body}.",
        opd="Diskominfo",
        source="malangkota",
        categories=["Berita"],
        tags=[],
        published=datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=number),
        modified=None,
    )


@pytest.fixture()
def index(tmp_path: Path) -> SearchIndex:
    """Three commits (three segments unless Whoosh merges them), one release edited."""
    built = SearchIndex(tmp_path / "index")
    built.upsert([_release(n, 3 + n * 7 % 40) for n in range(0, 30)])
    built.upsert([_release(n, 5 + n * 11 % 60) for n in range(30, 60)])
    built.upsert([_release(7, 90)])  # replaced: its old version is deleted in the first segment
    return built


def test_candidate_scores_equal_whooshs_own_reading(index: SearchIndex) -> None:
    terms = {"sampah": 1.0, "banjir": 0.5, "vaksin": 1.0, "taman": 0.3}
    found = retrieve_weighted(index, terms, kind="release", limit=60)
    with index.searcher() as searcher:  # a searcher that reads lengths the way Whoosh does
        documents = searcher.doc_count()

        def rarity(term: str) -> float:  # the query's order: rarest (times weight) first
            frequency = max(searcher.doc_frequency(f, term) for f in ("title", "body"))
            return terms[term] * idf(documents, frequency)

        order = sorted(terms, key=rarity, reverse=True)
        query = Or(
            [Term("title", t, boost=TITLE_BOOST * terms[t]) for t in order]
            + [Term("body", t, boost=terms[t]) for t in order]
        )
        hits = searcher.search(query, limit=60)
        expected = {hit["id"]: hit.score for hit in hits}
        ranked = [hit["id"] for hit in hits]
    assert len(expected) > 20
    scores = {c.id: c.score for c in found.candidates}
    assert scores == pytest.approx(expected, rel=1e-9)
    assert [c.id for c in found.candidates] == ranked  # ties too: the lower document first


def test_the_query_is_the_same_whatever_order_the_terms_come_in(index: SearchIndex) -> None:
    # Fourteen equally weighted, equally rare words: which twelve are queried, and in what
    # order, must not depend on the order of a dict built from a set (that order changes from
    # one process to the next, so two gunicorn workers would answer the same claim differently).
    words = [f"kata{n:02d}" for n in range(14)]
    frequency = dict.fromkeys(words, 5)
    with index.searcher() as searcher:
        forward = _query_terms(searcher, dict.fromkeys(words, 1.0), frequency)
        backward = _query_terms(searcher, dict.fromkeys(reversed(words), 1.0), frequency)
    assert forward == backward == words[:12]
