"""Template filters and globals in the reader's language: dates in WIB (`tanggal`, `bulan`),
numbers (`angka`) and money (`rupiah`), and absolute links to the site (`web.links`).

Indonesian is written as Saring always has ('3 Desember 2026, 10.15 WIB', '12.345',
'Rp5.000', month names from `archive.months`); English as '3 December 2026, 10:15 WIB',
'12,345' and 'Rp5,000' (the rupiah keeps its symbol; only the grouping follows the language).
Month names and digit grouping for English come from Babel's locale data, so there is still one
table per language. Machine output (`iso`) never changes with the language.
"""

from __future__ import annotations

import re
from datetime import datetime

from babel.dates import get_month_names
from babel.numbers import format_decimal
from flask import Flask
from flask_babel import gettext
from markupsafe import Markup, escape

from archive.months import MONTH_NAMES, WIB, tanggal
from web import links
from web.i18n import current_language

__all__ = ["WIB", "UNKNOWN_DATE", "iso", "tanggal", "local_date", "month_label", "number_label"]

UNKNOWN_DATE = "tanggal tidak diketahui"  # a release whose source printed no readable date
_MONTH = re.compile(r"(\d{4})-(\d{2})")


def iso(value: datetime | None) -> str | None:
    """ISO 8601 in WIB, for machines (API, <time datetime>)."""
    return value.astimezone(WIB).isoformat() if value else None


def month_names(language: str) -> tuple[str, ...]:
    """The twelve month names of `language` ('id' or 'en'), January first."""
    if language == "en":
        names = get_month_names("wide", locale="en")
        return tuple(names[number] for number in range(1, 13))
    return MONTH_NAMES


def local_date(value: datetime | None, with_time: bool = False, language: str | None = None) -> str:
    """A moment in WIB in the reader's language: '3 Desember 2026' / '3 December 2026', with
    ', 10.15 WIB' / ', 10:15 WIB' when `with_time`; '-' when unknown."""
    language = language or current_language()
    if language != "en":
        return tanggal(value, with_time)
    if value is None:
        return "-"
    local = value.astimezone(WIB)
    text = f"{local.day} {month_names('en')[local.month - 1]} {local.year}"
    return text + f", {local:%H:%M} WIB" if with_time else text


def month_label(value: str, language: str | None = None) -> str:
    """'2025-10' -> 'Oktober 2025' / 'October 2025' (other text unchanged)."""
    match = _MONTH.fullmatch(value or "")
    if not match or not 1 <= int(match.group(2)) <= 12:
        return value
    names = month_names(language or current_language())
    return f"{names[int(match.group(2)) - 1]} {match.group(1)}"


def number_label(value: int | float, language: str | None = None) -> str:
    """12345 -> '12.345' in Indonesian, '12,345' in English."""
    return format_decimal(value, locale=language or current_language())


def rupiah(value: int | float, language: str | None = None) -> str:
    """An amount of rupiah: 'Rp5.000' in Indonesian, 'Rp5,000' in English."""
    return "Rp" + number_label(value, language)


def tanggal_terbit(value: datetime | None, with_time: bool = False) -> Markup:
    """A release date as <time datetime=...>, or "date unknown" in the reader's language."""
    if value is None:
        return Markup('<span class="unknown-date">{}</span>').format(
            gettext("tanggal tidak diketahui")
        )
    return Markup('<time datetime="{}">{}</time>').format(
        iso(value), escape(local_date(value, with_time))
    )


def init_app(app: Flask) -> None:
    """Register the filters and the link helpers."""
    app.add_template_filter(local_date, "tanggal")
    app.add_template_filter(tanggal_terbit)
    app.add_template_filter(month_label, "bulan")
    app.add_template_filter(number_label, "angka")
    app.add_template_filter(rupiah)
    app.add_template_filter(iso)
    app.add_template_global(month_label)
    links.init_app(app)
