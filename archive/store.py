"""Archive operations: record releases as versions, mark removals, report source health."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path

from sqlalchemy import create_engine, event, func, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from archive.release import Release
from archive.tables import (
    http_validators,
    metadata,
    next_number,
    releases,
    robots_files,
    source_status,
    versions,
)

log = logging.getLogger(__name__)

# A quiet run of a source (nothing new, changed or removed, no problem, no error: see
# SourceReport.quiet) is written to its status only when the stored last run is a success older
# than this, so an unchanged re-ingest writes nothing while the admin still sees each source
# checked recently. The sources pages and /transparansi say "tercatat paling tidak sekali
# sejam" (recorded at least once an hour) and `flask sources` says "at least hourly": change
# them with this value.
STATUS_HEARTBEAT = timedelta(hours=1)


# How a source's runs have gone: the one rule the `sources` command, the staff pages and the
# transparency dashboard share. A source is healthy when its last run succeeded: it has a last
# success and no error after it.
HEALTHY, FAILING, NEVER_RUN = "ok", "failing", "never"


def run_state(last_success: datetime | None, last_error_at: datetime | None) -> str:
    """HEALTHY (a last success, no error after it), FAILING (an error after the last success,
    or errors only) or NEVER_RUN (no run has succeeded or failed yet)."""
    if last_error_at is not None and (last_success is None or last_error_at > last_success):
        return FAILING
    return HEALTHY if last_success is not None else NEVER_RUN


class RecordOutcome(StrEnum):
    """What recording one release did to the archive."""

    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"  # same text already archived under another URL (a repost)


@dataclass
class StoredVersion:
    """One archived version of a release."""

    number: int
    hash: str
    fetched_at: datetime
    title: str
    paragraphs: list[str]
    html: str
    published: datetime | None
    modified: datetime | None
    categories: list[str]
    tags: list[str]
    author: str
    dateline: str


@dataclass
class StoredRelease:
    """A release as archived: identity, status and its latest version (plus history on demand)."""

    id: int
    url: str
    guid: str | None
    source_id: str
    opd: str
    status: str
    first_seen: datetime
    last_checked: datetime
    removed_at: datetime | None
    current: StoredVersion
    versions: list[StoredVersion] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.current.title

    @property
    def published(self) -> datetime | None:
        return self.current.published


def _now() -> datetime:
    return datetime.now(UTC)


def database_url_for(data_dir: str | Path) -> str:
    """The default SQLite URL inside the data directory."""
    return f"sqlite:///{Path(data_dir).resolve() / 'saring.sqlite3'}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # The wait first: switching a new file to WAL takes a lock that workers starting together
    # on an empty data directory contend for, and each must wait its turn, not fail.
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _create_schema(engine: Engine) -> None:
    """Create the missing tables, also when other processes do the same at the same moment.

    Several gunicorn workers starting on an empty data directory each check which tables are
    missing and create them; a table another worker created in between makes CREATE fail. The
    check then runs again and finds it (PostgreSQL may report the clash as a duplicate key in
    its catalogue rather than "already exists", so any database error gets the second look).
    Each clash means another process created a table, so one look per table always suffices.
    """
    attempts = len(metadata.tables) + 1
    for attempt in range(attempts):
        try:
            metadata.create_all(engine)
            return
        except DBAPIError as exc:
            if attempt == attempts - 1:
                raise
            log.info("tables created by another process meanwhile; checking again (%s)", exc.orig)


class Archive:
    """The store of releases. Every public method runs in its own transaction."""

    def __init__(self, url: str):
        self.url = url
        self.engine: Engine = create_engine(url, future=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        _create_schema(self.engine)

    def dispose(self) -> None:
        """Close pooled connections (tests and CLI exit)."""
        self.engine.dispose()

    # -- releases ---------------------------------------------------------------------------

    def record(self, release: Release, *, seen_at: datetime | None = None) -> RecordOutcome:
        """Store a release: new row, new version on a changed hash, or only a 'checked' stamp."""
        seen_at = seen_at or _now()
        digest = release.content_hash
        with self.engine.begin() as conn:
            row = self._find_row(conn, release.url, release.guid)
            if row is None:
                twin = conn.execute(
                    select(releases.c.id).where(
                        releases.c.current_hash == digest, releases.c.source_id != release.source_id
                    )
                ).first()
                if twin is not None:
                    return RecordOutcome.DUPLICATE
                release_id = conn.execute(
                    insert(releases).values(
                        url=release.url,
                        guid=release.guid or None,
                        source_id=release.source_id,
                        opd=release.opd,
                        status="active",
                        first_seen=seen_at,
                        last_checked=seen_at,
                        current_hash=digest,
                        needs_index=True,
                    )
                ).inserted_primary_key[0]
                self._add_version(conn, release_id, 1, release, digest, seen_at)
                return RecordOutcome.NEW

            changes: dict = {"last_checked": seen_at}
            if row.status != "active":  # it came back at the source
                changes.update(status="active", removed_at=None, needs_index=True)
            if row.opd != release.opd and release.opd:
                changes.update(opd=release.opd, needs_index=True)
            outcome = RecordOutcome.UNCHANGED
            if row.current_hash != digest:
                number = next_number(conn, versions.c.number, versions.c.release_id == row.id)
                self._add_version(conn, row.id, number, release, digest, seen_at)
                changes.update(current_hash=digest, needs_index=True)
                outcome = RecordOutcome.CHANGED
            conn.execute(update(releases).where(releases.c.id == row.id).values(**changes))
            return outcome

    @staticmethod
    def _find_row(conn: Connection, url: str, guid: str):
        row = conn.execute(select(releases).where(releases.c.url == url)).first()
        if row is None and guid:
            row = conn.execute(select(releases).where(releases.c.guid == guid)).first()
        return row

    @staticmethod
    def _add_version(
        conn: Connection, release_id: int, number: int, release: Release, digest: str, at: datetime
    ) -> None:
        version_id = conn.execute(
            insert(versions).values(
                release_id=release_id,
                number=number,
                hash=digest,
                fetched_at=at,
                title=release.title,
                paragraphs=json.dumps(release.paragraphs, ensure_ascii=False),
                html=release.html,
                published=release.published,
                modified=release.modified,
                categories=json.dumps(release.categories, ensure_ascii=False),
                tags=json.dumps(release.tags, ensure_ascii=False),
                author=release.author,
                dateline=release.dateline,
            )
        ).inserted_primary_key[0]
        conn.execute(
            update(releases).where(releases.c.id == release_id).values(current_version=version_id)
        )

    def find_release_id(self, url: str, guid: str = "") -> int | None:
        """The id of the release archived under this canonical URL (or guid), or None."""
        with self.engine.connect() as conn:
            row = self._find_row(conn, url, guid)
        return row.id if row is not None else None

    def mark_removed(self, url: str, *, at: datetime | None = None) -> bool:
        """Mark an active release as removed at its source; it stays archived. True if changed."""
        with self.engine.begin() as conn:
            result = conn.execute(
                update(releases)
                .where(releases.c.url == url, releases.c.status == "active")
                .values(status="removed", removed_at=at or _now(), needs_index=True)
            )
            return result.rowcount > 0

    def active_urls(self, source_id: str) -> set[str]:
        """Canonical URLs of the source's releases that are still live at the source."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(releases.c.url).where(
                    releases.c.source_id == source_id, releases.c.status == "active"
                )
            )
            return {r.url for r in rows}

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        """Which of these canonical URLs are archived already."""
        wanted = list(dict.fromkeys(urls))
        found: set[str] = set()
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                found.update(
                    r.url
                    for r in conn.execute(select(releases.c.url).where(releases.c.url.in_(chunk)))
                )
        return found

    def get_release(self, release_id: int, *, with_versions: bool = False) -> StoredRelease | None:
        """The release with that id (and all its versions when asked), or None."""
        with self.engine.connect() as conn:
            row = conn.execute(select(releases).where(releases.c.id == release_id)).first()
            if row is None:
                return None
            stored = self._load(conn, row)
            if with_versions:
                stored.versions = [
                    _version(v)
                    for v in conn.execute(
                        select(versions)
                        .where(versions.c.release_id == release_id)
                        .order_by(versions.c.number)
                    )
                ]
            return stored

    def get_version(self, release_id: int, number: int) -> StoredVersion | None:
        """Version `number` (1 = first archived) of a release, or None if there is no such one."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(versions).where(
                    versions.c.release_id == release_id, versions.c.number == number
                )
            ).first()
        return _version(row) if row is not None else None

    @staticmethod
    def _load(conn: Connection, row) -> StoredRelease:
        current = conn.execute(select(versions).where(versions.c.id == row.current_version)).first()
        return StoredRelease(
            id=row.id,
            url=row.url,
            guid=row.guid,
            source_id=row.source_id,
            opd=row.opd,
            status=row.status,
            first_seen=row.first_seen,
            last_checked=row.last_checked,
            removed_at=row.removed_at,
            current=_version(current),
        )

    def iter_releases(
        self, *, pending_only: bool = False, batch: int = 500
    ) -> Iterator[StoredRelease]:
        """Every archived release (or only those the index has not taken yet), by id."""
        last_id = 0
        while True:
            with self.engine.connect() as conn:
                query = select(releases).where(releases.c.id > last_id)
                if pending_only:
                    query = query.where(releases.c.needs_index.is_(True))
                rows = conn.execute(query.order_by(releases.c.id).limit(batch)).all()
                loaded = [self._load(conn, row) for row in rows]
            if not loaded:
                return
            yield from loaded
            last_id = loaded[-1].id

    def mark_indexed(self, ids: Iterable[int]) -> None:
        """Clear the needs-index flag after the index committed these releases."""
        ids = list(ids)
        with self.engine.begin() as conn:
            for start in range(0, len(ids), 500):
                conn.execute(
                    update(releases)
                    .where(releases.c.id.in_(ids[start : start + 500]))
                    .values(needs_index=False)
                )

    def mark_all_pending(self) -> None:
        """Flag every release for indexing (used before a full rebuild)."""
        with self.engine.begin() as conn:
            conn.execute(update(releases).values(needs_index=True))

    def counts(self) -> dict[str, int]:
        """Totals for health checks: releases, versions, removed, pending index."""
        with self.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(releases)).scalar_one()
            removed = conn.execute(
                select(func.count()).select_from(releases).where(releases.c.status == "removed")
            ).scalar_one()
            pending = conn.execute(
                select(func.count()).select_from(releases).where(releases.c.needs_index.is_(True))
            ).scalar_one()
            n_versions = conn.execute(select(func.count()).select_from(versions)).scalar_one()
        return {
            "releases": total,
            "versions": n_versions,
            "removed": removed,
            "pending_index": pending,
        }

    # -- source health ----------------------------------------------------------------------

    def record_run(
        self,
        source_id: str,
        counts: dict[str, int],
        error: str | None,
        *,
        at: datetime | None = None,
        quiet: bool = False,
    ) -> bool:
        """Store the outcome of one run of a source: counts, and success or the error; a quiet
        run after a recorded success younger than STATUS_HEARTBEAT is not written. True when
        written."""
        at = at or _now()
        with self.engine.begin() as conn:
            row = conn.execute(
                select(source_status).where(source_status.c.source_id == source_id)
            ).first()
            if quiet and not error and _recent_success(row, at):
                return False
            if row is None:
                conn.execute(insert(source_status).values(source_id=source_id, runs=0, failures=0))
            values: dict = {
                "last_run": at,
                "last_counts": json.dumps(counts),
                "runs": source_status.c.runs + 1,
            }
            if error:
                values.update(
                    last_error=error, last_error_at=at, failures=source_status.c.failures + 1
                )
            else:
                values.update(last_success=at)
            conn.execute(
                update(source_status).where(source_status.c.source_id == source_id).values(**values)
            )
        return True

    def mark_edit_check(self, source_id: str, at: datetime) -> None:
        """Remember when the source was last asked for recently modified posts."""
        with self.engine.begin() as conn:
            exists = conn.execute(
                select(source_status.c.source_id).where(source_status.c.source_id == source_id)
            ).first()
            if exists is None:
                conn.execute(insert(source_status).values(source_id=source_id, runs=0, failures=0))
            conn.execute(
                update(source_status)
                .where(source_status.c.source_id == source_id)
                .values(last_edit_check=at)
            )

    def source_health(self) -> dict[str, dict]:
        """Per-source status rows keyed by source id, each with its `run_state` as "state"."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(source_status)).all()
            per_source = dict(
                conn.execute(
                    select(releases.c.source_id, func.count()).group_by(releases.c.source_id)
                ).all()
            )
        health = {}
        for row in rows:
            health[row.source_id] = {
                "last_run": row.last_run,
                "last_success": row.last_success,
                "last_error": row.last_error,
                "last_error_at": row.last_error_at,
                "last_counts": json.loads(row.last_counts or "{}"),
                "last_edit_check": row.last_edit_check,
                "runs": row.runs,
                "failures": row.failures,
                "releases": per_source.get(row.source_id, 0),
                "state": run_state(row.last_success, row.last_error_at),
            }
        return health

    # -- conditional GET memory (the fetcher's ValidatorCache protocol) ---------------------

    def lookup(self, url: str) -> tuple[str | None, str | None]:
        """ETag and Last-Modified remembered for a URL."""
        with self.engine.connect() as conn:
            row = conn.execute(select(http_validators).where(http_validators.c.url == url)).first()
        return (row.etag, row.last_modified) if row else (None, None)

    def remember(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Remember validators for a URL (replacing older ones; the same ones are not written
        again)."""
        with self.engine.begin() as conn:
            row = conn.execute(select(http_validators).where(http_validators.c.url == url)).first()
            if row is not None and (row.etag, row.last_modified) == (etag, last_modified):
                return
            if not (etag or last_modified):
                if row is not None:
                    conn.execute(http_validators.delete().where(http_validators.c.url == url))
                return
            values = {"etag": etag, "last_modified": last_modified, "updated_at": _now()}
            if row is None:
                conn.execute(insert(http_validators).values(url=url, **values))
            else:
                conn.execute(
                    update(http_validators).where(http_validators.c.url == url).values(**values)
                )

    # -- robots.txt memory (the fetcher's RobotsStore protocol) -----------------------------

    def find_robots(self, origin: str) -> tuple[int, str, datetime] | None:
        """The robots.txt answer kept for an origin: (status, body, fetched_at), or None."""
        with self.engine.connect() as conn:
            row = conn.execute(select(robots_files).where(robots_files.c.origin == origin)).first()
        return (row.status, row.body, row.fetched_at) if row else None

    def keep_robots(self, origin: str, status: int, body: str, fetched_at: datetime) -> None:
        """Keep an origin's robots.txt answer (status 0: could not be fetched), replacing the
        older one."""
        values = {"status": status, "body": body, "fetched_at": fetched_at}
        with self.engine.begin() as conn:
            changed = conn.execute(
                update(robots_files).where(robots_files.c.origin == origin).values(**values)
            ).rowcount
            if not changed:
                conn.execute(insert(robots_files).values(origin=origin, **values))


def _recent_success(row, at: datetime) -> bool:
    """True when a status row says the last run succeeded less than STATUS_HEARTBEAT before at."""
    return (
        row is not None
        and row.last_run is not None
        and row.last_success == row.last_run
        and at - row.last_run < STATUS_HEARTBEAT
    )


def _version(row) -> StoredVersion:
    return StoredVersion(
        number=row.number,
        hash=row.hash,
        fetched_at=row.fetched_at,
        title=row.title,
        paragraphs=json.loads(row.paragraphs),
        html=row.html,
        published=row.published,
        modified=row.modified,
        categories=json.loads(row.categories),
        tags=json.loads(row.tags),
        author=row.author,
        dateline=row.dateline,
    )
