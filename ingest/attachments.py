"""Attachments: the PDFs and images a release links to, fetched, read and archived with it.

For each release the pipeline records, `AttachmentCollector.collect`

1. finds the links of its (sanitised) HTML that point at a PDF or an image by their path
   (``.pdf``, ``.png``, ``.jpg``, ``.jpeg``, ``.webp``) on a host the fetcher allows; embedded
   pictures (``<img>``) are photos of events, not documents, and are left alone;
2. records which documents the release links to (`archive.attachments`);
3. fetches each one through the fetcher (allow-list, robots.txt, politeness, time cap, its own
   byte cap), and accepts it only when its first bytes are a PDF, PNG, JPEG or WebP and the
   server's Content-Type does not say otherwise;
4. reads its text (`ingest.documents`: pypdf, and Tesseract for scanned pages and images) and
   stores the bytes as a new version when they changed.

A document of a new or changed release is fetched every time (conditionally, so an unchanged
file costs a 304); one of an unchanged release only once `RECHECK` has passed since it was last
checked (`RETRY` when its last attempt failed). Nothing that goes wrong with a document stops
its release: the problem is recorded on the attachment and in the source's report, and the
release stays archived and indexed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup

from archive import Archive, RecordOutcome
from archive.attachments import READABLE, AttachmentStore, Document
from archive.release import Release
from ingest.documents import read_document, sniff
from ingest.fetch import Fetched, FetchError, TooLarge

log = logging.getLogger(__name__)

EXTENSIONS = (".pdf", ".png", ".jpg", ".jpeg", ".webp")
MAX_PER_RELEASE = 10
MAX_BYTES = 10_000_000
RECHECK = timedelta(days=7)  # a document read before is asked for again after this
RETRY = timedelta(days=1)  # one whose last attempt failed, after this
ACCEPT = "application/pdf, image/png, image/jpeg, image/webp;q=0.9, */*;q=0.1"
# Content-Types servers send for any download; the bytes then decide.
GENERIC_TYPES = frozenset(
    {"", "application/octet-stream", "binary/octet-stream", "application/download",
     "application/force-download", "application/x-download"}
)  # fmt: skip
# Other names servers use for a type.
ALIASES = {"application/x-pdf": "application/pdf", "image/jpg": "image/jpeg",
           "image/pjpeg": "image/jpeg"}  # fmt: skip


class DocumentFetcher(Protocol):
    """What the collector needs of a fetcher (`ingest.fetch.Fetcher`, or the demo's files)."""

    def allows(self, url: str) -> bool:
        """Whether the URL may be fetched at all."""
        ...

    def get(
        self, url: str, *, conditional: bool = True, accept: str | None = None,
        max_bytes: int | None = None,
    ) -> Fetched:  # fmt: skip
        """Fetch the URL (see `Fetcher.get`)."""
        ...


class Tally(Protocol):
    """Where the collector reports (a `SourceReport`)."""

    documents: int

    def problem(self, message: str) -> None:
        """Record a problem that did not stop the source."""
        ...


@dataclass(frozen=True)
class Link:
    """A document link found in a release."""

    url: str
    name: str  # the file name, from the URL's path
    label: str  # the link's text


def find_links(html: str, base_url: str, allows: Callable[[str], bool]) -> list[Link]:
    """The document links of a release's HTML, absolute, once each, in order (at most
    MAX_PER_RELEASE), on hosts `allows` accepts."""
    found: dict[str, Link] = {}
    for anchor in BeautifulSoup(html or "", "lxml").find_all("a", href=True):
        try:
            parts = urlsplit(urljoin(base_url, anchor["href"].strip()))
        except ValueError:
            continue
        if parts.scheme not in ("http", "https") or not parts.path.lower().endswith(EXTENSIONS):
            continue
        url = urlunsplit((parts.scheme, parts.netloc.lower(), parts.path, parts.query, ""))
        if url in found or not allows(url):
            continue
        name = unquote(parts.path.rsplit("/", 1)[-1]) or parts.netloc
        label = " ".join(anchor.get_text(" ", strip=True).split())
        found[url] = Link(url, name[:200], label[:300])
        if len(found) >= MAX_PER_RELEASE:
            break
    return list(found.values())


class AttachmentCollector:
    """Fetches, reads and archives the documents of releases (see the module docstring)."""

    def __init__(
        self,
        archive: Archive,
        fetcher: DocumentFetcher,
        *,
        max_bytes: int = MAX_BYTES,
        use_ocr: bool = True,
        recheck: timedelta = RECHECK,
    ) -> None:
        self.archive = archive
        self.store = AttachmentStore(archive.engine)
        self.fetcher = fetcher
        self.max_bytes = max_bytes
        self.use_ocr = use_ocr
        self.recheck = recheck

    def collect(
        self, release: Release, outcome: RecordOutcome, report: Tally, *, at: datetime
    ) -> None:
        """Link, fetch and archive the documents of a release just recorded with `outcome`."""
        links = find_links(release.html, release.url, self.fetcher.allows)
        release_id = self.archive.find_release_id(release.url, release.guid)
        if release_id is None:
            return
        self.store.link(release_id, [(k.url, k.name, k.label) for k in links], at=at)
        fresh = outcome in (RecordOutcome.NEW, RecordOutcome.CHANGED)
        for link in links:
            known = self.store.find(link.url)
            if known is not None and known.status != "pending" and not fresh:
                wait = self.recheck if known.status in READABLE else RETRY
                if at - known.last_checked < wait:
                    continue
            has_copy = known is not None and known.current is not None
            document = self.fetch(link.url, has_copy=has_copy)
            if self.store.record(link.url, document, at=at):
                report.documents += 1
            if document.status not in ("ok", "unchanged"):
                detail = f": {document.problem}" if document.problem else ""
                report.problem(f"{release.url}: document {link.url}: {document.status}{detail}")

    def fetch(self, url: str, *, has_copy: bool = False) -> Document:
        """One document, fetched, type-checked and read; never raises for a bad document."""
        try:
            fetched = self.fetcher.get(url, accept=ACCEPT, max_bytes=self.max_bytes)
            if fetched.not_modified and not has_copy:  # validators of bytes that were refused
                fetched = self.fetcher.get(
                    url, conditional=False, accept=ACCEPT, max_bytes=self.max_bytes
                )
        except TooLarge as exc:
            return Document("too_large", str(exc))
        except FetchError as exc:
            return Document("fetch_failed", str(exc))
        if fetched.not_modified:
            return Document("unchanged")
        if fetched.status != 200:
            return Document("http_error", f"{url} answered HTTP {fetched.status}")
        media_type = sniff(fetched.body)
        declared = ALIASES.get(fetched.content_type, fetched.content_type)
        if not media_type:
            return Document(
                "wrong_type",
                f"{url} is not a PDF or an image (Content-Type {declared or 'none'}, and its first "
                "bytes are neither)",
            )
        if declared not in GENERIC_TYPES and declared != media_type:
            return Document(
                "wrong_type", f"{url} is served as {declared} but its bytes are {media_type}"
            )
        reading = read_document(fetched.body, media_type, use_ocr=self.use_ocr)
        return Document(
            status=reading.status,
            problem=reading.problem,
            data=fetched.body,
            media_type=media_type,
            text=reading.text,
            pages=reading.pages,
            ocr_pages=reading.ocr_pages,
        )


def reread_documents(archive: Archive, statuses: Iterable[str] = ("needs_ocr",)) -> dict[str, int]:
    """Read again the stored current versions of documents in `statuses` (by default those
    waiting for OCR, once Tesseract is installed); returns how many ended in each state."""
    store = AttachmentStore(archive.engine)
    outcome: dict[str, int] = {}
    for version_id, media_type, data in store.stored_bytes(statuses):
        reading = read_document(data, media_type)
        store.reread(
            version_id,
            Document(reading.status, reading.problem, None, media_type, reading.text,
                     reading.pages, reading.ocr_pages),
        )  # fmt: skip
        outcome[reading.status] = outcome.get(reading.status, 0) + 1
    return outcome
