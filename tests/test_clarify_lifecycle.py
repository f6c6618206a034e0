"""A clarification's life through the staff forms: draft, publish, edit (revision kept),
withdraw and republish, and what the public pages, feed, API and index show at each step."""

from __future__ import annotations

import re

import feedparser
import pytest

from tests.staff import (
    ANGKOT_FORM,
    ANGKOT_RELEASE,
    PARKIR_RELEASE,
    editorial,
    login,
    make_user,
    post_form,
)
from verify.clarifications import find_clarifications

SLUG = "tarif-angkot-kota-malang-naik-menjadi-rp15-ribu"


@pytest.fixture
def newsroom(app):
    """An app with two archived releases and a signed-in editor; yields (app, client, ids)."""
    ids = add_releases_for(app)
    make_user(app, "sari", "editor")
    client = app.test_client()
    login(client, "sari")
    return app, client, ids


def add_releases_for(app):
    from tests.staff import add_releases

    return add_releases(app, [ANGKOT_RELEASE, PARKIR_RELEASE])


def _public_state(app, client) -> dict:
    """Where the clarification shows up publicly right now."""
    feed = feedparser.parse(client.get("/klarifikasi.atom").data)
    api = client.get("/api/v1/clarifications").get_json()
    return {
        "page": client.get(f"/klarifikasi/{SLUG}").status_code,
        "list": SLUG in client.get("/klarifikasi").get_data(as_text=True),
        "feed": any(entry.link.endswith(SLUG) for entry in feed.entries),
        "api": any(item["slug"] == SLUG for item in api["results"]),
        "check": any(
            m["slug"] == SLUG
            for m in find_clarifications(
                app.extensions["saring"].index, "angkot malang naik 15 ribu sekali jalan"
            )
        ),
    }


def _write_draft(client, release_id: int):
    return post_form(
        client,
        "/admin/klarifikasi/baru",
        {**ANGKOT_FORM, "cite": [str(release_id)], "action": "save"},
    )


def test_release_search_in_the_form_offers_releases_to_cite(newsroom):
    app, client, ids = newsroom
    response = post_form(
        client,
        "/admin/klarifikasi/baru",
        {**ANGKOT_FORM, "release_q": "tarif angkot", "action": "search"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'name="cite" value="{ids["tarif-angkot-tetap"]}"' in page
    assert "Dishub Pastikan Tarif Angkot" in page
    assert ANGKOT_FORM["summary"] in page  # what was typed survives the search round trip
    assert editorial(app).count_clarifications() == {}


def test_a_draft_is_not_public_anywhere(newsroom):
    app, client, ids = newsroom
    response = _write_draft(client, ids["tarif-angkot-tetap"])
    assert response.status_code == 303
    item = editorial(app).get_clarification(slug=SLUG)
    assert item.status == "draft" and item.release_ids == [ids["tarif-angkot-tetap"]]
    anonymous = app.test_client()
    assert _public_state(app, anonymous) == {
        "page": 404,
        "list": False,
        "feed": False,
        "api": False,
        "check": False,
    }
    assert anonymous.get(f"/api/v1/clarifications/{SLUG}").status_code == 404


def test_publish_edit_withdraw_and_republish(newsroom):
    app, client, ids = newsroom
    store = editorial(app)
    _write_draft(client, ids["tarif-angkot-tetap"])
    item = store.get_clarification(slug=SLUG)
    edit_path = f"/admin/klarifikasi/{item.id}"
    form = {**ANGKOT_FORM, "cite": [str(ids["tarif-angkot-tetap"])]}

    # Publish.
    assert post_form(client, edit_path, {**form, "action": "publish"}).status_code == 303
    anonymous = app.test_client()
    assert _public_state(app, anonymous) == {
        "page": 200,
        "list": True,
        "feed": True,
        "api": True,
        "check": True,
    }
    page = anonymous.get(f"/klarifikasi/{SLUG}").get_data(as_text=True)
    assert "HOAKS" in page and ANGKOT_FORM["summary"] in page
    assert f'href="/rilis/{ids["tarif-angkot-tetap"]}"' in page
    assert "diperbarui" not in page

    # An edit of a published clarification needs a note, and is kept as a revision.
    changed = {
        **form,
        "summary": "Tarif angkot Kota Malang tidak naik; tetap Rp5 ribu.",
        "cite": [str(ids["tarif-angkot-tetap"]), str(ids["parkir-kayutangan"])],
    }
    refused = post_form(client, edit_path, {**changed, "action": "save"})
    assert refused.status_code == 400 and "catatan perubahan" in refused.get_data(as_text=True)
    saved = post_form(
        client, edit_path, {**changed, "action": "save", "note": "Menambah rilis rujukan."}
    )
    assert saved.status_code == 303
    item = store.get_clarification(item.id)
    assert [r.kind for r in item.revisions] == ["publish", "edit"]
    assert item.revisions[0].snapshot["summary"] == ANGKOT_FORM["summary"]
    assert item.revisions[1].note == "Menambah rilis rujukan."
    page = anonymous.get(f"/klarifikasi/{SLUG}").get_data(as_text=True)
    assert "diperbarui" in page and "Menambah rilis rujukan." in page
    assert ANGKOT_FORM["summary"] in page  # the earlier text stays readable in the history
    assert "Gedung Parkir Kayutangan" in page
    detail = anonymous.get(f"/api/v1/clarifications/{SLUG}").get_json()
    assert [r["kind"] for r in detail["revisions"]] == ["publish", "edit"]
    assert len(detail["releases"]) == 2

    # Withdraw: a public note replaces the text; it leaves the list, feed, API and index.
    withdrawn = post_form(
        client,
        f"{edit_path}/tarik",
        {"note": "Ditarik untuk diperiksa ulang."},
        token_from=edit_path,
    )
    assert withdrawn.status_code == 303
    state = _public_state(app, anonymous)
    assert state == {"page": 410, "list": False, "feed": False, "api": False, "check": False}
    gone = anonymous.get(f"/klarifikasi/{SLUG}").get_data(as_text=True)
    assert "Ditarik untuk diperiksa ulang." in gone and "telah ditarik" in gone

    # Republish.
    again = post_form(client, f"{edit_path}/terbitkan", {}, token_from=edit_path)
    assert again.status_code == 303
    assert _public_state(app, anonymous)["check"] is True
    item = store.get_clarification(item.id)
    assert [r.kind for r in item.revisions] == ["publish", "edit", "withdraw", "republish"]

    actions = [e.action for e in reversed(store.list_audit(limit=100)[1])]
    assert [a for a in actions if a.startswith("clarification.")] == [
        "clarification.create",
        "clarification.publish",
        "clarification.edit",
        "clarification.withdraw",
        "clarification.republish",
    ]


def test_invalid_forms_are_refused_with_the_problems_listed(newsroom):
    app, client, _ = newsroom
    response = post_form(
        client,
        "/admin/klarifikasi/baru",
        {**ANGKOT_FORM, "verdict": "BOHONG", "summary": "", "sightings": "javascript:alert(1)"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Pilih salah satu label" in page and "Penjelasan singkat wajib" in page
    assert "Tautan tidak valid" in page
    assert editorial(app).count_clarifications() == {}


def test_the_public_list_filters_by_verdict_and_month(newsroom):
    app, client, ids = newsroom
    post_form(client, "/admin/klarifikasi/baru", {**ANGKOT_FORM, "action": "publish"})
    fact = {
        **ANGKOT_FORM,
        "title": "Parkir Kayutangan gratis saat sosialisasi",
        "rumour": "Parkir di Kayutangan gratis seminggu",
        "verdict": "FAKTA",
    }
    post_form(client, "/admin/klarifikasi/baru", {**fact, "action": "publish"})
    anonymous = app.test_client()
    month = editorial(app).published_months()[0][0]
    hoaks = anonymous.get("/klarifikasi?verdict=HOAKS").get_data(as_text=True)
    assert SLUG in hoaks and "parkir-kayutangan-gratis" not in hoaks
    assert "parkir-kayutangan-gratis" in anonymous.get("/klarifikasi?verdict=fakta").get_data(
        as_text=True
    )
    assert (
        anonymous.get(f"/klarifikasi?month={month}")
        .get_data(as_text=True)
        .count('class="result clarification-item"')
        == 2
    )
    assert 'class="result' not in anonymous.get("/klarifikasi?month=2001-01").get_data(as_text=True)
    assert anonymous.get("/klarifikasi?verdict=BOHONG").status_code == 400
    assert anonymous.get("/api/v1/clarifications?month=2025-13").status_code == 400
    api = anonymous.get("/api/v1/clarifications?verdict=FAKTA").get_json()
    assert api["total"] == 1 and api["results"][0]["verdict"] == "FAKTA"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT.*\+07:00", api["results"][0]["published"])


def test_release_page_helper_lists_clarifications_citing_it(newsroom):
    app, client, ids = newsroom
    post_form(
        client,
        "/admin/klarifikasi/baru",
        {**ANGKOT_FORM, "cite": [str(ids["tarif-angkot-tetap"])], "action": "save"},
    )
    from web.clarify_links import clarifications_citing

    with app.test_request_context():
        assert clarifications_citing(ids["tarif-angkot-tetap"]) == []  # drafts are not listed
    item = editorial(app).get_clarification(slug=SLUG)
    post_form(
        client,
        f"/admin/klarifikasi/{item.id}/terbitkan",
        {},
        token_from=f"/admin/klarifikasi/{item.id}",
    )
    with app.test_request_context():
        cited = clarifications_citing(ids["tarif-angkot-tetap"])
        assert clarifications_citing(ids["parkir-kayutangan"]) == []
    assert cited == [
        {
            "slug": SLUG,
            "url": f"/klarifikasi/{SLUG}",
            "title": ANGKOT_FORM["title"],
            "verdict": "HOAKS",
            "published": cited[0]["published"],
        }
    ]
