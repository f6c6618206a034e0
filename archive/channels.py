"""The registry of the city's official channels: phone and WhatsApp numbers, e-mail addresses,
web hosts and social-media accounts, each with its owner (the OPD or office) and, where known,
the archived release that states it.

Rows come from two places: `verify.harvest` harvests what stored releases state (the release is
the row's source), and staff add, edit and deactivate rows on the admin pages. A (kind, value)
pair is stored once, so a harvest never overwrites what staff wrote or brings back a channel
they deactivated. Every change writes its audit entry in the same transaction.

Values are stored normalised, so that the claim check (`verify.channels`) compares like with
like: phone numbers as ``+62...`` (short service numbers such as ``112`` as they are), hosts in
lower case without ``www.``, e-mail addresses in lower case, account names in lower case without
``@``. The normalising functions live here because they are the rule for what is stored; the
checker uses the same ones on what it finds in a message.

A new module rather than more of `archive.editorial`: `Archive` creates missing tables on start,
so existing databases gain this one without a migration step.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Engine

from archive.editorial import EditorialError, _audit, _from_row
from archive.messages import N_
from archive.tables import UTCDateTime, metadata

# The kinds of channel, in the order the pages list them. "social" is an account whose platform
# the stating text does not name ("akun media sosial resmi @dishubmalangkota").
KINDS = (
    "phone", "whatsapp", "email", "web", "instagram", "x", "facebook", "youtube", "tiktok",
    "social",
)  # fmt: skip
KIND_LABELS = {
    "phone": N_("Telepon"),
    "whatsapp": "WhatsApp",
    "email": N_("E-mail"),
    "web": N_("Situs web"),
    "instagram": "Instagram",
    "x": "X (Twitter)",
    "facebook": "Facebook",
    "youtube": "YouTube",
    "tiktok": "TikTok",
    "social": N_("Akun media sosial (platform tidak disebut)"),
}
PHONE_KINDS = ("phone", "whatsapp")
SOCIAL_KINDS = ("instagram", "x", "facebook", "youtube", "tiktok", "social")
# The city's own domain: every host under it is the city's (README, "the fetcher").
CITY_DOMAIN = "malangkota.go.id"
CITY_OWNER = "Pemerintah Kota Malang"
HARVEST_ACTOR = "harvest"

MAX_VALUE = 200
MAX_OWNER = 300
MAX_NOTE = 1000
MAX_URL = 1000

official_channels = Table(
    "official_channels",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False),
    Column("value", String(MAX_VALUE), nullable=False),  # normalised, see the module docstring
    Column("owner", String(MAX_OWNER), nullable=False),  # the OPD or office it belongs to
    Column("note", Text, nullable=False, default=""),  # e.g. the sentence that states it
    Column("source_release_id", ForeignKey("releases.id"), nullable=True),
    Column("source_url", String(MAX_URL), nullable=False, default=""),
    Column("added_by", String(100), nullable=False),  # a username, "harvest", "demo" or "cli"
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_official_channels_kind_value", "kind", "value", unique=True),
)


# -- normalising ---------------------------------------------------------------------------------

_HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}[a-z0-9]")
_HANDLE = re.compile(r"[a-z0-9._-]{1,64}")
_EMAIL_LOCAL = re.compile(r"[a-z0-9._%+-]{1,64}")
# Profile addresses of the platforms: host -> kind (a staff member may paste the profile link).
PLATFORM_HOSTS = {
    "instagram.com": "instagram",
    "x.com": "x",
    "twitter.com": "x",
    "facebook.com": "facebook",
    "fb.com": "facebook",
    "youtube.com": "youtube",
    "tiktok.com": "tiktok",
}


def normalise_phone(text: str) -> str | None:
    """``+62...`` for an Indonesian number in any usual spelling ("0821-3193-9177",
    "(0341) 751550", "+62 812 ..."); a short service number ("112", "119") as its digits;
    None when it is neither."""
    digits = re.sub(r"\D", "", text or "")
    if 3 <= len(digits) <= 6 and not digits.startswith(("0", "62")):
        return digits
    if digits.startswith("62"):
        rest = digits[2:]
    elif digits.startswith("0"):
        rest = digits[1:]
    else:
        return None
    if not 7 <= len(rest) <= 13 or rest.startswith("0"):
        return None
    return "+62" + rest


def display_phone(value: str) -> str:
    """A stored phone number the way people in Malang write it: "082131939177", "112"."""
    return "0" + value[3:] if value.startswith("+62") else value


def normalise_host(text: str) -> str | None:
    """The host of a link or a bare host name, lower case, without ``www.``; None if invalid."""
    text = unicodedata.normalize("NFKC", (text or "").strip()).lower()
    if not text:
        return None
    if "://" not in text:
        text = "http://" + text
    try:
        host = urlsplit(text).hostname or ""
    except ValueError:
        return None
    host = host.rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    if len(host) > 253 or not _HOST.fullmatch(host):
        return None
    return host


def normalise_email(text: str) -> str | None:
    """An e-mail address in lower case (``mailto:`` dropped); None if it is not one."""
    text = unicodedata.normalize("NFKC", (text or "").strip()).lower()
    text = text.removeprefix("mailto:")
    local, at, domain = text.rpartition("@")
    if not at or not _EMAIL_LOCAL.fullmatch(local) or local.startswith("."):
        return None
    host = normalise_host(domain)
    if host is None or host != domain.rstrip("."):
        return None
    return f"{local}@{host}"


def normalise_handle(text: str) -> str | None:
    """An account name in lower case without ``@`` (also from a profile link); None if invalid."""
    text = unicodedata.normalize("NFKC", (text or "").strip())
    if "/" in text:
        host = normalise_host(text)
        if host is None or host.removeprefix("m.") not in PLATFORM_HOSTS:
            return None
        path = urlsplit(text if "://" in text else "https://" + text).path
        text = next((part for part in path.split("/") if part), "")
    text = text.lstrip("@").lower().rstrip(".")
    return text if _HANDLE.fullmatch(text) and text.strip("._-") else None


def normalise(kind: str, text: str) -> str | None:
    """The stored form of `text` as a channel of `kind`; None when it is not a valid one."""
    if kind in PHONE_KINDS:
        return normalise_phone(text)
    if kind == "email":
        return normalise_email(text)
    if kind == "web":
        return normalise_host(text)
    if kind in SOCIAL_KINDS:
        return normalise_handle(text)
    return None


def display(kind: str, value: str) -> str:
    """How a stored value is shown: phones the local way, accounts with ``@``."""
    if kind in PHONE_KINDS:
        return display_phone(value)
    if kind in SOCIAL_KINDS:
        return "@" + value
    return value


def under(host: str, domain: str) -> bool:
    """Whether `host` is `domain` or one of its subdomains."""
    return host == domain or host.endswith("." + domain)


# -- records -------------------------------------------------------------------------------------


@dataclass
class ChannelInput:
    """What staff write (or the harvest proposes); `validate()` before anything is stored."""

    kind: str
    value: str
    owner: str
    source_url: str = ""
    note: str = ""

    def validate(self) -> list[str]:
        """The problems, in Indonesian for the form (empty when all is well)."""
        problems: list[str] = []
        if self.kind not in KINDS:
            problems.append(N_("Pilih jenis kanal."))
        elif not self.value.strip():
            problems.append(N_("Isi nomor, alamat atau nama akun."))
        elif len(self.value) > MAX_VALUE or normalise(self.kind, self.value) is None:
            problems.append(
                N_("“%(value)s” bukan %(kind)s yang valid.", value=self.value[:80],
                   kind=KIND_LABELS[self.kind])
            )  # fmt: skip
        if not self.owner.strip():
            problems.append(N_("Isi pemilik kanal (perangkat daerah atau jabatan)."))
        elif len(self.owner) > MAX_OWNER:
            problems.append(N_("Pemilik paling banyak %(most)s karakter.", most=MAX_OWNER))
        if self.source_url and (
            len(self.source_url) > MAX_URL or not re.match(r"https?://[^\s/]+", self.source_url)
        ):
            problems.append(N_("Tautan sumber tidak valid: %(url)s", url=self.source_url[:80]))
        if len(self.note) > MAX_NOTE:
            problems.append(N_("Catatan paling banyak %(most)s karakter.", most=MAX_NOTE))
        return problems

    @property
    def normalised(self) -> str:
        """The value as it is stored ("" when invalid)."""
        return normalise(self.kind, self.value) or ""


@dataclass
class Channel:
    """An official channel as stored."""

    id: int
    kind: str
    value: str
    owner: str
    note: str
    source_release_id: int | None
    source_url: str
    added_by: str
    active: bool
    created_at: datetime
    updated_at: datetime

    @property
    def shown(self) -> str:
        """The value as pages show it."""
        return display(self.kind, self.value)

    def as_input(self) -> ChannelInput:
        """The editable content of this channel."""
        return ChannelInput(self.kind, self.shown, self.owner, self.source_url, self.note)


@dataclass(frozen=True)
class Proposal:
    """A channel a release states, as the harvest found it."""

    kind: str
    value: str  # normalised
    owner: str
    release_id: int
    release_url: str
    evidence: str  # the sentence (or "published here") that states it


# -- the store -----------------------------------------------------------------------------------


class ChannelStore:
    """The official channels on the archive's database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def list_channels(
        self, *, kind: str | None = None, active: bool | None = None
    ) -> list[Channel]:
        """Channels in the order of `KINDS`, then by owner and value."""
        conditions = []
        if kind:
            conditions.append(official_channels.c.kind == kind)
        if active is not None:
            conditions.append(official_channels.c.active.is_(active))
        with self.engine.connect() as conn:
            rows = conn.execute(select(official_channels).where(*conditions)).all()
        items = [_from_row(Channel, row) for row in rows]
        order = {k: i for i, k in enumerate(KINDS)}
        return sorted(items, key=lambda c: (order.get(c.kind, 99), c.owner.lower(), c.value))

    def get(self, channel_id: int) -> Channel | None:
        """The channel with that id, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(official_channels).where(official_channels.c.id == channel_id)
            ).first()
        return _from_row(Channel, row) if row else None

    def counts(self) -> dict[str, dict[str, int]]:
        """Per kind: how many channels are active and how many deactivated."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(official_channels.c.kind, official_channels.c.active, func.count())
                .group_by(official_channels.c.kind, official_channels.c.active)
            ).all()  # fmt: skip
        counts: dict[str, dict[str, int]] = {}
        for kind, active, number in rows:
            counts.setdefault(kind, {"active": 0, "inactive": 0})[
                "active" if active else "inactive"
            ] += number
        return counts

    def add(
        self,
        data: ChannelInput,
        *,
        actor: str,
        at: datetime,
        source_release_id: int | None = None,
    ) -> int:
        """Store a new active channel and return its id; EditorialError if invalid or known."""
        self._check(data)
        value = data.normalised
        with self.engine.begin() as conn:
            if self._find(conn, data.kind, value) is not None:
                raise EditorialError(
                    N_("%(value)s sudah ada di daftar kanal.", value=display(data.kind, value))
                )
            channel_id = conn.execute(
                insert(official_channels).values(
                    kind=data.kind,
                    value=value,
                    owner=data.owner.strip(),
                    note=data.note.strip(),
                    source_release_id=source_release_id,
                    source_url=data.source_url.strip(),
                    added_by=actor,
                    active=True,
                    created_at=at,
                    updated_at=at,
                )
            ).inserted_primary_key[0]
            _audit(conn, at, actor, "channel.create", f"{data.kind} {value}", id=channel_id,
                   owner=data.owner.strip())  # fmt: skip
            return channel_id

    def update(
        self,
        channel_id: int,
        data: ChannelInput,
        *,
        actor: str,
        at: datetime,
        source_release_id: int | None = None,
    ) -> Channel:
        """Change a channel's kind, value, owner, source or note. Audited."""
        self._check(data)
        value = data.normalised
        with self.engine.begin() as conn:
            row = conn.execute(
                select(official_channels).where(official_channels.c.id == channel_id)
            ).first()
            if row is None:
                raise EditorialError(N_("Kanal tidak ditemukan."))
            twin = self._find(conn, data.kind, value)
            if twin is not None and twin != channel_id:
                raise EditorialError(
                    N_("%(value)s sudah ada di daftar kanal.", value=display(data.kind, value))
                )
            changes = {
                "kind": data.kind,
                "value": value,
                "owner": data.owner.strip(),
                "note": data.note.strip(),
                "source_url": data.source_url.strip(),
                "source_release_id": source_release_id,
            }
            changed = {k: v for k, v in changes.items() if row._mapping[k] != v}
            if changed:
                conn.execute(
                    update(official_channels)
                    .where(official_channels.c.id == channel_id)
                    .values(updated_at=at, **changed)
                )
                _audit(conn, at, actor, "channel.edit", f"{data.kind} {value}", id=channel_id,
                       **{k: v for k, v in changed.items() if k != "note"})  # fmt: skip
        return self.get(channel_id)

    def set_active(self, channel_id: int, active: bool, *, actor: str, at: datetime) -> Channel:
        """Deactivate a channel (no longer official) or activate it again. Audited."""
        with self.engine.begin() as conn:
            row = conn.execute(
                select(official_channels).where(official_channels.c.id == channel_id)
            ).first()
            if row is None:
                raise EditorialError(N_("Kanal tidak ditemukan."))
            if row.active != active:
                conn.execute(
                    update(official_channels)
                    .where(official_channels.c.id == channel_id)
                    .values(active=active, updated_at=at)
                )
                action = "channel.activate" if active else "channel.deactivate"
                _audit(conn, at, actor, action, f"{row.kind} {row.value}", id=channel_id)
        return self.get(channel_id)

    def record_harvest(
        self, proposals: list[Proposal], *, actor: str = HARVEST_ACTOR, at: datetime
    ) -> tuple[int, int]:
        """Add the proposed channels not yet in the registry (in any state), each with its
        release as the source; returns (added, already known). One audit entry for the run."""
        added = known = 0
        with self.engine.begin() as conn:
            for proposal in proposals:
                if self._find(conn, proposal.kind, proposal.value) is not None:
                    known += 1
                    continue
                conn.execute(
                    insert(official_channels).values(
                        kind=proposal.kind,
                        value=proposal.value,
                        owner=proposal.owner[:MAX_OWNER],
                        note=proposal.evidence[:MAX_NOTE],
                        source_release_id=proposal.release_id,
                        source_url=proposal.release_url[:MAX_URL],
                        added_by=actor,
                        active=True,
                        created_at=at,
                        updated_at=at,
                    )
                )
                added += 1
            if added:
                _audit(conn, at, actor, "channels.harvest", "", added=added, known=known)
        return added, known

    @staticmethod
    def _check(data: ChannelInput) -> None:
        problems = data.validate()
        if problems:
            raise EditorialError(problems[0] if len(problems) == 1 else " ".join(problems))

    @staticmethod
    def _find(conn, kind: str, value: str) -> int | None:
        return conn.execute(
            select(official_channels.c.id).where(
                official_channels.c.kind == kind, official_channels.c.value == value
            )
        ).scalar()
