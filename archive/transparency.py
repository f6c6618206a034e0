"""The transparency figures: how each source publishes, edits and removes releases, how healthy
its fetching is, the published clarifications by label per month and this week's most-reported
rumours (counts only).

Everything is aggregated in SQL (a handful of GROUP BY queries, whatever the archive's size);
Python only touches one row per source, per label and per rumour group, plus at most
`CADENCE_RELEASES` dates per source for the cadence. Nothing here reads what citizens typed:
a rumour is shown by its count, and by its title only when staff linked it to a clarification
that is published.

Months are WIB calendar months. The window is the 12 months ending with the month of the newest
publication in the archive (a release or a clarification, never later than now), so a quiet
archive (such as the demo) still shows its last year rather than empty months.
"""

from __future__ import annotations

import statistics
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import pairwise

from sqlalchemy import and_, case, func, select
from sqlalchemy.engine import Engine

from archive.attachments import AttachmentStore
from archive.editorial import PUBLISHED, VERDICTS, clarifications, report_groups, reports
from archive.months import WIB
from archive.register import Register
from archive.store import FAILING, NEVER_RUN, run_state
from archive.tables import releases, source_status, versions

MONTHS_SHOWN = 12
CADENCE_RELEASES = 20  # the cadence is the median gap between a source's latest 21 releases
RUMOUR_DAYS = 7
RUMOURS_SHOWN = 5


@dataclass(frozen=True)
class Month:
    """One WIB calendar month: its key ("2025-10") and its bounds as aware datetimes."""

    key: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class SourceHealth:
    """How fetching a source went: its `archive.store.run_state` ("ok", "failing" or "never")."""

    state: str
    last_run: datetime | None
    last_success: datetime | None
    last_error_at: datetime | None
    runs: int
    failures: int
    consecutive_failures: int | None  # exact only when the source never succeeded
    problem: str  # the last error in plain Indonesian words; "" when the source is fine


@dataclass(frozen=True)
class SourceFigures:
    """One source's publishing figures over the window and its health."""

    source_id: str
    opd: str
    releases: int  # archived in all, any date
    per_month: tuple[int, ...]  # aligned with Dashboard.months
    last_release: datetime | None
    cadence_days: float | None  # median days between releases; None with fewer than two
    edited: int  # releases with more than one archived version
    removed: int  # releases removed at their source
    health: SourceHealth


@dataclass(frozen=True)
class RumourCount:
    """One group of reports this week: how many, and its clarification when published."""

    reports: int
    slug: str | None = None
    title: str | None = None
    verdict: str | None = None


@dataclass(frozen=True)
class Dashboard:
    """All the figures of /transparansi."""

    months: tuple[Month, ...]
    sources: tuple[SourceFigures, ...]
    clarifications: dict[str, tuple[int, ...]]  # label -> count per month, every label present
    rumours: tuple[RumourCount, ...]
    reports_this_week: int
    rumour_groups_this_week: int
    documents: dict = field(default_factory=dict)  # archive.attachments.AttachmentStore.counts
    register: dict = field(default_factory=dict)  # archive.register.Register.counts

    @property
    def per_month(self) -> tuple[int, ...]:
        """Releases per month over every source."""
        totals = [0] * len(self.months)
        for source in self.sources:
            for i, count in enumerate(source.per_month):
                totals[i] += count
        return tuple(totals)

    @property
    def edited(self) -> int:
        """Releases edited after publication, over every source."""
        return sum(s.edited for s in self.sources)

    @property
    def removed(self) -> int:
        """Releases removed at their source, over every source."""
        return sum(s.removed for s in self.sources)


def months_ending(anchor: datetime, count: int = MONTHS_SHOWN) -> tuple[Month, ...]:
    """The `count` WIB months ending with the month of `anchor`, oldest first."""
    local = anchor.astimezone(WIB)
    year, month = local.year, local.month
    keys = []
    for _ in range(count):
        keys.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    result = []
    for year, month in reversed(keys):
        start = datetime(year, month, 1, tzinfo=WIB)
        end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=WIB)
        result.append(Month(f"{year:04d}-{month:02d}", start, end))
    return tuple(result)


@dataclass(frozen=True)
class _Publishing:
    """The costly part of the figures, which only changes when the archive does."""

    months: tuple[Month, ...]
    rows: tuple  # per source: (source_id, opd, total, per_month, last_release, edited, removed)
    cadence: dict[str, float]
    clarifications: dict[str, tuple[int, ...]]


class FiguresCache:
    """Keeps the costly publishing figures of one archive generation (see `generation`)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple | None = None
        self._value: _Publishing | None = None

    def get(self, key: tuple, compute: Callable[[], _Publishing]) -> _Publishing:
        """The figures stored for `key`, computed (and kept) when the key changed."""
        with self._lock:
            if self._key == key and self._value is not None:
                return self._value
        value = compute()
        with self._lock:
            self._key, self._value = key, value
        return value


def generation(conn, now: datetime) -> tuple:
    """A cheap fingerprint that changes whenever a figure of `_Publishing` may change: a new
    release or version, a removal or a return, a clarification published, edited or withdrawn,
    or a new day (the window is capped at now)."""
    newest_version = conn.execute(select(func.max(versions.c.id))).scalar_one()
    release_side = conn.execute(
        select(
            func.count(releases.c.removed_at),
            func.max(releases.c.removed_at),
        )
    ).one()
    clarification_side = conn.execute(
        select(func.count(), func.max(clarifications.c.updated_at))
    ).one()
    return (newest_version, *release_side, *clarification_side, now.astimezone(WIB).date())


def compute_dashboard(
    engine: Engine, *, now: datetime, cache: FiguresCache | None = None
) -> Dashboard:
    """Every figure of the dashboard, read from the archive at `engine` as of `now`; with a
    cache, the publishing figures are only recomputed when the archive changed."""
    with engine.connect() as conn:
        if cache is None:
            publishing = _publishing(conn, now)
        else:
            publishing = cache.get(generation(conn, now), lambda: _publishing(conn, now))
        health = {row.source_id: _health(row) for row in conn.execute(select(source_status))}
        rumours, total_reports = _rumours(conn, now - timedelta(days=RUMOUR_DAYS))
    months = publishing.months
    sources = [
        SourceFigures(
            source_id,
            opd,
            total,
            per_month,
            last_release,
            publishing.cadence.get(source_id),
            edited,
            removed,
            health.pop(source_id, NEVER),
        )
        for source_id, opd, total, per_month, last_release, edited, removed in publishing.rows
    ]
    for source_id, source_health in health.items():  # fetched, but nothing archived yet
        sources.append(
            SourceFigures(source_id, "", 0, (0,) * len(months), None, None, 0, 0, source_health)
        )
    return Dashboard(
        months=months,
        sources=tuple(sorted(sources, key=lambda s: (s.opd.lower(), s.source_id))),
        clarifications=publishing.clarifications,
        rumours=tuple(rumours[:RUMOURS_SHOWN]),
        reports_this_week=total_reports,
        rumour_groups_this_week=len(rumours),
        documents=AttachmentStore(engine).counts(),
        register=Register(engine).counts(),
    )


def _publishing(conn, now: datetime) -> _Publishing:
    months = months_ending(_anchor(conn, now))
    rows = tuple(
        (
            row.source_id,
            row.opd or "",
            row.total,
            tuple(int(getattr(row, f"m{i}") or 0) for i in range(len(months))),
            row.last_release,
            int(row.edited or 0),
            int(row.removed or 0),
        )
        for row in conn.execute(_per_source_query(months))
    )
    return _Publishing(months, rows, _cadences(conn), _clarifications_by_label(conn, months))


NEVER = SourceHealth(NEVER_RUN, None, None, None, 0, 0, None, "")

_CURRENT = releases.join(versions, versions.c.id == releases.c.current_version)


def _anchor(conn, now: datetime) -> datetime:
    newest_release = conn.execute(
        select(func.max(versions.c.published)).select_from(_CURRENT)
    ).scalar_one()
    newest_clarification = conn.execute(
        select(func.max(clarifications.c.published_at)).where(clarifications.c.status == PUBLISHED)
    ).scalar_one()
    known = [d for d in (newest_release, newest_clarification) if d is not None and d <= now]
    return max(known, default=now)


def _in_month(column, month: Month):
    return func.sum(case((and_(column >= month.start, column < month.end), 1), else_=0))


def _per_source_query(months: tuple[Month, ...]):
    return (
        select(
            releases.c.source_id,
            func.max(releases.c.opd).label("opd"),
            func.count().label("total"),
            func.max(versions.c.published).label("last_release"),
            func.sum(case((versions.c.number > 1, 1), else_=0)).label("edited"),
            func.sum(case((releases.c.status == "removed", 1), else_=0)).label("removed"),
            *(_in_month(versions.c.published, m).label(f"m{i}") for i, m in enumerate(months)),
        )
        .select_from(_CURRENT)
        .group_by(releases.c.source_id)
    )


def _cadences(conn) -> dict[str, float]:
    """Median days between each source's latest releases (window function, bounded rows)."""
    rank = (
        func.row_number()
        .over(partition_by=releases.c.source_id, order_by=versions.c.published.desc())
        .label("rank")
    )
    latest = (
        select(releases.c.source_id, versions.c.published, rank)
        .select_from(_CURRENT)
        .where(versions.c.published.is_not(None))
        .subquery()
    )
    rows = conn.execute(
        select(latest.c.source_id, latest.c.published)
        .where(latest.c.rank <= CADENCE_RELEASES + 1)
        .order_by(latest.c.source_id, latest.c.published)
    )
    dates: dict[str, list[datetime]] = {}
    for row in rows:
        dates.setdefault(row.source_id, []).append(row.published)
    return {
        source_id: statistics.median(
            (later - earlier).total_seconds() / 86400 for earlier, later in pairwise(ds)
        )
        for source_id, ds in dates.items()
        if len(ds) > 1
    }


def _health(row) -> SourceHealth:
    state = run_state(row.last_success, row.last_error_at)
    failing = state == FAILING
    return SourceHealth(
        state=state,
        last_run=row.last_run,
        last_success=row.last_success,
        last_error_at=row.last_error_at,
        runs=row.runs or 0,
        failures=row.failures or 0,
        consecutive_failures=(row.failures or 0) if failing and row.last_success is None else None,
        problem=plain_error(row.last_error or "") if failing else "",
    )


_PLAIN_ERRORS = (  # (words in the technical message, what a citizen reads), first match wins
    (("internal error",), "galat di Saring sendiri, bukan di situs sumber"),
    (("timed out", "timeout", "took longer"), "situs sumber tidak menjawab tepat waktu"),
    (("robots.txt",), "robots.txt situs sumber melarang pengambilan"),
    (("no address found", "could not fetch", "connection", "tls failed"),
     "situs sumber tidak dapat dihubungi"),
    (("http 5",), "situs sumber sedang bermasalah (galat server)"),
    (("http 404", "http 410"), "alamat umpan tidak ditemukan di situs sumber"),
    (("http 4",), "situs sumber menolak permintaan"),
    (("unreadable", "no items matching", "bad http answer"),
     "halaman sumber tidak terbaca (mungkin sedang pemeliharaan atau tampilannya berubah)"),
    (("too many redirects",), "situs sumber mengalihkan terlalu banyak kali"),
    (("allow-list", "refusing"), "situs sumber mengalihkan ke alamat yang tidak diizinkan"),
    (("sent more than",), "jawaban situs sumber terlalu besar"),
)  # fmt: skip


def plain_error(message: str) -> str:
    """The technical error of a source run said in plain Indonesian words."""
    lowered = message.lower()
    for needles, plain in _PLAIN_ERRORS:
        if any(needle in lowered for needle in needles):
            return plain
    return "pengambilan gagal" if message else ""


def _clarifications_by_label(conn, months: tuple[Month, ...]) -> dict[str, tuple[int, ...]]:
    published = clarifications.c.published_at
    rows = conn.execute(
        select(
            clarifications.c.verdict,
            *(_in_month(published, m).label(f"m{i}") for i, m in enumerate(months)),
        )
        .where(clarifications.c.status == PUBLISHED)
        .group_by(clarifications.c.verdict)
    )
    found = {row.verdict: tuple(int(row[i + 1] or 0) for i in range(len(months))) for row in rows}
    return {label: found.get(label, (0,) * len(months)) for label in VERDICTS}


def _rumours(conn, since: datetime) -> tuple[list[RumourCount], int]:
    """Report groups by reports received since `since`, most first, and the reports in all."""
    counts = (
        select(reports.c.group_id, func.count().label("n"))
        .where(reports.c.created_at >= since)
        .group_by(reports.c.group_id)
        .subquery()
    )
    linked = and_(
        clarifications.c.id == report_groups.c.clarification_id,
        clarifications.c.status == PUBLISHED,
    )
    rows = conn.execute(
        select(counts.c.n, clarifications.c.slug, clarifications.c.title, clarifications.c.verdict)
        .select_from(
            counts.join(report_groups, report_groups.c.id == counts.c.group_id).outerjoin(
                clarifications, linked
            )
        )
        .order_by(counts.c.n.desc(), counts.c.group_id)
    ).all()
    rumours = [RumourCount(row.n, row.slug, row.title, row.verdict) for row in rows]
    return rumours, sum(r.reports for r in rumours)
