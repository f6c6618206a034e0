"""Screenshots on /cek and /lapor, on the demo site with real tesseract and a real SQLite file:
/cek reads and checks a screenshot like typed text and keeps nothing; /lapor keeps the image
rebuilt without its metadata, behind a random token that only signed-in staff can open."""

from __future__ import annotations

import io
import os
import re

import pytest
from PIL import Image
from sqlalchemy import func, select

from archive.editorial import reports
from archive.report_images import report_images
from ingest.ocr import MAX_IMAGE_BYTES
from tests.demo import demo_site
from tests.ocr_images import chat_bubble, plain_text, png_bytes, require_ocr
from tests.staff import csrf_token, login, make_user
from web.check import VERDICT_LABELS
from web.uploads import UPLOAD_BODY_BYTES

# A demo release says the PPPK 2023 registration has 271 posts (tests/test_check_api.py).
CONTRADICTED = "Pendaftaran PPPK 2023 diperpanjang sampai 11 Oktober, formasinya ada 721."
_TOKEN = re.compile(r'name="csrf_token" value="[^"]+"')


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    config = {"CHECK_RATE_LIMIT": "", "REPORT_RATE_LIMIT": ""}
    yield from demo_site(tmp_path_factory, "ocr", **config)


@pytest.fixture
def web(demo_app):
    return demo_app.test_client()


@pytest.fixture
def with_ocr():
    require_ocr()


def _upload(web, path: str, data: bytes, name: str = "screenshot.png", **fields):
    form = {"csrf_token": csrf_token(web, path), **fields, "image": (io.BytesIO(data), name)}
    return web.post(path, data=form, content_type="multipart/form-data")


def _typed(web, text: str):
    return web.post("/cek", data={"csrf_token": csrf_token(web, "/cek"), "text": text})


def _textarea(page: str) -> str:
    return re.search(r'<textarea id="text"[^>]*>(.*?)</textarea>', page, re.S).group(1)


def _result_part(page: str) -> str:
    """The page after the check form, without the per-request CSRF tokens."""
    return _TOKEN.sub("", page.split("</form>", 1)[1])


def _stored(demo_app):
    engine = demo_app.extensions["saring"].archive.engine
    with engine.connect() as conn:
        return (
            conn.execute(select(func.count()).select_from(reports)).scalar_one(),
            conn.execute(select(func.count()).select_from(report_images)).scalar_one(),
        )


# /cek ---------------------------------------------------------------------------------------


def test_the_check_form_takes_an_image_and_keeps_its_csrf_token(web):
    page = web.get("/cek").get_data(as_text=True)
    form = re.search(r'<form class="check".*?</form>', page, re.S).group(0)
    assert 'enctype="multipart/form-data"' in form and 'name="csrf_token"' in form
    assert 'type="file"' in form and 'accept="image/png,image/jpeg,image/webp"' in form
    assert "gambar tidak disimpan" in form


@pytest.mark.parametrize("dark", [False, True])
def test_a_chat_screenshot_is_read_shown_and_gets_the_verdict_of_typing_it(web, with_ocr, dark):
    page = _upload(web, "/cek", png_bytes(chat_bubble(CONTRADICTED, dark=dark)))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Teks yang terbaca dari gambar — periksa dan perbaiki bila perlu" in html
    read = _textarea(html)
    assert "PPPK 2023" in read and "721" in read and "10.42" not in read

    typed = web.post("/api/v1/check", json={"text": CONTRADICTED}).get_json()
    assert typed["verdict"] == "CONTRADICTED"
    assert VERDICT_LABELS[typed["verdict"]][0] in html  # the same verdict as typing the rumour
    # Typing exactly what was read gives the same result, piece for piece.
    again = _typed(web, read.replace("&#39;", "'").replace("&amp;", "&"))
    assert _result_part(again.get_data(as_text=True)) == _result_part(html)


def test_a_screenshot_replaces_what_was_typed(web, with_ocr):
    image = png_bytes(plain_text(CONTRADICTED))
    html = _upload(web, "/cek", image, text="kereta gantung Alun-alun Tugu").get_data(as_text=True)
    assert "PPPK" in _textarea(html) and "kereta gantung" not in _textarea(html)


def test_checking_a_screenshot_stores_nothing(demo_app, web, with_ocr):
    archive = demo_app.extensions["saring"].archive
    before, stored = archive.counts(), _stored(demo_app)
    assert _upload(web, "/cek", png_bytes(chat_bubble(CONTRADICTED))).status_code == 200
    assert archive.counts() == before and _stored(demo_app) == stored


def test_a_text_file_renamed_png_gets_a_clear_400_on_the_form(web):
    response = _upload(web, "/cek", b"Tarif angkot naik Rp15 ribu\n" * 50, "kabar.png")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "bukan gambar yang dapat dibaca" in html and 'type="file"' in html


def test_an_image_over_the_cap_gets_a_clear_413_on_the_form(web):
    noise = Image.frombytes("RGB", (1300, 1290), os.urandom(1300 * 1290 * 3))
    data = png_bytes(noise)
    assert MAX_IMAGE_BYTES < len(data) < UPLOAD_BODY_BYTES - 10_000
    response = _upload(web, "/cek", data)
    assert response.status_code == 413
    assert "Gambar terlalu besar" in response.get_data(as_text=True)


def test_a_body_over_the_upload_cap_gets_the_413_page_not_a_500(web):
    response = _upload(web, "/cek", b"\x89PNG" + b"\x00" * UPLOAD_BODY_BYTES)
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "Masukan terlalu besar" in html and "Traceback" not in html


def test_the_raised_cap_is_for_image_forms_only(web):
    big = "a" * 1_500_000  # over MAX_CONTENT_LENGTH, under the image forms' cap
    assert web.post("/api/v1/check", json={"text": big}).status_code == 413
    assert web.post("/cek", data={"text": big}).status_code == 413  # not multipart


def test_without_tesseract_the_page_asks_for_the_text(web, monkeypatch, tmp_path):
    from ingest import ocr

    monkeypatch.setenv("PATH", str(tmp_path))
    ocr.languages.cache_clear()
    try:
        response = _upload(web, "/cek", png_bytes(plain_text(CONTRADICTED)))
    finally:
        ocr.languages.cache_clear()
    assert response.status_code == 503
    assert "belum dapat membaca teks dari gambar" in response.get_data(as_text=True)


# /lapor -------------------------------------------------------------------------------------


def _jpeg_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "KameraRahasia"  # Make
    exif[0x013B] = "Budi Pemilik Ponsel"  # Artist
    return png_bytes(chat_bubble(CONTRADICTED), "JPEG", exif=exif.tobytes(), quality=92)


def test_a_report_with_only_a_screenshot_is_stored_with_its_text_and_a_clean_image(
    demo_app, web, with_ocr
):
    before = _stored(demo_app)
    response = _upload(web, "/lapor", _jpeg_with_exif(), "IMG_0042.jpg", seen_on="whatsapp")
    assert response.status_code == 303, response.get_data(as_text=True)
    assert _stored(demo_app) == (before[0] + 1, before[1] + 1)

    engine = demo_app.extensions["saring"].archive.engine
    with engine.connect() as conn:
        row = conn.execute(
            select(reports.c.text, report_images)
            .join(report_images, report_images.c.report_id == reports.c.id)
            .order_by(reports.c.id.desc())
        ).first()
    assert "PPPK 2023" in row.text and "721" in row.text  # the report's text was read
    assert row.ocr_text and "PPPK" in row.ocr_text
    assert row.media_type == "image/jpeg" and len(row.token) >= 40
    assert b"KameraRahasia" not in row.data and b"Budi" not in row.data
    assert not Image.open(io.BytesIO(row.data)).getexif()
    assert "IMG_0042" not in row.token


def test_report_images_are_for_signed_in_staff_only(demo_app, with_ocr):
    citizen = demo_app.test_client()
    response = _upload(citizen, "/lapor", png_bytes(plain_text(CONTRADICTED)), text="Benarkah ini?")
    assert response.status_code == 303
    engine = demo_app.extensions["saring"].archive.engine
    with engine.connect() as conn:
        token, group_id = conn.execute(
            select(report_images.c.token, reports.c.group_id)
            .join(reports, reports.c.id == report_images.c.report_id)
            .order_by(report_images.c.id.desc())
        ).first()
    path = f"/lapor/gambar/{token}"
    assert citizen.get(path).status_code == 302  # to the sign-in page, never the image
    assert "/admin/masuk" in citizen.get(path).headers["Location"]
    assert demo_app.test_client().get(f"/lapor/gambar/{token[:-2]}xx").status_code == 302

    staff = demo_app.test_client()
    make_user(demo_app, "penyunting-ocr")
    login(staff, "penyunting-ocr")
    image = staff.get(path)
    assert image.status_code == 200 and image.mimetype == "image/png"
    assert image.headers["Cache-Control"] == "no-store"
    assert image.headers["X-Content-Type-Options"] == "nosniff"
    assert Image.open(io.BytesIO(image.data)).format == "PNG"
    assert staff.get(f"/lapor/gambar/{token[:-2]}xx").status_code == 404

    group = staff.get(f"/admin/laporan/{group_id}").get_data(as_text=True)
    assert f'src="{path}"' in group
    assert "Teks yang terbaca dari gambar" in group and "Benarkah ini?" in group
    public_pages = citizen.get("/lapor/terkirim").get_data(as_text=True)
    assert token not in public_pages


def test_a_bad_image_on_the_report_form_stores_nothing(demo_app, web):
    before = _stored(demo_app)
    response = _upload(web, "/lapor", b"GIF89a not really", "kabar.png", text="Kabar yang beredar")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "bukan gambar yang dapat dibaca" in html and "Kabar yang beredar" in html
    assert _stored(demo_app) == before


def test_a_report_without_text_or_readable_image_is_refused(demo_app, web, with_ocr):
    before = _stored(demo_app)
    blank = png_bytes(Image.new("RGB", (600, 400), "white"))
    response = _upload(web, "/lapor", blank)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "paling sedikit 10 karakter" in html and "lampirkan lagi" in html
    assert _stored(demo_app) == before
