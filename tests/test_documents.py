"""Reading documents (ingest/documents.py) on bytes the tests make: types from first bytes,
text PDFs page by page, and the bounds that stop hostile ones."""

from __future__ import annotations

import time

import ingest.documents as documents_module
from ingest.documents import clean, read_document, sniff
from ingest.pdfwrite import text_pdf
from tests import documents


def test_types_come_from_the_first_bytes_not_the_name():
    assert sniff(text_pdf([["satu"]])) == "application/pdf"
    assert sniff(documents.flyer_png("Jadwal")) == "image/png"
    assert sniff(b"\xff\xd8\xff\xe0rest") == "image/jpeg"
    assert sniff(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert sniff(b"\xef\xbb\xbf\n%PDF-1.4\n...") == "application/pdf"  # junk before the header
    assert sniff(b"<!doctype html><title>Masuk</title>") == ""
    assert sniff(b"") == ""


def test_a_text_pdf_is_read_page_by_page_in_a_child_process():
    pdf = text_pdf([["JADWAL POSYANDU", "Senin pagi di balai RW."], ["Halaman dua."]])
    reading = read_document(pdf, "application/pdf")
    assert reading.status == "ok" and reading.pages == 2 and reading.problem == ""
    assert reading.text == "JADWAL POSYANDU\nSenin pagi di balai RW.\n\nHalaman dua."


def test_a_page_that_takes_too_long_is_stopped_with_a_clear_state(monkeypatch):
    monkeypatch.setattr(documents_module, "CHILD_SECONDS", 2.0)
    started = time.monotonic()
    reading = read_document(documents.slow_pdf(), "application/pdf")
    assert time.monotonic() - started < 10
    assert reading.status == "too_slow" and "longer than 2 s" in reading.problem


def test_unknown_types_and_broken_images_are_errors_not_exceptions():
    assert read_document(b"abc", "text/html").status == "broken"
    broken = read_document(b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "image/png")
    assert broken.status == "broken" and "not a readable image" in broken.problem


def test_lines_are_joined_where_a_sentence_goes_on():
    raw = "PENGUMUMAN\n1. Kerja bakti hari Minggu,\n   pukul 06.00 WIB.\nSelesai.\nsalu-\nran air"
    assert clean(raw) == (
        "PENGUMUMAN\n1. Kerja bakti hari Minggu, pukul 06.00 WIB.\nSelesai.\nsaluran air"
    )
