"""Command-line interface: `flask --app app ingest | sources | reindex | load-demo`."""

from __future__ import annotations

import logging
import sys
import time
from datetime import UTC, datetime

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from index.store import IndexBusy
from ingest.fetch import Fetcher
from ingest.indexing import rebuild_index
from ingest.pipeline import Ingester, SourceReport, summarise
from ingest.schedule import Schedule
from ingest.sources import Source, SourcesError, load_sources, parse_duration

log = logging.getLogger(__name__)


def build_fetcher(app: Flask, sources: list[Source]) -> Fetcher:
    """The fetcher for these sources: their hosts (and ports) allowed, the app's caps."""
    return Fetcher(
        allowed_hosts={s.allowed_host for s in sources},
        timeout=app.config["FETCH_TIMEOUT"],
        max_bytes=app.config["FETCH_MAX_BYTES"],
        delay=app.config["FETCH_DELAY"],
        validators=app.extensions["saring"].archive,
    )


def build_ingester(app: Flask, sources: list[Source]) -> Ingester:
    """An Ingester wired to the app's archive and index."""
    services = app.extensions["saring"]
    return Ingester(services.archive, services.index, build_fetcher(app, sources))


def _load(sources_file: str | None, only: tuple[str, ...]) -> list[Source]:
    path = sources_file or current_app.config["SOURCES_FILE"]
    try:
        sources = load_sources(path)
    except SourcesError as exc:
        raise click.ClickException(str(exc)) from exc
    if only:
        unknown = set(only) - {s.id for s in sources}
        if unknown:
            raise click.ClickException(f"unknown source id(s): {', '.join(sorted(unknown))}")
        sources = [s for s in sources if s.id in only]
    return sources


def _run_once(ingester: Ingester, sources: list[Source], backfill: bool) -> list[SourceReport]:
    reports: list[SourceReport] = []
    if sys.stderr.isatty() and len(sources) > 1:
        with click.progressbar(
            sources, label="Ingest", file=sys.stderr, item_show_func=lambda s: s.id if s else ""
        ) as bar:
            for source in bar:
                reports.append(ingester.run_source(source, backfill=backfill))
    else:
        for source in sources:
            log.info("ingest %s (%s) %s", source.id, source.kind, source.url)
            report = ingester.run_source(source, backfill=backfill)
            log.info("done %s: %s", source.id, report.counts())
            reports.append(report)
    return reports


@click.command("ingest")
@click.option("--sources", "sources_file", help="Sources file (default: SARING_SOURCES).")
@click.option("--source", "only", multiple=True, help="Only this source id (repeatable).")
@click.option("--backfill", is_flag=True, help="Page through each source's whole archive.")
@click.option(
    "--every",
    help="Keep polling: check every interval (e.g. 15m); each source at its own interval.",
)
@with_appcontext
def ingest_command(sources_file, only, backfill, every):
    """Pull new and changed releases into the archive and the index."""
    _configure_logging()
    sources = _load(sources_file, only)
    ingester = build_ingester(current_app, sources)
    if not every:
        reports = _run_once(ingester, sources, backfill)
        click.echo(summarise(reports))
        if all(r.error for r in reports):
            sys.exit(1)
        return
    try:
        tick = parse_duration(every)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--every") from exc
    schedule = Schedule(sources)
    click.echo(f"Polling {len(sources)} source(s); checking every {every}. Ctrl+C stops.")
    try:
        first = True
        while True:
            due = schedule.due(datetime.now(UTC))
            if due:
                reports = _run_once(ingester, due, backfill and first)
                for report in reports:
                    schedule.done(report.source_id, datetime.now(UTC))
                click.echo(summarise(reports))
            first = False
            time.sleep(min(tick, schedule.seconds_until_next(datetime.now(UTC))))
    except KeyboardInterrupt:
        click.echo("Stopped.")


@click.command("sources")
@click.option("--sources", "sources_file", help="Sources file (default: SARING_SOURCES).")
@with_appcontext
def sources_command(sources_file):
    """Show each source's health: last success, last error, counts."""
    from archive.months import tanggal

    sources = _load(sources_file, ())
    health = current_app.extensions["saring"].archive.source_health()
    for source in sources:
        h = health.get(source.id)
        click.echo(f"{source.id}  [{source.kind}] {source.url}  ({source.opd})")
        if h is None:
            click.echo("    never run")
            continue
        state = (
            "OK"
            if h["last_error"] is None
            or (h["last_success"] and h["last_error_at"] and h["last_success"] > h["last_error_at"])
            else "FAILING"
        )
        click.echo(
            f"    {state}; releases {h['releases']}; runs {h['runs']}, failures {h['failures']}"
        )
        click.echo(f"    last success: {tanggal(h['last_success'], True)}")
        if h["last_error"]:
            click.echo(f"    last error:   {tanggal(h['last_error_at'], True)}: {h['last_error']}")
        click.echo(f"    last counts:  {h['last_counts']}")


@click.command("reindex")
@with_appcontext
def reindex_command():
    """Rebuild the search index from the archive alone (atomic swap)."""
    from archive.editorial import Editorial
    from index.clarifications import iter_index_docs

    services = current_app.extensions["saring"]
    editorial = Editorial(services.archive.engine)
    try:
        count = rebuild_index(services.archive, services.index, iter_index_docs(editorial))
    except IndexBusy as exc:
        raise click.ClickException(str(exc)) from exc
    editorial.mark_indexed(item.id for item in editorial.iter_published())
    click.echo(f"Index rebuilt: {count} document(s) (releases and published clarifications).")


@click.command("load-demo")
@with_appcontext
def load_demo_command():
    """Load the bundled demo releases (through the normal parse -> store -> index path)."""
    from ingest.demo import load_demo

    reports = load_demo(current_app)
    click.echo(summarise(reports))


def _configure_logging() -> None:
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")


def init_app(app: Flask) -> None:
    """Register the commands."""
    for command in (ingest_command, sources_command, reindex_command, load_demo_command):
        app.cli.add_command(command)
