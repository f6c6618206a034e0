"""The bundled demo data: WordPress REST pages in demo/wp/, read by the real parser, and the
published demo clarifications in demo/clarifications.json.

Nothing here touches the network: each demo source's page is read from disk and handed to the
same parse -> normalise -> archive -> index path that live ingest uses. The demo creates no
user accounts (there are no default credentials).
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask

from archive.editorial import ClarificationInput, Editorial
from index.clarifications import reindex_clarifications, sync_clarifications
from ingest.fetch import Fetcher
from ingest.indexing import rebuild_index, sync_index
from ingest.normalise import canonical_url
from ingest.parsers import parse_wp_posts
from ingest.pipeline import Ingester, SourceReport
from ingest.sources import load_sources

log = logging.getLogger(__name__)

DEMO_DIR = Path(__file__).resolve().parent.parent / "demo"
DEMO_AUTHOR = "Diskominfo Kota Malang (demo)"


def load_demo(app: Flask, demo_dir: Path = DEMO_DIR) -> list[SourceReport]:
    """Load every demo source into the app's archive and index; returns one report per source."""
    services = app.extensions["saring"]
    sources = load_sources(demo_dir / "sources.toml")
    fetcher = Fetcher(allowed_hosts={s.host for s in sources})  # only asked which hosts are allowed
    ingester = Ingester(services.archive, services.index, fetcher)
    reports = []
    for source in sources:
        report = SourceReport(source.id)
        path = demo_dir / "wp" / f"{source.id}.json"
        page = parse_wp_posts(path.read_bytes(), f"{source.root}wp-json/wp/v2/posts")
        for problem in page.problems:
            report.problem(problem)
        ingester.take(source, page.items, report)
        reports.append(report)
    sync_index(services.archive, services.index)
    load_demo_clarifications(app, demo_dir)
    return reports


def load_demo_clarifications(app: Flask, demo_dir: Path = DEMO_DIR) -> int:
    """Add the demo clarifications not yet in the archive, published and indexed; count them."""
    services = app.extensions["saring"]
    path = demo_dir / "clarifications.json"
    if not path.exists():
        return 0
    editorial = Editorial(services.archive.engine)
    items = json.loads(path.read_text(encoding="utf-8"))
    urls = {u: canonical_url(u) for item in items for u in item["release_urls"]}
    release_ids = editorial.release_ids_for_urls(urls.values())
    added = 0
    for item in items:
        data = ClarificationInput(
            title=item["title"],
            rumour=item["rumour"],
            verdict=item["verdict"],
            summary=item["summary"],
            body=item["body"],
            seen_on=item["seen_on"],
            sightings=item["sightings"],
            release_ids=[
                release_ids[urls[u]] for u in item["release_urls"] if urls[u] in release_ids
            ],
        )
        added += editorial.load_published(
            data,
            slug=item["slug"],
            author=DEMO_AUTHOR,
            published_at=datetime.fromisoformat(item["published"]),
            actor="demo",
            at=datetime.now(UTC),
        )
    sync_clarifications(editorial, services.index)
    return added


def load_demo_if_empty(app: Flask) -> int:
    """Load the demo when the archive holds nothing yet; returns how many releases were added."""
    services = app.extensions["saring"]
    if services.archive.counts()["releases"]:
        if not services.index.exists():  # index thrown away: rebuild it from the archive
            rebuild_index(services.archive, services.index)
            reindex_clarifications(Editorial(services.archive.engine), services.index)
        return 0
    return sum(r.new for r in load_demo(app))
