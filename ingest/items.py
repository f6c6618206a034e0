"""What a parser found (RawItem); the normalised Release it becomes lives in the archive."""

from __future__ import annotations

from dataclasses import dataclass, field

from archive.release import Release

__all__ = ["RawItem", "Release"]


@dataclass
class RawItem:
    """One entry as a parser found it in a feed, a REST page, a listing or an article page.

    Nothing here is trusted: ``title`` and ``html`` may hold markup, entities or scripts, and the
    date strings are whatever the source printed (RFC 822, ISO 8601 or Indonesian text).
    """

    url: str
    title: str = ""
    html: str = ""
    is_summary: bool = False  # True when ``html`` is only an excerpt: fetch the article page
    guid: str = ""
    published: str = ""
    modified: str = ""
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    author: str = ""
    canonical_url: str = ""  # rel=canonical or og:url when an article page gave one
