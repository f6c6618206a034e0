"""How often rumours were reported in a period: counts per report group, never the reports' text.

For public pages (the home page's "most reported this week"): a citizen's words stay with the
clarification team; the public sees how many reports a rumour drew and, once a clarification is
published for it, that clarification.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from archive.editorial import report_groups, reports


@dataclass(frozen=True)
class ReportedRumour:
    """One report group's count in a period: no text, only the number and its clarification."""

    group_id: int
    reports: int
    clarification_id: int | None


@dataclass(frozen=True)
class ReportedSummary:
    """Reports received in a period: the total, how many rumours, and the most reported."""

    reports: int
    rumours: int
    top: list[ReportedRumour]


def most_reported(engine: Engine, since: datetime, limit: int = 5) -> ReportedSummary:
    """Reports made at or after `since`, counted per rumour; the `limit` most reported first."""
    count = func.count(reports.c.id).label("n")
    per_group = (
        select(reports.c.group_id, count, report_groups.c.clarification_id)
        .join(report_groups, report_groups.c.id == reports.c.group_id)
        .where(reports.c.created_at >= since)
        .group_by(reports.c.group_id, report_groups.c.clarification_id)
    )
    with engine.connect() as conn:
        rows = conn.execute(per_group.order_by(count.desc(), reports.c.group_id.desc())).all()
    return ReportedSummary(
        reports=sum(row.n for row in rows),
        rumours=len(rows),
        top=[ReportedRumour(row.group_id, row.n, row.clarification_id) for row in rows[:limit]],
    )
