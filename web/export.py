"""Downloads of a result set: CSV and JSON rows with the archive link, bounded in size.

CSV cells that a spreadsheet would read as a formula (starting with = + - @, a tab or a carriage
return) are prefixed with an apostrophe, so opening an export never runs anything.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable

from index.results import Hit
from web.formatting import iso

COLUMNS = (
    "id",
    "title",
    "opd",
    "published",
    "modified",
    "categories",
    "status",
    "kind",
    "url",
    "archive_url",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_row(hit: Hit, archive_url: str) -> dict[str, object]:
    """One exported result as plain values (dates ISO 8601 in WIB, categories as a list)."""
    return {
        "id": hit.id,
        "title": hit.title,
        "opd": hit.opd,
        "published": iso(hit.published),
        "modified": iso(hit.modified),
        "categories": list(hit.categories),
        "status": hit.status,
        "kind": hit.kind,
        "url": hit.url,
        "archive_url": archive_url,
    }


def export_rows(hits: Iterable[Hit], archive_url: Callable[[Hit], str]) -> list[dict[str, object]]:
    """Rows for every hit, each with its archive link."""
    return [export_row(hit, archive_url(hit)) for hit in hits]


def to_csv(rows: Iterable[dict[str, object]]) -> str:
    """CSV text (header first) with formula-looking cells defused."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([safe_cell(_cell(row.get(column))) for column in COLUMNS])
    return buffer.getvalue()


def safe_cell(value: str) -> str:
    """The cell text, with an apostrophe in front when a spreadsheet would treat it as formula."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return str(value)
