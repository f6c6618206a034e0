"""The durable store: releases with every version, source health and HTTP validators.

The archive is the source of truth. The search index is derived from it and can always be
rebuilt. Written with SQLAlchemy Core so that SQLite (the default) and PostgreSQL both work;
the database is chosen by URL alone.
"""

from archive.store import Archive, RecordOutcome, StoredRelease, StoredVersion

__all__ = ["Archive", "RecordOutcome", "StoredRelease", "StoredVersion"]
