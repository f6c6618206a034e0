"""Attachments end to end: a WordPress-shaped site on 127.0.0.1 whose releases link PDFs and
images the tests make themselves, ingested by the real pipeline into a real database file and
Whoosh index, then read back through the archive, search, the claim check and the pages."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest

from archive.attachments import AttachmentStore
from index.search import SearchQuery, search
from ingest.attachments import RECHECK, AttachmentCollector
from ingest.cli import build_fetcher, build_ingester
from ingest.pipeline import Ingester
from ingest.sources import load_sources
from tests import documents
from tests.localserver import Response
from tests.ocr_images import require_ocr
from tests.staff import login, make_user
from tests.test_pipeline import write_sources
from tests.wpsite import WordPressSite, demo_posts
from verify.check import check_text

SE_LINES = (
    "Nomor 17 Tahun 2026",
    "Tentang kerja bakti serentak membersihkan saluran drainase.",
    "Kerja bakti dilaksanakan hari Minggu tanggal 8 Maret 2026 pukul 06.00 WIB.",
    "Setiap kelurahan menyiapkan gerobak sampah dan karung pasir.",
)
SCAN_TEXT = "PENGUMUMAN Pemeliharaan pipa Tugu Tirta, aliran air berhenti Sabtu 14 Maret 2026."
FLYER_TEXT = "JADWAL Pasar murah beras SPHP di Balai Kota Malang tanggal 20 Maret 2026."


@pytest.fixture
def services(app):
    return app.extensions["saring"]


def site_with(links: dict[str, tuple[bytes | str, str | None]], extra_hrefs=(), *, spare=0):
    """A fixture site of two demo posts; the first links every document in `links`. `spare`
    more posts are returned (after those two) but not yet published."""
    posts = demo_posts(limit=2 + spare)
    posts[0].links = [(path, f"Unduh {path.rsplit('/', 1)[-1]}") for path in links]
    posts[0].links += list(extra_hrefs)
    site = WordPressSite(posts[:2])
    return site, posts


def serve(site: WordPressSite, links: dict[str, tuple[bytes | str, str | None]]) -> None:
    for path, (body, content_type) in links.items():  # requested as the fetcher quotes it
        site.server.static(quote(path, safe="/%:@!$&'()*+,;=-._~"), body, content_type=content_type)


def run(app, sources_file: Path, *, clock=None, use_ocr: bool = True):
    sources = load_sources(sources_file)
    with app.app_context():
        ingester = build_ingester(app, sources)
        if clock is not None or not use_ocr:
            fetcher = build_fetcher(app, sources)
            services = app.extensions["saring"]
            collector = AttachmentCollector(
                services.archive, fetcher, max_bytes=app.config["ATTACHMENT_MAX_BYTES"],
                use_ocr=use_ocr,
            )  # fmt: skip
            ingester = Ingester(services.archive, services.index, fetcher,
                                clock=clock or ingester.clock, attachments=collector)  # fmt: skip
        return ingester.run(sources)[0]


def release_id(services, url: str) -> int:
    found = services.archive.find_release_id(url)
    assert found is not None
    return found


def attachments_of(services, url: str):
    return AttachmentStore(services.archive.engine).for_release(release_id(services, url))


def hits(services, q: str) -> list[str]:
    return [h.url for h in search(services.index, SearchQuery(q=q, per_page=50)).hits]


def test_text_pdf_is_read_archived_searchable_and_evidence(app, services, tmp_path):
    links = {"/wp-content/uploads/2026/03/se-17-2026.pdf": (documents.surat_edaran(*SE_LINES),
                                                           "application/pdf")}  # fmt: skip
    foreign = ("https://example.org/lain.pdf", "Dokumen di situs lain")
    site, posts = site_with(links, [foreign])
    with site:
        serve(site, links)
        report = run(app, write_sources(tmp_path / "s.toml", site.base_url))
        assert report.error is None, report.error
        assert report.new == 2 and report.documents == 1
        url = site.url_of(posts[0])
        (only,) = attachments_of(services, url)  # the foreign link is not an attachment
        assert only.name == "se-17-2026.pdf" and only.label == "Unduh se-17-2026.pdf"
        assert only.status == "ok" and only.current.status == "ok"
        assert only.current.media_type == "application/pdf" and only.current.pages == 1
        assert "karung pasir" in only.current.text
        assert only.current.size == len(links["/wp-content/uploads/2026/03/se-17-2026.pdf"][0])
        # the words of the document find the release that links it, and only that one
        assert hits(services, "gerobak karung pasir drainase") == [url]
        assert site.url_of(posts[1]) not in hits(services, "karung pasir")
    # the claim check reads the document's sentences, naming the document
    result = check_text(services.index, "Kerja bakti drainase hari Minggu 8 Maret 2026 pukul 06.00")
    from_document = [e for e in result.evidence if e.document == "se-17-2026.pdf"]
    assert from_document, [e.to_json() for e in result.evidence]
    assert from_document[0].url == url
    assert from_document[0].to_json()["document"] == "se-17-2026.pdf"


def test_scanned_pdf_and_png_flyer_are_read_by_ocr(app, services, tmp_path):
    require_ocr()
    links = {
        "/wp-content/uploads/pemeliharaan-pipa.pdf": (documents.scanned_pdf(SCAN_TEXT),
                                                      "application/pdf"),
        "/wp-content/uploads/pasar-murah.png": (documents.flyer_png(FLYER_TEXT), "image/png"),
    }  # fmt: skip
    site, posts = site_with(links)
    with site:
        serve(site, links)
        report = run(app, write_sources(tmp_path / "s.toml", site.base_url))
        assert report.error is None and report.documents == 2, report.problems
        scan, flyer = attachments_of(services, site.url_of(posts[0]))
        assert scan.status == "ok" and scan.current.ocr_pages == 1
        assert "Tugu Tirta" in scan.current.text
        assert flyer.status == "ok" and flyer.current.media_type == "image/png"
        assert "Pasar murah" in flyer.current.text
        assert hits(services, "pipa Tugu Tirta") == [site.url_of(posts[0])]


def test_without_tesseract_scans_and_images_wait_for_ocr_and_are_kept(app, services, tmp_path):
    links = {
        "/wp-content/uploads/pindai.pdf": (documents.scanned_pdf(SCAN_TEXT), "application/pdf"),
        "/wp-content/uploads/selebaran.png": (documents.flyer_png(FLYER_TEXT), "image/png"),
    }
    site, posts = site_with(links)
    with site:
        serve(site, links)
        report = run(app, write_sources(tmp_path / "s.toml", site.base_url), use_ocr=False)
        assert report.error is None
        scan, flyer = attachments_of(services, site.url_of(posts[0]))
        for item in (scan, flyer):
            assert item.status == "needs_ocr" and item.current is not None
            assert item.current.text == "" and "OCR" in item.problem
        counts = AttachmentStore(services.archive.engine).counts()
        assert counts["needs_ocr"] == 2 and counts["failing"] == 0


HOSTILE = {
    "/up/besar.pdf": ("too_large", "over the cap"),
    "/up/terkunci.pdf": ("encrypted", "password"),
    "/up/terpotong.pdf": ("broken", "not a readable PDF"),
    "/up/rusak.pdf": ("broken", "not a readable PDF"),
    "/up/ribuan-halaman.pdf": ("too_many_pages", "2000 pages; only the first 300"),
    "/up/halaman-login.pdf": ("wrong_type", "not a PDF or an image"),
    "/up/menyamar.png": ("wrong_type", "served as text/html but its bytes are image/png"),
    "/up/hilang.pdf": ("http_error", "HTTP 404"),
}


def test_hostile_documents_get_clear_errors_and_the_release_is_kept(
    app, services, client, tmp_path
):
    app.config["ATTACHMENT_MAX_BYTES"] = 600_000
    links = {
        "/up/besar.pdf": (documents.huge_pdf(700_000), "application/pdf"),
        "/up/terkunci.pdf": (documents.encrypted_pdf(), "application/pdf"),
        "/up/terpotong.pdf": (documents.truncated_pdf(), "application/pdf"),
        "/up/rusak.pdf": (documents.garbage_pdf(), "application/octet-stream"),
        "/up/ribuan-halaman.pdf": (documents.page_bomb_pdf(2000), "application/pdf"),
        "/up/halaman-login.pdf": ("<html><body>Silakan masuk</body></html>", "text/html"),
        "/up/menyamar.png": (documents.flyer_png("x" * 10), "text/html"),
    }
    site, posts = site_with({**links, "/up/hilang.pdf": (b"", None)})
    with site:
        serve(site, links)
        report = run(app, write_sources(tmp_path / "s.toml", site.base_url))
        assert report.error is None and report.new == 2
        url = site.url_of(posts[0])
        found = {a.url.split(site.server.netloc, 1)[1]: a for a in attachments_of(services, url)}
        assert set(found) == set(HOSTILE)
        for path, (status, words) in HOSTILE.items():
            assert found[path].status == status, (path, found[path].problem)
            assert words in found[path].problem, (path, found[path].problem)
            assert any(path in p and status in p for p in report.problems), path
        # bytes that came are kept as a version, however unreadable; refused ones are not
        kept = {path for path, a in found.items() if a.current is not None}
        assert kept == {"/up/terkunci.pdf", "/up/terpotong.pdf", "/up/rusak.pdf",
                        "/up/ribuan-halaman.pdf"}  # fmt: skip
        assert "halaman 300" in found["/up/ribuan-halaman.pdf"].current.text
        assert "halaman 301" not in found["/up/ribuan-halaman.pdf"].current.text
        # the release itself is archived, indexed and searchable as always
        assert hits(services, posts[0].title)[:1] == [url]
        assert services.archive.counts()["pending_index"] == 0
        counts = AttachmentStore(services.archive.engine).counts()
        assert counts["failing"] == 8
        assert counts["failing_by_reason"] == {
            "broken": 2, "wrong_type": 2, "encrypted": 1, "http_error": 1, "too_large": 1,
            "too_many_pages": 1,
        }  # fmt: skip
    # the dashboard counts them by reason; staff see each failure with its technical reason
    dashboard = client.get("/transparansi").get_data(as_text=True)
    figures = re.search(r'<table class="data documents-figures">.*?</table>', dashboard, re.S)
    cells = re.findall(r"<th scope=\"row\">(.*?)</th><td class=\"number\">(\d+)</td>",
                       figures.group(0))  # fmt: skip
    assert ("Dokumen diarsipkan", "8") in cells and ("Gagal diambil atau dibaca", "8") in cells
    assert ("· terkunci kata sandi", "1") in cells and ("· bukan PDF atau gambar", "2") in cells
    make_user(app, "admin", role="admin")
    login(client, "admin")
    admin = client.get("/admin/sumber").get_data(as_text=True)
    assert "8 dokumen: 0 terbaca, 0 menunggu OCR, 8 gagal" in admin
    assert "the PDF is encrypted and needs a password" in admin


def test_changed_bytes_make_a_new_version_and_unchanged_ones_none(app, services, tmp_path):
    path = "/wp-content/uploads/jadwal.pdf"
    first = documents.surat_edaran("Jadwal posyandu balita: Senin pagi.")
    second = documents.surat_edaran("Jadwal posyandu balita: Kamis sore.")
    served = {"body": first}
    site, posts = site_with({path: (first, "application/pdf")}, spare=3)
    now = [datetime(2026, 3, 1, 8, tzinfo=UTC)]
    with site:
        etag = {"value": '"v1"'}

        def document(request):
            if request.headers.get("if-none-match") == etag["value"]:
                return Response(status=304, headers={"ETag": etag["value"]}, content_type=None)
            return Response(body=served["body"], headers={"ETag": etag["value"]},
                            content_type="application/pdf")  # fmt: skip

        site.server.route(path, document)
        sources = write_sources(tmp_path / "s.toml", site.base_url)
        url = site.url_of(posts[0])
        assert run(app, sources, clock=lambda: now[0]).documents == 1
        assert url in hits(services, '"balita senin pagi"')
        # a new post changes the feed, so the release is read again, unchanged: its document
        # is not asked for again before RECHECK
        site.add(posts[2])
        now[0] += timedelta(hours=2)
        asked = len(site.server.requests_for(path))
        assert run(app, sources, clock=lambda: now[0]).documents == 0
        assert len(site.server.requests_for(path)) == asked
        # after RECHECK it asks; the same bytes (here a 304) add no version
        site.add(posts[3])
        now[0] += RECHECK + timedelta(hours=1)
        assert run(app, sources, clock=lambda: now[0]).documents == 0
        assert len(site.server.requests_for(path)) == asked + 1
        (item,) = attachments_of(services, url)
        assert item.versions == 1 and item.status == "ok"
        assert item.last_checked == now[0]
        # changed bytes: a new version, and the index follows the new text
        served["body"], etag["value"] = second, '"v2"'
        site.add(posts[4])
        now[0] += RECHECK + timedelta(hours=1)
        assert run(app, sources, clock=lambda: now[0]).documents == 1
        (item,) = attachments_of(services, url)
        assert item.versions == 2 and item.current.number == 2
        assert "Kamis sore" in item.current.text
        assert hits(services, '"balita kamis sore"') == [url]
        assert url not in hits(services, '"balita senin pagi"')
    # the release page offers both versions' archived copies, each with its own bytes
    first_version, second_version = item.history
    page = app.test_client().get(f"/rilis/{release_id(services, url)}").get_data(as_text=True)
    assert "versi 2 dari 2" in page and "Versi sebelumnya:" in page
    for version, body in ((first_version, first), (second_version, second)):
        copy = f"/rilis/{release_id(services, url)}/lampiran/{version.token}"
        assert copy in page and app.test_client().get(copy).data == body


def test_release_page_lists_documents_and_serves_archived_copies_safely(
    app, services, client, tmp_path
):
    links = {
        "/wp-content/uploads/2026/03/SE Kerja Bakti (final).pdf": (
            documents.surat_edaran(*SE_LINES), "application/pdf"),
        "/up/terkunci.pdf": (documents.encrypted_pdf(), "application/pdf"),
        "/up/hilang.pdf": (b"", None),
    }  # fmt: skip
    site, posts = site_with({k: v for k, v in links.items() if v[1]})
    posts[0].links.append(("/up/hilang.pdf", "Unduh hilang.pdf"))
    with site:
        serve(site, {k: v for k, v in links.items() if v[1]})
        run(app, write_sources(tmp_path / "s.toml", site.base_url))
        other_id = release_id(services, site.url_of(posts[1]))
        release = release_id(services, site.url_of(posts[0]))
    page = client.get(f"/rilis/{release}").get_data(as_text=True)
    assert "Lampiran" in page and "SE Kerja Bakti (final).pdf" in page
    assert "teks terbaca" in page and "terkunci kata sandi" in page
    assert "tidak tersedia di situs sumber" in page
    assert "karung pasir" in page  # the text, collapsed under <details>
    assert "<details>" in page
    se, locked, gone = attachments_of(services, site.url_of(posts[0]))
    assert gone.current is None and f"/rilis/{release}/lampiran/" not in gone.url
    copy = f"/rilis/{release}/lampiran/{se.current.token}"
    assert copy in page and f"/rilis/{release}/lampiran/{locked.current.token}" in page
    response = client.get(copy)
    assert response.status_code == 200
    assert response.data == links["/wp-content/uploads/2026/03/SE Kerja Bakti (final).pdf"][0]
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('inline; filename="SE_Kerja_Bakti_final.pdf"')
    assert "filename*=UTF-8''SE%20Kerja%20Bakti%20%28final%29.pdf" in disposition
    assert "immutable" in response.headers["Cache-Control"]
    # a token only opens its own release's document, and nothing guessable opens anything
    assert client.get(f"/rilis/{other_id}/lampiran/{se.current.token}").status_code == 404
    assert client.get(f"/rilis/{release}/lampiran/{'A' * 43}").status_code == 404
    assert client.get(f"/rilis/{release}/lampiran/1").status_code == 404
    assert client.get(f"/rilis/{release}/lampiran/..%2f..%2fsecret_key").status_code == 404


def test_a_failed_document_is_tried_again_sooner_than_a_read_one(app, services, tmp_path):
    path = "/wp-content/uploads/pengumuman.pdf"
    site, posts = site_with({path: (b"", None)}, spare=1)  # not served yet: 404
    now = [datetime(2026, 3, 1, 8, tzinfo=UTC)]
    with site:
        sources = write_sources(tmp_path / "s.toml", site.base_url)
        run(app, sources, clock=lambda: now[0])
        (item,) = attachments_of(services, site.url_of(posts[0]))
        assert item.status == "http_error" and item.current is None
        serve(site, {path: (documents.surat_edaran("Pengumuman libur pelayanan."), None)})
        site.add(posts[2])
        now[0] += timedelta(days=2)  # past RETRY, well before RECHECK
        assert run(app, sources, clock=lambda: now[0]).documents == 1
        (item,) = attachments_of(services, site.url_of(posts[0]))
        assert item.status == "ok" and "libur pelayanan" in item.current.text


def test_documents_waiting_for_ocr_are_read_once_tesseract_is_there(
    app, services, runner, tmp_path
):
    require_ocr()
    links = {"/wp-content/uploads/pindai.pdf": (documents.scanned_pdf(SCAN_TEXT),
                                                "application/pdf")}  # fmt: skip
    site, posts = site_with(links)
    with site:
        serve(site, links)
        run(app, write_sources(tmp_path / "s.toml", site.base_url), use_ocr=False)
    url = site.url_of(posts[0])
    (item,) = attachments_of(services, url)
    assert item.status == "needs_ocr" and url not in hits(services, "pipa Tugu Tirta")
    result = runner.invoke(args=["documents", "reread"])
    assert result.exit_code == 0, result.output
    assert "1 document(s) read again: ok 1" in result.output
    (item,) = attachments_of(services, url)
    assert item.status == "ok" and item.versions == 1 and "Tugu Tirta" in item.current.text
    assert hits(services, "pipa Tugu Tirta") == [url]
    assert "0 document(s) read again" in runner.invoke(args=["documents", "reread"]).output
