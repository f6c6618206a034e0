"""The one place that reads Whoosh's internals, checked against its public API at start-up.

Searching a large archive fast means reading a few things Whoosh does not offer publicly: the
decoded blocks of a posting list (ids, weights and pickled positions, one block at a time
instead of one Python call per posting), the byte-coded field lengths straight from a segment's
length column, segment ids (what a segment holds never changes, so it is cached by id) and the
file names of the table of contents (a cheap "has anything been committed?"). Every such read
is a small function here; the rest of index/ calls these functions and nothing else of that kind.

Once per process, before the first of them is used (`ensure_checked`: creating a `SearchIndex`
asks for it, so the app factory runs it at start-up), a self-check builds a tiny index in memory,
with two segments and a deletion, and compares what each fast path reads with what Whoosh's
public API says (matchers stepped one posting at a time, with and without the deletion filter,
`doc_field_length`, `latest_generation`); it takes about 15 ms. If anything differs or raises (a
Whoosh upgrade renamed an attribute, say), every function here switches to its public-API path
for the life of the process, one WARNING is logged and `status()` reports "fallback: <reason>"
(shown by /healthz). The public paths give the same answers, more slowly. Setting
SARING_WHOOSH_INTERNALS=public forces them without a check.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
import weakref
from array import array
from collections.abc import Iterable, Iterator
from itertools import accumulate, count, repeat
from operator import getitem
from pathlib import Path
from pickle import loads

from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.matching import Matcher
from whoosh.reading import IndexReader
from whoosh.writing import SegmentWriter

log = logging.getLogger(__name__)

FORCE_PUBLIC_ENV = "SARING_WHOOSH_INTERNALS"  # "public": skip the fast paths and the check
STATUS_OK = "ok"

_TOC_NAME = re.compile(r"^_MAIN_([0-9]+)\.toc$")  # Whoosh's table of contents, one per commit


class _State:
    """Whether the fast paths are in use, and why not when they are not."""

    def __init__(self) -> None:
        self.checked = False
        self.fast = False
        self.status = "unchecked"


_state = _State()
_check_lock = threading.Lock()


def ensure_checked() -> str:
    """Run the self-check unless this process already has; return `status()`."""
    if not _state.checked:
        with _check_lock:
            if not _state.checked:
                run_check()
    return _state.status


def status() -> str:
    """ "ok" when the fast paths are in use, else "fallback: <reason>" (checks first if needed)."""
    return ensure_checked()


def run_check(reader: IndexReader | None = None) -> str:
    """Compare the fast paths with Whoosh's public API on `reader` (by default a tiny index
    built in memory) and use them only if they agree; return the resulting status."""
    reason = ""
    if os.environ.get(FORCE_PUBLIC_ENV, "").strip().lower() == "public":
        reason = f"{FORCE_PUBLIC_ENV}=public"
    else:
        started = time.perf_counter()
        try:
            storage, sample = _sample_index()
            reason = _toc_disagreement(storage) or _disagreement(
                sample if reader is None else reader
            )
        except Exception as exc:  # anything renamed or reshaped inside Whoosh
            reason = f"{type(exc).__name__}: {exc}"
        log.debug(
            "Whoosh internals self-check took %.1f ms", 1000 * (time.perf_counter() - started)
        )
    _state.fast = not reason
    _state.status = STATUS_OK if not reason else f"fallback: {reason}"
    _state.checked = True
    if reason:
        log.warning("Whoosh internals not used, searching through the public API: %s", reason)
    return _state.status


def _fast() -> bool:
    if not _state.checked:
        ensure_checked()
    return _state.fast


# Segments and generations ---------------------------------------------------------------------

# Readers seen by `generation_key` on the public path: each gets a number of its own.
_reader_numbers: weakref.WeakKeyDictionary[IndexReader, int] = weakref.WeakKeyDictionary()
_next_number = count(1)
_numbers_lock = threading.Lock()


def segment_id(leaf: IndexReader) -> str | None:
    """The id of a leaf reader's segment, for caching what it holds; None when it has none
    (an empty index) or on the public path (nothing is then cached by segment)."""
    if not _fast():
        return None
    segment = leaf.segment()
    return None if segment is None else segment.segment_id()


def generation_key(reader: IndexReader) -> tuple:
    """Identify what a reader sees: its segments and how many deletions each has.

    On the public path every reader is its own generation (a reader's view never changes), so
    tables are shared by the searches of one reader only.
    """
    if not _fast():
        with _numbers_lock:
            number = _reader_numbers.get(reader)
            if number is None:
                number = _reader_numbers[reader] = next(_next_number)
        return (("reader", number),)
    key = []
    for leaf, _offset in reader.leaf_readers():
        segment = leaf.segment()
        if segment is None:  # an empty index has a reader without segments
            key.append(("empty", id(leaf)))
        else:
            key.append((segment.segment_id(), segment.deleted_count()))
    return tuple(key)


# Posting lists --------------------------------------------------------------------------------


def _unfiltered(matcher: Matcher) -> Matcher:
    """The matcher under a segment's deletion filter (deletions are masked by callers), from
    its first posting: the filter has already stepped it past any deleted documents at the
    start, which would then be missing from the list (and from its length, Whoosh's document
    frequency) only while they are deleted."""
    children = matcher.children()
    if len(children) != 1:
        return matcher
    children[0].reset()
    return children[0]


def segment_postings(
    leaf: IndexReader, name: str, term: str | bytes, with_frequencies: bool = True
) -> tuple[array, array]:
    """(document numbers, term frequencies) of a term in one segment, by the segment's own
    numbers, deleted documents included; frequencies are 1.0 without `with_frequencies`."""
    ids = array("i")
    tfs = array("f")
    if (name, term) not in leaf:
        return ids, tfs
    matcher = _unfiltered(leaf.postings(name, term))
    if _fast() and type(matcher).__name__ == "W3LeafMatcher":
        _read_blocks(matcher, ids, tfs, with_frequencies)
        return ids, tfs
    while matcher.is_active():
        ids.append(matcher.id())
        tfs.append(matcher.weight() if with_frequencies else 1.0)
        matcher.next()
    return ids, tfs


def _read_blocks(matcher, ids: array, tfs: array, with_frequencies: bool) -> None:
    """Take a standard-format matcher's blocks whole (several times faster than stepping)."""
    while matcher.is_active():
        # A block's data tuple is (delta-coded ids, weights, values); decode the ids with
        # accumulate (C) instead of Whoosh's generator, and skip the values.
        if matcher._data is None:
            matcher._read_data()
        raw_ids, weights = matcher._data[0], matcher._data[1]
        block = list(raw_ids) if matcher._byteids else list(accumulate(raw_ids))
        start = matcher._i
        if start:
            block = block[start:]
        ids.extend(block)
        if with_frequencies:
            if weights is None or isinstance(weights, float):
                tfs.extend([weights or 1.0] * len(block))
            else:
                tfs.extend(weights[start:] if start else weights)
        matcher._next_block()


def segment_positions(
    leaf: IndexReader, name: str, term: str
) -> Iterator[tuple[list[int], list[list[int]]]]:
    """A term's postings in one segment as (document numbers, each one's position deltas),
    a block at a time, deleted documents included; nothing when the term is absent."""
    if (name, term) not in leaf:
        return
    matcher = _unfiltered(leaf.postings(name, term))
    if (
        _fast()
        and type(matcher).__name__ == "W3LeafMatcher"
        and type(matcher.format).__name__ == "Positions"
    ):
        yield from _position_blocks(matcher)
        return
    while matcher.is_active():
        yield [matcher.id()], [_deltas(matcher.value_as("positions"))]
        matcher.next()


# Whoosh's Positions format stores a posting's positions as a 4-byte count and then the
# pickled (protocol 2) list of their deltas. Each such pickle minus its protocol header and
# STOP pushes one list, so many of them between MARK and LIST unpickle as a list of lists.
# Endless arguments for map(): the protocol header after the count, STOP, the pickle's body.
_PROTOCOL_2, _AT_4 = repeat(b"\x80\x02"), repeat(4)
_STOP = repeat(b".")
_PICKLE_BODY = repeat(slice(6, -1))


def _position_blocks(matcher) -> Iterator[tuple[list[int], list[list[int]]]]:
    """A standard-format matcher's blocks: ids by accumulate (C), and the block's pickled
    delta lists joined into one pickle, so a single `loads` decodes them all."""
    while matcher.is_active():
        if matcher._data is None:
            matcher._read_data()
        raw_ids, _weights, values = matcher._data[:3]
        block = list(raw_ids) if matcher._byteids else list(accumulate(raw_ids))
        start = matcher._i
        if start:
            block, values = block[start:], values[start:]
        if all(map(bytes.startswith, values, _PROTOCOL_2, _AT_4)) and all(
            map(bytes.endswith, values, _STOP)
        ):
            yield block, loads(_joined_lists(values))
        else:
            yield block, [_pickled_list(value) for value in values]
        matcher._next_block()


def _joined_lists(values: list[bytes]) -> bytes:
    """One pickle of the list of the delta lists in `values` (each as Whoosh stores it)."""
    return b"\x80\x02(" + b"".join(map(getitem, values, _PICKLE_BODY)) + b"l."


def _pickled_list(value: bytes) -> list[int]:
    """The delta list of one Positions value (Whoosh's decoding, without summing)."""
    return loads(value[4:] if value.endswith(b".") else value[4:] + b".")


def _deltas(positions: Iterable[int]) -> list[int]:
    """Absolute positions (ascending) as deltas."""
    previous, deltas = 0, []
    for position in positions:
        deltas.append(position - previous)
        previous = position
    return deltas


# Field lengths --------------------------------------------------------------------------------


def field_lengths(reader: IndexReader, name: str, size: int) -> list[int]:
    """Every document's length of field `name` as BM25F sees it (Whoosh's byte-coded length)."""
    if name not in reader.schema:
        return [0] * size
    if _fast():
        lengths = _column_lengths(reader, name)
        if lengths is not None and len(lengths) == size:
            return lengths
    return [reader.doc_field_length(doc, name, 0) for doc in range(size)]


def _column_lengths(reader: IndexReader, name: str) -> list[int] | None:
    """The lengths read straight from each segment's length column; None for another codec."""
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
    from whoosh.util.numeric import byte_to_length

    decoded = [byte_to_length(value) for value in range(256)]
    lengths: list[int] = []
    for leaf, _offset in reader.leaf_readers():
        perdoc = getattr(leaf, "_perdoc", None)
        if perdoc is None:
            return None
        column = perdoc._cached_reader(_lenfield(name), LENGTHS_COLUMN)
        if column is None:
            lengths.extend([0] * leaf.doc_count_all())
        else:
            lengths.extend(decoded[value] for value in column)
    return lengths


# Commits on disk ------------------------------------------------------------------------------


def latest_commit(folder: Path) -> int:
    """The generation of the newest commit in an index folder (-1 when there is none)."""
    if _fast():
        try:
            return _newest_toc(os.listdir(folder))
        except OSError:
            return -1
    try:
        return FileStorage(str(folder), supports_mmap=False).open_index().latest_generation()
    except Exception:  # a half-removed or vanished generation: as good as none
        return -1


def _newest_toc(names: Iterable[str]) -> int:
    return max((int(m.group(1)) for m in map(_TOC_NAME.match, names) if m), default=-1)


def writer_lock_name(ix) -> str:
    """The name of the file Whoosh locks while one of its writers is open (for messages)."""
    return f"{getattr(ix, 'indexname', 'MAIN')}_WRITELOCK"


# Writing segments in other processes ---------------------------------------------------------

# A bulk build writes its documents as several segments at once, one per process, and commits
# them together in one table of contents, as Whoosh's own multiprocessing writer does; these are
# the writer methods that writer uses. Without them a build writes one segment in one process.
_SEGMENT_METHODS = ("_finalize_segment", "_commit_toc", "_finish")


def segment_writing_supported() -> bool:
    """Whether this Whoosh lets a writer finish a segment without committing it."""
    return all(callable(getattr(SegmentWriter, name, None)) for name in _SEGMENT_METHODS)


def segment_writer(ix, limitmb: int) -> SegmentWriter:
    """A writer for one more segment of `ix`, without the index's write lock (the process
    that will commit it holds that)."""
    return SegmentWriter(ix, _lk=False, limitmb=limitmb)


def finish_segment(writer: SegmentWriter):
    """Write out the segment `writer` holds and return it, uncommitted.

    The writer's temporary folder is shared with the committing writer, which removes it.
    """
    return writer._finalize_segment()


def commit_segments(writer: SegmentWriter, segments: list) -> None:
    """Commit `segments` (in this order: the first holds the lowest document numbers) as the
    index's only ones, through the writer that holds the lock, and release it."""
    writer._commit_toc(segments)
    writer._finish()


# The self-check -------------------------------------------------------------------------------

_SAMPLE = [
    ("a", "banjir kedawung surut banjir lagi", "tarif angkot naik banjir"),
    ("b", "tarif angkot", "angkot tarif tidak naik"),
    ("c", "pasar besar", "pasar besar ditutup sementara karena banjir di jalan raya"),
]
_SAMPLE_LATER = [
    ("d", "jalan raya", "jalan raya banjir jalan raya banjir jalan"),
    ("b", "tarif angkot tetap", "kabar tarif angkot naik tidak benar"),  # replaces b
]


def sample_reader() -> IndexReader:
    """A reader of a tiny in-memory index: two segments, one deletion, positions and lengths."""
    return _sample_index()[1]


def _sample_index() -> tuple[RamStorage, IndexReader]:
    schema = Schema(id=ID(stored=True, unique=True), title=TEXT(stored=True), body=TEXT)
    storage = RamStorage()
    ix = storage.create_index(schema)
    for batch in (_SAMPLE, _SAMPLE_LATER):
        writer = ix.writer()
        for doc_id, title, body in batch:
            writer.update_document(id=doc_id, title=title, body=body)
        writer.commit(merge=False)
    return storage, ix.reader()


def _toc_disagreement(storage: RamStorage) -> str:
    """Whether the newest table of contents' file name gives the index's latest generation."""
    if _newest_toc(storage.list()) != storage.open_index().latest_generation():
        return "the table of contents' file names do not give the latest generation"
    return ""


def _disagreement(reader: IndexReader) -> str:
    """What a fast path reads differently from the public API on `reader`; "" when nothing."""
    deletions = 0
    for leaf, _offset in reader.leaf_readers():
        segment = leaf.segment()
        if segment is None or not segment.segment_id():
            return "a segment reader without a segment id"
        if segment.deleted_count() != leaf.doc_count_all() - leaf.doc_count():
            return "a segment's deletion count differs from its document counts"
        deletions += segment.deleted_count()
        for name in ("title", "body"):
            for raw in leaf.lexicon(name):
                term = raw.decode("utf-8")
                found = _disagreeing_term(leaf, name, term)
                if found:
                    return found
    if not deletions:
        return "the sample index has no deletion to check"
    size = reader.doc_count_all()
    for name in ("title", "body"):
        if _column_lengths(reader, name) != [
            reader.doc_field_length(doc, name, 0) for doc in range(size)
        ]:
            return f"field lengths of {name!r} differ from doc_field_length"
    return ""


def _disagreeing_term(leaf: IndexReader, name: str, term: str) -> str:
    """How one term's fast reading differs from stepping its public matcher; "" if it does not."""
    matcher = _unfiltered(leaf.postings(name, term))
    if type(matcher).__name__ != "W3LeafMatcher" or type(matcher.format).__name__ != "Positions":
        return f"the posting list of {name}:{term} is not in Whoosh's standard format"
    ids, tfs = array("i"), array("f")
    _read_blocks(matcher, ids, tfs, True)
    public_ids, public_tfs, public_positions = array("i"), array("f"), []
    stepped = _unfiltered(leaf.postings(name, term))
    while stepped.is_active():
        public_ids.append(stepped.id())
        public_tfs.append(stepped.weight())
        public_positions.append(_deltas(stepped.value_as("positions")))
        stepped.next()
    filtered_ids = array("i")
    live = array("i", (doc for doc in ids if not leaf.is_deleted(doc)))
    filtered = leaf.postings(name, term)  # deleted documents left out
    while filtered.is_active():
        filtered_ids.append(filtered.id())
        filtered.next()
    if (ids, tfs) != (public_ids, public_tfs) or live != filtered_ids:
        return f"the posting list of {name}:{term} differs from its public matcher"
    if len(ids) != leaf.doc_frequency(name, term):
        return f"the posting list of {name}:{term} leaves out deleted documents"
    positions = [
        deltas
        for _, lists in _position_blocks(_unfiltered(leaf.postings(name, term)))
        for deltas in lists
    ]
    if positions != public_positions:
        return f"the positions of {name}:{term} differ from its public matcher"
    return ""
