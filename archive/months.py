"""Month names, the one table for the whole code: how pages and messages spell a month, and how
Saring writes one ("Januari" ... "Desember").

Ingest reads dates on pages with `MONTHS` (every spelling, English included for the ``/en/``
copies of malangkota.go.id pages and for feeds), the claim check reads Indonesian text with
`INDONESIAN_MONTHS`, and pages, check results and the command line write `MONTH_NAMES`
(a whole date with `tanggal`).

It lives in `archive` because that is the lowest layer: dependencies point web -> verify ->
index -> archive and ingest -> archive, index, so every layer (archive itself included) may import
this module and none has to import upwards for a month name. It imports nothing from the project.

Abbreviations are ambiguous in running text ("Jun" and "Agus" are names, "Des" may shorten
"Desa", "Sep" is a word in chats): `SHORT_MONTHS` lists them apart so that a reader can take them
as months only next to a day number or a year.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from types import MappingProxyType

WIB = timezone(timedelta(hours=7), "WIB")

MONTH_NAMES: tuple[str, ...] = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
"""How Saring writes a month: ``MONTH_NAMES[month - 1]``."""

FULL_MONTHS: Mapping[str, int] = MappingProxyType(
    {name.lower(): number for number, name in enumerate(MONTH_NAMES, start=1)}
    | {"pebruari": 2, "nopember": 11}  # older spellings, still on government pages
)
"""Indonesian month names in full, lower case: a month wherever they stand ("awal Mei")."""

SHORT_MONTHS: Mapping[str, int] = MappingProxyType({
    "jan": 1,
    "feb": 2, "peb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "agu": 8, "agus": 8, "agust": 8, "agt": 8, "ags": 8,
    "sep": 9, "sept": 9,
    "okt": 10,
    "nov": 11, "nop": 11,
    "des": 12,
})  # fmt: skip
"""Indonesian abbreviations, lower case, without the dot ("Agus." reads as "agus"): months only
beside a day number or a year ("7 Agus 2025", "Des 2024")."""

INDONESIAN_MONTHS: Mapping[str, int] = MappingProxyType({**FULL_MONTHS, **SHORT_MONTHS})
"""Every Indonesian spelling of a month: the full names and the abbreviations."""

ENGLISH_MONTHS: Mapping[str, int] = MappingProxyType({
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "aug": 8, "september": 9, "october": 10, "oct": 10, "november": 11,
    "december": 12, "dec": 12,
})  # fmt: skip
"""English names and the English-only abbreviations ("Jan", "Sep" are shared with Indonesian),
as the ``/en/`` copies of the city's pages and RSS dates print them."""

MONTHS: Mapping[str, int] = MappingProxyType({**INDONESIAN_MONTHS, **ENGLISH_MONTHS})
"""Every spelling of a month a page may print, lower case, without a trailing dot."""


def tanggal(value: datetime | None, with_time: bool = False) -> str:
    """How Saring writes a moment: '27 Oktober 2025' (or '27 Oktober 2025, 10.15 WIB'), in WIB;
    '-' when unknown."""
    if value is None:
        return "-"
    local = value.astimezone(WIB)
    text = f"{local.day} {MONTH_NAMES[local.month - 1]} {local.year}"
    if with_time:
        text += f", {local:%H.%M} WIB"
    return text
