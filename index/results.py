"""What a search answers: hits, facet counts and one page of results, as plain data.

Views and the API get these, never Whoosh objects; `hit_from_fields` turns a document's stored
fields into a `Hit` for the modules of index/ that read stored documents.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from index.query import SearchQuery

FACETS = ("opd", "category", "year", "month", "kind")


@dataclass
class Hit:
    """One release (or clarification) in a result list."""

    id: str
    url: str
    title: str
    opd: str
    published: datetime | None  # aware, UTC
    snippet: str  # HTML: escaped text, matched words in <mark>; safe to render
    score: float
    status: str
    kind: str
    modified: datetime | None = None  # aware, UTC
    categories: list[str] = field(default_factory=list)
    title_html: str = ""  # HTML: the escaped title with matched words in <mark>; safe to render


@dataclass
class FacetCount:
    """One value of a facet with the number of matching documents."""

    value: str
    count: int
    selected: bool = False


@dataclass
class SearchResults:
    """One page of results, with the total, facet counts, notices and a suggestion."""

    query: SearchQuery
    total: int
    hits: list[Hit]
    notice: str = ""
    facets: dict[str, list[FacetCount]] = field(default_factory=dict)
    suggestion: str = ""  # the query text with misspelt words corrected; "" when none
    widened: bool = False  # True when no document had every word and partial matches are shown
    synonyms: list[str] = field(default_factory=list)  # synonyms searched too, as written

    @property
    def pages(self) -> int:
        """Number of result pages (0 when nothing matched)."""
        return -(-self.total // self.query.per_page)


def hit_from_fields(
    stored: Mapping[str, object], score: float, snippet: str = "", title_html: str = ""
) -> Hit:
    """A Hit from a document's stored fields (for index/ modules; views get Hits, not fields)."""
    categories = str(stored.get("categories", "") or "")
    return Hit(
        id=str(stored["id"]),
        url=str(stored.get("url", "")),
        title=str(stored.get("title", "")),
        opd=str(stored.get("opd", "")),
        published=_aware(stored.get("published")),
        snippet=snippet,
        score=score,
        status=str(stored.get("status", "")),
        kind=str(stored.get("kind", "")),
        modified=_aware(stored.get("modified")),
        categories=[c for c in categories.split(",") if c],
        title_html=title_html,
    )


def _aware(value: object) -> datetime | None:
    return value.replace(tzinfo=UTC) if isinstance(value, datetime) else None
