"""Writing a whole generation of the index at once, on every core when there are many documents.

A full rebuild hands `write_generation` all its documents (Whoosh field values). Fewer than
`PARALLEL_FROM` are written as they always were: one writer, one segment, in this process.
More are first saved to temporary chunk files (pickled field values, in the new generation's
folder) and split into as many contiguous runs as there are processes. This process writes the
first run; a worker process writes each other run as a segment of its own; then this process
commits all the segments, in order, in one table of contents. Workers are forked when this
process runs no other thread (so no lock can be held mid-way; they start at once, with its
imports and stem cache), and started fresh ("spawn") otherwise, which needs the usual
`if __name__ == "__main__"` guard in a script that rebuilds.

Because the runs are contiguous and in order, every document gets the number a single-process
build gives it: terms, positions, lengths, stored fields and therefore every search result,
tie-break and facet count are the same.

Whoosh's own multiprocessing writer was not used: it deals batches to whichever process is free
(so document numbers, and the order of equally ranked results, change from build to build) and
it commits without the segment of a worker that failed.

A document that cannot be indexed, in any process, or a worker that dies, stops the build with
`BuildFailed` naming the document; the caller deletes the unfinished generation, so the
previous one keeps serving.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import tempfile
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.index import Index
from whoosh.writing import SegmentWriter

from index.whoosh_internals import (
    commit_segments,
    finish_segment,
    segment_writer,
    segment_writing_supported,
)

# Builds with fewer documents stay in one process: starting a worker costs about a second.
PARALLEL_FROM = 2_000
CHUNK_DOCUMENTS = 250  # documents per temporary chunk file; runs are split between chunks
# Memory (Whoosh's estimate) for a writer's postings before it sorts them into a temporary run
# on disk; every run is pickled, read back and merged when the segment is written, a quarter of
# a build at Whoosh's default of 128. At 512 a process writing 5,000 bench releases spills
# nothing and peaks at about 280 MB (220 MB at 128); at 100,000 releases it spills a few runs.
LIMIT_MB = 512
_JOIN_SECONDS = 10
_CAN_FORK = "fork" in multiprocessing.get_all_start_methods()


class BuildFailed(Exception):
    """A document could not be indexed, or a build worker died; nothing was committed."""


def default_processes() -> int:
    """The processes a full build uses: both cores of the site's machine, at most two."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(2, cores))


def write_generation(
    ix: Index, folder: Path, documents: Iterable[dict[str, Any]], processes: int
) -> int:
    """Write `documents` into the new, empty index `ix` (in `folder`) and commit; the count.

    The index's folder must belong to this build alone: its Whoosh lock is taken at once.
    """
    documents = iter(documents)
    head = list(islice(documents, PARALLEL_FROM))
    if processes < 2 or len(head) < PARALLEL_FROM or not segment_writing_supported():
        return _write_here(ix, chain(head, documents))
    with tempfile.TemporaryDirectory(prefix="chunks-", dir=folder) as spill:
        chunks = _save_chunks(chain(head, documents), Path(spill))
        runs = _contiguous_runs(chunks, processes)
        if len(runs) < 2:
            return _write_here(ix, _read_chunks(chunks))
        return _write_in_parallel(ix, folder, runs)


def _write_here(ix: Index, documents: Iterable[dict[str, Any]]) -> int:
    """One writer, one segment, in this process."""
    writer = ix.writer(limitmb=LIMIT_MB)
    try:
        count = _add(writer, documents)
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    return count


def _write_in_parallel(ix: Index, folder: Path, runs: list[list[Path]]) -> int:
    """Write the first run here and each other run in a worker; commit all segments in order."""
    workers: list[_Worker] = []
    writer = None
    try:
        workers = [_Worker.start(folder, run) for run in runs[1:]]
        writer = ix.writer(limitmb=LIMIT_MB)  # after forking: no open writer in the workers
        count = _add(writer, _read_chunks(runs[0], between=lambda: _check(workers)))
        segments = [finish_segment(writer)]
        for worker in workers:
            segment, written = worker.result()
            segments.append(segment)
            count += written
        commit_segments(writer, segments)
        return count
    except BaseException:
        for worker in workers:
            worker.stop()
        if writer is not None and not writer.is_closed:
            writer.cancel()
        raise
    finally:
        for worker in workers:
            worker.close()


def _check(workers: list[_Worker]) -> None:
    """Raise BuildFailed as soon as any worker has reported a failure."""
    for worker in workers:
        worker.poll()


def _add(writer: SegmentWriter, documents: Iterable[dict[str, Any]]) -> int:
    """Add each document to `writer`; a failing one raises BuildFailed with its id."""
    count = 0
    for fields in documents:
        try:
            writer.add_document(**fields)
        except Exception as exc:
            raise BuildFailed(
                f"document {fields.get('id')!r} could not be indexed: {type(exc).__name__}: {exc}"
            ) from exc
        count += 1
    return count


# Chunk files ----------------------------------------------------------------------------------


def _save_chunks(documents: Iterable[dict[str, Any]], folder: Path) -> list[Path]:
    """Pickle the documents, CHUNK_DOCUMENTS to a file, in order; the files' paths."""
    paths: list[Path] = []
    documents = iter(documents)
    while chunk := list(islice(documents, CHUNK_DOCUMENTS)):
        path = folder / f"{len(paths):06d}.pickle"
        with open(path, "wb") as handle:
            pickle.dump(chunk, handle, protocol=pickle.HIGHEST_PROTOCOL)
        paths.append(path)
    return paths


def _read_chunks(
    paths: Iterable[Path], between: Callable[[], None] | None = None
) -> Iterator[dict[str, Any]]:
    """The documents of the chunk files, in order; `between` is called before each file."""
    for path in paths:
        if between is not None:
            between()
        with open(path, "rb") as handle:
            yield from pickle.load(handle)


def _contiguous_runs(chunks: list[Path], processes: int) -> list[list[Path]]:
    """Split the chunk files, in order, into at most `processes` runs of about equal bytes."""
    sizes = [path.stat().st_size for path in chunks]
    share = sum(sizes) / processes
    runs: list[list[Path]] = [[]]
    written = 0
    for path, size in zip(chunks, sizes, strict=True):
        if runs[-1] and written + size / 2 > share * len(runs) and len(runs) < processes:
            runs.append([])
        runs[-1].append(path)
        written += size
    return runs


# Worker processes -----------------------------------------------------------------------------


class _Worker:
    """A process writing one run of chunk files as one segment, and the pipe it answers on."""

    def __init__(self, process: multiprocessing.process.BaseProcess, answers: Connection):
        self.process = process
        self.answers = answers
        self.answer: tuple | None = None

    @classmethod
    def start(cls, folder: Path, run: list[Path]) -> _Worker:
        context = multiprocessing.get_context(
            "fork" if threading.active_count() == 1 and _CAN_FORK else "spawn"
        )
        answers, reply = context.Pipe(duplex=False)
        process = context.Process(
            target=_write_run,
            args=(str(folder), [str(path) for path in run], LIMIT_MB, reply),
            name="saring-index-build",
            daemon=True,
        )
        process.start()
        reply.close()  # only the worker writes; its exit then ends the pipe
        return cls(process, answers)

    def poll(self) -> None:
        """Take the worker's answer if it has one; raise BuildFailed if it failed."""
        if self.answer is None and self.answers.poll():
            self._receive()
        self._raise_if_failed()

    def result(self) -> tuple[Any, int]:
        """Wait for the worker; its finished segment and how many documents it holds."""
        if self.answer is None:
            self._receive()
        self._raise_if_failed()
        self.process.join(_JOIN_SECONDS)
        _, segment, count = self.answer
        return segment, count

    def stop(self) -> None:
        """End the worker if it is still running."""
        if self.process.is_alive():
            self.process.terminate()
        self.process.join(_JOIN_SECONDS)

    def close(self) -> None:
        self.answers.close()

    def _receive(self) -> None:
        try:
            self.answer = self.answers.recv()
        except EOFError:
            self.process.join(_JOIN_SECONDS)
            self.answer = (
                "failed",
                f"an index build worker exited without answering (exit code "
                f"{self.process.exitcode})",
            )

    def _raise_if_failed(self) -> None:
        if self.answer is not None and self.answer[0] == "failed":
            raise BuildFailed(self.answer[1])


def _write_run(folder: str, run: list[str], limitmb: int, reply: Connection) -> None:
    """Worker process: write the documents of the chunk files `run` as one new segment of the
    index in `folder`, uncommitted, and send it back (or what failed)."""
    try:
        ix = FileStorage(folder, supports_mmap=False).open_index()
        writer = segment_writer(ix, limitmb)
        count = _add(writer, _read_chunks(Path(path) for path in run))
        answer: tuple = ("done", finish_segment(writer), count)
    except BuildFailed as exc:
        answer = ("failed", str(exc))
    except BaseException:
        answer = ("failed", "an index build worker failed:\n" + traceback.format_exc())
    try:
        reply.send(answer)
    finally:
        reply.close()
