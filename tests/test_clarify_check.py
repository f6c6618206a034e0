"""A rumour Diskominfo already clarified is recognised even when reworded, on the demo data; the
demo carries the corpus clarifications as published ones, with no user accounts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from archive.editorial import ClarificationInput, Editorial
from index.clarifications import sync_clarifications
from ingest.demo import DEMO_AUTHOR, load_demo_if_empty
from tests.demo import demo_site
from verify.clarifications import find_clarifications

DEMO = Path(__file__).resolve().parent.parent / "demo" / "clarifications.json"

# Reworded rumours -> the start of the slug of the demo clarification that answers them.
REWORDED = {
    "KTP-el katanya gak berlaku lagi tahun depan, harus pakai KTP digital": "ktp-elektronik",
    "angkot di malang sekarang bayar 15 ribu": "tarif-angkot-kota-malang",
    "PBB naik 4x lipat karena perda baru": "pbb-kota-malang-naik",
    "Ada yang bilang siswa SD keracunan MBG di Lowokwaru": "puluhan-siswa-sd-di-lowokwaru",
    "bayar 25 juta dijamin lolos PPPK tanpa tes": "jalur-khusus-pppk",
    "benarkah parkir di kayutangan gratis terus?": "parkir-di-kayutangan-gratis",
}
UNRELATED = [
    "Jalan Ijen ditutup total untuk car free day setiap hari",
    "Pemkot Malang bagi-bagi sembako gratis lewat link ini",
    "Mahasiswa ber-KTP Kota Malang dapat laptop gratis dari Pemkot",
    "Pajak kendaraan bermotor di Kota Malang naik 50 persen tahun ini",
]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo site (releases and clarifications), loaded once for this module."""
    yield from demo_site(tmp_path_factory, "demo", CHECK_RATE_LIMIT="")  # many checks here


def _store(app) -> Editorial:
    return Editorial(app.extensions["saring"].archive.engine)


def test_demo_carries_the_corpus_clarifications_and_no_accounts(demo):
    store = _store(demo)
    items = json.loads(DEMO.read_text(encoding="utf-8"))
    assert store.count_clarifications() == {"published": len(items)} and len(items) == 15
    assert store.list_users() == []
    total, listed = store.list_clarifications(limit=100)
    assert all(item.author == DEMO_AUTHOR for item in listed)
    cited = {item.slug: len(item.releases) for item in listed}
    assert cited == {item["slug"]: len(item["release_urls"]) for item in items}
    assert sum(cited.values()) >= 20


@pytest.mark.parametrize("text, slug", REWORDED.items())
def test_a_reworded_rumour_finds_its_clarification(demo, text, slug):
    found = find_clarifications(demo.extensions["saring"].index, text)
    assert found and found[0]["slug"].startswith(slug), found
    first = found[0]
    assert set(first) >= {"slug", "url", "verdict", "rumour", "summary", "published", "score"}
    assert first["url"] == f"/klarifikasi/{first['slug']}"
    assert first["verdict"] in {"HOAKS", "MISINFORMASI", "DISINFORMASI", "MENYESATKAN", "FAKTA"}
    assert first["published"].endswith("+07:00") and 0 < first["score"] <= 1


@pytest.mark.parametrize("text", UNRELATED)
def test_unrelated_claims_match_no_clarification(demo, text):
    assert find_clarifications(demo.extensions["saring"].index, text) == []


def test_empty_or_wordless_text_matches_nothing(demo):
    index = demo.extensions["saring"].index
    assert find_clarifications(index, "") == []
    assert find_clarifications(index, "!!! ??? yang di") == []
    assert find_clarifications(index, "angkot 15 ribu", limit=0) == []


def test_drafts_are_never_matched(app):
    from datetime import UTC, datetime

    store = _store(app)
    store.create_clarification(
        ClarificationInput(
            title="Gunung Arjuno meletus minggu depan",
            rumour="Gunung Arjuno akan meletus minggu depan, warga Malang harus mengungsi",
            verdict="HOAKS",
            summary="Tidak ada peringatan letusan.",
        ),
        author="x",
        actor="test",
        at=datetime.now(UTC),
    )
    index = app.extensions["saring"].index
    sync_clarifications(store, index)
    assert find_clarifications(index, "Arjuno meletus minggu depan, warga mengungsi") == []


def test_a_rebuilt_index_keeps_the_clarifications(demo, tmp_path):
    services = demo.extensions["saring"]
    shutil.rmtree(services.index.base_dir)
    with demo.app_context():
        assert load_demo_if_empty(demo) == 0  # nothing new: the index is rebuilt from the archive
    found = find_clarifications(services.index, "angkot di malang sekarang bayar 15 ribu")
    assert found and found[0]["slug"].startswith("tarif-angkot")


def _check(client, text: str):
    """Ask the claim check API."""
    return client.post("/api/v1/check", json={"text": text})


def test_the_claim_check_api_lists_the_clarification_first(demo):
    client = demo.test_client()
    response = _check(client, "Info grup sebelah: angkot di Malang sekarang bayar 15 ribu!!")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    data = response.get_json()
    assert data["clarifications"], data
    first = data["clarifications"][0]
    assert first["slug"] == "tarif-angkot-kota-malang-naik-menjadi-rp15-ribu"
    assert first["verdict"] == "HOAKS"
    nothing = _check(client, "Jalan Ijen ditutup total untuk car free day setiap hari").get_json()
    assert nothing["clarifications"] == []


def test_reindex_command_restores_clarifications_after_a_release_rebuild(demo):
    from ingest.indexing import rebuild_index

    services = demo.extensions["saring"]
    rebuild_index(services.archive, services.index)
    runner = demo.test_cli_runner()
    result = runner.invoke(args=["clarifications", "reindex"])
    assert result.exit_code == 0 and "Indexed 15 published clarification(s)." in result.output
    assert find_clarifications(services.index, "PBB naik 4x lipat karena perda baru")


def test_every_demo_rumour_repeats_its_own_clarification(demo):
    index = demo.extensions["saring"].index
    for item in json.loads(DEMO.read_text(encoding="utf-8")):
        for text in (item["rumour"], item["title"]):
            found = find_clarifications(index, text)
            assert found and found[0]["slug"] == item["slug"], text
            assert found[0]["stance"] == "repeats", (text, found[0])


# Claims on a clarified matter that side with the clarification against its rumour.
OPPOSING = [
    "Monggo dicek, tarif angkot umum tetap Rp5 ribu",  # the rumour says Rp15 ribu
    "Tarif angkot Kota Malang tidak naik",  # the rumour says it rose; the clarification denies it
]


@pytest.mark.parametrize("text", OPPOSING)
def test_a_claim_that_sides_with_the_clarification_is_not_given_its_hoax_label(demo, text):
    found = find_clarifications(demo.extensions["saring"].index, text)
    assert found and found[0]["slug"].startswith("tarif-angkot") and found[0]["stance"] == "opposes"
    data = _check(demo.test_client(), text).get_json()
    assert data["verdict"] == "SUPPORTED", data
    assert "berlawanan dengan pesan ini" in data["explanation"]


def test_other_values_than_a_fakta_clarification_are_not_supported_by_its_label(demo):
    """A FAKTA label vouches for its own figure, not for a different one on the same matter."""
    client = demo.test_client()
    right = _check(client, "UMK Kota Malang 2026 sebesar Rp3.736.101").get_json()
    assert right["verdict"] == "SUPPORTED" and right["clarifications"][0]["stance"] == "repeats"
    wrong = _check(client, "UMK Kota Malang 2026 sebesar Rp3,5 juta").get_json()
    assert wrong["clarifications"][0]["stance"] == "differs"
    assert wrong["verdict"] != "SUPPORTED", wrong
    assert "klarifikasi berlabel FAKTA" not in wrong["explanation"]


def test_the_check_page_says_when_the_clarified_rumour_is_the_opposite_of_the_message(demo):
    client = demo.test_client()
    page = client.get("/cek")
    token = page.get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post("/cek", data={"csrf_token": token, "text": OPPOSING[0]})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "berlawanan dengan pesan Anda" in html
