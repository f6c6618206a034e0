"""Searching the index: a clamped `SearchQuery` in, plain `SearchResults` out.

Views never see Whoosh. The query text understands a deliberate, small syntax; everything else is
plain words:

- ``banjir kedawung``: every word must appear, in any form of its root ("pembangunan" finds
  "membangun"); when no document has them all, the search widens to documents with some of
  them and says so.
- ``"tidak benar"``: an exact phrase. ``-hoaks`` or ``-"pesan berantai"``: exclude.
- ``banjir OR genangan``: either word (``AND`` is the default and may be written).
- ``opd:dishub``, ``opd:"dinas perhubungan"``: the issuing agency; ``judul:banjir`` (or
  ``title:``): the title only.

Plain words are widened with their synonyms from index/data/synonyms.tsv ("vaksin" also finds
"imunisasi", "pkl" finds "pedagang kaki lima"), which rank below the words as typed; quoted
phrases stay exact. A typed word listed in index/data/distinct_forms.tsv does not match a
document holding its stem only in forms of another meaning ("dibanjiri" is not "banjir").

Broken syntax (an unclosed quote, a dangling OR, an empty prefix) is dropped with a notice and
the plain words are searched; no input raises. Results are ranked by BM25F over title (boosted)
and body, or sorted by date; filters (OPD, category, year, month, date range, kind) combine and
come with facet counts over the matches. Unknown words get a "did you mean" suggestion drawn
from the index's own vocabulary. An empty query lists the newest releases; a missing index gives
empty results.

Matching, counting and date order run on per-generation bitsets (`index.tables`) and ranking
on an exact BM25F top-k (`index.ranking`), so a search stays fast on a large archive; Whoosh
still analyses, stores and highlights. If that machinery fails, Whoosh's own matching and
scoring of the bare words answer instead, with a notice.
"""

from __future__ import annotations

import html
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time
from functools import cache, lru_cache

from whoosh.analysis import CompositeAnalyzer
from whoosh.query import Or, Query, Term
from whoosh.searching import Searcher
from whoosh.support.levenshtein import damerau_levenshtein

from archive.months import WIB
from index.analysis import (
    STEM_OVERRIDES,
    STOP_WORDS,
    TOKEN_PATTERN,
    indonesian_analyzer,
    stem_word,
    tokens,
)
from index.ranking import top_k
from index.store import IndexMissing, SearchIndex
from index.synonyms import Term as SynonymTerm
from index.synonyms import distinct_forms, only_other_forms, synonyms
from index.tables import (
    PositionList,
    Tables,
    date_key,
    generation_key,
    ids_of,
    phrase_docs,
    tables_for,
    warm_in_background,
)

log = logging.getLogger(__name__)

MAX_QUERY_CHARS = 500
MAX_PAGE = 1000
MAX_PER_PAGE = 50
DEFAULT_PER_PAGE = 10
MAX_FILTER_CHARS = 300
EXPORT_LIMIT = 1000
FIRST_YEAR = 1000  # date filters start here: year 1 in WIB would fall before datetime.min in UTC
SNIPPET_CHARS = 200
# Up to this many words (or OR groups, or phrases) must all match; longer text, such as a pasted
# message, is searched as any of its words, best matches first.
MAX_ALL_WORDS = 6
TITLE_BOOST = 1.25  # title over body; bench/search_eval.py shows larger boosts cost claim recall
SEARCH_FIELDS = ("title", "body")
SYNONYM_WEIGHT = 0.5  # a synonym ranks at (at most) half the weight of the reader's own words
# Documents read per search to tell a distinct form's other meaning (index/data/distinct_forms.tsv)
FORM_CHECKS = 200

SORTS = ("relevance", "newest", "oldest")
KINDS = ("release", "clarification", "all")
FACETS = ("opd", "category", "year", "month", "kind")


# Shown to the reader, so in Indonesian.
NOTICE_SYNTAX_IGNORED = (
    "Tanda baca khusus pada kata kunci diabaikan; pencarian memakai kata-katanya saja."
)
NOTICE_NO_WORDS = (
    "Kata kunci tidak berisi kata yang bisa dicari "
    '(hanya tanda baca atau kata umum seperti "yang" dan "di").'
)
NOTICE_WIDENED = (
    "Tidak ada rilis yang memuat semua kata itu; ditampilkan rilis yang memuat sebagian kata, "
    "yang paling cocok di atas."
)
NOTICE_LONG_QUERY = (
    "Kata kunci panjang dicari sebagai kata mana pun; rilis yang memuat paling banyak kata "
    "itu ada di atas."
)
NOTICE_ONLY_EXCLUDED = (
    "Kata kunci hanya berisi pengecualian; ditampilkan semua rilis tanpa kata itu, terbaru dulu."
)
PROBLEM_UNCLOSED_QUOTE = "tanda kutip tanpa pasangan"
PROBLEM_DANGLING_OR = "OR tanpa kata di kedua sisinya"
PROBLEM_EMPTY_PREFIX = "awalan opd:/judul: tanpa kata"

_WHOLE_NUMBER = re.compile(r"([+-]?)([0-9]+)")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_WHITESPACE = re.compile(r"\s+")
_PREFIX = re.compile(r"(opd|judul|title):", re.IGNORECASE)
_PREFIX_FIELDS = {"opd": "opd", "judul": "title", "title": "title"}
_HAS_DIGIT = re.compile(r"\d")

# Which index fields (with boosts) a clause searches, by its field prefix.
_CLAUSE_FIELDS: dict[str, tuple[tuple[str, float], ...]] = {
    "": (("title", TITLE_BOOST), ("body", 1.0)),
    "title": (("title", TITLE_BOOST),),
    "opd": (("opd_text", 1.0),),
}


# The request -----------------------------------------------------------------------------------


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


# The answer ------------------------------------------------------------------------------------


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


# Query text ------------------------------------------------------------------------------------


@dataclass
class Clause:
    """One word, or one quoted phrase, of the query text."""

    text: str  # as typed, without its - or field prefix
    terms: list[str]  # index terms (stems), stop words removed
    words: list[str]  # the same words unstemmed and lower-cased, for spelling suggestions
    field: str = ""  # "", "title" or "opd"
    phrase: bool = False
    negated: bool = False
    synonym: bool = False  # added from the synonym table, not typed
    weight: float = 1.0  # multiplies the boost of each term in ranking


@dataclass
class ParsedText:
    """Query text split into AND-ed groups of OR-ed clauses, exclusions and ignored syntax."""

    groups: list[list[Clause]] = field(default_factory=list)
    excluded: list[Clause] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def clauses(self) -> list[Clause]:
        """Every positive clause, in order."""
        return [clause for group in self.groups for clause in group]

    @property
    def has_terms(self) -> bool:
        """Whether anything searchable is left."""
        return bool(self.groups or self.excluded)


_OR = "OR"


def parse_text(text: str) -> ParsedText:
    """Split query text into clauses by the syntax in the module docstring; never raises."""
    items: list[Clause | str] = []
    problems: list[str] = []
    position, end = 0, len(text)
    negate_next = False
    while position < end:
        if text[position].isspace():
            position += 1
            continue
        negated, negate_next = negate_next, False
        if text[position] == "-" and position + 1 < end and not text[position + 1].isspace():
            negated = True
            position += 1
        field_name = ""
        prefix = _PREFIX.match(text, position)
        if prefix:
            field_name = _PREFIX_FIELDS[prefix.group(1).lower()]
            position = prefix.end()
            if position >= end or text[position].isspace():
                problems.append(PROBLEM_EMPTY_PREFIX)
                continue
        if text[position] == '"':
            close = text.find('"', position + 1)
            if close == -1:  # read the rest as plain words
                problems.append(PROBLEM_UNCLOSED_QUOTE)
                position += 1
                continue
            items.append(_clause(text[position + 1 : close], field_name, True, negated))
            position = close + 1
            continue
        stop = position
        while stop < end and not text[stop].isspace() and text[stop] != '"':
            stop += 1
        chunk = text[position:stop]
        position = stop
        if not negated and not field_name and chunk in ("OR", "AND", "NOT"):
            if chunk == "OR":
                items.append(_OR)
            elif chunk == "NOT":
                negate_next = True
            continue
        items.append(_clause(chunk, field_name, False, negated))
    return _group(items, problems)


def _clause(text: str, field_name: str, phrase: bool, negated: bool) -> Clause:
    return Clause(
        text=text,
        terms=tokens(text),
        words=_surface_words(text),
        field=field_name,
        phrase=phrase,
        negated=negated,
    )


def _group(items: list[Clause | str], problems: list[str]) -> ParsedText:
    """Join clauses around OR into groups; drop clauses without searchable words."""
    parsed = ParsedText(problems=problems)
    join_next = False
    for number, item in enumerate(items):
        if item == _OR:
            before = items[number - 1] if number > 0 else None
            after = items[number + 1] if number + 1 < len(items) else None
            if (
                isinstance(before, Clause)
                and isinstance(after, Clause)
                and not before.negated
                and not after.negated
            ):
                join_next = True
            elif PROBLEM_DANGLING_OR not in problems:
                problems.append(PROBLEM_DANGLING_OR)
            continue
        assert isinstance(item, Clause)
        if item.negated:
            if item.terms:
                parsed.excluded.append(item)
        elif join_next and parsed.groups:
            parsed.groups[-1].append(item)
        else:
            parsed.groups.append([item])
        join_next = False
    parsed.groups = [g for g in ([c for c in group if c.terms] for group in parsed.groups) if g]
    return parsed


@cache
def _analyzer() -> CompositeAnalyzer:
    return indonesian_analyzer()


def _surface_words(text: str) -> list[str]:
    """Lower-cased words of `text` without stemming (stop words removed), as spell_body holds."""
    return [token.text for token in _analyzer()(text, no_morph=True)]


def with_synonyms(parsed: ParsedText) -> ParsedText:
    """`parsed` with every plain word, or run of plain words, that the synonym table
    (index/data/synonyms.tsv) knows OR-ed with the other entries of its group.

    A run of words ("pedagang kaki lima") becomes one group: the words as typed (all of them,
    in one field) or any synonym ("pkl"). Synonyms of several words must appear in a row.
    Quoted phrases, exclusions and opd: clauses are left exact. The longest entry wins.
    """
    table = synonyms()
    groups: list[list[Clause]] = []
    at = 0
    while at < len(parsed.groups):
        length, own = _entry_at(parsed.groups, at, table.longest)
        if own is not None:
            extra = [_synonym(term, own) for term in table.alternatives(tuple(own.terms))]
            groups.append([own, *extra])
            at += length
            continue
        group = list(parsed.groups[at])
        for clause in parsed.groups[at]:
            if _expandable(clause):
                terms = tuple(clause.terms)
                group += [_synonym(term, clause) for term in table.alternatives(terms)]
        groups.append(group)
        at += 1
    return replace(parsed, groups=groups)


def _expandable(clause: Clause) -> bool:
    return not (clause.phrase or clause.negated or clause.synonym) and clause.field != "opd"


def _entry_at(groups: list[list[Clause]], at: int, longest: int) -> tuple[int, Clause | None]:
    """(number of groups, joined clause) of the longest synonym entry starting at `groups[at]`
    made of single-clause groups in the same field; (0, None) when none starts there."""
    table = synonyms()
    for length in range(min(longest, len(groups) - at), 0, -1):
        run = [group[0] for group in groups[at : at + length] if len(group) == 1]
        if len(run) < length or not all(_expandable(c) for c in run):
            continue
        if len({clause.field for clause in run}) > 1:
            continue
        terms = tuple(term for clause in run for term in clause.terms)
        if table.alternatives(terms):
            if length == 1:
                return 1, run[0]
            return length, Clause(
                text=" ".join(clause.text for clause in run),
                terms=list(terms),
                words=[word for clause in run for word in clause.words],
                field=run[0].field,
            )
    return 0, None


def _synonym(term: SynonymTerm, own: Clause) -> Clause:
    """The clause searching `term` in place of `own`, in the same field. Each of its terms weighs
    SYNONYM_WEIGHT, less when it has more terms than `own`: the three words of "pedagang kaki
    lima" together must not outweigh a typed "pkl"."""
    return Clause(
        text=term.text,
        terms=list(term.terms),
        words=_surface_words(term.text),
        field=own.field,
        phrase=len(term.terms) > 1,
        synonym=True,
        weight=SYNONYM_WEIGHT * min(1.0, len(own.terms) / len(term.terms)),
    )


# Searching -------------------------------------------------------------------------------------


def search(index: SearchIndex, query: SearchQuery) -> SearchResults:
    """Return one page of matches with facets; newest first when `query.q` is empty."""
    return _run(index, query, query.offset, query.per_page, full=True)


def export(
    index: SearchIndex, query: SearchQuery, limit: int = EXPORT_LIMIT, *, snippets: bool = False
) -> SearchResults:
    """Return up to `limit` (at most EXPORT_LIMIT) matches from the first, in the query's order.

    For feeds and downloads: no facets, no suggestion and no paging (the page is ignored);
    snippets only when asked for.
    """
    count = max(0, min(limit, EXPORT_LIMIT))
    return _run(index, query, 0, count, full=False, snippets=snippets)


def clarifications_for(index: SearchIndex, query: SearchQuery, limit: int = 3) -> SearchResults:
    """Published clarifications matching the words of `query.q`, best first, whatever the
    release filters; nothing for an empty query or when only some of the words match."""
    wanted = SearchQuery(q=query.q, kind="clarification", per_page=max(1, limit))
    if not wanted.q or limit < 1:
        return SearchResults(wanted, 0, [])
    results = _run(index, wanted, 0, limit, full=False, snippets=True)
    if results.widened:
        return SearchResults(wanted, 0, [])
    return results


def latest(index: SearchIndex, limit: int = 10) -> list[Hit]:
    """Return the `limit` most recently published releases (empty when there is no index)."""
    if limit < 1:
        return []
    return _run(index, SearchQuery(), 0, limit, full=False, snippets=True).hits


def _run(
    index: SearchIndex,
    query: SearchQuery,
    offset: int,
    count: int,
    *,
    full: bool,
    snippets: bool | None = None,
) -> SearchResults:
    parsed = parse_text(query.q)
    if query.q and not parsed.has_terms:
        notice = _notice(parsed.problems, NOTICE_NO_WORDS)
        return SearchResults(query, 0, [], notice=notice)
    try:
        with index.searcher() as searcher:
            run = _Run(searcher, query, parsed, full, full if snippets is None else snippets)
            if run.tables.claim_warming():
                warm_in_background(run.tables, index.searcher)
            return run.page(offset, count)
    except IndexMissing:
        return SearchResults(query, 0, [], notice=_notice(parsed.problems))


# (generation, stem, other forms) -> (documents checked, those with other forms only)
_FORM_CHECKS: OrderedDict[tuple, tuple[int, int]] = OrderedDict()
_FORM_CHECK_ENTRIES = 64
_FORM_LOCK = threading.Lock()


class _Run:
    """One search against one searcher: matching set, facets, ordering and hits.

    Sets of documents are bitsets from `index.tables`; ranking is `index.ranking.top_k`. If
    anything in that machinery fails, the search falls back to Whoosh's own matching and
    scoring of the bare words, with a notice.
    """

    def __init__(
        self, searcher: Searcher, query: SearchQuery, parsed: ParsedText, full: bool, snippets: bool
    ) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.query = query
        self.typed = parsed
        self.parsed = parsed = with_synonyms(parsed)
        self.full = full
        self.snippets = snippets
        self.tables: Tables = tables_for(searcher)
        self.notices: list[str] = []
        self.widened = False
        self.scored: list[tuple[str, str, float]] = []  # (field, term, boost) to rank by
        # A synonym of several words is not marked: its words one by one ("kota" of "angkutan
        # kota") would mark much that did not match.
        self.highlight_terms = frozenset(
            term
            for clause in parsed.clauses
            if clause.field != "opd" and not (clause.synonym and len(clause.terms) > 1)
            for term in clause.terms
        )

    def page(self, offset: int, count: int) -> SearchResults:
        """Match, count, order and load one slice of hits."""
        allowed = self._allowed()
        try:
            matched = self._match(allowed)
            matched = self._without_other_meanings(matched, offset + count)
            hits = self._hits(matched, offset, count)
            total = matched.bit_count()
        except Exception:  # reader input must never become a server error
            log.warning("search %r failed; using the bare words", self.query.q, exc_info=True)
            return self._fallback(allowed, offset, count)
        results = SearchResults(
            self.query,
            total,
            hits,
            notice=_notice(self.parsed.problems, *self.notices),
            widened=self.widened,
            synonyms=list(dict.fromkeys(c.text for c in self.parsed.clauses if c.synonym)),
        )
        if self.full:
            results.facets = self._facets(matched)
            results.suggestion = _suggestion(self.searcher, self.query.q, self.typed)
        return results

    def _allowed(self) -> int:
        query = self.query
        start = end = None
        if query.date_from:
            start = date_key(self.searcher, _utc(query.date_from, time.min))
        if query.date_to:
            end = date_key(self.searcher, _utc(query.date_to, time.max))
        return self.tables.filter_bits(
            opd=query.opd,
            category=query.category,
            year=query.year,
            month=query.month,
            kind="" if query.kind == "all" else query.kind,
            start=start,
            end=end,
        )

    def _match(self, allowed: int) -> int:
        """The allowed documents the query text matches; sets the terms to rank by."""
        parsed = self.parsed
        if not parsed.has_terms:
            return allowed
        excluded = 0
        for clause in parsed.excluded:
            excluded |= self._clause_bits(clause)
        if not parsed.groups:
            self.notices.append(NOTICE_ONLY_EXCLUDED)
            return allowed & ~excluded
        groups = []
        for group in parsed.groups:
            bits = 0
            for clause in group:
                bits |= self._clause_bits(clause)
            groups.append(bits)
        self.scored = [
            (name, term, boost * clause.weight)
            for clause in parsed.clauses
            for term in clause.terms
            for name, boost in _CLAUSE_FIELDS[clause.field]
            if name in SEARCH_FIELDS
        ]
        if len(groups) <= MAX_ALL_WORDS:
            matched = allowed & ~excluded
            for bits in groups:
                matched &= bits
            if matched or len(groups) == 1:
                return matched
        anything = 0
        for bits in groups:
            anything |= bits
        matched = allowed & anything & ~excluded
        if matched:
            self.widened = True
            self.notices.append(
                NOTICE_WIDENED if len(groups) <= MAX_ALL_WORDS else NOTICE_LONG_QUERY
            )
        return matched

    def _without_other_meanings(self, matched: int, wanted: int) -> int:
        """`matched` less the documents holding a typed word only in forms of another meaning
        (index/data/distinct_forms.tsv: "dibanjiri" is not "banjir").

        Only a word that must match (alone in its group, every word required) is checked, from
        the stored title and body. A set of up to FORM_CHECKS documents is checked whole; a larger
        one in result order, until the first `wanted` documents are all checked or FORM_CHECKS
        documents were read. Answers are kept per index generation.
        """
        if self.widened or not matched:
            return matched
        table = distinct_forms()
        generation = generation_key(self.reader)
        keys = [
            (generation, table[word].stem, table[word].others(word))
            for group in self.parsed.groups
            if len(group) == 1 and not group[0].synonym and group[0].field != "opd"
            for word in group[0].words
            if word in table
        ]
        if not keys:
            return matched
        with _FORM_LOCK:
            known = [_FORM_CHECKS.get(key, (0, 0)) for key in keys]
        checked = [bits for bits, _ in known]
        dropped = [bits for _, bits in known]
        budget = FORM_CHECKS
        while budget > 0:
            for bits in dropped:
                matched &= ~bits
            every = -1
            for bits in checked:
                every &= bits
            if matched.bit_count() <= budget:
                unchecked = ids_of(matched & ~every)
            else:
                unchecked = [doc for doc in self._order(matched, wanted) if not every >> doc & 1]
            if not unchecked:
                break
            for doc in unchecked[:budget]:
                stored = self.searcher.stored_fields(doc)
                text = f"{stored.get('title', '')}\n{stored.get('body', '')}"
                for number, (_, stem, others) in enumerate(keys):
                    checked[number] |= 1 << doc
                    if only_other_forms(text, stem, others):
                        dropped[number] |= 1 << doc
            budget -= len(unchecked)
        with _FORM_LOCK:
            for key, checked_bits, dropped_bits in zip(keys, checked, dropped, strict=True):
                _FORM_CHECKS[key] = (checked_bits, dropped_bits)
                _FORM_CHECKS.move_to_end(key)
            while len(_FORM_CHECKS) > _FORM_CHECK_ENTRIES:
                _FORM_CHECKS.popitem(last=False)
        for bits in dropped:
            matched &= ~bits
        return matched

    def _order(self, matched: int, count: int) -> list[int]:
        """The first `count` documents of `matched` in the order the results will show them."""
        if self.query.sort == "relevance" and self.scored:
            return [doc for doc, _ in top_k(self.tables, self.reader, self.scored, matched, count)]
        newest = self.query.sort != "oldest"
        return self.tables.in_date_order(matched, count, newest=newest)

    def _clause_bits(self, clause: Clause) -> int:
        """Documents matching one clause: every term (in any of the clause's fields); a phrase
        also needs its terms in a row, checked against positions only where all terms occur."""
        fields = [name for name, _ in _CLAUSE_FIELDS[clause.field]]
        per_field = {}
        for name in fields:
            bits = -1  # every document, until the first term narrows it
            for term in dict.fromkeys(clause.terms):
                bits &= self.tables.postings(self.reader, name, term).bits
            per_field[name] = bits if bits != -1 else 0
        if not (clause.phrase and len(clause.terms) > 1):
            found = 0
            for bits in per_field.values():
                found |= bits
            return found

        def positions() -> list[int]:
            docs: set[int] = set()
            for name, bits in per_field.items():
                if bits:
                    docs.update(
                        phrase_docs(
                            self.reader, name, clause.terms, bits, self._position_list(name)
                        )
                    )
            return sorted(docs)

        return self.tables.phrase_bits((tuple(fields), tuple(clause.terms)), positions)

    def _position_list(self, name: str) -> Callable[[str], PositionList]:
        """A term's cached positions in field `name`, for `phrase_docs`."""
        return lambda term: self.tables.positions(self.reader, name, term)

    def _hits(self, matched: int, offset: int, count: int) -> list[Hit]:
        if count <= 0 or not matched:
            return []
        sort = self.query.sort
        if sort == "relevance" and not self.scored:
            sort = "newest"
        if sort == "relevance":
            ranked = top_k(self.tables, self.reader, self.scored, matched, offset + count)
            scored = ranked[offset:]
        else:
            ordered = self.tables.in_date_order(matched, offset + count, newest=sort == "newest")
            scored = [(docnum, 0.0) for docnum in ordered[offset:]]
        return [self._hit(docnum, score) for docnum, score in scored]

    def _hit(self, docnum: int, score: float) -> Hit:
        stored = self.searcher.stored_fields(docnum)
        if not self.snippets:
            return hit_from_fields(stored, score)
        title = stored.get("title", "")
        body = stored.get("body", "")
        return hit_from_fields(
            stored,
            score,
            snippet=_marked(body, self.highlight_terms) or _lead(body),
            title_html=_marked(title, self.highlight_terms, whole=True) or html.escape(title),
        )

    def _facets(self, matched: int) -> dict[str, list[FacetCount]]:
        query = self.query
        selected = {
            "opd": query.opd,
            "category": query.category,
            "year": str(query.year) if query.year is not None else "",
            "month": query.month,
            "kind": "" if query.kind == "all" else query.kind,
        }
        counts = self.tables.count(matched)
        return {
            name: [FacetCount(value, n, value == selected[name]) for value, n in counts[name]]
            for name in FACETS
        }

    def _fallback(self, allowed: int, offset: int, count: int) -> SearchResults:
        """Whoosh alone: any of the bare words, BM25F-ranked, within the filters."""
        notice = _notice(self.parsed.problems, NOTICE_SYNTAX_IGNORED)
        query = _bare_words(self.query.q)
        if query is None:
            return SearchResults(self.query, 0, [], notice=notice)
        allow = set(ids_of(allowed))
        results = self.searcher.search(query, filter=allow, limit=offset + count)
        self.highlight_terms = frozenset(tokens(self.query.q))
        hits = [self._hit(hit.docnum, float(hit.score or 0.0)) for hit in results[offset:]]
        return SearchResults(self.query, len(results), hits, notice=notice, widened=True)


def _bare_words(text: str) -> Query | None:
    """The plain-words query: any word of `text` in title or body."""
    terms = [
        Term(name, word, boost=TITLE_BOOST if name == "title" else 1.0)
        for word in dict.fromkeys(tokens(text))
        for name in SEARCH_FIELDS
    ]
    return Or(terms) if terms else None


def _notice(problems: list[str], *notices: str) -> str:
    sentences = []
    if problems:
        details = "; ".join(dict.fromkeys(problems))
        sentences.append(
            f"Sebagian sintaks diabaikan ({details}); pencarian memakai kata-katanya saja."
        )
    sentences.extend(notice for notice in notices if notice)
    return " ".join(dict.fromkeys(sentences))


# "Did you mean" --------------------------------------------------------------------------------


def _suggestion(searcher: Searcher, text: str, parsed: ParsedText) -> str:
    """The query text with each unknown word replaced by its nearest indexed word, or ""."""
    reader = searcher.reader()
    corrections: dict[str, str] = {}
    for clause in parsed.clauses + parsed.excluded:
        if clause.field == "opd":
            continue
        for word in clause.words:
            if word in corrections or _HAS_DIGIT.search(word) or len(word) < 4:
                continue
            if any(
                reader.doc_frequency(name, term) for term in tokens(word) for name in SEARCH_FIELDS
            ):
                continue
            better = _nearest_word(searcher, word)
            if better:
                corrections[word] = better
    if not corrections:
        return ""
    pattern = re.compile(
        r"(?<!\w)(" + "|".join(re.escape(word) for word in corrections) + r")(?!\w)",
        re.IGNORECASE,
    )
    return pattern.sub(lambda m: corrections.get(m.group(1).lower(), m.group(1)), text)


# Affixes tried when a misspelt word is not near any root as a whole ("pembanguan" is far from
# "bangun", but "banguan" between "pem-" and "" is one edit away). Longest first.
_PREFIXES = (
    "memper", "menge", "penge", "meng", "meny", "peng", "peny", "mem", "men", "pem", "pen",
    "per", "ber", "ter", "me", "pe", "di", "ke", "se",
)  # fmt: skip
_SUFFIXES = ("kannya", "annya", "nya", "kan", "an", "i")


def _nearest_word(searcher: Searcher, word: str) -> str:
    """The likeliest indexed word for a misspelt one, from the index's own vocabulary.

    The index holds roots, so candidates are roots one edit away from the word, or one edit
    away from the word without a common prefix and suffix, which are then put back when the
    result still has that root ("pembanguan" -> "pembangunan"); failing those, roots two edits
    from a long word. Fewer edits first, then whole-word matches, then more of the typed
    affixes kept, then the root found in more documents.
    """
    reader = searcher.reader()
    vocabulary = tables_for(searcher).vocabulary(reader, SEARCH_FIELDS)
    ranked: list[tuple[int, int, int, int, str]] = []
    for penalty, (prefix, core, suffix) in enumerate(_splits(word)):
        for root in _one_edit(core) & vocabulary:
            frequency = sum(reader.doc_frequency(name, root) for name in SEARCH_FIELDS)
            keep = -len(prefix + suffix)
            ranked.append((1, min(penalty, 1), keep, -frequency, _reattach(prefix, root, suffix)))
    if not ranked and len(word) >= 6:  # two edits: Whoosh's automaton over the vocabulary
        for leaf, _offset in reader.leaf_readers():
            for name in SEARCH_FIELDS:
                if name not in leaf.schema:
                    continue
                for root in leaf.terms_within(name, word, 2, prefix=1):
                    if root != word and damerau_levenshtein(root, word) <= 2:
                        frequency = sum(reader.doc_frequency(n, root) for n in SEARCH_FIELDS)
                        ranked.append((2, 0, 0, -frequency, root))
    return min(ranked)[4] if ranked else ""


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _one_edit(word: str) -> set[str]:
    """Every string one deletion, transposition, replacement or insertion away from `word`."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    transposes = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    inserts = {a + c + b for a, b in splits for c in _LETTERS}
    return (deletes | transposes | replaces | inserts) - {word}


def _splits(word: str) -> list[tuple[str, str, str]]:
    """The word whole, then (prefix, core, suffix) for each affix pair it may carry."""
    splits = [("", word, "")]
    for prefix in ("", *_PREFIXES):
        if not word.startswith(prefix):
            continue
        for suffix in ("", *_SUFFIXES):
            if (prefix or suffix) and word.endswith(suffix):
                core = word[len(prefix) : len(word) - len(suffix)]
                if len(core) >= 3:
                    splits.append((prefix, core, suffix))
    return splits


def _reattach(prefix: str, root: str, suffix: str) -> str:
    """prefix + root + suffix when that word still stems to root, else the root alone."""
    if not (prefix or suffix):
        return root
    word = prefix + root + suffix
    return word if stem_word(word) == root else root


# Hits and snippets -----------------------------------------------------------------------------


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


def _utc(day: date, clock: time) -> datetime:
    """The naive-UTC moment of `clock` on `day` in Malang time (how Whoosh stores dates)."""
    return datetime.combine(day, clock, tzinfo=WIB).astimezone(UTC).replace(tzinfo=None)


def _marked(text: str, terms: frozenset[str], whole: bool = False) -> str:
    """`text` escaped, with the words whose terms are in `terms` wrapped in <mark>; "" if none.

    For a body: the (at most) two passages holding the most distinct matched words, each about
    SNIPPET_CHARS / 2 long, in text order, with an ellipsis at every cut. With `whole`: the
    whole text (titles). Words are found exactly as the index analyses them (same pattern,
    stop list and stemmer), so "pembangunan" marks "membangun". Stemming an unseen word costs
    ~0.2 ms, so a word is only stemmed if it could have one of the terms as its root: a root is
    the word minus affixes with at most its first letter changed (menulis -> tulis), so all
    but a term's first letter must appear in the word (overrides are looked up directly).
    """
    if not terms or not text:
        return ""
    may_match = _root_pattern(terms).search
    spans = [
        (match.start(), match.end(), stem)
        for match in TOKEN_PATTERN.finditer(text)
        if (word := match.group().lower()) not in STOP_WORDS
        and (word in STEM_OVERRIDES or may_match(word))
        and (stem := stem_word(word)) in terms
    ]
    if not spans:
        return ""
    if whole:
        return _format(text, [(0, len(text), spans)])
    return _format(text, _best_passages(text, spans))


@lru_cache(maxsize=256)
def _root_pattern(terms: frozenset[str]) -> re.Pattern[str]:
    """A pattern finding any term minus its first letter (see `_marked`)."""
    cores = sorted({term[1:] for term in terms}, key=len, reverse=True)
    return re.compile("|".join(re.escape(core) for core in cores))


def _best_passages(
    text: str, spans: list[tuple[int, int, str]], top: int = 2
) -> list[tuple[int, int, list[tuple[int, int, str]]]]:
    """Group nearby matches into passages, keep the `top` richest, widen them with context."""
    width, context = SNIPPET_CHARS // 2, 40
    groups: list[list[tuple[int, int, str]]] = []
    for span in spans:
        if groups and span[1] - groups[-1][0][0] <= width:
            groups[-1].append(span)
        else:
            groups.append([span])
    ranked = sorted(
        range(len(groups)),
        key=lambda i: (-len({stem for _, _, stem in groups[i]}), -len(groups[i]), i),
    )
    passages: list[tuple[int, int, list[tuple[int, int, str]]]] = []
    for i in sorted(ranked[:top]):
        group = groups[i]
        start = max(0, group[0][0] - context)
        while start > 0 and text[start - 1].isalnum():  # never cut a word in two
            start -= 1
        end = min(len(text), group[-1][1] + context)
        while end < len(text) and text[end].isalnum():
            end += 1
        if passages and start <= passages[-1][1]:  # touching passages become one
            previous = passages.pop()
            start, group = previous[0], previous[2] + group
        passages.append((start, end, group))
    return passages


def _format(text: str, passages: list[tuple[int, int, list[tuple[int, int, str]]]]) -> str:
    """Escaped passages with <mark>s, joined and bracketed by ellipses where text was cut."""
    parts = []
    for start, end, spans in passages:
        pieces, position = [], start
        for span_start, span_end, _ in spans:
            pieces.append(html.escape(text[position:span_start]))
            pieces.append(f"<mark>{html.escape(text[span_start:span_end])}</mark>")
            position = span_end
        pieces.append(html.escape(text[position:end]))
        parts.append(_WHITESPACE.sub(" ", "".join(pieces)).strip())
    before = "… " if passages[0][0] > 0 else ""
    after = " …" if passages[-1][1] < len(text) else ""
    return before + " … ".join(parts) + after


def _lead(text: str) -> str:
    """The escaped first ~SNIPPET_CHARS characters of `text`, cut at a word boundary."""
    text = " ".join(text.split())
    if len(text) <= SNIPPET_CHARS:
        return html.escape(text)
    cut = text.rfind(" ", 0, SNIPPET_CHARS)
    if cut < SNIPPET_CHARS // 2:
        cut = SNIPPET_CHARS
    return html.escape(text[:cut]) + " …"


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
