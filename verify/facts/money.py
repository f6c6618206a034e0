"""Amounts of money: "Rp 1.500.000", "Rp1,5 jt", "1,5 juta rupiah", "Rp6-7 miliar", "Rp50 rb/kg".

A value is ``(low, high)`` in rupiah, so "Rp1,5 jt" and "Rp 1.500.000" compare equal; ``unit``
holds a "per ..." basis such as ``"per bulan"``. A number counts as money only with a sign of it:
"Rp", "rupiah", a chat scale ("rb", "jt", "k") or a money word before it ("biaya 500 ribu").
"""

from __future__ import annotations

import re

from index.analysis import stem_word
from verify.facts.fact import Fact, Spans
from verify.facts.numbers import (
    DIGITS,
    NUMBER_WORDS_RE,
    RANGE,
    parse_number,
    parse_number_words,
    qualifier_before,
    scaled,
)

_SCALES = {
    "ribu": 1e3,
    "rb": 1e3,
    "rbu": 1e3,
    "k": 1e3,
    "juta": 1e6,
    "jt": 1e6,
    "jta": 1e6,
    "miliar": 1e9,
    "milyar": 1e9,
    "m": 1e9,
    "triliun": 1e12,
    "t": 1e12,
}
_SCALE = r"(?:ribu|rbu|rb|juta|jta|jt|miliar|milyar|triliun|k|m|t)"
_MONEY = re.compile(
    rf"(?P<rp>\bRp\.?\s*)?(?P<a>{DIGITS})(?:\s*(?P<sa>{_SCALE})\b)?"
    rf"(?:{RANGE}(?:Rp\.?\s*)?(?P<b>{DIGITS}))?"
    rf"(?:\s*(?P<scale>{_SCALE})(?![^\W\d_]))?(?P<rupiah>\s*rupiah)?"
    r"(?:\s*(?:/|per\s+)(?P<per>[^\W\d_]+))?",
    re.IGNORECASE,
)
# "lima ratus ribu rupiah": a run of number words (`NUMBER_WORDS_RE`) followed by this. Runs are
# found once each, so a long run not followed by "rupiah" is not read again from each word.
_RUPIAH_AFTER = re.compile(r"\s+rupiah\b", re.IGNORECASE)
# Words that make "500 ribu" an amount of money even without "Rp".
_MONEY_CUES = re.compile(
    r"\b(?:biaya|tarif|harga|gaji|upah|insentif|anggaran|dana|bantuan|denda|pajak|retribusi|"
    r"tiket|ongkos|iuran|pungutan|nilai|senilai|modal|hadiah|honor|uang|bayar|membayar|"
    r"dibayar|transfer|pendapatan|realisasi|target)\b[^.!?]{0,25}$",
    re.IGNORECASE,
)


# Spellings of the basis of a price: "/kg" and "per kilogram" are the same.
_PER_UNITS = {
    "kilogram": "kg", "kilo": "kg", "kg": "kg", "liter": "liter", "ltr": "liter", "l": "liter",
    "bln": "bulan", "bulan": "bulan", "thn": "tahun", "th": "tahun", "tahun": "tahun",
    "hr": "hari", "hari": "hari", "org": "orang", "orang": "orang", "jiwa": "orang",
    "kpm": "kpm", "keluarga": "kpm", "kk": "kpm", "unit": "unit", "rumah": "unit",
    "jam": "jam", "pcs": "buah", "buah": "buah", "paket": "paket",
}  # fmt: skip


def extract_money(text: str, *, spans: Spans | None = None) -> list[Fact]:
    """Amounts of money: "Rp 1.500.000", "Rp1,5 jt", "1,5 juta rupiah", "Rp6-7 miliar"."""
    spans = Spans() if spans is None else spans
    found = []
    for match in _MONEY.finditer(text):
        rp, scale, rupiah = match.group("rp"), match.group("scale"), match.group("rupiah")
        first_scale = match.group("sa")
        if scale is None and first_scale and not match.group("b"):
            scale = first_scale
        chat_scale = (scale or "").lower() in {"rb", "rbu", "jt", "jta", "k"}
        cue = bool(scale) and _MONEY_CUES.search(text[max(0, match.start() - 40) : match.start()])
        if not (rp or rupiah or chat_scale or cue):
            continue
        if (scale or "").lower() in {"m", "t", "k"} and not rp:
            continue
        low = parse_number(match.group("a"))
        high = parse_number(match.group("b")) if match.group("b") else low
        if low is None or high is None:
            continue
        multiplier = _SCALES.get((scale or "").lower(), 1.0)
        first = _SCALES.get((first_scale or "").lower(), multiplier)
        low, high = scaled(low, first), scaled(high, multiplier)
        if low > high and not first_scale:
            low = scaled(low, multiplier)
        start, end = match.start(), match.end()
        per = match.group("per")
        unit = f"per {_PER_UNITS.get(per.lower(), stem_word(per.lower()))}" if per else ""
        if not spans.free(start, end):
            continue
        spans.take(start, end)
        found.append(
            Fact(
                "money",
                text[start:end].strip(),
                (low, high),
                start,
                end,
                unit=unit,
                qualifier=qualifier_before(text, start),
            )
        )
    for words in NUMBER_WORDS_RE.finditer(text):
        rupiah = _RUPIAH_AFTER.match(text, words.end())
        if rupiah is None:
            continue
        start, end = words.start(), rupiah.end()
        value = parse_number_words(words.group(0))
        if value is None or not spans.free(start, end):
            continue
        spans.take(start, end)
        found.append(Fact("money", text[start:end], (value, value), start, end))
    return found
