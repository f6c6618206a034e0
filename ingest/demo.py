"""The bundled demo data: WordPress REST pages in demo/wp/, read by the real parser.

Nothing here touches the network: each demo source's page is read from disk and handed to the
same parse -> normalise -> archive -> index path that live ingest uses.
"""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask

from ingest.fetch import Fetcher
from ingest.indexing import rebuild_index, sync_index
from ingest.parsers import parse_wp_posts
from ingest.pipeline import Ingester, SourceReport
from ingest.sources import load_sources

log = logging.getLogger(__name__)

DEMO_DIR = Path(__file__).resolve().parent.parent / "demo"


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
    return reports


def load_demo_if_empty(app: Flask) -> int:
    """Load the demo when the archive holds nothing yet; returns how many releases were added."""
    services = app.extensions["saring"]
    if services.archive.counts()["releases"]:
        if not services.index.exists():  # index thrown away: rebuild it from the archive
            rebuild_index(services.archive, services.index)
        return 0
    return sum(r.new for r in load_demo(app))
