"""Table definitions of the archive (SQLAlchemy Core, portable to SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    func,
    select,
)
from sqlalchemy.engine import Connection


def next_number(conn: Connection, column: Column, *where) -> int:
    """The number after the highest `column` among the rows matching `where` (1 for none): the
    next version of a release, a document, a register entry or a clarification."""
    return (conn.execute(select(func.max(column)).where(*where)).scalar_one() or 0) + 1


class UTCDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out; stored as naive UTC everywhere."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the archive; pass an aware one")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, str):  # SQLite may hand back text for old rows
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=UTC)


metadata = MetaData()

releases = Table(
    "releases",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("url", String(1000), nullable=False, unique=True),
    Column("guid", String(1000), nullable=True, index=True),
    Column("source_id", String(100), nullable=False, index=True),
    Column("opd", String(300), nullable=False, default=""),
    Column("status", String(20), nullable=False, default="active"),  # active | removed
    Column("first_seen", UTCDateTime, nullable=False),
    Column("last_checked", UTCDateTime, nullable=False),
    Column("removed_at", UTCDateTime, nullable=True),
    Column("current_version", Integer, nullable=True),
    Column("current_hash", String(64), nullable=False, default=""),
    # True until the search index has taken the latest change: set in the same transaction as
    # the change, cleared only after the index committed, so a crash in between is repaired
    # by the next ingest or by `reindex`.
    Column("needs_index", Boolean, nullable=False, default=True, index=True),
)

versions = Table(
    "versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("release_id", Integer, ForeignKey("releases.id"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
    Column("fetched_at", UTCDateTime, nullable=False),
    Column("title", Text, nullable=False),
    Column("paragraphs", Text, nullable=False),  # JSON list of strings
    Column("html", Text, nullable=False, default=""),
    Column("published", UTCDateTime, nullable=True),
    Column("modified", UTCDateTime, nullable=True),
    Column("categories", Text, nullable=False, default="[]"),  # JSON list
    Column("tags", Text, nullable=False, default="[]"),  # JSON list
    Column("author", String(100), nullable=False, default=""),
    Column("dateline", String(200), nullable=False, default=""),
    Index("ix_versions_release_number", "release_id", "number", unique=True),
)

source_status = Table(
    "source_status",
    metadata,
    Column("source_id", String(100), primary_key=True),
    Column("last_run", UTCDateTime, nullable=True),
    Column("last_success", UTCDateTime, nullable=True),
    Column("last_error", Text, nullable=True),
    Column("last_error_at", UTCDateTime, nullable=True),
    Column("last_counts", Text, nullable=False, default="{}"),  # JSON of the last run's counts
    Column("last_edit_check", UTCDateTime, nullable=True),
    Column("runs", Integer, nullable=False, default=0),
    Column("failures", Integer, nullable=False, default=0),
)

robots_files = Table(  # each origin's last robots.txt answer (ingest.fetch.RobotsStore)
    "robots_files",
    metadata,
    Column("origin", String(300), primary_key=True),  # scheme://host[:port]
    Column("status", Integer, nullable=False),  # HTTP status; 0 when the fetch failed
    Column("body", Text, nullable=False, default=""),  # the text of a 200 answer, else ""
    Column("fetched_at", UTCDateTime, nullable=False),
)

http_validators = Table(
    "http_validators",
    metadata,
    Column("url", String(1000), primary_key=True),
    Column("etag", String(500), nullable=True),
    Column("last_modified", String(100), nullable=True),
    Column("updated_at", UTCDateTime, nullable=False),
)
