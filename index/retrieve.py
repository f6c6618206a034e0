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

from whoosh.query import Or, Require, Term

from index.analysis import tokens
from index.ranking import top_k
from index.store import IndexMissing, SearchIndex
from index.tables import tables_for

TITLE_BOOST = 2.0
# Terms found in more than this share of documents (and in more than COMMON_MIN_DOCS) stay out
# of the query; they are still weighed. On a small archive every term is queried.
COMMON_SHARE = 0.03
COMMON_MIN_DOCS = 1000
# At most this many terms go into one query, the rarest (times their weight) first.
MAX_QUERY_TERMS = 12
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
            return _best_of_kind(
                searcher, _field_terms(chosen, dict.fromkeys(chosen, 1.0)), kind, limit
            )
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
            documents = searcher.doc_count()
            frequency = _frequencies(searcher, wanted)
            weights = {t: idf(documents, f) for t, f in frequency.items()}
            chosen = _query_terms(searcher, wanted, frequency)
            if not chosen:
                return Retrieval([], weights, documents)
            found = _best_of_kind(searcher, _field_terms(chosen, wanted), kind, limit)
            return Retrieval(found, weights, documents)
    except IndexMissing:
        return Retrieval()


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


def _best_of_kind(
    searcher, terms: list[tuple[str, str, float]], kind: str | None, limit: int
) -> list[Candidate]:
    """The best `limit` documents of `kind` (any kind when None) for weighted field terms.

    Ranked on the generation's tables (`index.tables`, shared with search) by the exact BM25F
    top-k of `index.ranking`, which scores as Whoosh's own search would, over the bitset of the
    documents of that kind holding any of the terms: no walk through Whoosh's matchers, whose
    Python call per posting was most of a check's time on a large archive. The first check after
    a commit builds the generation's tables (about a second on 100,000 documents) unless a search
    already has.
    """
    if kind and searcher.doc_frequency("kind", kind) < RARE_KIND_SHARE * searcher.doc_count():
        return _best_of_rare_kind(searcher, terms, kind, limit)
    tables = tables_for(searcher)
    reader = searcher.reader()
    wanted = tables.filter_bits(kind=kind) if kind else tables.live
    matched = 0
    for name, term, _ in terms:
        matched |= tables.postings(reader, name, term).bits
    ranked = top_k(tables, reader, terms, matched & wanted, limit)
    return [_candidate(searcher.stored_fields(doc), score) for doc, score in ranked]


def _best_of_rare_kind(
    searcher, terms: list[tuple[str, str, float]], kind: str, limit: int
) -> list[Candidate]:
    """The best documents of a rare kind (clarifications among many releases), by Whoosh.

    Whoosh leaps from one document of the kind to the next, reading only the posting blocks
    they sit in, where the tables would decode each term's whole list. Require scores by the
    words alone; Whoosh's quality-skipping stays off for it (it trips an assertion inside
    Whoosh 2.7 on this matcher).
    """
    words = Or([Term(name, term, boost=boost) for name, term, boost in terms])
    required = Require(words, Term("kind", kind))
    hits = searcher.search(required, limit=limit, optimize=False)
    return [_candidate(hit.fields(), hit.score or 0.0) for hit in hits]


def _field_terms(chosen: list[str], weights: Mapping[str, float]) -> list[tuple[str, str, float]]:
    """Each chosen term in the title (boosted) and in the body."""
    return [("title", t, TITLE_BOOST * weights[t]) for t in chosen] + [
        ("body", t, weights[t]) for t in chosen
    ]


def _candidate(stored: dict, score: float) -> Candidate:
    published = stored.get("published")
    if isinstance(published, datetime):
        published = published.replace(tzinfo=UTC)
    return Candidate(
        id=stored.get("id", ""),
        kind=stored.get("kind", "release"),
        score=float(score),
        url=stored.get("url", ""),
        title=stored.get("title", ""),
        body=stored.get("body", ""),
        opd=stored.get("opd", ""),
        published=published,
        status=stored.get("status", "active"),
        fields=stored,
    )
