"""Documents the attachment tests make themselves: a text PDF (`ingest.pdfwrite`), a scanned PDF
and a PNG flyer drawn with Pillow, and hostile PDFs (over the size cap, encrypted, cut short,
not a PDF at all past its header, thousands of pages)."""

from __future__ import annotations

import io
import zlib

from pypdf import PdfReader, PdfWriter

from ingest.pdfwrite import text_pdf
from tests.ocr_images import plain_text, png_bytes


def surat_edaran(*lines: str) -> bytes:
    """A one-page text PDF with these lines under a city letterhead."""
    return text_pdf(
        [["PEMERINTAH KOTA MALANG", "SURAT EDARAN", *lines]], title="Surat Edaran (uji)"
    )


def scanned_pdf(text: str) -> bytes:
    """An image-only PDF (no text layer): `text` drawn on a page and saved by Pillow."""
    out = io.BytesIO()
    plain_text(text, width=1200, size=34).convert("RGB").save(out, format="PDF", resolution=150)
    return out.getvalue()


def flyer_png(text: str) -> bytes:
    """A PNG flyer with `text` on it."""
    return png_bytes(plain_text(text, width=1200, size=34))


def encrypted_pdf(password: str = "rahasia-dinas") -> bytes:
    """A text PDF that opens only with a password."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(surat_edaran("Isi rahasia."))))
    writer.encrypt(user_password=password, owner_password=password + "-pemilik",
                   algorithm="RC4-128")  # fmt: skip
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def truncated_pdf() -> bytes:
    """A text PDF cut off in the middle (a download that broke off)."""
    whole = surat_edaran("Jadwal pelayanan keliling.", "Berlaku sampai akhir tahun.")
    return whole[: len(whole) // 2]


def garbage_pdf() -> bytes:
    """A PDF header followed by noise."""
    return b"%PDF-1.7\n" + bytes((i * 37 + 11) % 256 for i in range(6000))


def page_bomb_pdf(pages: int = 2000) -> bytes:
    """A valid PDF of many tiny pages (far more than any surat edaran)."""
    return text_pdf([[f"halaman {n}"] for n in range(1, pages + 1)])


def huge_pdf(size: int) -> bytes:
    """A valid text PDF padded with a comment to `size` bytes."""
    body = surat_edaran("Lampiran besar.")
    head, tail = body.split(b"\n", 1)
    padding = b"%" + b"x" * (size - len(body) - 2) + b"\n"
    return head + b"\n" + padding + tail


def slow_pdf(operators: int = 200_000) -> bytes:
    """A tiny PDF (a few KB) whose one page holds `operators` text operators: cheap to send,
    seconds to read."""
    stream = zlib.compress(b"BT /F1 1 Tf 0 0 Td (ab) Tj ET\n" * operators, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
