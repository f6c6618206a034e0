"""Recognise a rumour that Diskominfo has already clarified, even when it is reworded.

Candidates come from the search index (`index.retrieve.retrieve`, kind "clarification"); BM25
scores are not comparable between queries, so each candidate is then kept or dropped by a
word-overlap test on the analysed terms (stemmed, stop words removed): enough of the claim's
words must appear in the clarification, and enough of the rumour's own words (its headline and
the text as it circulated) must appear in the claim. Only published clarifications are in the
index, so a draft or a withdrawn clarification is never matched.

A clarification answers one version of a matter. A claim on the same matter that sides with
the clarification's own account rather than with the rumour ("tarif angkot tetap Rp5 ribu"
against the rumour "naik jadi Rp15 ribu") still matches, with ``stance`` "opposes": the label
is about the rumour, not about this claim (`stance_towards`).

How a clarification is laid out as an index document (and read back) is fixed in
`index.clarifications`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from index.analysis import tokens
from index.clarifications import headline, split_body
from index.retrieve import Candidate, retrieve
from index.store import WIB, IndexMissing, SearchIndex
from verify.facts import Fact, extract_facts

try:  # the claim checker's message cleaning (chat spelling, forwarded-message noise)
    from verify.normalise import normalise_message

    def _clean(text: str) -> str:
        return normalise_message(text).text

except ImportError:  # pragma: no cover - cleaning is a bonus, matching works without it

    def _clean(text: str) -> str:
        return text


# Share of the claim's distinct terms found anywhere in the clarification.
MIN_CLAIM_COVERAGE = 0.5
# Share of the rumour's distinct terms (headline + circulated text) found in the claim.
MIN_RUMOUR_COVERAGE = 0.25
# A match always needs this many shared rumour terms (fewer only when the claim is shorter).
MIN_SHARED_TERMS = 3
# How many index candidates are examined before the overlap test.
CANDIDATES = 10

# Kinds of fact whose value tells one account of a matter from another.
VALUE_KINDS = frozenset({"money", "quantity", "percent", "date", "time"})

VERDICT_WORDS = frozenset(
    tokens("hoaks hoax disinformasi misinformasi menyesatkan fakta klarifikasi")
)


def rumour_terms(text: str) -> set[str]:
    """The analysed terms of a rumour after cleaning chat noise (used to group reports too)."""
    return set(tokens(_clean(text or ""))) - VERDICT_WORDS


def find_clarifications(index: SearchIndex, text: str, limit: int = 3) -> list[dict[str, Any]]:
    """Return up to `limit` published clarifications matching `text`, best first, JSON-ready.

    Each dict holds slug, url, verdict, rumour, summary, published (ISO 8601), score (0-1) and
    stance: "repeats" when the text tells the rumour, "opposes" when it sides with the
    clarification's own account against it, "differs" when it gives other values than both
    (`stance_towards`).
    """
    cleaned = _clean(text or "")
    claim = rumour_terms(text)
    if not claim or limit < 1:
        return []
    candidates = retrieve(index, cleaned, kind="clarification", limit=CANDIDATES)
    if not candidates:
        return []
    weight = _rarity(index, claim | {t for c in candidates for t in _rumour_terms(c)})
    found = []
    for candidate in candidates:
        similarity = overlap_score(claim, candidate, weight)
        if similarity is not None:
            found.append((similarity, candidate))
    found.sort(key=lambda pair: pair[0], reverse=True)
    facts = extract_facts(cleaned) if found else []
    return [
        {**_as_dict(candidate, similarity),
         "stance": stance_towards(facts, candidate)}
        for similarity, candidate in found[:limit]
    ]  # fmt: skip


def stance_towards(claim: list[Fact], candidate: Candidate) -> str:
    """How a claim's facts stand to a clarification's rumour: "repeats", "opposes" or "differs".

    "opposes" when, for some kind of value, the claim states none of the rumour's values but one
    the clarification's own text states ("tetap Rp5 ribu" where the rumour says Rp15 ribu and
    the clarification Rp5 ribu), or when it negates what the rumour asserts and the
    clarification negates it too ("tarif tidak naik"). "differs" when it states values of a kind
    that neither the rumour nor the clarification gives (UMK "Rp3,5 juta" against a FAKTA
    clarification of Rp3.736.101): the label is about another account, so it decides nothing.
    """
    summary, rumour, rest = split_body(candidate.body)
    told_text = _clean(f"{headline(candidate.title)}. {rumour}")
    told = extract_facts(told_text)
    official = extract_facts(_clean(f"{summary}\n{rest}"))
    differs = False
    for kind in VALUE_KINDS:
        claimed = _values(claim, kind)
        rumoured = _values(told, kind)
        if not claimed or not rumoured or claimed & rumoured:
            continue
        if claimed & _values(official, kind):
            return "opposes"
        differs = True
    asserted = set(tokens(told_text)) - _negated_words(told)
    if _negated_words(claim) & _negated_words(official) & asserted:
        return "opposes"
    return "differs" if differs else "repeats"


def _values(facts: list[Fact], kind: str) -> set:
    return {f.value for f in facts if f.kind == kind and not f.negated}


def _negated_words(facts: list[Fact]) -> set[str]:
    return {w for f in facts if f.kind == "negation" for w in f.value}


def overlap_score(
    claim: set[str], candidate: Candidate, weight: Callable[[str], float] = lambda _: 1.0
) -> float | None:
    """Return a similarity in (0, 1] when `candidate` passes the overlap test, else None.

    Coverage is weighted by `weight` (rarity in the index), so that "kota", "malang" or
    "gratis" count for less than "kayutangan" or "pppk".
    """
    headline, circulated = _rumoursplit_body(candidate)
    rumour_terms = headline | circulated
    summary, _, rest = split_body(candidate.body)
    all_terms = rumour_terms | set(tokens(_clean(f"{summary}\n{rest}")))
    shared_rumour = claim & rumour_terms
    if len(shared_rumour) < min(MIN_SHARED_TERMS, len(claim)):
        return None
    claim_coverage = _share(claim & all_terms, claim, weight)
    # A short claim covers little of a long forwarded message, so its headline counts too.
    rumour_coverage = max(
        _share(claim & headline, headline, weight), _share(claim & circulated, circulated, weight)
    )
    if claim_coverage < MIN_CLAIM_COVERAGE or rumour_coverage < MIN_RUMOUR_COVERAGE:
        return None
    return round((claim_coverage + rumour_coverage) / 2, 3)


def _share(part: set[str], whole: set[str], weight: Callable[[str], float]) -> float:
    total = sum(weight(t) for t in whole)
    return sum(weight(t) for t in part) / total if total else 0.0


def _rumoursplit_body(candidate: Candidate) -> tuple[set[str], set[str]]:
    """Terms of the headline and of the rumour as it circulated (verdict words left out)."""
    _, rumour, _ = split_body(candidate.body)
    title = set(tokens(_clean(headline(candidate.title)))) - VERDICT_WORDS
    return title, set(tokens(_clean(rumour))) - VERDICT_WORDS


def _rumour_terms(candidate: Candidate) -> set[str]:
    headline, circulated = _rumoursplit_body(candidate)
    return headline | circulated


def _rarity(index: SearchIndex, terms: set[str]) -> Callable[[str], float]:
    """An inverse document frequency per term over the whole index (1.0 when unknown)."""
    try:
        with index.searcher() as searcher:
            count = max(searcher.doc_count(), 1)
            frequency: Mapping[str, int] = {
                t: max(searcher.doc_frequency("title", t), searcher.doc_frequency("body", t))
                for t in terms
            }
    except IndexMissing:
        return lambda _: 1.0
    return lambda t: math.log(1 + count / (1 + frequency.get(t, 0)))


def _as_dict(candidate: Candidate, similarity: float) -> dict[str, Any]:
    summary, rumour, _ = split_body(candidate.body)
    verdict = candidate.fields.get("categories", "").split(",")[0]
    return {
        "slug": candidate.url.rstrip("/").rsplit("/", 1)[-1],
        "url": candidate.url,
        "verdict": verdict,
        "title": headline(candidate.title),
        "rumour": rumour,
        "summary": summary,
        "published": candidate.published.astimezone(WIB).isoformat()
        if candidate.published
        else None,
        "score": similarity,
    }
