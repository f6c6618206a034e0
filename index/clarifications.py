"""Published clarifications in the search index: their layout, and keeping them in step.

A clarification is one index document: kind "clarification", id "k<id>", url
"/klarifikasi/<slug>", the verdict as its category; its title carries the verdict and its body
is the summary, the rumour and the fuller text (`clarification_index_text`, read back by
`split_body` and `headline`, so that writing and reading the layout stay in one place).

The archive flags every change in the same transaction (`needs_index`); `sync_clarifications`
adds published ones and deletes the others, then clears the flag, so a crash in between is
repaired by the next sync.

Flask-free: the admin views, the demo loader and the CLI all call these functions.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from archive.editorial import PUBLISHED, Clarification, Editorial
from index.store import IndexDoc, SearchIndex

log = logging.getLogger(__name__)

KIND = "clarification"
OPD = "Dinas Komunikasi dan Informatika"
SOURCE = "klarifikasi"
_PARAGRAPH = "\n\n"


def index_id(clarification_id: int) -> str:
    """The index document id of a clarification."""
    return f"k{clarification_id}"


def public_path(slug: str) -> str:
    """The site path of a clarification's page."""
    return f"/klarifikasi/{slug}"


def to_index_doc(item: Clarification) -> IndexDoc:
    """The index's view of a published clarification."""
    title, body = clarification_index_text(
        title=item.title,
        verdict=item.verdict,
        rumour=item.rumour,
        summary=item.summary,
        body=item.body,
    )
    return IndexDoc(
        id=index_id(item.id),
        url=public_path(item.slug),
        title=title,
        body=body,
        opd=OPD,
        source=SOURCE,
        categories=[item.verdict],
        tags=[],
        published=item.published_at,
        modified=item.updated_at,
        status="active",
        kind=KIND,
        author=item.author,
    )


def sync_clarifications(editorial: Editorial, index: SearchIndex) -> int:
    """Index published clarifications flagged as changed and drop the others; return how many."""
    pending = list(editorial.iter_index_pending())
    if not pending:
        return 0
    published = [item for item in pending if item.status == PUBLISHED]
    hidden = [index_id(item.id) for item in pending if item.status != PUBLISHED]
    if published:
        index.upsert(to_index_doc(item) for item in published)
    if hidden:
        index.delete(hidden)
    editorial.mark_indexed(item.id for item in pending)
    log.info("indexed %d clarification change(s)", len(pending))
    return len(pending)


def iter_index_docs(editorial: Editorial) -> Iterator[IndexDoc]:
    """Index documents of every published clarification (for a full rebuild)."""
    for item in editorial.iter_published():
        yield to_index_doc(item)


def reindex_clarifications(editorial: Editorial, index: SearchIndex) -> int:
    """Upsert every published clarification into the current index (after a release rebuild)."""
    items = list(editorial.iter_published())
    if items:
        index.upsert(to_index_doc(item) for item in items)
    editorial.mark_indexed(item.id for item in items)
    return len(items)


# -- the layout ---------------------------------------------------------------------------------


def clarification_index_text(
    *, title: str, verdict: str, rumour: str, summary: str, body: str
) -> tuple[str, str]:
    """Return (title, body) of a clarification's index document.

    The title carries the verdict ("[HOAKS] ...") so any result list shows it; the body is the
    summary, then the rumour, then the fuller text, each of the first two on one paragraph.
    """
    return (
        f"[{verdict}] {_one_line(title)}",
        _PARAGRAPH.join([_one_line(summary), _one_line(rumour), body.strip()]).strip(),
    )


def split_body(body: str) -> tuple[str, str, str]:
    """(summary, rumour, fuller text) of an index document's body."""
    parts = body.split(_PARAGRAPH, 2)
    parts += [""] * (3 - len(parts))
    return parts[0], parts[1], parts[2]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def headline(title: str) -> str:
    """The title without its "[VERDICT] " prefix."""
    if title.startswith("[") and "] " in title:
        return title.split("] ", 1)[1]
    return title
