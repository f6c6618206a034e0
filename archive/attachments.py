"""Documents linked from releases (PDFs, images), kept like releases: every version by hash.

An attachment is one URL. Each time its bytes change a new version is stored with the bytes, its
media type, the text read from it and how that reading went (`status`). A fetch that brings no
bytes (too large, wrong type, HTTP error) stores no version: it only updates the attachment's
latest state, so an earlier good version is never lost. Each version gets a random 256-bit
token, the only way to ask the web layer for its bytes.

`release_attachments` says which attachments the current version of a release links to. When
an attachment gains a version, or a release gains or loses a link, the releases concerned are
flagged `needs_index` in the same transaction: their indexed text includes the attachments'.

New tables rather than new columns: `Archive` creates missing tables on start, so existing
databases gain them without a migration step.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine

from archive.tables import UTCDateTime, metadata, next_number, releases

attachments = Table(
    "attachments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("url", String(1000), nullable=False, unique=True),
    Column("name", String(300), nullable=False),  # file name from the URL
    Column("first_seen", UTCDateTime, nullable=False),
    Column("last_checked", UTCDateTime, nullable=False),
    # Outcome of the latest attempt: an extraction status (see ingest.documents) or a fetch
    # problem (too_large, wrong_type, http_error, fetch_failed); `problem` says it in words.
    Column("status", String(30), nullable=False),
    Column("problem", Text, nullable=False, default=""),
    Column("current_version", Integer, nullable=True),
)

attachment_versions = Table(
    "attachment_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("attachment_id", ForeignKey("attachments.id"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("hash", String(64), nullable=False),  # SHA-256 of the bytes
    Column("token", String(64), nullable=False, unique=True),
    Column("fetched_at", UTCDateTime, nullable=False),
    Column("media_type", String(40), nullable=False),
    Column("size", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("pages", Integer, nullable=False, default=0),
    Column("ocr_pages", Integer, nullable=False, default=0),
    Column("text", Text, nullable=False, default=""),
    Column("status", String(30), nullable=False),
    Column("problem", Text, nullable=False, default=""),
    Index("ix_attachment_versions_number", "attachment_id", "number", unique=True),
)

release_attachments = Table(
    "release_attachments",
    metadata,
    Column("release_id", ForeignKey("releases.id"), primary_key=True),
    Column("attachment_id", ForeignKey("attachments.id"), primary_key=True),
    Column("label", String(300), nullable=False, default=""),  # the link's text
    Column("position", Integer, nullable=False, default=0),
)

# A version's columns but its bytes: what listings read.
_WITHOUT_DATA = [column for column in attachment_versions.c if column.name != "data"]
# Media types a stored version may have; nothing else is ever served back.
MEDIA_TYPES = ("application/pdf", "image/png", "image/jpeg", "image/webp")
# Latest states that are not failures: text read, or read as far as this server can.
READABLE = ("ok", "needs_ocr")


@dataclass(frozen=True)
class Document:
    """What one fetch of an attachment brought: bytes and their reading, or only a problem."""

    status: str
    problem: str = ""
    data: bytes | None = None  # None: nothing was fetched (the problem says why)
    media_type: str = ""
    text: str = ""
    pages: int = 0
    ocr_pages: int = 0


@dataclass(frozen=True)
class AttachmentVersion:
    """One stored version, without its bytes."""

    number: int
    hash: str
    token: str
    fetched_at: datetime
    media_type: str
    size: int
    pages: int
    ocr_pages: int
    text: str
    status: str
    problem: str


@dataclass(frozen=True)
class StoredAttachment:
    """An attachment of a release as pages show it: its latest state and current version."""

    id: int
    url: str
    name: str
    label: str
    status: str
    problem: str
    first_seen: datetime
    last_checked: datetime
    current: AttachmentVersion | None
    versions: int
    history: tuple[AttachmentVersion, ...] = ()  # every version, oldest first


@dataclass(frozen=True)
class ArchivedFile:
    """The bytes of one version, to serve."""

    name: str
    media_type: str
    data: bytes
    number: int


class AttachmentStore:
    """Attachments and their versions in the archive database; one transaction per call."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # -- writing ------------------------------------------------------------------------------

    def link(self, release_id: int, links: list[tuple[str, str, str]], *, at: datetime) -> None:
        """Make (url, name, label) the release's attachments, in order; unknown URLs get a row
        (status "pending") and a changed set of links flags the release for indexing."""
        with self.engine.begin() as conn:
            ids = [self._ensure(conn, url, name, at) for url, name, _ in links]
            before = {
                row.attachment_id: row.label
                for row in conn.execute(
                    select(release_attachments).where(
                        release_attachments.c.release_id == release_id
                    )
                )
            }
            wanted = {ident: label for ident, (_, _, label) in zip(ids, links, strict=True)}
            if before == wanted:
                return
            conn.execute(
                delete(release_attachments).where(release_attachments.c.release_id == release_id)
            )
            for position, (ident, label) in enumerate(wanted.items()):
                conn.execute(
                    insert(release_attachments).values(
                        release_id=release_id,
                        attachment_id=ident,
                        label=label[:300],
                        position=position,
                    )
                )
            conn.execute(
                update(releases).where(releases.c.id == release_id).values(needs_index=True)
            )

    def record(self, url: str, document: Document, *, at: datetime) -> bool:
        """Store one fetch of the attachment at `url`; True when it added a version.

        Bytes equal to the current version's only stamp the check; new bytes add a version and
        flag every release linking here for indexing; no bytes record the problem only.
        """
        with self.engine.begin() as conn:
            row = conn.execute(select(attachments).where(attachments.c.url == url)).first()
            if row is None:
                raise KeyError(f"attachment {url} is not linked from any release")
            changes: dict = {"last_checked": at, "status": document.status,
                             "problem": document.problem}  # fmt: skip
            added = False
            if document.data is not None:
                digest = hashlib.sha256(document.data).hexdigest()
                current = self._current_hash(conn, row.current_version)
                if digest != current:
                    changes["current_version"] = self._add_version(conn, row.id, digest,
                                                                   document, at)  # fmt: skip
                    self._flag_linking(conn, row.id)
                    added = True
            elif row.current_version is not None and document.status == "unchanged":
                changes["status"], changes["problem"] = self._version_state(
                    conn, row.current_version
                )
            conn.execute(update(attachments).where(attachments.c.id == row.id).values(**changes))
            return added

    def stored_bytes(self, statuses: Iterable[str]) -> list[tuple[int, str, bytes]]:
        """(version id, media type, bytes) of the current versions of attachments whose latest
        state is one of `statuses`, to read them again."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(
                    attachment_versions.c.id,
                    attachment_versions.c.media_type,
                    attachment_versions.c.data,
                )
                .join(attachments, attachments.c.current_version == attachment_versions.c.id)
                .where(attachments.c.status.in_(list(statuses)))
                .order_by(attachment_versions.c.id)
            ).all()
        return [(row.id, row.media_type, row.data) for row in rows]

    def reread(self, version_id: int, document: Document) -> None:
        """Replace a version's reading (text, pages, state; never its bytes) with a new one of
        the same bytes, e.g. by OCR installed since, and flag its releases for indexing."""
        with self.engine.begin() as conn:
            conn.execute(
                update(attachment_versions)
                .where(attachment_versions.c.id == version_id)
                .values(
                    text=document.text,
                    pages=document.pages,
                    ocr_pages=document.ocr_pages,
                    status=document.status,
                    problem=document.problem,
                )
            )
            owner = conn.execute(
                select(attachments.c.id).where(attachments.c.current_version == version_id)
            ).first()
            if owner is not None:
                conn.execute(
                    update(attachments)
                    .where(attachments.c.id == owner.id)
                    .values(status=document.status, problem=document.problem)
                )
                self._flag_linking(conn, owner.id)

    @staticmethod
    def _ensure(conn: Connection, url: str, name: str, at: datetime) -> int:
        found = conn.execute(select(attachments.c.id).where(attachments.c.url == url)).first()
        if found is not None:
            return found.id
        return conn.execute(
            insert(attachments).values(
                url=url, name=name[:300], first_seen=at, last_checked=at, status="pending",
                problem="",
            )
        ).inserted_primary_key[0]  # fmt: skip

    @staticmethod
    def _current_hash(conn: Connection, version_id: int | None) -> str | None:
        if version_id is None:
            return None
        return conn.execute(
            select(attachment_versions.c.hash).where(attachment_versions.c.id == version_id)
        ).scalar_one_or_none()

    @staticmethod
    def _version_state(conn: Connection, version_id: int) -> tuple[str, str]:
        row = conn.execute(
            select(attachment_versions.c.status, attachment_versions.c.problem).where(
                attachment_versions.c.id == version_id
            )
        ).one()
        return row.status, row.problem

    @staticmethod
    def _add_version(
        conn: Connection, attachment_id: int, digest: str, document: Document, at: datetime
    ) -> int:
        if document.media_type not in MEDIA_TYPES:
            raise ValueError(f"refusing to store media type {document.media_type!r}")
        number = next_number(
            conn, attachment_versions.c.number, attachment_versions.c.attachment_id == attachment_id
        )
        return conn.execute(
            insert(attachment_versions).values(
                attachment_id=attachment_id,
                number=number,
                hash=digest,
                token=secrets.token_urlsafe(32),
                fetched_at=at,
                media_type=document.media_type,
                size=len(document.data or b""),
                data=document.data,
                pages=document.pages,
                ocr_pages=document.ocr_pages,
                text=document.text,
                status=document.status,
                problem=document.problem,
            )
        ).inserted_primary_key[0]

    @staticmethod
    def _flag_linking(conn: Connection, attachment_id: int) -> None:
        linking = select(release_attachments.c.release_id).where(
            release_attachments.c.attachment_id == attachment_id
        )
        conn.execute(update(releases).where(releases.c.id.in_(linking)).values(needs_index=True))

    # -- reading ------------------------------------------------------------------------------

    def find(self, url: str) -> StoredAttachment | None:
        """The attachment at `url` (label empty), or None when it was never linked."""
        with self.engine.connect() as conn:
            row = conn.execute(select(attachments).where(attachments.c.url == url)).first()
            return None if row is None else self._stored(conn, row, "")

    def for_release(self, release_id: int) -> list[StoredAttachment]:
        """The attachments the release links to, in the order of its links."""
        return self.for_releases([release_id]).get(release_id, [])

    def for_releases(self, release_ids: Iterable[int]) -> dict[int, list[StoredAttachment]]:
        """Attachments per release id, in link order (releases without any are left out)."""
        wanted = list(dict.fromkeys(release_ids))
        found: dict[int, list[StoredAttachment]] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), 500):
                rows = conn.execute(
                    select(attachments, release_attachments.c.release_id,
                           release_attachments.c.label)
                    .join(release_attachments,
                          release_attachments.c.attachment_id == attachments.c.id)
                    .where(release_attachments.c.release_id.in_(wanted[start : start + 500]))
                    .order_by(release_attachments.c.release_id, release_attachments.c.position)
                ).all()  # fmt: skip
                for row in rows:
                    found.setdefault(row.release_id, []).append(self._stored(conn, row, row.label))
        return found

    def file(self, release_id: int, token: str) -> ArchivedFile | None:
        """The bytes of the version with `token`, if it belongs to an attachment of the release."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(attachment_versions, attachments.c.name)
                .join(attachments, attachments.c.id == attachment_versions.c.attachment_id)
                .join(
                    release_attachments,
                    release_attachments.c.attachment_id == attachments.c.id,
                )
                .where(
                    attachment_versions.c.token == token,
                    release_attachments.c.release_id == release_id,
                )
            ).first()
        if row is None or row.media_type not in MEDIA_TYPES:
            return None
        return ArchivedFile(row.name, row.media_type, row.data, row.number)

    def counts(self) -> dict:
        """Figures for the dashboard: documents, with text, needing OCR, failing per reason."""
        with self.engine.connect() as conn:
            per_status = dict(
                conn.execute(
                    select(attachments.c.status, func.count()).group_by(attachments.c.status)
                ).all()
            )
            versions = conn.execute(
                select(func.count()).select_from(attachment_versions)
            ).scalar_one()
        failing = {
            status: count for status, count in per_status.items()
            if status not in READABLE and status != "pending"
        }  # fmt: skip
        return {
            "documents": sum(per_status.values()),
            "versions": versions,
            "readable": per_status.get("ok", 0),
            "needs_ocr": per_status.get("needs_ocr", 0),
            "pending": per_status.get("pending", 0),
            "failing": sum(failing.values()),
            "failing_by_reason": dict(sorted(failing.items(), key=lambda kv: (-kv[1], kv[0]))),
        }

    def failing(self, limit: int = 50) -> list[StoredAttachment]:
        """The attachments whose latest attempt failed, most recently checked first."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(attachments)
                .where(attachments.c.status.not_in([*READABLE, "pending"]))
                .order_by(attachments.c.last_checked.desc())
                .limit(limit)
            ).all()
            return [self._stored(conn, row, "") for row in rows]

    @staticmethod
    def _stored(conn: Connection, row, label: str) -> StoredAttachment:
        rows = conn.execute(
            select(*_WITHOUT_DATA)
            .where(attachment_versions.c.attachment_id == row.id)
            .order_by(attachment_versions.c.number)
        ).all()
        history = tuple(_version(version) for version in rows)
        current = next((_version(v) for v in rows if v.id == row.current_version), None)
        count = len(history)
        return StoredAttachment(
            id=row.id,
            url=row.url,
            name=row.name,
            label=label,
            status=row.status,
            problem=row.problem,
            first_seen=row.first_seen,
            last_checked=row.last_checked,
            current=current,
            versions=count,
            history=history,
        )


def _version(row) -> AttachmentVersion:
    return AttachmentVersion(
        number=row.number,
        hash=row.hash,
        token=row.token,
        fetched_at=row.fetched_at,
        media_type=row.media_type,
        size=row.size,
        pages=row.pages,
        ocr_pages=row.ocr_pages,
        text=row.text,
        status=row.status,
        problem=row.problem,
    )
