"""The JDIH legal register: the listing parser on fixtures (tests/fixtures/jdih/), a `jdih`
source ingested from a real server on 127.0.0.1 into the archive, the /peraturan page, and the
claim check's remark on a regulation a rumour cites that the register lists, and one it does not.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from archive.register import Register, kind_of
from ingest.cli import build_ingester
from ingest.jdih import parse_register
from ingest.sources import load_sources
from tests.localserver import LocalServer
from verify.check import check_text
from verify.facts import extract_regulations
from verify.regulations import regulation_remarks

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "jdih"
BASE = "https://jdih.malangkota.go.id/produk-hukum/"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_an_html_listing_is_read_by_its_column_headings():
    page = parse_register(fixture("listing_page1.html"), BASE)
    names = [(e.kind, e.number, e.year, e.status) for e in page.entries]
    assert names == [
        ("perwal", "12", 2025, "Berlaku"),
        ("perwal", "07", 2025, "Berlaku"),
        ("perda", "2", 2024, "Berlaku"),
        ("sk", "188.45/41/35.73.112/2024", 2024, "Berlaku"),
        ("perwal", "31", 2023, "Dicabut"),
    ]
    first = page.entries[0]
    assert first.title.startswith("Tata Cara Pemberian Bantuan Seragam Sekolah Gratis")
    assert first.url == "https://jdih.malangkota.go.id/produk-hukum/detail/perwal-12-2025"
    assert first.enacted == "2025-03-03"
    assert page.next_url == "https://jdih.malangkota.go.id/produk-hukum/?page=2"
    assert page.problems == ["row 6: no number for 'Baris tanpa nomor (contoh data rusak)'"]


def test_a_listing_without_kind_column_reads_the_regulation_from_its_title():
    page = parse_register(fixture("listing_page2.html"), BASE)
    assert [(e.kind, e.number, e.year, e.title, e.status) for e in page.entries] == [
        ("perwal", "5", 2022, "Pedoman Pengelolaan Bank Sampah", "Diubah"),
        ("se", "3", 2022, "Penggunaan Produk Dalam Negeri", "Berlaku"),
    ]
    assert page.next_url is None and page.problems == []


def test_a_json_listing_is_read_too():
    page = parse_register(fixture("listing.json"), BASE, "application/json")
    assert [(e.kind, e.number, e.year, e.status) for e in page.entries] == [
        ("perda", "4", 2021, "Berlaku"),
        ("se", "9", 2021, "Tidak Berlaku"),
    ]
    assert page.entries[0].url == "https://jdih.malangkota.go.id/dokumen/perda-4-2021.pdf"
    assert page.next_url == "https://jdih.malangkota.go.id/api/produk-hukum?page=2"
    assert page.problems == ["item 3: no number for 'Tanpa nomor'"]


def test_a_page_without_a_register_table_is_a_problem_not_a_crash():
    page = parse_register(b"<html><body><table><tr><td>menu</td></tr></table></body></html>", BASE)
    assert page.entries == [] and "no table" in page.problems[0]
    assert parse_register(b"{not json", BASE, "application/json").problems


@pytest.mark.parametrize(
    "type_name, cited",
    [
        ("Peraturan Wali Kota", "Perwali Nomor 3 Tahun 2024"),
        ("Peraturan Walikota Malang", "Perwal 3/2024"),
        ("Peraturan Daerah", "Perda Kota Malang Nomor 3 Tahun 2024"),
        ("Keputusan Wali Kota", "Keputusan Wali Kota Nomor 3 Tahun 2024"),
        ("Surat Edaran Wali Kota", "Surat Edaran Nomor 3 Tahun 2024"),
    ],
)
def test_register_kinds_match_the_claim_checks_regulation_codes(type_name, cited):
    (fact,) = extract_regulations(cited)
    assert str(fact.value) == f"{kind_of(type_name)} 3/2024"


# -- ingest, page, claim check ---------------------------------------------------------------


@pytest.fixture
def jdih_site():
    with LocalServer() as server:
        pages = {"1": fixture("listing_page1.html"), "2": fixture("listing_page2.html")}

        def listing(request):
            from tests.localserver import Response

            return Response(body=pages.get(request.query.get("page", "1"), b"<p>kosong</p>"))

        server.route("/produk-hukum/", listing)
        server.pages = pages
        yield server


def ingest_register(app, tmp_path, server, clock=None):
    path = tmp_path / "sources.toml"
    path.write_text(
        f"""
[[source]]
id = "jdih"
kind = "jdih"
url = "{server.url("/produk-hukum/")}"
opd = "Bagian Hukum Sekretariat Daerah"
interval = "1d"
""",
        encoding="utf-8",
    )
    sources = load_sources(path)
    with app.app_context():
        ingester = build_ingester(app, sources)
        if clock is not None:
            ingester.clock = clock
        return ingester.run(sources)[0]


def test_a_jdih_source_fills_the_register_and_keeps_every_change(app, tmp_path, jdih_site):
    now = [datetime(2026, 3, 1, 9, tzinfo=UTC)]
    report = ingest_register(app, tmp_path, jdih_site, clock=lambda: now[0])
    assert report.error is None and report.new == 7, report.problems
    assert any("no number" in p for p in report.problems)
    register = Register(app.extensions["saring"].archive.engine)
    assert register.counts()["entries"] == 7
    found = register.find("perwal", "7", 2025)  # listed as "07"
    assert found is not None and found.title.startswith("Jam Kerja Aparatur Sipil Negara")
    assert found.name == "Peraturan Wali Kota Nomor 7 Tahun 2025"
    assert register.years("perwal") == (2022, 2025)
    # the same listing again changes nothing; a revoked regulation becomes a new version
    now[0] += timedelta(days=1)
    assert ingest_register(app, tmp_path, jdih_site, clock=lambda: now[0]).unchanged == 7
    jdih_site.pages["1"] = jdih_site.pages["1"].replace(
        b"<td>Jam Kerja Aparatur Sipil Negara pada Bulan Ramadan</td><td>20 Februari 2025</td>"
        b"<td>Berlaku</td>",
        b"<td>Jam Kerja Aparatur Sipil Negara pada Bulan Ramadan</td><td>20 Februari 2025</td>"
        b"<td>Dicabut</td>",
    )
    now[0] += timedelta(days=1)
    report = ingest_register(app, tmp_path, jdih_site, clock=lambda: now[0])
    assert (report.changed, report.unchanged) == (1, 6)
    revoked = register.find("perwal", "07", 2025)
    assert revoked.status == "dicabut" and revoked.versions == 2


def test_the_register_page_filters_by_kind_number_year_and_words(app, client, tmp_path, jdih_site):
    ingest_register(app, tmp_path, jdih_site)
    page = client.get("/peraturan").get_data(as_text=True)
    assert "Peraturan Wali Kota Nomor 12 Tahun 2025" in page and "7 peraturan" in page
    assert '<time datetime="2025-03-03">3 Maret 2025</time>' in page
    assert "Keputusan Wali Kota Nomor 188.45/41/35.73.112/2024</a>" in page  # no "Tahun" again
    only = client.get("/peraturan?jenis=perwal&tahun=2025").get_data(as_text=True)
    assert "Nomor 12 Tahun 2025" in only and "Nomor 7 Tahun 2025" in only
    assert "Peraturan Daerah Nomor 2" not in only
    by_number = client.get("/peraturan?jenis=perwal&nomor=31").get_data(as_text=True)
    assert "Tarif Retribusi Parkir" in by_number and "dicabut" in by_number
    assert "Seragam" not in by_number
    words = client.get("/peraturan?q=bank+sampah").get_data(as_text=True)
    assert "Pedoman Pengelolaan Bank Sampah" in words and "1 peraturan" in words
    odd = client.get("/peraturan?jenis=%3Cscript%3E&tahun=abc")
    assert odd.status_code == 200 and "<script>" not in odd.get_data(as_text=True)
    assert "diabaikan" in odd.get_data(as_text=True)
    english = client.get("/peraturan?lang=en").get_data(as_text=True)  # remembered from here
    assert "3 March 2025" in english and "Register of regulations" in english


def test_a_rumour_citing_a_listed_perwali_and_one_not_listed(app, client, tmp_path, jdih_site):
    ingest_register(app, tmp_path, jdih_site)
    services = app.extensions["saring"]
    register = Register(services.archive.engine)
    (listed,) = regulation_remarks(register, "Sesuai Perwali Nomor 12 Tahun 2025 seragam gratis")
    assert listed.state == "found" and listed.status == "berlaku"
    assert listed.title.startswith("Tata Cara Pemberian Bantuan Seragam")
    (missing,) = regulation_remarks(register, "Menurut Perwali Nomor 45 Tahun 2024, parkir gratis")
    assert missing.state == "not_found" and (missing.first_year, missing.last_year) == (2022, 2025)
    (unknown,) = regulation_remarks(register, "Perwali Nomor 3 Tahun 2010 melarang sepeda")
    assert unknown.state == "not_covered"
    assert regulation_remarks(register, "Sesuai Perpres Nomor 12 Tahun 2025") == []

    result = check_text(services.index, "Menurut Perwali Nomor 45 Tahun 2024, parkir gratis.",
                        register=register)  # fmt: skip
    assert [r["state"] for r in result.to_json()["regulations"]] == ["not_found"]

    form = client.get("/cek").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    text = "Sesuai Perwali Nomor 12 Tahun 2025 seragam gratis, dan Perwali Nomor 45 Tahun 2024 " \
           "menggratiskan parkir."  # fmt: skip
    page = client.post("/cek", data={"text": text, "csrf_token": token}).get_data(as_text=True)
    assert "tercantum dalam daftar JDIH yang diarsipkan Saring" in page
    assert "Peraturan Wali Kota Nomor 12 Tahun 2025" in page
    assert "tidak ditemukan dalam daftar JDIH yang diarsipkan Saring" in page
    assert "bukan penilaian atas kabarnya" in page
    api = client.post("/api/v1/check", json={"text": text}).get_json()
    assert [(r["number"], r["state"]) for r in api["regulations"]] == [
        ("12", "found"), ("45", "not_found"),
    ]  # fmt: skip


def test_a_register_that_cannot_be_read_leaves_the_check_without_remarks(app):
    engine = app.extensions["saring"].archive.engine
    with engine.begin() as conn:  # a damaged database: the register's tables are gone
        conn.exec_driver_sql("DROP TABLE regulation_versions")
        conn.exec_driver_sql("DROP TABLE regulations")
    assert regulation_remarks(Register(engine), "Sesuai Perwali Nomor 12 Tahun 2025") == []
