"""Keep the search index in step with the archive: incremental sync and full rebuild.

The archive flags every change with `needs_index` in the same transaction as the change; this
module clears the flag only after the index has committed, so a crash between the two is
repaired by the next sync or by a rebuild.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator

from archive import Archive, StoredRelease
from index.store import IndexDoc, SearchIndex

log = logging.getLogger(__name__)

BATCH = 500


def to_index_doc(release: StoredRelease) -> IndexDoc:
    """The index's view of an archived release (its latest version)."""
    version = release.current
    return IndexDoc(
        id=str(release.id),
        url=release.url,
        title=version.title,
        body="\n\n".join(version.paragraphs),
        opd=release.opd,
        source=release.source_id,
        categories=list(version.categories),
        tags=list(version.tags),
        published=version.published,
        modified=version.modified,
        status=release.status,
        author=version.author,
    )


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
    index.upsert(to_index_doc(r) for r in batch)
    archive.mark_indexed(r.id for r in batch)
    return len(batch)


def rebuild_index(archive: Archive, index: SearchIndex, extra: Iterable[IndexDoc] = ()) -> int:
    """Build a fresh index from the archive alone and swap it in; returns the document count.

    `extra` adds documents that are not releases (published clarifications) to the same build.
    """
    ids: list[int] = []

    def docs() -> Iterator[IndexDoc]:
        for release in archive.iter_releases():
            ids.append(release.id)
            yield to_index_doc(release)
        yield from extra

    count = index.rebuild(docs())
    archive.mark_indexed(ids)
    return count
