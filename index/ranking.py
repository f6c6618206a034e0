"""BM25F ranking over bitsets: the top k of a set of documents, scored exactly as Whoosh does.

Each (field, term, boost) contributes idf * (K1 + 1) * boost * tf / (tf + K1 * (1 - B + B * dl /
avgdl)), with Whoosh's idf = ln(N / (df + 1)) + 1 and its byte-coded field lengths, so a page of
results is ranked as `searcher.search` would rank it (tests compare the two). Three ways to the
same answer, cheapest first:

1. a small set (up to DIRECT_LIMIT documents) is scored document by document, looking each
   term up by bisection in its cached posting list, or by walking the terms' postings when
   they are fewer (a set made of the terms' own documents, as the claim check's retrieval);
2. otherwise the candidates are the set's documents in the terms' short posting lists and in
   the champion lists (heaviest CHAMPIONS postings) of the long ones: if scoring them costs
   less than walking every posting, and the k-th best candidate beats the most any other
   document could score (the sum of the long lists' cut-off weights), the candidates hold the
   exact top k;
3. otherwise the whole set is scored, document by document or by walking every posting of
   every term, whichever costs less (WALK_COST).
"""

from __future__ import annotations

import bisect
import heapq
from math import log
from operator import add

from whoosh.reading import IndexReader

import index.tables as tables_module
from index.tables import K1, B, Membership, Postings, Tables, ids_of

DIRECT_LIMIT = 2000
# Walking one posting costs about this many times scoring one (document, term) pair by
# bisection (measured on the 100k archive: 0.76 against 0.52 microseconds).
WALK_COST = 1.5

_Prepared = tuple[Postings, float, float, float, list[int]]


def top_k(
    tables: Tables,
    reader: IndexReader,
    terms: list[tuple[str, str, float]],
    docs: int,
    k: int,
) -> list[tuple[int, float]]:
    """The best `k` documents of bitset `docs` for `terms` as (document, score), best first.

    Ties go to the lower document number. Documents matching none of the terms score 0 and
    may fill the list when fewer than `k` score above 0.
    """
    total = docs.bit_count()
    if k <= 0 or not total:
        return []
    prepared = _prepare(tables, reader, terms)
    walk = sum(len(postings.ids) for postings, *_ in prepared)
    if total <= DIRECT_LIMIT or not prepared:
        if prepared and walk * WALK_COST < total * len(prepared):
            return _walk(prepared, docs, total, k, tables.size)
        return _best(_score_each(prepared, ids_of(docs)), k)
    # Short posting lists join the candidates whole; long ones with their champions only. A
    # document outside the candidates can then score at most the long lists' cut-offs.
    # Titles come first: they are short, so a title term weighs about the same everywhere and a
    # champion list would not separate anything.
    room = max(4 * tables_module.CHAMPIONS, total * 2 // 3)
    whole, partial = [], []
    order = sorted(prepared, key=lambda entry: (entry[0].name != "title", len(entry[0].ids)))
    for entry in order:
        if len(entry[0].ids) <= room:
            whole.append(entry)
            room -= len(entry[0].ids)
        else:
            partial.append(entry)
    reachable = 0
    for postings, *_ in whole:
        reachable |= postings.bits
    for postings, *_ in partial:
        reachable |= tables.champions(postings).champion_bits
    candidates = ids_of(reachable & docs)
    if k <= len(candidates) < total and len(candidates) * len(prepared) < walk * WALK_COST:
        ranked = _best(_score_each(prepared, candidates), k)
        ceiling = sum(factor * postings.cutoff for postings, factor, *_ in partial)
        if ranked[-1][1] > ceiling:
            return ranked
    if total * len(prepared) <= walk * WALK_COST:
        return _best(_score_each(prepared, ids_of(docs)), k)
    return _walk(prepared, docs, total, k, tables.size)


def _walk(prepared: list[_Prepared], docs: int, total: int, k: int, size: int):
    """Score by walking every posting of every term, keeping the documents in `docs`."""
    member = Membership(docs, size)
    scores: dict[int, float] = {}
    for postings, factor, fixed, per_length, lengths in prepared:
        get = scores.get
        for doc, tf in zip(postings.ids, postings.tfs, strict=True):
            if doc in member:
                scores[doc] = get(doc, 0.0) + factor * tf / (tf + fixed + per_length * lengths[doc])
    ranked = _best(scores.items(), k)
    if len(ranked) < k and len(ranked) < total:  # documents in the set that match no term
        seen = {doc for doc, _ in ranked}
        extra = (doc for doc in ids_of(docs) if doc not in seen)
        ranked += [(doc, 0.0) for _, doc in zip(range(k - len(ranked)), extra, strict=False)]
    return ranked


def _prepare(
    tables: Tables, reader: IndexReader, terms: list[tuple[str, str, float]]
) -> list[_Prepared]:
    prepared: list[_Prepared] = []
    boosts: dict[tuple[str, str], float] = {}
    for name, term, boost in terms:
        if name in tables.lengths:
            boosts[(name, term)] = max(boost, boosts.get((name, term), 0.0))
    for (name, term), boost in boosts.items():
        postings = tables.postings(reader, name, term)
        if not postings.ids:
            continue
        idf = log(tables.size / (len(postings.ids) + 1)) + 1
        per_length = K1 * B / tables.average_length[name]
        prepared.append(
            (postings, idf * (K1 + 1) * boost, K1 * (1 - B), per_length, tables.lengths[name])
        )
    return prepared


def _score_each(prepared: list[_Prepared], docs: list[int]) -> list[tuple[int, float]]:
    """Score documents (ascending) term by term, finding each frequency by bisection.

    Written as comprehensions over the whole list per term, which CPython runs about twice as
    fast as a loop per document.
    """
    scores = [0.0] * len(docs)
    for postings, factor, fixed, per_length, lengths in prepared:
        ids, tfs = postings.ids, postings.tfs
        end = len(ids)
        places = [bisect.bisect_left(ids, doc) for doc in docs]
        parts = [
            factor * tfs[at] / (tfs[at] + fixed + per_length * lengths[doc])
            if at < end and ids[at] == doc
            else 0.0
            for at, doc in zip(places, docs, strict=True)
        ]
        scores = list(map(add, scores, parts))
    return list(zip(docs, scores, strict=True))


def _best(pairs, k: int) -> list[tuple[int, float]]:
    return heapq.nlargest(k, pairs, key=lambda pair: (pair[1], -pair[0]))
