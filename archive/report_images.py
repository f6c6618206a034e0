"""Images kept with citizens' rumour reports (a screenshot or a flyer), in the database.

An image is stored in the same transaction as its report, so a report never points at a
missing file and a failed report leaves no orphaned image. Callers hand in bytes already
rebuilt from pixels (no metadata of the upload); each image gets a random 256-bit token, the
only way to ask for it, and the web layer serves it to signed-in staff only.

A new table rather than new columns: `Archive` creates missing tables on start, so existing
databases gain it without a migration step.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, LargeBinary, String, Table, Text, insert, select
from sqlalchemy.engine import Connection

from archive.tables import UTCDateTime, metadata

report_images = Table(
    "report_images",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("report_id", ForeignKey("reports.id"), nullable=False, unique=True),
    Column("token", String(64), nullable=False, unique=True),
    Column("media_type", String(20), nullable=False),  # image/png | image/jpeg | image/webp
    Column("width", Integer, nullable=False),
    Column("height", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("ocr_text", Text, nullable=False, default=""),  # what OCR read, as read
    Column("created_at", UTCDateTime, nullable=False),
)
MEDIA_TYPES = ("image/png", "image/jpeg", "image/webp")


@dataclass(frozen=True)
class NewReportImage:
    """An image to keep with a report: re-encoded bytes and the text OCR read in it."""

    data: bytes
    media_type: str
    width: int
    height: int
    ocr_text: str = ""


@dataclass(frozen=True)
class ReportImage:
    """A stored image as the staff pages list it (without its bytes)."""

    token: str
    media_type: str
    width: int
    height: int
    ocr_text: str


def add_image(conn: Connection, report_id: int, image: NewReportImage, *, at: datetime) -> str:
    """Store the image of a report inside the caller's transaction; return its token."""
    if image.media_type not in MEDIA_TYPES or not image.data:
        raise ValueError(f"not a stored image type: {image.media_type!r}")
    token = secrets.token_urlsafe(32)
    conn.execute(
        insert(report_images).values(
            report_id=report_id,
            token=token,
            media_type=image.media_type,
            width=image.width,
            height=image.height,
            data=image.data,
            ocr_text=image.ocr_text,
            created_at=at,
        )
    )
    return token


def images_of(conn: Connection, report_ids: Iterable[int]) -> dict[int, ReportImage]:
    """The images of these reports, by report id (reports without one are left out)."""
    wanted = list(report_ids)
    if not wanted:
        return {}
    columns = [report_images.c[name] for name in ("report_id", "token", "media_type", "width")]
    columns += [report_images.c.height, report_images.c.ocr_text]
    rows = conn.execute(select(*columns).where(report_images.c.report_id.in_(wanted)))
    return {
        row.report_id: ReportImage(row.token, row.media_type, row.width, row.height, row.ocr_text)
        for row in rows
    }


def find_image_data(conn: Connection, token: str) -> tuple[str, bytes] | None:
    """(media type, bytes) of the image with this token, or None."""
    if not token or len(token) > 64:
        return None
    row = conn.execute(
        select(report_images.c.media_type, report_images.c.data).where(
            report_images.c.token == token
        )
    ).first()
    return (row.media_type, bytes(row.data)) if row else None
