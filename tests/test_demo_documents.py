"""The demo's documents and legal register: loaded offline with the demo, through the real
collector and the real JDIH parser, and visible where a newcomer looks."""

from __future__ import annotations

import re

import pytest

from archive.attachments import AttachmentStore
from archive.register import Register
from ingest.demo import DEMO_DIR, demo_document
from ingest.documents import read_document, sniff
from tests.demo import demo_site


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    yield from demo_site(tmp_path_factory, "documents", CHECK_RATE_LIMIT="")


def test_demo_releases_link_documents_that_are_read_and_served(demo_app):
    services = demo_app.extensions["saring"]
    counts = AttachmentStore(services.archive.engine).counts()
    assert counts["documents"] == 3 and counts["failing"] == 0
    assert counts["readable"] + counts["needs_ocr"] == 3
    url = ("https://bpbd.malangkota.go.id/2026/03/09/wali-kota-terbitkan-surat-edaran-kerja-bakti-"
           "serentak-jelang-puncak-musim-hujan/")  # fmt: skip
    release_id = services.archive.find_release_id(url)
    (se,) = AttachmentStore(services.archive.engine).for_release(release_id)
    assert se.status == "ok" and se.current.pages == 2 and "gorong-gorong" in se.current.text
    client = demo_app.test_client()
    page = client.get(f"/rilis/{release_id}").get_data(as_text=True)
    link = re.search(r'href="(/rilis/\d+/lampiran/[^"]+)"', page).group(1)
    copy = client.get(link)
    assert copy.status_code == 200 and copy.headers["Content-Type"] == "application/pdf"
    assert read_document(copy.data, sniff(copy.data)).text == se.current.text
    # the document's words find the release, and a claim about it cites the document
    found = client.get("/api/v1/search?q=sarung+tangan+sepatu+bot").get_json()
    assert found["results"][0]["url"] == url
    checked = client.post("/api/v1/check", json={
        "text": "Kerja bakti serentak hari Minggu 15 Maret 2026 pukul 06.00 di setiap RW, "
                "sesuai Surat Edaran Wali Kota Nomor 4 Tahun 2026."}).get_json()  # fmt: skip
    documents = {e["document"] for e in checked["evidence"]}
    assert se.name in documents
    assert [(r["kind"], r["state"]) for r in checked["regulations"]] == [("se", "found")]


def test_demo_register_is_listed_and_checks_a_forged_perwali(demo_app):
    register = Register(demo_app.extensions["saring"].archive.engine)
    assert register.counts()["entries"] == 8
    client = demo_app.test_client()
    page = client.get("/peraturan?jenis=perwal").get_data(as_text=True)
    assert "Tarif Layanan Parkir Berlangganan" in page and "Dicabut" not in page
    assert "dicabut" in page  # Perwal 31/2023, as the register keeps its status
    checked = client.post("/api/v1/check", json={
        "text": "Mulai April parkir gratis di seluruh Kota Malang sesuai Perwali Nomor 45 "
                "Tahun 2025."}).get_json()  # fmt: skip
    assert [(r["number"], r["state"]) for r in checked["regulations"]] == [("45", "not_found")]


def test_demo_documents_are_made_from_their_text():
    pdf, media_type = demo_document({"kind": "pdf", "pages": [["SURAT EDARAN", "Uji coba."]]})
    assert media_type == "application/pdf" and sniff(pdf) == media_type
    assert read_document(pdf, media_type).text == "SURAT EDARAN\nUji coba."
    assert (DEMO_DIR / "documents.json").exists() and (DEMO_DIR / "jdih.html").exists()
