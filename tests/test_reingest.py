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
from archive.tables import http_validators, robots_files, source_status
from bench.reingest import rows_written, table_rows
from ingest.cli import build_ingester
from ingest.fetch import ROBOTS_MAX_AGE, ROBOTS_RETRY_AFTER, Fetcher, RobotsDisallowed
from ingest.pipeline import SourceReport
from ingest.sources import load_sources
from tests.localserver import LocalServer
from tests.wpsite import WordPressSite

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
