"""An unchanged re-ingest costs one conditional request per source and writes nothing.

Each run is a new app on the same data directory (its own archive, index and fetcher), as cron
starts `flask --app app ingest` as a new process; the sites are real HTTP servers on 127.0.0.1
and the archive is a real SQLite file. Times are moved back in the database, never slept for.
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from app import create_app
from archive import Archive
from archive.store import STATUS_HEARTBEAT
from archive.tables import http_validators, robots_files, source_status
from bench.reingest import rows_written, table_rows
from ingest.cli import build_ingester
from ingest.fetch import ROBOTS_MAX_AGE, ROBOTS_RETRY_AFTER, Fetcher, RobotsDisallowed
from ingest.pipeline import SourceReport
from ingest.sources import load_sources
from tests.localserver import LocalServer
from tests.wpsite import WordPressSite, demo_posts

ROBOTS = "User-agent: SaringBot\nDisallow: /internal/\n"


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("SARING_ALLOW_PRIVATE_HOSTS", "1")
    return tmp_path / "data"


@pytest.fixture
def server():
    with LocalServer() as running:
        yield running


def ingest_as_a_new_process(data_dir: Path, sources_file: Path) -> SourceReport:
    """One `flask ingest` run: a new app, archive, index and fetcher on the data directory."""
    application = create_app(
        {"TESTING": True, "DATA_DIR": str(data_dir), "DATABASE_URL": "", "FETCH_DELAY": 0.0,
         "FETCH_TIMEOUT": 5.0}
    )  # fmt: skip
    try:
        sources = load_sources(sources_file)
        with application.app_context():
            return build_ingester(application, sources).run(sources)[0]
    finally:
        application.extensions["saring"].archive.dispose()


def write_sources(path: Path, site: WordPressSite) -> Path:
    path.write_text(
        f'[[source]]\nid = "dinkes"\nkind = "wordpress"\nurl = "{site.base_url}/"\n'
        'opd = "Dinas Kesehatan"\ncategory = ["Berita"]\n',
        encoding="utf-8",
    )
    return path


def database(data_dir: Path) -> Path:
    return data_dir / "saring.sqlite3"


def move_back(db: Path, column, seconds: float, *more) -> None:
    """Set the stored times in `column` (and `more` columns of its table) `seconds` earlier."""
    archive = Archive(f"sqlite:///{db}")
    try:
        with archive.engine.begin() as conn:
            table = column.table
            for row in conn.execute(select(table)).all():
                key = table.primary_key.columns.values()[0]
                values = {
                    c.name: getattr(row, c.name) - timedelta(seconds=seconds)
                    for c in (column, *more)
                    if getattr(row, c.name) is not None
                }
                conn.execute(update(table).where(key == getattr(row, key.name)).values(**values))
    finally:
        archive.dispose()


def status_row(db: Path):
    archive = Archive(f"sqlite:///{db}")
    try:
        with archive.engine.connect() as conn:
            return conn.execute(select(source_status)).one()
    finally:
        archive.dispose()


class Writes:
    """Watches a SQLite file: `data_version` moves when any other connection commits a write,
    and every table's rows are compared before and after (to say what was written)."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.watcher = sqlite3.connect(db)
        self.version = self._version()
        self.rows = table_rows(db)

    def _version(self) -> int:
        return self.watcher.execute("PRAGMA data_version").fetchone()[0]

    def since(self) -> tuple[bool, dict[str, int]]:
        """(whether anything was committed, rows written per table) since the watch began."""
        try:
            return self._version() != self.version, rows_written(self.rows, table_rows(self.db))
        finally:
            self.watcher.close()


# -- robots.txt kept in the archive, at the fetcher -------------------------------------------


def archive_fetcher(server: LocalServer, db: Path) -> tuple[Fetcher, Archive]:
    """A fetcher as `flask ingest` builds it: robots.txt and validators kept in the archive."""
    archive = Archive(f"sqlite:///{db}")
    fetcher = Fetcher(
        [server.netloc], allow_private=True, delay=0, timeout=2.0, validators=archive,
        robots_store=archive,
    )  # fmt: skip
    return fetcher, archive


def test_separate_fetchers_share_one_robots_txt_fetch_and_still_obey_it(server, tmp_path):
    server.static("/robots.txt", ROBOTS, content_type="text/plain")
    server.static("/berita/", "berita")
    server.static("/internal/draft", "draf")
    db = tmp_path / "saring.sqlite3"
    first, archive = archive_fetcher(server, db)
    assert first.get(server.url("/berita/")).status == 200
    archive.dispose()
    second, archive = archive_fetcher(server, db)
    assert second.get(server.url("/berita/")).status == 200
    with pytest.raises(RobotsDisallowed):
        second.get(server.url("/internal/draft"))
    archive.dispose()
    assert len(server.requests_for("/robots.txt")) == 1
    assert server.requests_for("/internal/draft") == []


def fetch_in_a_new_fetcher(server: LocalServer, db: Path, path: str = "/berita/") -> bytes:
    fetcher, archive = archive_fetcher(server, db)
    try:
        return fetcher.get(server.url(path)).body
    finally:
        archive.dispose()


def test_a_kept_robots_txt_is_fetched_again_once_a_day_old(server, tmp_path):
    server.static("/robots.txt", ROBOTS, content_type="text/plain")
    server.static("/berita/", "berita")
    db = tmp_path / "saring.sqlite3"
    fetch_in_a_new_fetcher(server, db)
    for move, robots_fetches in ((ROBOTS_MAX_AGE - 120, 1), (120, 2), (0, 2)):
        move_back(db, robots_files.c.fetched_at, move)
        fetch_in_a_new_fetcher(server, db)
        assert len(server.requests_for("/robots.txt")) == robots_fetches, move


def test_a_failed_robots_txt_is_tried_again_after_the_retry_time_not_a_day(server, tmp_path):
    server.static("/robots.txt", "Disallow: /", status=503, content_type="text/plain")
    server.static("/berita/", "berita")
    db = tmp_path / "saring.sqlite3"
    assert fetch_in_a_new_fetcher(server, db) == b"berita"
    for move, robots_fetches in ((ROBOTS_RETRY_AFTER - 60, 1), (120, 2)):
        move_back(db, robots_files.c.fetched_at, move)
        assert fetch_in_a_new_fetcher(server, db) == b"berita"
        assert len(server.requests_for("/robots.txt")) == robots_fetches, move


def test_the_same_validators_are_not_written_again(server, tmp_path):
    # a server that ignores If-None-Match and answers 200 with the ETag it sent before
    server.static("/feed/", "<rss/>", headers={"ETag": '"v1"'})
    db = tmp_path / "saring.sqlite3"
    fetcher, archive = archive_fetcher(server, db)
    fetcher.get(server.url("/feed/"))
    with archive.engine.connect() as conn:
        kept = conn.execute(select(http_validators)).one()
    assert kept.etag == '"v1"'
    writes = Writes(db)
    assert fetcher.get(server.url("/feed/")).status == 200
    assert server.requests_for("/feed/")[-1].headers["if-none-match"] == '"v1"'
    assert writes.since() == (False, {})
    server.static("/feed/", "<rss>2</rss>", headers={"ETag": '"v2"'})
    fetcher.get(server.url("/feed/"))
    assert archive.lookup(server.url("/feed/")) == ('"v2"', None)
    archive.dispose()


# -- whole runs ---------------------------------------------------------------------------------


def test_an_unchanged_second_run_fetches_no_robots_txt_and_writes_nothing(data_dir, tmp_path):
    with WordPressSite(demo_posts(limit=4)) as site:
        sources = write_sources(tmp_path / "sources.toml", site)
        first = ingest_as_a_new_process(data_dir, sources)
        assert (first.error, first.new) == (None, 4)
        assert len(site.requests_to("/robots.txt")) == 1
        site.server.requests.clear()
        writes = Writes(database(data_dir))
        second = ingest_as_a_new_process(data_dir, sources)
        assert second.error is None and second.not_modified == 1
        assert writes.since() == (False, {})
        asked = list(site.server.requests)
        assert [r.path for r in asked] == ["/feed/"]
        assert asked[0].headers.get("if-none-match")
        # a day later robots.txt is read again, and kept: the only row that run writes
        move_back(database(data_dir), robots_files.c.fetched_at, ROBOTS_MAX_AGE)
        site.server.requests.clear()
        writes = Writes(database(data_dir))
        ingest_as_a_new_process(data_dir, sources)
        assert [r.path for r in site.server.requests] == ["/robots.txt", "/feed/"]
        assert writes.since() == (True, {"robots_files": 1})


def test_an_unchanged_run_is_recorded_once_the_status_is_an_hour_old(data_dir, tmp_path):
    with WordPressSite(demo_posts(limit=3)) as site:
        sources = write_sources(tmp_path / "sources.toml", site)
        ingest_as_a_new_process(data_dir, sources)
        ingest_as_a_new_process(data_dir, sources)  # quiet, not written
        seconds = STATUS_HEARTBEAT.total_seconds()
        db = database(data_dir)
        move_back(db, source_status.c.last_run, seconds - 120, source_status.c.last_success)
        writes = Writes(db)
        ingest_as_a_new_process(data_dir, sources)
        assert writes.since() == (False, {})
        before = status_row(db)
        move_back(db, source_status.c.last_run, 120, source_status.c.last_success)
        writes = Writes(db)
        report = ingest_as_a_new_process(data_dir, sources)
        assert writes.since() == (True, {"source_status": 1})
        after = status_row(db)
        assert after.runs == before.runs + 1
        assert after.last_success == after.last_run > before.last_run
        assert '"not_modified": 1' in after.last_counts and report.not_modified == 1


def test_a_changed_feed_writes_the_new_release_and_the_status_at_once(data_dir, tmp_path):
    posts = demo_posts(limit=4)
    with WordPressSite(posts[1:]) as site:
        sources = write_sources(tmp_path / "sources.toml", site)
        ingest_as_a_new_process(data_dir, sources)
        ingest_as_a_new_process(data_dir, sources)
        db = database(data_dir)
        before = status_row(db)
        site.add(posts[0])
        writes = Writes(db)
        report = ingest_as_a_new_process(data_dir, sources)
        assert report.new == 1
        committed, written = writes.since()
        assert committed and written["releases"] >= 1 and written["versions"] == 1
        assert written["source_status"] == 1
        after = status_row(db)
        assert after.runs == before.runs + 1 and after.last_run > before.last_run
        assert '"new": 1' in after.last_counts


def test_a_failing_source_records_its_failure_on_that_very_run(data_dir, tmp_path):
    with WordPressSite(demo_posts(limit=3)) as site:
        sources = write_sources(tmp_path / "sources.toml", site)
        ingest_as_a_new_process(data_dir, sources)
        ingest_as_a_new_process(data_dir, sources)
        db = database(data_dir)
        site.feed_status = 500
        report = ingest_as_a_new_process(data_dir, sources)
        assert report.error and "500" in report.error
        failed = status_row(db)
        assert failed.failures == 1 and "500" in failed.last_error
        assert failed.last_error_at == failed.last_run > failed.last_success
        site.feed_status = None  # back, unchanged: a quiet run, but after a failure
        report = ingest_as_a_new_process(data_dir, sources)
        assert report.error is None and report.not_modified == 1
        recovered = status_row(db)
        assert recovered.last_success == recovered.last_run > failed.last_error_at
        assert recovered.runs == failed.runs + 1


def test_a_failure_is_recorded_even_when_the_caller_calls_the_run_quiet(tmp_path):
    archive = Archive(f"sqlite:///{tmp_path / 'saring.sqlite3'}")
    try:
        assert archive.record_run("dinkes", {}, None, quiet=True)  # no row yet: written
        assert not archive.record_run("dinkes", {}, None, quiet=True)
        assert archive.record_run("dinkes", {}, "feed answered HTTP 503", quiet=True)
        health = archive.source_health()["dinkes"]
        assert (health["runs"], health["failures"]) == (2, 1)
        assert health["last_error"] == "feed answered HTTP 503"
    finally:
        archive.dispose()
