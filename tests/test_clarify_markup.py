"""What a clarification page gives machines and sharers: ClaimReview JSON-LD parsed back field by
field, OpenGraph tags, the Atom feed read with feedparser, and share links without JavaScript."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import feedparser
import pytest
from markupsafe import escape

from archive.editorial import ClarificationInput
from index.clarifications import sync_clarifications
from tests.staff import ANGKOT_RELEASE, add_releases, editorial

HOSTILE = 'Katanya "resmi" </script><script>alert(1)</script> & <b>naik</b>!'


@pytest.fixture
def published(app):
    """Two published clarifications, one citing a release and one with a hostile rumour."""
    ids = add_releases(app, [ANGKOT_RELEASE])
    store = editorial(app)
    store.load_published(
        ClarificationInput(
            title="Tarif angkot Kota Malang naik menjadi Rp15 ribu",
            rumour="Tarif angkot sekarang Rp15 ribu sekali jalan, udah resmi kata sopirnya.",
            verdict="HOAKS",
            summary="Tidak ada kenaikan tarif angkutan kota di Kota Malang.",
            body="Tarif resmi masih Rp5 ribu untuk umum.\n\nDan Rp3 ribu untuk pelajar.",
            seen_on="Facebook",
            sightings=["https://www.facebook.com/contoh/posts/123"],
            release_ids=[ids["tarif-angkot-tetap"]],
        ),
        slug="tarif-angkot-naik",
        author="Diskominfo Kota Malang",
        published_at=datetime(2024, 3, 22, 12, 0, tzinfo=UTC),
        actor="test",
        at=datetime.now(UTC),
    )
    store.load_published(
        ClarificationInput(
            title='Judul dengan <tanda> & kutip "ganda"',
            rumour=HOSTILE,
            verdict="MENYESATKAN",
            summary="Ringkasan & penjelasan </script>.",
            seen_on="WhatsApp",
        ),
        slug="uji-escape",
        author="Diskominfo Kota Malang",
        published_at=datetime(2024, 4, 1, 1, 0, tzinfo=UTC),
        actor="test",
        at=datetime.now(UTC),
    )
    sync_clarifications(store, app.extensions["saring"].index)
    return app


def _json_ld(page: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return [json.loads(block) for block in blocks]


def test_claimreview_json_ld_has_every_field(published, client):
    page = client.get("/klarifikasi/tarif-angkot-naik").get_data(as_text=True)
    [review] = _json_ld(page)
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["url"] == "http://localhost/klarifikasi/tarif-angkot-naik"
    assert review["claimReviewed"].startswith("Tarif angkot sekarang Rp15 ribu")
    assert review["datePublished"] == "2024-03-22T19:00:00+07:00"
    assert review["author"] == {
        "@type": "Organization",
        "name": "Diskominfo Kota Malang",
        "url": "https://kominfo.malangkota.go.id/",
    }
    rating = review["reviewRating"]
    assert rating["@type"] == "Rating" and rating["alternateName"] == "HOAKS"
    assert rating["ratingValue"] == 1 and rating["bestRating"] == 5 and rating["worstRating"] == 1
    claim = review["itemReviewed"]
    assert claim["@type"] == "Claim"
    assert claim["appearance"] == [
        {"@type": "CreativeWork", "url": "https://www.facebook.com/contoh/posts/123"}
    ]
    assert review["citation"][0]["url"].startswith("http://localhost/rilis/")
    assert review["inLanguage"] == "id"


def test_json_ld_cannot_break_out_of_its_script_block(published, client):
    page = client.get("/klarifikasi/uji-escape").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    # the JSON-LD data block and the site's own copy-button file: no inline executable script
    assert page.count("<script") == 2
    assert page.count('<script type="application/ld+json">') == 1
    assert '<script src="/static/copy.js" defer></script>' in page
    [review] = _json_ld(page)
    assert review["claimReviewed"] == HOSTILE  # the JSON still says exactly what was written
    assert review["reviewRating"]["alternateName"] == "MENYESATKAN"
    # With no link to the rumour, its appearance says where it circulated.
    assert review["itemReviewed"]["appearance"][0]["name"] == "Pesan yang beredar di WhatsApp"
    assert str(escape(HOSTILE)) in page  # shown as text in the body


def test_open_graph_tags_describe_the_clarification(published, client):
    page = client.get("/klarifikasi/tarif-angkot-naik").get_data(as_text=True)
    tags = dict(re.findall(r'<meta property="([^"]+)" content="([^"]*)">', page))
    assert tags["og:type"] == "article"
    assert tags["og:title"] == "[HOAKS] Tarif angkot Kota Malang naik menjadi Rp15 ribu"
    assert tags["og:url"] == "http://localhost/klarifikasi/tarif-angkot-naik"
    assert tags["og:description"].startswith("Tidak ada kenaikan tarif")
    assert tags["og:locale"] == "id_ID"
    assert tags["article:published_time"] == "2024-03-22T19:00:00+07:00"
    assert '<link rel="canonical" href="http://localhost/klarifikasi/tarif-angkot-naik">' in page


def test_share_buttons_work_without_javascript(published, client):
    page = client.get("/klarifikasi/tarif-angkot-naik").get_data(as_text=True)
    link = html.unescape(re.search(r'href="(https://wa\.me/[^"]+)"', page).group(1))
    text = parse_qs(urlsplit(link).query)["text"][0]
    assert text.startswith("*[HOAKS]* Tarif angkot Kota Malang naik menjadi Rp15 ribu")
    assert "Tidak ada kenaikan tarif angkutan kota" in text
    assert text.rstrip().endswith("Saring sebelum sharing.")
    assert "http://localhost/klarifikasi/tarif-angkot-naik" in text
    assert len(text) < 600
    assert re.search(
        r'<input id="share-link" class="copy" type="text" readonly '
        r'value="http://localhost/klarifikasi/tarif-angkot-naik"[^>]*>',
        page,
    )
    assert "onclick" not in page
    # the copy buttons are added by the site's own script file, never inline
    assert '<script src="/static/copy.js" defer></script>' in page


def test_page_shows_verdict_cited_release_and_explanation(published, client):
    page = client.get("/klarifikasi/tarif-angkot-naik").get_data(as_text=True)
    assert 'class="verdict verdict-hoaks large">HOAKS</span>' in page
    assert "Dishub Pastikan Tarif Angkot Kota Malang Tidak Naik" in page
    assert "<p>Dan Rp3 ribu untuk pelajar.</p>" in page
    assert "Facebook" in page


def test_atom_feed_reads_back_with_feedparser(published, client):
    response = client.get("/klarifikasi.atom")
    assert response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title.startswith("Klarifikasi hoaks")
    assert [e.link for e in feed.entries] == [
        "http://localhost/klarifikasi/uji-escape",
        "http://localhost/klarifikasi/tarif-angkot-naik",
    ]
    entry = feed.entries[1]
    assert entry.title == "[HOAKS] Tarif angkot Kota Malang naik menjadi Rp15 ribu"
    assert entry.id == "http://localhost/klarifikasi/tarif-angkot-naik"
    assert entry.tags[0].term == "HOAKS"
    assert entry.author == "Diskominfo Kota Malang"
    assert entry.summary == "Tidak ada kenaikan tarif angkutan kota di Kota Malang."
    assert entry.published_parsed[:4] == (2024, 3, 22, 12)
    assert "Rp3 ribu untuk pelajar" in entry.content[0].value
    assert feed.entries[0].title.startswith("[MENYESATKAN] Judul dengan <tanda>")
    assert "</script>" in feed.entries[0].content[0].value  # text content, escaped in the XML
    assert b"<script>" not in response.data


def test_json_api_lists_and_details(published, client):
    listing = client.get("/api/v1/clarifications?per_page=1").get_json()
    assert listing["total"] == 2 and listing["pages"] == 2
    [first] = listing["results"]
    assert set(first) >= {"slug", "url", "verdict", "rumour", "summary", "published", "releases"}
    detail = client.get("/api/v1/clarifications/tarif-angkot-naik").get_json()
    assert detail["verdict"] == "HOAKS"
    assert detail["releases"][0]["title"].startswith("Dishub Pastikan")
    assert detail["sightings"] == ["https://www.facebook.com/contoh/posts/123"]
    assert detail["revisions"][0]["kind"] == "publish"
    missing = client.get("/api/v1/clarifications/tidak-ada")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == 404
