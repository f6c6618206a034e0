"""Opening the archive from several processes at once, as gunicorn's workers do on first start."""

from __future__ import annotations

import multiprocessing

from sqlalchemy import inspect

from archive import Archive

PROCESSES = 6
ROUNDS = 4


def _open(url: str, barrier, errors) -> None:
    barrier.wait()  # every process creates the schema at the same moment
    try:
        Archive(url).dispose()
    except Exception as exc:  # reported to the test, which names it
        errors.put(repr(exc)[:300])


def test_workers_starting_together_on_an_empty_data_dir_all_open_the_archive(tmp_path):
    # Each worker checks which tables are missing and creates them; before the fix a table
    # created by another worker in between made CREATE TABLE fail and the worker die.
    context = multiprocessing.get_context("spawn")
    failures = []
    for round_number in range(ROUNDS):
        url = f"sqlite:///{tmp_path / f'archive-{round_number}.sqlite'}"
        barrier, errors = context.Barrier(PROCESSES), context.Queue()
        workers = [
            context.Process(target=_open, args=(url, barrier, errors)) for _ in range(PROCESSES)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)
        assert all(worker.exitcode == 0 for worker in workers)
        while not errors.empty():
            failures.append(errors.get())
        archive = Archive(url)
        assert {"releases", "versions"} <= set(inspect(archive.engine).get_table_names())
        archive.dispose()
    assert failures == []
