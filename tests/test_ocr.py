"""Reading screenshots (ingest.ocr): uploads checked from their bytes, images rebuilt without
their metadata, and real tesseract reading images the tests render with Pillow."""

from __future__ import annotations

import io
import os
import struct
import zlib

import pytest
from PIL import Image

from ingest import ocr
from tests.ocr_images import (
    REQUIRE_OCR,
    chat_bubble,
    missing_ocr,
    plain_text,
    png_bytes,
    require_ocr,
)

RUMOUR = (
    "Mulai Senin tiket masuk Alun-alun Tugu dan Taman Merjosari bayar Rp10.000 per orang, "
    "kata petugas Dinas Lingkungan Hidup."
)


def _png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG that declares `width` x `height` pixels (a decompression bomb's header)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        checksum = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + checksum

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def _jpeg_with_metadata() -> bytes:
    """A phone photo as it arrives: EXIF camera, place and owner, a comment, turned on its side."""
    exif = Image.Exif()
    exif[0x010F] = "KameraRahasia"  # Make
    exif[0x0110] = "Model-XYZ-123"  # Model
    exif[0x013B] = "Budi Pemilik Ponsel"  # Artist
    exif[0x010E] = "Rumah di Jalan Ijen"  # ImageDescription
    exif[0x0112] = 6  # Orientation: rotate 90 degrees to show upright
    picture = plain_text("Foto selebaran", width=400)
    return png_bytes(picture, "JPEG", exif=exif.tobytes(), comment=b"komentar-tersembunyi")


# Validating uploads (no tesseract needed) ---------------------------------------------------


@pytest.mark.parametrize("image_format", ["PNG", "JPEG", "WEBP"])
def test_png_jpeg_and_webp_are_accepted_by_their_bytes(image_format):
    data = png_bytes(plain_text("Tarif parkir"), image_format)
    assert ocr.open_image(data).format == image_format


def test_a_text_file_renamed_png_is_refused_with_a_clear_message():
    with pytest.raises(ocr.ImageError) as refused:
        ocr.open_image(b"Tarif angkot naik jadi Rp15 ribu!!\n" * 20)
    assert refused.value.code == "not_image"
    message = refused.value.message
    assert "bukan gambar" in message and "PNG, JPEG, atau WebP" in message


def test_other_image_formats_are_refused_by_their_bytes():
    gif = png_bytes(plain_text("Tarif parkir"), "GIF")
    with pytest.raises(ocr.ImageError) as refused:
        ocr.open_image(gif)
    assert refused.value.code == "unsupported"


def test_a_truncated_png_is_refused_not_crashed_on():
    data = png_bytes(plain_text(RUMOUR))
    with pytest.raises(ocr.ImageError) as refused:
        ocr.open_image(data[: len(data) // 2])
    assert refused.value.code == "not_image"


def test_an_image_over_the_byte_cap_is_refused_before_decoding():
    noise = Image.frombytes("RGB", (1400, 1300), os.urandom(1400 * 1300 * 3))
    data = png_bytes(noise)
    assert len(data) > ocr.MAX_IMAGE_BYTES
    with pytest.raises(ocr.ImageError) as refused:
        ocr.open_image(data)
    assert refused.value.code == "too_large" and "5,0 MB" in refused.value.message


@pytest.mark.parametrize("size", [(6000, 5000), (40000, 40000)])
def test_a_decompression_bomb_is_refused_from_its_header(size):
    data = _png_header_only(*size)
    assert len(data) < 200  # tiny on the wire, gigabytes once decoded
    with pytest.raises(ocr.ImageError) as refused:
        ocr.open_image(data)
    assert refused.value.code == "too_many_pixels" and "juta piksel" in refused.value.message


def test_an_empty_upload_is_refused():
    with pytest.raises(ocr.ImageError) as refused:
        ocr.open_image(b"")
    assert refused.value.code == "empty"


# Re-encoding --------------------------------------------------------------------------------


def test_reencoding_drops_exif_comments_and_keeps_the_picture_upright():
    original = _jpeg_with_metadata()
    assert b"KameraRahasia" in original and b"komentar-tersembunyi" in original
    clean = ocr.reencode(ocr.open_image(original))
    for secret in (b"KameraRahasia", b"Model-XYZ-123", b"Budi", b"Ijen", b"komentar", b"Exif"):
        assert secret not in clean.data
    stored = Image.open(io.BytesIO(clean.data))
    assert stored.format == "JPEG" and clean.media_type == "image/jpeg"
    assert not stored.getexif() and "comment" not in stored.info
    assert (clean.width, clean.height) == stored.size
    assert stored.height > stored.width  # the sideways photo now stands upright


def test_reencoding_a_png_drops_its_text_chunks():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "nomor-hp-0812345678")
    data = png_bytes(plain_text("Tarif parkir"), pnginfo=info)
    assert b"0812345678" in data
    clean = ocr.reencode(ocr.open_image(data))
    assert b"0812345678" not in clean.data and clean.media_type == "image/png"


def test_reencoding_shrinks_huge_pictures_to_the_stored_size():
    wide = Image.new("RGB", (4000, 1000), "white")
    clean = ocr.reencode(ocr.open_image(png_bytes(wide, "JPEG")))
    assert max(clean.width, clean.height) == ocr.STORED_MAX_SIDE


# Cleaning the text --------------------------------------------------------------------------


def test_clean_text_drops_chat_clocks_and_icon_noise_and_joins_broken_words():
    raw = "Grup RT 05\n\n\nTarif angkot jadi Rp15.000 mu-\nlai besok\n° 10.42 ✓✓\nLe) Le)\n\x0c"
    assert ocr.clean_text(raw) == "Grup RT 05\n\nTarif angkot jadi Rp15.000 mulai besok"


def test_clean_text_keeps_times_that_are_part_of_the_message():
    assert ocr.clean_text("Pemadaman mulai pukul 10.00 WIB") == "Pemadaman mulai pukul 10.00 WIB"


# Reading with tesseract ---------------------------------------------------------------------


@pytest.fixture
def with_ocr():
    require_ocr()
    assert ocr.languages() == "ind+eng"


def _read(image: Image.Image) -> str:
    """The text read in the image, its line breaks made spaces."""
    return " ".join(ocr.read_text(ocr.open_image(png_bytes(image))).split())


def test_black_text_on_white_is_read_with_money_and_places(with_ocr):
    text = _read(plain_text(RUMOUR))
    assert "Rp10.000" in text
    assert "Alun-alun Tugu" in text and "Merjosari" in text
    assert "Dinas Lingkungan Hidup" in text


def test_a_chat_bubble_screenshot_is_read_without_its_clock(with_ocr):
    text = _read(chat_bubble(RUMOUR))
    assert "Rp10.000" in text and "Alun-alun Tugu" in text and "Merjosari" in text
    assert "10.42" not in text  # the bubble's time is the app's, not the rumour's
    assert "Le)" not in text and "Grup RT 05 Sukun" in text


def test_a_dark_mode_screenshot_is_read_like_a_light_one(with_ocr):
    text = _read(chat_bubble(RUMOUR, dark=True))
    assert "Rp10.000" in text and "Alun-alun Tugu" in text and "Merjosari" in text


def test_a_small_screenshot_is_enlarged_before_reading(with_ocr):
    small = plain_text("Pasar Besar Malang tutup Rp25.000", width=420, size=14)
    assert ocr.prepare(small).width >= ocr.OCR_MIN_WIDTH
    text = _read(small)
    assert "Pasar Besar Malang" in text and "Rp25.000" in text


def test_an_image_without_text_reads_as_empty(with_ocr):
    assert _read(Image.new("RGB", (800, 600), "#DCF8C6")) == ""


def test_reading_is_capped_in_time(with_ocr):
    with pytest.raises(ocr.ImageError) as refused:
        ocr.read_text(ocr.open_image(png_bytes(chat_bubble(RUMOUR * 4))), timeout=0.001)
    assert refused.value.code == "ocr_timeout"


def test_without_tesseract_reading_says_so_in_indonesian(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH with no tesseract on it
    ocr.languages.cache_clear()
    try:
        with pytest.raises(ocr.OcrUnavailable) as refused:
            ocr.read_text(ocr.open_image(png_bytes(plain_text(RUMOUR))))
    finally:
        ocr.languages.cache_clear()
    assert refused.value.code == "ocr_unavailable" and "Ketik atau tempel" in refused.value.message


def test_missing_ocr_skips_and_fails_only_when_required(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert "tesseract not found" in missing_ocr()
    monkeypatch.setenv(REQUIRE_OCR, "1")
    with pytest.raises(pytest.fail.Exception, match="SARING_REQUIRE_OCR=1 requires"):
        require_ocr()
    monkeypatch.setenv(REQUIRE_OCR, "")
    with pytest.raises(pytest.skip.Exception, match="tesseract not found"):
        require_ocr()
