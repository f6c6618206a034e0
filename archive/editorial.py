"""The editorial store: staff accounts, sign-in attempts, the audit log, clarifications with
their revisions and cited releases, and citizens' rumour reports.

The tables live on the archive's `metadata`, so `Archive(url)` creates them with the release
tables. `Editorial` works on the archive's engine; every public method is one transaction, and
every change writes its audit entry in that same transaction, so nothing changes unrecorded.

Nothing here knows about Flask, the search index or text analysis: callers hand in password
hashes, hashed addresses, analysed terms and the time (`at=`), which keeps this module testable
with a fake clock.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
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

from archive.messages import N_
from archive.months import WIB
from archive.report_images import NewReportImage, ReportImage, add_image, find_image_data, images_of
from archive.tables import UTCDateTime, metadata, next_number, releases, versions

ROLES = ("editor", "admin")
# The labels Indonesian fact-checkers use, in the order the forms offer them.
VERDICTS = ("HOAKS", "DISINFORMASI", "MISINFORMASI", "MENYESATKAN", "FAKTA")
DRAFT, PUBLISHED, WITHDRAWN = "draft", "published", "withdrawn"
OPEN, HANDLED = "open", "handled"
USERNAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{2,39}")

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(40), nullable=False, unique=True),
    Column("password_hash", String(300), nullable=False),
    Column("role", String(10), nullable=False),  # editor | admin
    Column("active", Boolean, nullable=False, default=True),
    # The session generation: bumped on sign-out and when the password, role or state changes;
    # a session carrying an older one is refused.
    Column("session_epoch", Integer, nullable=False, default=1),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_login_at", UTCDateTime, nullable=True),
)

login_attempts = Table(
    "login_attempts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(100), nullable=False, index=True),  # as typed, case-folded
    Column("address", String(64), nullable=False, index=True),  # keyed hash, never the address
    Column("at", UTCDateTime, nullable=False, index=True),
    Column("success", Boolean, nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime, nullable=False, index=True),
    Column("actor", String(100), nullable=False),  # username, "cli", or "" when unknown
    Column("action", String(60), nullable=False, index=True),
    Column("target", String(300), nullable=False, default=""),
    Column("detail", Text, nullable=False, default="{}"),  # JSON object
)

clarifications = Table(
    "clarifications",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("slug", String(120), nullable=False, unique=True),
    Column("title", Text, nullable=False),  # short headline
    Column("rumour", Text, nullable=False),  # the claim as it circulated
    Column("verdict", String(20), nullable=False),
    Column("summary", Text, nullable=False),  # the short official explanation
    Column("body", Text, nullable=False, default=""),  # the fuller explanation
    Column("seen_on", String(300), nullable=False, default=""),  # e.g. "WhatsApp, Facebook"
    Column("sightings", Text, nullable=False, default="[]"),  # JSON list of URLs
    Column("status", String(12), nullable=False, default=DRAFT),  # draft|published|withdrawn
    Column("author", String(100), nullable=False),  # shown publicly
    Column("created_by", String(40), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("published_at", UTCDateTime, nullable=True),  # first publication
    Column("withdrawn_at", UTCDateTime, nullable=True),
    Column("withdrawn_note", Text, nullable=False, default=""),
    Column("needs_index", Boolean, nullable=False, default=False, index=True),
)

clarification_releases = Table(
    "clarification_releases",
    metadata,
    Column("clarification_id", ForeignKey("clarifications.id"), primary_key=True),
    Column("release_id", ForeignKey("releases.id"), primary_key=True),
    Column("position", Integer, nullable=False, default=0),
)

clarification_revisions = Table(
    "clarification_revisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("clarification_id", ForeignKey("clarifications.id"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("kind", String(12), nullable=False),  # publish | edit | withdraw | republish
    Column("at", UTCDateTime, nullable=False),
    Column("editor", String(40), nullable=False),
    Column("note", Text, nullable=False, default=""),
    Column("snapshot", Text, nullable=False),  # JSON of the public content after this event
    Index("ix_clarification_revisions_number", "clarification_id", "number", unique=True),
)

report_groups = Table(
    "report_groups",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("text", Text, nullable=False),  # the first report's text, shown as the group's rumour
    Column("terms", Text, nullable=False),  # JSON sorted list of analysed terms of that text
    Column("status", String(10), nullable=False, default=OPEN),  # open | handled
    Column("reports", Integer, nullable=False, default=0),
    Column("first_seen", UTCDateTime, nullable=False),
    Column("last_seen", UTCDateTime, nullable=False, index=True),
    Column("handled_at", UTCDateTime, nullable=True),
    Column("handled_by", String(40), nullable=True),
    Column("clarification_id", ForeignKey("clarifications.id"), nullable=True),
)

reports = Table(
    "reports",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("group_id", ForeignKey("report_groups.id"), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("link", String(1000), nullable=False, default=""),
    Column("seen_on", String(40), nullable=False, default=""),
    Column("created_at", UTCDateTime, nullable=False),
)


class EditorialError(ValueError):
    """A change the editorial rules do not allow (duplicate user, missing note, ...)."""


# -- plain records -------------------------------------------------------------------------------


@dataclass
class User:
    """A staff account (the password hash never leaves this module's callers' hands)."""

    id: int
    username: str
    password_hash: str
    role: str
    active: bool
    session_epoch: int
    created_at: datetime
    last_login_at: datetime | None

    @property
    def is_admin(self) -> bool:
        """True for the admin role."""
        return self.role == "admin"


@dataclass
class AuditEntry:
    """One line of the audit log."""

    id: int
    at: datetime
    actor: str
    action: str
    target: str
    detail: dict


@dataclass
class ClarificationInput:
    """What an editor writes; validated by `validate()` before anything is stored."""

    title: str
    rumour: str
    verdict: str
    summary: str
    body: str = ""
    seen_on: str = ""
    sightings: list[str] = field(default_factory=list)
    release_ids: list[int] = field(default_factory=list)

    def validate(self) -> list[str]:
        """Return the problems, in Indonesian for the form (empty when all is well)."""
        problems: list[str] = []
        if not self.title.strip():
            problems.append(N_("Judul wajib diisi."))
        for too_long, value, most in (
            (N_("Judul paling banyak %(most)s karakter.", most=200), self.title, 200),
            (N_("Kabar yang beredar paling banyak %(most)s karakter.", most=5000), self.rumour,
             5000),
            (N_("Penjelasan singkat paling banyak %(most)s karakter.", most=1000), self.summary,
             1000),
            (N_("Penjelasan lengkap paling banyak %(most)s karakter.", most=30000), self.body,
             30000),
        ):  # fmt: skip
            if len(value) > most:
                problems.append(too_long)
        if not self.rumour.strip():
            problems.append(N_("Isi kabar yang beredar wajib diisi."))
        if self.verdict not in VERDICTS:
            problems.append(N_("Pilih salah satu label: %(labels)s.", labels=", ".join(VERDICTS)))
        if not self.summary.strip():
            problems.append(N_("Penjelasan singkat wajib diisi."))
        for url in self.sightings:
            if not re.match(r"https?://[^\s/]+", url):
                problems.append(N_("Tautan tidak valid: %(url)s", url=url))
        return problems

    def snapshot(self) -> dict:
        """The public content as a JSON-ready dict (kept with every revision)."""
        return {
            "title": self.title,
            "rumour": self.rumour,
            "verdict": self.verdict,
            "summary": self.summary,
            "body": self.body,
            "seen_on": self.seen_on,
            "sightings": list(self.sightings),
            "release_ids": list(self.release_ids),
        }


@dataclass
class Revision:
    """One public event in a clarification's history, with the content after it."""

    number: int
    kind: str
    at: datetime
    editor: str
    note: str
    snapshot: dict


@dataclass
class CitedRelease:
    """An archived release a clarification rests on."""

    id: int
    url: str
    title: str
    opd: str
    published: datetime | None
    status: str


@dataclass
class Clarification:
    """A clarification as stored, with its cited releases and (on demand) its history."""

    id: int
    slug: str
    title: str
    rumour: str
    verdict: str
    summary: str
    body: str
    seen_on: str
    sightings: list[str]
    status: str
    author: str
    created_by: str
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    withdrawn_at: datetime | None
    withdrawn_note: str
    release_ids: list[int]
    releases: list[CitedRelease] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)

    @property
    def is_public(self) -> bool:
        """True when the clarification is published."""
        return self.status == PUBLISHED

    @property
    def updated(self) -> bool:
        """True when a published clarification was edited after it first appeared."""
        return any(r.kind == "edit" for r in self.revisions)

    @property
    def last_revised_at(self) -> datetime | None:
        """Time of the latest public event (publication or edit), None for a draft."""
        return self.revisions[-1].at if self.revisions else self.published_at

    def as_input(self) -> ClarificationInput:
        """The editable content of this clarification."""
        return ClarificationInput(
            title=self.title,
            rumour=self.rumour,
            verdict=self.verdict,
            summary=self.summary,
            body=self.body,
            seen_on=self.seen_on,
            sightings=list(self.sightings),
            release_ids=list(self.release_ids),
        )


@dataclass
class Report:
    """One citizen's rumour report (no names, no addresses)."""

    id: int
    group_id: int
    text: str
    link: str
    seen_on: str
    created_at: datetime
    image: ReportImage | None = None  # a screenshot or flyer sent with the report


@dataclass
class ReportGroup:
    """Reports of one rumour, grouped by similar wording."""

    id: int
    text: str
    status: str
    reports: int
    first_seen: datetime
    last_seen: datetime
    handled_at: datetime | None
    handled_by: str | None
    clarification_id: int | None
    links: list[str] = field(default_factory=list)
    places: list[tuple[str, int]] = field(default_factory=list)  # (seen_on, count)
    members: list[Report] = field(default_factory=list)


@dataclass
class LoginPolicy:
    """How failed sign-ins slow further attempts down without letting anyone lock others out.

    Failures are counted since the last success and within `window`, for two keys: the pair
    (address, username) and the username alone. After `pair_free` failures of one pair, that pair
    waits `first_wait`, doubling with every further failure up to `pair_max_wait`: guessing one
    account's password from one address is slowed to a few tries an hour. After `name_free`
    failures at one username from anywhere, addresses that have not signed in to it within
    `trusted_for` wait as well, doubling up to the short `name_max_wait`. No address is ever
    closed as a whole, so failures at one name never stop another staff member, even when every
    request arrives from the same proxy address.
    """

    pair_free: int = 5
    name_free: int = 10
    first_wait: timedelta = timedelta(seconds=30)
    pair_max_wait: timedelta = timedelta(minutes=15)
    name_max_wait: timedelta = timedelta(minutes=2)
    window: timedelta = timedelta(hours=24)
    trusted_for: timedelta = timedelta(days=30)


def backoff_end(
    failures: int, last: datetime | None, *, free: int, first: timedelta, ceiling: timedelta
) -> datetime | None:
    """When a key with `failures` (the last at `last`) may try again; None if it need not wait."""
    if last is None or failures < free:
        return None
    doublings = min(failures - free, 32)  # beyond this the ceiling has long been reached
    return last + min(first * 2**doublings, ceiling)


# -- helpers -----------------------------------------------------------------------------------


def normalise_username(name: str) -> str:
    """The form in which usernames are stored and compared: trimmed and lower-cased."""
    return name.strip().lower()


def slugify(text: str, max_words: int = 8, max_chars: int = 80) -> str:
    """A lower-case ASCII slug of the first words of `text` ("" when nothing is left)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())[:max_words]
    return "-".join(words)[:max_chars].strip("-")


def jaccard(a: Iterable[str], b: Iterable[str]) -> float:
    """Jaccard similarity of two term sets (0.0 when both are empty)."""
    first, second = set(a), set(b)
    union = first | second
    return len(first & second) / len(union) if union else 0.0


def month_range(month: str) -> tuple[datetime, datetime]:
    """The WIB calendar month "YYYY-MM" as an aware [start, end) pair; ValueError if malformed."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", month)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"month must look like 2025-01, got {month!r}")
    year, number = int(match.group(1)), int(match.group(2))
    start = datetime(year, number, 1, tzinfo=WIB)
    end = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=WIB)
    return start, end


def _named(username: str):
    """The condition "this account's name is `username`", in any case."""
    return func.lower(users.c.username) == normalise_username(username)


def _other_active_admins(user_id: int):
    """A scalar subquery: how many active admins there are besides `user_id`."""
    return (
        select(func.count())
        .select_from(users)
        .where(users.c.role == "admin", users.c.active.is_(True), users.c.id != user_id)
        .scalar_subquery()
    )


def _audit(conn: Connection, at: datetime, actor: str, action: str, target: str, **detail) -> None:
    conn.execute(
        insert(audit_log).values(
            at=at,
            actor=actor or "",
            action=action,
            target=target[:300],
            detail=json.dumps(detail, ensure_ascii=False, default=str),
        )
    )


_Record = TypeVar("_Record")


def _from_row(kind: type[_Record], row) -> _Record:
    """A record dataclass filled from the row's columns of the same names."""
    values = row._mapping
    return kind(**{f.name: values[f.name] for f in fields(kind) if f.name in values})


class Editorial:
    """Staff, audit, clarifications and reports on the archive's database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # -- users ---------------------------------------------------------------------------------

    def create_user(
        self, username: str, password_hash: str, role: str, *, actor: str, at: datetime
    ) -> User:
        """Add an active account; EditorialError if the name is taken (in any case) or invalid."""
        username = normalise_username(username)
        if not USERNAME_PATTERN.fullmatch(username):
            raise EditorialError(
                "username: 3-40 characters, lower-case letters, digits, '.', '_' or '-'"
            )
        if role not in ROLES:
            raise EditorialError(f"role must be one of {', '.join(ROLES)}")
        with self.engine.begin() as conn:
            if conn.execute(select(users.c.id).where(_named(username))).first():
                raise EditorialError(f"user {username!r} exists already")
            conn.execute(
                insert(users).values(
                    username=username,
                    password_hash=password_hash,
                    role=role,
                    active=True,
                    session_epoch=1,
                    created_at=at,
                )
            )
            _audit(conn, at, actor, "user.create", username, role=role)
            row = conn.execute(select(users).where(users.c.username == username)).one()
            return _from_row(User, row)

    def find_user(self, username: str) -> User | None:
        """The account with that name (any case), or None."""
        with self.engine.connect() as conn:
            row = conn.execute(select(users).where(_named(username))).first()
        return _from_row(User, row) if row else None

    def find_user_by_id(self, user_id: int) -> User | None:
        """The account with that id, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(select(users).where(users.c.id == user_id)).first()
        return _from_row(User, row) if row else None

    def list_users(self) -> list[User]:
        """Every account, by name."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(users).order_by(users.c.username))
            return [_from_row(User, r) for r in rows]

    def update_user(
        self,
        username: str,
        *,
        actor: str,
        at: datetime,
        active: bool | None = None,
        role: str | None = None,
        password_hash: str | None = None,
    ) -> User:
        """Change an account's state, role or password; its sessions end. Audited.

        EditorialError when the change would leave no active admin.
        """
        user = self.find_user(username)
        if user is None:
            raise EditorialError(f"no user {username!r}")
        if role is not None and role not in ROLES:
            raise EditorialError(f"role must be one of {', '.join(ROLES)}")
        changes: dict = {}
        if active is not None and active != user.active:
            changes["active"] = active
        if role is not None and role != user.role:
            changes["role"] = role
        if password_hash is not None:
            changes["password_hash"] = password_hash
        if not changes:
            return user
        statement = update(users).where(users.c.id == user.id)
        stays_admin = changes.get("role", user.role) == "admin" and changes.get("active", True)
        if user.is_admin and user.active and not stays_admin:
            # Checked in the same statement, so two admins demoting each other cannot both win.
            statement = statement.where(_other_active_admins(user.id) > 0)
        with self.engine.begin() as conn:
            done = conn.execute(
                statement.values(session_epoch=users.c.session_epoch + 1, **changes)
            )
            if done.rowcount == 0:
                raise EditorialError(
                    f"{user.username!r} is the last active admin: make another account admin first"
                )
            detail = {k: v for k, v in changes.items() if k != "password_hash"}
            if "password_hash" in changes:
                detail["password"] = "changed"
            _audit(conn, at, actor, "user.update", user.username, **detail)
            return _from_row(User, conn.execute(select(users).where(users.c.id == user.id)).one())

    def end_sessions(self, user_id: int, *, actor: str, action: str, at: datetime) -> None:
        """End every session of the account (its session generation moves on). Audited."""
        with self.engine.begin() as conn:
            conn.execute(
                update(users)
                .where(users.c.id == user_id)
                .values(session_epoch=users.c.session_epoch + 1)
            )
            name = conn.execute(select(users.c.username).where(users.c.id == user_id)).scalar()
            _audit(conn, at, actor, action, name or "")

    # -- sign-in attempts ----------------------------------------------------------------------

    def record_login(
        self,
        username: str,
        address: str,
        *,
        success: bool,
        at: datetime,
        reason: str = "",
    ) -> None:
        """Store one sign-in attempt and its audit entry; a success stamps the account."""
        typed = normalise_username(username)[:100]
        with self.engine.begin() as conn:
            conn.execute(
                insert(login_attempts).values(
                    username=typed, address=address, at=at, success=success
                )
            )
            if success:
                conn.execute(update(users).where(_named(typed)).values(last_login_at=at))
                # Old attempts are only needed for the back-off; keep a month for review.
                conn.execute(
                    delete(login_attempts).where(login_attempts.c.at < at - timedelta(days=30))
                )
            action = "login.success" if success else "login.failure"
            detail = {"reason": reason} if reason else {}
            _audit(conn, at, typed if success else "", action, typed, **detail)

    def record_refused_login(self, username: str, *, at: datetime, locked_until: datetime) -> None:
        """Audit an attempt refused by the back-off (it does not count as a failure)."""
        with self.engine.begin() as conn:
            _audit(
                conn,
                at,
                "",
                "login.locked",
                normalise_username(username)[:100],
                locked_until=locked_until.isoformat(),
            )

    def locked_until(
        self, username: str, address: str, *, now: datetime, policy: LoginPolicy
    ) -> datetime | None:
        """When this username may next be tried from this address; None if it may be now."""
        typed = normalise_username(username)[:100]
        since = now - policy.window
        name = login_attempts.c.username == typed
        with self.engine.connect() as conn:
            count, last = self._failures(conn, since, name, login_attempts.c.address == address)
            ends = [
                backoff_end(
                    count,
                    last,
                    free=policy.pair_free,
                    first=policy.first_wait,
                    ceiling=policy.pair_max_wait,
                )
            ]
            trusted = conn.execute(
                select(login_attempts.c.id).where(
                    name,
                    login_attempts.c.address == address,
                    login_attempts.c.success.is_(True),
                    login_attempts.c.at > now - policy.trusted_for,
                )
            ).first()
            if trusted is None:
                count, last = self._failures(conn, since, name)
                ends.append(
                    backoff_end(
                        count,
                        last,
                        free=policy.name_free,
                        first=policy.first_wait,
                        ceiling=policy.name_max_wait,
                    )
                )
        until = max((end for end in ends if end is not None), default=None)
        return until if until and until > now else None

    @staticmethod
    def _failures(conn: Connection, since: datetime, *key) -> tuple[int, datetime | None]:
        """How many failures of `key` since `since` and its last success, and the latest one."""
        last_success = conn.execute(
            select(func.max(login_attempts.c.at)).where(*key, login_attempts.c.success.is_(True))
        ).scalar_one()
        if last_success is not None:
            since = max(since, last_success)
        count, last = conn.execute(
            select(func.count(), func.max(login_attempts.c.at)).where(
                *key, login_attempts.c.success.is_(False), login_attempts.c.at > since
            )
        ).one()
        return count, last

    # -- audit log -----------------------------------------------------------------------------

    def audit(self, actor: str, action: str, target: str = "", *, at: datetime, **detail) -> None:
        """Write one audit entry on its own (for events that change nothing else)."""
        with self.engine.begin() as conn:
            _audit(conn, at, actor, action, target, **detail)

    def list_audit(
        self, *, limit: int = 100, offset: int = 0, actor: str = "", action: str = ""
    ) -> tuple[int, list[AuditEntry]]:
        """Audit entries, newest first, optionally for one actor or action prefix; with total."""
        conditions = []
        if actor:
            conditions.append(audit_log.c.actor == normalise_username(actor))
        if action:
            conditions.append(audit_log.c.action.startswith(action, autoescape=True))
        with self.engine.connect() as conn:
            total = conn.execute(
                select(func.count()).select_from(audit_log).where(*conditions)
            ).scalar_one()
            rows = conn.execute(
                select(audit_log)
                .where(*conditions)
                .order_by(audit_log.c.id.desc())
                .limit(limit)
                .offset(offset)
            ).all()
        entries = [
            AuditEntry(r.id, r.at, r.actor, r.action, r.target, json.loads(r.detail or "{}"))
            for r in rows
        ]
        return total, entries

    # -- clarifications ------------------------------------------------------------------------

    def create_clarification(
        self,
        data: ClarificationInput,
        *,
        author: str,
        actor: str,
        at: datetime,
        report_group_id: int | None = None,
        slug: str = "",
    ) -> int:
        """Store a new draft and return its id; the slug comes from the title when not given."""
        self._check(data)
        with self.engine.begin() as conn:
            slug = self._free_slug(conn, slug or slugify(data.title) or "klarifikasi")
            clarification_id = conn.execute(
                insert(clarifications).values(
                    slug=slug,
                    status=DRAFT,
                    author=author,
                    created_by=actor,
                    created_at=at,
                    updated_at=at,
                    needs_index=False,
                    **self._content(data),
                )
            ).inserted_primary_key[0]
            self._set_releases(conn, clarification_id, data.release_ids)
            if report_group_id is not None:
                conn.execute(
                    update(report_groups)
                    .where(report_groups.c.id == report_group_id)
                    .values(clarification_id=clarification_id)
                )
            _audit(
                conn,
                at,
                actor,
                "clarification.create",
                slug,
                id=clarification_id,
                verdict=data.verdict,
                report_group=report_group_id,
            )
            return clarification_id

    def update_clarification(
        self,
        clarification_id: int,
        data: ClarificationInput,
        *,
        actor: str,
        at: datetime,
        note: str = "",
    ) -> Clarification:
        """Change the content; a published clarification keeps the change as a revision.

        Editing a published clarification needs a `note` saying what changed (shown publicly).
        """
        self._check(data)
        with self.engine.begin() as conn:
            row = self._row(conn, clarification_id)
            if row.status == PUBLISHED and not note.strip():
                raise EditorialError(N_("Catatan perubahan wajib diisi untuk klarifikasi terbit."))
            conn.execute(
                update(clarifications)
                .where(clarifications.c.id == clarification_id)
                .values(
                    updated_at=at,
                    needs_index=row.status == PUBLISHED or row.needs_index,
                    **self._content(data),
                )
            )
            self._set_releases(conn, clarification_id, data.release_ids)
            if row.status == PUBLISHED:
                self._add_revision(conn, clarification_id, "edit", at, actor, note, data)
            _audit(
                conn,
                at,
                actor,
                "clarification.edit",
                row.slug,
                id=clarification_id,
                status=row.status,
                note=note.strip(),
            )
        return self.get_clarification(clarification_id)

    def publish_clarification(
        self, clarification_id: int, *, actor: str, at: datetime, note: str = ""
    ) -> Clarification:
        """Publish a draft (or republish a withdrawn one); linked report groups become handled."""
        with self.engine.begin() as conn:
            row = self._row(conn, clarification_id)
            if row.status == PUBLISHED:
                raise EditorialError(N_("Klarifikasi ini sudah terbit."))
            kind = "republish" if row.status == WITHDRAWN else "publish"
            conn.execute(
                update(clarifications)
                .where(clarifications.c.id == clarification_id)
                .values(
                    status=PUBLISHED,
                    published_at=row.published_at or at,
                    updated_at=at,
                    withdrawn_at=None,
                    withdrawn_note="",
                    needs_index=True,
                )
            )
            content = self._load(conn, row).as_input()
            self._add_revision(conn, clarification_id, kind, at, actor, note, content)
            conn.execute(
                update(report_groups)
                .where(
                    report_groups.c.clarification_id == clarification_id,
                    report_groups.c.status == OPEN,
                )
                .values(status=HANDLED, handled_at=at, handled_by=actor)
            )
            _audit(conn, at, actor, f"clarification.{kind}", row.slug, id=clarification_id)
        return self.get_clarification(clarification_id)

    def withdraw_clarification(
        self, clarification_id: int, *, actor: str, at: datetime, note: str
    ) -> Clarification:
        """Unpublish with a public note; the page then shows the note instead of the text."""
        if not note.strip():
            raise EditorialError(N_("Alasan penarikan wajib diisi."))
        with self.engine.begin() as conn:
            row = self._row(conn, clarification_id)
            if row.status != PUBLISHED:
                raise EditorialError(N_("Hanya klarifikasi terbit yang bisa ditarik."))
            conn.execute(
                update(clarifications)
                .where(clarifications.c.id == clarification_id)
                .values(
                    status=WITHDRAWN,
                    withdrawn_at=at,
                    withdrawn_note=note.strip(),
                    updated_at=at,
                    needs_index=True,
                )
            )
            content = self._load(conn, row).as_input()
            self._add_revision(conn, clarification_id, "withdraw", at, actor, note, content)
            _audit(
                conn,
                at,
                actor,
                "clarification.withdraw",
                row.slug,
                id=clarification_id,
                note=note.strip(),
            )
        return self.get_clarification(clarification_id)

    def get_clarification(
        self, clarification_id: int | None = None, *, slug: str | None = None
    ) -> Clarification | None:
        """One clarification by id or slug, with cited releases and history; None if absent."""
        condition = (
            clarifications.c.id == clarification_id
            if clarification_id is not None
            else clarifications.c.slug == slug
        )
        with self.engine.connect() as conn:
            row = conn.execute(select(clarifications).where(condition)).first()
            if row is None:
                return None
            item = self._load(conn, row)
            item.releases = self._cited(conn, item.release_ids)
            item.revisions = [
                Revision(r.number, r.kind, r.at, r.editor, r.note, json.loads(r.snapshot))
                for r in conn.execute(
                    select(clarification_revisions)
                    .where(clarification_revisions.c.clarification_id == row.id)
                    .order_by(clarification_revisions.c.number)
                )
            ]
            return item

    def list_clarifications(
        self,
        *,
        status: str | None = PUBLISHED,
        verdict: str | None = None,
        month: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> tuple[int, list[Clarification]]:
        """Clarifications newest first (published by date, others by last change), with total."""
        conditions = []
        if status:
            conditions.append(clarifications.c.status == status)
        if verdict:
            conditions.append(clarifications.c.verdict == verdict)
        if month:
            start, end = month_range(month)
            conditions += [
                clarifications.c.published_at >= start,
                clarifications.c.published_at < end,
            ]
        order = (
            [clarifications.c.published_at.desc(), clarifications.c.id.desc()]
            if status == PUBLISHED
            else [clarifications.c.updated_at.desc(), clarifications.c.id.desc()]
        )
        with self.engine.connect() as conn:
            total = conn.execute(
                select(func.count()).select_from(clarifications).where(*conditions)
            ).scalar_one()
            rows = conn.execute(
                select(clarifications)
                .where(*conditions)
                .order_by(*order)
                .limit(limit)
                .offset(offset)
            ).all()
            items = [self._load(conn, row) for row in rows]
            wanted = sorted({i for item in items for i in item.release_ids})
            cited = {release.id: release for release in self._cited(conn, wanted)}
            for item in items:
                item.releases = [cited[i] for i in item.release_ids if i in cited]
        return total, items

    def published_months(self) -> list[tuple[str, int]]:
        """("YYYY-MM" in WIB, count) for published clarifications, newest month first."""
        with self.engine.connect() as conn:
            dates = conn.execute(
                select(clarifications.c.published_at).where(clarifications.c.status == PUBLISHED)
            ).scalars()
            months = Counter(f"{d.astimezone(WIB):%Y-%m}" for d in dates if d is not None)
        return sorted(months.items(), reverse=True)

    def citing(self, release_id: int) -> list[Clarification]:
        """Published clarifications that cite this release, newest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(clarifications)
                .join(
                    clarification_releases,
                    clarification_releases.c.clarification_id == clarifications.c.id,
                )
                .where(
                    clarification_releases.c.release_id == release_id,
                    clarifications.c.status == PUBLISHED,
                )
                .order_by(clarifications.c.published_at.desc())
            ).all()
            return [self._load(conn, row) for row in rows]

    def cited_releases(self, release_ids: Iterable[int]) -> list[CitedRelease]:
        """Title, OPD and date of these archived releases, in the given order (unknown skipped)."""
        with self.engine.connect() as conn:
            return self._cited(conn, list(release_ids))

    def release_ids_for_urls(self, urls: Iterable[str]) -> dict[str, int]:
        """Archived release ids keyed by canonical URL (URLs not archived are left out)."""
        wanted = list(dict.fromkeys(urls))
        if not wanted:
            return {}
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(releases.c.url, releases.c.id).where(releases.c.url.in_(wanted))
            )
            return {row.url: row.id for row in rows}

    # Index bookkeeping, as for releases: flagged in the changing transaction, cleared after.

    def iter_index_pending(self) -> Iterator[Clarification]:
        """Clarifications whose change the search index has not taken yet."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(clarifications)
                .where(clarifications.c.needs_index.is_(True))
                .order_by(clarifications.c.id)
            ).all()
            loaded = [self._load(conn, row) for row in rows]
        yield from loaded

    def iter_published(self) -> Iterator[Clarification]:
        """Every published clarification, by id (for a full index rebuild)."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(clarifications)
                .where(clarifications.c.status == PUBLISHED)
                .order_by(clarifications.c.id)
            ).all()
            loaded = [self._load(conn, row) for row in rows]
        yield from loaded

    def mark_indexed(self, ids: Iterable[int]) -> None:
        """Clear the needs-index flag after the index committed these clarifications."""
        ids = list(ids)
        if ids:
            with self.engine.begin() as conn:
                conn.execute(
                    update(clarifications)
                    .where(clarifications.c.id.in_(ids))
                    .values(needs_index=False)
                )

    def count_clarifications(self) -> dict[str, int]:
        """How many clarifications per status."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(clarifications.c.status, func.count()).group_by(clarifications.c.status)
            ).all()
        return {status: count for status, count in rows}

    def load_published(
        self,
        data: ClarificationInput,
        *,
        slug: str,
        author: str,
        published_at: datetime,
        actor: str,
        at: datetime,
    ) -> bool:
        """Insert an already-published clarification (demo and imports); False if slug exists."""
        self._check(data)
        with self.engine.begin() as conn:
            if conn.execute(
                select(clarifications.c.id).where(clarifications.c.slug == slug)
            ).first():
                return False
            clarification_id = conn.execute(
                insert(clarifications).values(
                    slug=slug,
                    status=PUBLISHED,
                    author=author,
                    created_by=actor,
                    created_at=published_at,
                    updated_at=published_at,
                    published_at=published_at,
                    needs_index=True,
                    **self._content(data),
                )
            ).inserted_primary_key[0]
            self._set_releases(conn, clarification_id, data.release_ids)
            self._add_revision(conn, clarification_id, "publish", published_at, actor, "", data)
            _audit(conn, at, actor, "clarification.import", slug, id=clarification_id)
            return True

    # internals

    @staticmethod
    def _check(data: ClarificationInput) -> None:
        problems = data.validate()
        if problems:
            raise EditorialError(" ".join(problems))

    @staticmethod
    def _content(data: ClarificationInput) -> dict:
        return {
            "title": data.title.strip(),
            "rumour": data.rumour.strip(),
            "verdict": data.verdict,
            "summary": data.summary.strip(),
            "body": data.body.strip(),
            "seen_on": data.seen_on.strip(),
            "sightings": json.dumps(list(dict.fromkeys(data.sightings)), ensure_ascii=False),
        }

    @staticmethod
    def _free_slug(conn: Connection, base: str) -> str:
        slug, number = base, 1
        while conn.execute(
            select(clarifications.c.id).where(clarifications.c.slug == slug)
        ).first():
            number += 1
            slug = f"{base}-{number}"
        return slug

    @staticmethod
    def _row(conn: Connection, clarification_id: int):
        row = conn.execute(
            select(clarifications).where(clarifications.c.id == clarification_id)
        ).first()
        if row is None:
            raise EditorialError(f"no clarification with id {clarification_id}")
        return row

    @staticmethod
    def _set_releases(conn: Connection, clarification_id: int, release_ids: list[int]) -> None:
        conn.execute(
            delete(clarification_releases).where(
                clarification_releases.c.clarification_id == clarification_id
            )
        )
        wanted = list(dict.fromkeys(int(i) for i in release_ids))
        known = (
            set(conn.execute(select(releases.c.id).where(releases.c.id.in_(wanted))).scalars())
            if wanted
            else set()
        )
        missing = [i for i in wanted if i not in known]
        if missing:
            raise EditorialError(
                N_("Rilis tidak ada di arsip: %(ids)s", ids=", ".join(map(str, missing)))
            )
        for position, release_id in enumerate(wanted):
            conn.execute(
                insert(clarification_releases).values(
                    clarification_id=clarification_id, release_id=release_id, position=position
                )
            )

    @staticmethod
    def _add_revision(
        conn: Connection,
        clarification_id: int,
        kind: str,
        at: datetime,
        editor: str,
        note: str,
        data: ClarificationInput,
    ) -> None:
        number = next_number(
            conn,
            clarification_revisions.c.number,
            clarification_revisions.c.clarification_id == clarification_id,
        )
        conn.execute(
            insert(clarification_revisions).values(
                clarification_id=clarification_id,
                number=number,
                kind=kind,
                at=at,
                editor=editor,
                note=note.strip(),
                snapshot=json.dumps(data.snapshot(), ensure_ascii=False),
            )
        )

    @staticmethod
    def _load(conn: Connection, row) -> Clarification:
        release_ids = list(
            conn.execute(
                select(clarification_releases.c.release_id)
                .where(clarification_releases.c.clarification_id == row.id)
                .order_by(clarification_releases.c.position)
            ).scalars()
        )
        return Clarification(
            id=row.id,
            slug=row.slug,
            title=row.title,
            rumour=row.rumour,
            verdict=row.verdict,
            summary=row.summary,
            body=row.body,
            seen_on=row.seen_on,
            sightings=json.loads(row.sightings or "[]"),
            status=row.status,
            author=row.author,
            created_by=row.created_by,
            created_at=row.created_at,
            updated_at=row.updated_at,
            published_at=row.published_at,
            withdrawn_at=row.withdrawn_at,
            withdrawn_note=row.withdrawn_note,
            release_ids=release_ids,
        )

    @staticmethod
    def _cited(conn: Connection, release_ids: list[int]) -> list[CitedRelease]:
        if not release_ids:
            return []
        rows = conn.execute(
            select(
                releases.c.id,
                releases.c.url,
                releases.c.opd,
                releases.c.status,
                versions.c.title,
                versions.c.published,
            )
            .join(versions, versions.c.id == releases.c.current_version)
            .where(releases.c.id.in_(release_ids))
        ).all()
        found = {
            r.id: CitedRelease(r.id, r.url, r.title, r.opd, r.published, r.status) for r in rows
        }
        return [found[i] for i in release_ids if i in found]

    # -- rumour reports ------------------------------------------------------------------------

    def add_report(
        self,
        text: str,
        *,
        terms: Iterable[str],
        link: str = "",
        seen_on: str = "",
        at: datetime,
        threshold: float = 0.5,
        horizon: timedelta = timedelta(days=180),
        image: NewReportImage | None = None,
    ) -> tuple[int, bool]:
        """Store a report (with its image, if any) in the most similar recent group (Jaccard of
        terms >= threshold) or a new one; return (group id, True when the group is new)."""
        wanted = sorted(set(terms))
        with self.engine.begin() as conn:
            best_id, best_score = None, 0.0
            candidates = conn.execute(
                select(report_groups.c.id, report_groups.c.terms).where(
                    report_groups.c.last_seen >= at - horizon
                )
            )
            for row in candidates:
                score = jaccard(wanted, json.loads(row.terms))
                if score > best_score:
                    best_id, best_score = row.id, score
            created = best_id is None or best_score < threshold or not wanted
            if created:
                group_id = conn.execute(
                    insert(report_groups).values(
                        text=text,
                        terms=json.dumps(wanted, ensure_ascii=False),
                        status=OPEN,
                        reports=1,
                        first_seen=at,
                        last_seen=at,
                    )
                ).inserted_primary_key[0]
            else:
                group_id = best_id
                conn.execute(
                    update(report_groups)
                    .where(report_groups.c.id == group_id)
                    .values(reports=report_groups.c.reports + 1, last_seen=at)
                )
            report_id = conn.execute(
                insert(reports).values(
                    group_id=group_id, text=text, link=link, seen_on=seen_on, created_at=at
                )
            ).inserted_primary_key[0]
            if image is not None:
                add_image(conn, report_id, image, at=at)
            return group_id, created

    def find_report_image(self, token: str) -> tuple[str, bytes] | None:
        """(media type, bytes) of the report image with this token, or None."""
        with self.engine.connect() as conn:
            return find_image_data(conn, token)

    def list_report_groups(
        self, *, status: str | None = OPEN, limit: int = 50, offset: int = 0
    ) -> tuple[int, list[ReportGroup]]:
        """Report groups, most recently reported first, with their links and places; and total."""
        conditions = [report_groups.c.status == status] if status else []
        with self.engine.connect() as conn:
            total = conn.execute(
                select(func.count()).select_from(report_groups).where(*conditions)
            ).scalar_one()
            rows = conn.execute(
                select(report_groups)
                .where(*conditions)
                .order_by(report_groups.c.last_seen.desc(), report_groups.c.id.desc())
                .limit(limit)
                .offset(offset)
            ).all()
            groups = [_from_row(ReportGroup, row) for row in rows]
            for group in groups:
                self._fill_group(conn, group, members=False)
        return total, groups

    def get_report_group(self, group_id: int) -> ReportGroup | None:
        """One group with all its reports (oldest first), or None."""
        with self.engine.connect() as conn:
            row = conn.execute(select(report_groups).where(report_groups.c.id == group_id)).first()
            if row is None:
                return None
            group = _from_row(ReportGroup, row)
            self._fill_group(conn, group, members=True)
            return group

    def set_report_group_status(
        self, group_id: int, status: str, *, actor: str, at: datetime
    ) -> None:
        """Mark a group handled or open again. Audited."""
        if status not in (OPEN, HANDLED):
            raise EditorialError(f"status must be {OPEN} or {HANDLED}")
        handled = status == HANDLED
        with self.engine.begin() as conn:
            result = conn.execute(
                update(report_groups)
                .where(report_groups.c.id == group_id)
                .values(
                    status=status,
                    handled_at=at if handled else None,
                    handled_by=actor if handled else None,
                )
            )
            if result.rowcount == 0:
                raise EditorialError(f"no report group {group_id}")
            _audit(conn, at, actor, f"reports.{status}", f"group {group_id}")

    def count_report_groups(self) -> dict[str, int]:
        """How many report groups per status."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(report_groups.c.status, func.count()).group_by(report_groups.c.status)
            ).all()
        return {status: count for status, count in rows}

    @staticmethod
    def _fill_group(conn: Connection, group: ReportGroup, *, members: bool) -> None:
        rows = conn.execute(
            select(reports).where(reports.c.group_id == group.id).order_by(reports.c.id)
        ).all()
        group.links = list(dict.fromkeys(r.link for r in rows if r.link))[:20]
        group.places = Counter(r.seen_on for r in rows if r.seen_on).most_common()
        if members:
            group.members = [_from_row(Report, r) for r in rows]
            images = images_of(conn, [r.id for r in rows])
            for member in group.members:
                member.image = images.get(member.id)


def utcnow() -> datetime:
    """The current time, aware UTC (the default clock)."""
    return datetime.now(UTC)
