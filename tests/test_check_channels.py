"""The claim check's remarks on channels, end to end on the demo data: the registry the demo
loads (staff-written demo channels and what the demo releases state), POST /api/v1/check, the
/cek page and its reply text. The messages below were written for these tests."""

from __future__ import annotations

import re

import pytest

from archive.channels import ChannelStore
from tests.demo import demo_site
from verify.check import check_text

LOOKALIKE_DOMAIN = "Info resmi di malangkota-go.id/bansos, isi data segera sebelum kuota habis."
HOMOGLYPH_DOMAIN = "Pendaftaran bantuan sembako Pemkot sekarang lewat rnalangkota.go.id saja."
DONATION = (
    "Pak Wali Kota sedang menggalang donasi untuk korban banjir Kedungkandang, transfer ke "
    "rekening a.n. Budi Santoso, konfirmasi ke WA 0812-3456-7890"
)
OFFICIAL_NUMBER = "Jukir minta Rp10 ribu di Kayutangan, laporkan ke nomor pengaduan 0821-3193-9177."
FREE_MAIL = "Pendaftaran bansos Dinsos dibuka, kirim KTP dan KK ke dinsos.kotamalang@gmail.com"
WARNING_TITLE = "Waspada Akun WhatsApp Palsu Mengatasnamakan Wali Kota Malang"


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    # many checks from one address here
    for application in demo_site(tmp_path_factory, "channels", CHECK_RATE_LIMIT=""):
        assert application.config["DEMO_LOADED"] > 100
        yield application


@pytest.fixture
def web(demo_app):
    return demo_app.test_client()


def check(web, text: str) -> dict:
    response = web.post("/api/v1/check", json={"text": text})
    assert response.status_code == 200
    return response.get_json()


def post_page(web, text: str, lang: str = "") -> str:
    form = web.get("/cek" + (f"?lang={lang}" if lang else "")).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    response = web.post("/cek", data={"text": text, "csrf_token": token})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def remark(data: dict, status: str) -> dict:
    found = [r for r in data["channels"] if r["status"] == status]
    assert found, data["channels"]
    return found[0]


def test_the_demo_registry_holds_staff_and_harvested_channels(demo_app):
    store = ChannelStore(demo_app.extensions["saring"].archive.engine)
    rows = {(c.kind, c.value): c for c in store.list_channels()}
    assert rows[("instagram", "pemkotmalang")].added_by == "demo"
    assert rows[("phone", "112")].owner == "Dinas Komunikasi dan Informatika"
    harvested = rows[("phone", "+6282131939177")]
    assert harvested.added_by == "harvest" and harvested.owner == "Dinas Perhubungan"
    assert harvested.source_release_id and "dishub.malangkota.go.id" in harvested.source_url
    assert rows[("web", "malangkota.go.id")].owner == "Pemerintah Kota Malang"
    assert rows[("social", "dishubmalangkota")].active
    assert store.counts()["web"]["active"] >= 15


def test_a_look_alike_domain_is_pointed_out_beside_the_official_one(web):
    data = check(web, LOOKALIKE_DOMAIN)
    (item,) = data["channels"]
    assert item["status"] == "lookalike" and item["kind"] == "web"
    assert (item["found"], item["value"], item["reason"]) == (
        "malangkota-go.id/bansos", "malangkota-go.id", "separator",
    )  # fmt: skip
    assert item["official"][0]["value"] == "malangkota.go.id"
    assert item["official"][0]["owner"] == "Pemerintah Kota Malang"
    assert "meniru situs resmi malangkota.go.id" in item["message"]
    assert data["verdict"] in ("NOT_FOUND", "CONTRADICTED")  # never SUPPORTED on a look-alike


def test_look_alike_letters_in_a_domain(web):
    item = remark(check(web, HOMOGLYPH_DOMAIN), "lookalike")
    assert item["value"] == "rnalangkota.go.id" and item["reason"] == "homoglyph"
    assert item["official"][0]["value"] == "malangkota.go.id"


def test_a_donation_on_behalf_of_the_mayor_through_an_unknown_whatsapp_is_flagged(web):
    data = check(web, DONATION)
    pattern = data["channels"][0]
    assert pattern["status"] == "impersonation" and pattern["found"] == "Wali Kota"
    assert "pola penipuan yang dikenal" in pattern["message"]
    assert "pernah memperingatkan" in pattern["message"]
    titles = [w["title"] for w in pattern["warnings"]]
    assert titles[0] == WARNING_TITLE  # the warning about the mayor first
    first = pattern["warnings"][0]
    assert first["archive_url"] == f"http://localhost/rilis/{first['release_id']}"
    assert first["published"].startswith("2023-02-14")
    assert pattern["official"][0]["value"] == "112"
    number = remark(data, "unknown")
    assert (number["kind"], number["value"]) == ("whatsapp", "+6281234567890")
    assert number["official"][0]["shown"] == "112"
    assert "tidak ada dalam daftar kanal resmi" in number["message"]


def test_an_official_number_is_recognised_with_its_owner(web):
    data = check(web, OFFICIAL_NUMBER)
    (item,) = data["channels"]
    assert (item["status"], item["kind"], item["value"]) == ("official", "phone", "+6282131939177")
    assert item["official"][0]["owner"] == "Dinas Perhubungan"
    assert item["official"][0]["source_url"].startswith("https://dishub.malangkota.go.id/")
    assert item["message"] == (
        "Nomor 0821-3193-9177 tercatat sebagai kanal resmi Dinas Perhubungan."
    )


def test_a_free_mail_address_with_an_agency_name(web):
    item = remark(check(web, FREE_MAIL), "lookalike")
    assert (item["kind"], item["reason"]) == ("email", "freemail")
    owners = {o["owner"] for o in item["official"]}
    assert any(owner.startswith("Dinas Sosial") for owner in owners)
    assert "dinsos.malangkota.go.id" in {o["value"] for o in item["official"]}


def test_remarks_never_change_the_verdict(demo_app):
    index = demo_app.extensions["saring"].index
    registry_result = demo_app.test_client().post("/api/v1/check", json={"text": DONATION})
    plain = check_text(index, DONATION)
    assert plain.channels == []  # without a registry: no remarks
    body = registry_result.get_json()
    assert body["verdict"] == plain.verdict.value
    assert body["confidence"] == round(plain.confidence, 2)


def test_a_deactivated_channel_is_no_longer_official(demo_app, web):
    store = ChannelStore(demo_app.extensions["saring"].archive.engine)
    row = next(c for c in store.list_channels() if c.value == "+6282131939177")
    from datetime import UTC, datetime

    store.set_active(row.id, False, actor="test", at=datetime.now(UTC))
    try:
        item = check(web, OFFICIAL_NUMBER)["channels"][0]
        assert item["status"] == "unknown"
    finally:
        store.set_active(row.id, True, actor="test", at=datetime.now(UTC))
    assert check(web, OFFICIAL_NUMBER)["channels"][0]["status"] == "official"


def test_the_page_shows_the_remarks_beside_the_official_channels(web):
    page = post_page(web, DONATION)
    section = page[page.index('id="kanal"') :]
    assert "pola penipuan" in section and "mirip kanal resmi" not in section
    assert "Nomor WhatsApp 0812-3456-7890 tidak ada dalam daftar kanal resmi" in section
    assert "<strong>112</strong> (Dinas Komunikasi dan Informatika)" in section
    assert WARNING_TITLE in section
    # the reply for the group warns in general words and never repeats the unknown number
    reply = re.search(r'<textarea id="reply-text"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert "pola penipuan yang dikenal" in reply
    assert f"Peringatan resmi: {WARNING_TITLE}" in reply
    assert re.search(r"http://localhost/rilis/\d+", reply)
    assert "0812" not in reply and "Kanal resmi: 112 (Dinas Komunikasi dan Informatika)" in reply


def test_a_look_alike_is_shown_as_text_never_as_a_link(web):
    page = post_page(web, LOOKALIKE_DOMAIN)
    assert "mirip kanal resmi" in page
    assert 'href="http://malangkota-go.id' not in page and "https://malangkota-go.id" not in page
    assert '<a href="https://malangkota.go.id/" rel="noopener">malangkota.go.id</a>' in page
    reply = re.search(r'<textarea id="reply-text"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert "malangkota-go.id" not in reply and "meniru kanal resmi" in reply


def test_the_remarks_in_english(web):
    page = post_page(web, LOOKALIKE_DOMAIN, lang="en")
    assert "Numbers, links and accounts in the message" in page
    assert "imitates the official site malangkota.go.id by swapping dots or hyphens" in page
    assert "resembles an official channel" in page
    web.get("/?lang=id")  # back to Indonesian for the other tests of this client's cookie
