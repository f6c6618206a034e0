"""The claim check: a pasted message in, what the official record says about it out.

`check_text` cleans the message (`verify.normalise`), splits it into claims (`verify.claims`),
and for each claim retrieves candidate releases, reads their sentences (`verify.evidence`) and
compares facts (`verify.compare`). Each claim gets a verdict:

- SUPPORTED: the release that best addresses the claim states the same facts;
- CONTRADICTED: it states one of them otherwise (another amount, date, place, a negation ...);
- NOT_FOUND: no release addresses the claim well enough (a calibrated relevance threshold).

The machine never calls anything a hoax: it reports what the official record says. Releases on
the same matter are ranked newest first, and every piece of evidence carries its publication
date. The whole message gets a verdict too: CONTRADICTED if any claim is, SUPPORTED if any claim
is supported, otherwise NOT_FOUND. Nothing here stores what was checked.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from index.store import WIB, SearchIndex
from verify.claims import split_claims
from verify.compare import ClaimView, Comparison, Difference, compare_release
from verify.evidence import ReleaseText, analyse, claim_weights, find_candidates, read_release
from verify.facts import MONTH_NAMES, Fact, describe_value, extract_facts
from verify.normalise import normalise_message

log = logging.getLogger(__name__)

MAX_CHARS = 5000
# Candidate releases read per claim, and how many different releases the evidence shows.
CANDIDATES = 8
EVIDENCE_RELEASES = 5
SENTENCES_PER_RELEASE = 2
SENTENCES_FIRST_RELEASE = 3
# Releases compared fact by fact: at most this many, within this much relevance of the best.
FACT_RELEASES = 4
CLOSE_RELEVANCE = 0.25


class Verdict(StrEnum):
    """What the official record says about a claim."""

    SUPPORTED = "SUPPORTED"
    CONTRADICTED = "CONTRADICTED"
    NOT_FOUND = "NOT_FOUND"


@dataclass(frozen=True)
class Thresholds:
    """The calibrated cut-offs of the verdict (see verify.evaluate --calibrate)."""

    found: float = 0.55  # relevance a release needs to address a claim at all
    conflict: float = 0.375  # strength of a difference that makes a claim CONTRADICTED
    same_matter: float = 0.04  # releases this close in relevance are on the same matter
    match_bonus: float = 0.04  # added to relevance per confirmed fact (up to four)


DEFAULT_THRESHOLDS = Thresholds()


class CheckInputError(ValueError):
    """The text cannot be checked: empty, only noise, or too long. `message` is Indonesian."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Evidence:
    """One official sentence shown for a claim."""

    release_id: str
    url: str
    title: str
    opd: str
    published: datetime | None
    sentence: str
    relation: str  # supports, contradicts or related
    differences: list[dict[str, str]]
    score: float
    status: str

    def to_json(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return {
            "release_id": self.release_id,
            "url": self.url,
            "title": self.title,
            "opd": self.opd,
            "published": self.published.astimezone(WIB).isoformat() if self.published else None,
            "sentence": self.sentence,
            "relation": self.relation,
            "differences": self.differences,
            "score": round(self.score, 3),
            "status": self.status,
        }


@dataclass
class ClaimCheck:
    """The result for one claim of a message."""

    text: str
    facts: list[Fact]
    verdict: Verdict
    confidence: float
    explanation: str
    evidence: list[Evidence]
    relevance: float = 0.0

    def to_json(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return {
            "text": self.text,
            "verdict": self.verdict.value,
            "confidence": round(self.confidence, 2),
            "explanation": self.explanation,
            "facts": [f.to_json() for f in self.facts if f.kind != "negation"],
            "evidence": [e.to_json() for e in self.evidence],
        }


@dataclass
class CheckResult:
    """The result for a whole message: a verdict overall and one per claim."""

    text: str
    cleaned: str
    removed: list[str]
    claims: list[ClaimCheck]
    verdict: Verdict
    confidence: float
    explanation: str
    evidence: list[Evidence]
    clarifications: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready fields (the API's response body)."""
        return {
            "text": self.text,
            "cleaned": self.cleaned,
            "removed": self.removed,
            "verdict": self.verdict.value,
            "confidence": round(self.confidence, 2),
            "explanation": self.explanation,
            "evidence": [e.to_json() for e in self.evidence],
            "claims": [c.to_json() for c in self.claims],
            "clarifications": self.clarifications,
        }


@dataclass
class PreparedClaim:
    """One claim with its facts and its comparison against each candidate release."""

    text: str
    facts: list[Fact]
    comparisons: list[Comparison]


@dataclass
class PreparedMessage:
    """Everything a verdict needs, computed once: thresholds are applied by `decide`."""

    text: str
    cleaned: str
    removed: list[str]
    claims: list[PreparedClaim]


def check_text(
    index: SearchIndex,
    text: str,
    *,
    now: datetime | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    with_clarifications: bool = True,
) -> CheckResult:
    """Check every claim in `text` against the releases in `index`; see the module docstring.

    Raises CheckInputError for empty or too long input.
    """
    prepared = prepare(index, text, now=now)
    result = decide(prepared, thresholds)
    if with_clarifications:
        result.clarifications = _clarifications(index, prepared.cleaned)
    return result


def validate(text: str) -> str:
    """The text when it can be checked; CheckInputError (empty or too long) otherwise."""
    text = text or ""
    if len(text) > MAX_CHARS:
        raise CheckInputError(
            "too_long",
            f"Teks terlalu panjang: {len(text):,} karakter, paling banyak {MAX_CHARS:,}. "
            "Tempelkan bagian pesan yang ingin diperiksa saja.".replace(",", "."),
        )
    if not text.strip():
        raise CheckInputError("empty", "Tuliskan atau tempelkan klaim yang ingin diperiksa.")
    return text


def prepare(index: SearchIndex, text: str, *, now: datetime | None = None) -> PreparedMessage:
    """Clean and split the message, then compare each claim with its candidate releases."""
    text = validate(text)
    now = (now or datetime.now(WIB)).astimezone(WIB)
    cleaned = normalise_message(text)
    claims = split_claims(cleaned.text)
    if not claims:
        raise CheckInputError(
            "empty",
            "Pesan ini tidak berisi klaim yang bisa diperiksa (hanya tanda baca, emoji, tautan "
            "atau ajakan menyebarkan).",
        )
    analysed = [analyse(claim) for claim in claims]
    prepared = []
    for number, claim in enumerate(claims):
        context = [t for i, tokens in enumerate(analysed) if i != number for t in tokens]
        facts = extract_facts(claim, reference=now)
        retrieval = find_candidates(index, analysed[number], context, limit=CANDIDATES)
        weights = claim_weights(analysed[number], facts, retrieval)
        view = ClaimView(claim, analysed[number], facts, weights)
        comparisons = compare_candidates(view, [read_release(c) for c in retrieval.candidates])
        prepared.append(PreparedClaim(claim, facts, comparisons))
    return PreparedMessage(text, cleaned.text, cleaned.removed, prepared)


def compare_candidates(view: ClaimView, releases: list[ReleaseText]) -> list[Comparison]:
    """Compare the claim with each release; facts only for those that could decide the verdict.

    A release whose relevance is far below the best one's cannot become the deciding release
    (confirmed facts add at most 4 x match_bonus), so it is only measured, not read closely.
    """
    measured = [compare_release(view, r, with_facts=False) for r in releases]
    best = max((c.relevance for c in measured), default=0.0)
    ordered = sorted(range(len(releases)), key=lambda i: measured[i].relevance, reverse=True)
    close = {i for i in ordered[:FACT_RELEASES] if measured[i].relevance >= best - CLOSE_RELEVANCE}
    return [
        compare_release(view, releases[i]) if i in close else measured[i]
        for i in range(len(releases))
    ]


def decide(prepared: PreparedMessage, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> CheckResult:
    """Apply the thresholds: verdict, confidence, explanation and evidence per claim and overall."""
    checks = [_decide_claim(claim, thresholds) for claim in prepared.claims]
    verdict, confidence, explanation = _overall(checks)
    return CheckResult(
        text=prepared.text,
        cleaned=prepared.cleaned,
        removed=prepared.removed,
        claims=checks,
        verdict=verdict,
        confidence=confidence,
        explanation=explanation,
        evidence=_merged_evidence(checks),
    )


def _decide_claim(claim: PreparedClaim, thresholds: Thresholds) -> ClaimCheck:
    text, facts = claim.text, claim.facts
    ranked = rank(claim.comparisons, thresholds)
    if not ranked:
        return ClaimCheck(text, facts, Verdict.NOT_FOUND, 0.9, _not_found_text(), [], 0.0)
    first = ranked[0]
    score = _address_score(first, thresholds)
    if score < thresholds.found:
        verdict = Verdict.NOT_FOUND
        confidence = 0.5 + 0.5 * min(1.0, (thresholds.found - score) / thresholds.found + 0.2)
        explanation = _not_found_text()
    elif first.conflict >= thresholds.conflict:
        verdict = Verdict.CONTRADICTED
        confidence = min(0.97, 0.5 + 0.5 * first.conflict + 0.2 * (score - thresholds.found))
        explanation = _contradicted_text(first)
    else:
        verdict = Verdict.SUPPORTED
        confidence = min(
            0.97,
            0.45
            + 0.6 * (score - thresholds.found)
            + 0.05 * len(first.matches)
            - 0.3 * first.conflict,
        )
        explanation = _supported_text(first)
    evidence = _evidence(ranked, verdict)
    return ClaimCheck(
        text, facts, verdict, max(0.05, confidence), explanation, evidence, first.relevance
    )


def _address_score(comparison: Comparison, thresholds: Thresholds) -> float:
    """How well a release addresses the claim: relevance, plus a little per confirmed fact."""
    return comparison.relevance + thresholds.match_bonus * min(len(comparison.matches), 4)


def rank(
    comparisons: list[Comparison], thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> list[Comparison]:
    """Order releases by how well they address the claim; on the same matter, newest first."""
    scored = sorted(comparisons, key=lambda c: _address_score(c, thresholds), reverse=True)
    if not scored:
        return []
    best = _address_score(scored[0], thresholds)
    same = [c for c in scored if best - _address_score(c, thresholds) <= thresholds.same_matter]
    if len(same) > 1:
        # Near ties: the release that speaks to more of the claim's facts, then the newest.
        oldest = datetime.min.replace(tzinfo=WIB)
        same.sort(key=lambda c: (c.engaged, c.release.candidate.published or oldest), reverse=True)
        rest = [c for c in scored if c not in same]
        return same + rest
    return scored


def _evidence(ranked: list[Comparison], verdict: Verdict) -> list[Evidence]:
    found: list[Evidence] = []
    for number, comparison in enumerate(ranked[:EVIDENCE_RELEASES]):
        release = comparison.release
        if comparison.release_coverage <= 0:
            continue
        limit = SENTENCES_FIRST_RELEASE if number == 0 else SENTENCES_PER_RELEASE

        def order(sentence, comparison=comparison):
            relation = comparison.relation(sentence)
            weight = {"contradicts": 2, "supports": 1}.get(relation, 0)
            return (weight, comparison.sentence_coverage.get(sentence.position, 0.0))

        body = [s for s in release.sentences if s.position > 0] or release.sentences
        chosen = sorted(body, key=order, reverse=True)[:limit]
        title = release.sentences[0] if release.sentences else None
        if (
            title is not None
            and title not in chosen
            and comparison.relation(title) != "related"
            and (
                comparison.relation(title) == "contradicts"
                or all(comparison.relation(s) == "related" for s in chosen)
            )
        ):
            # the headline states the facts: alone, or as the one place a fact differs
            chosen = [title, *chosen[: limit - 1]]
        candidate = release.candidate
        for sentence in chosen:
            relation = comparison.relation(sentence)
            if verdict is Verdict.NOT_FOUND or (
                number > 0 and relation == "supports" and verdict is Verdict.CONTRADICTED
            ):
                relation = "related"
            if number > 0 and relation == "contradicts" and verdict is not Verdict.CONTRADICTED:
                relation = "related"
            found.append(
                Evidence(
                    release_id=candidate.id,
                    url=candidate.url,
                    title=candidate.title,
                    opd=candidate.opd,
                    published=candidate.published,
                    sentence=sentence.text,
                    relation=relation,
                    differences=[d.to_json() for d in comparison.differences_in(sentence)]
                    if relation == "contradicts"
                    else [],
                    score=comparison.sentence_coverage.get(sentence.position, 0.0),
                    status=candidate.status,
                )
            )
    return found


# -- explanations (Indonesian) --------------------------------------------------------------

_KIND_LABEL = {
    "money": "nilai",
    "quantity": "jumlah",
    "percent": "angka",
    "date": "waktu",
    "day": "hari",
    "time": "jam",
    "place": "lokasi",
    "role": "jabatan",
    "agency": "instansi",
    "ordinal": "urutan",
    "phone": "nomor",
    "regulation": "aturan",
    "modality": "ketentuan",
}


def _tanggal(moment: datetime | None) -> str:
    if moment is None:
        return "tanpa tanggal"
    local = moment.astimezone(WIB)
    return f"{local.day} {MONTH_NAMES[local.month - 1]} {local.year}"


def _source(comparison: Comparison) -> str:
    candidate = comparison.release.candidate
    return (
        f"Rilis resmi {candidate.opd or 'Pemerintah Kota Malang'} ({_tanggal(candidate.published)})"
    )


def _strongest(comparison: Comparison) -> Difference:
    return max(comparison.differences, key=lambda d: d.strength)


def _contradicted_text(comparison: Comparison) -> str:
    difference = _strongest(comparison)
    if difference.kind == "negation":
        return (
            f"{_source(comparison)} menyatakan hal yang berbeda: “{difference.official}”, "
            f"sedangkan klaim menyebut “{difference.claim}”."
        )
    label = _KIND_LABEL.get(difference.kind, "fakta")
    return (
        f"{_source(comparison)} menyebut {label} {difference.official}, "
        f"berbeda dengan klaim ({difference.claim})."
    )


def _supported_text(comparison: Comparison) -> str:
    shown = []
    for match in sorted(comparison.matches, key=lambda m: m.strength, reverse=True):
        if match.official is not None and match.claim.kind not in {"negation", "modality"}:
            value = describe_value(match.official)
            if value not in shown:
                shown.append(value)
    if shown:
        return (
            f"{_source(comparison)} sejalan dengan klaim ini dan menyebut {', '.join(shown[:3])}."
        )
    return f"{_source(comparison)} memuat pernyataan yang sejalan dengan klaim ini."


def _not_found_text() -> str:
    return (
        "Belum ada rilis resmi di arsip yang membahas klaim ini. "
        "Itu tidak berarti klaim benar atau salah; tunggu keterangan resmi atau periksa "
        "sumber lain."
    )


def _overall(checks: list[ClaimCheck]) -> tuple[Verdict, float, str]:
    if len(checks) == 1:
        only = checks[0]
        return only.verdict, only.confidence, only.explanation
    counts = {v: [c for c in checks if c.verdict is v] for v in Verdict}
    summary = (
        f"Pesan ini memuat {len(checks)} klaim: {len(counts[Verdict.SUPPORTED])} sejalan dengan "
        f"rilis resmi, {len(counts[Verdict.CONTRADICTED])} berbeda, "
        f"{len(counts[Verdict.NOT_FOUND])} tidak dibahas rilis resmi."
    )
    for verdict in (Verdict.CONTRADICTED, Verdict.SUPPORTED):
        if counts[verdict]:
            lead = max(counts[verdict], key=lambda c: c.confidence)
            return verdict, lead.confidence, f"{summary} {lead.explanation}"
    return Verdict.NOT_FOUND, min(c.confidence for c in checks), f"{summary} {_not_found_text()}"


def _merged_evidence(checks: list[ClaimCheck]) -> list[Evidence]:
    if len(checks) == 1:
        return checks[0].evidence
    order = {"contradicts": 0, "supports": 1, "related": 2}
    merged: list[Evidence] = []
    seen: set[tuple[str, str]] = set()
    for check in checks:
        for item in check.evidence:
            key = (item.release_id, item.sentence)
            if key not in seen:
                seen.add(key)
                merged.append(item)
    return sorted(merged, key=lambda e: order[e.relation])


def _clarifications(index: SearchIndex, text: str) -> list[dict[str, Any]]:
    """Published clarifications matching the message (empty until that module exists)."""
    try:
        from verify.clarifications import find_clarifications
    except ImportError:
        return []
    try:
        return find_clarifications(index, text)
    except Exception:  # a clarification lookup must never sink the check itself
        log.exception("clarification lookup failed")
        return []
