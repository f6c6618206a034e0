"""The bundled demo data: WordPress REST pages in demo/wp/, read by the real parser, a few
releases with a history in demo/history.json (edited twice, edited once, removed at the source),
releases that link documents in demo/documents.json (a surat edaran and a schedule as PDFs, a
PNG flyer), a small JDIH register in demo/jdih.html, the published demo clarifications in
demo/clarifications.json, and official channels: a few that staff would add by hand
(demo/channels.json), then those the demo releases state (the steps the app lists under
AFTER_DEMO: `verify.harvest`, the same harvest as `flask channels harvest`).

The documents are made from their text when the demo loads (PDFs by `ingest.pdfwrite`, the
flyer by Pillow) and handed to the real attachment collector by `DemoFiles`, a stand-in for the
fetcher that answers from memory; the register page goes through the real JDIH parser.

Nothing here touches the network: each demo source's page is read from disk and handed to the
same parse -> normalise -> archive -> index path that live ingest uses; each version of a
release with a history goes that way too, stamped with the time it was "seen", so the archive
keeps it as a version exactly as it would a live edit. Every demo source gets a recorded run,
so the source health reads "ok". The demo creates no user accounts (there are no default
credentials; `flask --app app users demo-login` makes one with a fresh random password).
"""

from __future__ import annotations

import html
import io
import json
import logging
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from archive.channels import ChannelInput, ChannelStore
from archive.editorial import ClarificationInput, Editorial
from archive.register import Register
from archive.tables import releases
from index.clarifications import reindex_clarifications, sync_clarifications
from ingest.attachments import AttachmentCollector
from ingest.corpus import wordpress_post
from ingest.fetch import Fetched, Fetcher
from ingest.indexing import rebuild_index, sync_index
from ingest.jdih import parse_register
from ingest.normalise import canonical_url
from ingest.parsers import parse_wp_posts
from ingest.pdfwrite import text_pdf
from ingest.pipeline import Ingester, SourceReport
from ingest.sources import Source, load_sources

log = logging.getLogger(__name__)

DEMO_DIR = Path(__file__).resolve().parent.parent / "demo"
DEMO_AUTHOR = "Diskominfo Kota Malang (demo)"
DEMO_SOURCE_PREFIX = "demo-"  # every source in demo/sources.toml is named so
DEMO_ACTOR = "demo"
# app.extensions key: steps run on the archive once the demo is loaded. The app puts in them what
# a layer above ingest does with loaded releases (the channel harvest, `verify.harvest`).
AFTER_DEMO = "saring_after_demo"


def load_demo(app: Flask, demo_dir: Path = DEMO_DIR) -> list[SourceReport]:
    """Load every demo source into the app's archive and index; returns one report per source."""
    services = app.extensions["saring"]
    sources = load_sources(demo_dir / "sources.toml")
    fetcher = Fetcher(allowed_hosts={s.host for s in sources})  # only asked which hosts are allowed
    ingester = Ingester(services.archive, services.index, fetcher)
    reports = []
    for source in sources:
        report = SourceReport(source.id)
        if source.kind == "jdih":
            load_demo_register(app, source, report, demo_dir)
            reports.append(report)
            continue
        path = demo_dir / "wp" / f"{source.id}.json"
        page = parse_wp_posts(path.read_bytes(), f"{source.root}wp-json/wp/v2/posts")
        for problem in page.problems:
            report.problem(problem)
        ingester.take(source, page.items, report)
        reports.append(report)
    by_id = {source.id: (source, report) for source, report in zip(sources, reports, strict=True)}
    load_demo_history(app, by_id, fetcher, demo_dir)
    load_demo_documents(app, by_id, fetcher, demo_dir)
    for source_id, (_source, report) in by_id.items():
        services.archive.record_run(source_id, report.counts(), None)
    sync_index(services.archive, services.index)
    load_demo_clarifications(app, demo_dir)
    load_demo_channels(app, demo_dir)
    for step in app.extensions.get(AFTER_DEMO, ()):  # e.g. the channel harvest (app.py)
        step(services.archive)
    return reports


def load_demo_history(
    app: Flask,
    sources: dict[str, tuple[Source, SourceReport]],
    fetcher: Fetcher,
    demo_dir: Path = DEMO_DIR,
) -> None:
    """Record each version of the demo releases with a history, in order, then the removals.

    A release already in the archive is skipped, so loading twice never adds versions.
    """
    path = demo_dir / "history.json"
    if not path.exists():
        return
    services = app.extensions["saring"]
    entries = json.loads(path.read_text(encoding="utf-8"))
    known = services.archive.known_urls(canonical_url(e["url"]) for e in entries)
    for number, entry in enumerate(entries, start=9001):
        if canonical_url(entry["url"]) in known:
            continue
        source, report = sources[entry["source"]]
        for version in entry["versions"]:
            seen = datetime.fromisoformat(version["seen"])
            post = wordpress_post(number, {**entry, **version})
            post["modified"] = seen.strftime("%Y-%m-%dT%H:%M:%S")
            post["modified_gmt"] = seen.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
            rest_url = f"{source.root}wp-json/wp/v2/posts"
            page = parse_wp_posts(json.dumps([post]).encode("utf-8"), rest_url)
            ingester = Ingester(services.archive, services.index, fetcher, clock=lambda s=seen: s)
            ingester.take(source, page.items, report)
        if entry.get("removed"):
            removed = datetime.fromisoformat(entry["removed"])
            if services.archive.mark_removed(canonical_url(entry["url"]), at=removed):
                report.removed += 1


class DemoFiles:
    """The fetcher's part the attachment collector uses, answering from documents in memory."""

    def __init__(self, fetcher: Fetcher, files: dict[str, tuple[bytes, str]]) -> None:
        self.fetcher = fetcher
        self.files = files  # url -> (bytes, content type)

    def allows(self, url: str) -> bool:
        """Allowed by the demo fetcher's host rules (no network is ever asked)."""
        return self.fetcher.allows(url)

    def get(self, url: str, **_options) -> Fetched:
        """The document at `url`, or a 404 like a site's."""
        if url not in self.files:
            return Fetched(url=url, status=404, headers={"content-type": "text/html"})
        body, content_type = self.files[url]
        return Fetched(url=url, status=200, headers={"content-type": content_type}, body=body)


def demo_document(spec: dict) -> tuple[bytes, str]:
    """The bytes and media type of a demo document described in demo/documents.json."""
    if spec["kind"] == "pdf":
        return text_pdf(spec["pages"], title=spec.get("title", "")), "application/pdf"
    if spec["kind"] == "flyer":
        return flyer_png(spec["lines"]), "image/png"
    raise ValueError(f"unknown demo document kind {spec['kind']!r}")


def flyer_png(lines: list[str]) -> bytes:
    """A plain flyer: the lines in large dark letters on a light background."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.load_default(size=40)
    image = Image.new("RGB", (1400, 120 + 70 * len(lines)), "#fff8e1")
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((60, 60 + 70 * number), line, font=font, fill="#1d2430")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def load_demo_documents(
    app: Flask,
    sources: dict[str, tuple[Source, SourceReport]],
    fetcher: Fetcher,
    demo_dir: Path = DEMO_DIR,
) -> None:
    """Record the demo releases that link documents, and their documents, through the real
    collector (read by OCR where tesseract is installed, else kept as waiting for OCR)."""
    path = demo_dir / "documents.json"
    if not path.exists():
        return
    services = app.extensions["saring"]
    entries = json.loads(path.read_text(encoding="utf-8"))["releases"]
    known = services.archive.known_urls(canonical_url(e["url"]) for e in entries)
    for number, entry in enumerate(entries, start=9501):
        if canonical_url(entry["url"]) in known:
            continue
        source, report = sources[entry["source"]]
        host = f"https://{source.host}"
        files = {host + d["path"]: demo_document(d) for d in entry["documents"]}
        post = wordpress_post(number, entry)
        post["content"]["rendered"] += "".join(
            f'\n<p class="wp-block-file"><a href="{html.escape(host + d["path"])}">'
            f"{html.escape(d['label'])}</a></p>"
            for d in entry["documents"]
        )
        rest_url = f"{source.root}wp-json/wp/v2/posts"
        page = parse_wp_posts(json.dumps([post]).encode("utf-8"), rest_url)
        collector = AttachmentCollector(services.archive, DemoFiles(fetcher, files))
        seen = datetime.fromisoformat(entry["published"])
        ingester = Ingester(services.archive, services.index, fetcher, clock=lambda s=seen: s,
                            attachments=collector)  # fmt: skip
        ingester.take(source, page.items, report)


def load_demo_register(
    app: Flask, source: Source, report: SourceReport, demo_dir: Path = DEMO_DIR
) -> None:
    """Read demo/jdih.html with the real JDIH parser into the register."""
    path = demo_dir / "jdih.html"
    if not path.exists():
        return
    page = parse_register(path.read_bytes(), source.url)
    for problem in page.problems:
        report.problem(problem)
    register = Register(app.extensions["saring"].archive.engine)
    for entry in page.entries:
        outcome = register.record(entry, source_id=source.id, at=datetime.now(UTC))
        setattr(report, outcome, getattr(report, outcome) + 1)


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


def load_demo_channels(app: Flask, demo_dir: Path = DEMO_DIR) -> int:
    """Add the staff-written demo channels not yet in the registry; count them."""
    path = demo_dir / "channels.json"
    if not path.exists():
        return 0
    engine = app.extensions["saring"].archive.engine
    store = ChannelStore(engine)
    items = json.loads(path.read_text(encoding="utf-8"))
    sources = Editorial(engine).release_ids_for_urls(
        canonical_url(item["source_url"]) for item in items if item["source_url"]
    )
    known = {(c.kind, c.value) for c in store.list_channels()}
    added = 0
    for item in items:
        data = ChannelInput(item["kind"], item["value"], item["owner"], item["source_url"],
                            item["note"])  # fmt: skip
        if (data.kind, data.normalised) in known:
            continue
        source = canonical_url(data.source_url) if data.source_url else ""
        store.add(data, actor=DEMO_ACTOR, at=datetime.now(UTC),
                  source_release_id=sources.get(source))  # fmt: skip
        added += 1
    return added


def load_demo_if_empty(app: Flask) -> int:
    """Load the demo when the archive holds nothing yet; returns how many releases were added."""
    services = app.extensions["saring"]
    if services.archive.counts()["releases"]:
        if not services.index.exists():  # index thrown away: rebuild it from the archive
            rebuild_index(services.archive, services.index)
            reindex_clarifications(Editorial(services.archive.engine), services.index)
        return 0
    registers = {s.id for s in load_sources(DEMO_DIR / "sources.toml") if s.kind == "jdih"}
    return sum(r.new for r in load_demo(app) if r.source_id not in registers)  # releases only


def holds_only_demo_data(app: Flask) -> bool:
    """True when the archive has releases and every one comes from a demo source."""
    archive = app.extensions["saring"].archive
    health = archive.source_health()
    with archive.engine.connect() as conn:
        source_ids = [row[0] for row in conn.execute(select(releases.c.source_id).distinct())]
    return bool(source_ids) and all(
        source_id.startswith(DEMO_SOURCE_PREFIX) for source_id in [*source_ids, *health]
    )
