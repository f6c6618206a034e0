"""Remarks on the channels a message names: is this number, link, e-mail address or account one
of the city's official channels, one made to look like one, or unknown; and does the message ask
for money on behalf of an official, the impersonation pattern the city keeps warning about.

The registry of official channels is handed in as a plain `Registry` (the web layer loads it from
`archive.channels`); nothing here reads the database. `recognise` reads the message as pasted,
before `verify.normalise` removes its links, and returns one `ChannelRemark` per contact
(`verify.contacts`) and, first, one for the impersonation pattern when it is there:

- **official**: the value is in the registry (a host also when it lies under an official one, an
  e-mail address also on an official domain); the remark names the owner.
- **lookalike**: not official, but made to look so, with the official channel it imitates beside
  it. Hosts: the official name put in front of another domain ("malangkota.go.id.example.com"),
  or before an "@" in a link; a dot swapped for a hyphen ("malangkota-go.id"); letters that look
  alike ("rnalangkota.go.id", a Cyrillic "а", "0" for "o", "1" for "l"); a slip of one or two
  letters; the official name inside another domain ("bansos-malangkota.com"). Numbers: one or
  two digits off an official number. Accounts: the same tricks on an official account's name,
  an official account's name with words added, an official's or an agency's name on an account
  that is not registered. E-mail: a look-alike domain, or a free-mail address (Gmail, Yahoo ...)
  with an agency's or an official's name.
- **unknown**: not in the registry and not resembling it; the official channel of the same kind
  (of an agency the message names, or the city's) is shown beside it.
- **impersonation**: a request for money (transfer, rekening, setoran, pulsa; donasi, sumbangan
  or bantuan dana when asked for) together with an official's role or name, or with a number that
  is not official. The remark cites the city's own warnings about such messages when the archive
  has them, found through the search index.

A remark is never a verdict: the verdict of the check comes from the releases and published
clarifications only (`verify.check`). Remarks are `archive.messages.Message`s, so the page can say
them in the reader's language; the API and the reply keep the Indonesian.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any, Protocol

from archive.channels import (
    CITY_DOMAIN,
    CITY_OWNER,
    PHONE_KINDS,
    SOCIAL_KINDS,
    display,
    display_phone,
    under,
)
from archive.messages import N_, Message
from index.names import AGENCIES
from index.retrieve import retrieve
from index.store import WIB, SearchIndex
from verify.contacts import Contact, find_contacts
from verify.facts import extract_roles
from verify.offices import load_terms, office_title

log = logging.getLogger(__name__)

OFFICIAL, UNKNOWN, LOOKALIKE, IMPERSONATION = "official", "unknown", "lookalike", "impersonation"
BESIDE = 2  # official channels shown beside a remark
WARNINGS = 3  # the city's warnings cited for the impersonation pattern
PLATFORM_NAMES = {
    "instagram": "Instagram",
    "x": "X (Twitter)",
    "facebook": "Facebook",
    "youtube": "YouTube",
    "tiktok": "TikTok",
    "social": "media sosial",
}
FREE_MAIL = frozenset(
    """gmail.com googlemail.com yahoo.com yahoo.co.id ymail.com rocketmail.com hotmail.com
    outlook.com outlook.co.id live.com msn.com icloud.com me.com aol.com proton.me protonmail.com
    mail.com gmx.com yandex.com zoho.com""".split()
)
SHORTENERS = frozenset(
    """bit.ly s.id tinyurl.com t.ly cutt.ly shorturl.at rebrand.ly is.gd ow.ly t.co goo.gl
    rb.gy tiny.cc linktr.ee lnk.bio""".split()
)
# Second-level suffixes under which the label before names the owner ("malangkota" in
# "dishub.malangkota.go.id").
_SUFFIXES = ("go.id", "co.id", "ac.id", "or.id", "sch.id", "web.id", "my.id", "net.id", "mil.id",
             "desa.id", "biz.id")  # fmt: skip
# Look-alike characters and sequences, folded to the letter they imitate.
_CONFUSABLES = str.maketrans(
    {"а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j",
     "ӏ": "l", "ԁ": "d", "ѕ": "s", "ո": "n", "ı": "i", "0": "o", "1": "l", "i": "l", "|": "l"}
)  # fmt: skip
_SEQUENCES = (("rn", "m"), ("vv", "w"), ("cl", "d"))
_SEPARATORS = re.compile(r"[.\-_]")
# Host look-alike reasons, the most telling first.
HOST_REASONS = ("userinfo", "subdomain", "separator", "homoglyph", "typo", "name")

# -- the money request of the impersonation pattern ------------------------------------------
_MONEY = re.compile(
    r"\b(?:transfer(?:an|kan)?|tf|trf|ditransfer|mentransfer|rekening|no\.?\s?rek|norek"
    r"|kirim(?:kan|in)?\s+(?:uang|dana|pulsa|saldo)|isi(?:kan)?\s+pulsa|minta\s+pulsa"
    r"|setor(?:an|kan)?|menyetor|(?:meng|peng)?galang(?:an)?\s+dana)\b",
    re.IGNORECASE,
)
_GIFT = re.compile(
    r"\b(?:donasi|sumbangan|menyumbang|sumbang(?:kan)?|bantuan\s+dana|kontribusi"
    r"|(?:biaya|uang)\s+administrasi|infa[kq])\b",
    re.IGNORECASE,
)
_ASK = re.compile(
    r"\b(?:minta|meminta|mohon|diminta|dimohon|tolong|harap|butuh|membutuhkan|segera"
    r"|silakan|silahkan|wajib|harus|ayo|mari|bantu|partisipasi|kirim)\b",
    re.IGNORECASE,
)
# Roles whose holders' names are used to ask for money (verify.facts.ROLES values).
OFFICIAL_ROLES = frozenset(
    {
        "wali kota", "pj wali kota", "wakil wali kota", "sekretaris daerah", "kepala dinas",
        "kepala badan", "kepala bagian", "kepala bidang", "kepala seksi", "kepala upt",
        "kepala pelaksana", "sekretaris dinas", "direktur utama", "camat", "lurah",
    }
)  # fmt: skip
# A release is a warning about impersonation when its title warns and its text describes one.
_WARNING_TITLE = re.compile(
    r"palsu|penipu|mencatut|mengatasnamakan|waspada|bukan resmi|catut", re.IGNORECASE
)
_IMPERSONATING = re.compile(
    r"mengatasnamakan|mencatut|catut|memakai nama|atas nama saya|mengaku sebagai"
    r"|akun (?:\w+ )?palsu|nomor (?:\w+ )?palsu|bukan milik",
    re.IGNORECASE,
)
_WARNING_QUERY = "waspada akun nomor palsu mengatasnamakan mencatut nama minta uang transfer"


class ChannelLike(Protocol):
    """What the registry needs of a stored channel (`archive.channels.Channel` has it)."""

    kind: str
    value: str
    owner: str
    source_url: str


@dataclass(frozen=True)
class Official:
    """An official channel, as a remark shows it beside what the message names."""

    kind: str
    value: str
    owner: str
    source_url: str = ""

    @property
    def shown(self) -> str:
        """The value as people write it ("082131939177", "@pemkotmalang")."""
        return display(self.kind, self.value)

    def to_json(self) -> dict[str, str]:
        """JSON-ready fields."""
        return {
            "kind": self.kind,
            "value": self.value,
            "shown": self.shown,
            "owner": self.owner,
            "source_url": self.source_url,
        }


@dataclass(frozen=True)
class Warning:
    """A release in which the city warns about messages impersonating its officials."""

    release_id: str
    url: str
    title: str
    opd: str
    published: datetime | None

    def to_json(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return {
            "release_id": self.release_id,
            "url": self.url,
            "title": self.title,
            "opd": self.opd,
            "published": self.published.astimezone(WIB).isoformat() if self.published else None,
        }


@dataclass
class ChannelRemark:
    """What the check says about one channel in the message, or about the money request.

    status: official, lookalike, unknown or impersonation. kind: phone, whatsapp, email, web,
    account or request. found: as the message writes it. value: normalised. reason: why a
    look-alike looks alike (see HOST_REASONS; "similar", "platform", "official_name",
    "freemail"), "shortener" for a link shortener, "" otherwise. official: the official channels
    beside it; warnings: the city's releases warning about the pattern.
    """

    status: str
    kind: str
    found: str
    value: str
    message: Message
    reason: str = ""
    platform: str = ""
    official: list[Official] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready fields (the message in Indonesian)."""
        return {
            "status": self.status,
            "kind": self.kind,
            "found": self.found,
            "value": self.value,
            "reason": self.reason,
            "platform": self.platform,
            "message": str(self.message),
            "official": [o.to_json() for o in self.official],
            "warnings": [w.to_json() for w in self.warnings],
        }


class Registry:
    """The active official channels, indexed for lookups; a plain object, built by the caller."""

    def __init__(self, channels: Iterable[ChannelLike] = ()) -> None:
        self.channels = [
            Official(c.kind, c.value, c.owner, getattr(c, "source_url", "") or "") for c in channels
        ]
        self.phones: dict[str, list[Official]] = {}
        self.handles: dict[str, list[Official]] = {}
        self.emails: dict[str, Official] = {}
        self.hosts: list[Official] = []
        for channel in self.channels:
            if channel.kind in PHONE_KINDS:
                self.phones.setdefault(channel.value, []).append(channel)
            elif channel.kind in SOCIAL_KINDS:
                self.handles.setdefault(channel.value, []).append(channel)
            elif channel.kind == "email":
                self.emails[channel.value] = channel
            elif channel.kind == "web":
                self.hosts.append(channel)
        # The most specific host first: "dishub.malangkota.go.id" before "malangkota.go.id".
        self.hosts.sort(key=lambda c: len(c.value), reverse=True)

    def __len__(self) -> int:
        return len(self.channels)

    def host(self, host: str) -> Official | None:
        """The official host `host` is or lies under (the most specific), or None."""
        return next((c for c in self.hosts if under(host, c.value)), None)

    def of_kinds(self, kinds: Iterable[str]) -> list[Official]:
        """Every channel of these kinds."""
        wanted = set(kinds)
        return [c for c in self.channels if c.kind in wanted]


# -- recognition ---------------------------------------------------------------------------------


def recognise(
    text: str, registry: Registry, index: SearchIndex | None = None
) -> list[ChannelRemark]:
    """Remarks on the channels in `text` and on the impersonation pattern (see the module
    docstring); the city's warnings are looked up in `index` when one is given."""
    contacts = find_contacts(text)
    owners = _owners_named(text)
    remarks = [_remark(contact, registry, owners) for contact in contacts]
    pattern = _impersonation(text, remarks, registry, index, owners)
    return ([pattern] if pattern else []) + remarks


def _remark(contact: Contact, registry: Registry, owners: list[str]) -> ChannelRemark:
    if contact.kind == "phone":
        return _phone(contact, registry, owners)
    if contact.kind == "email":
        return _email(contact, registry, owners)
    if contact.kind == "web":
        return _web(contact, registry, owners)
    return _account(contact, registry, owners)


def _phone(contact: Contact, registry: Registry, owners: list[str]) -> ChannelRemark:
    kind = "whatsapp" if contact.platform == "whatsapp" else "phone"
    number = display_phone(contact.value) if "/" in contact.text else contact.text
    found = registry.phones.get(contact.value, [])
    if found:
        best = next((c for c in found if c.kind == kind), found[0])
        message = N_("Nomor %(number)s tercatat sebagai kanal resmi %(owner)s.",
                     number=number, owner=best.owner)  # fmt: skip
        return _made(OFFICIAL, kind, contact, message, official=[best])
    similar = _similar_number(contact.value, registry)
    if similar is not None:
        message = N_(
            "Nomor %(number)s mirip nomor resmi %(official)s milik %(owner)s, tetapi tidak sama. "
            "Nomor ini tidak ada dalam daftar kanal resmi.",
            number=number, official=similar.shown, owner=similar.owner,
        )  # fmt: skip
        return _made(LOOKALIKE, kind, contact, message, "similar", [similar])
    if kind == "whatsapp":
        message = N_("Nomor WhatsApp %(number)s tidak ada dalam daftar kanal resmi Pemkot Malang.",
                     number=number)  # fmt: skip
    else:
        message = N_("Nomor %(number)s tidak ada dalam daftar kanal resmi Pemkot Malang.",
                     number=number)  # fmt: skip
    beside = _beside(registry, PHONE_KINDS, owners)
    return _made(UNKNOWN, kind, contact, message, official=beside)


def _similar_number(value: str, registry: Registry) -> Official | None:
    """An official number one or two digits off `value` (long numbers only)."""
    if not value.startswith("+62"):
        return None
    for official, channels in registry.phones.items():
        if len(official) == len(value) and len(value) >= 11:
            if sum(a != b for a, b in zip(official, value, strict=True)) <= 2:
                return channels[0]
    return None


def _web(contact: Contact, registry: Registry, owners: list[str]) -> ChannelRemark:
    host = contact.value
    decoy = _decoy(contact.userinfo, registry)
    if decoy is not None:
        message = N_(
            "Tautan ini menyelipkan nama situs resmi %(official)s, tetapi sebenarnya membuka "
            "%(host)s, yang bukan situs resmi.",
            official=decoy.value, host=host,
        )  # fmt: skip
        return _made(LOOKALIKE, "web", contact, message, "userinfo", [decoy])
    official = registry.host(host)
    if official is not None:
        if host == official.value:
            message = N_("%(host)s tercatat sebagai situs resmi %(owner)s.", host=host,
                         owner=official.owner)  # fmt: skip
        else:
            message = N_("%(host)s berada di bawah domain resmi %(domain)s (%(owner)s).",
                         host=host, domain=official.value, owner=official.owner)  # fmt: skip
        return _made(OFFICIAL, "web", contact, message, official=[official])
    reason, imitated = _resembles_host(host, registry.hosts)
    if imitated is not None:
        return _made(LOOKALIKE, "web", contact, _host_message(reason, host, imitated), reason,
                     [imitated])  # fmt: skip
    beside = _beside(registry, ("web",), owners)
    if host in SHORTENERS:
        message = N_(
            "%(host)s adalah tautan pendek: alamat tujuannya tersembunyi. Tautan ini tidak ada "
            "dalam daftar kanal resmi; buka situs resmi secara langsung.",
            host=host,
        )
        return _made(UNKNOWN, "web", contact, message, "shortener", beside)
    message = N_("Situs %(host)s tidak ada dalam daftar kanal resmi Pemkot Malang.", host=host)
    return _made(UNKNOWN, "web", contact, message, official=beside)


def _host_message(reason: str, host: str, imitated: Official) -> Message:
    official = imitated.value
    if reason == "subdomain":
        return N_(
            "%(host)s hanya menempelkan nama situs resmi %(official)s di depan alamat lain; "
            "ini bukan situs resmi.",
            host=host, official=official,
        )  # fmt: skip
    if reason == "separator":
        return N_(
            "%(host)s meniru situs resmi %(official)s dengan mengganti titik atau tanda hubung; "
            "ini bukan situs resmi.",
            host=host, official=official,
        )  # fmt: skip
    if reason == "homoglyph":
        return N_(
            "%(host)s meniru situs resmi %(official)s dengan huruf yang mirip (misalnya “rn” "
            "untuk “m”); ini bukan situs resmi.",
            host=host, official=official,
        )  # fmt: skip
    if reason == "typo":
        return N_(
            "%(host)s hanya berbeda sedikit ejaannya dari situs resmi %(official)s; ini bukan "
            "situs resmi.",
            host=host, official=official,
        )  # fmt: skip
    return N_(
        "%(host)s memakai nama situs resmi %(official)s, tetapi tidak berada di bawah domain "
        "resminya; ini bukan situs resmi.",
        host=host, official=official,
    )  # fmt: skip


def _decoy(userinfo: str, registry: Registry) -> Official | None:
    """The official host a link puts before "@" in its address, if any."""
    if not userinfo:
        return None
    bare = userinfo.split(":")[0].removeprefix("www.")
    return registry.host(bare) or next((c for c in registry.hosts if c.value in userinfo), None)


def _resembles_host(host: str, officials: list[Official]) -> tuple[str, Official | None]:
    """The most telling way `host` imitates an official host, and that host."""
    best: tuple[int, int, Official] | None = None
    for official in officials:
        reason = host_reason(host, official.value)
        if reason:
            # the most specific official host, except for a name: the domain it names
            length = len(official.value) if reason == "name" else -len(official.value)
            rank = (HOST_REASONS.index(reason), length)
            if best is None or rank < best[:2]:
                best = (*rank, official)
    if best is None:
        return "", None
    return HOST_REASONS[best[0]], best[2]


def host_reason(host: str, official: str) -> str:
    """How `host` (not under `official`) imitates `official`: "subdomain", "separator",
    "homoglyph", "typo", "name", or "" when it does not."""
    if under(host, official):
        return ""
    if host.startswith(official + ".") or f".{official}." in f".{host}":
        return "subdomain"
    if _bare(host) == _bare(official):
        return "separator"
    mine, theirs = skeleton(host), skeleton(official)
    if mine == theirs:
        return "homoglyph"
    if edit_distance(mine, theirs, 2) <= (1 if len(theirs) <= 8 else 2):
        return "typo"
    name = registrable_name(official)
    if len(name) >= 5 and skeleton(name) in mine:
        return "name"
    return ""


def registrable_name(host: str) -> str:
    """The label that names a domain's owner: "malangkota" in "dishub.malangkota.go.id"."""
    labels = host.split(".")
    suffix = 2 if any(host.endswith("." + s) for s in _SUFFIXES) else 1
    return labels[-suffix - 1] if len(labels) > suffix else labels[0]


def _email(contact: Contact, registry: Registry, owners: list[str]) -> ChannelRemark:
    address = contact.value
    local, _, domain = address.rpartition("@")
    registered = registry.emails.get(address)
    if registered is not None:
        message = N_("Alamat e-mail %(address)s tercatat sebagai kanal resmi %(owner)s.",
                     address=address, owner=registered.owner)  # fmt: skip
        return _made(OFFICIAL, "email", contact, message, official=[registered])
    official = registry.host(domain)
    if official is not None:
        message = N_(
            "Alamat e-mail %(address)s memakai domain resmi %(domain)s (%(owner)s), tetapi alamat "
            "ini sendiri tidak tercatat di daftar kanal resmi.",
            address=address, domain=official.value, owner=official.owner,
        )  # fmt: skip
        return _made(OFFICIAL, "email", contact, message, "official_domain", [official])
    reason, imitated = _resembles_host(domain, registry.hosts)
    if imitated is not None:
        message = N_(
            "Alamat e-mail %(address)s memakai domain %(domain)s yang meniru situs resmi "
            "%(official)s; alamat ini bukan kanal resmi.",
            address=address, domain=domain, official=imitated.value,
        )  # fmt: skip
        return _made(LOOKALIKE, "email", contact, message, reason, [imitated])
    if domain in FREE_MAIL:
        named = official_name(local)
        if named is not None:
            name, owner = named
            message = N_(
                "Alamat e-mail %(address)s memakai nama “%(name)s” di layanan e-mail gratis "
                "%(provider)s. Siapa pun bisa membuat alamat seperti ini; alamat ini tidak ada "
                "dalam daftar kanal resmi.",
                address=address, name=name, provider=domain,
            )  # fmt: skip
            beside = _beside(registry, ("email", "web"), [owner])
            return _made(LOOKALIKE, "email", contact, message, "freemail", beside)
        message = N_(
            "Alamat e-mail %(address)s memakai layanan e-mail gratis dan tidak ada dalam daftar "
            "kanal resmi Pemkot Malang.",
            address=address,
        )
        return _made(UNKNOWN, "email", contact, message, "freemail",
                     _beside(registry, ("email", "web"), owners))  # fmt: skip
    message = N_("Alamat e-mail %(address)s tidak ada dalam daftar kanal resmi Pemkot Malang.",
                 address=address)  # fmt: skip
    return _made(UNKNOWN, "email", contact, message,
                 official=_beside(registry, ("email", "web"), owners))  # fmt: skip


def _account(contact: Contact, registry: Registry, owners: list[str]) -> ChannelRemark:
    handle, platform = contact.value, contact.platform
    found = registry.handles.get(handle, [])
    if found:
        fitting = [c for c in found if not platform or c.kind in (platform, "social")]
        if fitting:
            message = N_("Akun @%(handle)s tercatat sebagai akun resmi %(owner)s.",
                         handle=handle, owner=fitting[0].owner)  # fmt: skip
            return _made(OFFICIAL, "account", contact, message, official=fitting[:BESIDE])
        message = N_(
            "Nama akun @%(handle)s sama dengan akun resmi %(owner)s di %(official_platform)s, "
            "tetapi akun di %(platform)s ini tidak tercatat sebagai akun resmi.",
            handle=handle, owner=found[0].owner,
            official_platform=PLATFORM_NAMES.get(found[0].kind, found[0].kind),
            platform=PLATFORM_NAMES.get(platform, platform),
        )  # fmt: skip
        return _made(LOOKALIKE, "account", contact, message, "platform", found[:BESIDE])
    accounts = registry.of_kinds(SOCIAL_KINDS)
    imitated = _resembles_account(handle, accounts)
    if imitated is not None:
        message = N_(
            "Akun @%(handle)s mirip akun resmi %(official)s (%(owner)s), tetapi bukan akun itu.",
            handle=handle, official=imitated.shown, owner=imitated.owner,
        )  # fmt: skip
        return _made(LOOKALIKE, "account", contact, message, "account", [imitated])
    named = official_name(handle)
    if named is not None:
        name, owner = named
        message = N_(
            "Akun @%(handle)s memakai nama %(name)s, tetapi tidak tercatat sebagai akun resmi. "
            "Akun yang memakai nama pejabat atau instansi sering dipakai untuk menipu.",
            handle=handle, name=name,
        )  # fmt: skip
        beside = _beside(registry, SOCIAL_KINDS, [owner])
        return _made(LOOKALIKE, "account", contact, message, "official_name", beside)
    message = N_("Akun @%(handle)s tidak ada dalam daftar akun resmi Pemkot Malang.",
                 handle=handle)  # fmt: skip
    return _made(UNKNOWN, "account", contact, message,
                 official=_beside(registry, SOCIAL_KINDS, owners))  # fmt: skip


def _resembles_account(handle: str, accounts: list[Official]) -> Official | None:
    """The official account `handle` imitates: the same name spelt with other separators or
    look-alike letters, with words added, or a slip of a letter or two."""
    mine = skeleton(handle)
    for account in accounts:
        theirs = skeleton(account.value)
        if len(theirs) < 5:
            continue
        if mine == theirs or (theirs in mine and len(mine) > len(theirs)):
            return account
        if len(theirs) >= 8 and edit_distance(mine, theirs, 2) <= 2:
            return account
    return None


def _made(
    status: str,
    kind: str,
    contact: Contact,
    message: Message,
    reason: str = "",
    official: list[Official] | None = None,
) -> ChannelRemark:
    return ChannelRemark(
        status, kind, contact.text, contact.value, message, reason,
        contact.platform if contact.kind == "handle" else "", list(official or []),
    )  # fmt: skip


def _beside(registry: Registry, kinds: Iterable[str], owners: list[str]) -> list[Official]:
    """Official channels to show beside an unknown one: of the agencies the message names
    first, then the city's service numbers and the city's own channels."""
    wanted = [o.lower() for o in owners]

    def rank(channel: Official) -> int:
        owner = channel.owner.lower()
        if any(w and (w == owner or w in owner or owner in w) for w in wanted):
            return 0
        if channel.kind in PHONE_KINDS and not channel.value.startswith("+"):
            return 1  # a service number such as 112
        if owner == CITY_OWNER.lower() or channel.value == CITY_DOMAIN:
            return 2
        return 3

    ranked = sorted(registry.of_kinds(kinds), key=lambda c: (rank(c), c.value))
    named = [c for c in ranked if rank(c) == 0][:BESIDE]
    if named:
        return named
    # one service number and the city's own channel, else whatever there is
    chosen = [next((c for c in ranked if rank(c) == level), None) for level in (1, 2)]
    return [c for c in chosen if c is not None] or ranked[:1]


# -- names of officials and agencies -------------------------------------------------------------


@cache
def _names() -> tuple[tuple[str, str, str, bool], ...]:
    """(letters to look for, name to show, owner, is a person) for office holders, offices and
    agencies, the most specific first."""
    found: list[tuple[str, str, str, bool]] = []
    for term in load_terms():
        for name in (term.person, *term.aliases):
            letters = re.sub(r"[^a-z]", "", _fold(name))
            if len(letters) >= 7:
                found.append((letters, term.person, office_title(term.office), True))
    for letters, shown, office in (
        ("wakilwalikota", "Wakil Wali Kota", "wakil wali kota"),
        ("walikota", "Wali Kota", "wali kota"),
        ("wawali", "Wakil Wali Kota", "wakil wali kota"),
        ("sekda", "Sekda", "sekretaris daerah"),
    ):
        found.append((letters, shown, office_title(office), False))
    for abbreviation, full in AGENCIES.items():
        short = abbreviation.split("-")[0]
        letters = re.sub(r"[^a-z]", "", _fold(short))
        if letters != "pemkot" and len(letters) >= 3:
            found.append((letters, short, full, False))
    for letters in ("pemkotmalang", "malangkota", "kotamalang"):
        found.append((letters, "Kota Malang", CITY_OWNER, False))
    return tuple(found)


def official_name(text: str) -> tuple[str, str] | None:
    """(name, owner) of an office holder, an office or a city agency named in an account name
    or the local part of an e-mail address ("dinsos.kotamalang" -> Dinsos), or None.

    An office or an agency counts when it is a whole word of `text`, or inside a longer word
    together with "malang"; a person's name (seven letters or more) anywhere."""
    folded = _fold(text)
    letters = re.sub(r"[^a-z]", "", folded)
    words = set(re.split(r"[^a-z]+", folded))
    for name, shown, owner, person in _names():
        if name in words or (name in letters and (person or "malang" in letters)):
            return shown, owner
    return None


def _owners_named(text: str) -> list[str]:
    """Full names of the agencies a message names (for the channels shown beside)."""
    folded = _fold(text)
    return [
        full for abbreviation, full in AGENCIES.items()
        if re.search(rf"\b{re.escape(abbreviation.lower())}\b", folded)
        or full.lower() in folded
    ]  # fmt: skip


# -- the impersonation pattern -------------------------------------------------------------------


def _impersonation(
    text: str,
    remarks: list[ChannelRemark],
    registry: Registry,
    index: SearchIndex | None,
    owners: list[str],
) -> ChannelRemark | None:
    request = _money_request(text)
    if request is None:
        return None
    who = _officials_named(text)
    numbers = [
        r for r in remarks if r.kind in PHONE_KINDS and r.status in (UNKNOWN, LOOKALIKE)
    ]  # fmt: skip
    if not who and not numbers:
        return None
    warnings = find_warnings(index, [name for name, _ in who]) if index is not None else []
    if who:
        name = who[0][0]
        if warnings:
            message = N_(
                "Pesan ini meminta uang (“%(request)s”) atas nama %(who)s. Itu pola penipuan yang "
                "dikenal: Pemkot Malang pernah memperingatkan pesan yang mencatut nama pejabat "
                "(lihat rilis di bawah). Jangan mentransfer sebelum memastikannya lewat kanal "
                "resmi.",
                request=request, who=name,
            )  # fmt: skip
        else:
            message = N_(
                "Pesan ini meminta uang (“%(request)s”) atas nama %(who)s. Itu pola penipuan yang "
                "dikenal. Jangan mentransfer sebelum memastikannya lewat kanal resmi.",
                request=request, who=name,
            )  # fmt: skip
        found, value = name, who[0][1]
    else:
        number = numbers[0].found
        if warnings:
            message = N_(
                "Pesan ini meminta uang (“%(request)s”) lewat nomor %(number)s yang tidak tercatat "
                "sebagai kanal resmi. Itu pola penipuan yang dikenal: Pemkot Malang pernah "
                "memperingatkan pesan seperti ini (lihat rilis di bawah). Jangan mentransfer "
                "sebelum memastikannya lewat kanal resmi.",
                request=request, number=number,
            )  # fmt: skip
        else:
            message = N_(
                "Pesan ini meminta uang (“%(request)s”) lewat nomor %(number)s yang tidak tercatat "
                "sebagai kanal resmi. Itu pola penipuan yang dikenal. Jangan mentransfer sebelum "
                "memastikannya lewat kanal resmi.",
                request=request, number=number,
            )  # fmt: skip
        found, value = number, numbers[0].value
    return ChannelRemark(
        IMPERSONATION, "request", found, value, message, "transfer_request", "",
        _beside(registry, PHONE_KINDS, owners), warnings,
    )  # fmt: skip


def _money_request(text: str) -> str | None:
    """The words with which the message asks for money, or None."""
    match = _MONEY.search(text)
    if match:
        return match.group(0)
    gift = _GIFT.search(text)
    if gift and _ASK.search(text):
        return gift.group(0)
    return None


def _officials_named(text: str) -> list[tuple[str, str]]:
    """(as written, canonical) of the officials a message names: roles, then holders' names."""
    named = [
        (fact.text, fact.value) for fact in extract_roles(text) if fact.value in OFFICIAL_ROLES
    ]  # fmt: skip
    folded = _fold(text)
    for term in load_terms():
        for name in (term.person, *term.aliases):
            if len(name) >= 5 and re.search(rf"\b{re.escape(_fold(name))}\b", folded):
                named.append((term.person, term.person.lower()))
    return list(dict.fromkeys(named))


def find_warnings(index: SearchIndex, who: list[str]) -> list[Warning]:
    """The city's releases warning about messages that impersonate officials, those naming
    one of `who` first (at most WARNINGS)."""
    try:
        candidates = retrieve(index, " ".join([_WARNING_QUERY, *who]), kind="release", limit=12)
    except Exception:  # a lookup must never sink the check itself
        log.exception("warning lookup failed")
        return []
    warnings = [
        c for c in candidates
        if _WARNING_TITLE.search(c.title) and _IMPERSONATING.search(f"{c.title} {c.body}")
    ]  # fmt: skip
    wanted = [_fold(w) for w in who if w]
    warnings.sort(key=lambda c: not any(w in _fold(f"{c.title} {c.body}") for w in wanted))
    return [
        Warning(c.id, c.url, c.title, c.opd, c.published) for c in warnings[:WARNINGS]
    ]  # fmt: skip


# -- comparing spellings -------------------------------------------------------------------------


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def _bare(text: str) -> str:
    return _SEPARATORS.sub("", _fold(text))


def skeleton(text: str) -> str:
    """`text` with look-alike letters folded ("rn" -> "m", Cyrillic "а" -> "a", "0" -> "o",
    "1" and "i" -> "l") and without dots, hyphens and underscores."""
    folded = _fold(text).translate(_CONFUSABLES)
    for sequence, letter in _SEQUENCES:
        folded = folded.replace(sequence, letter)
    return _SEPARATORS.sub("", folded)


def edit_distance(first: str, second: str, limit: int) -> int:
    """Levenshtein distance, or limit + 1 as soon as it must exceed `limit`."""
    if abs(len(first) - len(second)) > limit:
        return limit + 1
    previous = list(range(len(second) + 1))
    for i, a in enumerate(first, 1):
        current = [i]
        for j, b in enumerate(second, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]
