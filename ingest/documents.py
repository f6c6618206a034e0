"""Text of the documents releases link to: PDFs (pypdf) and images (Tesseract, `ingest.ocr`).

`sniff` names a document's media type from its first bytes (never from the file name or the
server's Content-Type alone). `read_document` reads its text within bounds and says how that
went, as a `Reading` with a `status`:

- ``ok``: text read (from a PDF's text layer, by OCR of scanned pages or of an image);
- ``needs_ocr``: a scanned page or an image, and this machine has no Tesseract;
- ``no_text``: readable, but nothing in it reads as text;
- ``too_many_pages``: more than `MAX_PAGES` pages; the first `MAX_PAGES` were read;
- ``encrypted``: a PDF that cannot be opened without a password;
- ``broken``: not a readable PDF or image (truncated, corrupt, or only named like one);
- ``ocr_failed``: Tesseract ran but gave up (too slow, or an error).

- ``too_slow``: reading went past its time or memory bound and was stopped.

Bounds: `MAX_PAGES` pages, `MAX_OCR_PAGES` pages read by OCR, `MAX_CHARS` characters kept,
`READ_SECONDS` of wall clock per document (checked between pages, so a long document keeps what
was read), and pypdf's own limits on decompressed stream sizes. A hostile page can still cost
minutes inside one call (a 15 KB PDF whose one page holds 200,000 text operators takes some 16 s),
so `read_document` reads in a child process (``python -m ingest.documents``) that sets its own
memory and CPU limits and is killed past `CHILD_SECONDS`. Nothing here fetches, stores or knows
about releases.
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

from ingest import ocr

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
CHILD_SECONDS = 120.0  # the child is killed after this; it stops reading pages at READ_SECONDS
CHILD_MEMORY = 1_500_000_000  # bytes of address space the child may use
MAX_PAGES = 300
MAX_OCR_PAGES = 20  # OCR costs seconds a page; a long scanned document is read in part
MAX_CHARS = 200_000
READ_SECONDS = 60.0
# A page with fewer letters than this in its text layer is treated as scanned.
MIN_PAGE_LETTERS = 20
# Images of fewer pixels than this are logos and icons, not scanned pages.
MIN_SCAN_PIXELS = 100_000

PDF = "application/pdf"
_SIGNATURES = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
# pypdf and the libraries under it raise many kinds of errors on hostile input.
_BROKEN = (PyPdfError, ValueError, TypeError, KeyError, IndexError, AttributeError, OSError,
           AssertionError, RecursionError, ZeroDivisionError, OverflowError, EOFError)  # fmt: skip
_SPACES = re.compile(r"[ \t\u00a0]+")
_LETTERS = re.compile(r"[^\W\d_]")
_CLOSERS = (".", "!", "?", ":", ";")


@dataclass(frozen=True)
class Reading:
    """What reading one document gave: its text, how many pages, and how it went."""

    status: str
    text: str = ""
    pages: int = 0
    ocr_pages: int = 0
    problem: str = ""  # English, for logs and staff; "" when all went well


def sniff(data: bytes) -> str:
    """The media type the bytes begin like (PDF, PNG, JPEG or WebP), or "" for anything else.

    A PDF may start after a little junk (some servers prepend a byte order mark or a blank line;
    readers allow 1 KB).
    """
    for signature, media_type in _SIGNATURES:
        if data.startswith(signature):
            return media_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if b"%PDF-" in data[:1024]:
        return PDF
    return ""


def read_document(data: bytes, media_type: str, *, use_ocr: bool = True) -> Reading:
    """The text of a PDF or image, read in a child process within the module's bounds; never
    raises for bad input."""
    started = time.monotonic()
    command = [sys.executable, "-m", "ingest.documents", media_type, "ocr" if use_ocr else "-"]
    try:
        done = subprocess.run(
            command, input=data, capture_output=True, timeout=CHILD_SECONDS, cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return Reading("too_slow", problem=f"reading took longer than {CHILD_SECONDS:g} s")
    log.debug("read %s of %d bytes in %.2f s (child)", media_type, len(data),
              time.monotonic() - started)  # fmt: skip
    try:
        return Reading(**json.loads(done.stdout))
    except (ValueError, TypeError):
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        if "MemoryError" in tail[0]:
            return Reading("too_slow", problem=f"reading needed more than "
                           f"{CHILD_MEMORY // 1_000_000} MB of memory")  # fmt: skip
        why = f"reading failed (exit {done.returncode}): {tail[0][:200]}"
        return Reading("broken", problem=why)


def read_here(data: bytes, media_type: str, *, use_ocr: bool = True) -> Reading:
    """The text of a PDF or image, read in this process (the child's work; bounded by pages,
    characters and READ_SECONDS between pages, not within one)."""
    started = time.monotonic()
    if media_type == PDF:
        reading = _read_pdf(data, use_ocr)
    elif media_type in ocr.MEDIA_TYPES.values():
        reading = _read_image(data, use_ocr)
    else:
        reading = Reading("broken", problem=f"not a PDF or an image ({media_type or 'unknown'})")
    log.debug("read %s of %d bytes in %.2f s: %s", media_type, len(data),
              time.monotonic() - started, reading.status)  # fmt: skip
    return reading


def ocr_available() -> bool:
    """Whether this machine can read scanned pages and images (tesseract with ind or eng)."""
    return bool(ocr.languages())


# -- PDF -------------------------------------------------------------------------------------


def _read_pdf(data: bytes, use_ocr: bool) -> Reading:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not _opened(reader):
            return Reading("encrypted", problem="the PDF is encrypted and needs a password")
        total = len(reader.pages)
    except _BROKEN as exc:
        return Reading("broken", problem=f"not a readable PDF: {_why(exc)}")
    if total == 0:
        return Reading("broken", problem="the PDF has no pages")
    deadline = time.monotonic() + READ_SECONDS
    can_ocr = use_ocr and ocr_available()
    texts: list[str] = []
    scanned = ocr_pages = read = 0
    problems: list[str] = []
    for number in range(min(total, MAX_PAGES)):
        if time.monotonic() > deadline:
            problems.append(f"stopped after {read} of {total} pages ({READ_SECONDS:g} s)")
            break
        try:
            page = reader.pages[number]
            text = clean(page.extract_text() or "")
        except _BROKEN as exc:
            problems.append(f"page {number + 1} unreadable: {_why(exc)}")
            read += 1
            continue
        read += 1
        if len(_LETTERS.findall(text)) < MIN_PAGE_LETTERS:
            image = _scan_of(page)
            if image is not None:
                scanned += 1
                if can_ocr and ocr_pages < MAX_OCR_PAGES:
                    try:
                        text = ocr.read_text(image)
                        ocr_pages += 1
                    except ocr.ImageError as exc:
                        problems.append(f"OCR of page {number + 1} failed: {exc.code}")
        if text:
            texts.append(text)
        if sum(map(len, texts)) > MAX_CHARS:
            problems.append(f"text cut at {MAX_CHARS:,} characters")
            break
    text = _capped("\n\n".join(texts))
    if total > MAX_PAGES:
        status = "too_many_pages"
        problems.insert(0, f"{total} pages; only the first {MAX_PAGES} were read")
    elif scanned > ocr_pages and not can_ocr:
        status = "needs_ocr"
        problems.insert(0, f"{scanned} scanned page(s) wait for OCR (no tesseract here)")
    elif not text and any(p.startswith("OCR of") for p in problems):
        status = "ocr_failed"
    elif not text and problems:
        status = "broken"
    elif not text:
        status = "no_text"
    else:
        status = "ok"
    return Reading(status, text, total, ocr_pages, "; ".join(problems))


def _opened(reader: PdfReader) -> bool:
    """Open a PDF encrypted with an empty user password (permissions only); False otherwise."""
    try:
        return bool(reader.decrypt(""))
    except (FileNotDecryptedError, DependencyError, NotImplementedError, *_BROKEN):
        return False


def _scan_of(page):
    """The largest image on the page when it is big enough to be a scanned page, else None."""
    best = None
    try:
        for image_file in page.images:
            image = image_file.image
            if image is None or image.width * image.height < MIN_SCAN_PIXELS:
                continue
            if image.width * image.height > ocr.MAX_PIXELS:
                continue
            if best is None or image.width * image.height > best.width * best.height:
                best = image
    except _BROKEN as exc:
        log.debug("images of a PDF page unreadable: %s", _why(exc))
        return None
    return best


# -- images ----------------------------------------------------------------------------------


def _read_image(data: bytes, use_ocr: bool) -> Reading:
    try:
        image = ocr.open_image(data)
    except ocr.ImageError as exc:
        return Reading("broken", pages=1, problem=f"not a readable image: {exc.code}")
    if not (use_ocr and ocr_available()):
        return Reading("needs_ocr", pages=1, problem="an image waits for OCR (no tesseract here)")
    try:
        text = _capped(ocr.read_text(image))
    except ocr.ImageError as exc:
        return Reading("ocr_failed", pages=1, problem=f"OCR failed: {exc.code}")
    return Reading("ok" if text else "no_text", text, 1, 1)


# -- text ------------------------------------------------------------------------------------


def clean(text: str) -> str:
    """Extracted text as paragraphs: spaces squeezed, lines trimmed, words broken at a line end
    with a hyphen joined, a line that goes on in lower case joined to the one before (unless
    that ended a sentence), other line breaks kept (headings, list items)."""
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r", "\n").split("\n")]
    kept: list[str] = []
    for line in lines:
        if not line and (not kept or not kept[-1]):
            continue
        if kept and kept[-1].endswith("-") and line[:1].islower():
            kept[-1] = kept[-1][:-1] + line
            continue
        if kept and kept[-1] and line[:1].islower() and not kept[-1].endswith(_CLOSERS):
            kept[-1] += " " + line  # a sentence that goes on over the line break
            continue
        kept.append(line)
    return "\n".join(kept).strip().replace("\x00", "")


def _capped(text: str) -> str:
    return text if len(text) <= MAX_CHARS else text[:MAX_CHARS].rsplit(" ", 1)[0]


def _why(exc: BaseException) -> str:
    message = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _child() -> None:
    """`python -m ingest.documents MEDIA_TYPE ocr|-`: read stdin, print the Reading as JSON."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY, CHILD_MEMORY))
    cpu = int(CHILD_SECONDS) + 5
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    logging.basicConfig(level=logging.ERROR)
    data = sys.stdin.buffer.read()
    reading = read_here(data, sys.argv[1], use_ocr=sys.argv[2] == "ocr")
    sys.stdout.write(json.dumps(asdict(reading), ensure_ascii=False))


if __name__ == "__main__":
    _child()
