"""Saring's search beside tantivy and SQLite FTS5: same documents, same queries, one process.

Both reference engines index what Saring's index holds (`ingest.indexing.to_index_doc` of every
archived release: title, body, agency, categories, date) and answer each `SearchQuery` of the
benchmark mix as Saring does, so far as their query languages reach: every word (or OR group,
or phrase) must match, exclusions, the agency/year/date filters, newest-first sorting, paging,
ten hits with their stored fields and a highlighted body snippet, and facet counts by agency,
category and month over all matches. tantivy counts facets with its terms aggregation on fast
fields; FTS5 reads the matching row ids and counts them against per-document columns held in
memory, as Saring counts against its per-generation tables. Neither stems Indonesian, widens a
query that matches nothing or suggests spellings, so their hit counts differ from Saring's; the
mean hits are reported beside the times as a sanity check.

tantivy is an optional development dependency (requirements-dev.txt); without it the tantivy
column says "skipped: tantivy not installed" and FTS5 still runs.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from importlib import metadata
from pathlib import Path

from bench.search_latency import figures, make_queries
from index.analysis import STOP_WORDS
from index.names import AGENCIES
from index.search import TITLE_BOOST, SearchQuery, search
from index.store import IndexDoc, SearchIndex
from ingest.indexing import to_index_doc

TANTIVY_HEAP = 128 * 1024 * 1024
FACETS = ("opd", "category", "month")
_CLAUSE = re.compile(r'(-?)(?:(\w+):)?("[^"]*"?|\S+)')
_WORD = re.compile(r"\w+")
_AGENCY_NAMES = {abbreviation.casefold(): name for abbreviation, name in AGENCIES.items()}


@dataclass
class Plan:
    """A SearchQuery in engine-neutral terms: AND of OR groups of clauses, minus exclusions."""

    groups: list[list[tuple[str, ...]]] = field(default_factory=list)  # a clause: its words
    exclude: list[tuple[str, ...]] = field(default_factory=list)
    opd: str = ""
    first_day: int | None = None  # yyyymmdd, inclusive
    last_day: int | None = None
    newest: bool = False
    offset: int = 0
    limit: int = 10


def plan_of(query: SearchQuery) -> Plan:
    """Translate the query text and filters; syntax an engine lacks is read as plain words."""
    plan = Plan(opd=query.opd, offset=query.offset, limit=query.per_page)
    join_next = False
    for minus, prefix, text in _CLAUSE.findall(query.q):
        if text == "OR" and not minus and not prefix:
            join_next = bool(plan.groups)
            continue
        if prefix.casefold() == "opd":
            plan.opd = _AGENCY_NAMES.get(text.strip('"').casefold(), plan.opd)
            continue
        words = tuple(w for w in _WORD.findall(text.casefold()) if w not in STOP_WORDS)
        if not words:
            continue
        clauses = [words] if text.startswith('"') else [(w,) for w in words]
        if minus:
            plan.exclude.extend(clauses)
        elif join_next:
            plan.groups[-1].extend(clauses)
        else:
            plan.groups.extend([clause] for clause in clauses)
        join_next = False
    first, last = query.date_from, query.date_to
    if query.year is not None:
        first, last = date(query.year, 1, 1), date(query.year, 12, 31)
    plan.first_day = _day(first) if first else None
    plan.last_day = _day(last) if last else None
    plan.newest = query.sort == "newest" or not plan.groups
    return plan


def _day(value: date) -> int:
    return value.year * 10000 + value.month * 100 + value.day


def _columns(doc: IndexDoc) -> dict:
    """The values both engines store and filter on, computed once per document."""
    published = doc.published
    return {
        "id": int(doc.id),
        "title": doc.title,
        "body": doc.body,
        "opd": doc.opd,
        "categories": list(doc.categories),
        "month": f"{published:%Y-%m}" if published else "",
        "day": _day(published) if published else 0,
        "ts": int(published.timestamp()) if published else 0,
    }


def iter_documents(archive) -> Iterable[dict]:
    """Every archived release as the index sees it, as engine columns."""
    for release in archive.iter_releases():
        yield _columns(to_index_doc(release))


# SQLite FTS5 ------------------------------------------------------------------------------------


class Fts5:
    """An FTS5 table of title and body, with agency, month, day and time in a plain table."""

    name = "sqlite-fts5"

    def __init__(self, directory: Path) -> None:
        self.db = sqlite3.connect(directory / "fts5.sqlite3")
        self.db.executescript(
            "CREATE VIRTUAL TABLE fts USING fts5(title, body, tokenize='unicode61');"
            "CREATE TABLE meta(id INTEGER PRIMARY KEY, opd TEXT, month TEXT, day INT, ts INT);"
        )
        self.facet_columns: dict[int, tuple[str, str, list[str]]] = {}
        self.version = sqlite3.sqlite_version

    def add(self, doc: dict) -> None:
        """Add one document (inside the open transaction)."""
        self.db.execute(
            "INSERT INTO fts(rowid, title, body) VALUES (?, ?, ?)",
            (doc["id"], doc["title"], doc["body"]),
        )
        self.db.execute(
            "INSERT INTO meta VALUES (?, ?, ?, ?, ?)",
            (doc["id"], doc["opd"], doc["month"], doc["day"], doc["ts"]),
        )
        self.facet_columns[doc["id"]] = (doc["opd"], doc["month"], doc["categories"])

    def finish(self) -> None:
        """Commit and merge the FTS5 segments."""
        self.db.execute("INSERT INTO fts(fts) VALUES ('optimize')")
        self.db.commit()

    def search(self, plan: Plan) -> tuple[int, int]:
        """Top hits with snippets, and facet counts; returns (total, hits)."""
        where, params = self._where(plan)
        if plan.groups:
            order = "m.ts DESC" if plan.newest else f"bm25(fts, {TITLE_BOOST}, 1.0)"
            snippet = "snippet(fts, 1, '<mark>', '</mark>', '…', 24)"
        else:
            order, snippet = "m.ts DESC", "''"
        rows = self.db.execute(
            f"SELECT f.rowid, f.title, {snippet}, m.opd, m.ts FROM fts f "
            f"JOIN meta m ON m.id = f.rowid WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
            (*params, plan.limit, plan.offset),
        ).fetchall()
        ids = [row[0] for row in self.db.execute(
            f"SELECT f.rowid FROM fts f JOIN meta m ON m.id = f.rowid WHERE {where}", params
        )]  # fmt: skip
        facets: dict[str, Counter] = {"opd": Counter(), "month": Counter(), "category": Counter()}
        for doc_id in ids:
            opd, month, categories = self.facet_columns[doc_id]
            facets["opd"][opd] += 1
            facets["month"][month] += 1
            facets["category"].update(categories)
        return len(ids), len(rows)

    def _where(self, plan: Plan) -> tuple[str, list]:
        terms, params = [], []
        if plan.groups:
            match = " AND ".join(
                "(" + " OR ".join(_fts_clause(c) for c in group) + ")" for group in plan.groups
            )
            match += "".join(f" NOT {_fts_clause(c)}" for c in plan.exclude)
            terms.append("fts MATCH ?")
            params.append(match)
        if plan.opd:
            terms.append("m.opd = ?")
            params.append(plan.opd)
        if plan.first_day is not None:
            terms.append("m.day BETWEEN ? AND ?")
            params += [plan.first_day, plan.last_day or 99991231]
        return " AND ".join(terms) or "1", params

    def close(self) -> None:
        """Close the database."""
        self.db.close()


def _fts_clause(words: tuple[str, ...]) -> str:
    return '"' + " ".join(words) + '"'  # words are \w+ only, so no quote can occur inside


# tantivy ----------------------------------------------------------------------------------------


class Tantivy:
    """A tantivy index of the same columns; facets through its terms aggregation."""

    name = "tantivy"

    def __init__(self, directory: Path) -> None:
        import tantivy

        self.tantivy = tantivy
        builder = tantivy.SchemaBuilder()
        builder.add_integer_field("id", stored=True, indexed=True, fast=True)
        builder.add_text_field("title", stored=True)
        builder.add_text_field("body", stored=True)
        for name in ("opd", "category", "month"):
            builder.add_text_field(name, stored=name == "opd", fast=True, tokenizer_name="raw")
        builder.add_integer_field("day", indexed=True, fast=True)
        builder.add_integer_field("ts", stored=True, fast=True)
        self.schema = builder.build()
        self.index = tantivy.Index(self.schema, path=str(directory))
        self.writer = self.index.writer(heap_size=TANTIVY_HEAP, num_threads=1)
        self.searcher = None
        self.version = metadata.version("tantivy")

    def add(self, doc: dict) -> None:
        """Add one document to the open writer."""
        self.writer.add_document(
            self.tantivy.Document(
                id=doc["id"], title=doc["title"], body=doc["body"], opd=doc["opd"],
                category=doc["categories"], month=doc["month"], day=doc["day"], ts=doc["ts"],
            )
        )  # fmt: skip

    def finish(self) -> None:
        """Commit, wait for merges and open the searcher."""
        self.writer.commit()
        self.writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()

    def search(self, plan: Plan) -> tuple[int, int]:
        """Top hits with snippets, and facet counts; returns (total, hits)."""
        tantivy, searcher = self.tantivy, self.searcher
        query = self._query(plan)
        order = {"order_by_field": "ts"} if plan.newest else {}
        result = searcher.search(query, plan.limit, offset=plan.offset, **order)
        snippets = None
        if plan.groups and result.hits:
            snippets = tantivy.SnippetGenerator.create(searcher, query, self.schema, "body")
        for _key, address in result.hits:
            doc = searcher.doc(address)
            _ = (doc["title"], doc["opd"], doc["ts"])
            if snippets is not None:
                snippets.snippet_from_doc(doc).to_html()
        facets = {name: {"terms": {"field": name, "size": 10_000}} for name in FACETS}
        searcher.aggregate(query, facets)
        return result.count, len(result.hits)

    def _query(self, plan: Plan):
        tantivy = self.tantivy
        must = []
        if plan.groups:
            text = " AND ".join(
                "(" + " OR ".join(_tantivy_clause(c) for c in group) + ")" for group in plan.groups
            )
            text += "".join(f" AND -{_tantivy_clause(c)}" for c in plan.exclude)
            must.append(
                self.index.parse_query(
                    text, ["title", "body"], field_boosts={"title": TITLE_BOOST},
                    conjunction_by_default=True,
                )
            )  # fmt: skip
        if plan.opd:
            must.append(tantivy.Query.term_query(self.schema, "opd", plan.opd))
        if plan.first_day is not None:
            must.append(tantivy.Query.range_query(
                self.schema, "day", tantivy.FieldType.Integer, plan.first_day,
                plan.last_day or 99991231,
            ))  # fmt: skip
        if not must:
            return tantivy.Query.all_query()
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in must])

    def close(self) -> None:
        """Nothing to close (the directory is removed by the caller)."""


def _tantivy_clause(words: tuple[str, ...]) -> str:
    return '"' + " ".join(words) + '"' if len(words) > 1 else words[0]


# The comparison ---------------------------------------------------------------------------------


def tantivy_missing() -> str:
    """Why tantivy cannot run here, or "" when it can."""
    try:
        import tantivy  # noqa: F401
    except ImportError:
        return "skipped: tantivy not installed"
    return ""


def compare(archive, index: SearchIndex, rounds: int, per_round: int, seed: int) -> dict:
    """Build both engines from the archive, then time all three on interleaved query rounds."""
    scratch = Path(tempfile.mkdtemp(prefix="saring-engines-"))
    try:
        engines = _build(archive, scratch)
        engines["versions"]["saring"] = "whoosh-reloaded " + metadata.version("whoosh-reloaded")
        runners: dict[str, Callable[[SearchQuery], tuple[int, int]]] = {
            "saring": lambda q: _saring(index, q)
        }
        for engine in engines["built"]:
            runners[engine.name] = lambda q, engine=engine: engine.search(plan_of(q))
        times: dict[str, list[float]] = {name: [] for name in runners}
        hits: dict[str, list[int]] = {name: [] for name in runners}
        names = list(runners)
        for number in range(rounds):
            queries = [q for _, q in make_queries(per_round, seed + number)]
            shift = number % len(names)  # each engine goes first in some round
            for name in names[shift:] + names[:shift]:
                for query in queries:
                    started = time.perf_counter()
                    total, _shown = runners[name](query)
                    times[name].append((time.perf_counter() - started) * 1000)
                    hits[name].append(total)
        for engine in engines["built"]:
            engine.close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    result = {
        "documents": engines["documents"],
        "queries": rounds * per_round,
        "rounds": rounds,
        "engines": {},
        "skipped": engines["skipped"],
    }
    for name, values in times.items():
        result["engines"][name] = {
            **figures(values, digits=3),
            "mean_total": round(statistics.mean(hits[name]), 1),
            "build_seconds": engines["build_seconds"].get(name),
            "version": engines["versions"].get(name, ""),
        }
    return result


def _saring(index: SearchIndex, query: SearchQuery) -> tuple[int, int]:
    results = search(index, query)
    return results.total, len(results.hits)


def _build(archive, scratch: Path) -> dict:
    built, skipped, seconds, versions = [], {}, {}, {}
    engines = [Fts5(scratch)]
    missing = tantivy_missing()
    if missing:
        skipped["tantivy"] = missing
    else:
        (scratch / "tantivy").mkdir()
        engines.append(Tantivy(scratch / "tantivy"))
    documents = 0
    adding = {engine.name: 0.0 for engine in engines}
    for doc in iter_documents(archive):  # one read of the archive feeds every engine
        documents += 1
        for engine in engines:
            started = time.perf_counter()
            engine.add(doc)
            adding[engine.name] += time.perf_counter() - started
    for engine in engines:
        started = time.perf_counter()
        engine.finish()
        seconds[engine.name] = round(adding[engine.name] + time.perf_counter() - started, 2)
        versions[engine.name] = engine.version
        built.append(engine)
    return {
        "built": built, "skipped": skipped, "build_seconds": seconds, "versions": versions,
        "documents": documents,
    }  # fmt: skip
