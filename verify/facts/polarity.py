"""Polarity: negations with their scope ("tidak naik", "belum berstatus KLB"), denials
("membantah kabar bahwa ..."), and modality ("wajib", "dilarang", "boleh", "gratis", "bayar").

A negation's value is the stemmed content words in its scope and ``detail["negator"]`` the
negating word; a modality's value is the modal, with ``negated`` set for "tidak wajib". Polarity
is read over the whole text, not from the shared span set: a negation's scope overlaps the facts
it negates. `mark_negated` then marks those facts, and `zero_counts` reads "tidak ada yang
meninggal" as a count of zero.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from itertools import islice

from index.analysis import STOP_WORDS, stem_word
from verify.facts.fact import Fact, Spans

NEGATORS = ("tidak ada", "tidak", "tak", "bukan", "belum", "tanpa", "tiada", "jangan", "nihil")
# Verbs that deny what follows them in the sentence ("membantah kabar bahwa ...").
DENIALS = (
    "membantah", "dibantah", "menepis", "tidak benar", "hoaks", "hoax", "keliru", "menampik",
    "meluruskan", "bukan benar",
)  # fmt: skip
_NEGATOR = re.compile(
    r"\b(?P<neg>" + "|".join(n.replace(" ", r"\s+") for n in NEGATORS) + r")\b", re.IGNORECASE
)
_DENIAL = re.compile(
    r"\b(?P<neg>" + "|".join(d.replace(" ", r"\s+") for d in DENIALS) + r")\b", re.IGNORECASE
)
_CLAUSE_END = re.compile(
    r"[,;:.!?()]|\b(?:tetapi|tapi|namun|melainkan|sedangkan|padahal|sehingga|karena|agar|"
    r"supaya|kecuali|justru|hanya|sementara|yakni|yaitu|melalui)\b",
    re.IGNORECASE,
)
_DENIAL_END = re.compile(
    r"[.;!?]|\b(?:tetapi|tapi|namun|melainkan|justru|padahal|yang benar|sebenarnya)\b",
    re.IGNORECASE,
)
_SCOPE_WORDS = 5
_WORD = re.compile(r"\S+")
_MODALS = [
    (
        re.compile(
            r"\b(?:tidak|tanpa)\s+(?:di)?(?:pungut|dikenakan|dikenai|ada)\s+(?:biaya|"
            r"tarif|pungutan)|\btanpa\s+biaya|\bbebas\s+biaya|\bcuma-cuma\b|\bgratis\b|"
            r"\bdigratiskan\b|\bnol\s+rupiah\b",
            re.IGNORECASE,
        ),
        "gratis",
    ),
    (
        re.compile(
            r"\b(?:ditarik|dikenakan|dikenai|dipungut|membayar|bayar|berbayar|dibayar|"
            r"ditagih|menarik)\b(?:\s+(?:biaya|tarif|uang|pungutan|retribusi))?",
            re.IGNORECASE,
        ),
        "bayar",
    ),
    (
        re.compile(
            r"\b(?:wajib|diwajibkan|mewajibkan|kewajiban|harus|diharuskan|mengharuskan|"
            r"keharusan)\b",
            re.IGNORECASE,
        ),
        "wajib",
    ),
    (re.compile(r"\b(?:dilarang|melarang|larangan|terlarang)\b", re.IGNORECASE), "dilarang"),
    (
        re.compile(
            r"\b(?:boleh|diperbolehkan|membolehkan|diizinkan|mengizinkan|dibolehkan)\b",
            re.IGNORECASE,
        ),
        "boleh",
    ),
]


def extract_polarity(text: str) -> list[Fact]:
    """Negations with their scope ("tidak naik", "belum berstatus KLB") and modality."""
    found: list[Fact] = []
    for match in _NEGATOR.finditer(text):
        if match.group("neg").lower() == "tidak" and re.match(r"\s+ada\b", text[match.end() :]):
            continue  # read as "tidak ada"
        scope_end = _scope_end(text, match.end(), _CLAUSE_END, _SCOPE_WORDS)
        scope = text[match.end() : scope_end]
        words = tuple(_content_stems(scope))
        if not words:
            continue
        found.append(
            Fact(
                "negation",
                text[match.start() : scope_end].strip(),
                words,
                match.start(),
                scope_end,
                detail={"negator": " ".join(match.group("neg").lower().split())},
            )
        )
    for match in _DENIAL.finditer(text):
        scope_end = _scope_end(text, match.end(), _DENIAL_END, 40)
        words = tuple(_content_stems(text[match.end() : scope_end]))
        if words:
            found.append(
                Fact(
                    "negation",
                    text[match.start() : scope_end].strip(),
                    words,
                    match.start(),
                    scope_end,
                    detail={"negator": match.group("neg").lower(), "denial": True},
                )
            )
    taken = Spans()
    for pattern, modal in _MODALS:
        for match in pattern.finditer(text):
            if not taken.free(match.start(), match.end()):
                continue
            taken.take(match.start(), match.end())
            negated = _directly_negated(text, match.start()) and modal != "gratis"
            if modal == "bayar" and negated:
                modal, negated = "gratis", False  # "tidak bayar" means free
            found.append(
                Fact("modality", match.group(0), modal, match.start(), match.end(), negated=negated)
            )
    return found


def _scope_end(text: str, start: int, stop: re.Pattern[str], max_words: int) -> int:
    """Where a scope opening at `start` ends: at `stop`, or after `max_words` words.

    Only the next few words are read (a boundary further on cannot matter), so a text with a
    thousand negations costs a thousand short looks, not a thousand scans to its end.
    """
    window = len(text)
    for count, word in enumerate(_WORD.finditer(text, start), 1):
        if count == max_words + 2:  # one spare word: "yang benar" may straddle the limit
            window = word.end()
            break
    boundary = stop.search(text, start, window)
    end = boundary.start() if boundary else window
    words = list(islice(_WORD.finditer(text, start, end), max_words + 1))
    if len(words) > max_words:
        end = words[max_words - 1].end()
    return end


def _directly_negated(text: str, position: int) -> bool:
    return bool(
        re.search(
            r"\b(?:tidak|tak|bukan|belum|tanpa)\s+(?:\w+\s+)?$", text[:position], re.IGNORECASE
        )
    )


def _content_stems(text: str) -> list[str]:
    words = re.findall(r"[^\W_]+(?:[.,/-][^\W_]+)*", text.lower())
    return [stem_word(w) for w in words if w not in STOP_WORDS and w not in {"ada", "yang"}]


def zero_counts(polarity: Iterable[Fact], spans: Spans) -> list[Fact]:
    """Counts of zero from "tidak ada (yang) meninggal", "tanpa korban" where the span is free."""
    found = []
    for fact in polarity:
        negator = fact.detail.get("negator")
        if fact.kind != "negation" or negator not in {"tidak ada", "tanpa", "nihil", "tiada"}:
            continue
        if not fact.value or not spans.free(fact.start, fact.end):
            continue
        found.append(
            Fact(
                "quantity",
                fact.text,
                (0.0, 0.0),
                fact.start,
                fact.end,
                unit=fact.value[0],
                qualifier=negator,
            )
        )
    return found


def mark_negated(facts: list[Fact], polarity: list[Fact]) -> list[Fact]:
    """The facts, with ``negated=True`` on those inside a "bukan" or a denial's scope."""
    scopes = [
        (p.start + len(p.detail.get("negator", "")), p.end)
        for p in polarity
        if p.kind == "negation" and (p.detail.get("negator") in {"bukan"} or p.detail.get("denial"))
    ]
    marked = []
    for fact in facts:
        inside = any(a <= fact.start and fact.end <= b for a, b in scopes)
        marked.append(replace(fact, negated=True) if inside and fact.kind != "negation" else fact)
    return marked
