"""The durable store: releases with every version, source health and HTTP validators, the
documents releases link to (`archive.attachments`), the JDIH legal register (`archive.register`),
the editorial tables (staff, audit log, clarifications, rumour reports) in `archive.editorial`,
the registry of official channels in `archive.channels`, and the register of known city
sites with the coverage figures in `archive.sites`.

The archive is the source of truth. The search index is derived from it and can always be
rebuilt. Written with SQLAlchemy Core so that SQLite (the default) and PostgreSQL both work;
the database is chosen by URL alone.
"""

# Imported for its tables: they must be on the shared metadata before Archive() creates them.
from archive import attachments, channels, editorial, register, sites  # noqa: F401
from archive.store import Archive, RecordOutcome, StoredRelease, StoredVersion

__all__ = ["Archive", "RecordOutcome", "StoredRelease", "StoredVersion"]
