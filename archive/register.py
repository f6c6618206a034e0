"""The legal register: regulations listed by the city's JDIH (Jaringan Dokumentasi dan Informasi
Hukum), one row per regulation (kind, number, year), with every change of title, status or link
kept as a version.

A regulation's kind is a short code shared with the claim check's regulation extractor
(`verify.facts.identifiers`): "perwal" for a Peraturan Wali Kota, "perda" for a Peraturan
Daerah, "sk" for a Keputusan Wali Kota, "se" for a Surat Edaran. `kind_of` turns the names a
register prints into these codes; a name it does not know keeps a code of its own words, so it
is listed and searchable but never mistaken for another kind.

Numbers are kept as text ("12", "188.45/12/35.73.112"); `find` compares whole numbers without
leading zeros, so "Perwali Nomor 07 Tahun 2024" finds number 7.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.engine import Engine

from archive.tables import UTCDateTime, metadata, next_number

regulations = Table(
    "regulations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(40), nullable=False),  # code: perwal, perda, sk, se ...
    Column("type_name", String(200), nullable=False),  # as the register prints it
    Column("number", String(100), nullable=False),
    Column("year", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("status", String(60), nullable=False, default=""),  # berlaku, dicabut, diubah ...
    Column("url", String(1000), nullable=False, default=""),
    Column("enacted", String(10), nullable=False, default=""),  # ISO date, "" when unknown
    Column("source_id", String(100), nullable=False),
    Column("first_seen", UTCDateTime, nullable=False),
    Column("last_checked", UTCDateTime, nullable=False),
    Column("hash", String(64), nullable=False),
    Index("ix_regulations_identity", "kind", "number", "year", unique=True),
    Index("ix_regulations_kind_year", "kind", "year"),
)

regulation_versions = Table(
    "regulation_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("regulation_id", ForeignKey("regulations.id"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("seen_at", UTCDateTime, nullable=False),
    Column("fields", Text, nullable=False),  # JSON: title, status, url, enacted, type_name
    Index("ix_regulation_versions_number", "regulation_id", "number", unique=True),
)

# Names registers print -> the kind code (the regulation extractor's).
KIND_NAMES = {
    "peraturan daerah": "perda",
    "perda": "perda",
    "peraturan wali kota": "perwal",
    "peraturan walikota": "perwal",
    "perwali": "perwal",
    "perwal": "perwal",
    "keputusan wali kota": "sk",
    "keputusan walikota": "sk",
    "surat keputusan": "sk",
    "sk": "sk",
    "surat edaran": "se",
    "surat edaran wali kota": "se",
    "surat edaran walikota": "se",
    "se": "se",
    "instruksi wali kota": "instruksi",
    "instruksi walikota": "instruksi",
}
# How pages name each kind code.
KIND_LABELS = {
    "perda": "Peraturan Daerah",
    "perwal": "Peraturan Wali Kota",
    "sk": "Keputusan Wali Kota",
    "se": "Surat Edaran",
    "instruksi": "Instruksi Wali Kota",
}
PAGE_SIZE = 50


def kind_of(type_name: str) -> str:
    """The kind code of a regulation type as a register names it ("Peraturan Walikota")."""
    words = " ".join(re.sub(r"[^\w\s-]", " ", type_name.lower()).split())
    words = re.sub(r"\s+(kota malang|malang)$", "", words)
    return KIND_NAMES.get(words, words.replace(" ", "-")[:40])


def plain_number(number: str) -> str:
    """A regulation number for comparing: whole numbers without leading zeros, else as given."""
    number = number.strip()
    return str(int(number)) if number.isdigit() else number


@dataclass(frozen=True)
class RegisterEntry:
    """One regulation as a register lists it (what the JDIH parser produces)."""

    type_name: str
    number: str
    year: int
    title: str
    status: str = ""
    url: str = ""
    enacted: str = ""  # ISO date

    @property
    def kind(self) -> str:
        return kind_of(self.type_name)


@dataclass(frozen=True)
class Regulation:
    """A regulation in the archived register."""

    id: int
    kind: str
    type_name: str
    number: str
    year: int
    title: str
    status: str
    url: str
    enacted: str
    source_id: str
    first_seen: datetime
    last_checked: datetime
    versions: int = 1

    @property
    def name(self) -> str:
        """The full name, e.g. "Peraturan Wali Kota Nomor 12 Tahun 2024"; without "Tahun" when
        the number already ends with the year ("Keputusan Wali Kota Nomor 188.45/41/.../2024")."""
        name = f"{KIND_LABELS.get(self.kind, self.type_name)} Nomor {self.number}"
        return name if self.number.endswith(f"/{self.year}") else f"{name} Tahun {self.year}"


class Register:
    """The archived register; one transaction per call."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def record(self, entry: RegisterEntry, *, source_id: str, at: datetime) -> str:
        """Store an entry: "new", "changed" (a new version) or "unchanged" (only stamped)."""
        fields = {
            "type_name": entry.type_name.strip(),
            "title": " ".join(entry.title.split()),
            "status": " ".join(entry.status.lower().split()),
            "url": entry.url.strip(),
            "enacted": entry.enacted,
        }
        digest = hashlib.sha256(json.dumps(fields, sort_keys=True).encode("utf-8")).hexdigest()
        number = plain_number(entry.number)
        with self.engine.begin() as conn:
            row = conn.execute(
                select(regulations.c.id, regulations.c.hash).where(
                    regulations.c.kind == entry.kind,
                    regulations.c.number == number,
                    regulations.c.year == entry.year,
                )
            ).first()
            if row is not None and row.hash == digest:
                conn.execute(
                    update(regulations).where(regulations.c.id == row.id).values(last_checked=at)
                )
                return "unchanged"
            values = {**fields, "hash": digest, "last_checked": at, "source_id": source_id}
            if row is None:
                ident = conn.execute(
                    insert(regulations).values(
                        kind=entry.kind, number=number, year=entry.year, first_seen=at, **values
                    )
                ).inserted_primary_key[0]
            else:
                ident = row.id
                conn.execute(update(regulations).where(regulations.c.id == ident).values(**values))
            version = next_number(
                conn, regulation_versions.c.number, regulation_versions.c.regulation_id == ident
            )
            conn.execute(
                insert(regulation_versions).values(
                    regulation_id=ident,
                    number=version,
                    seen_at=at,
                    fields=json.dumps(fields, ensure_ascii=False),
                )
            )
            return "new" if row is None else "changed"

    def find(self, kind: str, number: str, year: int) -> Regulation | None:
        """The regulation of that kind, number and year, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(
                _select().where(
                    regulations.c.kind == kind,
                    regulations.c.number == plain_number(number),
                    regulations.c.year == year,
                )
            ).first()
        return _regulation(row) if row is not None else None

    def years(self, kind: str) -> tuple[int, int] | None:
        """The first and last year the register holds regulations of `kind`, or None."""
        with self.engine.connect() as conn:
            low, high = conn.execute(
                select(func.min(regulations.c.year), func.max(regulations.c.year)).where(
                    regulations.c.kind == kind
                )
            ).one()
        return None if low is None else (low, high)

    def search(
        self,
        *,
        kind: str = "",
        number: str = "",
        year: int | None = None,
        words: str = "",
        page: int = 1,
    ) -> tuple[list[Regulation], int]:
        """Regulations matching every given filter, newest first, one page; and the total."""
        conditions = []
        if kind:
            conditions.append(regulations.c.kind == kind)
        if number:
            conditions.append(regulations.c.number == plain_number(number))
        if year:
            conditions.append(regulations.c.year == year)
        for word in words.split()[:8]:
            pattern = "%" + word.lower().replace("\\", "").replace("%", "").replace("_", "") + "%"
            conditions.append(
                or_(
                    func.lower(regulations.c.title).like(pattern),
                    func.lower(regulations.c.type_name).like(pattern),
                )
            )
        with self.engine.connect() as conn:
            total = conn.execute(
                select(func.count()).select_from(regulations).where(*conditions)
            ).scalar_one()
            rows = conn.execute(
                _select()
                .where(*conditions)
                .order_by(regulations.c.year.desc(), regulations.c.kind, regulations.c.id.desc())
                .limit(PAGE_SIZE)
                .offset((max(page, 1) - 1) * PAGE_SIZE)
            ).all()
        return [_regulation(row) for row in rows], total

    def kinds(self) -> list[tuple[str, int]]:
        """(kind code, number of regulations) for every kind held, most first."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(regulations.c.kind, func.count()).group_by(regulations.c.kind)
            ).all()
        return sorted(((kind, count) for kind, count in rows), key=lambda kc: (-kc[1], kc[0]))

    def counts(self) -> dict:
        """Entries in all, per kind code, per status, and the last time any was checked."""
        with self.engine.connect() as conn:
            per_status = dict(
                conn.execute(
                    select(regulations.c.status, func.count()).group_by(regulations.c.status)
                ).all()
            )
            last = conn.execute(
                select(func.max(regulations.c.last_checked, type_=UTCDateTime()))
            ).scalar_one()
        return {
            "entries": sum(per_status.values()),
            "per_kind": dict(self.kinds()),
            "per_status": per_status,
            "last_checked": last,
        }


def _select():
    versions = (
        select(func.count())
        .where(regulation_versions.c.regulation_id == regulations.c.id)
        .scalar_subquery()
    )
    return select(regulations, versions.label("version_count"))


def _regulation(row) -> Regulation:
    return Regulation(
        id=row.id,
        kind=row.kind,
        type_name=row.type_name,
        number=row.number,
        year=row.year,
        title=row.title,
        status=row.status,
        url=row.url,
        enacted=row.enacted,
        source_id=row.source_id,
        first_seen=row.first_seen,
        last_checked=row.last_checked,
        versions=row.version_count,
    )
