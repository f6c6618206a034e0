"""Command-line interface: `flask --app app ingest | sources [discover] | documents reread |
reindex | load-demo | channels [harvest]`."""

from __future__ import annotations

import logging
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from archive.sites import CONFIGURED, PROPOSED, UNUSABLE, Sighting, SiteStore
from archive.store import HEALTHY, NEVER_RUN
from index.store import IndexBuildFailed, IndexBusy
from ingest.attachments import AttachmentCollector, reread_documents
from ingest.discover import (
    STARTED_HERE,
    Discovery,
    Limits,
    discover,
    render_proposal,
    summary_line,
)
from ingest.fetch import Fetcher
from ingest.indexing import rebuild_index, sync_index
from ingest.pipeline import Ingester, SourceReport, summarise
from ingest.schedule import Schedule
from ingest.sources import (
    Source,
    SourcesError,
    default_sources_path,
    load_sources,
    parse_duration,
)

log = logging.getLogger(__name__)


def build_fetcher(app: Flask, sources: list[Source]) -> Fetcher:
    """The fetcher for these sources: their hosts (and ports) allowed, the app's caps."""
    return Fetcher(
        allowed_hosts={s.allowed_host for s in sources},
        timeout=app.config["FETCH_TIMEOUT"],
        max_bytes=app.config["FETCH_MAX_BYTES"],
        delay=app.config["FETCH_DELAY"],
        validators=app.extensions["saring"].archive,
        robots_store=app.extensions["saring"].archive,
    )


def build_ingester(app: Flask, sources: list[Source]) -> Ingester:
    """An Ingester wired to the app's archive and index."""
    services = app.extensions["saring"]
    fetcher = build_fetcher(app, sources)
    attachments = AttachmentCollector(
        services.archive, fetcher, max_bytes=app.config["ATTACHMENT_MAX_BYTES"]
    )
    return Ingester(services.archive, services.index, fetcher, attachments=attachments)


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


@click.group("sources", cls=AppGroup, invoke_without_command=True)
@click.option("--sources", "sources_file", help="Sources file (default: SARING_SOURCES).")
@click.pass_context
@with_appcontext
def sources_command(ctx, sources_file):
    """Show each source's health: last success, last error, counts.

    `sources discover` proposes new sources instead (see its --help).
    """
    if ctx.invoked_subcommand is not None:
        return
    from archive.months import tanggal

    sources = _load(sources_file, ())
    health = current_app.extensions["saring"].archive.source_health()
    for source in sources:
        h = health.get(source.id)
        click.echo(f"{source.id}  [{source.kind}] {source.url}  ({source.opd})")
        if h is None or h["state"] == NEVER_RUN:
            click.echo("    never run")
            continue
        state = "OK" if h["state"] == HEALTHY else "FAILING"
        click.echo(
            f"    {state}; releases {h['releases']}; recorded runs {h['runs']}, "
            f"failures {h['failures']}"
        )
        click.echo(
            f"    last success: {tanggal(h['last_success'], True)} (unchanged runs are recorded "
            "at least hourly)"
        )
        if h["last_error"]:
            click.echo(f"    last error:   {tanggal(h['last_error_at'], True)}: {h['last_error']}")
        click.echo(f"    last counts:  {h['last_counts']} (run of {tanggal(h['last_run'], True)})")


@sources_command.command("discover")
@click.option("--sources", "sources_file", help="Sources file (default: SARING_SOURCES).")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the proposal to this file (default: standard output). Never the live sources.",
)
@click.option(
    "--start",
    multiple=True,
    help="Start from this URL (repeatable; default: the main site). Must be an allowed host.",
)
@click.option(
    "--max-pages",
    type=click.IntRange(1, 10000),
    default=150,
    show_default=True,
    help="Most pages the crawl fetches (probes of new hosts come on top).",
)
@click.option(
    "--max-depth",
    type=click.IntRange(0, 20),
    default=2,
    show_default=True,
    help="Most link hops from a starting page.",
)
@click.option(
    "--max-time",
    default="10m",
    show_default=True,
    help="Wall-clock limit for crawl and probes, e.g. 90s, 10m, 1h.",
)
@click.option(
    "--per-host",
    type=click.IntRange(1, 10000),
    default=20,
    show_default=True,
    help="Most pages crawled on one host.",
)
@click.pass_context
def discover_command(ctx, sources_file, out, start, max_pages, max_depth, max_time, per_host):
    """Find city sites that have no source yet and propose [[source]] entries for them.

    Crawls links from the main site and the configured sources (only allowed hosts, through the
    usual fetcher), probes each new host for the REST API, a feed or a dated listing, and writes
    a proposal in sources.toml syntax for review. The sources file itself is never changed.
    What the run found is kept in the archive's register of known sites (shown at /admin/sumber).
    """
    _configure_logging()
    sources_file = sources_file or (ctx.parent.params.get("sources_file") if ctx.parent else None)
    sources = _load(sources_file, ())
    live = sources_file or current_app.config["SOURCES_FILE"]
    if out is not None:
        _refuse_live(out, [live, current_app.config["SOURCES_FILE"], default_sources_path()])
    try:
        seconds = parse_duration(max_time)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--max-time") from exc
    fetcher = _discovery_fetcher(current_app, sources)
    for url in start:
        if not fetcher.allows(url):
            raise click.BadParameter(
                f"{url} is not on an allowed host (malangkota.go.id, its subdomains and the "
                "hosts of the sources file)",
                param_hint="--start",
            )
    limits = Limits(pages=max_pages, depth=max_depth, seconds=seconds, per_host=per_host)
    result = discover(sources, fetcher, limits, start=start)
    finished = datetime.now(UTC)
    text = render_proposal(result, generated_at=finished, sources_file=str(live))
    if out is None:
        click.echo(text, nl=False)
        click.echo(summary_line(result), err=True)
    else:
        _write_atomically(out, text)
        click.echo(f"Proposal written to {out}; review it before copying entries into {live}.")
        click.echo(summary_line(result))
    _record_sites(result, finished, err=out is None)


def _record_sites(result: Discovery, at: datetime, *, err: bool) -> None:
    """Keep what the run found in the archive's register of known sites (all or nothing)."""
    store = SiteStore(current_app.extensions["saring"].archive.engine)
    try:
        recorded = store.record_run(_sightings(result), at=at)
    except SQLAlchemyError as exc:
        raise click.ClickException(
            f"the register of known sites was not updated (it is as it was before this run): "
            f"{exc.__class__.__name__}: {exc.orig if isinstance(exc, DBAPIError) else exc}"
        ) from exc
    click.echo(
        f"Register of known sites: {recorded.new} new, {recorded.updated} updated "
        "(see /admin/sumber).",
        err=err,
    )


def _sightings(result: Discovery) -> list[Sighting]:
    """What a discovery run concluded about each host it found, as the site register keeps it."""
    found_on = {
        host: "" if page == STARTED_HERE else page for host, page in result.found_on.items()
    }
    found: list[Sighting] = [
        Sighting(host, CONFIGURED, found_on=found_on.get(host, "")) for host in result.configured
    ]
    found += [
        Sighting(
            p.host,
            PROPOSED,
            url=p.url,
            found_on=found_on.get(p.host, ""),
            kind=p.kind,
            opd=p.opd,
            interval=p.interval,
        )
        for p in result.proposals
    ]
    found += [
        Sighting(
            u.host,
            UNUSABLE,
            url=u.url,
            found_on=found_on.get(u.host, ""),
            reason=u.reason,
            conclusive=not u.unprobed,
        )
        for u in result.unusable
    ]
    return found


def _discovery_fetcher(app: Flask, sources: list[Source]) -> Fetcher:
    """The app's fetch rules and caps, with its own memory of validators: discovery must not
    leave ETags in the archive, or the first real ingest of a probed feed would get a 304."""
    return Fetcher(
        allowed_hosts={s.allowed_host for s in sources},
        timeout=app.config["FETCH_TIMEOUT"],
        max_bytes=app.config["FETCH_MAX_BYTES"],
        delay=app.config["FETCH_DELAY"],
    )


def _refuse_live(out: Path, live_files: list[str | Path]) -> None:
    """Stop before any crawling when --out names a live sources file (by path or same file)."""
    target = out.expanduser().resolve()
    for live in live_files:
        path = Path(live).expanduser().resolve()
        same = target == path
        if not same and target.exists() and path.exists():
            same = os.path.samefile(target, path)
        if same:
            raise click.ClickException(
                f"refusing to write the proposal into the live sources file {path}: discovery "
                "only proposes; write it elsewhere (--out proposal.toml) and copy what you approve"
            )


def _write_atomically(path: Path, text: str) -> None:
    path = path.expanduser()
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise click.ClickException(f"could not write {path}: {exc}") from exc


@click.group("documents", cls=AppGroup)
def documents_command():
    """The documents releases link to (PDFs, images)."""


@documents_command.command("reread")
@click.option(
    "--state",
    "states",
    multiple=True,
    default=("needs_ocr",),
    show_default=True,
    help="Read again the documents in this state (repeatable), e.g. needs_ocr, ocr_failed.",
)
@with_appcontext
def reread_command(states):
    """Read stored documents again (after installing Tesseract), then update the index."""
    _configure_logging()
    archive = current_app.extensions["saring"].archive
    outcome = reread_documents(archive, states)
    try:
        sync_index(archive, current_app.extensions["saring"].index)
    except IndexBusy as exc:
        raise click.ClickException(f"documents read again, index not updated yet: {exc}") from exc
    total = sum(outcome.values())
    states_read = ", ".join(f"{state} {count}" for state, count in sorted(outcome.items()))
    click.echo(f"{total} document(s) read again" + (f": {states_read}" if total else ""))


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
    except (IndexBusy, IndexBuildFailed) as exc:
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
    for command in (
        ingest_command, sources_command, documents_command, reindex_command, load_demo_command,
    ):  # fmt: skip
        app.cli.add_command(command)
