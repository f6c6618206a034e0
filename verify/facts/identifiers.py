"""Numbers that name something rather than count it: phone and hotline numbers ("0821-3193-9177",
"(0341) 751550", "nomor 119") and regulations by number ("Perda 1/2025", "Perwal Nomor 6 Tahun
2015").

Both run before money and quantities in `verify.facts.EXTRACTORS`, so a phone number is never
read as an amount and "Perda 1/2025" never as a count and a year. Values are canonical strings:
a phone number's digits with a leading 0, a regulation as "perwal 6/2015".
"""

from __future__ import annotations

import re

from verify.facts.fact import Fact, Spans
from verify.facts.numbers import parse_int

_PHONE = re.compile(
    r"(?<![\d.,])(?:\+62[\s-]?|0)8\d{1,3}[\s-]?\d{3,4}[\s-]?\d{3,5}(?![\d.,])"
    r"|\(0\d{2,3}\)\s?\d{5,8}"
    r"|(?<=nomor )\d{3,5}\b|(?<=nomer )\d{3,5}\b|(?<=call center )\d{3,5}\b"
    r"|(?<=hotline )\d{3,5}\b|(?<=telepon )\d{3,5}\b",
    re.IGNORECASE,
)
_REGULATION = re.compile(
    r"\b(?P<type>Perda|Perwal|Perwali|Perpres|Permendagri|Permenkes|Permensos|Permen|Pergub|"
    r"Perbup|Inpres|Keppres|Kepmen|UU|PP|SE|SK|Peraturan Daerah|Peraturan Wali ?Kota|"
    r"Peraturan Gubernur|Peraturan Presiden|Peraturan Pemerintah|Peraturan Menteri(?: \w+)?|"
    r"Undang-Undang|Surat Edaran|Keputusan Wali ?Kota|Instruksi Presiden)\s+"
    r"(?:Wali Kota\s+|Kota Malang\s+)?(?:(?:Nomor|No\.?)\s*)?"
    r"(?P<number>\d+)\s*(?:/|Tahun|Th\.?)\s*(?P<year>\d{4})\b",
    re.IGNORECASE,
)
# Long names of regulations -> the abbreviation used as their kind.
_REGULATION_KINDS = {
    "peraturan daerah": "perda",
    "peraturan wali kota": "perwal",
    "peraturan walikota": "perwal",
    "perwali": "perwal",
    "peraturan gubernur": "pergub",
    "peraturan presiden": "perpres",
    "peraturan pemerintah": "pp",
    "undang-undang": "uu",
    "surat edaran": "se",
    "keputusan wali kota": "sk",
    "keputusan walikota": "sk",
    "instruksi presiden": "inpres",
}


def extract_phones(text: str, *, spans: Spans | None = None) -> list[Fact]:
    """Phone and hotline numbers: "081234567890", "(0341) 751550", "nomor 119"."""
    spans = Spans() if spans is None else spans
    found = []
    for match in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        if digits.startswith("62"):
            digits = "0" + digits[2:]
        if spans.free(match.start(), match.end()):
            spans.take(match.start(), match.end())
            found.append(Fact("phone", match.group(0), digits, match.start(), match.end()))
    return found


def extract_regulations(text: str, *, spans: Spans | None = None) -> list[Fact]:
    """Regulations by number: "Perda 1/2025", "Perwal Nomor 6 Tahun 2015"."""
    spans = Spans() if spans is None else spans
    found = []
    for match in _REGULATION.finditer(text):
        kind = " ".join(match.group("type").lower().split())
        if kind.startswith("peraturan menteri"):
            kind = "permen"
        kind = _REGULATION_KINDS.get(kind, kind)
        number = parse_int(match.group("number"))
        if number is None:
            continue  # "Perwali Nomor 999…/2025": no regulation has such a number
        value = f"{kind} {number}/{match.group('year')}"
        if spans.free(match.start(), match.end()):
            spans.take(match.start(), match.end())
            found.append(Fact("regulation", match.group(0), value, match.start(), match.end()))
    return found
