"""The one Atom (RFC 4287) writer: the feeds of searches and of clarifications.

The XML is built with xml.etree, which escapes every text and attribute, and every value first
loses the characters XML 1.0 cannot carry at all (control characters, lone surrogates, U+FFFE
and U+FFFF), which ElementTree would otherwise write as they are and so break the whole feed.
Summaries are either escaped HTML (type="html", the search snippets) or plain text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

ATOM_NS = "http://www.w3.org/2005/Atom"
CONTENT_TYPE = "application/atom+xml; charset=utf-8"
GENERATOR = "Saring"

# Everything outside XML 1.0's Char production.
_NOT_XML = re.compile(r"[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

ET.register_namespace("", ATOM_NS)


@dataclass
class FeedEntry:
    """One entry: a release (or clarification) as the feed shows it."""

    id: str  # a permanent absolute URL (the archive page)
    title: str
    link: str  # the archive page
    updated: datetime
    published: datetime | None = None
    source_link: str = ""  # the original page at the agency's site
    author: str = ""  # the issuing agency
    summary_html: str = ""  # escaped HTML, e.g. a highlighted snippet
    summary_text: str = ""  # plain text (used when there is no summary_html)
    content_text: str = ""  # the full text, plain
    categories: list[str] = field(default_factory=list)


def atom_feed(
    *,
    title: str,
    feed_url: str,
    html_url: str,
    entries: Iterable[FeedEntry],
    subtitle: str = "",
    updated: datetime | None = None,
    author: str = GENERATOR,
    author_uri: str = "",
) -> bytes:
    """The Atom document for these entries, UTF-8 encoded with an XML declaration."""
    entries = list(entries)
    root = ET.Element(_tag("feed"), {"xml:lang": "id"})
    _text(root, "id", feed_url)
    _text(root, "title", title)
    if subtitle:
        _text(root, "subtitle", subtitle)
    newest = max((entry.updated for entry in entries), default=None)
    _text(root, "updated", _stamp(updated or newest or datetime.now(UTC)))
    _empty(root, "link", rel="self", type=CONTENT_TYPE.split(";")[0], href=feed_url)
    _empty(root, "link", rel="alternate", type="text/html", href=html_url)
    feed_author = ET.SubElement(root, _tag("author"))
    _text(feed_author, "name", author)
    if author_uri:
        _text(feed_author, "uri", author_uri)
    _text(root, "generator", GENERATOR)
    for entry in entries:
        _entry(root, entry)
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def _entry(root: ET.Element, entry: FeedEntry) -> None:
    element = ET.SubElement(root, _tag("entry"))
    _text(element, "id", entry.id)
    _text(element, "title", entry.title)
    _text(element, "updated", _stamp(entry.updated))
    if entry.published:
        _text(element, "published", _stamp(entry.published))
    _empty(element, "link", rel="alternate", type="text/html", href=entry.link)
    if entry.source_link:
        _empty(element, "link", rel="related", href=entry.source_link)
    if entry.author:
        author = ET.SubElement(element, _tag("author"))
        _text(author, "name", entry.author)
    for category in entry.categories:
        _empty(element, "category", term=category)
    if entry.summary_html:
        _text(element, "summary", entry.summary_html).set("type", "html")
    elif entry.summary_text:
        _text(element, "summary", entry.summary_text)
    if entry.content_text:
        _text(element, "content", entry.content_text).set("type", "text")


def _tag(name: str) -> str:
    return f"{{{ATOM_NS}}}{name}"


def _text(parent: ET.Element, name: str, value: str) -> ET.Element:
    element = ET.SubElement(parent, _tag(name))
    element.text = xml_safe(value)
    return element


def _empty(parent: ET.Element, name: str, **attributes: str) -> ET.Element:
    return ET.SubElement(parent, _tag(name), {k: xml_safe(v) for k, v in attributes.items()})


def xml_safe(value: str) -> str:
    """`value` without the characters XML 1.0 cannot carry (ElementTree would write them)."""
    return _NOT_XML.sub("", value) if value else ""


def _stamp(moment: datetime) -> str:
    """RFC 3339 time, in UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
