"""The normalised release: the unit the archive stores as versions."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class Release:
    """A release ready for the archive: plain text paragraphs, sanitised HTML, aware WIB dates."""

    url: str  # canonical URL
    title: str
    paragraphs: list[str]
    html: str  # sanitised with nh3; safe to render
    source_id: str
    opd: str
    guid: str = ""
    published: datetime | None = None
    modified: datetime | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    author: str = ""  # closing initials such as "say/yon"
    dateline: str = ""  # e.g. "Malang, (malangkota.go.id) –", split from the first paragraph

    @property
    def content_hash(self) -> str:
        """Hash of what a reader sees (title and text): a new hash means a new version."""
        text = "\n".join([self.title.strip(), *(p.strip() for p in self.paragraphs)])
        return hashlib.sha256(text.encode("utf-8")).hexdigest()
