"""Contacts written in a text: phone and WhatsApp numbers, links and host names, e-mail
addresses and @account names, each with its span and its normalised value.

A pure function of a string, used on what citizens paste (`verify.channels`, before
`verify.normalise` removes the links) and on what releases state (`verify.harvest`). Phone
numbers are found by `verify.facts.extract_phones`, the same reader the fact comparison uses,
plus what it leaves (landlines written with a dash, "0341-751550"; "62812..."; a number right
before a comma) and WhatsApp links (``wa.me/62...``). A link
to a platform profile (``instagram.com/pemkotmalang``) is an account, not a host; a link to a
platform's other pages (a post, a video) is neither.

Host names are read as written, Unicode included: a host with a Cyrillic "а" in place of the
Latin "a" is exactly what the look-alike check must see.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from urllib.parse import parse_qs, urlsplit

from archive.channels import (
    PLATFORM_HOSTS,
    normalise_email,
    normalise_handle,
    normalise_phone,
)
from verify.facts import Spans, extract_phones

MAX_CONTACTS = 20

# Top-level domains a host written without http:// or www. must end with: enough for what
# circulates in Malang, and none that is also an everyday word after a full stop.
_TLDS = sorted(
    """id com net org co info biz xyz site online top club app link ly gl me io cc in us tk ml
    ga cf gq live store shop click icu vip fun space website tech pw to my web sch ac go or
    desa""".split(),
    key=len,
    reverse=True,
)
_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
# A host of three labels or more may end in any top-level domain ("malangkota.go.id.evil.zip");
# a host never stops before a further ".label", so such a host is never read as its official
# front part.
_HOST_TEXT = (
    rf"(?:(?:{_LABEL}\.){{2,}}[^\W\d_]{{2,24}}|(?:{_LABEL}\.)+(?:{'|'.join(_TLDS)}))"
    r"(?![\w-]|\.[^\W_])"
)
_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'“”‘’]+"
    rf"|(?<![\w.@/-]){_HOST_TEXT}(?:[/?#][^\s<>\"'“”‘’]*)?",
    re.IGNORECASE,
)
_EMAIL = re.compile(rf"(?<![\w.+/:-])[\w.+-]{{1,64}}@{_HOST_TEXT}", re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w@./])@([A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?)")
# What extract_phones leaves: a landline with a dash, a number written 62..., and a number right
# before a comma or a full stop ("WA 081234567891, a.n. ..."; as a fact it might be an amount).
_MORE_PHONES = re.compile(
    r"(?<![\d.,+])(?:0[2-79]\d{1,2}-\d{5,8}"
    r"|(?:\+62[\s-]?|62|0)8\d{1,3}[\s-]?\d{3,4}[\s-]?\d{3,5})(?=[.,;:!?)]?(?:\s|$))"
)
_TRAILING = ".,;:!?)]}'\"”’"
# Words shortly before a number or an account that say where it lives.
_WHATSAPP_HINT = re.compile(r"\b(?:wa|whatsapp|whats\s?app|w\.a\.?)\b\W{0,3}(?:\w+\W+){0,3}$",
                            re.IGNORECASE)  # fmt: skip
_PLATFORM_HINTS = (
    ("instagram", re.compile(r"\b(?:instagram|insta|ig)\b", re.IGNORECASE)),
    ("x", re.compile(r"\b(?:twitter|X)\b")),
    ("facebook", re.compile(r"\b(?:facebook|fb)\b", re.IGNORECASE)),
    ("tiktok", re.compile(r"\btik\s?tok\b", re.IGNORECASE)),
    ("youtube", re.compile(r"\b(?:youtube|yt)\b", re.IGNORECASE)),
)
_HINT_CHARS = 40
_WHATSAPP_HOSTS = {"wa.me", "api.whatsapp.com", "whatsapp.com", "web.whatsapp.com"}
# Paths of a platform that are pages, not accounts.
_NOT_ACCOUNTS = frozenset(
    """p reel reels tv stories explore share watch shorts status i intent hashtag search home
    groups events photo photos video videos story.php permalink.php login sharer""".split()
)


@dataclass(frozen=True)
class Contact:
    """One contact in a text.

    kind: "phone", "email", "web" or "handle". value: ``+62...`` (or a short number), the
    address, the host (lower case, without ``www.``; Unicode kept) or the account name (lower
    case, no ``@``). platform: "whatsapp" for a number the text puts on WhatsApp, the platform
    of an account when the text names it, else "". userinfo: for a link, what stands before an
    "@" in its address ("https://malangkota.go.id@evil.example/" opens evil.example).
    """

    kind: str
    text: str
    value: str
    start: int
    end: int
    platform: str = ""
    userinfo: str = ""

    @property
    def key(self) -> tuple[str, str]:
        """What makes two contacts the same one."""
        return (self.kind, self.value)


def find_contacts(text: str) -> list[Contact]:
    """The contacts in `text`, in order of appearance, each once (at most MAX_CONTACTS)."""
    text = unicodedata.normalize("NFKC", text or "")
    spans = Spans()
    found: list[Contact] = []
    for match in _EMAIL.finditer(text):
        value = _email_value(match.group(0))
        if value and spans.free(match.start(), match.end()):
            spans.take(match.start(), match.end())
            found.append(Contact("email", match.group(0), value, match.start(), match.end()))
    for match in _URL.finditer(text):
        written = match.group(0).rstrip(_TRAILING)
        end = match.start() + len(written)
        if not spans.free(match.start(), end):
            continue
        spans.take(match.start(), end)
        contact = _link(written, match.start(), end)
        if contact is not None:
            found.append(contact)
    for fact in extract_phones(text, spans=spans):
        value = normalise_phone(fact.text)
        if value:
            found.append(Contact("phone", fact.text, value, fact.start, fact.end))
    for match in _MORE_PHONES.finditer(text):
        value = normalise_phone(match.group(0))
        if value and spans.free(match.start(), match.end()):
            spans.take(match.start(), match.end())
            found.append(Contact("phone", match.group(0), value, match.start(), match.end()))
    for match in _HANDLE.finditer(text):
        if not spans.free(match.start(), match.end()):
            continue
        value = normalise_handle(match.group(1))
        if value:
            spans.take(match.start(), match.end())
            platform = _platform_before(text, match.start())
            found.append(
                Contact("handle", match.group(0), value, match.start(), match.end(), platform)
            )
    unique: dict[tuple[str, str], Contact] = {}
    previous_end = 0
    for contact in sorted(found, key=lambda c: c.start):
        if contact.kind == "phone" and not contact.platform:
            # "WA 0812...": the hint stands between the previous contact and this one
            before = text[max(previous_end, contact.start - 30) : contact.start]
            if _WHATSAPP_HINT.search(before):
                contact = replace(contact, platform="whatsapp")
        previous_end = contact.end
        unique.setdefault(contact.key, contact)
    return list(unique.values())[:MAX_CONTACTS]


def host_of(link: str) -> tuple[str, str]:
    """(host, userinfo) of a link or bare host as written: lower case, NFKC, without
    ``www.`` and a port; ("", "") when there is none."""
    link = unicodedata.normalize("NFKC", link.strip())
    if "://" not in link:
        link = "http://" + link
    try:
        parts = urlsplit(link)
        host = parts.hostname or ""
    except ValueError:
        return "", ""
    userinfo = parts.netloc.rpartition("@")[0] if "@" in parts.netloc else ""
    host = host.rstrip(".").lower()
    host = host[4:] if host.startswith("www.") else host
    if "." not in host or not re.fullmatch(r"[\w.-]+", host) or "_" in host:
        return "", ""
    return host, userinfo.lower()


def _email_value(written: str) -> str:
    value = normalise_email(written)
    if value:
        return value
    local, _, domain = written.lower().rpartition("@")  # a host in other scripts
    host, _ = host_of(domain)
    return f"{local}@{host}" if host else ""


def _link(written: str, start: int, end: int) -> Contact | None:
    """A link as a contact: an account on a platform, a WhatsApp number, or a host."""
    host, userinfo = host_of(written)
    if not host:
        return None
    bare = host.removeprefix("m.")
    if bare in _WHATSAPP_HOSTS:
        number = _whatsapp_number(written)
        if number:
            return Contact("phone", written, number, start, end, "whatsapp")
        return None
    if bare in PLATFORM_HOSTS:
        path = urlsplit(written if "://" in written else "https://" + written).path
        first = next((part for part in path.split("/") if part), "")
        if not first or first.lower() in _NOT_ACCOUNTS or first.startswith("#"):
            return None
        account = normalise_handle(first)
        if account is None:
            return None
        return Contact("handle", written, account, start, end, PLATFORM_HOSTS[bare])
    return Contact("web", written, host, start, end, "", userinfo)


def _whatsapp_number(link: str) -> str | None:
    parts = urlsplit(link if "://" in link else "https://" + link)
    digits = next((part for part in parts.path.split("/") if part), "")
    if not digits.isdigit():
        digits = (parse_qs(parts.query).get("phone") or [""])[0]
    return normalise_phone(digits) if digits else None


def _platform_before(text: str, start: int) -> str:
    """The platform named shortly before an account, on the same line ("" if none)."""
    before = text[max(0, start - _HINT_CHARS) : start].rsplit("\n", 1)[-1]
    best, best_at = "", -1
    for platform, pattern in _PLATFORM_HINTS:
        for match in pattern.finditer(before):
            if match.start() > best_at:
                best, best_at = platform, match.start()
    return best
