"""The types every extractor shares: `Fact`, `DateValue`, and `Spans`, the set of character
ranges already read.

`Spans` is the one piece of state that runs through `verify.facts.extract_facts`: each extractor
skips a match that overlaps a taken range and takes the ranges it reads, so a span read by an
earlier extractor is never read again by a later one.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Any

from verify.facts.display import describe_value


@dataclass(frozen=True)
class DateValue:
    """A date as precise as the text: missing parts are None; `end` is set for ranges."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    end: tuple[int | None, int | None, int | None] | None = None
    part: str = ""  # "awal", "pertengahan" or "akhir" of the month or year

    def start(self) -> tuple[int | None, int | None, int | None]:
        """The first (year, month, day) of the value."""
        return (self.year, self.month, self.day)


@dataclass(frozen=True)
class Fact:
    """One fact found in a text, with its span [start, end)."""

    kind: str
    text: str
    value: Any
    start: int
    end: int
    unit: str = ""
    qualifier: str = ""  # "sekitar", "lebih dari", "paling lambat", "hingga", ...
    negated: bool = False
    detail: dict = field(default_factory=dict, compare=False, hash=False)

    def to_json(self) -> dict:
        """A JSON-ready view: kind, text, value (as text), span, unit, negated."""
        return {
            "kind": self.kind,
            "text": self.text,
            "value": describe_value(self),
            "start": self.start,
            "end": self.end,
            "unit": self.unit,
            "negated": self.negated,
        }


class Spans:
    """Character ranges [start, end) of one text already read as facts.

    The ranges are kept merged and sorted, so a look-up is a binary search: a text with
    thousands of facts costs thousands of look-ups, not millions of comparisons.
    """

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def free(self, start: int, end: int) -> bool:
        """Whether [start, end) overlaps no taken range."""
        # The last range starting before `end` is the only one that can reach past `start`.
        index = bisect_left(self.starts, end) - 1
        return index < 0 or self.ends[index] <= start

    def take(self, start: int, end: int) -> None:
        """Mark [start, end) as read: later extractors skip anything overlapping it."""
        if end <= start:
            return
        first = bisect_left(self.ends, start)  # ranges ending before `start` stay apart
        last = bisect_right(self.starts, end)  # ranges starting after `end` stay apart
        if first < last:
            start = min(start, self.starts[first])
            end = max(end, self.ends[last - 1])
        self.starts[first:last] = [start]
        self.ends[first:last] = [end]


def is_headline(text: str) -> bool:
    """Whether a text is written In Title Case (a headline): capitals then mean nothing."""
    words = re.findall(r"[^\W\d_]{4,}", text)
    return len(words) >= 4 and sum(w[0].isupper() for w in words) / len(words) > 0.75
