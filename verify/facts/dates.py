"""Dates, weekdays and times of day: "Senin (23/09/2019)", "13-15 Oktober 2025", "akhir November
2025", "triwulan I 2022", "besok", "pukul 07.00-09.00 WIB".

A date's value is a `DateValue` with the parts the text gives (year, month, day, and an end for
ranges). Month spellings come from `archive.months`; an abbreviation ("Jul", "Des") is a month
only beside a day number or a year, since alone it is often a name or a word ("Agus", "Des."
for "Desa"). Relative dates ("besok", "akhir bulan") carry ``qualifier="relatif"`` and the phrase
in ``detail["relative"]``; their value is resolved against a reference date when one is given
(`resolve_relative_dates`), else None. The press dateline, a date in brackets after a weekday
set off by a comma ("Totok Kasianto, Kamis (12/10/2023), menjelaskan ..."), carries
``qualifier="dateline"``: it is the day somebody spoke, not the day of what they spoke about. A
day's value is the weekday number, Monday = 0; a time's is minutes after midnight ``(start, end)``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import replace
from datetime import date, datetime, timedelta

from archive.months import INDONESIAN_MONTHS, SHORT_MONTHS
from verify.facts.fact import DateValue, Fact, Spans
from verify.facts.numbers import ROMAN_NUMERALS, word_before

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

_MONTH = r"(?:" + "|".join(sorted(INDONESIAN_MONTHS, key=len, reverse=True)) + r")\.?"
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
# ", Kamis (12/10/2023)": a weekday set off by a comma (after the speaker's name), then the
# date in brackets. "pada Kamis (22/2/2024)" or "digelar Kamis (22/2/2024)" dates an event.
_DATELINE_LEAD = re.compile(
    r",\s*(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad)\s*\(\s*$", re.IGNORECASE
)
_TIME = re.compile(
    r"(?:\b(?P<cue>pukul|jam|pkl\.?)\s*)?"
    r"(?<![\d.,])(?P<h>[01]?\d|2[0-4])(?:[.:](?P<mi>[0-5]\d))?(?!\d|[.,]\d)"
    r"(?:\s*(?:-|–|sampai|hingga|s\.?\s?d\.?|sd)\s*(?:pukul\s*|jam\s*)?"
    r"(?P<h2>[01]?\d|2[0-4])(?:[.:](?P<mi2>[0-5]\d))?(?!\d|[.,]\d))?"
    r"(?:\s*(?P<zone>WIB|WITA|WIT)\b|\s+(?P<daypart>pagi|siang|sore|malam)\b)?",
    re.IGNORECASE,
)


def _month(name: str | None) -> int | None:
    return INDONESIAN_MONTHS.get(name.lower().rstrip(".")) if name else None


def _short(name: str | None) -> bool:
    return name is not None and name.lower().rstrip(".") in SHORT_MONTHS


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


def extract_dates(
    text: str, reference: date | datetime | None = None, *, spans: Spans | None = None
) -> list[Fact]:
    """Dates and days: "Senin (23/09/2019)", "23 September", "besok", "akhir bulan"."""
    spans = Spans() if spans is None else spans
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
            dateline = pattern is _DATE_PATTERNS[0] and _is_dateline(text, match)
            found.append(
                Fact("date", match.group(0), value, match.start(), match.end(),
                     qualifier="dateline" if dateline else "")
            )  # fmt: skip
    for match in _RELATIVE.finditer(text):
        if not spans.free(match.start(), match.end()):
            continue
        spans.take(match.start(), match.end())
        phrase = match.group("rel").lower()
        found.append(
            Fact(
                "date",
                match.group(0),
                _relative_date(phrase, reference),
                match.start(),
                match.end(),
                qualifier="relatif",
                detail={"relative": phrase},
            )
        )
    for match in _DAY_NAME.finditer(text):
        name = match.group("day").lower().replace("'", "")
        if not spans.free(match.start(), match.end()):
            continue
        if name == "minggu":
            before = word_before(text, match.start())
            after = text[match.end() : match.end() + 12].lower()
            looks_like_day = match.group(0)[0].isupper() or re.match(r"\s*[(,]", after)
            if before.isdigit() or re.match(r"\s*(?:depan|lalu|ini|ke|pertama|kedua)", after):
                continue
            if not looks_like_day:
                continue
        spans.take(match.start(), match.end())
        found.append(Fact("day", match.group(0), DAYS[name], match.start(), match.end()))
    return found


def _is_dateline(text: str, match: re.Match[str]) -> bool:
    """Whether a numeric date is the press dateline: in brackets after a weekday that a comma
    sets off ("Totok Kasianto, Kamis (12/10/2023), menjelaskan")."""
    closes = text[match.end() : match.end() + 3].lstrip().startswith(")")
    return closes and _DATELINE_LEAD.search(text[max(0, match.start() - 12) : match.start()])


def resolve_relative_dates(facts: list[Fact], reference: date | datetime | None) -> list[Fact]:
    """The facts with every relative date ("besok", "akhir bulan") resolved against `reference`."""
    return [
        replace(fact, value=_relative_date(fact.detail["relative"], reference))
        if fact.kind == "date" and "relative" in fact.detail
        else fact
        for fact in facts
    ]


def _date_value(match: re.Match[str]) -> DateValue | None:
    groups = match.groupdict()
    part = (groups.get("part") or "").lower()
    if part in {"mulai", "sejak"}:
        part = ""
    if part == "medio":
        part = "pertengahan"
    if groups.get("period"):
        quarter = groups["roman"].upper()
        number = ROMAN_NUMERALS.get(quarter) or int(quarter)
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
    if (_short(groups.get("mn")) or _short(groups.get("mn2"))) and not (
        groups.get("d") or groups.get("y") or groups.get("y0")
    ):
        return None  # "Des Sumbersari", "Agus": an abbreviation alone is not a month
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


def extract_times(text: str, *, spans: Spans | None = None) -> list[Fact]:
    """Times of day: "pukul 07.00", "17.00-20.00 WIB", "jam 9 malam"."""
    spans = Spans() if spans is None else spans
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
