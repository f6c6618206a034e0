"""The search request: what a reader asked for, read from request arguments and clamped.

`SearchQuery.from_args` takes a mapping of arguments (not the request), raises ValueError naming a
bad one, and clamps every value on construction, so a query object is always safe to run. The
query text itself is parsed later (`index.syntax`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

MAX_QUERY_CHARS = 500
MAX_PAGE = 1000
MAX_PER_PAGE = 50
DEFAULT_PER_PAGE = 10
MAX_FILTER_CHARS = 300
FIRST_YEAR = 1000  # date filters start here: year 1 in WIB would fall before datetime.min in UTC

SORTS = ("relevance", "newest", "oldest")
KINDS = ("release", "clarification", "all")

_WHOLE_NUMBER = re.compile(r"([+-]?)([0-9]+)")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass
class SearchQuery:
    """What the reader asked for; values are clamped on construction."""

    q: str = ""
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    sort: str = "relevance"  # one of SORTS
    opd: str = ""
    category: str = ""
    year: int | None = None
    month: str = ""  # "2025-10"
    date_from: date | None = None  # inclusive, a day in Malang time
    date_to: date | None = None  # inclusive
    kind: str = "release"  # one of KINDS

    def __post_init__(self) -> None:
        self.q = (self.q or "").strip()[:MAX_QUERY_CHARS].rstrip()
        self.page = min(max(self.page, 1), MAX_PAGE)
        self.per_page = min(max(self.per_page, 1), MAX_PER_PAGE)
        self.opd = " ".join((self.opd or "").split())[:MAX_FILTER_CHARS]
        self.category = " ".join((self.category or "").split())[:MAX_FILTER_CHARS]
        if self.sort not in SORTS:
            self.sort = "relevance"
        if self.kind not in KINDS:
            self.kind = "release"
        if self.date_from and self.date_to and self.date_from > self.date_to:
            self.date_from, self.date_to = self.date_to, self.date_from

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> SearchQuery:
        """Read the search parameters from request arguments; ValueError names a bad one."""
        return cls(
            q=args.get("q") or "",
            page=_whole_number(args, "page", 1),
            per_page=_whole_number(args, "per_page", DEFAULT_PER_PAGE),
            sort=_choice(args, "sort", SORTS),
            opd=args.get("opd") or "",
            category=args.get("category") or "",
            year=_year(args),
            month=_month(args),
            date_from=_day(args, "from"),
            date_to=_day(args, "to"),
            kind=_choice(args, "kind", KINDS),
        )

    def to_args(self) -> dict[str, str | int]:
        """The request arguments that reproduce this query (defaults left out), for links."""
        values: dict[str, str | int | None] = {
            "q": self.q,
            "opd": self.opd,
            "category": self.category,
            "year": self.year,
            "month": self.month,
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "kind": "" if self.kind == "release" else self.kind,
            "sort": "" if self.sort == "relevance" else self.sort,
            "per_page": "" if self.per_page == DEFAULT_PER_PAGE else self.per_page,
            "page": "" if self.page == 1 else self.page,
        }
        return {name: value for name, value in values.items() if value not in ("", None)}

    def replace(self, **changes: object) -> SearchQuery:
        """A copy with some values changed (and clamped again)."""
        return replace(self, **changes)

    @property
    def offset(self) -> int:
        """Index of the first hit on this page."""
        return (self.page - 1) * self.per_page

    @property
    def filters(self) -> list[tuple[str, str]]:
        """The active filters as (argument name, value) pairs, in a stable order."""
        pairs = [
            ("opd", self.opd),
            ("category", self.category),
            ("year", str(self.year) if self.year is not None else ""),
            ("month", self.month),
            ("from", self.date_from.isoformat() if self.date_from else ""),
            ("to", self.date_to.isoformat() if self.date_to else ""),
            ("kind", "" if self.kind == "release" else self.kind),
        ]
        return [(name, value) for name, value in pairs if value]

    def without(self, name: str) -> SearchQuery:
        """This query with one filter (by argument name) removed, back on page 1."""
        attribute = {"from": "date_from", "to": "date_to"}.get(name, name)
        cleared = {"year": None, "date_from": None, "date_to": None, "kind": "release"}
        return self.replace(**{attribute: cleared.get(attribute, ""), "page": 1})


# Request arguments -----------------------------------------------------------------------------


def _whole_number(args: Mapping[str, str], name: str, default: int) -> int:
    """Read an integer argument; empty means `default`; huge values saturate (clamped later)."""
    raw = (args.get(name) or "").strip()
    if not raw:
        return default
    match = _WHOLE_NUMBER.fullmatch(raw)
    if match is None:
        raise ValueError(f"{name} must be a whole number, got {raw[:20]!r}")
    digits = match.group(2).lstrip("0") or "0"
    value = int(digits) if len(digits) <= 9 else 10**9
    return -value if match.group(1) == "-" else value


def _choice(args: Mapping[str, str], name: str, allowed: tuple[str, ...]) -> str:
    raw = (args.get(name) or "").strip().lower()
    if not raw:
        return allowed[0]
    if raw not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}; got {raw[:20]!r}")
    return raw


def _year(args: Mapping[str, str]) -> int | None:
    raw = (args.get("year") or "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) == 4) or int(raw) < FIRST_YEAR:
        raise ValueError(
            f"year must be four digits from {FIRST_YEAR} to 9999 such as 2025, got {raw[:20]!r}"
        )
    return int(raw)


def _month(args: Mapping[str, str]) -> str:
    raw = (args.get("month") or "").strip()
    if not raw:
        return ""
    match = _MONTH.fullmatch(raw)
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"month must look like 2025-10, got {raw[:20]!r}")
    return raw


def _day(args: Mapping[str, str], name: str) -> date | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw) if _DAY.fullmatch(raw) else None
    except ValueError:
        day = None
    if day is None or day.year < FIRST_YEAR:
        raise ValueError(
            f"{name} must be a date from {FIRST_YEAR}-01-01 to 9999-12-31 such as 2025-10-27, "
            f"got {raw[:20]!r}"
        )
    return day
