"""Facts in Indonesian text: money, quantities, dates, times, places, roles, agencies, polarity.

Every extractor is a pure function of a string and returns `Fact`s with character spans, so the
page can mark them and `verify.compare` can line a claim's facts up with an official sentence's.
`extract_facts` runs them all; a span taken by one extractor is not read again by a later one
(a date is not also a quantity, a phone number is not an amount).

Values are normalised so that equal facts compare equal whatever the spelling:

- money: ``(low, high)`` in rupiah ("Rp1,5 jt" and "Rp 1.500.000" are both ``(1.5e6, 1.5e6)``);
  ``unit`` holds a "per ..." basis such as ``"per bulan"``.
- quantity and percent: ``(low, high)``; ``unit`` is the stemmed noun after the number
  ("37 cabor" -> ``"cabor"``), number words included ("dua ribu peserta").
- date: `DateValue` with the parts the text gives (year, month, day, and an end for ranges);
  relative dates ("besok", "akhir bulan") are resolved against ``reference`` when given.
- day: weekday number, Monday = 0. time: minutes after midnight ``(start, end)``.
- place, role, agency, person (a name right after a role): a canonical lower-case name;
  ``unit`` is the place type.
- ordinal ("HUT ke-110", "Juara I"): the number, ``unit`` the stemmed head noun.
- phone, regulation ("Perda 1/2025"): a canonical string; quote (a quoted name or theme): its
  lower-cased words.
- negation: the negator and the stemmed content words in its scope; modality: "wajib",
  "dilarang", "boleh", "gratis" or "bayar" (``negated`` set for "tidak wajib").

Facts inside the scope of a negation or a denial ("bukan Rp15 ribu", "membantah kabar bahwa ...")
carry ``negated=True``: the text says they are not so.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from index.analysis import STOP_WORDS, stem_word
from index.names import AGENCIES, ALIASES, KECAMATAN, VENUES

# -- the Fact type --------------------------------------------------------------------------


@dataclass(frozen=True)
class DateValue:
    """A date as precise as the text: missing parts are None; `end` is set for ranges."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    end: tuple[int | None, int | None, int | None] | None = None
    part: str = ""  # "awal", "pertengahan" or "akhir" of the month or year

    def start(self) -> tuple[int | None, int | None, int | None]:
        """The first (year, month, day) of the value."""
        return (self.year, self.month, self.day)

    def last(self) -> tuple[int | None, int | None, int | None]:
        """The last (year, month, day) of the value (the start when it is not a range)."""
        return self.end or self.start()


@dataclass(frozen=True)
class Fact:
    """One fact found in a text, with its span [start, end)."""

    kind: str
    text: str
    value: Any
    start: int
    end: int
    unit: str = ""
    qualifier: str = ""  # "sekitar", "lebih dari", "paling lambat", "hingga", ...
    negated: bool = False
    detail: dict = field(default_factory=dict, compare=False, hash=False)

    def to_json(self) -> dict:
        """A JSON-ready view: kind, text, value (as text), span, unit, negated."""
        return {
            "kind": self.kind,
            "text": self.text,
            "value": describe_value(self),
            "start": self.start,
            "end": self.end,
            "unit": self.unit,
            "negated": self.negated,
        }


# -- numbers --------------------------------------------------------------------------------

_DIGITS = r"\d+(?:[.,]\d+)*"
_NUMBER_WORDS = {
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
_BIG = {"miliar": 1e9, "milyar": 1e9, "triliun": 1e12}
_NUMBER_WORD = "|".join(sorted([*_NUMBER_WORDS, *_MULTIPLIERS, *_BIG], key=len, reverse=True))
_NUMBER_WORDS_RE = re.compile(rf"\b(?:{_NUMBER_WORD})(?:\s+(?:{_NUMBER_WORD}))*\b", re.IGNORECASE)

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
_RANGE = r"(?:\s*(?:-|–|s\.?\s?d\.?|sampai|hingga|sd|ke)\s*)"
_QUALIFIER = re.compile(
    r"(?:sekitar|kurang lebih|lebih dari|lebih|kurang dari|hampir|mencapai|sebanyak|sebesar|"
    r"senilai|hingga|sampai|maksimal|minimal|paling (?:banyak|sedikit|lama|lambat|cepat)|"
    r"setidaknya|sedikitnya|total|capai|tembus|menembus|baru|hanya|cuma|di atas|di bawah)\s*$",
    re.IGNORECASE,
)


def parse_number(text: str) -> float | None:
    """Read a number written the Indonesian way: "1.500.000", "2,5", "16.151", "0,22"."""
    text = text.strip()
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


def parse_number_words(text: str) -> float | None:
    """Read a number written in words: "dua ribu" -> 2000, "tiga ratus lima puluh" -> 350."""
    total = 0.0  # thousands, millions ... already complete
    group = 0.0  # the part below a thousand being built
    last = 0.0  # the latest digit word, waiting for "belas", "puluh" or "ratus"
    seen = False
    for word in text.lower().split():
        if word in {"seribu", "sejuta"}:
            total += _NUMBER_WORDS[word]
        elif word in {"seratus", "sepuluh", "sebelas"}:
            group += _NUMBER_WORDS[word]
        elif word in _NUMBER_WORDS:
            if last:
                return None  # "dua tiga" is not one number
            last = _NUMBER_WORDS[word]
        elif word in {"belas", "puluh", "ratus"}:
            if not last:
                return None
            group += last + 10 if word == "belas" else last * _MULTIPLIERS[word]
            last = 0.0
        elif word in {"ribu", "juta"} or word in _BIG:
            size = _MULTIPLIERS.get(word) or _BIG[word]
            total += ((group + last) or 1) * size
            group = last = 0.0
        else:
            return None
        seen = True
    value = total + group + last
    return value if seen and value else None


# -- fact extraction ------------------------------------------------------------------------


class _Spans:
    """Character ranges already taken by an earlier extractor."""

    def __init__(self) -> None:
        self.taken: list[tuple[int, int]] = []

    def free(self, start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in self.taken)

    def take(self, start: int, end: int) -> None:
        self.taken.append((start, end))


def _word_before(text: str, position: int) -> str:
    match = re.search(r"([^\W_]+)\W*$", text[:position])
    return match.group(1).lower() if match else ""


def _qualifier(text: str, position: int) -> str:
    match = _QUALIFIER.search(text[max(0, position - 25) : position])
    return match.group(0).strip().lower() if match else ""


# Money ---------------------------------------------------------------------------------------

_MONEY = re.compile(
    rf"(?P<rp>\bRp\.?\s*)?(?P<a>{_DIGITS})(?:\s*(?P<sa>{_SCALE})\b)?"
    rf"(?:{_RANGE}(?:Rp\.?\s*)?(?P<b>{_DIGITS}))?"
    rf"(?:\s*(?P<scale>{_SCALE})(?![^\W\d_]))?(?P<rupiah>\s*rupiah)?"
    r"(?:\s*(?:/|per\s+)(?P<per>[^\W\d_]+))?",
    re.IGNORECASE,
)
_MONEY_WORDS = re.compile(
    rf"(?P<w>(?:{_NUMBER_WORD})(?:\s+(?:{_NUMBER_WORD}))*)\s+rupiah\b", re.IGNORECASE
)
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


def extract_money(text: str) -> list[Fact]:
    """Amounts of money: "Rp 1.500.000", "Rp1,5 jt", "1,5 juta rupiah", "Rp6-7 miliar"."""
    return _extract_money(text, _Spans())


def _extract_money(text: str, spans: _Spans) -> list[Fact]:
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
        low, high = low * first, high * multiplier
        if low > high and not first_scale:
            low = low * multiplier
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
                qualifier=_qualifier(text, start),
            )
        )
    for match in _MONEY_WORDS.finditer(text):
        value = parse_number_words(match.group("w"))
        if value is None or not spans.free(match.start(), match.end()):
            continue
        spans.take(match.start(), match.end())
        found.append(Fact("money", match.group(0), (value, value), match.start(), match.end()))
    return found


# Phones and regulations ----------------------------------------------------------------------

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


def extract_phones(text: str) -> list[Fact]:
    """Phone and hotline numbers: "081234567890", "(0341) 751550", "nomor 119"."""
    return _extract_phones(text, _Spans())


def _extract_phones(text: str, spans: _Spans) -> list[Fact]:
    found = []
    for match in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        if digits.startswith("62"):
            digits = "0" + digits[2:]
        if spans.free(match.start(), match.end()):
            spans.take(match.start(), match.end())
            found.append(Fact("phone", match.group(0), digits, match.start(), match.end()))
    return found


def extract_regulations(text: str) -> list[Fact]:
    """Regulations by number: "Perda 1/2025", "Perwal Nomor 6 Tahun 2015"."""
    return _extract_regulations(text, _Spans())


def _extract_regulations(text: str, spans: _Spans) -> list[Fact]:
    found = []
    for match in _REGULATION.finditer(text):
        kind = " ".join(match.group("type").lower().split())
        if kind.startswith("peraturan menteri"):
            kind = "permen"
        kind = _REGULATION_KINDS.get(kind, kind)
        value = f"{kind} {int(match.group('number'))}/{match.group('year')}"
        if spans.free(match.start(), match.end()):
            spans.take(match.start(), match.end())
            found.append(Fact("regulation", match.group(0), value, match.start(), match.end()))
    return found


# Dates, days and times -----------------------------------------------------------------------

MONTHS = {
    "januari": 1,
    "jan": 1,
    "februari": 2,
    "pebruari": 2,
    "feb": 2,
    "maret": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "juni": 6,
    "juli": 7,
    "agustus": 8,
    "agu": 8,
    "agt": 8,
    "agus": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nopember": 11,
    "nov": 11,
    "desember": 12,
    "des": 12,
}
DAYS = {
    "senin": 0,
    "selasa": 1,
    "rabu": 2,
    "kamis": 3,
    "jumat": 4,
    "jum'at": 4,
    "sabtu": 5,
    "minggu": 6,
    "ahad": 6,
}
MONTH_NAMES = (
    "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
).split()
DAY_NAMES = "Senin Selasa Rabu Kamis Jumat Sabtu Minggu".split()

_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?:19[5-9]\d|20\d\d)"
_DAY_NUMBER = r"(?:[12]\d|3[01]|0?[1-9])"
_DATE_RANGE = r"(?:\s*(?:-|–|hingga|sampai|s\.?\s?d\.?|sd|dan|ke)\s*)"
_PART = r"(?:(?P<part>awal|akhir|pertengahan|medio|penghujung|mulai|sejak)\s+)?"
_DATE_PATTERNS = [
    # 23/09/2019, (3/6/2024), 23-09-2019
    re.compile(
        rf"(?<![\d/])(?P<d>{_DAY_NUMBER})[/-](?P<m>0?[1-9]|1[0-2])[/-](?P<y>\d{{4}}|\d{{2}})(?![\d/])"
    ),
    # 13-15 Oktober 2025, 3 hingga 5 Juni
    re.compile(
        rf"\b(?P<d>{_DAY_NUMBER}){_DATE_RANGE}(?P<d2>{_DAY_NUMBER})\s+(?P<mn>{_MONTH})"
        rf"(?:\s+(?P<y>{_YEAR}))?\b",
        re.IGNORECASE,
    ),
    # 30 November 2021 ... 1 Desember 2021 (two full dates) are read one by one; 23 September 2019
    re.compile(
        rf"\b(?P<d>{_DAY_NUMBER})\s+(?P<mn>{_MONTH})(?:\s+(?P<y>{_YEAR}))?\b", re.IGNORECASE
    ),
    # September hingga November 2024, Oktober-Desember 2025
    re.compile(
        rf"\b{_PART}(?P<mn>{_MONTH})(?:\s+(?P<y0>{_YEAR}))?{_DATE_RANGE}(?P<mn2>{_MONTH})"
        rf"(?:\s+(?P<y>{_YEAR}))?\b",
        re.IGNORECASE,
    ),
    # akhir November 2025, Maret 2025, awal Mei
    re.compile(rf"\b{_PART}(?P<mn>{_MONTH})(?:\s+(?P<y>{_YEAR}))?\b", re.IGNORECASE),
    # triwulan I 2022 / semester II 2024
    re.compile(
        r"\b(?P<period>triwulan|kuartal|semester)\s+(?P<roman>IV|III|II|I|[1-4])\s+"
        rf"(?:tahun\s+)?(?P<y>{_YEAR})\b",
        re.IGNORECASE,
    ),
    # 2024/2025 (school year), 2024-2025
    re.compile(rf"\b(?P<y>{_YEAR})\s*[/-]\s*(?P<y2>{_YEAR})\b"),
    # tahun 2025, akhir 2025, 2025
    re.compile(
        rf"\b{_PART}(?:(?:tahun|th\.?|thn\.?)\s+)?(?P<y>{_YEAR})\b(?![.,]\d)", re.IGNORECASE
    ),
]
_RELATIVE = re.compile(
    r"\b(?P<rel>hari ini|malam ini|nanti malam|sore ini|pagi ini|besok(?: pagi| malam)?|lusa|"
    r"kemarin|minggu depan|pekan depan|minggu lalu|pekan lalu|bulan depan|bulan ini|bulan lalu|"
    r"tahun depan|tahun ini|tahun lalu|akhir bulan(?: ini)?|awal bulan(?: depan)?|"
    r"akhir tahun(?: ini)?|awal tahun(?: depan)?)\b",
    re.IGNORECASE,
)
_DAY_NAME = re.compile(
    r"\b(?P<day>senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad)\b", re.IGNORECASE
)
_TIME = re.compile(
    r"(?:\b(?P<cue>pukul|jam|pkl\.?)\s*)?"
    r"(?<![\d.,])(?P<h>[01]?\d|2[0-4])(?:[.:](?P<mi>[0-5]\d))?(?!\d|[.,]\d)"
    r"(?:\s*(?:-|–|sampai|hingga|s\.?\s?d\.?|sd)\s*(?:pukul\s*|jam\s*)?"
    r"(?P<h2>[01]?\d|2[0-4])(?:[.:](?P<mi2>[0-5]\d))?(?!\d|[.,]\d))?"
    r"(?:\s*(?P<zone>WIB|WITA|WIT)\b|\s+(?P<daypart>pagi|siang|sore|malam)\b)?",
    re.IGNORECASE,
)
_ROMAN = {
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


def _month(name: str | None) -> int | None:
    return MONTHS.get(name.lower().rstrip(".")) if name else None


def _year(text: str | None) -> int | None:
    if not text:
        return None
    year = int(text)
    return year + 2000 if year < 100 else year


def _valid(year: int | None, month: int | None, day: int | None) -> bool:
    if month is not None and not 1 <= month <= 12:
        return False
    if day is not None and month is not None:
        limit = calendar.monthrange(year or 2024, month)[1]
        return 1 <= day <= limit
    return True


def extract_dates(text: str, reference: date | datetime | None = None) -> list[Fact]:
    """Dates and days: "Senin (23/09/2019)", "23 September", "besok", "akhir bulan"."""
    return _extract_dates(text, _Spans(), reference)


def _extract_dates(
    text: str, spans: _Spans, reference: date | datetime | None = None
) -> list[Fact]:
    found: list[Fact] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            value = _date_value(match)
            if value is None or not spans.free(match.start(), match.end()):
                continue
            if pattern is _DATE_PATTERNS[-1] and match.group(0)[0].isdigit():
                # a bare year: not when it is really a count ("2025 orang") or an amount
                after = text[match.end() : match.end() + 12].lower()
                if re.match(r"\s*(?:orang|unit|rumah|warga|peserta|kasus|siswa|ton|kg)\b", after):
                    continue
            spans.take(match.start(), match.end())
            found.append(Fact("date", match.group(0), value, match.start(), match.end()))
    for match in _RELATIVE.finditer(text):
        if not spans.free(match.start(), match.end()):
            continue
        spans.take(match.start(), match.end())
        value = _relative_date(match.group("rel").lower(), reference)
        found.append(
            Fact(
                "date",
                match.group(0),
                value,
                match.start(),
                match.end(),
                qualifier="relatif",
                detail={"relative": match.group("rel").lower()},
            )
        )
    for match in _DAY_NAME.finditer(text):
        name = match.group("day").lower().replace("'", "")
        if not spans.free(match.start(), match.end()):
            continue
        if name == "minggu":
            before = _word_before(text, match.start())
            after = text[match.end() : match.end() + 12].lower()
            looks_like_day = match.group(0)[0].isupper() or re.match(r"\s*[(,]", after)
            if before.isdigit() or re.match(r"\s*(?:depan|lalu|ini|ke|pertama|kedua)", after):
                continue
            if not looks_like_day:
                continue
        spans.take(match.start(), match.end())
        found.append(Fact("day", match.group(0), DAYS[name], match.start(), match.end()))
    return found


def _date_value(match: re.Match[str]) -> DateValue | None:
    groups = match.groupdict()
    part = (groups.get("part") or "").lower()
    if part in {"mulai", "sejak"}:
        part = ""
    if part == "medio":
        part = "pertengahan"
    if groups.get("period"):
        quarter = groups["roman"].upper()
        number = _ROMAN.get(quarter) or int(quarter)
        year = _year(groups["y"])
        size = 3 if groups["period"].lower() in {"triwulan", "kuartal"} else 6
        first = (number - 1) * size + 1
        if first + size - 1 > 12:
            return None
        return DateValue(year, first, None, end=(year, first + size - 1, None))
    if groups.get("y2"):
        first, second = _year(groups["y"]), _year(groups["y2"])
        if second is None or first is None or second - first != 1:
            return None
        return DateValue(first, None, None, end=(second, None, None))
    if groups.get("m") and groups.get("d") and not groups.get("mn"):
        year, month, day = _year(groups["y"]), int(groups["m"]), int(groups["d"])
        return DateValue(year, month, day) if _valid(year, month, day) else None
    year = _year(groups.get("y"))
    month = _month(groups.get("mn"))
    if groups.get("mn2"):
        first_year = _year(groups.get("y0")) or year
        return DateValue(
            first_year, month, None, end=(year, _month(groups["mn2"]), None), part=part
        )
    day = int(groups["d"]) if groups.get("d") else None
    if groups.get("d2"):
        last = int(groups["d2"])
        if not (_valid(year, month, day) and _valid(year, month, last)) or last <= (day or 0):
            return None
        return DateValue(year, month, day, end=(year, month, last))
    if not _valid(year, month, day):
        return None
    if month is None and year is None:
        return None
    return DateValue(year, month, day, part=part)


def _relative_date(phrase: str, reference: date | datetime | None) -> DateValue | None:
    """Resolve "besok", "bulan depan", "akhir bulan" ... against the reference date."""
    if reference is None:
        return None
    today = reference.date() if isinstance(reference, datetime) else reference
    phrase = phrase.split(" pagi")[0].split(" malam")[0] if phrase.startswith("besok") else phrase

    def shift_month(months: int) -> tuple[int, int]:
        index = today.year * 12 + today.month - 1 + months
        return index // 12, index % 12 + 1

    if phrase in {"hari ini", "malam ini", "nanti malam", "sore ini", "pagi ini"}:
        return DateValue(today.year, today.month, today.day)
    if phrase == "besok":
        moment = today + timedelta(days=1)
        return DateValue(moment.year, moment.month, moment.day)
    if phrase == "lusa":
        moment = today + timedelta(days=2)
        return DateValue(moment.year, moment.month, moment.day)
    if phrase == "kemarin":
        moment = today - timedelta(days=1)
        return DateValue(moment.year, moment.month, moment.day)
    if phrase in {"minggu depan", "pekan depan", "minggu lalu", "pekan lalu"}:
        step = 7 if phrase.endswith("depan") else -7
        monday = today - timedelta(days=today.weekday()) + timedelta(days=step)
        sunday = monday + timedelta(days=6)
        return DateValue(
            monday.year, monday.month, monday.day, end=(sunday.year, sunday.month, sunday.day)
        )
    if phrase.startswith("awal bulan"):
        year, month = shift_month(1 if phrase.endswith("depan") else 0)
        return DateValue(year, month, None, part="awal")
    if phrase.startswith("akhir bulan"):
        return DateValue(today.year, today.month, None, part="akhir")
    if phrase in {"bulan depan", "bulan ini", "bulan lalu"}:
        year, month = shift_month({"bulan depan": 1, "bulan ini": 0, "bulan lalu": -1}[phrase])
        return DateValue(year, month, None)
    if phrase.startswith("akhir tahun"):
        return DateValue(today.year, None, None, part="akhir")
    if phrase.startswith("awal tahun"):
        year = today.year + (1 if phrase.endswith("depan") else 0)
        return DateValue(year, None, None, part="awal")
    offsets = {"tahun depan": 1, "tahun ini": 0, "tahun lalu": -1}
    return DateValue(today.year + offsets[phrase], None, None) if phrase in offsets else None


def extract_times(text: str) -> list[Fact]:
    """Times of day: "pukul 07.00", "17.00-20.00 WIB", "jam 9 malam"."""
    return _extract_times(text, _Spans())


def _extract_times(text: str, spans: _Spans) -> list[Fact]:
    found = []
    for match in _TIME.finditer(text):
        cue, minutes, second = match.group("cue"), match.group("mi"), match.group("h2")
        zone, daypart = match.group("zone"), match.group("daypart")
        dotted = minutes is not None and (second is None or match.group("mi2") is not None)
        if not (cue or zone or (dotted and second) or (dotted and daypart)):
            continue
        if cue is None and minutes is None:
            continue
        start = _minutes(match.group("h"), minutes, daypart)
        end = _minutes(second, match.group("mi2"), daypart) if second else None
        if start is None or (second and end is None):
            continue
        if not spans.free(match.start(), match.end()):
            continue
        spans.take(match.start(), match.end())
        found.append(Fact("time", match.group(0).strip(), (start, end), match.start(), match.end()))
    return found


def _minutes(hour: str | None, minute: str | None, daypart: str | None) -> int | None:
    if hour is None:
        return None
    value = int(hour)
    if value > 24:
        return None
    if daypart and daypart.lower() in {"sore", "malam"} and value < 12:
        value += 12
    return value * 60 + int(minute or 0)


# Percentages, ordinals and quantities --------------------------------------------------------

_PERCENT = re.compile(
    rf"(?P<a>{_DIGITS})(?:{_RANGE}(?P<b>{_DIGITS}))?\s*(?:%|persen\b|prosen\b)", re.IGNORECASE
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
    rf"(?<![\w.,/-])(?P<a>{_DIGITS})(?:{_RANGE}(?P<b>{_DIGITS}))?(?:\s*(?P<scale>ribu|juta|miliar|"
    r"milyar)\b)?(?![\w/])"
)
# Words after a number that are not what it counts.
_NOT_UNITS = STOP_WORDS | frozenset(
    """per hingga sampai sebesar sebanyak sekitar lebih kurang hanya saja lalu sejak mulai
    tersebut ini itu tahun yang dan atau""".split()
)
_PEOPLE = frozenset({"orang", "jiwa"})


def extract_percentages(text: str) -> list[Fact]:
    """Percentages: "30 persen", "0,22%", "40-50 persen"."""
    return _extract_percentages(text, _Spans())


def _extract_percentages(text: str, spans: _Spans) -> list[Fact]:
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
                qualifier=_qualifier(text, match.start()),
            )
        )
    return found


def extract_ordinals(text: str) -> list[Fact]:
    """Ordinals with their head noun: "HUT ke-110", "Juara I", "tahap kedua"."""
    return _extract_ordinals(text, _Spans())


def _extract_ordinals(text: str, spans: _Spans) -> list[Fact]:
    found = []
    for match in _ORDINAL.finditer(text):
        head = match.group("head") or match.group("head2")
        raw = match.group("n") or match.group("roman")
        value = int(raw) if raw.isdigit() else _ROMAN.get(raw.upper())
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


# Words between a number and what it counts: "292 merupakan mahasiswa", "310 untuk mahasiswa".
_LINK_WORDS = frozenset({"merupakan", "adalah", "ialah", "untuk", "bagi", "kepada", "orang"})


def _unit_after(text: str, position: int) -> str:
    """The stemmed noun right after a number ("37 cabor" -> "cabor"), or ""."""
    match = re.match(r"\s*([^\W\d_]+(?:-[^\W\d_]+)?)(?:\s+([^\W\d_]+))?", text[position:])
    if not match:
        return ""
    word = match.group(1).lower()
    if word in _LINK_WORDS and match.group(2):
        following = match.group(2).lower()
        if (
            following not in _NOT_UNITS
            and following not in _NUMBER_WORDS
            and not (word == "orang" and following not in _LINK_WORDS)
        ):
            word = following
    if word in _NOT_UNITS or word in MONTHS or word in _NUMBER_WORDS:
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


def extract_quantities(text: str) -> list[Fact]:
    """Counts with what they count: "37 cabor", "dua ribu peserta", "105 hari", "15 km"."""
    spans = _Spans()
    for extractor in (_extract_money, _extract_phones, _extract_regulations, _extract_percentages):
        extractor(text, spans)
    _extract_dates(text, spans)
    _extract_times(text, spans)
    return _extract_quantities(text, spans)


def _title_case(text: str) -> bool:
    """Whether a text is written In Title Case (a headline): capitals then mean nothing."""
    words = re.findall(r"[^\W\d_]{4,}", text)
    return len(words) >= 4 and sum(w[0].isupper() for w in words) / len(words) > 0.75


def _extract_quantities(text: str, spans: _Spans) -> list[Fact]:
    found = []
    headline = _title_case(text)
    for match in _QUANTITY.finditer(text):
        low = parse_number(match.group("a"))
        high = parse_number(match.group("b")) if match.group("b") else low
        if low is None or high is None or not spans.free(match.start(), match.end()):
            continue
        scale = {"ribu": 1e3, "juta": 1e6}.get((match.group("scale") or "").lower(), 1.0)
        if match.group("scale") and match.group("scale").lower() in _BIG:
            scale = 1e9
        if text[max(0, match.start() - 3) : match.start()].lower().endswith(("rt ", "rw ")):
            continue  # "RW 05" is a place, read by the place extractor
        spans.take(match.start(), match.end())
        found.append(
            Fact(
                "quantity",
                match.group(0),
                (low * scale, high * scale),
                match.start(),
                match.end(),
                unit=_unit_after(text, match.end()),
                qualifier=_qualifier(text, match.start()),
                detail={"following": _words_after(text, match.end())},
            )
        )
    for match in _NUMBER_WORDS_RE.finditer(text):
        words = match.group(0)
        value = parse_number_words(words)
        if value is None or not spans.free(match.start(), match.end()):
            continue
        at_sentence_start = not text[: match.start()].strip() or re.search(
            r"[.!?\n]\s*$", text[: match.start()]
        )
        if words[0].isupper() and not at_sentence_start and not headline:
            continue  # part of a name: "Gerakan Satu Rumah Satu Jumantik", "Satu Pintu"
        before = _word_before(text, match.start())
        after = text[match.end() : match.end() + 2]
        if before == "salah" or after.startswith("-") or words.lower() == "setengah":
            continue
        spans.take(match.start(), match.end())
        found.append(
            Fact(
                "quantity",
                words,
                (value, value),
                match.start(),
                match.end(),
                unit=_unit_after(text, match.end()),
                qualifier=_qualifier(text, match.start()),
                detail={"following": _words_after(text, match.end())},
            )
        )
    return found


# Places, roles and agencies ------------------------------------------------------------------

_PLACE_HEADS = {
    "jalan": "street",
    "jl": "street",
    "jln": "street",
    "gang": "street",
    "gg": "street",
    "gedung": "site",
    "gor": "site",
    "hotel": "site",
    "pasar": "site",
    "taman": "site",
    "terminal": "site",
    "stasiun": "site",
    "stadion": "site",
    "lapangan": "site",
    "balai": "site",
    "kantor": "site",
    "posko": "site",
    "mal": "site",
    "puskesmas": "site",
    "rsud": "site",
    "rs": "site",
    "sdn": "site",
    "smpn": "site",
    "sman": "site",
    "smkn": "site",
    "sd": "site",
    "smp": "site",
    "sma": "site",
    "smk": "site",
    "perumahan": "site",
    "jembatan": "site",
    "kampung": "site",
    "alun-alun": "site",
    "tugu": "site",
    "kali": "river",
    "sungai": "river",
    "kelurahan": "area",
    "kecamatan": "area",
    "kel": "area",
    "kec": "area",
    "desa": "area",
    "dusun": "area",
    "kabupaten": "region",
    "kota": "region",
    "rw": "rw",
    "rt": "rt",
}
_PLACE_HEAD = re.compile(
    r"\b(?P<head>(?i:"
    + "|".join(sorted((re.escape(h) for h in _PLACE_HEADS), key=len, reverse=True))
    + r"))\.?\s+(?P<name>(?:[A-Z0-9][\w'-]*)(?:\s+(?:[A-Z0-9][\w'-]*)){0,3})",
)
# Words that end a place name even when capitalised (a sentence start after the name, roles).
_NAME_STOPS = frozenset(
    """Pada Pukul Senin Selasa Rabu Kamis Jumat Sabtu Minggu Kota Malang Dinas Badan Kepala Wali
    Yang Dan Di Ke Dari Untuk Sejak Mulai Hingga Sampai Bersama Oleh Serta""".split()
)


@dataclass(frozen=True)
class _Name:
    canonical: str
    type: str


@cache
def _gazetteer() -> tuple[re.Pattern[str], dict[str, _Name]]:
    """One pattern for every gazetteer name and alias, longest first."""
    names: dict[str, _Name] = {}
    for kecamatan, kelurahan in KECAMATAN.items():
        names[kecamatan.lower()] = _Name(kecamatan, "area")
        for name in kelurahan:
            names[name.lower()] = _Name(name, "area")
    for alias, name in ALIASES.items():
        names[alias.lower()] = _Name(name, "area")
    for venue in VENUES:
        kind = "street" if venue.lower().startswith("jalan") else "site"
        names[venue.lower()] = _Name(venue, kind)
    alternatives = sorted(
        (re.escape(n).replace(r"\ ", r"\s+") for n in names), key=len, reverse=True
    )
    pattern = re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)
    return pattern, names


def place_key(name: str) -> str:
    """A spelling-insensitive key of a place name: lower case, no "jl."/"jalan" prefix noise."""
    key = name.lower().replace("jl.", "jalan").replace("jln.", "jalan")
    key = re.sub(r"^(?:jl|jln)\s", "jalan ", key)
    key = re.sub(r"[^\w\s-]", " ", key)
    return " ".join(key.split())


def extract_places(text: str) -> list[Fact]:
    """Places in Malang: kecamatan, kelurahan, venues, streets, "Gedung ...", "RW 05"."""
    return _extract_places(text, _Spans())


def _extract_places(text: str, spans: _Spans) -> list[Fact]:
    found: list[Fact] = []
    pattern, names = _gazetteer()
    for match in _PLACE_HEAD.finditer(text):
        head = match.group("head").lower()
        words = match.group("name").split()
        kept = []
        for word in words:
            if (word in _NAME_STOPS and not (word == "Malang" and not kept)) or (
                kept and word.isdigit() and head not in {"rw", "rt"} and len(word) > 3
            ):
                break  # "Malang" may open a name ("Gedung Malang Creative Center")
            kept.append(word.strip(",."))
        if not kept:
            continue
        if head in {"rw", "rt"}:
            if not kept[0].isdigit():
                continue
            value = f"{head} {int(kept[0])}"
            kept = kept[:1]
        elif kept[0].isdigit():
            continue
        else:
            value = place_key(f"{head} {' '.join(kept)}")
        kind = _PLACE_HEADS[head]
        if head == "kota" and kept[0].lower() == "malang":
            continue
        end = match.start("name") + len(" ".join(kept))
        if kind == "area":
            known = names.get(" ".join(kept).lower())
            if known:
                value = place_key(known.canonical)
        if not spans.free(match.start(), end):
            continue
        spans.take(match.start(), end)
        found.append(Fact("place", text[match.start() : end], value, match.start(), end, unit=kind))
    for match in pattern.finditer(text):
        name = names.get(" ".join(match.group(0).lower().split()))
        if name is None or not spans.free(match.start(), match.end()):
            continue
        spans.take(match.start(), match.end())
        found.append(
            Fact(
                "place",
                match.group(0),
                place_key(name.canonical),
                match.start(),
                match.end(),
                unit=name.type,
            )
        )
    return found


ROLES: dict[str, tuple[str, ...]] = {
    "pj wali kota": ("pj wali kota", "pj. wali kota", "penjabat wali kota", "pj walikota"),
    "wakil wali kota": ("wakil wali kota", "wakil walikota", "wawali"),
    "wali kota": ("wali kota", "walikota", "walkot"),
    "sekretaris daerah": ("sekretaris daerah", "sekda", "pj sekda", "plt sekda"),
    "kepala dinas": ("kepala dinas", "kadis", "kadin"),
    "kepala badan": ("kepala badan", "kaban"),
    "kepala bagian": ("kepala bagian", "kabag"),
    "kepala bidang": ("kepala bidang", "kabid"),
    "kepala seksi": ("kepala seksi", "kasi"),
    "kepala upt": ("kepala upt",),
    "kepala pelaksana": ("kepala pelaksana", "kalaksa"),
    "kepala sekolah": ("kepala sekolah", "kasek"),
    "sekretaris dinas": ("sekretaris dinas", "sekdin"),
    "direktur utama": ("direktur utama", "dirut"),
    "direktur": ("direktur",),
    "camat": ("camat",),
    "lurah": ("lurah",),
    "ketua dprd": ("ketua dprd",),
    "anggota dprd": ("anggota dprd", "anggota dewan", "legislator"),
    "gubernur": ("gubernur",),
    "wakil gubernur": ("wakil gubernur", "wagub"),
    "presiden": ("presiden",),
    "wakil presiden": ("wakil presiden", "wapres"),
    "menteri": ("menteri",),
    "kapolresta": ("kapolresta", "kapolres"),
    "kapolda": ("kapolda",),
    "dandim": ("dandim",),
    "ketua rt": ("ketua rt",),
    "ketua rw": ("ketua rw",),
}
# "Kepala Dishub" and similar name the head of an agency.
_HEAD_OF = re.compile(r"\bkepala\s+(?P<agency>[A-Z][\w-]+(?:\s+PP)?)", re.IGNORECASE)


@cache
def _role_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    spellings = {spelling: role for role, forms in ROLES.items() for spelling in forms}
    alternatives = sorted(
        (re.escape(s).replace(r"\ ", r"\s+") for s in spellings), key=len, reverse=True
    )
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE), spellings


# Capitalised words after a role that describe the office, not the person holding it.
_OFFICE_WORDS = frozenset(
    """kota malang kabupaten provinsi jawa timur jatim dinas badan bagian bidang kepala pemkot
    pemerintah ri republik indonesia daerah umum""".split()
)
_CAPITALISED = re.compile(r"[A-Z][a-z'’]+(?:-[A-Z]?[a-z'’]+)?\.?")


def extract_roles(text: str) -> list[Fact]:
    """Office holders: "Wali Kota", "Sekda", "Kepala Dinas", "Kepala Dishub", "Camat"."""
    return _extract_roles(text, _Spans())


def _extract_roles(text: str, spans: _Spans) -> list[Fact]:
    found = []
    pattern, spellings = _role_pattern()
    agencies = _agency_lookup()
    for match in _HEAD_OF.finditer(text):
        agency = agencies.get(match.group("agency").lower())
        if agency is None or not spans.free(match.start(), match.end()):
            continue
        spans.take(match.start(), match.end())
        found.append(
            Fact(
                "role",
                match.group(0),
                "kepala dinas",
                match.start(),
                match.end(),
                detail={"agency": agency},
            )
        )
        found.extend(_person_after(text, match.end(), spans))
    for match in pattern.finditer(text):
        role = spellings[" ".join(match.group(0).lower().split())]
        if not spans.free(match.start(), match.end()):
            continue
        spans.take(match.start(), match.end())
        found.append(Fact("role", match.group(0), role, match.start(), match.end()))
        found.extend(_person_after(text, match.end(), spans))
    return found


def _person_after(text: str, position: int, spans: _Spans) -> list[Fact]:
    """The person named right after a role: "Kepala Dinkes Kota Malang, Husnul Muarif"."""
    window = text[position : position + 120]
    offset = 0
    for segment in window.split(",")[:3]:
        run: list[re.Match[str]] = []
        cursor = len(segment) - len(segment.lstrip())
        for word in re.finditer(r"\S+", segment):
            if word.start() != cursor or not _CAPITALISED.fullmatch(word.group(0).rstrip(".")):
                break
            run.append(word)
            cursor = word.end() + 1
            while cursor < len(segment) and segment[cursor] == " ":
                cursor += 1
        names = [w.group(0).lower().rstrip(".") for w in run]
        if not run:
            return []
        if names[-1] in _OFFICE_WORDS or _agency_lookup().get(" ".join(names)):
            offset += len(segment) + 1  # "Kota Malang," describes the office: the name follows
            continue
        while run and names[0] in _OFFICE_WORDS:
            run, names = run[1:], names[1:]
        kept = []
        for word, name in zip(run, names, strict=True):
            if name in DAYS or name in MONTHS or name in _OFFICE_WORDS:
                break
            kept.append(word)
        if not kept or (len(kept) == 1 and len(names[0]) < 4):
            return []
        start = position + offset + kept[0].start()
        end = position + offset + kept[-1].end()
        if not spans.free(start, end):
            return []
        spans.take(start, end)
        value = " ".join(w.group(0).rstrip(".") for w in kept).lower()
        return [Fact("person", text[start:end], value, start, end)]
    return []


# Bodies outside the city's own OPD list that releases and rumours name.
OTHER_BODIES: dict[str, str] = {
    "BMKG": "Badan Meteorologi, Klimatologi, dan Geofisika",
    "BPS": "Badan Pusat Statistik",
    "Kemensos": "Kementerian Sosial",
    "Kemendagri": "Kementerian Dalam Negeri",
    "Kemenkes": "Kementerian Kesehatan",
    "Kemenag": "Kementerian Agama",
    "Kemendikbud": "Kementerian Pendidikan dan Kebudayaan",
    "Pemprov Jatim": "Pemerintah Provinsi Jawa Timur",
    "BPJS Kesehatan": "BPJS Kesehatan",
    "BPJS Ketenagakerjaan": "BPJS Ketenagakerjaan",
    "PLN": "PT PLN",
    "Polresta": "Polresta Malang Kota",
    "Polresta Malang Kota": "Polresta Malang Kota",
    "Satlantas": "Satlantas Polresta Malang Kota",
    "kepolisian": "Kepolisian",
    "Polri": "Kepolisian",
    "TNI": "TNI",
    "Kodim": "Kodim 0833",
    "KONI": "KONI Kota Malang",
    "Bank Jatim": "Bank Jatim",
    "Himbara": "Himbara",
    "PT Pos": "PT Pos Indonesia",
    "Kantor Pos": "PT Pos Indonesia",
    "Pos Indonesia": "PT Pos Indonesia",
    "BGN": "Badan Gizi Nasional",
    "Badan Gizi Nasional": "Badan Gizi Nasional",
    "DPRD": "Dewan Perwakilan Rakyat Daerah Kota Malang",
    # Other spellings of the city's own agencies seen in messages and older pages.
    "Dinsos": "Dinas Sosial, Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk "
    "dan Keluarga Berencana",
    "Dindik": "Dinas Pendidikan dan Kebudayaan",
    "Disdik": "Dinas Pendidikan dan Kebudayaan",
    "Diskoperindag": "Dinas Koperasi, Perindustrian dan Perdagangan",
    "Diskopindag": "Dinas Koperasi, Perindustrian dan Perdagangan",
    "Disnaker": "Dinas Tenaga Kerja, Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
    "Satpol": "Satuan Polisi Pamong Praja",
    "Dinas Pendidikan": "Dinas Pendidikan dan Kebudayaan",
    "Dinas Sosial": "Dinas Sosial, Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian "
    "Penduduk dan Keluarga Berencana",
    "Pemerintah Kota Malang": "Pemerintah Kota Malang",
    "Pemkot Malang": "Pemerintah Kota Malang",
    "PDAM": "Perumda Air Minum Tugu Tirta",
    "Damkar": "UPT Pemadam Kebakaran",
}


@cache
def _agency_lookup() -> dict[str, str]:
    """Lower-cased abbreviation or full name -> canonical full name (lower case)."""
    lookup: dict[str, str] = {}
    for abbreviation, full in [*AGENCIES.items(), *OTHER_BODIES.items()]:
        canonical = full.lower()
        lookup[abbreviation.lower()] = canonical
        lookup[full.lower()] = canonical
    return lookup


@cache
def _agency_pattern() -> re.Pattern[str]:
    names = sorted(_agency_lookup(), key=len, reverse=True)
    alternatives = (re.escape(n).replace(r"\ ", r"\s+") for n in names)
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.IGNORECASE)


def extract_agencies(text: str) -> list[Fact]:
    """Agencies by abbreviation or full name: "Dispendukcapil", "Badan Pendapatan Daerah"."""
    return _extract_agencies(text, _Spans())


def _extract_agencies(text: str, spans: _Spans) -> list[Fact]:
    found = []
    lookup = _agency_lookup()
    for match in _agency_pattern().finditer(text):
        surface = match.group(0)
        if surface.islower() and len(surface) <= 4 and surface not in {"pos"}:
            continue  # "tni" in running lower-case text is unlikely to be meant
        canonical = lookup[" ".join(surface.lower().split())]
        if not spans.free(match.start(), match.end()):
            continue
        spans.take(match.start(), match.end())
        found.append(Fact("agency", surface, canonical, match.start(), match.end()))
    return found


# Negation and modality -----------------------------------------------------------------------

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
    taken = _Spans()
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
    boundary = stop.search(text, start)
    end = boundary.start() if boundary else len(text)
    words = list(re.finditer(r"\S+", text[start:end]))
    if len(words) > max_words:
        end = start + words[max_words - 1].end()
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


# Quoted names ---------------------------------------------------------------------------------

_QUOTE = re.compile(
    r"[\"“”](?P<a>[^\"“”\n]{2,80}?)[\"“”]"
    r"|(?:(?<=\s)|^)[‘'](?P<b>[^‘’'\n]{2,80}?)[’'](?=[\s.,;:!?)]|$)"
)


def extract_quotes(text: str) -> list[Fact]:
    """Quoted names, themes and titles: tema "Berselaras untuk Kota Malang Berkelas"."""
    return _extract_quotes(text, _Spans())


def _extract_quotes(text: str, spans: _Spans) -> list[Fact]:
    found = []
    for match in _QUOTE.finditer(text):
        inner = match.group("a") or match.group("b") or ""
        words = re.findall(r"[^\W_]+", inner.lower())
        if not words or len(words) > 12 or not spans.free(match.start(), match.end()):
            continue
        spans.take(match.start(), match.end())
        found.append(Fact("quote", match.group(0), " ".join(words), match.start(), match.end()))
    return found


# -- everything at once --------------------------------------------------------------------

_Extractor = Callable[[str, _Spans], list[Fact]]


def extract_facts(text: str, *, reference: date | datetime | None = None) -> list[Fact]:
    """All facts in `text`, ordered by position; relative dates resolved against `reference`."""
    spans = _Spans()
    facts: list[Fact] = []
    ordered: list[_Extractor] = [
        _extract_quotes,
        _extract_phones,
        _extract_regulations,
        _extract_money,
        _extract_percentages,
        _extract_times,
        lambda t, s: _extract_dates(t, s, reference),
        _extract_ordinals,
        _extract_places,
        _extract_quantities,
        _extract_roles,
        _extract_agencies,
    ]
    for extractor in ordered:
        facts.extend(extractor(text, spans))
    polarity = extract_polarity(text)
    facts.extend(_zero_counts(text, polarity, spans))
    facts = _mark_negated(facts, polarity)
    facts.extend(polarity)
    return sorted(facts, key=lambda f: (f.start, f.end))


def _zero_counts(text: str, polarity: Iterable[Fact], spans: _Spans) -> list[Fact]:
    """ "tidak ada (yang) meninggal", "tanpa korban" -> a count of zero."""
    found = []
    for fact in polarity:
        negator = fact.detail.get("negator")
        if fact.kind != "negation" or negator not in {"tidak ada", "tanpa", "nihil", "tiada"}:
            continue
        if not fact.value or any(not spans.free(fact.start, fact.end) for _ in [0]):
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


def _mark_negated(facts: list[Fact], polarity: list[Fact]) -> list[Fact]:
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


# -- display -------------------------------------------------------------------------------


def format_rupiah(amount: float) -> str:
    """Rupiah the way releases write them: "Rp500 ribu", "Rp1,5 juta", "Rp7,4 miliar"."""
    for size, word in ((1e12, "triliun"), (1e9, "miliar"), (1e6, "juta"), (1e3, "ribu")):
        if amount >= size and (amount / size) * 100 == int((amount / size) * 100):
            number = amount / size
            text = f"{number:,.2f}".rstrip("0").rstrip(".").replace(",", "_").replace(".", ",")
            return f"Rp{text.replace('_', '.')} {word}"
    return "Rp" + f"{amount:,.0f}".replace(",", ".")


def _format_number(value: float) -> str:
    if value == int(value):
        return f"{int(value):,}".replace(",", ".")
    return f"{value:.2f}".rstrip("0").replace(".", ",")


def describe_date(value: DateValue | None) -> str:
    """A DateValue in Indonesian: "30 November 2021", "September-November 2024", "2023"."""
    if value is None:
        return ""

    def one(year: int | None, month: int | None, day: int | None) -> str:
        parts = [str(day) if day else "", MONTH_NAMES[month - 1] if month else "", str(year or "")]
        return " ".join(p for p in parts if p)

    text = one(*value.start())
    if value.end:
        text = f"{text}-{one(*value.end)}"
    return f"{value.part} {text}".strip()


def describe_value(fact: Fact) -> str:
    """The fact's value written for a reader (Indonesian conventions)."""
    value = fact.value
    if fact.kind == "money":
        low, high = value
        text = format_rupiah(low) if low == high else f"{format_rupiah(low)}-{format_rupiah(high)}"
        return f"{text} {fact.unit}".strip()
    if fact.kind in {"quantity", "percent"}:
        low, high = value
        number = (
            _format_number(low) if low == high else f"{_format_number(low)}-{_format_number(high)}"
        )
        if fact.kind == "percent":
            return f"{number} persen"
        return fact.text if not fact.unit or fact.qualifier in {"tidak ada", "tanpa"} else number
    if fact.kind == "date":
        return describe_date(value) or fact.text
    if fact.kind == "day":
        return DAY_NAMES[value]
    if fact.kind == "time":
        start, end = value
        text = f"{start // 60:02d}.{start % 60:02d}"
        return f"{text}-{end // 60:02d}.{end % 60:02d}" if end is not None else text
    if fact.kind in {"negation", "modality"}:
        return fact.text.lower() if fact.text.istitle() else fact.text
    return str(value)
