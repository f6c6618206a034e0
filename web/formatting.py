"""Template filters and globals: dates in WIB with Indonesian month names (`tanggal`, from
`archive.months`) and absolute links to the site (`web.links`)."""

from __future__ import annotations

from datetime import datetime

from flask import Flask
from markupsafe import Markup, escape

from archive.months import WIB, tanggal
from web import links

UNKNOWN_DATE = "tanggal tidak diketahui"  # a release whose source printed no readable date


def iso(value: datetime | None) -> str | None:
    """ISO 8601 in WIB, for machines (API, <time datetime>)."""
    return value.astimezone(WIB).isoformat() if value else None


def tanggal_terbit(value: datetime | None, with_time: bool = False) -> Markup:
    """A release date as <time datetime=...>, or "tanggal tidak diketahui" when unknown."""
    if value is None:
        return Markup('<span class="unknown-date">{}</span>').format(UNKNOWN_DATE)
    return Markup('<time datetime="{}">{}</time>').format(
        iso(value), escape(tanggal(value, with_time))
    )


def init_app(app: Flask) -> None:
    """Register the filters and the link helpers."""
    app.add_template_filter(tanggal)
    app.add_template_filter(tanggal_terbit)
    app.add_template_filter(iso)
    links.init_app(app)
