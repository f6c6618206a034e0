"""Candidate retrieval for machines (claim check, clarification matching): free text in,
the best-matching stored documents out, ranked by BM25F over title and body.

Unlike `search`, nothing here is shown to a reader as a result list: there is no syntax at all
(every word is a plain term, OR-ed together), no highlighting, and the stored fields come back
whole so the caller can read sentences out of the body.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from whoosh.query import And, Or, Term

from index.analysis import tokens
from index.store import IndexMissing, SearchIndex

TITLE_BOOST = 2.0


@dataclass
class Candidate:
    """One stored document that matched, with its BM25F score."""

    id: str
    kind: str
    score: float
    url: str
    title: str
    body: str
    opd: str
    published: datetime | None
    status: str
    fields: dict  # every stored field, for callers that need more


def retrieve(
    index: SearchIndex, text: str, *, kind: str | None = "release", limit: int = 20
) -> list[Candidate]:
    """The `limit` documents (of `kind`, or any kind when None) that best match the words of text."""
    terms = list(dict.fromkeys(tokens(text)))
    if not terms:
        return []
    words = Or(
        [Term("title", t, boost=TITLE_BOOST) for t in terms] + [Term("body", t) for t in terms]
    )
    query = And([words, Term("kind", kind)]) if kind else words
    try:
        with index.searcher() as searcher:
            return [_candidate(hit) for hit in searcher.search(query, limit=limit)]
    except IndexMissing:
        return []


def _candidate(hit) -> Candidate:
    stored = hit.fields()
    published = stored.get("published")
    if isinstance(published, datetime):
        published = published.replace(tzinfo=UTC)
    return Candidate(
        id=stored.get("id", ""),
        kind=stored.get("kind", "release"),
        score=float(hit.score or 0.0),
        url=stored.get("url", ""),
        title=stored.get("title", ""),
        body=stored.get("body", ""),
        opd=stored.get("opd", ""),
        published=published,
        status=stored.get("status", "active"),
        fields=stored,
    )
