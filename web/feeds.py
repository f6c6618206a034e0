"""Atom feeds (RFC 4287) of searches, so a reader can subscribe to any result list.

The XML is built with xml.etree, which escapes every text and attribute; the summaries are the
highlighted snippets, sent as escaped HTML (type="html") as Atom prescribes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

ATOM_NS = "http://www.w3.org/2005/Atom"
CONTENT_TYPE = "application/atom+xml; charset=utf-8"
GENERATOR = "Saring"

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
    summary_html: str = ""
    categories: list[str] = field(default_factory=list)


def atom_feed(
    *,
    title: str,
    feed_url: str,
    html_url: str,
    entries: Iterable[FeedEntry],
    subtitle: str = "",
    updated: datetime | None = None,
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
    ET.SubElement(
        root, _tag("link"), {"rel": "self", "type": CONTENT_TYPE.split(";")[0], "href": feed_url}
    )
    ET.SubElement(root, _tag("link"), {"rel": "alternate", "type": "text/html", "href": html_url})
    author = ET.SubElement(root, _tag("author"))
    _text(author, "name", GENERATOR)
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
    ET.SubElement(
        element, _tag("link"), {"rel": "alternate", "type": "text/html", "href": entry.link}
    )
    if entry.source_link:
        ET.SubElement(element, _tag("link"), {"rel": "related", "href": entry.source_link})
    if entry.author:
        author = ET.SubElement(element, _tag("author"))
        _text(author, "name", entry.author)
    for category in entry.categories:
        ET.SubElement(element, _tag("category"), {"term": category})
    if entry.summary_html:
        summary = _text(element, "summary", entry.summary_html)
        summary.set("type", "html")


def _tag(name: str) -> str:
    return f"{{{ATOM_NS}}}{name}"


def _text(parent: ET.Element, name: str, value: str) -> ET.Element:
    element = ET.SubElement(parent, _tag(name))
    element.text = _xml_safe(value)
    return element


def _xml_safe(value: str) -> str:
    """Drop the control characters XML 1.0 cannot carry (ElementTree would write them as is)."""
    return "".join(c for c in value if c in "\t\n\r" or ord(c) >= 0x20) if value else ""


def _stamp(moment: datetime) -> str:
    """RFC 3339 time, in UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
