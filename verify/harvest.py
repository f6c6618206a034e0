"""Harvest: the official channels stored releases state, recorded in the registry
(`archive.channels`) with the release as their source.

One way only: archived releases in, registry rows out; nothing is fetched. `harvest_release`
reads one release and proposes:

- the host the release is published on (an agency page states its own address): owned by the
  release's OPD, or by the city for the city's main site;
- phone and WhatsApp numbers in a sentence that offers them as a way to reach the city ("call
  center", "hotline", "pengaduan", "layanan", "hubungi", "melapor", ...);
- e-mail addresses and links on the city's domain (malangkota.go.id and its subdomains) or on
  the release's own host;
- @accounts in a sentence that calls them official ("akun resmi", "akun media sosial resmi"),
  on the platform the sentence names (else kind "social").

A sentence that warns about a channel ("palsu", "penipuan", "mencatut", "mengatasnamakan",
"bukan milik", "mengaku", "tidak resmi" ...) proposes nothing, so the number in "nomor 0812...
itu palsu" never becomes official. `harvest_archive` runs over every stored release still live
at its source, in the order they were archived, and records what the registry does not hold
yet: the first release that states a channel is its source, and rows staff added, edited or
deactivated are never touched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from archive import Archive, StoredRelease
from archive.channels import (
    CITY_DOMAIN,
    CITY_OWNER,
    ChannelStore,
    Proposal,
    normalise_host,
    under,
)
from index.names import AGENCIES
from verify.contacts import Contact, find_contacts

MAX_EVIDENCE = 300
# A sentence ends at ".", "!" or "?" before a space: not at the dots of a host or a number.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# A sentence offers a number as a way to reach the city.
_REACH = re.compile(
    r"call\s*cent(?:er|re)|hotline|pengaduan|aduan|layanan|hubungi|menghubungi|dihubungi"
    r"|melapor|laporan|lapor|panggilan|kontak|informasi lebih lanjut|narahubung|telepon|telp",
    re.IGNORECASE,
)
# A sentence warns about a channel: it proposes nothing.
_WARNS = re.compile(
    r"palsu|penipu|penipuan|mencatut|catut|mengatasnamakan|atas nama|bukan milik|bukan nomor"
    r"|bukan akun|bukan resmi|tidak resmi|mengaku|oknum|hoaks|hoax|mencurigakan|tidak dikenal"
    r"|blokir|diblokir|waspada",
    re.IGNORECASE,
)
_OFFICIAL_WORD = re.compile(r"\bresmi\b", re.IGNORECASE)
# The city's agencies by the first label of their subdomain ("dishub" -> Dinas Perhubungan).
_AGENCY_LABELS = {
    re.sub(r"[^a-z]", "", abbreviation.split("-")[0].lower()): full
    for abbreviation, full in AGENCIES.items()
}


@dataclass
class HarvestReport:
    """What one harvest did."""

    releases: int = 0
    proposed: int = 0
    added: int = 0
    known: int = 0


def harvest_release(release: StoredRelease) -> list[Proposal]:
    """The channels one release states (see the module docstring), each once."""
    proposals: dict[tuple[str, str], Proposal] = {}

    def propose(kind: str, value: str, owner: str, evidence: str) -> None:
        proposals.setdefault(
            (kind, value),
            Proposal(kind, value, owner, release.id, release.url, evidence[:MAX_EVIDENCE]),
        )

    own_host = normalise_host(release.url)
    if own_host:
        propose("web", own_host, _host_owner(own_host, release, own_host), release.url)
    for paragraph in release.current.paragraphs:
        for sentence in (part.strip() for part in _SENTENCE_END.split(paragraph)):
            if not sentence or _WARNS.search(sentence):
                continue
            for contact in find_contacts(sentence):
                found = _proposal(contact, sentence, release, own_host)
                if found is not None:
                    propose(*found, sentence)
    return list(proposals.values())


def _proposal(
    contact: Contact, sentence: str, release: StoredRelease, own_host: str | None
) -> tuple[str, str, str] | None:
    """(kind, value, owner) for a contact stated in a sentence that warns about nothing."""
    if contact.kind == "phone":
        if not _REACH.search(sentence):
            return None
        kind = "whatsapp" if contact.platform == "whatsapp" else "phone"
        return kind, contact.value, release.opd or CITY_OWNER
    if contact.kind in ("web", "email"):
        host = contact.value.rpartition("@")[2]
        if not (under(host, CITY_DOMAIN) or (own_host and under(host, own_host))):
            return None
        if contact.kind == "web" and contact.userinfo:
            return None
        return contact.kind, contact.value, _host_owner(host, release, own_host)
    if contact.kind == "handle" and _OFFICIAL_WORD.search(sentence):
        return contact.platform or "social", contact.value, release.opd or CITY_OWNER
    return None


def _host_owner(host: str, release: StoredRelease, own_host: str | None) -> str:
    """Whose a host on the city's domain is: the city's main site is the city's; an agency's
    subdomain its agency's; the release's own host its OPD's."""
    if host == CITY_DOMAIN:
        return CITY_OWNER
    label = host.split(".")[0]
    if under(host, CITY_DOMAIN) and label in _AGENCY_LABELS:
        return _AGENCY_LABELS[label]
    if own_host and under(host, own_host) and own_host != CITY_DOMAIN:
        return release.opd or CITY_OWNER
    return CITY_OWNER if under(host, CITY_DOMAIN) else release.opd or CITY_OWNER


def harvest_archive(archive: Archive, *, at: datetime | None = None) -> HarvestReport:
    """Record in the registry the channels stored releases state that it does not hold yet."""
    report = HarvestReport()
    proposals: dict[tuple[str, str], Proposal] = {}
    for release in archive.iter_releases():
        if release.status != "active":
            continue
        report.releases += 1
        for proposal in harvest_release(release):
            proposals.setdefault((proposal.kind, proposal.value), proposal)
    report.proposed = len(proposals)
    report.added, report.known = ChannelStore(archive.engine).record_harvest(
        list(proposals.values()), at=at or datetime.now(UTC)
    )
    return report
