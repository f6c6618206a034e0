"""The legal register page (/peraturan): the regulations Saring archives from the city's JDIH,
searchable by kind, number, year and words of the title.

Views only parse and render; the register lives in `archive.register`, filled by `jdih`
sources (`ingest.jdih`). Bad filter values are ignored with a notice rather than refused: the
page is a lookup, and an empty filter shows everything.
"""

from __future__ import annotations

import math
from datetime import date

from babel.dates import format_date
from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l

from archive.register import KIND_LABELS, PAGE_SIZE, Register
from web.i18n import current_language
from web.services import get_services

bp = Blueprint("register", __name__)

MAX_WORDS_CHARS = 200
# Kind codes as the page's filter names them (the register's own names stay Indonesian data).
KIND_FILTER_LABELS = {
    "perwal": _l("Peraturan Wali Kota (Perwali)"),
    "perda": _l("Peraturan Daerah (Perda)"),
    "sk": _l("Keputusan Wali Kota"),
    "se": _l("Surat Edaran"),
    "instruksi": _l("Instruksi Wali Kota"),
}


@bp.get("/peraturan")
def register_page():
    """The archived JDIH register, filtered by ?jenis= &nomor= &tahun= &q= and paged (?page=)."""
    register = Register(get_services().archive.engine)
    kinds = register.kinds()
    known = {kind for kind, _count in kinds}
    kind = request.args.get("jenis", "").strip().lower()
    number = request.args.get("nomor", "").strip()[:100]
    year_text = request.args.get("tahun", "").strip()
    words = " ".join(request.args.get("q", "").split())[:MAX_WORDS_CHARS]
    ignored = []
    if kind and kind not in known:
        ignored.append("jenis")
        kind = ""
    year = int(year_text) if year_text.isdigit() and 1900 <= int(year_text) <= 2100 else None
    if year_text and year is None:
        ignored.append("tahun")
    page = _page(request.args.get("page", "1"))
    found, total = register.search(kind=kind, number=number, year=year, words=words, page=page)
    return render_template(
        "public/register.html",
        regulations=found,
        total=total,
        kinds=kinds,
        kind=kind,
        number=number,
        year=year_text if year else "",
        words=words,
        page=page,
        last_page=max(1, math.ceil(total / PAGE_SIZE)),
        ignored=ignored,
        kind_labels={**KIND_LABELS, **KIND_FILTER_LABELS},
        counts=register.counts(),
        enacted_label=enacted_label,
    )


def enacted_label(iso: str) -> str:
    """An ISO date as the reader's language writes it ("3 Maret 2025"); "" stays ""."""
    try:
        return format_date(date.fromisoformat(iso), "d MMMM y", locale=current_language())
    except ValueError:
        return iso


def _page(text: str) -> int:
    return min(int(text), 10_000) if text.isdigit() and int(text) > 0 else 1
