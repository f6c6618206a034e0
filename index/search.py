"""Running a search: a clamped `SearchQuery` in, plain `SearchResults` out; views never see Whoosh.

The query text is parsed (`index.syntax`) and its plain words widened with their synonyms. Every
word must match; when no document has them all, the search widens to documents with some of them
and says so, and a long text (a pasted message, say) is searched as any of its words from the
start. A typed word listed in index/data/distinct_forms.tsv does not match a document holding its
stem only in forms of another meaning ("dibanjiri" is not "banjir"). Results are ranked by BM25F
over title (boosted) and body, or sorted by date; filters (OPD, category, year, month, date range,
kind) combine and come with facet counts over the matches, a "did you mean" suggestion
(`index.suggest`) and snippets (`index.snippets`). An empty query lists the newest releases; a
missing index gives empty results; no input raises.

Matching, counting and date order run on per-generation bitsets (`index.tables`) and ranking
on an exact BM25F top-k (`index.ranking`), so a search stays fast on a large archive; Whoosh
still analyses, stores and highlights. If that machinery fails, Whoosh's own matching and
scoring of the bare words answer instead, with a notice.
"""

from __future__ import annotations

import html
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, date, datetime, time

from whoosh.query import Or, Query, Term
from whoosh.searching import Searcher

from archive.months import WIB
from index.analysis import tokens
from index.query import SearchQuery
from index.ranking import top_k
from index.results import FACETS, FacetCount, Hit, SearchResults, hit_from_fields
from index.snippets import lead, marked
from index.store import IndexMissing, SearchIndex
from index.suggest import suggestion
from index.synonyms import distinct_forms, only_other_forms
from index.syntax import (
    CLAUSE_FIELDS,
    SEARCH_FIELDS,
    TITLE_BOOST,
    Clause,
    ParsedText,
    parse_text,
    with_synonyms,
)
from index.tables import (
    PositionList,
    Tables,
    date_key,
    ids_of,
    phrase_docs,
    tables_for,
    warm_in_background,
)
from index.whoosh_internals import generation_key

log = logging.getLogger(__name__)

EXPORT_LIMIT = 1000
# Up to this many words (or OR groups, or phrases) must all match; longer text, such as a pasted
# message, is searched as any of its words, best matches first.
MAX_ALL_WORDS = 6
# Documents read per search to tell a distinct form's other meaning (index/data/distinct_forms.tsv)
FORM_CHECKS = 200

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
            results.suggestion = suggestion(self.searcher, self.query.q, self.typed)
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
            for name, boost in CLAUSE_FIELDS[clause.field]
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
        fields = [name for name, _ in CLAUSE_FIELDS[clause.field]]
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
            snippet=marked(body, self.highlight_terms) or lead(body),
            title_html=marked(title, self.highlight_terms, whole=True) or html.escape(title),
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


def _utc(day: date, clock: time) -> datetime:
    """The naive-UTC moment of `clock` on `day` in Malang time (how Whoosh stores dates)."""
    return datetime.combine(day, clock, tzinfo=WIB).astimezone(UTC).replace(tzinfo=None)
