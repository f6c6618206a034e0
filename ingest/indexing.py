"""Keep the search index in step with the archive: incremental sync and full rebuild.

The archive flags every change with `needs_index` in the same transaction as the change; this
module clears the flag only after the index has committed, so a crash between the two is
repaired by the next sync or by a rebuild.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator

from archive import Archive, StoredRelease
from archive.attachments import AttachmentStore, StoredAttachment
from index.store import IndexDoc, SearchIndex, attachment_heading

log = logging.getLogger(__name__)

BATCH = 500
# Characters of one linked document's text that go into its release's indexed body, and of all
# of them together: enough for a surat edaran or a schedule, while a 300-page perda does not
# drown the release's own words (BM25 weighs a term less in a longer body). The whole text
# stays in the archive and on the release page.
DOCUMENT_INDEX_CHARS = 20_000
DOCUMENTS_INDEX_CHARS = 50_000


def to_index_doc(release: StoredRelease, documents: Iterable[StoredAttachment] = ()) -> IndexDoc:
    """The index's view of an archived release (its latest version) and its documents' text."""
    version = release.current
    return IndexDoc(
        id=str(release.id),
        url=release.url,
        title=version.title,
        body="\n\n".join([*version.paragraphs, *_document_paragraphs(documents)]),
        opd=release.opd,
        source=release.source_id,
        categories=list(version.categories),
        tags=list(version.tags),
        published=version.published,
        modified=version.modified,
        status=release.status,
        author=version.author,
    )


def _document_paragraphs(documents: Iterable[StoredAttachment]) -> list[str]:
    """Per document with text: its heading, then its text (capped, see above)."""
    paragraphs: list[str] = []
    room = DOCUMENTS_INDEX_CHARS
    for document in documents:
        text = document.current.text.strip() if document.current else ""
        if not text or room <= 0:
            continue
        text = text[: min(DOCUMENT_INDEX_CHARS, room)]
        room -= len(text)
        paragraphs += [attachment_heading(document.name), text]
    return paragraphs


def _with_documents(archive: Archive, releases: list[StoredRelease]) -> Iterator[IndexDoc]:
    documents = AttachmentStore(archive.engine).for_releases(r.id for r in releases)
    for release in releases:
        yield to_index_doc(release, documents.get(release.id, ()))


def sync_index(archive: Archive, index: SearchIndex) -> int:
    """Index every release flagged as changed since it was last indexed; returns how many."""
    done = 0
    batch: list[StoredRelease] = []
    for release in archive.iter_releases(pending_only=True):
        batch.append(release)
        if len(batch) >= BATCH:
            done += _flush(archive, index, batch)
            batch = []
    if batch:
        done += _flush(archive, index, batch)
    if done:
        log.info("indexed %d changed release(s)", done)
    return done


def _flush(archive: Archive, index: SearchIndex, batch: list[StoredRelease]) -> int:
    index.upsert(_with_documents(archive, batch))
    archive.mark_indexed(r.id for r in batch)
    return len(batch)


def rebuild_index(archive: Archive, index: SearchIndex, extra: Iterable[IndexDoc] = ()) -> int:
    """Build a fresh index from the archive alone and swap it in; returns the document count.

    `extra` adds documents that are not releases (published clarifications) to the same build.
    """
    ids: list[int] = []

    def docs() -> Iterator[IndexDoc]:
        batch: list[StoredRelease] = []
        for release in archive.iter_releases():
            ids.append(release.id)
            batch.append(release)
            if len(batch) >= BATCH:
                yield from _with_documents(archive, batch)
                batch = []
        yield from _with_documents(archive, batch)
        yield from extra

    count = index.rebuild(docs())
    archive.mark_indexed(ids)
    return count
