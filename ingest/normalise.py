"""Turn what a parser found into a clean Release: dates, canonical URLs, safe HTML and plain text.

Everything here is a pure function of strings. Bad input never raises: a date that cannot be read
is ``None``, an unusable item comes back as ``(None, [problem])``.

Kota Malang conventions handled here (see ``shared/SOURCES.md``): Indonesian dates such as
"Kamis (24/6/2021)" or "23 Agustus 2019 pukul 10.30 WIB" (every month spelling is in
`archive.months`), datelines such as "Klojen, (malangkota.go.id) –" at the start of a release,
closing initials such as "(say/yon)", ``/en/`` machine-translated copies and ``?amp=1`` variants
of the same post.
"""

from __future__ import annotations

import email.utils
import html as html_lib
import re
import unicodedata
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import nh3
from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString

from archive.months import MONTHS, WIB
from ingest.items import RawItem, Release

"""Asia/Jakarta: UTC+7 with no daylight saving since 1964, so no tz database is needed."""

MAX_TEXT_CHARS = 5 * 1024 * 1024
"""Work cap: characters beyond this are ignored by every function here."""

MAX_MARKUP_TAGS = 20_000
"""Work cap: markup after this many tags is ignored. A long release page has a few thousand;
5 MB of tiny tags would otherwise grow a parse tree of some 500 MB and take a minute to walk."""

_MAX_DATE_CHARS = 300

EARLIEST_YEAR, LATEST_YEAR = 1900, 2100
"""Dates outside these years (year 0, 9999) are a source's mistake: read as unknown, not kept."""

# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------

_LOCAL_ZONES = {
    "WIB": WIB,
    "WITA": timezone(timedelta(hours=8), "WITA"),
    "WIT": timezone(timedelta(hours=9), "WIT"),
    "UTC": UTC,
    "GMT": UTC,
    "UT": UTC,
    "Z": UTC,
}

_MONTH_WORD = "|".join(sorted(MONTHS, key=len, reverse=True))

_ISO_RE = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?",
    re.IGNORECASE,
)
_RFC822_RE = re.compile(
    r"(?:[A-Za-z]{3,9},?\s+)?\d{1,2}\s+[A-Za-z]{3,9}\s+(?P<year>\d{2,4})\s+\d{1,2}:\d{2}(?::\d{2})?"
    r"\s*(?P<zone>[+-]\d{4}|[A-Za-z]{1,5})?",
)
_DAY_MONTH_RE = re.compile(
    rf"(?<![\w/.])(?P<day>\d{{1,2}})[\s-]+(?P<month>{_MONTH_WORD})\b\.?"
    r"(?:[\s,-]+(?P<year>\d{4})\b)?",
    re.IGNORECASE,
)
_MONTH_DAY_RE = re.compile(
    rf"\b(?P<month>{_MONTH_WORD})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b,?"
    r"(?:\s+(?P<year>\d{4})\b)?",
    re.IGNORECASE,
)
_NUMERIC_RE = re.compile(
    r"(?<![\w/.])(?P<day>\d{1,2})\s*/\s*(?P<month>\d{1,2})(?:\s*/\s*(?P<year>\d{4}|\d{2}))?"
    r"(?![\w/])\)?",
)
_TIME_AFTER_RE = re.compile(
    r"\s*\)?\s*(?:[,–—-]\s*)?(?:(?:pukul|jam|pk\.?|at)\s*)?"
    r"(?P<hour>\d{1,2})[.:](?P<minute>\d{2})(?![\d])(?:[.:](?P<second>\d{2})(?![\d]))?"
    r"(?:\s*(?P<ampm>[ap])\.?m\b\.?)?(?:\s*(?P<zone>WIB|WITA|WIT|UTC|GMT)\b)?",
    re.IGNORECASE,
)


def parse_date(
    text: str, *, default_year: int | None = None, reference: datetime | None = None
) -> datetime | None:
    """Read a date as Malang sites print it and return it as an aware WIB datetime, or None.

    Total: whatever the text (year 0, an offset of 25 hours, 31 February), the answer is a
    datetime between EARLIEST_YEAR and LATEST_YEAR or None, never an exception.
    """
    if not isinstance(text, str):
        return None
    text = " ".join(text[:_MAX_DATE_CHARS].split())
    if not text:
        return None
    try:
        found = _read_date(text, default_year, reference)
    except (ValueError, OverflowError, KeyError, TypeError):
        return None  # a shape none of the readers foresaw: unknown, not a crash
    if found is None or not EARLIEST_YEAR <= found.year <= LATEST_YEAR:
        return None
    return found


def _read_date(text: str, default_year: int | None, reference: datetime | None) -> datetime | None:
    if _ISO_RE.fullmatch(text):
        return _from_iso(text)
    rfc = _RFC822_RE.fullmatch(text)
    if rfc:
        found = _from_rfc822(text, rfc.group("year"), rfc.group("zone"))
        if found is not None:
            return found
    return _from_words(text, default_year=default_year, reference=reference)


def _from_iso(text: str) -> datetime | None:
    try:
        value = datetime.fromisoformat(text.replace(",", ".").replace(" +", "+").replace(" -", "-"))
    except ValueError:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=WIB)
    return _in_wib(value)


def _from_rfc822(text: str, year: str, zone: str | None) -> datetime | None:
    if len(year) == 4 and int(year) < 100:
        return None  # "0000" or "0001": email.utils would read it as 2000 or 2001
    fields = email.utils.parsedate_tz(text)
    if fields is None:
        return None
    try:
        naive = datetime(*fields[:6])
    except ValueError:
        return None
    if zone is None:
        tz: timezone = WIB  # no zone printed: site-local time
    elif zone.upper() in _LOCAL_ZONES:
        tz = _LOCAL_ZONES[zone.upper()]
    else:
        offset = timedelta(seconds=fields[9] or 0)
        if abs(offset) >= timedelta(hours=24):
            return None  # "+2500" is no time zone
        tz = timezone(offset)
    return _in_wib(naive.replace(tzinfo=tz))


def _in_wib(value: datetime) -> datetime | None:
    """value in WIB; None when the shift leaves the calendar (year 1 at +01:00, 9999 at -05:00)."""
    try:
        return value.astimezone(WIB)
    except OverflowError:
        return None


def _from_words(
    text: str, *, default_year: int | None, reference: datetime | None
) -> datetime | None:
    """Indonesian and English forms: the earliest date-looking phrase in the text decides."""
    candidates = []
    for pattern in (_DAY_MONTH_RE, _MONTH_DAY_RE, _NUMERIC_RE):
        match = pattern.search(text)
        if match:
            candidates.append(match)
    if not candidates:
        return None
    match = min(candidates, key=lambda m: m.start())
    day = int(match.group("day"))
    month_text = match.group("month")
    month = int(month_text) if month_text.isdigit() else MONTHS[month_text.lower()]
    year_text = match.group("year")
    hour, minute, second, tz = _time_after(text, match.end())
    if year_text:
        year = int(year_text)
        if len(year_text) == 2:
            year += 2000
        return _build(year, month, day, hour, minute, second, tz)
    if default_year is not None:
        return _build(default_year, month, day, hour, minute, second, tz)
    if reference is not None:
        return _closest_to(reference, month, day, hour, minute, second, tz)
    return None


def _time_after(text: str, position: int) -> tuple[int, int, int, timezone]:
    match = _TIME_AFTER_RE.match(text, position)
    if not match:
        return 0, 0, 0, WIB
    hour, minute = int(match.group("hour")), int(match.group("minute"))
    second = int(match.group("second") or 0)
    ampm = (match.group("ampm") or "").lower()
    if ampm and 1 <= hour <= 12:
        hour = hour % 12 + (12 if ampm == "p" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return 0, 0, 0, WIB
    zone = (match.group("zone") or "WIB").upper()
    return hour, minute, second, _LOCAL_ZONES.get(zone, WIB)


def _build(
    year: int, month: int, day: int, hour: int, minute: int, second: int, tz: timezone
) -> datetime | None:
    try:
        return _in_wib(datetime(year, month, day, hour, minute, second, tzinfo=tz))
    except ValueError:
        return None


def _closest_to(
    reference: datetime, month: int, day: int, hour: int, minute: int, second: int, tz: timezone
) -> datetime | None:
    """A date printed without a year: pick the year that puts it nearest the reference."""
    if reference.tzinfo is None:
        reference = reference.replace(tzinfo=WIB)
    options = [
        built
        for year in (reference.year - 1, reference.year, reference.year + 1)
        if (built := _build(year, month, day, hour, minute, second, tz)) is not None
    ]
    if not options:
        return None
    return min(options, key=lambda value: abs(value - reference))


# --------------------------------------------------------------------------------------------
# URLs
# --------------------------------------------------------------------------------------------

CITY_DOMAIN = "malangkota.go.id"
_DROP_PARAMS = frozenset(
    {"amp", "noamp", "replytocom", "fbclid", "gclid", "igshid", "share", "_ga"}
)


def _is_city_host(host: str) -> bool:
    return host == CITY_DOMAIN or host.endswith("." + CITY_DOMAIN)


def canonical_url(url: str) -> str:
    """One spelling per post: https city hosts, no tracking/AMP params, /en/ read as Indonesian."""
    if not isinstance(url, str):
        return ""
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = given_scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if scheme not in ("http", "https") or not host:
        return url
    if _is_city_host(host):
        scheme = "https"
        if host == "www." + CITY_DOMAIN:
            host = CITY_DOMAIN
    netloc = host
    default_ports = (("http", 80), ("https", 443))
    if port is not None and (given_scheme, port) not in default_ports:
        netloc = f"{host}:{port}"

    path = parts.path or "/"
    if _is_city_host(host) and (path == "/en" or path.startswith("/en/")):
        path = path[3:] or "/"
    if path.endswith("/amp/") or path.endswith("/amp"):
        path = path[: path.rfind("/amp")] or "/"
    last_segment = path.rsplit("/", 1)[-1]
    if last_segment and "." not in last_segment:
        path += "/"

    query_pairs = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in _DROP_PARAMS and not key.lower().startswith("utm_")
    ]
    return urlunsplit((scheme, netloc, path, urlencode(query_pairs), ""))


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "div", "a", "strong", "b", "em", "i", "ul", "ol", "li", "blockquote",
        "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
        "figure", "figcaption", "img", "q", "cite", "sub", "sup", "hr",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
# Tags whose content is removed with them (nh3 otherwise keeps the text of a dropped tag).
DROPPED_WITH_CONTENT = frozenset(
    {
        "script", "style", "iframe", "noscript", "template", "form", "textarea", "select",
        "button", "object", "embed", "svg", "math", "title", "head",
    }
)  # fmt: skip


def cap_markup(html: str) -> str:
    """html cut just before its MAX_MARKUP_TAGS-th "<", so no parser builds a huge tree."""
    if html.count("<") <= MAX_MARKUP_TAGS:
        return html
    position = -1
    for _ in range(MAX_MARKUP_TAGS):
        position = html.find("<", position + 1)
    return html[:position]


# A lone surrogate ("\ud800" in a JSON feed) cannot be encoded, and the HTML readers encode.
_SURROGATES = re.compile("[\ud800-\udfff]")


def sanitise_html(html: str) -> str:
    """HTML that is safe to render: an explicit allow-list, http(s)/mailto links only."""
    if not isinstance(html, str) or not html.strip():
        return ""
    return nh3.clean(
        cap_markup(_SURROGATES.sub("\ufffd", html[:MAX_TEXT_CHARS])),
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "dialog",
        "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4",
        "h5", "h6", "header", "hgroup", "hr", "html", "li", "main", "nav", "ol", "p", "pre",
        "section", "summary", "table", "tbody", "tfoot", "thead", "tr", "ul",
    }
)  # fmt: skip
_CELL_TAGS = frozenset({"td", "th"})
# <embed> is void, but libxml2 nests the following content inside it, so its "text" is kept.
_HIDDEN_TEXT_TAGS = DROPPED_WITH_CONTENT - {"embed"}
_INVISIBLE_CHARS = dict.fromkeys(map(ord, "\u200b\u00ad\ufeff\u2060"), None)
_BLANK_LINE_RE = re.compile(r"\n[ \t\r\f\v\u00a0]*\n")
_MOJIBAKE_MARKERS = re.compile(
    "[ÃÂâ][\u0080-\u00bf\u0152-\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]"
)


def _as_windows_1252_bytes(text: str) -> bytes | None:
    """The bytes a windows-1252 reader saw; its five undefined bytes came through as C1 chars."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1252")
        except UnicodeEncodeError:
            if ord(char) > 0xFF:
                return None
            out.append(ord(char))
    return bytes(out)


def _repair_mojibake(text: str) -> str:
    """Undo UTF-8 read as windows-1252 ("â€“" for "–") when the round trip is exact."""
    if not _MOJIBAKE_MARKERS.search(text):
        return text
    raw = _as_windows_1252_bytes(text)
    try:
        return raw.decode("utf-8") if raw is not None else text
    except UnicodeDecodeError:
        return text


def _tidy(text: str) -> str:
    text = text.translate(_INVISIBLE_CHARS)
    text = " ".join(text.split())
    return unicodedata.normalize("NFC", _repair_mojibake(text))


def html_to_paragraphs(html: str) -> list[str]:
    """Plain-text paragraphs from HTML, split at block elements and at double <br>."""
    if not isinstance(html, str) or not html.strip():
        return []
    soup = BeautifulSoup(cap_markup(_SURROGATES.sub("\ufffd", html[:MAX_TEXT_CHARS])), "lxml")
    paragraphs: list[str] = []
    buffer: list[str] = []
    # Per element: (nearest block, nearest table cell inside that block, never shown?).
    # Parents are visited before children, so each lookup is one step: linear on deep nesting.
    context: dict[int, tuple[Tag | None, Tag | None, bool]] = {id(soup): (None, None, False)}
    current_block: Tag | None = None
    current_cell: Tag | None = None
    pending_breaks = 0

    def flush() -> None:
        text = _tidy("".join(buffer))
        if text:
            paragraphs.append(text)
        buffer.clear()

    for node in soup.descendants:
        parent_context = context.get(id(node.parent), (None, None, False))
        if isinstance(node, Tag):
            block, cell, hidden = parent_context
            if node.name in _HIDDEN_TEXT_TAGS:
                hidden = True
            elif node.name in _BLOCK_TAGS:
                block, cell = node, None
            elif node.name in _CELL_TAGS:
                cell = node
            context[id(node)] = (block, cell, hidden)
            if node.name == "br" and not hidden:
                pending_breaks += 1
                if pending_breaks >= 2:
                    flush()
                else:
                    buffer.append(" ")
            continue
        if not isinstance(node, NavigableString) or isinstance(node, PreformattedString):
            continue
        block, cell, hidden = parent_context
        if hidden:
            continue
        if not node.strip():
            buffer.append(" " if block is current_block else "")
            continue
        pending_breaks = 0
        if block is not current_block:
            flush()
            current_block, current_cell = block, cell
        elif cell is not current_cell:
            buffer.append(" | " if current_cell is not None and buffer else " ")
            current_cell = cell
        pieces = _BLANK_LINE_RE.split(str(node))
        for index, piece in enumerate(pieces):
            if index:
                flush()
            buffer.append(piece)
    flush()
    return paragraphs


def clean_text(text: str) -> str:
    """Plain one-line text: entities decoded, tags stripped, whitespace collapsed, NFC."""
    if not isinstance(text, str):
        return ""
    text = cap_markup(_SURROGATES.sub("\ufffd", text[:MAX_TEXT_CHARS]))
    for _ in range(2):  # titles are sometimes escaped twice ("&amp;#8211;")
        if "<" in text:
            text = re.sub(r"<br\s*/?>", " ", text, flags=re.IGNORECASE)
            soup = BeautifulSoup(text, "html.parser")
            for hidden in soup.find_all(list(DROPPED_WITH_CONTENT)):
                hidden.decompose()
            text = soup.get_text()
        if "&" in text:
            text = html_lib.unescape(text)
    return _tidy(text)


# --------------------------------------------------------------------------------------------
# Datelines and closing initials
# --------------------------------------------------------------------------------------------

_PLACE = r"[A-Z][\w'.’]*(?:[ -][A-Z][\w'.’]*){0,3}"
_DASH = r"[-–—]+"
_SITE = r"MC(?: Kota Malang)?|[a-z][a-z0-9.-]*\.(?:go\.id|id|com)"  # who published it
_DATELINE_RES = (
    # "Malang, (malangkota.go.id) –", "Klojen (MC) –", "Kedungkandang ( –" (broken /en/ copy)
    re.compile(rf"^(?P<dateline>{_PLACE}\s*,?\s*\(\s*(?:{_SITE})?\s*\)?\s*{_DASH})\s*"),
    # "Kedungkandang, MC –", "Klojen, MC-", "Malang, malangkota.go.id –"
    re.compile(rf"^(?P<dateline>{_PLACE}\s*,?\s*(?:{_SITE})\s*{_DASH})\s*"),
    # "MALANG –", "KOTA BATU, –"
    re.compile(rf"^(?P<dateline>[A-Z][A-Z.'’]+(?: [A-Z][A-Z.'’]+){{0,2}}\s*,?\s*{_DASH})\s+"),
)
_DATELINE_SEARCH_DEPTH = 3  # a photo caption can come before the first real paragraph


def split_dateline(paragraphs: list[str]) -> tuple[str, list[str]]:
    """Split "Klojen, (malangkota.go.id) –" off the start of the text: (dateline, paragraphs)."""
    for index, paragraph in enumerate(paragraphs[:_DATELINE_SEARCH_DEPTH]):
        for pattern in _DATELINE_RES:
            match = pattern.match(paragraph)
            if match:
                rest = paragraph[match.end() :].strip()
                remaining = list(paragraphs)
                if rest:
                    remaining[index] = rest
                else:
                    del remaining[index]
                return match.group("dateline").strip(), remaining
    return "", list(paragraphs)


_INITIALS_RE = re.compile(
    r"\(\s*(?P<initials>[A-Za-z*]{1,6}(?:\s*/\s*[A-Za-z*]{1,6}){0,3})\s*\)\s*\.?\s*$"
)


def _looks_like_initials(initials: str, before: str) -> bool:
    tokens = [token.strip() for token in initials.split("/")]
    if len(tokens) == 1:
        # "(tvn)" yes, "(MPP)" or "(Foto)" no; alone or right after a sentence
        token = tokens[0]
        ends_sentence = not before.strip() or before.rstrip()[-1] in '.!?"”’)…'
        return (token.islower() or token == "*") and ends_sentence
    # "(say/yon)", "(*/Hms)", "(Ts/yon)"; but not an all-caps pair such as "(TPS/TPST)"
    return any(token == "*" or any(ch.islower() for ch in token) for token in tokens)


def split_author(paragraphs: list[str]) -> tuple[str, list[str]]:
    """Split closing initials such as "(say/yon)" off the last paragraph: (initials, paragraphs)."""
    if not paragraphs:
        return "", []
    last = paragraphs[-1]
    match = _INITIALS_RE.search(last)
    if not match or not _looks_like_initials(match.group("initials"), last[: match.start()]):
        return "", list(paragraphs)
    initials = re.sub(r"\s*/\s*", "/", match.group("initials"))
    rest = last[: match.start()].strip()
    remaining = list(paragraphs[:-1])
    if rest:
        remaining.append(rest)
    return initials, remaining


# --------------------------------------------------------------------------------------------
# RawItem -> Release
# --------------------------------------------------------------------------------------------

_READ_ALSO_RE = re.compile(r"^(?:baca|simak|lihat)\s+(?:juga|pula)\b|^read\s+(?:also|more)\b", re.I)


def _unique(values: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    result = []
    for value in values:
        text = clean_text(value) if isinstance(value, str) else ""
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            result.append(text)
    return result


def _page_url(item: RawItem) -> str:
    for candidate in (item.canonical_url, item.url):
        url = canonical_url(candidate or "")
        if url.startswith(("https://", "http://")):
            return url
    return ""


def normalise_item(
    item: RawItem,
    *,
    source_id: str,
    opd: str,
    category_hints: Iterable[str] = (),
    default_year: int | None = None,
) -> tuple[Release | None, list[str]]:
    """Build a Release from a RawItem, or return (None, [why]) when it has no title or no text."""
    problems: list[str] = []
    where = item.url or item.guid or "item"
    url = _page_url(item)
    if not url:
        return None, [f"{where}: no usable http(s) URL"]
    title = clean_text(item.title)
    if not title:
        return None, [f"{url}: no title"]

    if isinstance(item.html, str) and item.html.count("<") > MAX_MARKUP_TAGS:
        problems.append(
            f"{url}: text has more than {MAX_MARKUP_TAGS:,} tags; only the part before was read"
        )
    html = sanitise_html(item.html)
    # Text comes from the original markup: the sanitiser drops block tags such as <section> or
    # <details> and would glue their text together. Unsafe content is skipped either way.
    paragraphs = [p for p in html_to_paragraphs(item.html) if not _is_read_also(p)]
    dateline, paragraphs = split_dateline(paragraphs)
    initials, paragraphs = split_author(paragraphs)
    if not paragraphs:
        return None, [f"{url}: no text"]

    published = _date_field(item.published, "published", default_year, problems)
    modified = _date_field(item.modified, "modified", default_year, problems)
    release = Release(
        url=url,
        title=title,
        paragraphs=paragraphs,
        html=html,
        source_id=source_id,
        opd=opd,
        guid=(item.guid or "").strip(),
        published=published,
        modified=modified,
        categories=_unique(item.categories) or _unique(category_hints),
        tags=_unique(item.tags),
        author=initials or clean_text(item.author),
        dateline=dateline,
    )
    return release, problems


def _is_read_also(paragraph: str) -> bool:
    return len(paragraph) < 250 and bool(_READ_ALSO_RE.match(paragraph))


def _date_field(
    raw: str, name: str, default_year: int | None, problems: list[str]
) -> datetime | None:
    if not raw or not raw.strip():
        return None
    value = parse_date(raw, default_year=default_year)
    if value is None:
        problems.append(f"{name} date {raw.strip()[:60]!r} could not be read")
    return value
