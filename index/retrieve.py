"""Candidate retrieval for machines (claim check, clarification matching): free text in,
the best-matching stored documents out, ranked by BM25F over title and body.

Unlike `search`, nothing here is shown to a reader as a result list: there is no syntax at all
(every word is a plain term, OR-ed together), no highlighting, and the stored fields come back
whole so the caller can read sentences out of the body.

`retrieve_weighted` also reports how rare each query term is in the index (its BM25 idf), read in
the same searcher, so a caller can weigh words without a second trip to the index. Very common
terms ("kota", "malang") are left out of the query itself: they cannot change the ranking much,
and on a large archive their long posting lists are most of the query's cost.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3PerDocReader, _lenfield
from whoosh.columns import NumericColumn
from whoosh.query import Or, Require, Term

from index.analysis import tokens
from index.store import IndexMissing, SearchIndex

TITLE_BOOST = 2.0
# Terms found in more than this share of documents (and in more than COMMON_MIN_DOCS) stay out
# of the query; they are still weighed. On a small archive every term is queried.
COMMON_SHARE = 0.03
COMMON_MIN_DOCS = 1000
# At most this many terms go into one query, the rarest (times their weight) first.
MAX_QUERY_TERMS = 12
# Extra hits asked for when a kind is wanted, to make up for documents of other kinds.
UNFILTERED_SPARE = 5
# A kind held by fewer than this share of documents is searched among its own documents only.
RARE_KIND_SHARE = 0.2


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


@dataclass
class Retrieval:
    """Candidates for weighted terms, plus each term's idf and the index size."""

    candidates: list[Candidate] = field(default_factory=list)
    idf: dict[str, float] = field(default_factory=dict)
    documents: int = 0


def retrieve(
    index: SearchIndex,
    text: str,
    *,
    kind: str | None = "release",
    limit: int = 20,
    prune: bool = True,
) -> list[Candidate]:
    """The `limit` documents of `kind` (any kind when None) best matching the words of `text`.

    With `prune` False every word is queried (plain BM25F, slow on a large archive).
    """
    terms = list(dict.fromkeys(tokens(text)))
    if not terms:
        return []
    try:
        with index.searcher() as searcher:
            chosen = _query_terms(searcher, {t: 1.0 for t in terms}) if prune else terms
            if not chosen:
                return []
            words = Or(
                [Term("title", t, boost=TITLE_BOOST) for t in chosen]
                + [Term("body", t) for t in chosen]
            )
            return _search_kind(searcher, words, kind, limit)
    except IndexMissing:
        return []


def idf(documents: int, frequency: int) -> float:
    """BM25's inverse document frequency (always positive, even for an empty index)."""
    documents = max(documents, frequency)
    return math.log(1.0 + (documents - frequency + 0.5) / (frequency + 0.5))


def retrieve_weighted(
    index: SearchIndex,
    terms: Mapping[str, float],
    *,
    kind: str | None = "release",
    limit: int = 20,
) -> Retrieval:
    """Best documents for analysed `terms` (term -> query weight), and every term's idf."""
    wanted = {t: w for t, w in terms.items() if t and w > 0}
    if not wanted:
        return Retrieval()
    try:
        with index.searcher() as searcher:
            _lengths_in_memory(searcher)
            documents = searcher.doc_count()
            frequency = _frequencies(searcher, wanted)
            weights = {t: idf(documents, f) for t, f in frequency.items()}
            chosen = _query_terms(searcher, wanted, frequency)
            if not chosen:
                return Retrieval([], weights, documents)
            words = Or(
                [Term("title", t, boost=TITLE_BOOST * wanted[t]) for t in chosen]
                + [Term("body", t, boost=wanted[t]) for t in chosen]
            )
            return Retrieval(_search_kind(searcher, words, kind, limit), weights, documents)
    except IndexMissing:
        return Retrieval()


def _lengths_in_memory(searcher) -> None:
    """Hold the title and body length of every document in memory while `searcher` lives.

    BM25F reads a document's field length for each posting it scores, and Whoosh 2.7 reads it
    from the length column one byte at a time (a seek and a read each): a fifth of a query's time
    on a large archive. Here each segment's column is read in one go instead; the bytes, and so
    the scores, are the same. Left as it is where a reader is not laid out as Whoosh 2.7's.
    """
    for leaf, _ in searcher.leaf_searchers():
        lengths = getattr(leaf.reader(), "_perdoc", None)
        if not isinstance(lengths, W3PerDocReader):
            continue
        for fieldname in ("title", "body"):
            name = _lenfield(fieldname)
            column = lengths._cached_reader(name, LENGTHS_COLUMN)
            if isinstance(column, NumericColumn.Reader) and column._fixedlen == 1:
                read = column._dbfile.get(column._basepos, min(column._count, column._doccount))
                lengths._readers[name] = read.ljust(column._doccount, column._defaultbytes)


def _frequencies(searcher, terms: Mapping[str, float]) -> dict[str, int]:
    """Documents holding each term, in the title or the body."""
    return {
        t: max(searcher.doc_frequency("body", t), searcher.doc_frequency("title", t)) for t in terms
    }


def _query_terms(
    searcher, wanted: Mapping[str, float], frequency: Mapping[str, int] | None = None
) -> list[str]:
    """The terms worth querying: known, not too common, the rarest (times weight) first."""
    frequency = frequency if frequency is not None else _frequencies(searcher, wanted)
    documents = searcher.doc_count()
    common = max(COMMON_SHARE * documents, COMMON_MIN_DOCS)
    chosen = [t for t in wanted if 0 < frequency[t] <= common]
    if not chosen:  # only common words: query the least common few of them
        chosen = sorted((t for t in wanted if frequency[t]), key=lambda t: (frequency[t], t))[:3]
    # ties broken by the term itself: the same query in every process, whatever `wanted`'s order
    chosen.sort(key=lambda t: (-wanted[t] * idf(documents, frequency[t]), t))
    return chosen[:MAX_QUERY_TERMS]


def _search_kind(searcher, query, kind: str | None, limit: int) -> list[Candidate]:
    """The best `limit` hits of one kind.

    Nearly every document is a release, so release hits are first taken unfiltered (a filter
    makes Whoosh build a set of every matching id, most of the cost on a large index) and only
    when too many of them are of another kind is the query run again with the filter.
    """
    if kind is None:
        return [_candidate(hit) for hit in searcher.search(query, limit=limit)]
    if searcher.doc_frequency("kind", kind) < RARE_KIND_SHARE * searcher.doc_count():
        # A rare kind (clarifications among many releases): walk only its documents. Require
        # scores by the words alone; Whoosh's quality-skipping must stay off for it (it trips
        # an assertion inside Whoosh 2.7 on this matcher).
        required = Require(query, Term("kind", kind))
        return [_candidate(hit) for hit in searcher.search(required, limit=limit, optimize=False)]
    hits = searcher.search(query, limit=limit + UNFILTERED_SPARE)
    found = [_candidate(hit) for hit in hits if hit.get("kind", "release") == kind]
    if len(found) >= limit or len(hits) < limit + UNFILTERED_SPARE:
        return found[:limit]
    hits = searcher.search(query, limit=limit, filter=_kind_filter(kind))
    return [_candidate(hit) for hit in hits]


def _kind_filter(kind: str | None) -> Term | None:
    """Restrict results to one kind of document.

    A filter, not ``And([words, Term("kind", kind)])``: Whoosh 2.7 scores such an intersection
    wrongly (the best match can drop out of a short result list), while a filter leaves the
    BM25F scores of the words alone.
    """
    return Term("kind", kind) if kind else None


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
