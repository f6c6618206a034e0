"""The Whoosh search index on disk: its schema, and every write to it.

The index is derived data: the archive is the source of truth and `SearchIndex.rebuild` can always
recreate it. Layout under ``base_dir``::

    write.lock            flock held by whichever process is writing (one writer at a time)
    current -> gen-...    symlink to the generation that serves searches
    gen-<utc time>-<pid>  a complete Whoosh index, plus saring-index.json (fingerprint, created)

Each thread keeps the reader it last searched with and reopens it only when ``current`` or the
generation's table of contents has moved on: reopening costs a few milliseconds per segment, so
per request it made searches slower the more segments frequent ingest commits had written.

Whoosh's multi-file commits are not crash-safe, so a full rebuild never touches the serving index:
it builds a new generation, fsyncs it, switches ``current`` atomically and only then removes older
generations. Incremental `upsert` and `delete` write into the current generation.

Dates are stored as naive UTC in Whoosh (its DATETIME field drops tzinfo silently); `year` and
`month` are computed in WIB (UTC+7), the local time of the releases.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from whoosh import index as whoosh_index
from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.searching import Searcher
from whoosh.writing import SegmentWriter

from archive.months import WIB
from index import build
from index.analysis import analysis_fingerprint, indonesian_analyzer
from index.names import AGENCIES
from index.whoosh_internals import ensure_checked, latest_commit, writer_lock_name

# Bump when the schema changes; an index built under another version reports needs_rebuild.
SCHEMA_VERSION = 1


CURRENT_LINK = "current"
LOCK_FILE = "write.lock"
META_FILE = "saring-index.json"
GENERATION_PREFIX = "gen-"
_LOCK_POLL_SECONDS = 0.05
_READ_ATTEMPTS = 3  # one retry covers a rare rebuild; three survive back-to-back rebuilds

_T = TypeVar("_T")

# Full OPD name (case-folded) -> its abbreviations, added to `opd_text` so "dishub" finds Dishub.
_ABBREVIATIONS: dict[str, list[str]] = {}
for _abbreviation, _full_name in AGENCIES.items():
    _ABBREVIATIONS.setdefault(_full_name.casefold(), []).append(_abbreviation)


class SearchIndexError(Exception):
    """Base class for search-index errors."""


class IndexBusy(SearchIndexError):
    """Another process holds the write lock."""


class IndexMissing(SearchIndexError):
    """No index has been built yet (or the current generation vanished)."""


class IndexBuildFailed(SearchIndexError):
    """A rebuild stopped on a document that could not be indexed (or a build worker died);
    the previous generation still serves."""


# A release's indexed body ends with the text of the documents it links to, each after a
# heading paragraph "[Lampiran] <file name>" (`attachment_heading`), so search finds a release
# by its documents' words and the claim check reads their sentences as the release's, knowing
# from the heading which document a sentence comes from (`attachment_name`).
ATTACHMENT_MARK = "[Lampiran]"


def attachment_heading(name: str) -> str:
    """The paragraph that opens a document's text inside a release's indexed body."""
    return f"{ATTACHMENT_MARK} {' '.join(name.split())}"


def attachment_name(paragraph: str) -> str | None:
    """The document name when `paragraph` is an attachment heading, else None."""
    if paragraph.startswith(ATTACHMENT_MARK + " ") and "\n" not in paragraph:
        return paragraph[len(ATTACHMENT_MARK) + 1 :].strip() or None
    return None


@dataclass
class IndexDoc:
    """One document as the archive hands it to the index; plain data."""

    id: str  # release id as a string
    url: str
    title: str
    body: str  # paragraphs joined by "\n\n"
    opd: str
    source: str  # source id
    categories: list[str]
    tags: list[str]
    published: datetime | None  # timezone-aware
    modified: datetime | None  # timezone-aware
    status: str = "active"  # or "removed"
    kind: str = "release"  # later also "clarification"
    author: str = ""


def build_schema() -> Schema:
    """Return the Whoosh schema of the release index."""
    analyzer = indonesian_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        url=ID(stored=True),
        # Title boost is applied at query time (index.syntax), so it is tuned without a rebuild.
        title=TEXT(analyzer=analyzer, stored=True),
        body=TEXT(analyzer=analyzer, stored=True),
        opd=ID(stored=True, sortable=True),
        opd_text=TEXT(analyzer=analyzer),  # OPD name plus its abbreviations, for "opd:" queries
        categories=KEYWORD(stored=True, commas=True, scorable=True, lowercase=False),
        tags=KEYWORD(stored=True, commas=True, scorable=True, lowercase=False),
        published=_date_field(),
        modified=_date_field(),
        year=NUMERIC(numtype=int, bits=32, stored=True, sortable=True, default=0),
        month=ID(stored=True, sortable=True),  # "2025-10"
        source=ID(stored=True),
        status=ID(stored=True),
        kind=ID(stored=True),
        author=ID(stored=True),
    )


def _date_field() -> DATETIME:
    """A stored, sortable DATETIME whose missing values sort as the oldest (Whoosh: the newest)."""
    date = DATETIME(stored=True)
    date.default = 0
    date.set_sortable(True)
    return date


def index_fingerprint() -> str:
    """Return the fingerprint of today's schema and analysis, recorded in every generation."""
    return f"{SCHEMA_VERSION}-{analysis_fingerprint()}"


class SearchIndex:
    """The release index under one base directory: searchers for reading, and locked writes."""

    def __init__(
        self, base_dir: str | Path, lock_timeout: float = 10.0, build_processes: int | None = None
    ) -> None:
        self.base_dir = Path(base_dir)
        self.lock_timeout = lock_timeout
        # Processes a rebuild of many documents writes with (index.build); None: the default.
        self.build_processes = build_processes or build.default_processes()
        # This thread's reader and what it was opened on: Whoosh readers are not shared between
        # threads (a segment is read through one file object, by seek and read).
        self._held = threading.local()
        ensure_checked()  # once per process: which Whoosh readings searches may use

    # Reading ---------------------------------------------------------------------------------

    def exists(self) -> bool:
        """Say whether a usable index is in place."""
        path = self._current_path()
        return path is not None and path.is_dir() and whoosh_index.exists_in(str(path))

    def doc_count(self) -> int:
        """Return the number of documents, 0 when there is no index."""
        try:
            return self._read(lambda ix, _path: ix.doc_count())
        except IndexMissing:
            return 0

    @contextmanager
    def searcher(self) -> Iterator[Searcher]:
        """Yield a Whoosh searcher on the current generation (for index/ modules only).

        The reader is this thread's, kept from its last search while no commit or rebuild has
        happened since. A searcher opened inside another one (in the same thread) shares the
        outer one's reader, so one request sees one generation throughout.
        """
        held = self._held
        if not getattr(held, "depth", 0):
            self._refresh_held()
        held.depth = getattr(held, "depth", 0) + 1
        try:
            yield Searcher(held.reader, closereader=False)
        finally:
            held.depth -= 1

    def status(self) -> dict[str, Any]:
        """Return a plain summary: exists, documents, generation, last_modified, needs_rebuild."""

        def summary(ix: whoosh_index.Index, generation: Path) -> dict[str, Any]:
            modified = ix.last_modified()
            return {
                "exists": True,
                "documents": ix.doc_count(),
                "generation": generation.name,
                "last_modified": (
                    datetime.fromtimestamp(modified, UTC).isoformat() if modified > 0 else None
                ),
                "needs_rebuild": _read_meta(generation).get("fingerprint") != index_fingerprint(),
            }

        try:
            return self._read(summary)
        except IndexMissing:
            return {
                "exists": False,
                "documents": 0,
                "generation": "",
                "last_modified": None,
                "needs_rebuild": False,
            }

    # Writing ---------------------------------------------------------------------------------

    def upsert(self, docs: Iterable[IndexDoc]) -> int:
        """Add or replace documents by id in one commit, creating the index if needed; count."""
        batch: dict[str, dict[str, Any]] = {}
        for doc in docs:  # the last version of an id wins
            fields = _document_fields(doc)
            batch[fields["id"]] = fields
        if not batch:
            return 0
        with self._write_lock():
            if not self.exists():
                return self._build_and_switch(batch.values())

            def apply(writer: SegmentWriter) -> int:
                for fields in batch.values():
                    writer.update_document(**fields)
                return len(batch)

            return self._write(*self._open(), apply)

    def delete(self, ids: Iterable[str]) -> int:
        """Delete documents by id in one commit; return how many were in the index."""
        wanted = list(dict.fromkeys(str(doc_id) for doc_id in ids))
        if not wanted:
            return 0
        with self._write_lock():
            if not self.exists():
                return 0

            def apply(writer: SegmentWriter) -> int:
                with writer.searcher() as searcher:
                    return sum(writer.delete_by_term("id", i, searcher=searcher) for i in wanted)

            return self._write(*self._open(), apply)

    def rebuild(self, docs: Iterable[IndexDoc]) -> int:
        """Build a new generation from `docs`, switch to it, drop older ones; return the count.

        If anything fails (including the `docs` iterator), the new generation is deleted and the
        previous index keeps serving. Ids must be unique: a repeated id raises ValueError; a
        document that cannot be indexed raises IndexBuildFailed naming it. Many documents are
        written by `build_processes` processes at once (index.build), with the same result.
        """
        with self._write_lock():
            return self._build_and_switch(_unique_fields(docs))

    # Internals -------------------------------------------------------------------------------

    def _current_path(self) -> Path | None:
        try:
            target = os.readlink(self.base_dir / CURRENT_LINK)
        except OSError:
            return None
        return self.base_dir / target

    def _read(self, use: Callable[[whoosh_index.Index, Path], _T]) -> _T:
        """Call `use` on the current generation (the index and its folder), retrying if a
        concurrent write removed files.

        A rebuild can delete the generation a reader has just resolved, and a commit can remove
        segment files between reading the table of contents and opening them.
        """
        error: Exception | None = None
        for _ in range(_READ_ATTEMPTS):
            path = self._current_path()
            if path is None:
                raise IndexMissing(f"no search index in {self.base_dir}; run a rebuild")
            try:
                return use(_open_index(path), path)
            except (FileNotFoundError, whoosh_index.EmptyIndexError) as exc:
                error = exc
        raise IndexMissing(f"the search index in {self.base_dir} is unreadable: {error}") from error

    def _open(self) -> tuple[whoosh_index.Index, Path]:
        return self._read(lambda ix, path: (ix, path))

    def _refresh_held(self) -> None:
        """Reopen this thread's reader if the current generation or its last commit changed.

        Checking costs a readlink and a directory listing; opening reads the table of contents
        and every segment's directory. The process id is part of the check, so a worker forked
        from a process that had searched opens its own files. No searcher of this thread uses
        the replaced reader and no other thread ever does, so it is closed at once.
        """
        held = self._held
        path = self._current_path()
        if path is not None and getattr(held, "key", None) == (
            os.getpid(),
            path,
            latest_commit(path),
        ):
            return
        path, reader = self._read(lambda ix, path: (path, ix.reader()))
        previous = getattr(held, "reader", None)
        held.reader, held.key = reader, (os.getpid(), path, reader.generation())
        if previous is not None:
            previous.close()

    @contextmanager
    def _write_lock(self) -> Iterator[None]:
        """Hold the exclusive flock on base_dir/write.lock, waiting up to lock_timeout seconds."""
        self.base_dir.mkdir(parents=True, exist_ok=True)
        path = self.base_dir / LOCK_FILE
        deadline = time.monotonic() + self.lock_timeout
        with open(path, "a") as handle:
            while True:
                try:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise _busy(path) from None
                    time.sleep(_LOCK_POLL_SECONDS)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def _write(
        self, ix: whoosh_index.Index, folder: Path, apply: Callable[[SegmentWriter], int]
    ) -> int:
        """Run `apply` in one Whoosh writer on the index in `folder` and commit; cancel
        everything if it raises."""
        try:
            writer = ix.writer(timeout=self.lock_timeout)
        except whoosh_index.LockError as exc:
            raise _busy(folder / writer_lock_name(ix)) from exc
        try:
            count = apply(writer)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        return count

    def _build_and_switch(self, documents: Iterable[dict[str, Any]]) -> int:
        """Write `documents` into a fresh generation and make it current; on failure delete it."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        generation = self.base_dir / f"{GENERATION_PREFIX}{stamp}-{os.getpid()}"
        generation.mkdir()
        try:
            ix = whoosh_index.create_in(str(generation), build_schema())
            meta = {"fingerprint": index_fingerprint(), "created": datetime.now(UTC).isoformat()}
            (generation / META_FILE).write_text(json.dumps(meta), encoding="utf-8")

            try:
                count = build.write_generation(ix, generation, documents, self.build_processes)
            except build.BuildFailed as exc:
                raise IndexBuildFailed(f"the index rebuild stopped: {exc}") from exc
            _fsync_tree(generation)
            self._switch_current(generation)
        except BaseException:
            shutil.rmtree(generation, ignore_errors=True)
            raise
        self._remove_other_generations(keep=generation)
        return count

    def _switch_current(self, generation: Path) -> None:
        """Point `current` at `generation` atomically (new symlink, then rename over the old)."""
        link = self.base_dir / CURRENT_LINK
        temporary = self.base_dir / f".{CURRENT_LINK}-{os.getpid()}-{time.monotonic_ns()}"
        os.symlink(generation.name, temporary)
        try:
            os.replace(temporary, link)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        _fsync_dir(self.base_dir)

    def _remove_other_generations(self, keep: Path) -> None:
        for entry in self.base_dir.iterdir():
            if entry.name.startswith(GENERATION_PREFIX) and entry.name != keep.name:
                shutil.rmtree(entry, ignore_errors=True)
            elif entry.name.startswith(f".{CURRENT_LINK}-") and entry.is_symlink():
                entry.unlink(missing_ok=True)  # left by a crash between symlink and rename


def _open_index(path: Path) -> whoosh_index.Index:
    """Open a generation for reading, without memory-mapping its segment files.

    Whoosh reads a memory-mapped compound segment through BytesIO, which copies each part of the
    file into memory on every open: about 0.4 s per search on a 100,000-release index. Plain
    file reads (served from the page cache) cost nothing to open.
    """
    return FileStorage(str(path), supports_mmap=False).open_index()


def _busy(lock_path: Path) -> IndexBusy:
    return IndexBusy(
        f"another process is writing the search index (lock held: {lock_path}); "
        "try again when it finishes"
    )


def _unique_fields(docs: Iterable[IndexDoc]) -> Iterator[dict[str, Any]]:
    """Yield field values for each document, raising ValueError when an id comes twice."""
    seen: set[str] = set()
    for doc in docs:
        fields = _document_fields(doc)
        if fields["id"] in seen:
            raise ValueError(f"rebuild got release id {fields['id']!r} twice")
        seen.add(fields["id"])
        yield fields


def _document_fields(doc: IndexDoc) -> dict[str, Any]:
    """Turn an IndexDoc into Whoosh field values; empty optional values are left out."""
    if not doc.id:
        raise ValueError("an IndexDoc needs a non-empty id")
    fields: dict[str, Any] = {
        "id": str(doc.id),
        "url": doc.url,
        "title": doc.title,
        "body": doc.body,
        "opd": doc.opd,
        "opd_text": " ".join([doc.opd, *_ABBREVIATIONS.get(doc.opd.casefold(), [])]).strip(),
        "categories": _keywords(doc.categories),
        "tags": _keywords(doc.tags),
        "source": doc.source,
        "status": doc.status,
        "kind": doc.kind,
        "author": doc.author,
    }
    fields = {name: value for name, value in fields.items() if value}
    if doc.published is not None:
        fields["published"] = _naive_utc(doc.published, "published")
        local = doc.published.astimezone(WIB)
        fields["year"] = local.year
        fields["month"] = f"{local:%Y-%m}"
    if doc.modified is not None:
        fields["modified"] = _naive_utc(doc.modified, "modified")
    return fields


def _keywords(values: Iterable[str]) -> str:
    """Join labels for a comma-separated KEYWORD field (commas inside a label become spaces)."""
    cleaned = (" ".join(value.replace(",", " ").split()) for value in values)
    return ",".join(value for value in cleaned if value)


def _naive_utc(moment: datetime, name: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"IndexDoc.{name} must be timezone-aware, got {moment.isoformat()}")
    return moment.astimezone(UTC).replace(tzinfo=None)


def _read_meta(generation: Path) -> dict[str, Any]:
    try:
        return json.loads((generation / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _fsync_tree(path: Path) -> None:
    """Flush every file of a finished generation to disk before it becomes current."""
    for entry in path.iterdir():
        if entry.is_file():
            descriptor = os.open(entry, os.O_RDONLY)
            try:
                os.fsync(descriptor)
            finally:
                os.close(descriptor)
    _fsync_dir(path)


def _fsync_dir(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
