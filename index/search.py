"""Searching the release index: a clamped `SearchQuery` in, plain `SearchResults` out.

Views never see Whoosh. User text is plain words: the only syntax honoured is a "quoted phrase";
field prefixes, wildcards, ranges, boosts and boolean operators are read as ordinary words. No
user input raises: whatever the parser cannot handle falls back to the plain words with a notice.
An empty query lists the newest releases, and a missing index gives empty results.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from whoosh import highlight
from whoosh.qparser import MultifieldParser, OrGroup, PhrasePlugin
from whoosh.query import Every, Or, Query, Term
from whoosh.searching import Hit as WhooshHit
from whoosh.searching import Searcher

from index.analysis import tokens
from index.store import IndexMissing, SearchIndex

log = logging.getLogger(__name__)

MAX_QUERY_CHARS = 500
MAX_PAGE = 1000
MAX_PER_PAGE = 50
DEFAULT_PER_PAGE = 10
SNIPPET_CHARS = 200
TITLE_BOOST = 2.0
SEARCH_FIELDS = ("title", "body")

# Shown to the reader, so in Indonesian.
NOTICE_SYNTAX_IGNORED = (
    "Tanda baca khusus pada kata kunci diabaikan; pencarian memakai kata-katanya saja."
)
NOTICE_NO_WORDS = (
    "Kata kunci tidak berisi kata yang bisa dicari "
    '(hanya tanda baca atau kata umum seperti "yang" dan "di").'
)

_WHOLE_NUMBER = re.compile(r"([+-]?)([0-9]+)")
_WHITESPACE = re.compile(r"\s+")


@dataclass
class SearchQuery:
    """What the reader asked for; values are clamped on construction."""

    q: str = ""
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    def __post_init__(self) -> None:
        self.q = (self.q or "").strip()[:MAX_QUERY_CHARS].rstrip()
        self.page = min(max(self.page, 1), MAX_PAGE)
        self.per_page = min(max(self.per_page, 1), MAX_PER_PAGE)

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> SearchQuery:
        """Read q, page and per_page from request arguments; ValueError if a number is not one."""
        return cls(
            q=args.get("q") or "",
            page=_whole_number(args, "page", 1),
            per_page=_whole_number(args, "per_page", DEFAULT_PER_PAGE),
        )

    @property
    def offset(self) -> int:
        """Index of the first hit on this page."""
        return (self.page - 1) * self.per_page


@dataclass
class Hit:
    """One release in a result list."""

    id: str
    url: str
    title: str
    opd: str
    published: datetime | None  # aware, UTC
    snippet: str  # HTML: escaped text, matched words in <mark>; safe to render
    score: float
    status: str
    kind: str


@dataclass
class SearchResults:
    """One page of results, with the total number of matching releases."""

    query: SearchQuery
    total: int
    hits: list[Hit]
    notice: str = ""

    @property
    def pages(self) -> int:
        """Number of result pages (0 when nothing matched)."""
        return -(-self.total // self.query.per_page)


def search(index: SearchIndex, query: SearchQuery) -> SearchResults:
    """Return one page of releases matching `query`; newest first when `query.q` is empty."""
    if not query.q:
        total, hits = _newest(index, query.offset, query.per_page)
        return SearchResults(query, total, hits)
    if not tokens(query.q):
        return SearchResults(query, 0, [], notice=NOTICE_NO_WORDS)
    try:
        with index.searcher() as searcher:
            return _search_words(searcher, query)
    except IndexMissing:
        return SearchResults(query, 0, [])


def latest(index: SearchIndex, limit: int = 10) -> list[Hit]:
    """Return the `limit` most recently published releases (empty when there is no index)."""
    if limit < 1:
        return []
    return _newest(index, 0, limit)[1]


def _search_words(searcher: Searcher, query: SearchQuery) -> SearchResults:
    parsed, notice = _parse(searcher, query.q)
    results = searcher.search(parsed, limit=query.offset + query.per_page, terms=True)
    results.fragmenter = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS // 2, surround=40)
    results.formatter = _MarkFormatter()
    page = results[query.offset : query.offset + query.per_page]
    return SearchResults(query, len(results), [_hit(hit, _snippet(hit)) for hit in page], notice)


def _parse(searcher: Searcher, text: str) -> tuple[Query, str]:
    """Parse plain words and "phrases" over title and body; fall back to bare words on failure."""
    parser = MultifieldParser(
        list(SEARCH_FIELDS),
        searcher.schema,
        fieldboosts={"title": TITLE_BOOST},
        # Plain OR on purpose: OrGroup.factory(0.9) wraps the query in Whoosh's CoordMatcher,
        # which scores 0.0 for every hit when only one (field, word) pair exists in the index,
        # e.g. any single-word query whose word occurs only in bodies, or next to a typo.
        group=OrGroup,
        plugins=[PhrasePlugin()],
    )
    try:
        return parser.parse(text), ""
    except Exception:  # the parser must never turn reader input into a server error
        log.info("query parser failed on %r; searching the bare words", text, exc_info=True)
    boosts = {"title": TITLE_BOOST}
    terms = [
        Term(name, word, boost=boosts.get(name, 1.0))
        for word in dict.fromkeys(tokens(text))
        for name in SEARCH_FIELDS
    ]
    return Or(terms), NOTICE_SYNTAX_IGNORED


def _newest(index: SearchIndex, offset: int, count: int) -> tuple[int, list[Hit]]:
    """Return the document total and `count` releases from `offset`, newest published first."""
    try:
        with index.searcher() as searcher:
            results = searcher.search(
                Every(), sortedby="published", reverse=True, limit=offset + count
            )
            page = results[offset : offset + count]
            return searcher.doc_count(), [_hit(hit, _lead(hit.get("body", ""))) for hit in page]
    except IndexMissing:
        return 0, []


def _hit(hit: WhooshHit, snippet: str) -> Hit:
    stored = hit.fields()
    published = stored.get("published")
    return Hit(
        id=stored["id"],
        url=stored.get("url", ""),
        title=stored.get("title", ""),
        opd=stored.get("opd", ""),
        published=published.replace(tzinfo=UTC) if published else None,
        snippet=snippet,
        score=float(hit.score or 0.0),
        status=stored.get("status", ""),
        kind=stored.get("kind", ""),
    )


def _snippet(hit: WhooshHit) -> str:
    """Highlighted passages of the body, or its escaped opening when no body word matched."""
    body = hit.get("body", "")
    try:
        marked = hit.highlights("body", top=2)
    except Exception:  # highlighting is a nicety; never lose the hit over it
        log.warning("highlighting failed for %s", hit.get("id"), exc_info=True)
        marked = ""
    return marked or _lead(body)


def _lead(text: str) -> str:
    """The escaped first ~SNIPPET_CHARS characters of `text`, cut at a word boundary."""
    text = " ".join(text.split())
    if len(text) <= SNIPPET_CHARS:
        return html.escape(text)
    cut = text.rfind(" ", 0, SNIPPET_CHARS)
    if cut < SNIPPET_CHARS // 2:
        cut = SNIPPET_CHARS
    return html.escape(text[:cut]) + " …"


class _MarkFormatter(highlight.Formatter):
    """Escape the text and wrap matched words in <mark>; an ellipsis marks each cut."""

    between = " … "

    def _text(self, text: str) -> str:
        return html.escape(_WHITESPACE.sub(" ", text))

    def format_token(self, text: str, token, replace: bool = False) -> str:
        return f"<mark>{html.escape(highlight.get_text(text, token, replace))}</mark>"

    def format(self, fragments, replace: bool = False) -> str:
        if not fragments:
            return ""
        marked = self.between.join(
            self.format_fragment(fragment, replace).strip() for fragment in fragments
        )
        before = "… " if fragments[0].startchar > 0 else ""
        after = " …" if fragments[-1].endchar < len(fragments[-1].text) else ""
        return f"{before}{marked}{after}"


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
