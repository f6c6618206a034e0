"""Run sources: fetch, parse, normalise, record in the archive, then bring the index up to date.

One failing source never stops the others; one bad item never stops its source, and one bad
document never stops its release. Each run of a source ends in a SourceReport (new, changed,
unchanged, removed, duplicates, documents, problems, error) that is also written to the archive
as the source's health (a quiet run only now and then: `archive.store.STATUS_HEARTBEAT`). The
documents a release links to are fetched and archived right after the release
(`ingest.attachments`); a `jdih` source fills the legal register (`ingest.jdih`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode, urlsplit

from archive import Archive, RecordOutcome
from archive.register import Register
from index.store import IndexBusy, SearchIndex
from ingest.attachments import AttachmentCollector
from ingest.fetch import Fetched, Fetcher, FetchError
from ingest.indexing import sync_index
from ingest.items import RawItem
from ingest.jdih import parse_register
from ingest.normalise import MAX_MARKUP_TAGS, canonical_url, normalise_item
from ingest.parsers import extract_article, parse_feed, parse_listing, parse_wp_posts
from ingest.sources import Source

log = logging.getLogger(__name__)

REST_PAGE_SIZE = 100
GONE = (404, 410)


@dataclass
class SourceReport:
    """What one run of one source did."""

    source_id: str
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    duplicates: int = 0
    not_modified: int = 0
    documents: int = 0  # document versions archived (new documents and changed ones)
    problems: list[str] = field(default_factory=list)
    error: str | None = None

    def count(self, outcome: RecordOutcome) -> None:
        """Add one record outcome to the tallies."""
        attribute = "duplicates" if outcome is RecordOutcome.DUPLICATE else outcome.value
        setattr(self, attribute, getattr(self, attribute) + 1)

    def counts(self) -> dict[str, int]:
        """Tallies as a plain dict (stored as the source's last counts)."""
        return {
            "new": self.new,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "duplicates": self.duplicates,
            "not_modified": self.not_modified,
            "documents": self.documents,
            "problems": len(self.problems),
        }

    @property
    def quiet(self) -> bool:
        """True when the run found nothing new, changed or removed, archived no document and
        met no problem or error: an unchanged run."""
        return not (
            self.error
            or self.problems
            or self.new
            or self.changed
            or self.removed
            or self.documents
        )

    def problem(self, message: str) -> None:
        """Record (and log) a problem that did not stop the source."""
        log.warning("[%s] %s", self.source_id, message)
        self.problems.append(message)


class SourceFailed(Exception):
    """The source could not be read at all in this run (its feed or listing failed)."""


class Ingester:
    """Runs sources through the pipeline against one archive, index and fetcher."""

    def __init__(
        self,
        archive: Archive,
        index: SearchIndex,
        fetcher: Fetcher,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        attachments: AttachmentCollector | None = None,
    ):
        """`attachments` fetches the documents releases link to (default: through `fetcher`)."""
        self.archive = archive
        self.index = index
        self.fetcher = fetcher
        self.clock = clock
        self.attachments = attachments or AttachmentCollector(archive, fetcher)

    # -- orchestration ----------------------------------------------------------------------

    def run(self, sources: Iterable[Source], *, backfill: bool = False) -> list[SourceReport]:
        """Run each source in turn; every one gets a report even when it fails."""
        return [self.run_source(source, backfill=backfill) for source in sources]

    def run_source(self, source: Source, *, backfill: bool = False) -> SourceReport:
        """Run one source, record its health, then index what changed."""
        report = SourceReport(source.id)
        started = self.clock()
        try:
            if source.kind == "wordpress":
                self._run_wordpress(source, report, backfill)
            elif source.kind == "feed":
                self._run_feed(source, source.url, report)
            elif source.kind == "jdih":
                self._run_jdih(source, report)
            else:
                self._run_html(source, report, backfill)
        except (SourceFailed, FetchError) as exc:
            report.error = str(exc)
        except Exception as exc:  # a bug must not sink the other sources
            log.exception("[%s] unexpected failure", source.id)
            report.error = f"internal error: {type(exc).__name__}: {exc}"
        if report.error:
            log.error("[%s] %s", source.id, report.error)
        self.archive.record_run(
            source.id, report.counts(), report.error, at=started, quiet=report.quiet
        )
        try:
            sync_index(self.archive, self.index)
        except IndexBusy as exc:
            report.problem(f"index not updated yet: {exc}")
        return report

    # -- kinds -------------------------------------------------------------------------------

    def _run_wordpress(self, source: Source, report: SourceReport, backfill: bool) -> None:
        if backfill:
            if not self._backfill_rest(source, report):
                self._backfill_feed(source, report)
            return
        self._run_feed(source, source.root + "feed/", report)
        self._check_edits(source, report)

    def _run_feed(self, source: Source, url: str, report: SourceReport) -> None:
        fetched = self._get_page(url)
        if fetched.not_modified:
            report.not_modified += 1
            return
        page = parse_feed(fetched.body, fetched.url, fetched.headers.get("content-type", ""))
        if not page.items and page.problems:
            raise SourceFailed(f"feed {url} unreadable: {'; '.join(page.problems)}")
        for problem in page.problems:
            report.problem(f"{url}: {problem}")
        self.take(source, page.items, report)

    def _run_html(self, source: Source, report: SourceReport, backfill: bool) -> None:
        url: str | None = source.url
        pages = 0
        while url and pages < (source.max_pages if backfill else 1):
            fetched = self._get_page(url, conditional=not backfill)
            pages += 1
            if fetched.not_modified:
                report.not_modified += 1
                return
            page = parse_listing(fetched.body, fetched.url, source.selectors)
            for problem in page.problems:
                report.problem(f"{url}: {problem}")
            if pages == 1 and not page.items:
                raise SourceFailed(f"listing {url} has no items matching {source.selectors.item!r}")
            items = page.items
            if not backfill:  # known pages are re-read by backfill passes only
                known = self.archive.known_urls(canonical_url(i.url) for i in items)
                items = [i for i in items if canonical_url(i.url) not in known]
            self.take(source, items, report)
            url = page.next_url if page.next_url and self.fetcher.allows(page.next_url) else None

    def _run_jdih(self, source: Source, report: SourceReport) -> None:
        """Read every page of a JDIH register listing (up to max_pages) into the register.

        All pages every run: a regulation revoked years ago changes its status on a late page.
        Entries count as new, changed or unchanged like releases.
        """
        register = Register(self.archive.engine)
        url: str | None = source.url
        pages, seen = 0, set()
        while url and url not in seen and pages < source.max_pages:
            seen.add(url)
            fetched = self._get_page(url, conditional=False)
            pages += 1
            page = parse_register(fetched.body, fetched.url, fetched.content_type)
            for problem in page.problems:
                report.problem(f"{url}: {problem}")
            if pages == 1 and not page.entries:
                raise SourceFailed(f"register {url} lists no regulations")
            for entry in page.entries:
                outcome = register.record(entry, source_id=source.id, at=self.clock())
                setattr(report, outcome, getattr(report, outcome) + 1)
            url = page.next_url if page.next_url and self.fetcher.allows(page.next_url) else None

    # -- WordPress archive and edits -----------------------------------------------------------

    def _rest_url(self, source: Source, **params) -> str:
        query = urlencode({"per_page": REST_PAGE_SIZE, "_embed": 1, **params})
        return f"{source.root}wp-json/wp/v2/posts?{query}"

    def _backfill_rest(self, source: Source, report: SourceReport) -> bool:
        """Page through the REST API; False when the API is unavailable (use the feed instead)."""
        seen: set[str] = set()
        page_number, total_pages = 1, None
        while page_number <= source.max_pages:
            url = self._rest_url(source, page=page_number)
            try:
                fetched = self.fetcher.get(url, conditional=False, accept="application/json")
            except FetchError as exc:
                if page_number == 1:
                    report.problem(f"REST API unavailable ({exc}); paging the feed instead")
                    return False
                raise
            if fetched.status == 400 and page_number > 1:
                break  # WordPress answers 400 past the last page
            page = parse_wp_posts(fetched.body, fetched.url) if fetched.status == 200 else None
            if page is None or (not page.items and page.problems):
                if page_number == 1:
                    why = f"HTTP {fetched.status}" if page is None else "; ".join(page.problems)
                    report.problem(f"REST API unavailable ({why}); paging the feed instead")
                    return False
                raise SourceFailed(f"REST page {page_number} failed (HTTP {fetched.status})")
            if total_pages is None:
                total_pages = _int_header(fetched, "x-wp-totalpages")
            seen.update(canonical_url(item.url) for item in page.items)
            self.take(source, page.items, report)
            if not page.items or (total_pages is not None and page_number >= total_pages):
                break
            page_number += 1
        else:
            report.problem(f"stopped at max_pages={source.max_pages}; removals not checked")
            return True
        for url in sorted(self.archive.active_urls(source.id) - seen):
            if self.archive.mark_removed(url, at=self.clock()):
                report.removed += 1
        self.archive.mark_edit_check(source.id, self.clock())
        return True

    def _backfill_feed(self, source: Source, report: SourceReport) -> None:
        """Page the RSS feed (?paged=N) until it runs out or repeats itself."""
        previous: set[str] = set()
        for page_number in range(1, source.max_pages + 1):
            url = source.root + "feed/" + (f"?paged={page_number}" if page_number > 1 else "")
            fetched = self.fetcher.get(url, conditional=False)
            if fetched.status in GONE and page_number > 1:
                return
            if fetched.status != 200:
                raise SourceFailed(f"feed {url} answered HTTP {fetched.status}")
            page = parse_feed(fetched.body, fetched.url, fetched.headers.get("content-type", ""))
            keys = {item.guid or item.url for item in page.items}
            if not keys or keys == previous:
                return
            previous = keys
            for problem in page.problems:
                report.problem(f"{url}: {problem}")
            self.take(source, page.items, report)

    def _check_edits(self, source: Source, report: SourceReport) -> None:
        """Ask the REST API for recently modified posts, at most once per `edit_check`."""
        now = self.clock()
        last = self.archive.source_health().get(source.id, {}).get("last_edit_check")
        if last is not None and now - last < timedelta(seconds=source.edit_check):
            return
        params: dict = {"orderby": "modified", "order": "desc"}
        if last is not None:
            params["modified_after"] = (last - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S")
        try:
            fetched = self.fetcher.get(
                self._rest_url(source, **params), conditional=False, accept="application/json"
            )
        except FetchError as exc:
            report.problem(f"could not ask for edited posts: {exc}")
            return
        if fetched.status == 200:
            page = parse_wp_posts(fetched.body, fetched.url)
            self.take(source, page.items, report)
        else:
            report.problem(f"could not ask for edited posts: HTTP {fetched.status}")
        self.archive.mark_edit_check(source.id, now)

    # -- items -------------------------------------------------------------------------------

    def take(self, source: Source, items: Iterable[RawItem], report: SourceReport) -> None:
        """Normalise and record items; summaries get their article page fetched first."""
        for item in items:
            try:
                self._take_one(source, item, report)
            except FetchError as exc:
                report.problem(f"{item.url}: {exc}")
            except Exception as exc:
                log.exception("[%s] item %s failed", source.id, item.url)
                report.problem(f"{item.url}: internal error: {type(exc).__name__}: {exc}")

    def _take_one(self, source: Source, item: RawItem, report: SourceReport) -> None:
        if not item.url or not self.fetcher.allows(item.url):
            report.problem(f"item link {item.url!r} is not on an allowed host; skipped")
            return
        if urlsplit(item.url).path.startswith("/en/"):
            report.duplicates += 1  # machine-translated copy of an Indonesian release
            return
        if item.is_summary or not item.html:
            item = self._with_article(source, item, report)
            if item is None:
                return
        release, problems = normalise_item(
            item, source_id=source.id, opd=source.opd, category_hints=list(source.categories)
        )
        for problem in problems:
            report.problem(f"{item.url}: {problem}")
        if release is None:
            return
        outcome = self.archive.record(release, seen_at=self.clock())
        report.count(outcome)
        if outcome is RecordOutcome.DUPLICATE:
            return
        try:  # the release is archived already: nothing a document does can lose it
            self.attachments.collect(release, outcome, report, at=self.clock())
        except Exception as exc:
            log.exception("[%s] documents of %s failed", source.id, release.url)
            report.problem(f"{release.url}: documents not collected: {type(exc).__name__}: {exc}")

    def _with_article(self, source: Source, item: RawItem, report: SourceReport) -> RawItem | None:
        fetched = self.fetcher.get(item.url)
        if fetched.status in GONE:
            if self.archive.mark_removed(canonical_url(item.url), at=self.clock()):
                report.removed += 1
            else:
                report.problem(f"{item.url}: HTTP {fetched.status}")
            return None
        if fetched.not_modified:
            report.unchanged += 1
            return None
        if fetched.status != 200:
            report.problem(f"{item.url}: HTTP {fetched.status}")
            return None
        if fetched.body.count(b"<") > MAX_MARKUP_TAGS:
            report.problem(
                f"{item.url}: page has more than {MAX_MARKUP_TAGS:,} tags; "
                "only the part before was read"
            )
        article = extract_article(fetched.body, fetched.url, source.selectors)
        if article is None:
            report.problem(f"{item.url}: no article text found")
            return None
        return RawItem(
            url=item.url,
            title=article.title or item.title,
            html=article.html,
            guid=item.guid,
            published=item.published or article.published,
            modified=item.modified or article.modified,
            categories=item.categories or article.categories,
            tags=item.tags or article.tags,
            author=item.author or article.author,
            canonical_url=article.canonical_url,
        )

    def _get_page(self, url: str, *, conditional: bool = True) -> Fetched:
        fetched = self.fetcher.get(url, conditional=conditional)
        if fetched.status != 200 and not fetched.not_modified:
            raise SourceFailed(f"{url} answered HTTP {fetched.status}")
        return fetched


def _int_header(fetched: Fetched, name: str) -> int | None:
    try:
        return int(fetched.headers.get(name, ""))
    except ValueError:
        return None


def summarise(reports: list[SourceReport]) -> str:
    """A plain-text table of reports for the terminal."""
    lines = [
        f"{'source':<18} {'new':>5} {'changed':>7} {'same':>5} {'removed':>7} {'dup':>4}  errors"
    ]
    for r in reports:
        errors = r.error or (f"{len(r.problems)} problem(s)" if r.problems else "-")
        lines.append(
            f"{r.source_id:<18} {r.new:>5} {r.changed:>7} {r.unchanged + r.not_modified:>5} "
            f"{r.removed:>7} {r.duplicates:>4}  {errors}"
        )
    return "\n".join(lines)


def reports_json(reports: list[SourceReport]) -> str:
    """Reports as JSON (for scripts)."""
    return json.dumps(
        [{"source": r.source_id, **r.counts(), "error": r.error} for r in reports], indent=2
    )
