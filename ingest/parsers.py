"""Parsers: pure functions from fetched bytes to RawItems plus a list of problems.

One parser per source kind: RSS/Atom feeds, WordPress REST ``/wp-json/wp/v2/posts`` pages, HTML
listing pages and full article pages. None of them does I/O, and none raises on bad input: a
broken or unexpected response comes back as whatever could be read plus plain-English problems,
so one bad source never stops a run and a failure never looks like "no new entries".
"""

from __future__ import annotations

import codecs
import html as html_lib
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import feedparser
from bs4 import BeautifulSoup, Tag
from soupsieve import SelectorSyntaxError

from archive.months import MONTHS
from ingest.items import RawItem
from ingest.normalise import MAX_MARKUP_TAGS, canonical_url, cap_markup, parse_date

MAX_INPUT_BYTES = 5 * 1024 * 1024
"""Bytes beyond this are ignored: no real press release or feed page comes near it."""


@dataclass
class ParsedPage:
    """What one fetched page yielded: items, problems, and paging hints for the caller."""

    items: list[RawItem]
    problems: list[str] = field(default_factory=list)
    total_pages: int | None = None  # REST: from the X-WP-TotalPages header, when passed in
    next_url: str | None = None  # HTML listing: the next page, when the page links one


@dataclass
class ArticleSelectors:
    """CSS selectors for an ``html`` source, from the sources file; all optional."""

    item: str = ""  # listing page: the anchors (or their containers) that lead to articles
    title: str = ""
    date: str = ""
    body: str = ""


# --------------------------------------------------------------------------------------------
# Shared helpers
# --------------------------------------------------------------------------------------------


def _cap(data: bytes, problems: list[str]) -> bytes:
    if len(data) > MAX_INPUT_BYTES:
        problems.append(
            f"response is {len(data):,} bytes; only the first {MAX_INPUT_BYTES:,} were read"
        )
        return data[:MAX_INPUT_BYTES]
    return data


def _short(value: object, limit: int = 160) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_web_url(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https") and bool(urlsplit(url).netloc)


def _absolute(base: str, href: object) -> str:
    """An absolute http(s) URL without its fragment, or "" for anything else."""
    if not isinstance(href, str):
        return ""
    href = href.strip()
    if not href or href.startswith("#"):
        return ""
    try:
        url = urldefrag(urljoin(base, href)).url
        return url if _is_web_url(url) else ""
    except ValueError:
        return ""


def _text(node: Tag | None) -> str:
    return " ".join(node.get_text(" ").split()) if node is not None else ""


def _unique(values: list[str]) -> list[str]:
    seen: set[str] = set()
    result = []
    for value in values:
        value = " ".join(value.split())
        if value and value.casefold() not in seen:
            seen.add(value.casefold())
            result.append(value)
    return result


# --------------------------------------------------------------------------------------------
# RSS and Atom
# --------------------------------------------------------------------------------------------

_XML_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
)


def _feed_content_type(content_type: str) -> str:
    """The header to give feedparser: an XML type, keeping any charset the server sent.

    WordPress feeds are often served as text/html or text/xml without a charset; feedparser
    would then assume us-ascii or latin-1 and flag the feed, so the XML declaration decides.
    """
    mime, _, params = (content_type or "").partition(";")
    charset = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", params, re.IGNORECASE)
    mime = mime.strip().lower()
    if mime not in _XML_TYPES:
        mime = "application/xml"
    return f"{mime}; charset={charset.group(1)}" if charset else mime


def _looks_like_html(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:200]


def parse_feed(data: bytes, url: str, content_type: str = "") -> ParsedPage:
    """RSS 2.0 / Atom bytes -> RawItems (content:encoded when present, else the summary)."""
    page = ParsedPage(items=[])
    if not isinstance(data, bytes | bytearray) or not bytes(data).strip():
        page.problems.append("empty response; not a feed")
        return page
    data = _cap(bytes(data), page.problems)
    try:
        # A stream, never raw bytes or str: feedparser treats those as a path to open.
        parsed = feedparser.parse(
            io.BytesIO(data),
            response_headers={
                "content-location": url,
                "content-type": _feed_content_type(content_type),
            },
        )
    except Exception as exc:  # feedparser has many recovery paths; none may sink a run
        page.problems.append(f"feed could not be parsed ({type(exc).__name__}: {_short(exc)})")
        return page

    version = parsed.get("version") or ""
    bozo = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not version and not parsed.get("entries"):
        what = "an HTML page" if _looks_like_html(data) else "something else"
        page.problems.append(f"response is {what}, not an RSS or Atom feed")
        if bozo is not None:
            page.problems.append(_bozo_problem(bozo))
        return page
    if bozo is not None:
        page.problems.append(_bozo_problem(bozo))

    for number, entry in enumerate(parsed.get("entries", []), start=1):
        item = _feed_entry(entry, number, url, page.problems)
        if item is not None:
            page.items.append(item)
    return page


def _bozo_problem(exc: object) -> str:
    """Name what feedparser flagged, with the line number when the XML parser gave one."""
    try:
        where = f" (line {exc.getLineNumber()})" if hasattr(exc, "getLineNumber") else ""
        message = exc.getMessage() if hasattr(exc, "getMessage") else str(exc)
    except Exception:  # a detail for the report is never a reason to fail
        where, message = "", ""
    kind = type(exc).__name__
    if kind == "SAXParseException":
        return f"feed is not well-formed XML{where}: {_short(message)}".rstrip(": ")
    return f"feed flagged as malformed ({kind}{where}): {_short(message)}".rstrip(": ")


def _feed_entry(entry: Any, number: int, base: str, problems: list[str]) -> RawItem | None:
    link = _absolute(base, entry.get("link"))
    guid = str(entry.get("id") or "").strip()
    if not link:
        link = _absolute(base, guid) if guid.startswith(("http://", "https://")) else ""
        if not link:
            problems.append(f"entry {number} has no link; skipped")
            return None
        problems.append(f"entry {number} has no link; used its guid {guid}")

    html, is_summary = _entry_html(entry)
    categories: list[str] = []
    tags: list[str] = []
    for tag in entry.get("tags") or []:
        name = tag.get("label") or tag.get("term") or ""
        scheme = (tag.get("scheme") or "").lower()
        (tags if "tag" in scheme else categories).append(name)

    return RawItem(
        url=link,
        title=str(entry.get("title") or ""),
        html=html,
        is_summary=is_summary,
        guid=guid,
        published=str(entry.get("published") or ""),
        # dict.get: feedparser's own .get("updated") falls back to the published date.
        modified=str(dict.get(entry, "updated") or ""),
        categories=_unique(categories),
        tags=_unique(tags),
        author=str(entry.get("author") or ""),
    )


def _entry_html(entry: Any) -> tuple[str, bool]:
    """The full content when the feed has it (is_summary False), else the summary."""
    for content in entry.get("content") or []:
        value = content.get("value") or ""
        if value.strip():
            return _as_html(value, content.get("type", "")), False
    detail = entry.get("summary_detail") or {}
    summary = entry.get("summary") or ""
    return _as_html(summary, detail.get("type", "")), True


def _as_html(value: str, mime: str) -> str:
    if mime == "text/plain":
        return "".join(f"<p>{html_lib.escape(part)}</p>" for part in value.split("\n\n") if part)
    return value


# --------------------------------------------------------------------------------------------
# WordPress REST API
# --------------------------------------------------------------------------------------------

_TZ_SUFFIX_RE = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$", re.IGNORECASE)


def _load_json(data: bytes, problems: list[str]) -> Any:
    try:
        return json.loads(data)
    except RecursionError:
        problems.append("REST response is nested too deeply to read")
        return None
    except (ValueError, UnicodeDecodeError):
        pass
    # PHP notices or a stray BOM printed by a plugin before the JSON are common on WordPress.
    text = data.decode("utf-8-sig", errors="replace")
    starts = [index for index in (text.find("["), text.find("{")) if index >= 0]
    if starts:
        start = min(starts)
        try:
            value, _ = json.JSONDecoder().raw_decode(text, start)
        except (ValueError, RecursionError):
            value = None
        if value is not None:
            problems.append(
                f"REST response had {start} characters of non-JSON text before the data"
            )
            return value
    what = "an HTML page" if _looks_like_html(data) else "not JSON"
    problems.append(f"REST response is {what}: {_short(text[:80]) or 'empty'}")
    return None


def _rendered(post: dict[str, Any], key: str) -> str:
    value = post.get(key)
    if isinstance(value, dict):
        value = value.get("rendered")
    return value if isinstance(value, str) else ""


def _has_text(html: str) -> bool:
    return bool(re.sub(r"<[^>]*>|&nbsp;|&#160;|\s", "", html))


def _rest_date(post: dict[str, Any], gmt_key: str, local_key: str) -> str:
    for key, offset in ((gmt_key, "+00:00"), (local_key, "+07:00")):
        value = post.get(key)
        if isinstance(value, str) and value.strip() and not value.startswith("0000"):
            value = value.strip()
            return value if _TZ_SUFFIX_RE.search(value) else value + offset
    return ""


def _embedded_terms(post: dict[str, Any]) -> tuple[list[str], list[str]] | None:
    embedded = post.get("_embedded")
    groups = embedded.get("wp:term") if isinstance(embedded, dict) else None
    if not isinstance(groups, list):
        return None
    categories: list[str] = []
    tags: list[str] = []
    for group in groups:
        for term in group if isinstance(group, list) else []:
            if not isinstance(term, dict) or not isinstance(term.get("name"), str):
                continue
            if term.get("taxonomy") == "post_tag":
                tags.append(html_lib.unescape(term["name"]))
            elif term.get("taxonomy") == "category":
                categories.append(html_lib.unescape(term["name"]))
    return _unique(categories), _unique(tags)


def _embedded_author(post: dict[str, Any]) -> str:
    embedded = post.get("_embedded")
    authors = embedded.get("author") if isinstance(embedded, dict) else None
    if isinstance(authors, list) and authors and isinstance(authors[0], dict):
        name = authors[0].get("name")
        return name if isinstance(name, str) else ""
    return ""


def _parse_total_pages(value: int | str | None, problems: list[str]) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        problems.append(f"X-WP-TotalPages header {_short(value, 40)!r} is not a number")
        return None
    return number if number >= 0 else None


def parse_wp_posts(data: bytes, url: str, *, total_pages: int | str | None = None) -> ParsedPage:
    """A /wp-json/wp/v2/posts page (JSON list, ideally with _embed) -> RawItems."""
    page = ParsedPage(items=[])
    page.total_pages = _parse_total_pages(total_pages, page.problems)
    if not isinstance(data, bytes | bytearray) or not bytes(data).strip():
        page.problems.append("empty REST response")
        return page
    posts = _load_json(_cap(bytes(data), page.problems), page.problems)
    if posts is None:
        return page
    if isinstance(posts, dict):
        if "code" in posts:
            message = html_lib.unescape(str(posts.get("message") or ""))
            page.problems.append(
                f"REST API error {posts['code']!s}: {_short(message)}".rstrip(": ")
            )
        else:
            page.problems.append("REST response is a JSON object, not a list of posts")
        return page
    if not isinstance(posts, list):
        page.problems.append(f"REST response is a JSON {type(posts).__name__}, not a list of posts")
        return page

    names_missing = 0
    for number, post in enumerate(posts, start=1):
        if not isinstance(post, dict):
            page.problems.append(f"post {number} is not a JSON object; skipped")
            continue
        label = f"post {number}" + (f" (id {post['id']})" if "id" in post else "")
        link = _absolute(url, post.get("link"))
        if not link:
            page.problems.append(f"{label} has no link; skipped")
            continue
        content = _rendered(post, "content")
        excerpt = _rendered(post, "excerpt")
        protected = isinstance(post.get("content"), dict) and bool(post["content"].get("protected"))
        if protected or not _has_text(content):
            html, is_summary = (excerpt if _has_text(excerpt) else content), True
            why = "is password-protected" if protected else "has no content"
            page.problems.append(f"{label} {why}; kept its excerpt")
        else:
            html, is_summary = content, False
        terms = _embedded_terms(post)
        if terms is None:
            terms = ([], [])
            if post.get("categories") or post.get("tags"):
                names_missing += 1
        title = _rendered(post, "title")
        if not title:
            page.problems.append(f"{label} has no title")
        page.items.append(
            RawItem(
                url=link,
                title=title,
                html=html,
                is_summary=is_summary,
                guid=_rendered(post, "guid"),
                published=_rest_date(post, "date_gmt", "date"),
                modified=_rest_date(post, "modified_gmt", "modified"),
                categories=terms[0],
                tags=terms[1],
                author=_embedded_author(post),
            )
        )
    if names_missing:
        page.problems.append(
            f"{names_missing} post(s) list category/tag ids without names; request with _embed"
        )
    return page


# --------------------------------------------------------------------------------------------
# HTML decoding
# --------------------------------------------------------------------------------------------

_META_CHARSET_RE = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_XML_ENCODING_RE = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")
_UTF8_MULTIBYTE_RE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
# WHATWG: browsers read these labels as windows-1252, and so must we to match what people saw.
_AS_WINDOWS_1252 = {"iso8859-1", "ascii", "latin-1", "cp1252"}


def _codec(label: str) -> str | None:
    try:
        name = codecs.lookup(label.strip()).name
    except LookupError:
        return None
    return "cp1252" if name in _AS_WINDOWS_1252 else name


def _decode_html(data: bytes, content_type: str = "") -> tuple[str, str]:
    """Bytes of an HTML page -> (text, encoding used): BOM, then header, then meta charset."""
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(name, errors="replace"), name

    declared = None
    header = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type or "", re.IGNORECASE)
    if header:
        declared = _codec(header.group(1))
    if declared is None:
        head = data[:4096]
        meta = _META_CHARSET_RE.search(head) or _XML_ENCODING_RE.search(head)
        if meta:
            declared = _codec(meta.group(1).decode("ascii", errors="ignore"))

    if declared and declared not in ("utf-8", "cp1252"):
        return data.decode(declared, errors="replace"), declared
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        # Not UTF-8. If some multi-byte sequences are valid it is UTF-8 with a few bad bytes;
        # otherwise it is the single-byte windows-1252 that old Indonesian sites used.
        if declared == "utf-8" and len(_UTF8_MULTIBYTE_RE.findall(data)) > 2:
            return data.decode("utf-8", errors="replace"), "utf-8"
        return data.decode("cp1252", errors="replace"), "cp1252"
    # Valid UTF-8 with non-ASCII bytes is UTF-8 even when a template still says windows-1252.
    if declared == "cp1252" and not _UTF8_MULTIBYTE_RE.search(data):
        return data.decode("cp1252", errors="replace"), "cp1252"
    return text, "utf-8"


def _soup(
    data: bytes, content_type: str = "", problems: list[str] | None = None
) -> BeautifulSoup | None:
    """The parse tree of an HTML page, built from at most MAX_MARKUP_TAGS tags."""
    if not isinstance(data, bytes | bytearray) or not bytes(data).strip():
        return None
    text, _ = _decode_html(bytes(data[:MAX_INPUT_BYTES]), content_type)
    capped = cap_markup(text)
    if len(capped) < len(text) and problems is not None:
        problems.append(
            f"page has more than {MAX_MARKUP_TAGS:,} tags; only the part before was read"
        )
    return BeautifulSoup(capped, "lxml")


def _select(root: Tag, selector: str) -> list[Tag]:
    """CSS select that treats a broken selector from the sources file as "no match"."""
    if not selector:
        return []
    try:
        return list(root.select(selector))
    except (SelectorSyntaxError, ValueError, NotImplementedError):
        return []


def _select_one(root: Tag, selector: str) -> Tag | None:
    found = _select(root, selector)
    return found[0] if found else None


# --------------------------------------------------------------------------------------------
# Article pages
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Furniture:
    """Page parts to drop, by tag name, class or id: one cheap pass over the tree."""

    tags: frozenset[str]
    classes: frozenset[str] = frozenset()
    ids: frozenset[str] = frozenset()

    def matches(self, node: Tag) -> bool:
        if node.name in self.tags:
            return True
        classes = node.get("class") or ()
        if self.classes and any(name in self.classes for name in classes):
            return True
        return bool(self.ids) and node.get("id") in self.ids


# Never content; removed before anything is read from the page body.
NOISE = _Furniture(
    tags=frozenset({
        "script", "style", "noscript", "template", "iframe", "form", "nav", "aside", "svg",
        "math", "object", "embed", "button", "select", "textarea", "input", "dialog",
    }),
    classes=frozenset({
        # Jetpack and other share buttons
        "sharedaddy", "sd-sharing", "sd-block", "sd-social", "share", "social-share",
        "share-buttons", "addtoany_share_save_container", "a2a_kit", "td-post-sharing",
        "heateor_sss_sharing_container",
        # related posts
        "jp-relatedposts", "related", "related-posts", "yarpp-related", "crp_related",
        "td_block_related_posts",
        # comments
        "comments-area", "comment-respond", "comment-list",
        # widgets, menus and navigation
        "widget", "widget-area", "sidebar", "menu", "mega-menu", "breadcrumb", "breadcrumbs",
        "post-navigation", "nav-links", "navigation", "pagination", "author-box",
        # ads, accessibility-only text, cookie banners
        "adsbygoogle", "advertisement", "code-block", "screen-reader-text", "skip-link",
        "cookie-notice",
    }),
    ids=frozenset({"comments", "respond", "sidebar", "breadcrumbs", "cookie-notice"}),
)  # fmt: skip
# The article frame; removed after title, dates and terms were read, before the body is taken.
FRAME = _Furniture(
    tags=frozenset({"header", "footer"}),
    classes=frozenset({
        "entry-meta", "post-meta", "byline", "posted-on", "cat-links", "tags-links",
        "entry-footer", "post-tags", "td-post-header", "td-category",
    }),
)  # fmt: skip
BODY_CLASSES = ("entry-content", "td-post-content", "post-content")  # then articleBody, article…
TITLE_CLASSES = frozenset({"entry-title", "post-title", "td-post-title"})
_REAL_TEXT_CHARS = 80
_SITE_HEADING_RE = re.compile(r"site-title|site-branding|site-header|logo|masthead|^header$", re.I)
_VOID_TAGS = frozenset({"embed", "input", "param", "source", "track", "wbr", "keygen"})
_READ_ALSO_BLOCKS = frozenset({"p", "div", "li", "h3", "h4", "h5", "h6", "blockquote"})
_MAX_DATE_HINTS = 20  # date-ish elements looked at per selector
_READ_ALSO_RE = re.compile(
    r"^\s*\W*\s*(?:baca|simak|lihat)\s+(?:juga|pula)\b|^\W*read\s+also\b", re.I
)
_MONTH_WORDS = "|".join(sorted(MONTHS, key=len, reverse=True))
_TEXT_DATE_RE = re.compile(
    r"(?:(?:Senin|Selasa|Rabu|Kamis|Jum'?at|Sabtu|Minggu|Ahad),?\s*)?"
    rf"\b\d{{1,2}}\s+(?:{_MONTH_WORDS})\.?\s+\d{{4}}\b"
    r"(?:\s*(?:,|-|pukul|jam)?\s*\d{1,2}[.:]\d{2}(?!\d)(?:\s*WIB)?)?",
    re.IGNORECASE,
)


def _meta(soup: BeautifulSoup, *names: str) -> list[str]:
    """Contents of <meta property=...> / <meta name=...> / itemprop tags, in document order."""
    wanted = {name.lower() for name in names}
    values = []
    for tag in soup.find_all("meta"):
        key = (tag.get("property") or tag.get("name") or tag.get("itemprop") or "").lower()
        content = tag.get("content")
        if key in wanted and isinstance(content, str) and content.strip():
            values.append(content.strip())
    return values


def _json_ld_dates(soup: BeautifulSoup) -> tuple[str, str]:
    published = modified = ""
    for script in soup.find_all("script", type="application/ld+json"):
        try:
            data = json.loads(script.string or "")
        except (ValueError, RecursionError):
            continue
        for node in _walk_json(data):
            if not published and isinstance(node.get("datePublished"), str):
                published = node["datePublished"]
            if not modified and isinstance(node.get("dateModified"), str):
                modified = node["dateModified"]
    return published, modified


def _walk_json(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 6:
        return
    if isinstance(data, dict):
        yield data
        for value in data.values():
            yield from _walk_json(value, depth + 1)
    elif isinstance(data, list):
        for value in data[:200]:
            yield from _walk_json(value, depth + 1)


def _strip_site_suffix(title: str, site_name: str) -> str:
    """ "Judul Berita – Pemerintah Kota Malang" -> "Judul Berita"."""
    title = " ".join(title.split())
    for separator in (" – ", " — ", " - ", " | ", " :: ", " » "):
        if separator not in title:
            continue
        head, _, tail = title.rpartition(separator)
        tail_key = tail.strip().casefold()
        is_site = bool(site_name) and tail_key == " ".join(site_name.split()).casefold()
        looks_like_site = separator == " | " or re.search(
            r"malang|pemkot|pemerintah|dinas|badan|kelurahan|kecamatan|official|website",
            tail_key,
        )
        if head.strip() and (is_site or (not site_name and looks_like_site)):
            return head.strip()
    return title


def _remove(root: Tag, furniture: _Furniture) -> None:
    """Decompose every element the furniture list names, plus hidden ones, in one pass."""
    doomed = [
        node
        for node in root.find_all(True)
        if furniture.matches(node)
        or (furniture is NOISE and (node.has_attr("hidden") or node.get("aria-hidden") == "true"))
    ]
    for node in doomed:
        if node.decomposed:
            continue
        if node.name in _VOID_TAGS:
            # libxml2 does not know <embed> is void and nests what follows inside it: keep that.
            node.unwrap()
        else:
            node.decompose()


def _remove_read_also(body: Tag) -> None:
    """Drop the "Baca Juga: <link>" lines editors put between paragraphs."""
    for string in body.find_all(string=_READ_ALSO_RE):
        if string.parent is None:
            continue
        line = next(
            (node for node in string.parents if node.name in _READ_ALSO_BLOCKS), string.parent
        )
        if line is body or line.decomposed or body not in line.parents:
            continue
        text = _text(line)
        if _READ_ALSO_RE.match(text) and len(text) < 300 and (line.find("a") or len(text) < 150):
            line.decompose()


def _body_candidates(soup: BeautifulSoup) -> Iterator[list[Tag]]:
    """Common WordPress content containers, best first (plain finds: soupsieve is slow)."""
    for class_name in BODY_CLASSES:
        yield soup.find_all(class_=class_name)
    yield soup.find_all(attrs={"itemprop": "articleBody"})
    articles = soup.find_all("article")
    yield [node for article in articles for node in article.find_all(class_="content")]
    yield articles
    yield soup.find_all("main")


def _first_with_text(groups: Iterable[list[Tag]]) -> Tag | None:
    """The first group's longest element with real text; else the first element with any."""
    fallback: Tag | None = None
    for group in groups:
        live = [node for node in group if not node.decomposed]
        if not live:
            continue
        length, node = max(((len(_text(node)), node) for node in live), key=lambda pair: pair[0])
        if length >= _REAL_TEXT_CHARS:
            return node
        if fallback is None and length:
            fallback = node
    return fallback


def _is_site_heading(heading: Tag) -> bool:
    """The site name in the page header ("<h1 class=site-title>"), not a post title."""
    if heading.find_parent(["article", "main"]) is not None:
        return False
    for node in (heading, *heading.parents):
        marks = [*(node.get("class") or ()), str(node.get("id") or "")]
        if node.name == "header" or any(_SITE_HEADING_RE.search(mark) for mark in marks):
            return True
    return False


def _title_heading(soup: BeautifulSoup) -> Tag | None:
    """The heading most likely to be the post title: .entry-title, then an h1 in article/main."""

    def rank(heading: Tag) -> int:
        parent = heading.parent
        classes = {*(heading.get("class") or ()), *((parent.get("class") or ()) if parent else ())}
        if classes & TITLE_CLASSES:
            return 0
        if heading.name != "h1" or _is_site_heading(heading):
            return 9
        if heading.find_parent("article") is not None:
            return 1
        return 2 if heading.find_parent("main") is not None else 3

    headings = [node for node in soup.find_all(["h1", "h2"]) if _text(node)]
    ranked = [(rank(node), index, node) for index, node in enumerate(headings)]
    best = min(ranked, default=None, key=lambda entry: entry[:2])
    return best[2] if best is not None and best[0] < 9 else None


def _find_title(soup: BeautifulSoup, selectors: ArticleSelectors) -> tuple[str, Tag | None]:
    site_name = next(iter(_meta(soup, "og:site_name")), "")
    chosen = _select_one(soup, selectors.title)
    if chosen is not None and _text(chosen):
        return _text(chosen), chosen
    heading = _title_heading(soup)
    og_titles = _meta(soup, "og:title", "twitter:title")
    if og_titles:
        title = _strip_site_suffix(og_titles[0], site_name)
        same = heading is not None and _text(heading).casefold() == title.casefold()
        return title, heading if same else None  # the heading is removed from the body later
    if heading is not None:
        return _text(heading), heading
    if soup.title is not None and _text(soup.title):
        return _strip_site_suffix(_text(soup.title), site_name), None
    return "", None


def _is_date_class(class_name: str | None) -> bool:
    name = (class_name or "").lower()
    return "date" in name or "tanggal" in name or name == "posted-on"


def _outside(node: Tag, body: Tag | None) -> bool:
    return body is None or (node is not body and body not in node.parents)


def _find_date_text(soup: BeautifulSoup, selectors: ArticleSelectors, body: Tag | None) -> str:
    """A printed publication date: the configured selector, date-ish elements, then page text."""
    hinted = _select(soup, selectors.date)[:_MAX_DATE_HINTS]
    hinted += soup.find_all(class_=_is_date_class, limit=_MAX_DATE_HINTS)
    for node in hinted:
        text = _text(node)[:120]
        if _outside(node, body) and text and parse_date(text) is not None:
            return text
    # Any "Senin, 23 September 2019" outside the body text (event dates live in the body).
    for string in soup.find_all(string=_TEXT_DATE_RE):
        if body is not None and body in string.parents:
            continue
        match = _TEXT_DATE_RE.search(str(string))
        if match:
            return " ".join(match.group(0).split())
    return ""


def _find_time(soup: BeautifulSoup, *class_names: str) -> str:
    for class_name in class_names:
        node = soup.find("time", class_=class_name, datetime=True)
        if node is not None:
            return str(node["datetime"]).strip()
    return ""


def extract_article(
    data: bytes, url: str, selectors: ArticleSelectors | None = None, *, content_type: str = ""
) -> RawItem | None:
    """A full article page -> RawItem with the body HTML and metadata; None if it has no text."""
    selectors = selectors or ArticleSelectors()
    soup = _soup(data, content_type)
    if soup is None:
        return None

    # 1. What the head says (read before any clean-up: JSON-LD lives in <script>).
    canonical = ""
    for link in soup.find_all("link", href=True):
        if "canonical" in (link.get("rel") or []):
            canonical = _absolute(url, link["href"])
            break
    canonical = canonical or _absolute(url, next(iter(_meta(soup, "og:url")), ""))
    shortlink = next(
        (link["href"] for link in soup.find_all("link", href=True)
         if "shortlink" in (link.get("rel") or [])),
        "",
    )  # fmt: skip
    published = next(iter(_meta(soup, "article:published_time", "datePublished")), "")
    modified = next(
        iter(_meta(soup, "article:modified_time", "dateModified", "og:updated_time")), ""
    )
    ld_published, ld_modified = _json_ld_dates(soup)
    published, modified = published or ld_published, modified or ld_modified
    sections = _meta(soup, "article:section")
    meta_tags = _meta(soup, "article:tag")
    author = next(iter(_meta(soup, "author", "article:author")), "")
    if author.startswith(("http://", "https://")):
        author = ""

    # 2. Page furniture that is never content.
    _remove(soup, NOISE)

    # 3. Title, dates and terms from the article frame (entry header and footer).
    title, title_node = _find_title(soup, selectors)
    published = published or _find_time(soup, "published", "entry-date")
    modified = modified or _find_time(soup, "updated")
    if not published:
        first_time = soup.find("time", datetime=True)
        published = str(first_time["datetime"]).strip() if first_time is not None else ""
    rel_links = [(link.get("rel") or [], link) for link in soup.find_all("a", rel=True)]
    categories = [_text(link) for rel, link in rel_links if "category" in rel] + sections
    tags = [_text(link) for rel, link in rel_links if rel == ["tag"]] + meta_tags
    if not author:
        author = next((_text(link) for rel, link in rel_links if "author" in rel), "")

    # 4. The body, without the frame, the title and the "Baca Juga" lines.
    body = _select_one(soup, selectors.body) if selectors.body else None
    if body is None or not _text(body):
        body = None
    if not published:
        published = _find_date_text(
            soup, selectors, body or _first_with_text(_body_candidates(soup))
        )
    if title_node is not None and not title_node.decomposed:
        title_node.decompose()
    _remove(soup, FRAME)
    if body is None or body.decomposed:
        body = _first_with_text(_body_candidates(soup))
    if body is None:
        return None
    _remove_read_also(body)
    if not _text(body):
        return None

    return RawItem(
        url=url,
        title=title,
        html=body.decode_contents().strip(),
        is_summary=False,
        guid=_absolute(url, shortlink),
        published=published,
        modified=modified,
        categories=_unique(categories),
        tags=_unique(tags),
        author=author,
        canonical_url=canonical,
    )


# --------------------------------------------------------------------------------------------
# Listing pages
# --------------------------------------------------------------------------------------------

NEXT_SELECTORS = ('link[rel~="next"]', 'a[rel~="next"]', ".next a", "a.next", ".nav-previous a")


def parse_listing(
    data: bytes, url: str, selectors: ArticleSelectors, *, content_type: str = ""
) -> ParsedPage:
    """An HTML listing page -> one summary RawItem per article link, plus the next page URL."""
    page = ParsedPage(items=[])
    if not isinstance(data, bytes | bytearray) or not bytes(data).strip():
        page.problems.append("empty listing page")
        return page
    soup = _soup(_cap(bytes(data), page.problems), content_type, page.problems)
    if soup is None:
        page.problems.append("empty listing page")
        return page

    page.next_url = _next_url(soup, url)
    if not selectors.item:
        page.problems.append("no item selector configured for this listing")
        return page
    try:
        elements = soup.select(selectors.item)
    except (SelectorSyntaxError, ValueError, NotImplementedError) as exc:
        page.problems.append(f"item selector {selectors.item!r} is not valid CSS: {_short(exc)}")
        return page
    if not elements:
        page.problems.append(f"item selector {selectors.item!r} matched nothing")
        return page

    seen: set[str] = set()
    skipped = 0
    for element in elements:
        anchor = element if element.name == "a" and element.get("href") else None
        anchor = anchor or element.find("a", href=True)
        link = _absolute(url, anchor.get("href")) if anchor is not None else ""
        if not link:
            skipped += 1
            continue
        key = canonical_url(link)
        if key in seen:
            continue
        seen.add(key)
        page.items.append(RawItem(url=link, title=_link_title(element, anchor), is_summary=True))
    if skipped:
        page.problems.append(f"{skipped} matched element(s) had no http(s) link; skipped")
    return page


def _link_title(element: Tag, anchor: Tag) -> str:
    """The anchor text; for a thumbnail link, the text of a sibling link to the same page."""
    for node in (anchor, *element.find_all("a", href=anchor.get("href"))):
        if _text(node):
            return _text(node)
    image = anchor.find("img", alt=True)
    title = anchor.get("title") or (image["alt"] if image is not None else "")
    return " ".join(str(title).split())


def _next_url(soup: BeautifulSoup, url: str) -> str | None:
    for selector in NEXT_SELECTORS:
        for node in _select(soup, selector):
            link = _absolute(url, node.get("href"))
            if link and link != urldefrag(url).url:
                return link
    return None
