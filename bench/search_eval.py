"""Does searching for a claim find the release it is about? Ours against Whoosh's defaults.

    python bench/search_eval.py [--corpus ../shared/corpus] [--json bench/out/search_eval.json]

The bundled demo releases are loaded into a throw-away data directory through the normal path
(parser -> normaliser -> archive -> index, as `python app.py` does). Every claim in
claims.jsonl that names a release_id is then searched for, word for word, and we record where
that release lands: Recall@1, Recall@5 and MRR@10 (reciprocal rank within the top 10, else 0).

Rows:
- saring: `index.search.search` as the site runs it (Indonesian analysis, all words first and
  then any word, BM25F with the title boosted), kind=release.
- saring, any word: the same index, every word OR-ed (no all-words pass) - what the all-words
  pass adds or costs.
- saring, no title boost: the same, with title and body weighted equally.
- whoosh default (AND): a fresh index of the same title and body text with Whoosh's defaults -
  StandardAnalyzer (English stop list, no stemming), BM25F, MultifieldParser over title and
  body with its default AND grouping - i.e. what an unconfigured Whoosh gives.
- whoosh default (OR): the same, with OrGroup, so a long claim is not an AND of every word.

Corpus release ids are matched to archived releases by canonical URL.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from whoosh import index as whoosh_index  # noqa: E402
from whoosh.fields import ID, TEXT, Schema  # noqa: E402
from whoosh.qparser import MultifieldParser, OrGroup  # noqa: E402
from whoosh.query import And, Or, Term  # noqa: E402

from app import create_app  # noqa: E402
from index.analysis import tokens  # noqa: E402
from index.query import SearchQuery  # noqa: E402
from index.search import search  # noqa: E402
from index.store import SearchIndex  # noqa: E402
from index.syntax import TITLE_BOOST  # noqa: E402
from index.tables import ids_of, tables_for  # noqa: E402
from ingest.corpus import read_jsonl  # noqa: E402
from ingest.demo import load_demo_if_empty  # noqa: E402
from ingest.normalise import canonical_url  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
DEPTH = 10

Ranker = Callable[[str], list[str]]  # claim text -> archive ids, best first


def ours(index: SearchIndex) -> Ranker:
    """The site's own search."""

    def rank(text: str) -> list[str]:
        results = search(index, SearchQuery(q=text, per_page=DEPTH))
        return [hit.id for hit in results.hits]

    return rank


def ours_terms(index: SearchIndex, title_boost: float, require_all: bool = False) -> Ranker:
    """Our index and analysis with a plain OR of the words (and a chosen title boost)."""

    def rank(text: str) -> list[str]:
        words = list(dict.fromkeys(tokens(text)))
        if not words:
            return []
        query = Or(
            [Term("title", w, boost=title_boost) for w in words] + [Term("body", w) for w in words]
        )
        with index.searcher() as searcher:
            allowed = set(ids_of(tables_for(searcher).filter_bits(kind="release")))
            hits = searcher.search(
                And([query]) if require_all else query, filter=allowed, limit=DEPTH
            )
            return [hit["id"] for hit in hits]

    return rank


def whoosh_default(docs: list[tuple[str, str, str]], workdir: Path, any_word: bool) -> Ranker:
    """A fresh index of (id, title, body) with Whoosh's default analyzer, scoring and parser."""
    schema = Schema(id=ID(stored=True, unique=True), title=TEXT(), body=TEXT())
    folder = workdir / ("whoosh-or" if any_word else "whoosh-and")
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), schema)
    writer = ix.writer()
    for doc_id, title, body in docs:
        writer.add_document(id=doc_id, title=title, body=body)
    writer.commit()
    group = {"group": OrGroup} if any_word else {}
    parser = MultifieldParser(["title", "body"], ix.schema, **group)

    def rank(text: str) -> list[str]:
        try:
            query = parser.parse(text)
        except Exception:  # a parse error is a miss, as it would be for a reader
            return []
        with ix.searcher() as searcher:
            return [hit["id"] for hit in searcher.search(query, limit=DEPTH)]

    return rank


def score(ranker: Ranker, claims: list[dict], wanted: dict[str, str]) -> dict:
    """Recall@1, Recall@5 and MRR@10 of `ranker` over the claims, plus timing."""
    first = five = 0
    reciprocal = 0.0
    misses: list[str] = []
    started = time.perf_counter()
    for claim in claims:
        ranked = ranker(claim["text"])[:DEPTH]
        target = wanted[claim["release_id"]]
        if target in ranked:
            place = ranked.index(target) + 1
            reciprocal += 1 / place
            first += place == 1
            five += place <= 5
        else:
            misses.append(claim["id"])
    n = len(claims)
    return {
        "claims": n,
        "recall_at_1": round(first / n, 3),
        "recall_at_5": round(five / n, 3),
        "mrr_at_10": round(reciprocal / n, 3),
        "ms_per_query": round((time.perf_counter() - started) * 1000 / n, 1),
        "not_in_top_10": misses,
    }


def main(argv: list[str] | None = None) -> None:
    """Load the demo, run every ranker over the claims and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    args = parser.parse_args(argv)

    corpus_releases = read_jsonl(args.corpus / "releases.jsonl")
    claims = [c for c in read_jsonl(args.corpus / "claims.jsonl") if c.get("release_id")]

    with tempfile.TemporaryDirectory() as workdir:
        work = Path(workdir)
        app = create_app({"TESTING": True, "DATA_DIR": str(work / "data"), "DATABASE_URL": ""})
        with app.app_context():
            load_demo_if_empty(app)
        services = app.extensions["saring"]
        archived = {r.url: r for r in services.archive.iter_releases()}
        wanted = {}
        for row in corpus_releases:
            release = archived.get(canonical_url(row["url"]))
            if release is not None:
                wanted[row["id"]] = str(release.id)
        usable = [c for c in claims if c["release_id"] in wanted]
        docs = [
            (str(r.id), r.current.title, "\n\n".join(r.current.paragraphs))
            for r in archived.values()
        ]
        rankers: dict[str, Ranker] = {
            "saring": ours(services.index),
            "saring, any word": ours_terms(services.index, TITLE_BOOST),
            "saring, no title boost": ours_terms(services.index, 1.0),
            "whoosh default (AND)": whoosh_default(docs, work, any_word=False),
            "whoosh default (OR)": whoosh_default(docs, work, any_word=True),
        }
        rows = {name: score(ranker, usable, wanted) for name, ranker in rankers.items()}
        by_label = {
            label: score(rankers["saring"], [c for c in usable if c["label"] == label], wanted)
            for label in sorted({c["label"] for c in usable})
        }
        services.archive.dispose()

    print(
        f"{len(usable)} claims with a release_id ({len(claims) - len(usable)} unmatched), "
        f"{len(docs)} releases, depth {DEPTH}\n"
    )
    print("| ranker | Recall@1 | Recall@5 | MRR@10 | ms/query |")
    print("|---|---|---|---|---|")
    for name, row in rows.items():
        print(
            f"| {name} | {row['recall_at_1']:.3f} | {row['recall_at_5']:.3f} | "
            f"{row['mrr_at_10']:.3f} | {row['ms_per_query']} |"
        )
    print("\nsaring by claim label:")
    for label, row in by_label.items():
        print(
            f"  {label:13} n={row['claims']:3}  R@1 {row['recall_at_1']:.3f}  "
            f"R@5 {row['recall_at_5']:.3f}  MRR {row['mrr_at_10']:.3f}"
        )
    print(f"\nsaring misses (not in top {DEPTH}): {', '.join(rows['saring']['not_in_top_10'])}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps({"rankers": rows, "saring_by_label": by_label}, indent=1) + "\n", "utf-8"
        )


if __name__ == "__main__":
    main()
