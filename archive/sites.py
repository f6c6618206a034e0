"""The register of known city sites, and the coverage figures staff see.

Source discovery (`flask sources discover`, `ingest.discover`) keeps nothing itself; the command
records each run here, so the app can say how many city sites are known and which have no source
yet. One row per site, with when it was first and last seen, the page that linked it and what the
latest run that saw it concluded: "proposed" (the kind, URL, OPD guess and interval of the
proposal), "unusable" (the reason) or "configured" (a source already covers it).

A site is a host without a leading "www." (discovery takes the two as one site as well). When one
run meets a site under both names, the strongest conclusion is kept: configured, then proposed,
then unusable ("www.x redirects to x" is unusable, x itself proposed).

A run is recorded in one transaction. Sites the run saw are added or take its conclusion; sites
it did not see keep their row and their older last_seen: a bounded crawl that missed a site does
not mean the site is gone. Likewise a site the run met but had no time left to probe keeps its
earlier conclusion, and only its last_seen changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Column, String, Table, Text, func, insert, select, update
from sqlalchemy.engine import Engine

from archive.attachments import AttachmentStore
from archive.store import FAILING, HEALTHY, NEVER_RUN
from archive.tables import UTCDateTime, metadata

if TYPE_CHECKING:
    from archive.store import Archive

CONFIGURED, PROPOSED, UNUSABLE = "configured", "proposed", "unusable"
STATES = (CONFIGURED, PROPOSED, UNUSABLE)  # strongest first
LISTED = {PROPOSED: 0, UNUSABLE: 1, CONFIGURED: 2}  # order of the sites without a source

known_sites = Table(
    "known_sites",
    metadata,
    Column("host", String(253), primary_key=True),  # lower case, without "www."
    Column("state", String(20), nullable=False),
    Column("url", String(1000), nullable=False, default=""),  # proposed source or URL tried
    Column("found_on", String(1000), nullable=False, default=""),  # the page that linked it
    Column("kind", String(20), nullable=False, default=""),  # proposed: wordpress | feed | html
    Column("opd", String(300), nullable=False, default=""),  # proposed: the guessed OPD name
    Column("interval", String(20), nullable=False, default=""),  # proposed: e.g. "30m"
    Column("reason", Text, nullable=False, default=""),  # unusable: why, in technical words
    Column("first_seen", UTCDateTime, nullable=False),
    Column("last_seen", UTCDateTime, nullable=False),
    CheckConstraint("state IN ('configured', 'proposed', 'unusable')", name="ck_known_sites_state"),
)


def site_host(host: str) -> str:
    """The site a host name stands for: lower case, without a trailing dot or "www."."""
    host = host.strip().rstrip(".").lower()
    return host[4:] if host.startswith("www.") else host


@dataclass(frozen=True)
class Sighting:
    """What one discovery run concluded about one host."""

    host: str
    state: str  # CONFIGURED | PROPOSED | UNUSABLE
    url: str = ""
    found_on: str = ""
    kind: str = ""
    opd: str = ""
    interval: str = ""
    reason: str = ""
    conclusive: bool = True  # False: seen, but the run ran out of time before concluding


@dataclass(frozen=True)
class KnownSite:
    """A site in the register, with the latest conclusion about it."""

    host: str
    state: str
    url: str
    found_on: str
    kind: str
    opd: str
    interval: str
    reason: str
    first_seen: datetime
    last_seen: datetime


@dataclass(frozen=True)
class RecordedRun:
    """What recording one run changed: sites added, sites updated."""

    new: int
    updated: int


class SiteStore:
    """The register of known sites; one transaction per call."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def record_run(self, sightings: Iterable[Sighting], *, at: datetime) -> RecordedRun:
        """Store one discovery run, all of it or (on any error) nothing: sites seen are added or
        take the run's conclusion (unless it has none) and last_seen; sites not seen keep their
        row as it was."""
        merged: dict[str, Sighting] = {}
        for sighting in sightings:
            host = site_host(sighting.host)
            held = merged.get(host)
            if host and (held is None or _strength(sighting.state) < _strength(held.state)):
                merged[host] = replace(sighting, host=host)
        new = 0
        with self.engine.begin() as conn:
            known = dict(conn.execute(select(known_sites.c.host, known_sites.c.found_on)).all())
            for host, sighting in sorted(merged.items()):
                values = {
                    "state": sighting.state,
                    "url": sighting.url,
                    "found_on": sighting.found_on or known.get(host, ""),
                    "kind": sighting.kind,
                    "opd": sighting.opd,
                    "interval": sighting.interval,
                    "reason": sighting.reason,
                    "last_seen": at,
                }
                if host in known and not sighting.conclusive:  # keep the earlier conclusion
                    values = {"found_on": values["found_on"], "last_seen": at}
                if host in known:
                    conn.execute(
                        update(known_sites).where(known_sites.c.host == host).values(**values)
                    )
                else:
                    conn.execute(insert(known_sites).values(host=host, first_seen=at, **values))
                    new += 1
        return RecordedRun(new=new, updated=len(merged) - new)

    def list_sites(self) -> list[KnownSite]:
        """Every known site, by host."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(known_sites).order_by(known_sites.c.host)).all()
        return [KnownSite(**row._mapping) for row in rows]

    def last_discovery(self) -> datetime | None:
        """The latest time a discovery run saw any site, or None before the first run."""
        with self.engine.connect() as conn:
            return conn.execute(
                select(func.max(known_sites.c.last_seen, type_=UTCDateTime()))
            ).scalar_one()


def _strength(state: str) -> int:
    return STATES.index(state) if state in STATES else len(STATES)


# -- coverage ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    """How much of the city's web Saring covers: sites known and configured, how the configured
    sources' runs go, what discovery found that has no source yet, and the documents fetched."""

    known: int  # sites in the register or named by a source
    configured: int  # sources in the sources file
    healthy: int  # configured sources whose last run succeeded (archive.store.run_state)
    failing: int  # configured sources whose latest run failed
    never_run: int  # configured sources with no run yet
    proposed: int  # known sites without a source that discovery proposed
    unusable: int  # known sites without a source that discovery could not use
    documents: dict = field(default_factory=dict)  # AttachmentStore.counts()
    last_discovery: datetime | None = None  # the latest time discovery saw a site
    unconfigured: list[KnownSite] = field(default_factory=list)  # known, without a source


def coverage(archive: Archive, sources: Iterable[tuple[str, str]]) -> Coverage:
    """The coverage figures for the configured sources, given as (source id, host) pairs."""
    sources = list(sources)
    store = SiteStore(archive.engine)
    sites = store.list_sites()
    covered = {site_host(host) for _, host in sources}
    health = archive.source_health()
    states = [health[source_id]["state"] if source_id in health else NEVER_RUN
              for source_id, _ in sources]  # fmt: skip
    unconfigured = sorted(
        (site for site in sites if site.host not in covered),
        key=lambda site: LISTED.get(site.state, len(LISTED)),
    )
    return Coverage(
        known=len(covered | {site.host for site in sites}),
        configured=len(sources),
        healthy=states.count(HEALTHY),
        failing=states.count(FAILING),
        never_run=states.count(NEVER_RUN),
        proposed=sum(site.state == PROPOSED for site in unconfigured),
        unusable=sum(site.state == UNUSABLE for site in unconfigured),
        documents=AttachmentStore(archive.engine).counts(),
        last_discovery=store.last_discovery(),
        unconfigured=unconfigured,
    )
