"""The staff pages of the registry of official channels: list, add, edit and deactivate, with the
counts on the dashboard; every change audited, every form CSRF-protected, visitors who are not
signed in refused. On a fresh data dir with the two releases of tests/channels.py."""

from __future__ import annotations

import pytest

from archive.channels import ChannelInput
from tests.channels import STATES_NUMBER, now, rows, store, with_two_releases
from tests.staff import csrf_token, editorial, login, post_form


@pytest.fixture
def site(app):
    """The app with two releases archived and indexed; their ids by slug in config."""
    return with_two_releases(app)


# Staff pages ----------------------------------------------------------------------------------


def test_an_editor_adds_edits_and_deactivates_a_channel(site):
    client = site.test_client()
    login(client, "sari")
    source = f"https://dishub.malangkota.go.id/2025/03/01/{STATES_NUMBER[0]}/"
    added = post_form(
        client,
        "/admin/kanal/baru",
        {"kind": "whatsapp", "value": "+62 821-3193-9177", "owner": "Dinas Perhubungan",
         "source_url": source, "note": "WA pengaduan parkir"},
    )  # fmt: skip
    assert added.status_code == 303 and added.headers["Location"].endswith("/admin/kanal")
    channel = rows(site)[("whatsapp", "+6282131939177")]
    assert channel.added_by == "sari" and channel.active
    assert channel.source_release_id == site.config["RELEASES"]["pengaduan-jukir"]
    listing = client.get("/admin/kanal").get_data(as_text=True)
    assert "082131939177" in listing and "Dinas Perhubungan" in listing
    assert f'href="/rilis/{channel.source_release_id}"' in listing

    edited = post_form(
        client,
        f"/admin/kanal/{channel.id}",
        {"kind": "whatsapp", "value": "082131939177", "owner": "Dishub Kota Malang",
         "source_url": source, "note": ""},
    )  # fmt: skip
    assert edited.status_code == 303
    assert rows(site)[("whatsapp", "+6282131939177")].owner == "Dishub Kota Malang"

    off = post_form(
        client, f"/admin/kanal/{channel.id}/status", {"active": "0"}, token_from="/admin/kanal"
    )
    assert off.status_code == 303
    assert not rows(site)[("whatsapp", "+6282131939177")].active
    assert "nonaktif" in client.get("/admin/kanal?status=nonaktif").get_data(as_text=True)
    audit = [(e.actor, e.action) for e in editorial(site).list_audit(limit=20)[1]]
    assert {("sari", a) for a in ("channel.create", "channel.edit", "channel.deactivate")} <= set(
        audit
    )


def test_the_form_says_what_is_wrong(site):
    client = site.test_client()
    login(client, "sari")
    bad = post_form(client, "/admin/kanal/baru", {"kind": "email", "value": "humas@", "owner": ""})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert "bukan E-mail yang valid" in page and "Isi pemilik kanal" in page
    post_form(client, "/admin/kanal/baru", {"kind": "phone", "value": "112", "owner": "Kominfo"})
    again = post_form(client, "/admin/kanal/baru", {"kind": "phone", "value": "112",
                                                     "owner": "Kominfo"})  # fmt: skip
    assert again.status_code == 400 and "112 sudah ada di daftar kanal" in again.get_data(
        as_text=True
    )
    english = client.get("/admin/kanal/baru?lang=en").get_data(as_text=True)
    assert "New official channel" in english and "Owner (agency or office)" in english


def test_visitors_who_are_not_staff_are_refused(site):
    store(site).add(ChannelInput("phone", "112", "Diskominfo"), actor="t", at=now())
    client = site.test_client()
    token = csrf_token(client, "/admin/masuk")
    listing = client.get("/admin/kanal")
    assert listing.status_code == 302 and "/admin/masuk" in listing.headers["Location"]
    assert client.get("/admin/kanal/1").status_code == 302
    for path, data in (
        ("/admin/kanal/baru", {"kind": "phone", "value": "0812-0000-1111", "owner": "Palsu"}),
        ("/admin/kanal/1", {"kind": "phone", "value": "0812-0000-1111", "owner": "Palsu"}),
        ("/admin/kanal/1/status", {"active": "0"}),
    ):
        assert client.post(path, data={"csrf_token": token, **data}).status_code == 401, path
    assert [(c.value, c.owner, c.active) for c in store(site).list_channels()] == [
        ("112", "Diskominfo", True)
    ]


def test_a_staff_post_without_a_csrf_token_changes_nothing(site):
    store(site).add(ChannelInput("phone", "112", "Diskominfo"), actor="t", at=now())
    client = site.test_client()
    login(client, "sari")
    refused = client.post("/admin/kanal/1/status", data={"active": "0"})
    assert refused.status_code == 400 and "CSRF" in refused.get_data(as_text=True)
    added = client.post("/admin/kanal/baru", data={"kind": "phone", "value": "119", "owner": "X"})
    assert added.status_code == 400
    assert [(c.value, c.active) for c in store(site).list_channels()] == [("112", True)]


def test_the_dashboard_counts_official_channels_by_kind(site):
    site.test_cli_runner().invoke(args=["channels", "harvest"])
    phone = rows(site)[("phone", "+6282131939177")]
    store(site).set_active(phone.id, False, actor="t", at=now())
    client = site.test_client()
    login(client, "sari")
    page = client.get("/admin/").get_data(as_text=True)
    assert "Kanal resmi" in page
    assert "Situs web: <strong>2</strong> aktif" in page
    assert "Instagram: <strong>1</strong> aktif" in page
    assert "Telepon: <strong>0</strong> aktif" in page and "(1 nonaktif)" in page
    listing = client.get("/admin/kanal").get_data(as_text=True)
    assert "Jumlah kanal per jenis" in listing
