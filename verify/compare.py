"""Comparing a claim with one release: coverage, stance, and facts lined up one by one.

A `Comparison` holds what the verdict needs to know about one release:

- how well it addresses the claim: the idf-weighted share of the claim's words in the whole
  release, in the best run of up to three sentences, and in the best sentence (`relevance`
  ranks releases); the same over the release's *official* sentences only, since a sentence that
  relays a rumour or a complaint (`verify.stance`) never states anything for the city;
- for a correction release ("Klarifikasi: ...", "Pemkot Bantah ..."), how well the claim
  matches what it reports and denies (`rumour_coverage`): a claim that matches the rumour a
  denial describes is what the city denies;
- its facts against the claim's: each claim fact is lined up with the official facts of the
  same kind (`verify.rules` says which are comparable and when they agree), using the words
  around each fact (a claim's "30 persen" for "jalur prestasi" belongs with the release's
  percentage near "prestasi", not with the one near "zonasi"), the thing counted, and how well
  the sentence addresses the claim. The best-aligned official fact with the same value confirms
  the claim's fact (`matches`); a clearly better-aligned one with another value is a
  `Difference`; a value only a reported sentence of a correction gives is a `refutation`;
- polarity: a claim that says "sudah berstatus KLB" against an official "belum berstatus KLB",
  or "tidak ada yang meninggal" against "tiga pasien meninggal", conflicts.

Nothing here decides the verdict: `verify.features` turns a comparison into numbers and the
learned model in `verify.model` weighs them.
"""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from archive.messages import N_
from verify.evidence import ReleaseText, Sentence, Token, coverage
from verify.facts import Fact, describe_value
from verify.offices import office_mismatch
from verify.rules import (
    GENERIC_UNITS,
    MODAL_FAMILY,
    KindRule,
    comparable,
    distinctive,
    name_words,
    near_miss,
    place_key_words,
    rule_for,
    same_value,
)
from verify.stance import is_correction

__all__ = [
    "ALIGNMENT",
    "Alignment",
    "ClaimView",
    "Comparison",
    "Difference",
    "Match",
    "compare_facts",
    "compare_release",
    "near_miss",
    "same_value",
]


@dataclass(frozen=True)
class Alignment:
    """The weights of lining a claim's facts up with a release's facts (all in one place)."""

    # Tokens either side of an official fact that count as its context, and how fast their
    # weight falls off; a claim is one short statement, so all of it is each fact's context.
    context_tokens: int = 12
    context_decay: float = 4.0
    claim_context_tokens: int = 40
    claim_context_decay: float = 6.0
    # Claim facts this close together describe one thing ("777 kasus pada tahun 2024"); an
    # official fact whose neighbours (this close) agree with them lines up better.
    claim_partner_chars: int = 60
    neighbour_chars: int = 40
    # Work per release is bounded: at most this many partners per claim fact, neighbours per
    # official fact (the nearest), and official facts read (in reading order).
    max_partners: int = 4
    max_neighbours: int = 8
    max_official_facts: int = 400
    neighbour_bonus: float = 0.25
    # Taken off a headline's fact, so that a body sentence saying the same is preferred.
    title_penalty: float = 0.03
    # Added for numbers that look like distortions of each other, and for two ranges.
    near_miss_bonus: float = 0.1
    shape_bonus: float = 0.05
    # Added to an equal official value that is unlikely to recur by chance.
    distinctive_bonus: float = 0.1
    # Alignment needed to call a fact confirmed or different, and how much better a different
    # official value must align than an equal one.
    match: float = 0.30
    difference: float = 0.30
    difference_margin: float = 0.12
    # A claim's name that the release uses somewhere counts as this well aligned.
    named_elsewhere: float = 0.35
    # An office or person named nearby is evidence of a difference only this well aligned, and
    # another place only this well: every release names places, most of them beside the point.
    name_difference: float = 0.6
    place_difference: float = 0.45
    # A sentence must cover this much of the claim before negations are compared with it, and
    # a negation's scope must be covered this much.
    polarity_sentence: float = 0.35
    polarity_scope: float = 0.5
    # A sentence that covers this much of the claim is shown as supporting it.
    support_sentence: float = 0.5
    # Sentences read together as one passage.
    window: int = 3


ALIGNMENT = Alignment()
# Words too light to carry a negation's meaning ("tidak ada", "belum bisa").
_LIGHT = frozenset(
    """ada akan bisa dapat perlu pernah lagi sedang hanya terlalu begitu semua seluruh langsung
    juga lebih masih sudah boleh mau ingin harus jadi menjadi kata sama""".split()
)
# Relevance kept by a release that never speaks of the rule (obligation, ban, fee) a claim
# states, or never uses the claim's rarest word: ranking only, the verdict sees both as features.
RULE_UNADDRESSED = 0.75
TOPIC_MISSING = 0.85


@dataclass
class ClaimView:
    """A claim ready for comparison: text, analysed terms, facts and word weights.

    `weights` count the words inside facts for less (a claim with a wrong number is still about
    the same matter); `detail_weights` count them fully, for matching a rumour, where another
    street or another figure makes another rumour. Empty means the same as `weights`.
    """

    text: str
    tokens: list[Token]
    facts: list[Fact]
    weights: dict[str, float]
    detail_weights: dict[str, float] = field(default_factory=dict)


@dataclass
class Match:
    """A claim fact confirmed by an official fact (or by an agreeing negation)."""

    claim: Fact
    official: Fact | None
    sentence: Sentence
    strength: float


@dataclass
class Difference:
    """A claim fact that the official record states otherwise."""

    kind: str
    claim: str
    official: str
    claim_fact: Fact
    official_fact: Fact | None
    sentence: Sentence
    strength: float

    def to_json(self) -> dict[str, str]:
        """{"kind", "claim", "official"} for the API."""
        return {"kind": self.kind, "claim": self.claim, "official": self.official}


@dataclass
class Passage:
    """The run of sentences that best covers the claim, and how much of it they cover."""

    sentences: list[Sentence]
    coverage: float

    @property
    def terms(self) -> frozenset[str]:
        """Every term of the passage."""
        return frozenset().union(*(s.terms for s in self.sentences))


@dataclass
class Comparison:
    """What one release says about one claim; see the module docstring."""

    release: ReleaseText
    relevance: float
    release_coverage: float
    sentence_coverage: dict[int, float]
    official: Passage
    correction: bool = False
    rumour: Passage | None = None
    topic_missing: bool = False
    rule_unaddressed: bool = False
    matches: list[Match] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    refutations: list[Match] = field(default_factory=list)
    compared: bool = False

    @property
    def conflict(self) -> float:
        """The strongest difference (0 when none)."""
        return max((d.strength for d in self.differences), default=0.0)

    @property
    def rumour_coverage(self) -> float:
        """How much of the claim the rumour this correction reports and denies covers."""
        return self.rumour.coverage if self.rumour else 0.0

    @property
    def engaged(self) -> int:
        """How many of the claim's facts this release confirms or contradicts."""
        return len(
            {id(m.claim) for m in self.matches} | {id(d.claim_fact) for d in self.differences}
        )

    def relation(self, sentence: Sentence) -> str:
        """supports, contradicts or related: what this sentence does to the claim."""
        if any(d.sentence is sentence for d in self.differences):
            return "contradicts"
        if not sentence.stance.official:
            return "related"
        if any(m.sentence is sentence for m in self.matches):
            return "supports"
        if self.sentence_coverage.get(sentence.position, 0.0) >= ALIGNMENT.support_sentence:
            return "supports"
        return "related"

    def differences_in(self, sentence: Sentence) -> list[Difference]:
        """The differences whose official side is in `sentence`."""
        return [d for d in self.differences if d.sentence is sentence]

    def denial_sentence(self) -> Sentence | None:
        """The sentence of a correction that denies what the claim says (for `refutes`)."""
        if not self.correction:
            return None
        denying = [s for s in self.release.sentences if s.stance.denies]
        if not denying:
            return None
        return max(denying, key=lambda s: (self.sentence_coverage.get(s.position, 0.0),
                                            -s.position))  # fmt: skip


def compare_release(
    claim: ClaimView, release: ReleaseText, *, with_facts: bool = True
) -> Comparison:
    """Compare `claim` with `release`: coverage and stance always, facts when `with_facts`.

    Without facts only the relevance is measured (for releases too loosely related to decide
    anything, which then cost no fact extraction).
    """
    weights = claim.weights
    sentences = release.sentences
    scores = {s.position: coverage(weights, s.terms) for s in sentences}
    release_coverage = coverage(weights, release.terms)
    best_window = _best_passage(weights, sentences).coverage
    best_sentence = max(scores.values(), default=0.0)
    relevance = (release_coverage + best_window + best_sentence) / 3
    official = _best_passage(weights, [s for s in sentences if s.stance.official])
    correction = is_correction(
        sentences[0].text if sentences else "", [s.stance for s in sentences]
    )
    rumour = None
    if correction:
        relaying = [s for s in sentences if s.stance.reports]
        rumour = _best_passage(claim.detail_weights or weights, relaying)
    comparison = Comparison(
        release, relevance, release_coverage, scores, official, correction, rumour,
        topic_missing=_topic_missing(claim, release),
        rule_unaddressed=_rule_unaddressed(claim, release),
    )  # fmt: skip
    if comparison.rule_unaddressed:
        comparison.relevance *= RULE_UNADDRESSED
    if comparison.topic_missing:
        comparison.relevance *= TOPIC_MISSING
    if with_facts:
        compare_facts(claim, comparison)
    return comparison


def _best_passage(weights: Mapping[str, float], sentences: list[Sentence]) -> Passage:
    """The run of up to `ALIGNMENT.window` consecutive sentences covering most of the claim.

    Consecutive in the list given: for the official sentences of a release, a reported
    sentence between two official ones does not break their run.
    """
    best = Passage([], 0.0)
    for start in range(len(sentences)):
        terms: frozenset[str] = frozenset()
        for end in range(start, min(start + ALIGNMENT.window, len(sentences))):
            terms = terms | sentences[end].terms
            score = coverage(weights, terms)
            if score > best.coverage + 1e-9:
                best = Passage(sentences[start : end + 1], score)
    return best


def _topic_missing(claim: ClaimView, release: ReleaseText) -> bool:
    """Whether the claim's rarest word outside its facts never occurs in the release.

    That word is usually the claim's topic ("perpustakaan", "CPNS", "daring"): a release that
    never uses it is about something else, however many common words they share.
    """
    spans = [(f.start, f.end) for f in claim.facts if f.kind not in {"negation", "modality"}]
    words = {
        t.stem: claim.weights[t.stem]
        for t in claim.tokens
        if t.stem in claim.weights and not any(a <= t.start < b for a, b in spans)
    }
    if not words:
        return False
    topic = max(words, key=words.get)
    return topic not in release.terms


def _rule_unaddressed(claim: ClaimView, release: ReleaseText) -> bool:
    """Whether the claim states a rule (an obligation, a ban, a fee) the release never speaks of.

    "Pemkot mewajibkan setiap rumah memasang CCTV" is about an obligation; a release about CCTV
    that says nothing about obliging anyone does not address it.
    """
    families = {MODAL_FAMILY[f.value] for f in claim.facts if f.kind == "modality"}
    if not families:
        return False
    official = {MODAL_FAMILY[value] for s in release.sentences for value in s.modalities}
    return not families & official


# -- facts -------------------------------------------------------------------------------------


@dataclass
class _Official:
    """An official fact with its sentence and its context words."""

    fact: Fact
    sentence: Sentence
    context: dict[str, float]


@dataclass
class _Best:
    """The best-aligned official fact of one sort so far."""

    score: float = 0.0
    item: _Official | None = None

    def offer(self, score: float, item: _Official) -> None:
        """Keep `item` when it aligns better than the best so far."""
        if score > self.score:
            self.score, self.item = score, item


def compare_facts(claim: ClaimView, comparison: Comparison) -> None:
    """Line each fact of the claim up with the release's facts; then compare polarity.

    For a comparison made without facts (`compare_release(..., with_facts=False)`) that turns
    out to matter: the same result as comparing with facts from the start.
    """
    comparison.compared = True
    kinds = Counter(f.kind for f in claim.facts)
    contexts = {id(f): claim_context(claim.tokens, f, crowded=kinds[f.kind] > 1)
                for f in claim.facts}  # fmt: skip
    # Sentences without a single word of the claim cannot speak of its facts: not read closely.
    official = [
        _Official(f, s, _context(s.tokens, f))
        for s in comparison.release.sentences
        if comparison.sentence_coverage[s.position] > 0
        for f in s.facts
    ][: ALIGNMENT.max_official_facts]
    neighbours = _neighbours(official)
    pending = [f for f in claim.facts if rule_for(f) is not None and not f.negated]
    for fact in pending:
        partners = _nearest(fact, pending, ALIGNMENT.claim_partner_chars, ALIGNMENT.max_partners)
        _compare_fact(fact, contexts, partners, official, neighbours, comparison, claim)
    _compare_polarity(claim, comparison)
    _compare_offices(claim, comparison)


def _compare_fact(
    fact: Fact,
    contexts: dict[int, dict[str, float]],
    partners: list[Fact],
    official: list[_Official],
    neighbours: dict[int, list[_Official]],
    comparison: Comparison,
    claim: ClaimView,
) -> None:
    """Line one claim fact up with the official facts: a match, a difference, or nothing."""
    rule = rule_for(fact)
    context = contexts[id(fact)]
    equal, other, denied, relayed, restated = _Best(), _Best(), _Best(), _Best(), _Best()
    for candidate in official:
        if not comparable(fact, candidate.fact):
            if _restates(fact, candidate, rule):
                restated.offer(ALIGNMENT.match, candidate)  # "305 pelajar" as "305 siswa"
            continue
        score = alignment(
            fact, candidate.fact, context, candidate.context, claim.weights,
            comparison.sentence_coverage.get(candidate.sentence.position, 0.0),
            comparison.relevance,
        )  # fmt: skip
        score += _neighbour_agreement(partners, neighbours[id(candidate)], candidate.fact)
        if candidate.sentence.position == 0:
            score -= ALIGNMENT.title_penalty  # on a tie, show the body's sentence
        is_equal = same_value(fact, candidate.fact)
        if is_equal and distinctive(fact):
            score += ALIGNMENT.distinctive_bonus
        if not is_equal and near_miss(fact, candidate.fact):
            score += ALIGNMENT.near_miss_bonus
        if _same_shape(fact, candidate.fact):
            score += ALIGNMENT.shape_bonus
        score = max(0.0, min(1.0, score))
        if not candidate.sentence.stance.official:
            # A rumour or complaint relayed: its values are not the city's. A correction
            # relays the very values it denies.
            if is_equal and comparison.correction and rule.deniable:
                relayed.offer(score, candidate)
            continue
        if is_equal and candidate.fact.negated and rule.deniable:
            denied.offer(score, candidate)
        elif is_equal:
            equal.offer(score, candidate)
            if _restates(fact, candidate, rule):
                restated.offer(score, candidate)
        elif candidate.fact.qualifier == "dateline":
            continue  # the day an official spoke is no rival to the date of what happened
        elif not (candidate.fact.negated and rule.deniable):
            other.offer(score, candidate)
    if relayed.item is not None and relayed.score >= ALIGNMENT.match:
        comparison.refutations.append(
            Match(fact, relayed.item.fact, relayed.item.sentence, relayed.score)
        )
    if restated.item is not None and denied.item is None:
        # The release states this very count of this very thing ("254 rumah"): whatever other
        # count a nearer sentence gives ("160 rumah" at the worst-hit spot) is about a part.
        shown = restated.item
        comparison.matches.append(
            Match(fact, shown.fact, shown.sentence, max(restated.score, ALIGNMENT.match))
        )
        return
    equal_score = equal.score
    if rule.named and _named_in(fact, comparison.release):
        if fact.kind != "place":
            return  # the release names that agency, office or person: who did what is too subtle
        # Named somewhere in the release: another name is a difference only where it clearly
        # stands in the claim's place.
        equal_score = max(equal_score, ALIGNMENT.named_elsewhere)
    if equal_score >= ALIGNMENT.match and equal_score + ALIGNMENT.difference_margin > max(
        other.score, denied.score
    ):
        shown = equal.item
        sentence = shown.sentence if shown else comparison.release.sentences[0]
        comparison.matches.append(Match(fact, shown.fact if shown else None, sentence, equal_score))
        return
    if denied.score >= ALIGNMENT.difference and denied.score > equal_score:
        # The release denies exactly the claim's value ("membantah ... Rp15 ribu").
        use_other = other.score >= ALIGNMENT.difference and other.item is not None
        shown = other.item if use_other else denied.item
        official_text = (
            describe_value(shown.fact)
            if use_other
            else N_("bukan %(value)s", value=describe_value(fact))
        )
        comparison.differences.append(
            Difference(fact.kind, describe_value(fact), official_text, fact, shown.fact,
                       shown.sentence, denied.score)
        )  # fmt: skip
        return
    if fact.qualifier == "relatif":
        return  # "besok" in a rumour is about its own future, not the date of a past release
    if (
        other.item is not None
        and other.score >= ALIGNMENT.difference
        and other.score >= equal_score + ALIGNMENT.difference_margin
    ):
        if rule.named and fact.kind != "place" and other.score < ALIGNMENT.name_difference:
            return  # another office or person named nearby is weak evidence on its own
        if fact.kind == "place" and other.score < ALIGNMENT.place_difference:
            return
        shown = other.item
        comparison.differences.append(
            Difference(fact.kind, describe_value(fact), describe_value(shown.fact), fact,
                       shown.fact, shown.sentence, other.score - 0.5 * equal_score)
        )  # fmt: skip


def _restates(fact: Fact, candidate: _Official, rule: KindRule) -> bool:
    """Whether an official sentence states a count of the claim's own distinctive value.

    A release that writes "254 rumah" or "305 siswa" states the claim's "254 rumah" or "305
    pelajar", whatever other count a nearer sentence gives: a number with three significant
    digits seldom recurs in one release by chance, and an altered claim changes it.
    """
    return (
        rule.counted
        and candidate.fact.kind == fact.kind
        and candidate.sentence.stance.official
        and not candidate.fact.negated
        and distinctive(fact)
        and fact.value == candidate.fact.value
    )


def _neighbour_agreement(
    partners: list[Fact], neighbours: list[_Official], candidate: Fact
) -> float:
    """Bonus when the official facts beside a candidate agree with the claim fact's neighbours.

    "777 kasus pada tahun 2024": the official 777 beside "2024" gains, and an official 389 beside
    "awal Mei 2025" loses, because the year next to it says it is about another time. A date
    carries its own year: for "11 Oktober" beside "2023" in the claim, an official "11 Oktober
    2023" agrees by itself, however far the sentence's other years stand.
    """
    agree = disagree = False
    for partner in partners:
        beside = [other.fact for other in neighbours]
        if _year_only(partner) and candidate.kind == "date" and candidate.value.year is not None:
            beside.append(candidate)
        for other in beside:
            if not comparable(partner, other):
                continue
            if same_value(partner, other) and not other.negated:
                agree = True
            else:
                disagree = True
    if agree:
        return ALIGNMENT.neighbour_bonus
    return -ALIGNMENT.neighbour_bonus if disagree else 0.0


def _year_only(fact: Fact) -> bool:
    value = fact.value
    return fact.kind == "date" and value is not None and value.month is None and not value.end


def _neighbours(official: list[_Official]) -> dict[int, list[_Official]]:
    """For each official fact, the nearest other facts of its sentence (by `id` of the item)."""
    by_sentence: dict[int, list[_Official]] = {}
    for item in official:
        by_sentence.setdefault(id(item.sentence), []).append(item)
    found: dict[int, list[_Official]] = {}
    for items in by_sentence.values():
        facts = [item.fact for item in items]
        for item in items:
            near = _nearest(item.fact, facts, ALIGNMENT.neighbour_chars, ALIGNMENT.max_neighbours)
            chosen = {id(f) for f in near}
            found[id(item)] = [other for other in items if id(other.fact) in chosen]
    return found


def _nearest(fact: Fact, facts: list[Fact], chars: int, limit: int) -> list[Fact]:
    """Up to `limit` other facts at most `chars` characters from `fact`, nearest first."""
    near = [(_gap(fact, other), i) for i, other in enumerate(facts) if other is not fact]
    near = [pair for pair in near if pair[0] <= chars]
    if len(near) > limit:
        near = sorted(near)[:limit]
    return [facts[i] for _, i in near]


def _same_shape(fact: Fact, other: Fact) -> bool:
    """Two ranges ("07.00-10.00" and "17.00-20.00"), the usual shape of one schedule."""
    if fact.kind == "time":
        return fact.value[1] is not None and other.value[1] is not None
    if fact.kind == "date":
        return fact.value.end is not None and other.value.end is not None
    return False


def _gap(a: Fact, b: Fact) -> int:
    """Characters between two facts of one text (negative when they overlap)."""
    return max(a.start, b.start) - min(a.end, b.end)


def _context(
    tokens: list[Token],
    fact: Fact,
    size: int = ALIGNMENT.context_tokens,
    decay: float = ALIGNMENT.context_decay,
) -> dict[str, float]:
    """Words near a fact, weighted by closeness (the fact's own words left out)."""
    before = [t for t in tokens if t.end <= fact.start]
    after = [t for t in tokens if t.start >= fact.end]
    context: dict[str, float] = {}
    for distance, token in enumerate(reversed(before[-size:])):
        weight = 1.0 / (1.0 + distance / decay)
        context[token.stem] = max(context.get(token.stem, 0.0), weight)
    for distance, token in enumerate(after[:size]):
        weight = 1.0 / (1.0 + distance / decay)
        context[token.stem] = max(context.get(token.stem, 0.0), weight)
    return context


def claim_context(tokens: list[Token], fact: Fact, *, crowded: bool = False) -> dict[str, float]:
    """The context of a claim's fact: the whole claim, nearer words weighing a little more.

    When the claim states several facts of one kind ("1.380 seragam untuk SD dan 1.460 untuk
    SMP"), each fact's context is its own neighbourhood, as in an official sentence, so that
    swapped values do not line up with each other's words.
    """
    if crowded:
        return _context(tokens, fact)
    return _context(tokens, fact, ALIGNMENT.claim_context_tokens, ALIGNMENT.claim_context_decay)


def alignment(
    fact: Fact,
    other: Fact,
    context: Mapping[str, float],
    other_context: Mapping[str, float],
    weights: Mapping[str, float],
    sentence_coverage: float,
    release_relevance: float,
) -> float:
    """How surely an official fact speaks of the same thing as the claim's fact (0 to 1).

    Four parts: the claim's words found near the official fact (`local`), whether both count the
    same thing (`unit`), how much of the claim the official sentence covers, and how surely the
    whole release is about the claim.
    """
    total = sum(weights.get(t, 0.0) * w for t, w in context.items())
    shared = sum(
        weights.get(t, 0.0) * w * other_context[t] for t, w in context.items() if t in other_context
    )
    local = shared / total if total else 0.0
    if rule_for(fact).counted:
        if fact.unit and fact.unit == other.unit:
            unit = 1.0
        elif fact.unit in GENERIC_UNITS or other.unit in GENERIC_UNITS:
            unit = 0.5
        else:
            unit = 0.3
        return 0.4 * local + 0.2 * unit + 0.2 * sentence_coverage + 0.2 * release_relevance
    return 0.5 * local + 0.25 * sentence_coverage + 0.25 * release_relevance


def _named_in(fact: Fact, release: ReleaseText) -> bool:
    """Whether the release names the claim's place, agency, role or person anywhere."""
    text = release.lowered
    if fact.kind == "place":
        return all(word in text for word in place_key_words(fact.text))
    if fact.kind == "agency":
        return fact.text.lower() in text or str(fact.value) in text
    if fact.kind == "person":
        return any(word in text for word in name_words(fact.value))
    return str(fact.value) in text or fact.text.lower() in text


# -- office holders ----------------------------------------------------------------------------

# Words before a role that make it a former office ("mantan Wali Kota Sutiaji").
_FORMER = ("mantan", "eks", "purna", "bekas", "almarhum", "alm")


def _compare_offices(claim: ClaimView, comparison: Comparison) -> None:
    """A person named in an office they did not hold on the date the claim speaks of.

    The date is the claim's own (its first date with a year) or else the release's. "Kapolres"
    alone is left out: it may be the Kabupaten's police chief.
    """
    facts = claim.facts
    days = _claim_days(facts) or _release_days(comparison)
    if not days:
        return
    for role, person in zip(facts, facts[1:], strict=False):
        if role.kind != "role" or person.kind != "person" or person.start - role.end > 40:
            continue
        before = claim.text[max(0, role.start - 12) : role.start].lower().split()
        if (before and before[-1] in _FORMER) or role.text.lower() == "kapolres":
            continue
        found = [office_mismatch(role.value, person.value, day) for day in days]
        mismatch = found[0] if all(found) else None
        if mismatch is not None:
            comparison.differences.append(
                Difference("office", f"{role.text} {person.text}", mismatch.describe(), person,
                           None, comparison.release.sentences[0], 0.7)
            )  # fmt: skip


def _claim_days(facts: list[Fact]) -> list[date]:
    """Days the claim's first dated fact may mean: the day, or the first, middle and last of a
    month or year (a mismatch must hold on all of them)."""
    for fact in facts:
        if fact.kind != "date" or fact.value is None or fact.value.year is None:
            continue
        year, month, day = fact.value.start()
        if day is not None and month is not None:
            return [date(year, month, day)]
        if month is not None:
            last = calendar.monthrange(year, month)[1]
            return [date(year, month, 1), date(year, month, 15), date(year, month, last)]
        return [date(year, 1, 1), date(year, 7, 1), date(year, 12, 31)]
    return []


def _release_days(comparison: Comparison) -> list[date]:
    published = comparison.release.candidate.published
    return [published.date()] if published else []


# -- polarity ----------------------------------------------------------------------------------


def _negated_scopes(facts: list[Fact]) -> list[Fact]:
    return [f for f in facts if f.kind == "negation"]


def _head(words: tuple[str, ...]) -> str:
    for word in words:
        if word not in _LIGHT:
            return word
    return ""


def _in_scope(stem: str, scopes: list[Fact]) -> bool:
    return any(stem in scope.value for scope in scopes)


def _compare_polarity(claim: ClaimView, comparison: Comparison) -> None:
    """Negations on one side that the other side states without negation, and agreements.

    Only official sentences count: a relayed rumour says nothing for the city either way.
    """
    claim_scopes = _negated_scopes(claim.facts)
    claim_terms = {t.stem for t in claim.tokens}
    weights = claim.weights
    relevant = [
        s for s in comparison.release.sentences
        if s.stance.official
        and comparison.sentence_coverage.get(s.position, 0.0) >= ALIGNMENT.polarity_sentence
    ]  # fmt: skip
    # The claim denies something: agreement if an official sentence denies it too, otherwise a
    # conflict where an official sentence states it plainly.
    for scope in claim_scopes:
        head = _head(scope.value)
        if not head:
            continue
        agreeing = [s for s in relevant if _in_scope(head, _negated_scopes(s.facts))]
        if agreeing:
            best = max(agreeing, key=lambda s: _preferred(comparison, s))
            comparison.matches.append(
                Match(scope, None, best, comparison.sentence_coverage[best.position])
            )
            continue
        for sentence in relevant:
            if head not in sentence.terms:
                continue
            share = _weighted_share(scope.value, sentence.terms, weights)
            if share >= ALIGNMENT.polarity_scope:
                score = comparison.sentence_coverage[sentence.position]
                comparison.differences.append(
                    Difference("negation", scope.text, _official_phrase(sentence, head),
                               scope, None, sentence, score * share)
                )  # fmt: skip
                break
    for sentence in relevant:
        score = comparison.sentence_coverage[sentence.position]
        # The official sentence denies something the claim states plainly.
        for scope in _negated_scopes(sentence.facts):
            head = _head(scope.value)
            if not head or head not in claim_terms or _in_scope(head, claim_scopes):
                continue
            words = [w for w in scope.value if w not in _LIGHT]
            present = [w for w in words if w in claim_terms]
            share = len(present) / max(len(words), 1)
            if share < ALIGNMENT.polarity_scope:
                continue
            penalty = ALIGNMENT.title_penalty if sentence.position == 0 else 0.0
            comparison.differences.append(
                Difference("negation", _claim_phrase(claim, head), scope.text, scope, scope,
                           sentence, score * share - penalty)
            )  # fmt: skip


def _preferred(comparison: Comparison, sentence: Sentence) -> float:
    """Sort key of sentences saying the same thing: coverage, a body sentence before the title."""
    return comparison.sentence_coverage.get(sentence.position, 0.0) - (
        ALIGNMENT.title_penalty * 3 if sentence.position == 0 else 0.0
    )


def _weighted_share(
    words: tuple[str, ...], terms: frozenset[str], weights: Mapping[str, float]
) -> float:
    content = [w for w in words if w not in _LIGHT]
    total = sum(weights.get(w, 0.5) for w in content)
    if not total:
        return 0.0
    return sum(weights.get(w, 0.5) for w in content if w in terms) / total


def _official_phrase(sentence: Sentence, head: str) -> str:
    """A few words of the official sentence around `head`."""
    for token in sentence.tokens:
        if token.stem == head:
            start = max(0, sentence.text.rfind(" ", 0, max(0, token.start - 30)) + 1)
            end = sentence.text.find(" ", token.end + 30)
            return sentence.text[start : end if end > 0 else len(sentence.text)].strip(" ,.")
    return sentence.text


def _claim_phrase(claim: ClaimView, head: str) -> str:
    for token in claim.tokens:
        if token.stem == head:
            start = max(0, claim.text.rfind(" ", 0, max(0, token.start - 25)) + 1)
            end = claim.text.find(" ", token.end + 25)
            return claim.text[start : end if end > 0 else len(claim.text)].strip(" ,.")
    return claim.text
