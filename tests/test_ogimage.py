"""The og:image card of a clarification: a real 1200x630 PNG drawn by Pillow, linked from the
page head with an absolute URL, different per label, cached until the clarification changes."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pytest
from PIL import Image

from archive.editorial import ClarificationInput
from index.clarifications import sync_clarifications
from tests.staff import editorial
from web.ogimage import HEIGHT, LABEL_COLOURS, WIDTH, card_png, render_card

BASE = "https://saring.example.id"


def _publish(app, slug: str, verdict: str, title: str) -> None:
    store = editorial(app)
    store.load_published(
        ClarificationInput(
            title=title,
            rumour="Pesan berantai yang beredar di grup warga.",
            verdict=verdict,
            summary="Penjelasan singkat dari Diskominfo.",
        ),
        slug=slug,
        author="Diskominfo Kota Malang",
        published_at=datetime(2025, 5, 2, 3, 0, tzinfo=UTC),
        actor="test",
        at=datetime(2025, 5, 2, 3, 0, tzinfo=UTC),
    )
    sync_clarifications(store, app.extensions["saring"].index)


@pytest.fixture
def site(app):
    app.config["BASE_URL"] = BASE
    _publish(app, "pasar-dibongkar", "HOAKS", "Pasar Besar Malang dibongkar total Januari 2026")
    _publish(app, "umk-2026", "FAKTA", "UMK Kota Malang 2026 sebesar Rp3.736.101")
    return app


def _image(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()  # decodes the whole file: a truncated PNG fails here
    return image


def _card_url(page: str) -> str:
    return re.search(r'<meta property="og:image" content="([^"]+)">', page).group(1)


def test_the_clarification_page_links_an_absolute_card_with_its_size_and_alt(site):
    page = site.test_client().get("/klarifikasi/pasar-dibongkar").get_data(as_text=True)
    url = _card_url(page)
    assert re.fullmatch(rf"{BASE}/klarifikasi/pasar-dibongkar/kartu\.png\?v=\d+", url)
    tags = dict(re.findall(r'<meta property="(og:image:[a-z]+)" content="([^"]*)">', page))
    assert tags["og:image:width"] == "1200" and tags["og:image:height"] == "630"
    assert tags["og:image:type"] == "image/png"
    assert tags["og:image:alt"] == "Label HOAKS: Pasar Besar Malang dibongkar total Januari 2026"
    assert '<meta name="twitter:card" content="summary_large_image">' in page


def test_the_card_is_a_png_of_1200_by_630_that_pillow_decodes(site):
    client = site.test_client()
    page = client.get("/klarifikasi/pasar-dibongkar").get_data(as_text=True)
    response = client.get(_card_url(page).removeprefix(BASE))
    assert response.status_code == 200
    assert response.content_type == "image/png"
    assert response.data.startswith(b"\x89PNG\r\n\x1a\n")
    image = _image(response.data)
    assert image.format == "PNG" and image.size == (WIDTH, HEIGHT) == (1200, 630)
    assert image.convert("RGB").getpixel((600, 10)) == LABEL_COLOURS["HOAKS"]  # the top band


def test_cards_differ_by_label_and_headline(site):
    client = site.test_client()
    hoaks = client.get("/klarifikasi/pasar-dibongkar/kartu.png").data
    fakta = client.get("/klarifikasi/umk-2026/kartu.png").data
    assert hoaks != fakta
    assert _image(fakta).convert("RGB").getpixel((600, 10)) == LABEL_COLOURS["FAKTA"]
    assert LABEL_COLOURS["FAKTA"] != LABEL_COLOURS["HOAKS"]
    same_label = render_card("HOAKS", "Judul lain sama sekali")
    assert same_label != hoaks  # the headline is drawn too, not only the label


def test_the_card_is_drawn_once_until_the_clarification_changes(site):
    store = editorial(site)
    item = store.get_clarification(slug="pasar-dibongkar")
    first = card_png(item)
    assert card_png(store.get_clarification(slug="pasar-dibongkar")) is first  # from the cache
    changed = item.as_input()
    changed.title = "Pasar Besar Malang tidak dibongkar, hanya direnovasi bertahap"
    moment = datetime(2025, 6, 1, 3, 0, tzinfo=UTC)
    store.update_clarification(item.id, changed, actor="test", at=moment, note="Judul diperjelas.")
    edited = store.get_clarification(slug="pasar-dibongkar")
    assert edited.updated_at != item.updated_at
    assert card_png(edited) != first
    page = site.test_client().get("/klarifikasi/pasar-dibongkar").get_data(as_text=True)
    assert _card_url(page).endswith(f"?v={int(edited.updated_at.timestamp())}")


def test_a_very_long_headline_still_fits_the_card():
    title = "Kabar " + "sangatpanjangtanpaspasi" * 12 + " " + "kata " * 80
    image = _image(render_card("MENYESATKAN", title))
    assert image.size == (WIDTH, HEIGHT)
    footer_band = image.convert("RGB").crop((0, HEIGHT - 105, WIDTH, HEIGHT - 95))
    assert footer_band.getcolors() == [(WIDTH * 10, (250, 251, 252))]  # the headline stops above


def test_no_card_for_an_unknown_or_unpublished_clarification(site):
    client = site.test_client()
    assert client.get("/klarifikasi/tidak-ada/kartu.png").status_code == 404
    store = editorial(site)
    item = store.get_clarification(slug="umk-2026")
    store.withdraw_clarification(item.id, actor="test", at=datetime.now(UTC), note="Ditarik uji.")
    assert client.get("/klarifikasi/umk-2026/kartu.png").status_code == 404
