"""Reading a JDIH register listing: regulations with kind, number, year, title, status and link.

A pure function of bytes, like the other parsers. Two shapes are read:

- an HTML page with a table of regulations (the usual JDIH listing): the columns are found by
  their headings ("Jenis"/"Bentuk", "Nomor", "Tahun", "Tentang"/"Judul", "Status"/"Keterangan",
  "Tanggal"/"Ditetapkan"), in any order; a column missing from the table (kind, number or year)
  is read from the title when it names the regulation ("Peraturan Wali Kota Malang Nomor 12
  Tahun 2024 tentang ..."), and a combined "Nomor/Tahun" cell ("12/2024", "Nomor 12 Tahun
  2024") is split. The link is the row's first link (to the detail page or the PDF). The next
  page is a ``rel=next`` link or one labelled "Berikutnya", "Selanjutnya", "Next" or "»";
- JSON: a list of objects, or an object with the list under ``data``, with the keys ``jenis``
  (or ``type``), ``nomor`` (``number``), ``tahun`` (``year``), ``judul``/``tentang``
  (``title``), ``status``, ``url``/``link`` and ``tanggal`` (``date``); ``next`` may name the
  next page.

A row that cannot be read (no number, no year, no title) is a problem, not the end of the page.
The real JDIH of Kota Malang could not be examined from here: this is a plausible reading of
such a listing, tested on a fixture; adjust the heading words when the real one differs.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Tag

from archive.register import RegisterEntry
from ingest.normalise import parse_date

MAX_ROWS = 2000  # rows read from one page
EARLIEST_YEAR, LATEST_YEAR = 1945, 2100

_HEADINGS = (  # (field, words any of which in a heading means that column); first match wins
    ("type", ("jenis", "bentuk", "tipe")),
    ("number_year", ("nomor/tahun", "nomor dan tahun", "no/thn", "no./tahun")),
    ("number", ("nomor", "no.")),
    ("year", ("tahun",)),
    ("title", ("tentang", "judul", "perihal", "nama peraturan", "uraian")),
    ("status", ("status", "keterangan", "berlaku")),
    ("date", ("tanggal", "ditetapkan", "penetapan", "diundangkan")),
)
_NAMED = re.compile(
    r"(?P<type>Peraturan\s+Daerah|Peraturan\s+Wali\s*kota|Keputusan\s+Wali\s*kota|"
    r"Surat\s+Edaran(?:\s+Wali\s*kota)?|Instruksi\s+Wali\s*kota|Perwali|Perwal|Perda)"
    r"(?:\s+(?:Kota\s+)?Malang)?\s+(?:Nomor|No\.?)\s*(?P<number>[\w./-]+?)\s+Tahun\s+(?P<year>\d{4})",
    re.IGNORECASE,
)
_NUMBER_YEAR = re.compile(
    r"^\s*(?:Nomor|No\.?)?\s*(?P<number>[\w./-]+?)\s*(?:/|\bTahun\b|\bTh\.?)\s*(?P<year>\d{4})\s*$",
    re.IGNORECASE,
)
_NEXT_WORDS = ("berikutnya", "selanjutnya", "next", "»", "›")


@dataclass
class RegisterPage:
    """What one listing page held."""

    entries: list[RegisterEntry] = field(default_factory=list)
    next_url: str | None = None
    problems: list[str] = field(default_factory=list)


def parse_register(body: bytes, url: str, content_type: str = "") -> RegisterPage:
    """The register entries of a JDIH listing page (HTML table or JSON), see the docstring."""
    head = body.lstrip()[:1]
    if "json" in content_type or head in (b"[", b"{"):
        return _parse_json(body, url)
    return _parse_html(body, url)


# -- HTML ------------------------------------------------------------------------------------


def _parse_html(body: bytes, url: str) -> RegisterPage:
    page = RegisterPage()
    soup = BeautifulSoup(body, "lxml")
    table, columns = _register_table(soup)
    if table is None:
        page.problems.append("no table with the columns of a register (Nomor, Tahun, Tentang)")
        return page
    for number, row in enumerate(table.find_all("tr")):
        if number >= MAX_ROWS:
            page.problems.append(f"more than {MAX_ROWS} rows; the rest were not read")
            break
        cells = row.find_all(["td", "th"])
        if not cells or row.find("th") is not None and not row.find("td"):
            continue  # the heading row
        values = {name: _text(cells[i]) for name, i in columns.items() if i < len(cells)}
        link = row.find("a", href=True)
        values["url"] = urljoin(url, link["href"]) if link is not None else ""
        entry = _entry(values)
        if isinstance(entry, str):
            page.problems.append(f"row {number}: {entry}")
        else:
            page.entries.append(entry)
    page.next_url = _next_link(soup, url)
    return page


def _register_table(soup: BeautifulSoup) -> tuple[Tag | None, dict[str, int]]:
    """The first table whose headings name a title and a number (or kind) column."""
    for table in soup.find_all("table"):
        heading_row = table.find("tr")
        if heading_row is None:
            continue
        headings = [_text(cell).lower() for cell in heading_row.find_all(["th", "td"])]
        columns: dict[str, int] = {}
        for index, heading in enumerate(headings):
            for name, words in _HEADINGS:
                if name not in columns and any(word in heading for word in words):
                    columns[name] = index
                    break
        if "title" in columns and ({"number", "number_year", "type"} & columns.keys()):
            return table, columns
    return None, {}


def _next_link(soup: BeautifulSoup, url: str) -> str | None:
    found = soup.find(["a", "link"], rel="next", href=True)
    if found is None:
        for anchor in soup.find_all("a", href=True):
            if _text(anchor).lower() in _NEXT_WORDS:
                found = anchor
                break
    return urljoin(url, found["href"]) if found is not None else None


def _text(cell: Tag) -> str:
    return " ".join(cell.get_text(" ", strip=True).split())


# -- JSON ------------------------------------------------------------------------------------

_JSON_KEYS = {
    "type": ("jenis", "type", "bentuk", "jenis_peraturan"),
    "number": ("nomor", "number", "no"),
    "year": ("tahun", "year"),
    "title": ("judul", "tentang", "title", "perihal"),
    "status": ("status", "keterangan"),
    "url": ("url", "link", "tautan"),
    "date": ("tanggal", "date", "tanggal_penetapan", "ditetapkan"),
}


def _parse_json(body: bytes, url: str) -> RegisterPage:
    page = RegisterPage()
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        page.problems.append(f"not valid JSON: {exc}")
        return page
    rows = data.get("data") if isinstance(data, dict) else data
    if not isinstance(rows, list):
        page.problems.append("JSON without a list of regulations")
        return page
    for number, row in enumerate(rows[:MAX_ROWS], start=1):
        if not isinstance(row, dict):
            page.problems.append(f"item {number}: not an object")
            continue
        values = {}
        for name, keys in _JSON_KEYS.items():
            value = next((row[k] for k in keys if row.get(k) not in (None, "")), "")
            values[name] = " ".join(str(value).split())
        if values["url"]:
            values["url"] = urljoin(url, values["url"])
        entry = _entry(values)
        if isinstance(entry, str):
            page.problems.append(f"item {number}: {entry}")
        else:
            page.entries.append(entry)
    if isinstance(data, dict) and isinstance(data.get("next"), str) and data["next"]:
        page.next_url = urljoin(url, data["next"])
    return page


# -- one entry -------------------------------------------------------------------------------


def _entry(values: dict[str, str]) -> RegisterEntry | str:
    """A RegisterEntry from a row's values, or why it cannot be one."""
    title = values.get("title", "")
    type_name = values.get("type", "")
    number = values.get("number", "")
    year_text = values.get("year", "")
    combined_text = values.get("number_year") or (number if not year_text else "")
    combined = _NUMBER_YEAR.match(combined_text) if combined_text else None
    if combined:
        number, year_text = combined.group("number"), year_text or combined.group("year")
    named = _NAMED.search(title) or _NAMED.search(type_name)
    if named:
        type_name = type_name or named.group("type")
        number = number or named.group("number")
        year_text = year_text or named.group("year")
    number = re.sub(r"^(?:Nomor|No\.?)\s*", "", number, flags=re.IGNORECASE).strip()
    year_match = re.search(r"\b(\d{4})\b", year_text)
    if not title:
        return "no title"
    if not type_name:
        return f"no kind of regulation for {title[:60]!r}"
    if not number:
        return f"no number for {title[:60]!r}"
    if not year_match or not EARLIEST_YEAR <= int(year_match.group(1)) <= LATEST_YEAR:
        return f"no year for {title[:60]!r}"
    date = parse_date(values.get("date", "")) if values.get("date") else None
    return RegisterEntry(
        type_name=_tidy_type(type_name),
        number=number,
        year=int(year_match.group(1)),
        title=_title(title),
        status=values.get("status", ""),
        url=values.get("url", ""),
        enacted=date.date().isoformat() if date else "",
    )


def _tidy_type(type_name: str) -> str:
    return re.sub(r"\s+(?:Kota\s+)?Malang$", "", " ".join(type_name.split()), flags=re.IGNORECASE)


def _title(title: str) -> str:
    """The subject of a regulation: "Tentang ..." or what follows its name, capitalised."""
    named = _NAMED.search(title)
    if named and named.start() == 0:
        title = title[named.end() :]
    title = re.sub(r"^\s*(?:tentang|perihal)\s*:?\s*", "", title, flags=re.IGNORECASE).strip()
    return title[:1].upper() + title[1:]
