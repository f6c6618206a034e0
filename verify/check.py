"""The claim check: a pasted message in, what the official record says about it out.

`check_text` cleans the message (`verify.normalise`), splits it into claims (`verify.claims`),
and for each claim retrieves candidate releases, reads their sentences (`verify.evidence`) and
compares them with the claim (`verify.compare`): coverage, stance, facts. The verdict of each
claim is then

- decided by a **published clarification** when one matches the claim: its label sets the
  verdict (HOAKS, DISINFORMASI, MISINFORMASI, MENYESATKAN: CONTRADICTED; FAKTA: SUPPORTED), the
  opposite one when the claim sides with the clarification against its rumour, and none when
  the claim's figures differ from both (`verify.clarifications.stance_towards`);
- otherwise **learned**: the comparison is turned into features (`verify.features`) and a
  trained model (`verify.model`) gives the probability of each verdict; the verdict is the one
  with the lowest expected cost, so SUPPORTED needs much more evidence than the other answers:
  - SUPPORTED: an official statement makes every assertion of the claim;
  - CONTRADICTED: it states one of them otherwise (another amount, date, place, person, a
    negation), or it denies the rumour the claim repeats (evidence relation `refutes`);
  - NOT_FOUND: no release says it, whether or not a release is about the same topic.

`confidence` is the calibrated chance that the verdict is right (`verify.model`), never 100 %. The
machine never calls anything a hoax: it reports what the official record says, and only a
published clarification carries a label. Releases on the same matter are ranked newest first,
and every piece of evidence carries its publication date; evidence much older than the time the
claim speaks of is flagged. The whole message gets a verdict too: CONTRADICTED if any claim is,
SUPPORTED if every claim is, otherwise NOT_FOUND. Nothing here stores what was checked.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from archive.messages import N_, CalendarDate, Number
from index.store import WIB, SearchIndex
from verify.channels import ChannelRemark, Registry, recognise
from verify.claims import split_claims
from verify.clarifications import find_clarifications
from verify.compare import ClaimView, Comparison, Difference, compare_facts, compare_release
from verify.evidence import (
    ReleaseText,
    Sentence,
    analyse,
    claim_weights,
    find_candidates,
    read_release,
)
from verify.facts import Fact, describe_value, extract_facts
from verify.features import STALE_YEARS, claim_features, stale_years
from verify.model import VerdictModel, load_model
from verify.normalise import normalise_message
from verify.regulations import RegisterLookup, RegulationRemark, regulation_remarks
from verify.rules import RULES

log = logging.getLogger(__name__)

MAX_CHARS = 5000
# Work per message is bounded: facts compared per claim, and a wall-clock budget (seconds) after
# which the remaining claims are left unchecked and named as such.
MAX_CLAIM_FACTS = 24
BUDGET_SECONDS = 2.0
# Candidate releases read per claim, and how many different releases the evidence shows.
CANDIDATES = 8
EVIDENCE_RELEASES = 5
SENTENCES_PER_RELEASE = 2
SENTENCES_FIRST_RELEASE = 3
# Releases compared fact by fact: at most this many, within this much relevance of the best.
FACT_RELEASES = 4
CLOSE_RELEVANCE = 0.25
# Ranking: releases this close in relevance are on the same matter (then the newest first), and
# each confirmed fact (up to four) adds this much.
SAME_MATTER = 0.04
MATCH_BONUS = 0.04
# A release covering this much of a claim (its topic word included) is "on the same topic" in
# the explanation of a NOT_FOUND.
TOPIC_COVERAGE = 0.6
# Evidence older than this (in years) than the time a claim speaks of is flagged.
STALE_NOTE_YEARS = 1.0


class Verdict(StrEnum):
    """What the official record says about a claim."""

    SUPPORTED = "SUPPORTED"
    CONTRADICTED = "CONTRADICTED"
    NOT_FOUND = "NOT_FOUND"


# The verdict each label of a published clarification carries.
CLARIFICATION_VERDICTS = {
    "HOAKS": Verdict.CONTRADICTED,
    "DISINFORMASI": Verdict.CONTRADICTED,
    "MISINFORMASI": Verdict.CONTRADICTED,
    "MENYESATKAN": Verdict.CONTRADICTED,
    "FAKTA": Verdict.SUPPORTED,
}
OPPOSITE = {Verdict.SUPPORTED: Verdict.CONTRADICTED, Verdict.CONTRADICTED: Verdict.SUPPORTED}
# Confidence in a clarification's verdict: the label is Diskominfo's, but finding the right
# clarification is still a machine comparison, so it grows with the match but stays below 1.
CLARIFICATION_CONFIDENCE = (0.85, 0.1)


class CheckInputError(ValueError):
    """The text cannot be checked: empty, only noise, or too long. `message` is Indonesian, an
    `archive.messages.Message` that a page says in its reader's language."""

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
    relation: str  # supports, contradicts, refutes or related
    differences: list[dict[str, str]]
    score: float
    status: str
    document: str = ""  # the release's linked document the sentence comes from, if any

    def to_json(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return {
            "release_id": self.release_id,
            "document": self.document,
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
    basis: str = "record"  # "record" (the model read the releases) or "clarification"
    notes: list[str] = field(default_factory=list)
    probabilities: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return {
            "text": self.text,
            "verdict": self.verdict.value,
            "confidence": round(self.confidence, 2),
            "basis": self.basis,
            "explanation": self.explanation,
            "notes": self.notes,
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
    basis: str = "record"
    unchecked: list[str] = field(default_factory=list)
    channels: list[ChannelRemark] = field(default_factory=list)  # remarks, never a verdict
    regulations: list[RegulationRemark] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready fields (the API's response body)."""
        return {
            "text": self.text,
            "cleaned": self.cleaned,
            "removed": self.removed,
            "verdict": self.verdict.value,
            "confidence": round(self.confidence, 2),
            "basis": self.basis,
            "explanation": self.explanation,
            "evidence": [e.to_json() for e in self.evidence],
            "claims": [c.to_json() for c in self.claims],
            "clarifications": self.clarifications,
            "unchecked": self.unchecked,
            "channels": [r.to_json() for r in self.channels],
            "regulations": [r.to_json() for r in self.regulations],
        }


@dataclass
class PreparedClaim:
    """One claim with its comparison against each candidate release."""

    text: str
    view: ClaimView
    comparisons: list[Comparison]
    clarifications: list[dict[str, Any]] = field(default_factory=list)

    @property
    def facts(self) -> list[Fact]:
        """The claim's facts."""
        return self.view.facts


@dataclass
class PreparedMessage:
    """Everything a verdict needs, computed once: `decide` applies the model."""

    text: str
    cleaned: str
    removed: list[str]
    claims: list[PreparedClaim]
    clarifications: list[dict[str, Any]] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)


def check_text(
    index: SearchIndex,
    text: str,
    *,
    now: datetime | None = None,
    model: VerdictModel | None = None,
    with_clarifications: bool = True,
    budget: float = BUDGET_SECONDS,
    channels: Registry | None = None,
    register: RegisterLookup | None = None,
) -> CheckResult:
    """Check every claim in `text` against the releases in `index`; see the module docstring.

    With the registry of official `channels`, the result also carries remarks on the numbers,
    links and accounts of the message as pasted (`verify.channels`); with a `register`, the
    regulations the text cites get its remarks (`verify.regulations`). Raises CheckInputError
    for empty or too long input.
    """
    prepared = prepare(index, text, now=now, with_clarifications=with_clarifications, budget=budget)
    result = decide(prepared, model)
    if channels is not None:
        result.channels = recognise(text, channels, index)
    if register is not None:
        result.regulations = regulation_remarks(register, prepared.cleaned)
    return result


def validate(text: str) -> str:
    """The text when it can be checked; CheckInputError (empty or too long) otherwise."""
    text = text or ""
    if len(text) > MAX_CHARS:
        raise CheckInputError(
            "too_long",
            N_(
                "Teks terlalu panjang: %(count)s karakter, paling banyak %(most)s. Tempelkan "
                "bagian pesan yang ingin diperiksa saja.",
                count=Number(len(text)),
                most=Number(MAX_CHARS),
            ),
        )
    if not text.strip():
        raise CheckInputError("empty", N_("Tuliskan atau tempelkan klaim yang ingin diperiksa."))
    return text


def prepare(
    index: SearchIndex,
    text: str,
    *,
    now: datetime | None = None,
    with_clarifications: bool = True,
    budget: float = BUDGET_SECONDS,
) -> PreparedMessage:
    """Clean and split the message, then compare each claim with its candidate releases.

    The first claim is always checked; a later one only while the `budget` (seconds) lasts.
    """
    started = time.monotonic()
    text = validate(text)
    now = (now or datetime.now(WIB)).astimezone(WIB)
    cleaned = normalise_message(text)
    claims = split_claims(cleaned.text)
    if not claims:
        raise CheckInputError(
            "empty",
            N_(
                "Pesan ini tidak berisi klaim yang bisa diperiksa (hanya tanda baca, emoji, "
                "tautan atau ajakan menyebarkan)."
            ),
        )
    analysed = [analyse(claim) for claim in claims]
    message = _clarifications(index, cleaned.text) if with_clarifications else []
    prepared = []
    unchecked: list[str] = []
    for number, claim in enumerate(claims):
        if number and time.monotonic() - started > budget:
            unchecked = claims[number:]
            log.warning("check budget spent: %d of %d claims left unchecked", len(unchecked),
                        len(claims))  # fmt: skip
            break
        context = [t for i, tokens in enumerate(analysed) if i != number for t in tokens]
        facts = extract_facts(claim, reference=now)[:MAX_CLAIM_FACTS]
        retrieval = find_candidates(index, analysed[number], context, limit=CANDIDATES)
        weights = claim_weights(analysed[number], facts, retrieval)
        detail = claim_weights(analysed[number], [], retrieval)
        view = ClaimView(claim, analysed[number], facts, weights, detail)
        comparisons = compare_candidates(view, [read_release(c) for c in retrieval.candidates])
        # A claim of a longer message is looked up on its own only when the whole message
        # found a clarification at all (the lookup costs as much as the claim's own retrieval).
        matched = _clarifications(index, claim) if message and len(claims) > 1 else []
        prepared.append(PreparedClaim(claim, view, comparisons, matched))
    if len(prepared) == 1:
        prepared[0].clarifications = message
    return PreparedMessage(text, cleaned.text, cleaned.removed, prepared, message, unchecked)


def compare_candidates(view: ClaimView, releases: list[ReleaseText]) -> list[Comparison]:
    """Compare the claim with each release; facts only for those that could decide the verdict.

    A release whose relevance is far below the best one's cannot become the deciding release
    (confirmed facts add at most 4 x MATCH_BONUS), so it is only measured, not read closely.
    """
    measured = [compare_release(view, r, with_facts=False) for r in releases]
    best = max((c.relevance for c in measured), default=0.0)
    ordered = sorted(range(len(releases)), key=lambda i: measured[i].relevance, reverse=True)
    for i in ordered[:FACT_RELEASES]:
        if measured[i].relevance >= best - CLOSE_RELEVANCE:
            compare_facts(view, measured[i])
    return measured


def decide(prepared: PreparedMessage, model: VerdictModel | None = None) -> CheckResult:
    """Verdict, confidence, explanation and evidence per claim and for the whole message."""
    model = model or load_model()
    checks = [decide_claim(claim, model) for claim in prepared.claims]
    verdict, confidence, explanation = _overall(checks)
    if prepared.unchecked:
        # Claims left unchecked are not confirmed: the message as a whole cannot be SUPPORTED.
        left = N_(
            "%(count)s klaim terakhir tidak sempat diperiksa; kirim bagian itu secara terpisah.",
            count=Number(len(prepared.unchecked)),
        )
        if verdict is Verdict.SUPPORTED:
            verdict = Verdict.NOT_FOUND
            explanation = N_(
                "Bagian pesan yang sempat diperiksa sejalan dengan rilis resmi, tetapi pesan ini "
                "belum dapat dinyatakan sejalan seluruhnya: %(left)s",
                left=left,
            )
        else:
            explanation = _then(explanation, left)
    basis = "record"
    ruling = _clarification_verdict(prepared.clarifications)
    if ruling is not None and (verdict is not Verdict.CONTRADICTED or ruling[0] is verdict):
        # A published clarification about the whole message outranks the machine's reading.
        verdict, confidence, item = ruling
        explanation = _clarification_text(item)
        basis = "clarification"
    elif all(c.basis == "clarification" for c in checks):
        basis = "clarification"
    return CheckResult(
        text=prepared.text,
        cleaned=prepared.cleaned,
        removed=prepared.removed,
        claims=checks,
        verdict=verdict,
        confidence=confidence,
        explanation=explanation,
        evidence=_merged_evidence(checks),
        clarifications=prepared.clarifications,
        basis=basis,
        unchecked=prepared.unchecked,
    )


def decide_claim(claim: PreparedClaim, model: VerdictModel) -> ClaimCheck:
    """The verdict of one claim: a matching clarification's label, else the model's."""
    ranked = rank(claim.comparisons)
    features = claim_features(claim.view, ranked)
    probabilities = model.probabilities(features)
    verdict = Verdict(model.decide(probabilities))
    confidence = model.confidence(probabilities, verdict.value)
    deciding = _deciding(ranked, verdict)
    evidence = _evidence(ranked, deciding, verdict)
    explanation = _explanation(verdict, deciding, claim)
    notes = _notes(claim, deciding, verdict)
    check = ClaimCheck(
        claim.text, claim.facts, verdict, confidence, explanation, evidence,
        ranked[0].relevance if ranked else 0.0, "record", notes, probabilities,
    )  # fmt: skip
    ruling = _clarification_verdict(claim.clarifications)
    if ruling is not None:
        check.verdict, check.confidence, item = ruling
        check.explanation = _clarification_text(item)
        check.basis = "clarification"
        if check.verdict is not verdict:
            check.evidence = _evidence(ranked, deciding, check.verdict)
    return check


def rank(comparisons: list[Comparison]) -> list[Comparison]:
    """Order releases by how well they address the claim; on the same matter, newest first."""

    def score(comparison: Comparison) -> float:
        return comparison.relevance + MATCH_BONUS * min(len(comparison.matches), 4)

    scored = sorted(comparisons, key=score, reverse=True)
    if not scored:
        return []
    best = score(scored[0])
    same = [c for c in scored if best - score(c) <= SAME_MATTER]
    if len(same) > 1:
        # Near ties: the release that speaks to more of the claim's facts, then the newest.
        oldest = datetime.min.replace(tzinfo=WIB)
        same.sort(key=lambda c: (c.engaged, c.release.candidate.published or oldest), reverse=True)
        return same + [c for c in scored if c not in same]
    return scored


def _deciding(ranked: list[Comparison], verdict: Verdict) -> Comparison | None:
    """The release the verdict rests on: for a contradiction, the one that contradicts."""
    if not ranked:
        return None
    top = ranked[0]
    if verdict is Verdict.CONTRADICTED and not top.differences and not _refutes(top):
        close = [c for c in ranked[1:3] if c.compared and (c.differences or _refutes(c))]
        if close:
            return max(close, key=lambda c: max(c.conflict, c.rumour_coverage))
    return top


def _refutes(comparison: Comparison) -> bool:
    """Whether a correction release denies what the claim says (its rumour or its values)."""
    if not comparison.correction or comparison.denial_sentence() is None:
        return False
    return bool(comparison.refutations) or (
        comparison.rumour_coverage >= comparison.official.coverage
    )


# -- evidence -------------------------------------------------------------------------------


def _evidence(
    ranked: list[Comparison], deciding: Comparison | None, verdict: Verdict
) -> list[Evidence]:
    if deciding is None:
        return []
    ordered = [deciding, *(c for c in ranked if c is not deciding)][:EVIDENCE_RELEASES]
    found: list[Evidence] = []
    for number, comparison in enumerate(ordered):
        if comparison.release_coverage <= 0:
            continue
        limit = SENTENCES_FIRST_RELEASE if number == 0 else SENTENCES_PER_RELEASE
        chosen = _sentences(comparison, limit)
        refuting = None
        if number == 0 and verdict is Verdict.CONTRADICTED and _refutes(comparison):
            refuting = comparison.denial_sentence()
            chosen = [refuting, *(s for s in chosen if s is not refuting)][:limit]
        for sentence in chosen:
            relation = _relation(comparison, sentence, verdict, refuting)
            found.append(_item(comparison, sentence, relation))
    return found


def _sentences(comparison: Comparison, limit: int) -> list[Sentence]:
    """The sentences that best show what a release says about the claim."""

    def order(sentence: Sentence) -> tuple[int, float]:
        weight = {"contradicts": 2, "supports": 1}.get(comparison.relation(sentence), 0)
        return (weight, comparison.sentence_coverage.get(sentence.position, 0.0))

    release = comparison.release
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
    return chosen


def _relation(
    comparison: Comparison, sentence: Sentence, verdict: Verdict, refuting: Sentence | None
) -> str:
    if sentence is refuting:
        return "refutes"
    relation = comparison.relation(sentence)
    if verdict is Verdict.NOT_FOUND:
        return "related"
    if relation == "supports" and verdict is Verdict.CONTRADICTED:
        return "related"  # nothing is shown as support for a claim the record contradicts
    if relation == "contradicts" and verdict is not Verdict.CONTRADICTED:
        return "related"  # a sentence never contradicts a claim the record supports
    return relation


def _item(comparison: Comparison, sentence: Sentence, relation: str) -> Evidence:
    candidate = comparison.release.candidate
    differences = comparison.differences_in(sentence) if relation == "contradicts" else []
    return Evidence(
        release_id=candidate.id,
        url=candidate.url,
        title=candidate.title,
        opd=candidate.opd,
        published=candidate.published,
        sentence=sentence.text,
        relation=relation,
        differences=[d.to_json() for d in differences],
        score=comparison.sentence_coverage.get(sentence.position, 0.0),
        status=candidate.status,
        document=sentence.document,
    )


# -- explanations ---------------------------------------------------------------------------
# Indonesian sentences that keep their template and values (`archive.messages`): the API gives
# them as they are, a page in English says them in English (`web.i18n.say`).


def _tanggal(moment: datetime | None) -> str:
    return CalendarDate.of(moment) if moment is not None else N_("tanpa tanggal")


def _source(comparison: Comparison) -> str:
    candidate = comparison.release.candidate
    return N_(
        "Rilis resmi %(opd)s (%(date)s)",
        opd=candidate.opd or "Pemerintah Kota Malang",
        date=_tanggal(candidate.published),
    )


def _then(first: str, second: str) -> str:
    """Two sentences, one after the other."""
    return N_("%(first)s %(then)s", first=first, then=second)


def _explanation(verdict: Verdict, deciding: Comparison | None, claim: PreparedClaim) -> str:
    if deciding is None:
        return _not_found_text()
    if verdict is Verdict.CONTRADICTED:
        return _contradicted_text(deciding)
    if verdict is Verdict.SUPPORTED:
        return _supported_text(deciding)
    return _unstated_text(deciding, claim)


def _strongest(comparison: Comparison) -> Difference | None:
    return max(comparison.differences, key=lambda d: d.strength, default=None)


def _contradicted_text(comparison: Comparison) -> str:
    difference = _strongest(comparison)
    source = _source(comparison)
    if _refutes(comparison) and (difference is None or difference.strength < 0.5):
        denial = comparison.denial_sentence()
        return N_(
            "%(source)s membantah kabar seperti ini: “%(denial)s” Kalimat rilis yang "
            "menggambarkan kabar yang beredar bukan pernyataan resmi.",
            source=source,
            denial=denial.text,
        )
    if difference is None:
        return N_(
            "%(source)s membahas hal ini, tetapi isinya tidak sejalan dengan klaim. Bacalah "
            "kalimat resminya di bawah.",
            source=source,
        )
    if difference.kind == "negation":
        return N_(
            "%(source)s menyatakan hal yang berbeda: “%(official)s”, sedangkan klaim menyebut "
            "“%(claim)s”.",
            source=source,
            official=difference.official,
            claim=difference.claim,
        )
    if difference.kind == "office":  # from the table of who held which office (verify.offices)
        return N_(
            "Klaim menyebut “%(claim)s”, padahal menurut daftar pejabat: %(official)s",
            claim=difference.claim,
            official=difference.official,
        )
    rule = RULES.get(difference.kind)
    return N_(
        "%(source)s menyebut %(label)s %(official)s, berbeda dengan klaim (%(claim)s).",
        source=source,
        label=rule.label if rule else N_("fakta"),
        official=difference.official,
        claim=difference.claim,
    )


def _supported_text(comparison: Comparison) -> str:
    shown = []
    for match in sorted(comparison.matches, key=lambda m: m.strength, reverse=True):
        if match.official is not None and match.claim.kind not in {"negation", "modality"}:
            value = describe_value(match.official)
            if value not in shown:
                shown.append(value)
    if shown:
        return N_(
            "%(source)s menyatakan hal yang sama dan menyebut %(values)s.",
            source=_source(comparison),
            values=shown[:3],
        )
    return N_(
        "%(source)s memuat pernyataan yang sejalan dengan klaim ini.", source=_source(comparison)
    )


def _unstated_text(comparison: Comparison, claim: PreparedClaim) -> str:
    if comparison.topic_missing or comparison.official.coverage < TOPIC_COVERAGE:
        return _not_found_text()
    matched = {id(m.claim) for m in comparison.matches}
    missing = [
        f.text for f in claim.facts
        if f.kind in RULES and not f.negated and id(f) not in matched
    ]  # fmt: skip
    if missing:
        return N_(
            "%(source)s membahas topik yang sama, tetapi tidak menyatakan apa yang diklaim "
            "(tidak ada yang menyebut %(missing)s). Itu tidak berarti klaim benar atau salah; "
            "tunggu keterangan resmi atau periksa sumber lain.",
            source=_source(comparison),
            missing=[f"“{m}”" for m in missing[:3]],
        )
    return N_(
        "%(source)s membahas topik yang sama, tetapi tidak menyatakan apa yang diklaim. Itu "
        "tidak berarti klaim benar atau salah; tunggu keterangan resmi atau periksa sumber lain.",
        source=_source(comparison),
    )


def _not_found_text() -> str:
    return N_(
        "Belum ada rilis resmi di arsip yang membahas klaim ini. Itu tidak berarti klaim benar "
        "atau salah; tunggu keterangan resmi atau periksa sumber lain."
    )


def _notes(claim: PreparedClaim, deciding: Comparison | None, verdict: Verdict) -> list[str]:
    """Warnings shown with the verdict: evidence much older than the matter, for now."""
    if deciding is None or verdict is Verdict.NOT_FOUND:
        return []
    years = stale_years(claim.facts, deciding)
    if years < STALE_NOTE_YEARS:
        return []
    if years >= STALE_YEARS:
        return [
            N_(
                "Rilis ini terbit lebih dari 3 tahun sebelum waktu yang disebut klaim; keadaannya "
                "mungkin sudah berubah. Periksa apakah ada keterangan resmi yang lebih baru."
            )
        ]
    about = int(years + 0.5)
    if about == 1:  # its own sentence, for languages that say "a year", not "1 years"
        return [
            N_(
                "Rilis ini terbit sekitar 1 tahun sebelum waktu yang disebut klaim; keadaannya "
                "mungkin sudah berubah. Periksa apakah ada keterangan resmi yang lebih baru."
            )
        ]
    return [
        N_(
            "Rilis ini terbit sekitar %(years)s tahun sebelum waktu yang disebut klaim; "
            "keadaannya mungkin sudah berubah. Periksa apakah ada keterangan resmi yang lebih "
            "baru.",
            years=Number(about),
        )
    ]


def _overall(checks: list[ClaimCheck]) -> tuple[Verdict, float, str]:
    if len(checks) == 1:
        only = checks[0]
        return only.verdict, only.confidence, only.explanation
    counts = {v: [c for c in checks if c.verdict is v] for v in Verdict}
    summary = N_(
        "Pesan ini memuat %(count)s klaim: %(supported)s sejalan dengan rilis resmi, "
        "%(contradicted)s berbeda, %(unstated)s tidak dinyatakan rilis resmi.",
        count=Number(len(checks)),
        supported=Number(len(counts[Verdict.SUPPORTED])),
        contradicted=Number(len(counts[Verdict.CONTRADICTED])),
        unstated=Number(len(counts[Verdict.NOT_FOUND])),
    )
    if counts[Verdict.CONTRADICTED]:
        lead = max(counts[Verdict.CONTRADICTED], key=lambda c: c.confidence)
        return Verdict.CONTRADICTED, lead.confidence, _then(summary, lead.explanation)
    if len(counts[Verdict.SUPPORTED]) == len(checks):
        lead = min(checks, key=lambda c: c.confidence)
        return Verdict.SUPPORTED, lead.confidence, _then(summary, lead.explanation)
    lead = min(counts[Verdict.NOT_FOUND], key=lambda c: c.confidence)
    return Verdict.NOT_FOUND, lead.confidence, _then(summary, _not_found_text())


def _merged_evidence(checks: list[ClaimCheck]) -> list[Evidence]:
    if len(checks) == 1:
        return checks[0].evidence
    order = {"refutes": 0, "contradicts": 1, "supports": 2, "related": 3}
    merged: list[Evidence] = []
    seen: set[tuple[str, str]] = set()
    for check in checks:
        for item in check.evidence:
            key = (item.release_id, item.sentence)
            if key not in seen:
                seen.add(key)
                merged.append(item)
    return sorted(merged, key=lambda e: order[e.relation])


# -- published clarifications -----------------------------------------------------------------


def _clarifications(index: SearchIndex, text: str) -> list[dict[str, Any]]:
    """Published clarifications matching the text, best first."""
    try:
        return find_clarifications(index, text)
    except Exception:  # a clarification lookup must never sink the check itself
        log.exception("clarification lookup failed")
        return []


def _clarification_verdict(
    clarifications: list[dict[str, Any]],
) -> tuple[Verdict, float, dict[str, Any]] | None:
    """The verdict the best-matching clarification's label carries, its confidence, the item.

    A claim that opposes the clarified rumour gets the opposite verdict: the clarification calls
    the rumour a hoax, and the claim tells the clarification's own account. A claim whose values
    differ from both the rumour's and the clarification's is left to the releases.
    """
    for item in clarifications:
        verdict = CLARIFICATION_VERDICTS.get(str(item.get("verdict", "")).upper())
        if verdict is not None and item.get("stance") != "differs":
            if item.get("stance") == "opposes":
                verdict = OPPOSITE[verdict]
            base, slope = CLARIFICATION_CONFIDENCE
            return verdict, min(0.95, base + slope * float(item.get("score") or 0.0)), item
    return None


def _clarification_text(item: dict[str, Any]) -> str:
    """Which clarification set the verdict, and its own explanation (the label, the title and
    the summary are Diskominfo's, as published)."""
    label = str(item.get("verdict", "")).upper()
    title = item.get("title") or item.get("rumour") or ""
    summary = (item.get("summary") or "").strip()
    if item.get("stance") == "opposes":
        if not summary:
            return N_(
                "Diskominfo Kota Malang sudah menerbitkan klarifikasi berlabel %(label)s tentang "
                "kabar yang berlawanan dengan pesan ini: “%(title)s”.",
                label=label,
                title=title,
            )
        return N_(
            "Diskominfo Kota Malang sudah menerbitkan klarifikasi berlabel %(label)s tentang "
            "kabar yang berlawanan dengan pesan ini: “%(title)s”. Pesan ini sejalan dengan "
            "penjelasan resminya: %(summary)s",
            label=label,
            title=title,
            summary=summary,
        )
    if not summary:
        return N_(
            "Diskominfo Kota Malang sudah menerbitkan klarifikasi berlabel %(label)s tentang kabar "
            "ini: “%(title)s”.",
            label=label,
            title=title,
        )
    return N_(
        "Diskominfo Kota Malang sudah menerbitkan klarifikasi berlabel %(label)s tentang kabar "
        "ini: “%(title)s”. %(summary)s",
        label=label,
        title=title,
        summary=summary,
    )
