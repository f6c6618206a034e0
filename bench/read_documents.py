"""Time reading documents (ingest/documents.py) on documents made here: a text PDF of many pages,
a scanned page, a PNG flyer, and the child process's own cost. Nothing here runs in the tests.

    .venv/bin/python bench/read_documents.py [--pages 50] [--repeat 3]

Prints the median of each figure. OCR figures need tesseract (with the Indonesian language) and
DejaVu Sans; without them those lines say so.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingest.documents import ocr_available, read_document, read_here  # noqa: E402
from ingest.pdfwrite import text_pdf  # noqa: E402

LINE = "Kerja bakti serentak dilaksanakan di setiap RW pada hari Minggu pukul 06.00 WIB."
FLYER = "PENGUMUMAN Pemeliharaan pipa, aliran air berhenti Sabtu 14 Maret 2026 pukul 08.00 WIB."


def median_seconds(work, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def picture(lines: list[str], height: int, size: int) -> tuple[bytes, bytes]:
    """The lines drawn on a white page 1240 pixels wide (A4 at 150 dpi): as PNG, and as an
    image-only (scanned) PDF page."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", size)
    image = Image.new("RGB", (1240, height), "white")
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((60, 60 + int(size * 1.5) * number), line, font=font, fill="black")
    png, pdf = io.BytesIO(), io.BytesIO()
    image.save(png, format="PNG")
    image.save(pdf, format="PDF", resolution=150)
    return png.getvalue(), pdf.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    pdf = text_pdf([[LINE] * 45 for _ in range(args.pages)])
    here = median_seconds(lambda: read_here(pdf, "application/pdf"), args.repeat)
    print(
        f"text PDF, {args.pages} pages of 45 lines ({len(pdf):,} bytes): {here:.3f} s in "
        f"process, {1000 * here / args.pages:.1f} ms a page"
    )
    one = text_pdf([[LINE]])
    child = median_seconds(lambda: read_document(one, "application/pdf"), args.repeat)
    inside = median_seconds(lambda: read_here(one, "application/pdf"), args.repeat)
    print(f"child process overhead (one-line PDF): {child - inside:.3f} s a document")
    if not ocr_available():
        print("OCR: tesseract not available, not measured")
        return
    flyer = [FLYER[start : start + 45] for start in range(0, len(FLYER), 45)]
    png, scanned = picture(flyer, 400, 34)
    image = median_seconds(lambda: read_here(png, "image/png"), args.repeat)
    page = median_seconds(lambda: read_here(scanned, "application/pdf"), args.repeat)
    print(
        f"OCR of a 1240x400 PNG flyer: {image:.2f} s; of the same as a scanned PDF page: "
        f"{page:.2f} s"
    )
    _png, a4 = picture([LINE[:60]] * 40, 1754, 24)
    full = median_seconds(lambda: read_here(a4, "application/pdf"), args.repeat)
    print(f"OCR of a scanned A4 page (150 dpi, 40 lines): {full:.2f} s")


if __name__ == "__main__":
    main()
