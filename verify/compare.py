"""Comparing a claim with one release, fact by fact: matches, differences and a relation.

Each fact of the claim is lined up with the official facts of the same kind. Lining up uses the
words around each fact (a claim's "30 persen" for "jalur prestasi" belongs with the release's
percentage near "prestasi", not with the one near "zonasi"), the thing counted ("27 puskesmas" is
compared with a number of puskesmas, not of hospitals) and how well the whole sentence addresses
the claim. The best-aligned official fact with the same value confirms the claim's fact; a
clearly better-aligned one with another value is a difference.

Names (places, agencies, roles) are also checked for presence: a place the release names anywhere
is never called a difference. Polarity is compared separately: a claim that says "sudah berstatus
KLB" against an official "belum berstatus KLB", or "tidak ada yang meninggal" against "tiga pasien
meninggal", conflicts; so does a fee against "gratis".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from verify.evidence import ReleaseText, Sentence, Token, coverage
from verify.facts import DateValue, Fact, describe_value, place_key

# Tokens either side of an official fact that count as its context, and how fast their weight
# falls off. A claim is one short statement, so all of it is the context of each of its facts,
# with a much slower fall-off.
CONTEXT_TOKENS = 12
CONTEXT_DECAY = 4.0
CLAIM_CONTEXT_TOKENS = 40
CLAIM_CONTEXT_DECAY = 6.0
# Facts of a claim this close together describe one thing ("777 kasus pada tahun 2024"); an
# official fact whose neighbours (this close) agree with them lines up better, one whose
# neighbours disagree lines up worse ("Senin, 22 Februari 2024" against "Kamis (22/2/2024)").
CLAIM_PARTNER_CHARS = 60
NEIGHBOUR_CHARS = 40
NEIGHBOUR_BONUS = 0.25
# Taken off a headline's fact, so that a body sentence saying the same is preferred.
TITLE_PENALTY = 0.03
# A sentence that reports what someone else claimed ("warga mengaku ditarik Rp15 ribu", "kabar
# yang beredar") does not state the official value: its facts count for less.
REPORTED_PENALTY = 0.15
REPORTING_STEMS = frozenset({"aku", "keluh", "edar", "unggah", "viral", "hoaks", "isu", "rumor"})
# Alignment added for numbers that look like distortions of each other, and for two ranges.
NEAR_MISS_BONUS = 0.1
SHAPE_BONUS = 0.05
# Alignment needed to call a fact confirmed, or different; and how much better a different
# official value must align than an equal one.
MATCH_ALIGNMENT = 0.30
DIFFERENCE_ALIGNMENT = 0.30
DIFFERENCE_MARGIN = 0.12
# Added to the alignment of an equal official value that is unlikely to recur by chance.
DISTINCTIVE_BONUS = 0.1
# A claim's name that the release uses somewhere counts as this well aligned.
NAMED_ELSEWHERE = 0.35
# Relative tolerance when comparing numbers: exact figures, and hedged ones ("sekitar").
EXACT_TOLERANCE = 0.0005
HEDGED_TOLERANCE = 0.12
# A sentence must cover this much of the claim before its negations are compared with it.
POLARITY_SENTENCE = 0.35
POLARITY_SCOPE = 0.5
# Relevance kept by a release that never speaks of the rule (obligation, ban, fee) a claim states.
RULE_UNADDRESSED = 0.75
# Relevance kept by a release that never uses the claim's rarest word (its likely topic).
TOPIC_MISSING = 0.85
# A sentence that covers this much of the claim supports it even without shared facts.
SUPPORT_SENTENCE = 0.5

VALUE_KINDS = frozenset(
    {"money", "quantity", "percent", "date", "day", "time", "ordinal", "phone", "regulation",
     "place", "role", "agency", "person", "modality", "quote"}
)  # fmt: skip
NAME_KINDS = frozenset({"place", "agency", "role", "person"})
# Values a denial can deny ("membantah kabar tarif naik menjadi Rp15 ribu"); a regulation or a
# name inside the denied clause is only its setting.
_DENIABLE = frozenset({"money", "quantity", "percent", "time", "date", "day"})
_UNIT_KINDS = frozenset({"money", "quantity", "percent", "ordinal"})
_HEDGES = frozenset(
    {"sekitar", "kurang lebih", "hampir", "lebih dari", "lebih", "mencapai", "di atas",
     "setidaknya", "sedikitnya", "kurang dari", "di bawah", "capai", "tembus", "menembus"}
)  # fmt: skip
# "tidak ada yang meninggal" is a count of zero, comparable only with counts of the same thing.
_ZERO = frozenset({"tidak ada", "tanpa", "nihil", "tiada"})
# Generic counters: "10 orang" can be a count of any kind of people.
_GENERIC_UNITS = frozenset({"", "orang", "jiwa", "buah", "unit", "total"})
# Words too light to carry a negation's meaning ("tidak ada", "belum bisa").
_LIGHT = frozenset(
    """ada akan bisa dapat perlu pernah lagi sedang hanya terlalu begitu semua seluruh langsung
    juga lebih masih sudah boleh mau ingin harus jadi menjadi kata sama""".split()
)
_MODAL_FAMILY = {"gratis": "cost", "bayar": "cost", "wajib": "rule", "dilarang": "rule",
                 "boleh": "rule"}  # fmt: skip
_PLACE_GROUPS = {"area": "area", "site": "site", "street": "site", "river": "river",
                 "rw": "rw", "rt": "rt", "region": "region"}  # fmt: skip
_ROLE_FAMILY = {"pj wali kota": "wali kota"}
CITY_GOVERNMENT = "pemerintah kota malang"
_PLACE_WORDS = frozenset(
    """jalan gang gedung gor hotel pasar taman terminal stasiun stadion lapangan balai kantor
    posko mal puskesmas rsud rs sdn smpn sman smkn sd smp sma smk perumahan jembatan kampung
    alun-alun tugu kali sungai kelurahan kecamatan desa dusun kabupaten kota malang negeri rw rt
    kel kec""".split()
)


@dataclass
class ClaimView:
    """A claim ready for comparison: text, analysed terms, facts and word weights."""

    text: str
    tokens: list[Token]
    facts: list[Fact]
    weights: dict[str, float]


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
class Comparison:
    """What one release says about one claim."""

    release: ReleaseText
    relevance: float
    release_coverage: float
    sentence_coverage: dict[int, float]
    matches: list[Match] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)

    @property
    def conflict(self) -> float:
        """The strongest difference (0 when none)."""
        return max((d.strength for d in self.differences), default=0.0)

    @property
    def engaged(self) -> int:
        """How many of the claim's facts this release confirms or contradicts."""
        return len(
            {id(m.claim) for m in self.matches} | {id(d.claim_fact) for d in self.differences}
        )

    @property
    def support(self) -> float:
        """The summed strength of confirmed facts."""
        return sum(m.strength for m in self.matches)

    def relation(self, sentence: Sentence) -> str:
        """supports, contradicts or related: what this sentence does to the claim."""
        if any(d.sentence is sentence for d in self.differences):
            return "contradicts"
        if any(m.sentence is sentence for m in self.matches):
            return "supports"
        if self.sentence_coverage.get(sentence.position, 0.0) >= SUPPORT_SENTENCE:
            return "supports"
        return "related"

    def differences_in(self, sentence: Sentence) -> list[Difference]:
        """The differences whose official side is in `sentence`."""
        return [d for d in self.differences if d.sentence is sentence]


def compare_release(
    claim: ClaimView, release: ReleaseText, *, with_facts: bool = True
) -> Comparison:
    """Compare every fact and negation of `claim` with the sentences of `release`.

    With `with_facts` False only the relevance is measured (for releases too loosely related to
    decide anything, which then cost no fact extraction).
    """
    weights = claim.weights
    scores = {s.position: coverage(weights, s.terms) for s in release.sentences}
    release_coverage = coverage(weights, release.terms)
    best_window = 0.0
    sentences = release.sentences
    for i, _ in enumerate(sentences):
        window = set().union(*(s.terms for s in sentences[max(0, i - 1) : i + 2]))
        best_window = max(best_window, coverage(weights, window))
    best_sentence = max(scores.values(), default=0.0)
    relevance = (release_coverage + best_window + best_sentence) / 3
    comparison = Comparison(release, relevance, release_coverage, scores)
    if not with_facts:
        return comparison
    contexts = {id(f): claim_context(claim.tokens, f) for f in claim.facts}
    # Sentences without a single word of the claim cannot speak of its facts: not read closely.
    official = [
        _Official(f, s, _context(s.tokens, f))
        for s in sentences
        if scores[s.position] > 0
        for f in s.facts
    ]
    pending = [f for f in claim.facts if f.kind in VALUE_KINDS and not f.negated]
    for fact in pending:
        partners = [g for g in pending if g is not fact and _near(g, fact, CLAIM_PARTNER_CHARS)]
        _compare_fact(fact, contexts, partners, official, comparison, claim)
    _compare_polarity(claim, comparison)
    if _rule_unaddressed(claim, release):
        comparison.relevance *= RULE_UNADDRESSED
    if _topic_missing(claim, release):
        comparison.relevance *= TOPIC_MISSING
    return comparison


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
    families = {_MODAL_FAMILY[f.value] for f in claim.facts if f.kind == "modality"}
    if not families:
        return False
    official = {
        _MODAL_FAMILY[f.value] for s in release.sentences for f in s.facts if f.kind == "modality"
    }
    return not families & official


@dataclass
class _Official:
    """An official fact with its sentence and its context words."""

    fact: Fact
    sentence: Sentence
    context: dict[str, float]


def _compare_fact(
    fact: Fact,
    contexts: dict[int, dict[str, float]],
    partners: list[Fact],
    official: list[_Official],
    comparison: Comparison,
    claim: ClaimView,
) -> None:
    """Line one claim fact up with the official facts: a match, a difference, or nothing."""
    context = contexts[id(fact)]
    best_equal: tuple[float, _Official | None] = (0.0, None)
    best_other: tuple[float, _Official | None] = (0.0, None)
    best_denied: tuple[float, _Official | None] = (0.0, None)
    for candidate in official:
        if not comparable(fact, candidate.fact, context, candidate.context):
            continue
        score = alignment(
            fact, candidate.fact, context, candidate.context, claim.weights,
            comparison.sentence_coverage.get(candidate.sentence.position, 0.0),
            comparison.relevance,
        )  # fmt: skip
        score += _neighbour_agreement(candidate, partners, official, contexts)
        if candidate.sentence.position == 0:
            score -= TITLE_PENALTY  # on a tie, show the body's sentence rather than the headline
        if candidate.sentence.terms & REPORTING_STEMS:
            score -= REPORTED_PENALTY
        equal = same_value(fact, candidate.fact)
        denied = candidate.fact.negated and fact.kind in _DENIABLE
        if equal and distinctive(fact):
            score += DISTINCTIVE_BONUS
        if not equal and near_miss(fact, candidate.fact):
            score += NEAR_MISS_BONUS
        if _same_shape(fact, candidate.fact):
            score += SHAPE_BONUS
        score = max(0.0, min(1.0, score))
        if equal and denied:
            best_denied = max(best_denied, (score, candidate), key=lambda pair: pair[0])
        elif equal:
            best_equal = max(best_equal, (score, candidate), key=lambda pair: pair[0])
        elif not denied:
            best_other = max(best_other, (score, candidate), key=lambda pair: pair[0])
    equal_score, other_score, denied_score = best_equal[0], best_other[0], best_denied[0]
    if fact.kind in NAME_KINDS and _named_in(fact, comparison.release):
        if fact.kind != "place":
            return  # the release names that agency, office or person: who did what is too subtle
        # Named somewhere in the release: another name is a difference only where it clearly
        # stands in the claim's place.
        equal_score = max(equal_score, NAMED_ELSEWHERE)
    if equal_score >= MATCH_ALIGNMENT and equal_score + DIFFERENCE_MARGIN > max(
        other_score, denied_score
    ):
        shown = best_equal[1]
        comparison.matches.append(
            Match(fact, shown.fact if shown else None,
                  shown.sentence if shown else comparison.release.sentences[0], equal_score)
        )  # fmt: skip
        return
    if denied_score >= DIFFERENCE_ALIGNMENT and denied_score > equal_score:
        # The release denies exactly the claim's value ("membantah ... Rp15 ribu").
        use_other = other_score >= DIFFERENCE_ALIGNMENT and best_other[1] is not None
        shown = best_other[1] if use_other else best_denied[1]
        official_text = describe_value(shown.fact) if use_other else f"bukan {describe_value(fact)}"
        comparison.differences.append(
            Difference(
                fact.kind,
                describe_value(fact),
                official_text,
                fact,
                shown.fact,
                shown.sentence,
                denied_score,
            )  # fmt: skip
        )
        return
    if fact.qualifier == "relatif":
        return  # "besok" in a rumour is about its own future, not the date of a past release
    if other_score >= DIFFERENCE_ALIGNMENT and other_score >= equal_score + DIFFERENCE_MARGIN:
        shown = best_other[1]
        if fact.kind in NAME_KINDS and fact.kind != "place" and other_score < 0.6:
            return  # another office or person named nearby is weak evidence on its own
        comparison.differences.append(
            Difference(
                fact.kind, describe_value(fact), describe_value(shown.fact), fact, shown.fact,
                shown.sentence, other_score - 0.5 * equal_score,
            )
        )  # fmt: skip


def _neighbour_agreement(
    candidate: _Official,
    partners: list[Fact],
    official: list[_Official],
    contexts: dict[int, dict[str, float]],
) -> float:
    """Bonus when the official facts beside a candidate agree with the claim fact's neighbours.

    "777 kasus pada tahun 2024": the official 777 beside "2024" gains, and an official 389 beside
    "awal Mei 2025" loses, because the year next to it says it is about another time.
    """
    agree = disagree = False
    for partner in partners:
        for other in official:
            if other.sentence is not candidate.sentence or other.fact is candidate.fact:
                continue
            if not _near(other.fact, candidate.fact, NEIGHBOUR_CHARS):
                continue
            if not comparable(partner, other.fact, contexts[id(partner)], other.context):
                continue
            if same_value(partner, other.fact) and not other.fact.negated:
                agree = True
            else:
                disagree = True
    if agree:
        return NEIGHBOUR_BONUS
    return -NEIGHBOUR_BONUS if disagree else 0.0


def near_miss(fact: Fact, other: Fact) -> bool:
    """Whether two different numbers look like one distorted into the other.

    Rumours shift a decimal point (Rp7,4 miliar -> Rp74 miliar), drop or add a digit (3.200 ->
    32.000, 65 -> 165) or swap digits (108 -> 801, 84 -> 48). Two such numbers are most likely
    the same fact, so they line up more easily.
    """
    if fact.kind not in {"money", "quantity", "percent"} or other.kind != fact.kind:
        return False
    a, b = fact.value[0], other.value[0]
    if not a or not b or a == b:
        return False
    ratio = max(a, b) / min(a, b)
    if abs(ratio - round(ratio)) < 1e-9 and round(ratio) in {10, 100, 1000}:
        return True
    digits_a, digits_b = _digits(a), _digits(b)
    if min(len(digits_a), len(digits_b)) < 2:
        return False
    if sorted(digits_a) == sorted(digits_b):
        return True
    return _one_edit(digits_a, digits_b)


def _digits(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", "").lstrip("0") or "0"


def _one_edit(a: str, b: str) -> bool:
    """Whether one insertion, deletion or substitution turns a into b."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _same_shape(fact: Fact, other: Fact) -> bool:
    """Two ranges ("07.00-10.00" and "17.00-20.00"), the usual shape of one schedule."""
    if fact.kind == "time":
        return fact.value[1] is not None and other.value[1] is not None
    if fact.kind == "date":
        return fact.value.end is not None and other.value.end is not None
    return False


def distinctive(fact: Fact) -> bool:
    """Whether a value is unlikely to recur by chance: 777, 16.151, Rp3.736.101, 0,22 persen."""
    if fact.kind in {"money", "quantity", "percent"}:
        low, high = fact.value
        if low != high:
            return True
        digits = f"{low:.2f}".replace(".", "").strip("0")
        return len(digits) >= 3
    if fact.kind == "date":
        return all(part is not None for part in fact.value.start())
    return fact.kind in {"phone", "regulation", "quote", "person"}


def _near(a: Fact, b: Fact, chars: int) -> bool:
    """Whether two facts of one text sit at most `chars` characters apart."""
    gap = max(a.start, b.start) - min(a.end, b.end)
    return gap <= chars


def _context(
    tokens: list[Token], fact: Fact, size: int = CONTEXT_TOKENS, decay: float = CONTEXT_DECAY
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


def claim_context(tokens: list[Token], fact: Fact) -> dict[str, float]:
    """The context of a claim's fact: the whole claim, nearer words weighing a little more."""
    return _context(tokens, fact, CLAIM_CONTEXT_TOKENS, CLAIM_CONTEXT_DECAY)


def comparable(
    fact: Fact, other: Fact, context: Mapping[str, float], other_context: Mapping[str, float]
) -> bool:
    """Whether two facts speak of the same kind of thing and can be compared by value."""
    if fact.kind != other.kind:
        return False
    kind = fact.kind
    if kind == "money":
        return not (fact.unit and other.unit and fact.unit != other.unit)
    if kind == "quantity":
        return _units_compatible(fact, other, context, other_context)
    if kind == "ordinal":
        return fact.unit == other.unit
    if kind == "regulation":
        return fact.value.split()[0] == other.value.split()[0]
    if kind == "place":
        return _PLACE_GROUPS.get(fact.unit) == _PLACE_GROUPS.get(other.unit)
    if kind == "modality":
        return _MODAL_FAMILY[fact.value] == _MODAL_FAMILY[other.value]
    if kind == "date":
        return (
            fact.value is not None
            and other.value is not None
            and _shares_part(fact.value, other.value)
        )
    return True


def _units_compatible(
    fact: Fact, other: Fact, context: Mapping[str, float], other_context: Mapping[str, float]
) -> bool:
    """Counts of the same thing: equal units, a generic counter, or the unit right beside it."""
    if fact.unit == other.unit:
        return True
    zero = fact.qualifier in _ZERO or other.qualifier in _ZERO
    if not zero and (fact.unit in _GENERIC_UNITS or other.unit in _GENERIC_UNITS):
        return True
    # The counted noun follows the number ("tiga pasien meninggal" counts deaths too); a word
    # before it belongs to the previous number ("16 puskesmas dan 27 rumah sakit").
    return fact.unit in other.detail.get("following", ()) or (
        not zero and other.unit in fact.detail.get("following", ())
    )


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
    if fact.kind in _UNIT_KINDS and fact.kind != "percent":
        if fact.unit and fact.unit == other.unit:
            unit = 1.0
        elif fact.unit in _GENERIC_UNITS or other.unit in _GENERIC_UNITS:
            unit = 0.5
        else:
            unit = 0.3
        return 0.4 * local + 0.2 * unit + 0.2 * sentence_coverage + 0.2 * release_relevance
    return 0.5 * local + 0.25 * sentence_coverage + 0.25 * release_relevance


def same_value(fact: Fact, other: Fact) -> bool:
    """Whether two comparable facts state the same value (ranges, hedges and partial dates)."""
    kind = fact.kind
    if kind in {"money", "quantity", "percent"}:
        hedged = fact.qualifier in _HEDGES or other.qualifier in _HEDGES
        return _numbers_agree(fact.value, other.value, hedged)
    if kind == "date":
        return _dates_agree(fact.value, other.value)
    if kind == "time":
        (start, end), (other_start, other_end) = fact.value, other.value
        return start == other_start and (end is None or other_end is None or end == other_end)
    if kind == "place":
        return _places_agree(fact.value, other.value)
    if kind == "role":
        return _ROLE_FAMILY.get(fact.value, fact.value) == _ROLE_FAMILY.get(
            other.value, other.value
        )
    if kind == "modality":
        return fact.value == other.value and fact.negated == other.negated
    if kind == "quote":
        return _quotes_agree(fact.value, other.value)
    if kind == "person":
        return bool(_name_words(fact.value) & _name_words(other.value))
    if kind == "agency":
        # The city government speaks for each of its agencies.
        return fact.value == other.value or CITY_GOVERNMENT in {fact.value, other.value}
    return fact.value == other.value


def _name_words(name: str) -> set[str]:
    return {w for w in name.replace(".", " ").split() if len(w) >= 3}


def _quotes_agree(a: str, b: str) -> bool:
    """Quoted names agree when most words of the shorter one are in the longer one."""
    words_a, words_b = set(a.split()), set(b.split())
    shorter = min(len(words_a), len(words_b))
    return bool(shorter) and len(words_a & words_b) / shorter >= 0.6


def _numbers_agree(a: tuple[float, float], b: tuple[float, float], hedged: bool) -> bool:
    tolerance = HEDGED_TOLERANCE if hedged else EXACT_TOLERANCE

    def close(x: float, y: float) -> bool:
        return abs(x - y) <= tolerance * max(abs(x), abs(y), 1e-9)

    (a_low, a_high), (b_low, b_high) = a, b
    if close(a_low, b_low) and close(a_high, b_high):
        return True
    # one value inside the other's range ("Rp6-7 miliar" and "Rp6,5 miliar")
    if a_low == a_high and b_low <= a_low <= b_high and b_low != b_high:
        return True
    return b_low == b_high and a_low <= b_low <= a_high and a_low != a_high


def _shares_part(a: DateValue, b: DateValue) -> bool:
    return any(x is not None and y is not None for x, y in zip(a.start(), b.start(), strict=True))


def _dates_agree(a: DateValue, b: DateValue) -> bool:
    """Agree when every part both dates give is the same (a date inside a range agrees)."""
    if a.end or b.end:
        return _inside(a, b) or _inside(b, a)
    if a.part and b.part and a.part != b.part:
        return False
    return all(x is None or y is None or x == y for x, y in zip(a.start(), b.start(), strict=True))


def _inside(inner: DateValue, outer: DateValue) -> bool:
    def key(parts: tuple[int | None, ...], fill: int) -> tuple[int, ...] | None:
        year, month, day = parts
        if year is None and month is None:
            return None
        return (year or 0, month or fill, day or (31 if fill == 12 else 1))

    outer_end = outer.end or outer.start()
    inner_end = inner.end or inner.start()
    years_known = all(
        p[0] is not None for p in (inner.start(), inner_end, outer.start(), outer_end)
    )
    if not years_known:  # compare month and day only
        strip = lambda p: (None, p[1], p[2])  # noqa: E731
        inner = DateValue(None, inner.month, inner.day, end=strip(inner_end))
        outer = DateValue(None, outer.month, outer.day, end=strip(outer_end))
        outer_end, inner_end = outer.end, inner.end
    lo, hi = key(outer.start(), 1), key(outer_end, 12)
    a, b = key(inner.start(), 1), key(inner_end, 12)
    if None in (lo, hi, a, b):
        return False
    if inner.start()[2] is None and outer.start()[2] is not None:
        a = a[:2] + (lo[2],) if a[:2] == lo[:2] else a
    return lo <= a and b <= hi


def _place_words(key: str) -> set[str]:
    return {w for w in key.replace("-", " ").split() if w not in _PLACE_WORDS}


def _places_agree(a: str, b: str) -> bool:
    """Same place when the names are equal or one's distinctive words are all in the other's."""
    if a == b:
        return True
    words_a, words_b = _place_words(a), _place_words(b)
    if not words_a or not words_b:
        return a.startswith(b) or b.startswith(a)
    return words_a <= words_b or words_b <= words_a


def _named_in(fact: Fact, release: ReleaseText) -> bool:
    """Whether the release names the claim's place, agency or role anywhere."""
    text = release.lowered
    if fact.kind == "place":
        words = _place_words(place_key(fact.text)) or {place_key(fact.text)}
        return all(word in text for word in words)
    if fact.kind == "agency":
        return fact.text.lower() in text or str(fact.value) in text
    if fact.kind == "person":
        return any(word in text for word in _name_words(fact.value))
    return str(fact.value) in text or fact.text.lower() in text


# -- polarity -----------------------------------------------------------------------------


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
    """Negations on one side that the other side states without negation, and agreements."""
    claim_scopes = _negated_scopes(claim.facts)
    claim_terms = {t.stem for t in claim.tokens}
    weights = claim.weights
    relevant = [
        s for s in comparison.release.sentences
        if comparison.sentence_coverage.get(s.position, 0.0) >= POLARITY_SENTENCE
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
            if share >= POLARITY_SCOPE:
                score = comparison.sentence_coverage[sentence.position]
                comparison.differences.append(
                    Difference(
                        "negation",
                        scope.text,
                        _official_phrase(sentence, head),
                        scope,
                        None,
                        sentence,
                        score * share,
                    )  # fmt: skip
                )
                break
    for sentence in relevant:
        score = comparison.sentence_coverage[sentence.position]
        official_scopes = _negated_scopes(sentence.facts)
        # The official sentence denies something the claim states plainly.
        for scope in official_scopes:
            head = _head(scope.value)
            if not head or head not in claim_terms or _in_scope(head, claim_scopes):
                continue
            words = [w for w in scope.value if w not in _LIGHT]
            present = [w for w in words if w in claim_terms]
            if len(present) / max(len(words), 1) < POLARITY_SCOPE:
                continue
            claim_phrase = _claim_phrase(claim, head)
            comparison.differences.append(
                Difference(
                    "negation",
                    claim_phrase,
                    scope.text,
                    scope,
                    scope,
                    sentence,
                    score * len(present) / max(len(words), 1)
                    - (TITLE_PENALTY if sentence.position == 0 else 0.0),
                )  # fmt: skip
            )


def _preferred(comparison: Comparison, sentence: Sentence) -> float:
    """Sort key of sentences saying the same thing: coverage, a body sentence before the title."""
    return comparison.sentence_coverage.get(sentence.position, 0.0) - (
        TITLE_PENALTY * 3 if sentence.position == 0 else 0.0
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
