"""Generate a large synthetic archive (database + search index) for timing searches and checks.

    python bench/make_archive.py --count 100000 --out bench/out/archive-100k

The releases are written from the vocabulary of the bundled demo releases (demo/wp/*.json, read
through the real parser and normaliser) and, when it is present, the development corpus in
../shared/corpus/. Each synthetic release takes one real release as its topic and is written by
a word-bigram chain that mostly follows that release's own word pairs and sometimes the whole
collection's, so topics, names, numbers and sentence shapes look like the real thing while every
text is new. A few releases get a second version (an edited number) and a few are marked removed
at their source, as in a live archive. The same --seed always gives the same archive.

The output directory has the layout of a Saring data directory, so the site can serve it:

    DIR/saring.sqlite3   the archive (SQLite), written directly into the archive tables
    DIR/index/           the Whoosh index, built from the archive by ingest.indexing.rebuild_index

    SARING_DATA_DIR=DIR python app.py

Build times (text generation, archive write, index build) are printed at the end. Use
--skip-index to write only the database (e.g. to time the index build separately with
`flask --app app reindex`). An existing database in DIR is refused unless --force is given.
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
import shutil
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from archive.release import Release  # noqa: E402
from archive.store import Archive, database_url_for  # noqa: E402
from archive.tables import releases as releases_table  # noqa: E402
from archive.tables import versions as versions_table  # noqa: E402
from index.store import SearchIndex  # noqa: E402
from ingest.indexing import rebuild_index  # noqa: E402
from ingest.normalise import normalise_item  # noqa: E402
from ingest.parsers import parse_wp_posts  # noqa: E402
from ingest.sources import Source, load_sources  # noqa: E402

DEMO_DIR = ROOT / "demo"
CORPUS_DIR = ROOT.parent / "shared" / "corpus"
WIB = timezone(timedelta(hours=7), "WIB")
FIRST_DAY = datetime(2016, 1, 1, tzinfo=WIB)
LAST_DAY = datetime(2026, 10, 31, tzinfo=WIB)
EDITED_SHARE = 0.03  # releases that get a second version
REMOVED_SHARE = 0.005  # releases later removed at their source
LOCAL_PAIR_SHARE = 0.8  # how often the next word follows the topic release's own word pairs
WRITE_BATCH = 2000

_END = "\x00"  # marks the end of a sentence in the bigram tables
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
_NUMBER = re.compile(r"\d+")
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass
class Model:
    """A real release as a topic: its sentence openings and word pairs, plus its labels."""

    source: Source
    opd: str
    title_pairs: dict[str, list[str]]
    title_starts: list[str]
    pairs: dict[str, list[str]]
    starts: list[str]
    categories: list[str]
    tags: list[str]
    author: str
    dateline: str


def _sentences(text: str) -> list[list[str]]:
    return [sentence.split() for sentence in _SENTENCE.split(text) if sentence.split()]


def _learn(sentences: list[list[str]], pairs: dict[str, list[str]], starts: list[str]) -> None:
    for words in sentences:
        starts.append(words[0])
        for current, following in zip(words, [*words[1:], _END], strict=True):
            pairs[current].append(following)


def demo_releases() -> list[tuple[Source, Release]]:
    """The bundled demo releases, read through the real parser and normaliser."""
    found = []
    for source in load_sources(DEMO_DIR / "sources.toml"):
        if source.kind != "wordpress":  # the demo's JDIH register is not a release source
            continue
        path = DEMO_DIR / "wp" / f"{source.id}.json"
        page = parse_wp_posts(path.read_bytes(), f"{source.root}wp-json/wp/v2/posts")
        for item in page.items:
            release, _problems = normalise_item(item, source_id=source.id, opd=source.opd)
            if release is not None:
                found.append((source, release))
    return found


def corpus_texts(known_titles: set[str]) -> list[tuple[str, list[str]]]:
    """Title and paragraphs of corpus releases and clarifications that the demo lacks."""
    texts: list[tuple[str, list[str]]] = []
    path = CORPUS_DIR / "releases.jsonl"
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                if row["title"] not in known_titles:
                    texts.append((row["title"], row["paragraphs"]))
    path = CORPUS_DIR / "clarifications.jsonl"
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                texts.append((row["rumour"], [row["summary"]]))
    return texts


class Writer:
    """Writes synthetic releases from the models, deterministically for one seed."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        found = demo_releases()
        if not found:
            raise SystemExit("no demo releases found under demo/; nothing to learn from")
        self.global_pairs: dict[str, list[str]] = defaultdict(list)
        self.global_title_pairs: dict[str, list[str]] = defaultdict(list)
        self.global_starts: list[str] = []
        self.models: list[Model] = []
        for source, release in found:
            pairs: dict[str, list[str]] = defaultdict(list)
            starts: list[str] = []
            title_pairs: dict[str, list[str]] = defaultdict(list)
            title_starts: list[str] = []
            for paragraph in release.paragraphs:
                _learn(_sentences(paragraph), pairs, starts)
            _learn([release.title.split()], title_pairs, title_starts)
            for key, values in pairs.items():
                self.global_pairs[key].extend(values)
            for key, values in title_pairs.items():
                self.global_title_pairs[key].extend(values)
            self.global_starts.extend(starts)
            self.models.append(
                Model(
                    source=source,
                    opd=release.opd,
                    title_pairs=dict(pairs | title_pairs),
                    title_starts=title_starts,
                    pairs=dict(pairs),
                    starts=starts,
                    categories=release.categories,
                    tags=release.tags,
                    author=release.author,
                    dateline=release.dateline,
                )
            )
        for title, paragraphs in corpus_texts({release.title for _, release in found}):
            for paragraph in paragraphs:
                sentences = _sentences(paragraph)
                _learn(sentences, self.global_pairs, self.global_starts)
            _learn([title.split()], self.global_title_pairs, [])
        self.authors = sorted({m.author for m in self.models if m.author}) or ["hms/yon"]
        self.span = (LAST_DAY - FIRST_DAY).total_seconds()

    def _walk(
        self, start: str, local: dict[str, list[str]], shared: dict[str, list[str]], limit: int
    ) -> list[str]:
        words = [start]
        while len(words) < limit:
            current = words[-1]
            options = local.get(current) if self.rng.random() < LOCAL_PAIR_SHARE else None
            options = options or shared.get(current) or local.get(current)
            if not options:
                break
            following = self.rng.choice(options)
            if following == _END:
                if len(words) >= 6:
                    break
                following = self.rng.choice(self.global_starts)
            words.append(following)
        return words

    def _sentence(self, model: Model) -> str:
        start = self.rng.choice(model.starts if self.rng.random() < 0.85 else self.global_starts)
        text = " ".join(self._walk(start, model.pairs, self.global_pairs, 40))
        return text if text[-1] in ".!?" else text.rstrip(",;:") + "."

    def _title(self, model: Model) -> str:
        start = self.rng.choice(model.title_starts)
        pairs = model.title_pairs
        words = self._walk(start, pairs, self.global_title_pairs, self.rng.randint(6, 12))
        return " ".join(words).rstrip(".,;:")

    def release(self, number: int) -> Release:
        """The synthetic release with this sequence number (1-based)."""
        rng = self.rng
        model = rng.choice(self.models)
        target_words = rng.randint(150, 350)
        paragraphs: list[str] = []
        words = 0
        while words < target_words:
            paragraph = " ".join(self._sentence(model) for _ in range(rng.randint(2, 4)))
            paragraphs.append(paragraph)
            words += len(paragraph.split())
        title = self._title(model)
        # Recent years publish more than early ones, as the live sites do.
        published = FIRST_DAY + timedelta(seconds=self.span * (rng.random() ** 0.6))
        published = published.replace(second=0, microsecond=0)
        modified = published + timedelta(hours=rng.choice([0, 0, 0, 1, 5, 30]))
        slug = _SLUG.sub("-", title.lower()).strip("-")[:70].strip("-")
        url = f"{model.source.root}{published:%Y/%m/%d}/{slug}-{number}/"
        categories = list(model.categories)
        if rng.random() < 0.3:
            categories.append(rng.choice(self.models).categories[0])
        tags = rng.sample(model.tags, k=min(len(model.tags), rng.randint(0, 4)))
        return Release(
            url=url,
            title=title,
            paragraphs=paragraphs,
            html="\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs),
            source_id=model.source.id,
            opd=model.opd,
            guid=f"{model.source.root}?p={number}",
            published=published,
            modified=modified,
            categories=list(dict.fromkeys(categories)),
            tags=tags,
            author=rng.choice(self.authors),
            dateline=model.dateline,
        )

    def edited(self, release: Release) -> Release:
        """A later version of `release`: one number in one paragraph changed."""
        paragraphs = list(release.paragraphs)
        index = self.rng.randrange(len(paragraphs))
        changed = _NUMBER.sub(lambda m: str(int(m.group()) + 1), paragraphs[index], count=1)
        if changed == paragraphs[index]:
            changed += " Rilis ini diperbarui."
        paragraphs[index] = changed
        return Release(**{**release.__dict__, "paragraphs": paragraphs})


def _release_row(release_id: int, release: Release, seen: datetime, version_id: int) -> dict:
    return {
        "id": release_id,
        "url": release.url,
        "guid": release.guid,
        "source_id": release.source_id,
        "opd": release.opd,
        "status": "active",
        "first_seen": seen,
        "last_checked": seen,
        "removed_at": None,
        "current_version": version_id,
        "current_hash": release.content_hash,
        "needs_index": True,
    }


def _version_row(
    version_id: int, release_id: int, number: int, release: Release, at: datetime
) -> dict:
    return {
        "id": version_id,
        "release_id": release_id,
        "number": number,
        "hash": release.content_hash,
        "fetched_at": at,
        "title": release.title,
        "paragraphs": json.dumps(release.paragraphs, ensure_ascii=False),
        "html": release.html,
        "published": release.published,
        "modified": release.modified,
        "categories": json.dumps(release.categories, ensure_ascii=False),
        "tags": json.dumps(release.tags, ensure_ascii=False),
        "author": release.author,
        "dateline": release.dateline,
    }


def write_archive(archive: Archive, writer: Writer, count: int) -> dict[str, int]:
    """Write `count` synthetic releases (and their versions) into the archive tables."""
    rng = writer.rng
    version_id = 0
    totals = {"releases": 0, "versions": 0, "removed": 0}
    release_rows: list[dict] = []
    version_rows: list[dict] = []

    def flush() -> None:
        with archive.engine.begin() as conn:
            if release_rows:
                conn.execute(insert(releases_table), release_rows)
            if version_rows:
                conn.execute(insert(versions_table), version_rows)
        release_rows.clear()
        version_rows.clear()

    for number in range(1, count + 1):
        release = writer.release(number)
        seen = release.published.astimezone(UTC) + timedelta(minutes=rng.randint(5, 90))
        history = [release]
        if rng.random() < EDITED_SHARE:
            history.append(writer.edited(release))
        first_version = version_id + 1
        for offset, version in enumerate(history):
            version_id += 1
            at = seen + timedelta(days=offset * rng.randint(1, 20))
            version_rows.append(_version_row(version_id, number, offset + 1, version, at))
        row = _release_row(number, history[-1], seen, version_id)
        row["last_checked"] = seen + timedelta(days=len(history) * 21)
        if rng.random() < REMOVED_SHARE:
            row.update(status="removed", removed_at=row["last_checked"])
            totals["removed"] += 1
        release_rows.append(row)
        totals["releases"] += 1
        totals["versions"] += version_id - first_version + 1
        if len(release_rows) >= WRITE_BATCH:
            flush()
    flush()
    return totals


def build(out: Path, count: int, seed: int, *, skip_index: bool, force: bool) -> dict:
    """Write the archive and (unless skipped) its index under `out`; return the timings."""
    out.mkdir(parents=True, exist_ok=True)
    database = out / "saring.sqlite3"
    if database.exists():
        if not force:
            raise SystemExit(f"{database} exists; pass --force to replace it")
        for leftover in out.glob("saring.sqlite3*"):
            leftover.unlink()
        shutil.rmtree(out / "index", ignore_errors=True)

    started = time.perf_counter()
    writer = Writer(seed)
    archive = Archive(database_url_for(out))
    try:
        totals = write_archive(archive, writer, count)
        archive_seconds = time.perf_counter() - started
        print(
            f"archive: {totals['releases']} releases, {totals['versions']} versions, "
            f"{totals['removed']} removed, written in {archive_seconds:.1f} s -> {database}",
            flush=True,
        )
        index_seconds = None
        if not skip_index:
            index_started = time.perf_counter()
            indexed = rebuild_index(archive, SearchIndex(out / "index"))
            index_seconds = time.perf_counter() - index_started
            print(
                f"index: {indexed} documents built in {index_seconds:.1f} s -> {out / 'index'}",
                flush=True,
            )
    finally:
        archive.dispose()
    return {
        "count": count,
        "seed": seed,
        "archive_seconds": round(archive_seconds, 2),
        "index_seconds": round(index_seconds, 2) if index_seconds is not None else None,
        **totals,
    }


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and build the archive."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="releases to write")
    parser.add_argument("--out", type=Path, required=True, help="output (data) directory")
    parser.add_argument("--seed", type=int, default=20261128, help="random seed")
    parser.add_argument("--skip-index", action="store_true", help="write the database only")
    parser.add_argument("--force", action="store_true", help="replace an existing archive")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be at least 1")
    timings = build(args.out, args.count, args.seed, skip_index=args.skip_index, force=args.force)
    (args.out / "build.json").write_text(json.dumps(timings, indent=1) + "\n", encoding="utf-8")
    print("RESULT " + json.dumps(timings), flush=True)


if __name__ == "__main__":
    main()
