"""When each source is due: every source polls at its own interval."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from ingest.sources import Source


class Schedule:
    """Tracks the last run of each source; a source is due once its interval has passed."""

    def __init__(self, sources: Iterable[Source]):
        self.sources = list(sources)
        self.last_run: dict[str, datetime] = {}

    def due(self, now: datetime) -> list[Source]:
        """Sources never run, or whose interval has passed since their last run."""
        return [
            s
            for s in self.sources
            if s.id not in self.last_run
            or now - self.last_run[s.id] >= timedelta(seconds=s.interval)
        ]

    def done(self, source_id: str, at: datetime) -> None:
        """Record that a source has just run."""
        self.last_run[source_id] = at

    def seconds_until_next(self, now: datetime) -> float:
        """Seconds until the next source is due (0 when one is due now)."""
        waits = [
            0.0
            if s.id not in self.last_run
            else (self.last_run[s.id] + timedelta(seconds=s.interval) - now).total_seconds()
            for s in self.sources
        ]
        return max(0.0, min(waits, default=0.0))
