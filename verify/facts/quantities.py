"""Percentages, ordinals and counts: "30 persen", "HUT ke-110", "Juara I", "37 cabor", "dua ribu
peserta".

Percent and quantity values are ``(low, high)``; a quantity's ``unit`` is the stemmed noun after
the number ("37 cabor" -> ``"cabor"``) and ``detail["following"]`` the stems of the next few words.
An ordinal's value is the number and its ``unit`` the stemmed head noun ("HUT ke-110" -> 110,
"hut"). Quantities read whatever numbers are left once money, phones, regulations, percentages,
dates and times have taken theirs.
"""

from __future__ import annotations

import re
from decimal import Decimal

from archive.months import INDONESIAN_MONTHS
from index.analysis import STOP_WORDS, stem_word
from verify.facts.dates import extract_dates, extract_times
from verify.facts.fact import Fact, Spans, is_headline
from verify.facts.identifiers import extract_phones, extract_regulations
from verify.facts.money import extract_money
from verify.facts.numbers import (
    BIG_NUMBERS,
    DIGITS,
    NUMBER_WORDS,
    NUMBER_WORDS_RE,
    RANGE,
    ROMAN_NUMERALS,
    parse_int,
    parse_number,
    parse_number_words,
    qualifier_before,
    scaled,
    word_before,
)

_PERCENT = re.compile(  # from the start of a digit run only: linear on "0808…" with no "%"
    rf"(?<![\d.,])(?P<a>{DIGITS})(?:{RANGE}(?P<b>{DIGITS}))?\s*(?:%|persen\b|prosen\b)",
    re.IGNORECASE,
)
_ORDINAL = re.compile(
    r"\b(?P<head>[^\W\d_]+)\s+ke(?:-\s?|)(?P<n>\d+)\b"
    r"|\b(?P<head2>juara|peringkat|tahap|triwulan|semester|koridor|gelombang|jilid|lantai|"
    r"zona|ring|kelas|angkatan|periode|fase|putaran|termin)\s+(?P<roman>IV|III|II|I|V|VI|\d+)\b",
    re.IGNORECASE,
)
_ORDINAL_WORDS = re.compile(
    r"\b(?P<head>[^\W\d_]+)\s+(?P<w>pertama|kedua|ketiga|keempat|kelima|keenam|ketujuh|"
    r"kedelapan|kesembilan|kesepuluh)\b",
    re.IGNORECASE,
)
_ORDINAL_VALUES = {
    "pertama": 1,
    "kedua": 2,
    "ketiga": 3,
    "keempat": 4,
    "kelima": 5,
    "keenam": 6,
    "ketujuh": 7,
    "kedelapan": 8,
    "kesembilan": 9,
    "kesepuluh": 10,
}
_QUANTITY = re.compile(
    rf"(?<![\w.,/-])(?P<a>{DIGITS})(?:{RANGE}(?P<b>{DIGITS}))?(?:\s*(?P<scale>ribu|juta|miliar|"
    r"milyar)\b)?(?![\w/])"
)
# The word or two right after a number: "37 cabor", "292 merupakan mahasiswa".
_UNIT_WORDS = re.compile(r"\s*([^\W\d_]+(?:-[^\W\d_]+)?)(?:\s+([^\W\d_]+))?")
# Words after a number that are not what it counts.
_NOT_UNITS = STOP_WORDS | frozenset(
    """per hingga sampai sebesar sebanyak sekitar lebih kurang hanya saja lalu sejak mulai
    tersebut ini itu yang dan atau""".split()
)
# Units of measure in their spellings -> (base unit, factor): "160 cm", "160 sentimeter" and
# "1,6 meter" are one height, so they compare equal; the fact's text keeps the spelling read.
MEASURES = {
    **dict.fromkeys(("mm", "milimeter"), ("meter", 0.001)),
    **dict.fromkeys(("cm", "sentimeter", "centimeter", "senti"), ("meter", 0.01)),
    **dict.fromkeys(("m", "meter", "mtr"), ("meter", 1.0)),
    **dict.fromkeys(("km", "kilometer"), ("meter", 1000.0)),
    **dict.fromkeys(("g", "gr", "gram"), ("kilogram", 0.001)),
    **dict.fromkeys(("kg", "kilo", "kilogram"), ("kilogram", 1.0)),
    **dict.fromkeys(("ton",), ("kilogram", 1000.0)),
    **dict.fromkeys(("ml", "mililiter"), ("liter", 0.001)),
    **dict.fromkeys(("l", "ltr", "liter", "litre"), ("liter", 1.0)),
    **dict.fromkeys(("ha", "hektare", "hektar"), ("hektare", 1.0)),
}
# Words between a number and what it counts: "292 merupakan mahasiswa", "310 untuk mahasiswa".
_LINK_WORDS = frozenset({"merupakan", "adalah", "ialah", "untuk", "bagi", "kepada", "orang"})


def extract_percentages(text: str, *, spans: Spans | None = None) -> list[Fact]:
    """Percentages: "30 persen", "0,22%", "40-50 persen"."""
    spans = Spans() if spans is None else spans
    found = []
    for match in _PERCENT.finditer(text):
        low = parse_number(match.group("a"))
        high = parse_number(match.group("b")) if match.group("b") else low
        if low is None or high is None or not spans.free(match.start(), match.end()):
            continue
        spans.take(match.start(), match.end())
        found.append(
            Fact(
                "percent",
                match.group(0),
                (low, high),
                match.start(),
                match.end(),
                unit="persen",
                qualifier=qualifier_before(text, match.start()),
            )
        )
    return found


def extract_ordinals(text: str, *, spans: Spans | None = None) -> list[Fact]:
    """Ordinals with their head noun: "HUT ke-110", "Juara I", "tahap kedua"."""
    spans = Spans() if spans is None else spans
    found = []
    for match in _ORDINAL.finditer(text):
        head = match.group("head") or match.group("head2")
        raw = match.group("n") or match.group("roman")
        value = parse_int(raw) if raw.isdecimal() else ROMAN_NUMERALS.get(raw.upper())
        if value is None or head.lower() in {"dan", "atau", "yang", "hari"}:
            continue
        start = match.start("n") - 3 if match.group("n") else match.start()
        start = max(start, match.start())
        if not spans.free(start, match.end()):
            continue
        spans.take(start, match.end())
        found.append(
            Fact("ordinal", match.group(0), value, match.start(), match.end(), unit=_unit(head))
        )
    for match in _ORDINAL_WORDS.finditer(text):
        if not spans.free(match.start("w"), match.end()):
            continue
        head = match.group("head").lower()
        if head in STOP_WORDS or head in {"yang", "hari", "kali", "untuk"}:
            continue
        spans.take(match.start("w"), match.end())
        value = _ORDINAL_VALUES[match.group("w").lower()]
        found.append(
            Fact("ordinal", match.group(0), value, match.start(), match.end(), unit=_unit(head))
        )
    return found


def _unit(word: str) -> str:
    return stem_word(word.lower())


def _in_base_unit(value: tuple[float, float], unit: str) -> tuple[tuple[float, float], str]:
    """A measured amount in its base unit ("160", "cm" -> 1.6 meter); other counts unchanged."""
    if unit not in MEASURES:
        return value, unit
    base, factor = MEASURES[unit]
    return tuple(float(Decimal(repr(v)) * Decimal(repr(factor))) for v in value), base


def _opens_sentence(text: str, position: int) -> bool:
    """Whether only blanks stand between `position` and the text's start, a newline or a ".!?"."""
    while position > 0 and text[position - 1].isspace():
        if text[position - 1] == "\n":
            return True
        position -= 1
    return position == 0 or text[position - 1] in ".!?"


def _unit_after(text: str, position: int) -> str:
    """The stemmed noun right after a number ("37 cabor" -> "cabor"), or ""."""
    match = _UNIT_WORDS.match(text, position)
    if not match:
        return ""
    word = match.group(1).lower()
    if word in _LINK_WORDS and match.group(2):
        following = match.group(2).lower()
        if (
            following not in _NOT_UNITS
            and following not in NUMBER_WORDS
            and not (word == "orang" and following not in _LINK_WORDS)
        ):
            word = following
    if word in _NOT_UNITS or word in INDONESIAN_MONTHS or word in NUMBER_WORDS:
        return ""
    return _unit(word)


def _words_after(text: str, position: int, count: int = 3) -> tuple[str, ...]:
    """The stems of the next few words after a number (what it may be counting)."""
    stems: list[str] = []
    for word in re.findall(r"[^\W\d_]+|[^\w\s]", text[position : position + 60].lower()):
        if not word.isalpha() or word in STOP_WORDS or len(stems) == count:
            break  # "16 puskesmas dan 27 rumah sakit": "rumah" belongs to the next number
        if word not in _NOT_UNITS:
            stems.append(stem_word(word))
    return tuple(stems)


def extract_quantities(text: str, *, spans: Spans | None = None) -> list[Fact]:
    """Counts with what they count: "37 cabor", "dua ribu peserta", "105 hari", "15 km".

    Without `spans`, money, phones, regulations, percentages, dates and times are read first,
    so that "Rp500 ribu" or "2025" is not also a count.
    """
    if spans is None:
        spans = Spans()
        for extractor in (
            extract_money,
            extract_phones,
            extract_regulations,
            extract_percentages,
            extract_dates,
            extract_times,
        ):
            extractor(text, spans=spans)
    found = []
    headline = is_headline(text)
    for match in _QUANTITY.finditer(text):
        low = parse_number(match.group("a"))
        high = parse_number(match.group("b")) if match.group("b") else low
        if low is None or high is None or not spans.free(match.start(), match.end()):
            continue
        scale = {"ribu": 1e3, "juta": 1e6}.get((match.group("scale") or "").lower(), 1.0)
        if match.group("scale") and match.group("scale").lower() in BIG_NUMBERS:
            scale = 1e9
        if text[max(0, match.start() - 3) : match.start()].lower().endswith(("rt ", "rw ")):
            continue  # "RW 05" is a place, read by the place extractor
        spans.take(match.start(), match.end())
        value, unit = _in_base_unit(
            (scaled(low, scale), scaled(high, scale)), _unit_after(text, match.end())
        )
        found.append(
            Fact(
                "quantity",
                match.group(0),
                value,
                match.start(),
                match.end(),
                unit=unit,
                qualifier=qualifier_before(text, match.start()),
                detail={"following": _words_after(text, match.end())},
            )
        )
    for match in NUMBER_WORDS_RE.finditer(text):
        words = match.group(0)
        value = parse_number_words(words)
        if value is None or not spans.free(match.start(), match.end()):
            continue
        if words[0].isupper() and not _opens_sentence(text, match.start()) and not headline:
            continue  # part of a name: "Gerakan Satu Rumah Satu Jumantik", "Satu Pintu"
        before = word_before(text, match.start())
        after = text[match.end() : match.end() + 2]
        if before == "salah" or after.startswith("-") or words.lower() == "setengah":
            continue
        spans.take(match.start(), match.end())
        amount, unit = _in_base_unit((value, value), _unit_after(text, match.end()))
        found.append(
            Fact(
                "quantity",
                words,
                amount,
                match.start(),
                match.end(),
                unit=unit,
                qualifier=qualifier_before(text, match.start()),
                detail={"following": _words_after(text, match.end())},
            )
        )
    return found
