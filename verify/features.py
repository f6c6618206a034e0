"""A claim and its best release, turned into numbers for the learned verdict.

`claim_features` reads the comparisons of one claim (best release first, `verify.compare`) and
returns a flat dict of named numbers, each in a small range. What they measure:

- **coverage**: how much of the claim the release addresses at all, the best run of its
  *official* sentences (a relayed rumour or complaint never counts), the best sentence; plain
  and idf-weighted; shared word pairs and the longest shared run of words; the weight of the
  heaviest claim word the passage lacks and how many are missing; whether the claim's topic
  word or its rule (obligation, ban, fee) is absent from the release;
- **assertions the passage does not make**: per class of key word (negators, restrictors such
  as *hanya*, universals such as *semua*, degree, aspect, modal words, *pertama*), whether the
  claim uses one the passage lacks; an opposite word (naik/turun) in the passage; verbs of the
  claim (*dibongkar*, *ditutup*) the release never uses;
- **facts**, per family (numbers, time, place, rule, other; agencies and roles are named
  everywhere and left out): how many the claim states, the strongest difference, the share
  the release never speaks to (confirmed facts are not a feature: an altered claim keeps its
  other facts, so confirmations taught the model the wrong lesson);
  negations that conflict or agree; an office held by someone else on that date;
- **stance**: whether the release is a correction, how well the claim matches the rumour it
  reports and denies (and whether it matches it better than the official sentences), whether
  another close release is such a correction, and whether the claim itself is negated (a
  negated claim whose negation the release states says what the denial says: its likeness to
  the rumour is then left out);
- **time**: how many years the matter the claim speaks of lies after the release;
- **ambiguity**: the gap to the next release and how many releases are about as close.

The same function serves the check, the training script and the evaluation, so what the model
was trained on is exactly what it sees.
"""

from __future__ import annotations

import math
import re
from datetime import date
from functools import cache
from pathlib import Path

from index.analysis import stem_word
from verify.compare import ClaimView, Comparison, Passage
from verify.evidence import FRAMING_WORDS, Token
from verify.facts import Fact
from verify.rules import GROUPS, rule_for

ANTONYMS_PATH = Path(__file__).resolve().parent / "data" / "antonyms.tsv"

# Key words whose presence in a claim is an assertion of its own (as written, lower case: the
# stemmer folds "selamanya" and "selama" together, which must stay apart here).
WORD_CLASSES: dict[str, frozenset[str]] = {
    "negator": frozenset("tidak bukan belum tak tanpa jangan tiada nihil".split()),
    "restrictor": frozenset("hanya cuma saja semata semata-mata satu-satunya khusus".split()),
    "universal": frozenset(
        """semua seluruh seluruhnya setiap tiap selalu selamanya segala semuanya total permanen
        sepenuhnya""".split()
    ),
    "degree": frozenset(
        """paling terbesar terkecil tertinggi terendah terbanyak termurah termahal lebih kurang
        sangat hampir mayoritas sebagian kebanyakan""".split()
    ),
    "aspect": frozenset("sudah telah akan masih baru pernah sedang segera".split()),
    "modal": frozenset(
        "wajib harus boleh dilarang bisa dapat perlu mesti gratis bayar berbayar".split()
    ),
    "first": frozenset("pertama perdana terakhir".split()),
}
_CLASS_WORDS = frozenset().union(*WORD_CLASSES.values())
# Modal words no modality fact reads (`verify.facts.polarity` reads wajib, harus, boleh,
# dilarang, gratis, bayar and their forms).
_UNREAD_MODAL_WORDS = frozenset("bisa dapat perlu mesti".split())
_OPPOSITE_MODALS = {"boleh": "dilarang", "dilarang": "boleh"}
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# Capitalised words that name no particular person or place.
_COMMON_NAMES = frozenset(
    """kota malang pemkot pemerintah dinas badan kepala wali wakil bapak ibu pak bu warga kabupaten
    provinsi jawa timur indonesia ri rp pj sekda camat lurah""".split()
)
# Affixes that make a verb of a root: "dibongkar", "menutup", "berlaku", "terbakar".
_VERB_PREFIXES = ("di", "me", "ber", "ter", "ke")
# Hinges: a linear model gets a bend in these features at these points.
_HINGES = {
    "official_cov": (0.6, 0.8, 0.9),
    "relevance": (0.4, 0.6),
    "plain_cov": (0.7, 0.9),
    "rumour_cov": (0.5, 0.7),
}
# Closed classes of words that stand in for each other ("SD" where the release says "SMP").
_CLOSED_CLASSES = (
    frozenset("tk paud sd smp sma smk mi mts ma sdn smpn sman smkn slb".split()),
    frozenset("senin selasa rabu kamis jumat sabtu minggu".split()),
    frozenset(
        """januari februari maret april mei juni juli agustus september oktober november
        desember""".split()
    ),
    frozenset("klojen blimbing kedungkandang lowokwaru sukun".split()),
    frozenset("sapi kambing domba kerbau ayam".split()),
    frozenset("balita bayi anak remaja dewasa lansia pelajar mahasiswa siswa".split()),
    frozenset("pagi siang sore malam".split()),
)
STALE_YEARS = 3.0


@cache
def antonyms() -> dict[str, frozenset[str]]:
    """Stem -> the stems of its opposites, from `verify/data/antonyms.tsv`."""
    pairs: dict[str, set[str]] = {}
    for number, line in enumerate(ANTONYMS_PATH.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        left, tab, right = line.partition("\t")
        if not tab or not left.strip() or not right.strip():
            raise ValueError(f"{ANTONYMS_PATH}:{number}: expected 'word<TAB>opposite'")
        a, b = stem_word(left.strip()), stem_word(right.strip())
        pairs.setdefault(a, set()).add(b)
        pairs.setdefault(b, set()).add(a)
    return {word: frozenset(others) for word, others in pairs.items()}


def claim_features(claim: ClaimView, ranked: list[Comparison]) -> dict[str, float]:
    """The features of a claim against its ranked releases (best first); see the docstring."""
    features: dict[str, float] = {"bias_none": 0.0 if ranked else 1.0}
    content = _content_tokens(claim)
    features["claim_words"] = min(1.0, math.log1p(len(content)) / math.log(30))
    features["claim_negated"] = float(
        any(f.kind == "negation" for f in claim.facts)
        or any(t.stem in WORD_CLASSES["negator"] for t in content)
    )
    if not ranked:
        return _with_hinges(features)
    top = ranked[0]
    features.update(_coverage(claim, content, top))
    features.update(_assertions(claim, content, top))
    features.update(_facts(claim, top))
    features.update(_stance(features["claim_negated"], top, ranked))
    features.update(_ambiguity(ranked))
    features["stale"] = stale_years(claim.facts, top) / STALE_YEARS
    return _with_hinges(features)


def _content_tokens(claim: ClaimView) -> list[Token]:
    return [t for t in claim.tokens if t.stem not in FRAMING_WORDS]


def _with_hinges(features: dict[str, float]) -> dict[str, float]:
    for name, points in _HINGES.items():
        value = features.get(name, 0.0)
        for point in points:
            features[f"{name}>{point}"] = max(0.0, value - point)
    return features


# -- coverage ---------------------------------------------------------------------------------


def _coverage(claim: ClaimView, content: list[Token], top: Comparison) -> dict[str, float]:
    passage = top.official
    terms = passage.terms
    weights = claim.weights
    stems = [t.stem for t in content]
    present = [s in terms for s in stems]
    heaviest = max(weights.values(), default=0.0) or 1.0
    missing = {s for s, found in zip(stems, present, strict=True) if not found}
    best_sentence = max(
        (top.sentence_coverage.get(s.position, 0.0) for s in top.release.sentences
         if s.stance.official),
        default=0.0,
    )  # fmt: skip
    return {
        "relevance": top.relevance,
        "release_cov": top.release_coverage,
        "official_cov": passage.coverage,
        "sentence_cov": best_sentence,
        "plain_cov": sum(present) / len(present) if present else 0.0,
        "bigram_cov": _bigram_share(stems, _passage_stems(passage)),
        "run_share": _longest_run(stems, _passage_stems(passage)) / max(len(stems), 1),
        "miss_heaviest": max((weights.get(s, 0.0) for s in missing), default=0.0) / heaviest,
        "misplaced": _misplaced(claim, top),
        "miss_count": min(1.0, len(missing) / 6),
        "topic_missing": float(top.topic_missing),
        "rule_unaddressed": float(top.rule_unaddressed),
    }


def _misplaced(claim: ClaimView, top: Comparison) -> float:
    """Weight share of claim words the release has, but not in its best official sentence.

    A claim that borrows a word from another part of the release ("kambing" where the sentence
    about the health collar says "sapi") is assembled, not stated.
    """
    official = [s for s in top.release.sentences if s.stance.official]
    if not official:
        return 0.0
    best = max(official, key=lambda s: top.sentence_coverage.get(s.position, 0.0))
    total = sum(claim.weights.values()) or 1.0
    elsewhere = sum(
        w for t, w in claim.weights.items() if t not in best.terms and t in top.release.terms
    )
    return elsewhere / total


def _passage_stems(passage: Passage) -> list[str]:
    return [t.stem for s in passage.sentences for t in s.tokens]


def _bigram_share(stems: list[str], other: list[str]) -> float:
    pairs = list(zip(stems, stems[1:], strict=False))
    if not pairs:
        return 0.0
    known = set(zip(other, other[1:], strict=False))
    return sum(pair in known for pair in pairs) / len(pairs)


def _longest_run(stems: list[str], other: list[str]) -> int:
    """The longest run of the claim's words found in the same order in `other`."""
    best = 0
    previous = [0] * (len(other) + 1)
    for a in stems:
        current = [0] * (len(other) + 1)
        for j, b in enumerate(other, 1):
            if a == b:
                current[j] = previous[j - 1] + 1
                best = max(best, current[j])
        previous = current
    return best


# -- assertions the passage does not make -------------------------------------------------------


def _assertions(claim: ClaimView, content: list[Token], top: Comparison) -> dict[str, float]:
    terms = top.official.terms
    stems = {t.stem for t in content}
    written = set(_WORD.findall(claim.text.lower()))
    passage = set(_WORD.findall(" ".join(s.text for s in top.official.sentences).lower()))
    found = {
        f"lacks_{name}": float(bool((written & words) - passage))
        for name, words in WORD_CLASSES.items()
    }
    # Rules are read by meaning, not by word: "gak boleh" is what "dilarang" says, "harus" what
    # "wajib" says; only the modal words no fact reads ("bisa", "perlu") are matched as words.
    stated = _modal_meanings(f for s in top.official.sentences for f in s.facts)
    found["lacks_modal"] = float(
        bool(_modal_meanings(claim.facts) - stated)
        or bool((written & _UNREAD_MODAL_WORDS) - passage)
    )
    found["unknown_names"] = min(1.0, len(_unknown_names(claim.text, top.release.lowered)) / 2)
    opposite = antonyms()
    found["antonym"] = float(
        any(s not in terms and opposite.get(s, frozenset()) & terms for s in stems)
    )
    found.update(_swaps(claim, content, top))
    verbs = [t for t in content if _is_verb(claim.text, t) and t.stem not in _CLASS_WORDS]
    heaviest = max(claim.weights.values(), default=0.0) or 1.0
    absent = [t for t in verbs if t.stem not in top.release.terms]
    found["verb_absent"] = max((claim.weights.get(t.stem, 0.0) for t in absent), default=0.0) / (
        heaviest
    )
    return found


def _modal_meanings(facts) -> set[tuple[str, bool]]:
    """(modal, negated) of each modality fact, "not allowed" read as "forbidden" and back."""
    meanings = set()
    for fact in facts:
        if fact.kind != "modality":
            continue
        if fact.negated and fact.value in _OPPOSITE_MODALS:
            meanings.add((_OPPOSITE_MODALS[fact.value], False))
        else:
            meanings.add((fact.value, fact.negated))
    return meanings


def _swaps(claim: ClaimView, content: list[Token], top: Comparison) -> dict[str, float]:
    """Claim words whose place in the best official sentence holds another word.

    A claim that alters one word keeps its neighbours: "... di Surabaya" against "... di
    Banyuwangi", "kambing ... dipasangi kalung" against "sapi ... dipasangi kalung". The claim's
    word is missing from the sentence, but a word beside it is there, next to a word the claim
    lacks. What kind of words they are tells a substitution from a paraphrase: two names, two
    members of a closed class (school levels, days, kecamatan), two opposites, or just words.
    """
    official = [s for s in top.release.sentences if s.stance.official]
    found = {"swap_name": 0.0, "swap_class": 0.0, "swap_word": 0.0}
    if not official or not content:
        return found
    best = max(official, key=lambda s: top.sentence_coverage.get(s.position, 0.0))
    claim_stems = {t.stem for t in content}
    heaviest = max(claim.weights.values(), default=0.0) or 1.0
    sentence = best.tokens
    places: dict[str, list[int]] = {}
    for position, token in enumerate(sentence):
        places.setdefault(token.stem, []).append(position)
    for i, token in enumerate(content):
        if token.stem in best.terms:
            continue
        for neighbour, step in ((i - 1, 1), (i + 1, -1)):
            if not 0 <= neighbour < len(content):
                continue
            for j in places.get(content[neighbour].stem, ()):
                k = j + step
                if not 0 <= k < len(sentence) or sentence[k].stem in claim_stems:
                    continue
                other = sentence[k]
                kind = _swap_kind(claim.text, token, best.text, other)
                weight = claim.weights.get(token.stem, 0.0) / heaviest
                found[kind] = max(found[kind], weight if kind == "swap_word" else 1.0)
    return found


def _swap_kind(text: str, token: Token, other_text: str, other: Token) -> str:
    a, b = text[token.start : token.end], other_text[other.start : other.end]
    if any(a.lower() in group and b.lower() in group for group in _CLOSED_CLASSES):
        return "swap_class"
    if a[:1].isupper() and b[:1].isupper() and token.start > 0 and other.start > 0:
        return "swap_name"
    return "swap_word"


def _unknown_names(text: str, release: str) -> list[str]:
    """Capitalised words inside the claim (names) that the release never writes."""
    names = []
    for match in _WORD.finditer(text):
        word = match.group(0)
        before = text[: match.start()].rstrip()
        if not word[0].isupper() or not before or before[-1] in ".!?:\n":
            continue  # lower case, or the first word of a sentence
        if word.lower() in _COMMON_NAMES or word.isupper():
            continue  # an acronym: releases often spell it out
        if word.lower() not in release:
            names.append(word)
    return names


def _is_verb(text: str, token: Token) -> bool:
    """Whether a claim word looks like a verb: an affix around a shorter root (dibongkar)."""
    surface = text[token.start : token.end].lower()
    return len(token.stem) + 2 <= len(surface) and surface.startswith(_VERB_PREFIXES)


# -- facts -----------------------------------------------------------------------------------


def _facts(claim: ClaimView, top: Comparison) -> dict[str, float]:
    found: dict[str, float] = {}
    compared = [f for f in claim.facts if rule_for(f) is not None and not f.negated]
    matched = {id(m.claim) for m in top.matches}
    differing: dict[int, float] = {}
    for difference in top.differences:
        key = id(difference.claim_fact)
        differing[key] = max(differing.get(key, 0.0), difference.strength)
    for group in GROUPS:
        if group == "who":
            continue  # agencies and roles are named everywhere: noise (offices are read below)
        facts = [f for f in compared if rule_for(f).group == group]
        strengths = [differing.get(id(f), 0.0) for f in facts]
        found[f"{group}_claimed"] = min(1.0, len(facts) / 2)
        found[f"{group}_diff"] = max(strengths, default=0.0)
        unstated = [f for f in facts if id(f) not in matched and id(f) not in differing]
        found[f"{group}_unstated"] = len(unstated) / max(len(facts), 1)
    found["office_mismatch"] = float(any(d.kind == "office" for d in top.differences))
    found["diff_in_best"] = max(
        (d.strength * top.sentence_coverage.get(d.sentence.position, 0.0)
         for d in top.differences),
        default=0.0,
    )  # fmt: skip
    negations = [d.strength for d in top.differences if d.kind == "negation"]
    found["negation_diff"] = max(negations, default=0.0)
    found["negation_match"] = float(any(m.claim.kind == "negation" for m in top.matches))
    found["refuted_values"] = min(1.0, len(top.refutations) / 2)
    found["compared"] = float(top.compared)
    return found


# -- stance, ambiguity, time --------------------------------------------------------------------


def _stance(negated: float, top: Comparison, ranked: list[Comparison]) -> dict[str, float]:
    close = [c for c in ranked[:3] if top.relevance - c.relevance <= 0.15]
    if negated and any(m.claim.kind == "negation" for m in top.matches):
        # The claim says what the denial says ("belum KLB"): it shares the rumour's words
        # because it answers the rumour, so how well it matches the rumour says nothing.
        rumour = other = 0.0
    else:
        rumour = top.rumour_coverage
        other = max((c.rumour_coverage for c in close if c.correction), default=0.0)
    return {
        "correction": float(top.correction),
        "rumour_cov": rumour,
        "rumour_over_official": max(0.0, rumour - top.official.coverage),
        "close_correction": other,
        "negated_x_rumour": negated * max(rumour, other),
    }


def _ambiguity(ranked: list[Comparison]) -> dict[str, float]:
    top = ranked[0]
    rest = ranked[1:]
    gap = top.relevance - rest[0].relevance if rest else top.relevance
    close = sum(1 for c in rest if top.relevance - c.relevance <= 0.05)
    other_diff = max((c.conflict for c in rest[:2] if c.compared), default=0.0)
    return {"relevance_gap": gap, "close_releases": min(1.0, close / 3), "other_diff": other_diff}


def stale_years(facts: list[Fact], top: Comparison) -> float:
    """Years from the release to the time the claim speaks of (0 when not later or unknown).

    The claim's time is its latest date (relative dates such as "besok" were resolved against
    the day of the check) that the release does not itself state.
    """
    published = top.release.candidate.published
    if published is None:
        return 0.0
    stated = {id(m.claim) for m in top.matches}
    latest: date | None = None
    for fact in facts:
        if fact.kind != "date" or fact.value is None or id(fact) in stated:
            continue
        year, month, day = fact.value.end or fact.value.start()
        if year is None:
            continue
        moment = date(year, month or 1, day or 1)
        latest = moment if latest is None or moment > latest else latest
    if latest is None:
        return 0.0
    years = (latest - published.date()).days / 365.25
    return max(0.0, min(STALE_YEARS, years))
