"""Numbers in Indonesian text: digits written the Indonesian way, number words, Roman numerals,
and the words around a number that the extractors read (a qualifier such as "sekitar", the word
before it).

Used by every extractor that reads a number (money, percentages, quantities, ordinals, dates).
"""

from __future__ import annotations

import re
from decimal import Decimal

DIGITS = r"\d+(?:[.,]\d+)*"
"""A run of digits with "." or "," groups: "1.500.000", "2,5"; `parse_number` reads it."""

MAX_DIGITS = 15
"""The most digits a number may have (every integer this long is exact in a float). A longer run
is no number a message states: it is a code, a pasted id or keyboard noise, and reading it would
overflow (a float of 400 nines is infinite; `int` refuses beyond 4,300 digits)."""

NUMBER_WORDS = {
    "nol": 0,
    "satu": 1,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "lima": 5,
    "enam": 6,
    "tujuh": 7,
    "delapan": 8,
    "sembilan": 9,
    "sepuluh": 10,
    "sebelas": 11,
    "seratus": 100,
    "seribu": 1000,
    "sejuta": 1_000_000,
    "setengah": 0.5,
}
_MULTIPLIERS = {"belas": None, "puluh": 10, "ratus": 100, "ribu": 1000, "juta": 1e6}
BIG_NUMBERS = {"miliar": 1e9, "milyar": 1e9, "triliun": 1e12}
NUMBER_WORD = "|".join(sorted([*NUMBER_WORDS, *_MULTIPLIERS, *BIG_NUMBERS], key=len, reverse=True))
"""A regex alternative of every number word, longest first."""
NUMBER_WORDS_RE = re.compile(rf"\b(?:{NUMBER_WORD})(?:\s+(?:{NUMBER_WORD}))*\b", re.IGNORECASE)
"""A run of number words: "dua ribu", "tiga ratus lima puluh"."""

RANGE = r"(?:\s*(?:-|–|s\.?\s?d\.?|sampai|hingga|sd|ke)\s*)"
"""What joins the two ends of a range of numbers: "6-7", "40 sampai 50", "1 s.d. 3"."""

ROMAN_NUMERALS = {
    "I": 1,
    "II": 2,
    "III": 3,
    "IV": 4,
    "V": 5,
    "VI": 6,
    "VII": 7,
    "VIII": 8,
    "IX": 9,
    "X": 10,
}

_QUALIFIER = re.compile(
    r"(?:sekitar|kurang lebih|lebih dari|lebih|kurang dari|hampir|mencapai|sebanyak|sebesar|"
    r"senilai|hingga|sampai|maksimal|minimal|paling (?:banyak|sedikit|lama|lambat|cepat)|"
    r"setidaknya|sedikitnya|total|capai|tembus|menembus|baru|hanya|cuma|di atas|di bawah)\s*$",
    re.IGNORECASE,
)


def parse_int(text: str) -> int | None:
    """Read a whole number of at most `MAX_DIGITS` decimal digits: "110", "05"; else None."""
    text = text.strip()
    if not text.isdecimal() or len(text) > MAX_DIGITS:
        return None  # "1²" is no number; "999…" beyond MAX_DIGITS is none we state
    return int(text)


def parse_number(text: str) -> float | None:
    """Read a number written the Indonesian way: "1.500.000", "2,5", "16.151", "0,22".

    None when it is no such number or has more than `MAX_DIGITS` digits.
    """
    text = text.strip()
    if sum(char.isdecimal() for char in text) > MAX_DIGITS:
        return None
    if re.fullmatch(r"\d+", text):
        return float(text)
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", text):
        return float(text.replace(".", ""))
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+,\d+", text):
        return float(text.replace(".", "").replace(",", "."))
    if re.fullmatch(r"\d{1,3}(?:,\d{3}){2,}", text):  # "1,500,000" written the English way
        return float(text.replace(",", ""))
    if re.fullmatch(r"\d+,\d+", text):
        return float(text.replace(",", "."))
    if re.fullmatch(r"\d+\.\d{1,2}", text):  # "0.2" written the English way
        return float(text)
    return None


def scaled(number: float, scale: float) -> float:
    """`number` times a scale, as written: "4,32" triliun is 4320000000000, where floats give
    4320000000000.0005. The number is read in decimal (`repr` gives back its at most
    `MAX_DIGITS` digits exactly), so only the final result is rounded to a float."""
    if scale == 1:
        return number
    return float(Decimal(repr(number)) * Decimal(scale))


def parse_number_words(text: str) -> float | None:
    """Read a number written in words: "dua ribu" -> 2000, "tiga ratus lima puluh" -> 350."""
    total = 0.0  # thousands, millions ... already complete
    group = 0.0  # the part below a thousand being built
    last = 0.0  # the latest digit word, waiting for "belas", "puluh" or "ratus"
    seen = False
    for word in text.lower().split():
        if word in {"seribu", "sejuta"}:
            total += NUMBER_WORDS[word]
        elif word in {"seratus", "sepuluh", "sebelas"}:
            group += NUMBER_WORDS[word]
        elif word in NUMBER_WORDS:
            if last:
                return None  # "dua tiga" is not one number
            last = NUMBER_WORDS[word]
        elif word in {"belas", "puluh", "ratus"}:
            if not last:
                return None
            group += last + 10 if word == "belas" else last * _MULTIPLIERS[word]
            last = 0.0
        elif word in {"ribu", "juta"} or word in BIG_NUMBERS:
            size = _MULTIPLIERS.get(word) or BIG_NUMBERS[word]
            total += ((group + last) or 1) * size
            group = last = 0.0
        else:
            return None
        seen = True
    value = total + group + last
    return value if seen and value else None


def qualifier_before(text: str, position: int) -> str:
    """The hedge right before a number ("sekitar", "lebih dari", "paling lambat"), or ""."""
    match = _QUALIFIER.search(text[max(0, position - 25) : position])
    return match.group(0).strip().lower() if match else ""


def word_before(text: str, position: int) -> str:
    """The lower-cased word right before `position` (only non-word characters between), or "".

    Read backwards from `position`, so it costs the length of that word, not of the text.
    """
    end = position
    while end > 0 and not _is_word_char(text[end - 1]):
        end -= 1
    start = end
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    return text[start:end].lower()


def _is_word_char(char: str) -> bool:
    """What the regex class \\w matches: a letter, a digit or "_"."""
    return char.isalnum() or char == "_"
