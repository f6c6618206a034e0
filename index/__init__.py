"""Search index: Indonesian analysis, the Whoosh store and searching; views use only this API."""

from index.query import SearchQuery
from index.results import Hit, SearchResults
from index.search import latest, search
from index.store import IndexBusy, IndexDoc, IndexMissing, SearchIndex, SearchIndexError
from index.whoosh_internals import status as internals_status

__all__ = [
    "Hit",
    "IndexBusy",
    "IndexDoc",
    "IndexMissing",
    "SearchIndex",
    "SearchIndexError",
    "SearchQuery",
    "SearchResults",
    "internals_status",
    "latest",
    "search",
]
