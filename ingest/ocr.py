"""Text read from images: uploaded screenshots and flyers now, scanned attachments later.

An image arrives as bytes. `open_image` decides what it is from the bytes alone (never the file
name), accepts PNG, JPEG and WebP within a byte cap and a pixel cap (a small file can decode to
gigabytes), and raises `ImageError` with an Indonesian message a person can act on.
`read_text` prepares the image for OCR (upright, flattened, grey, light background, small
screenshots enlarged), runs the Debian `tesseract` binary on a re-encoded PNG with a time cap,
and cleans what it returns. `reencode` rebuilds an image from its pixels only, so nothing of the
original file (EXIF, GPS position, comments, colour profiles) survives being stored.

Nothing here knows about Flask or the archive.
"""

from __future__ import annotations

import functools
import io
import os
import re
import shutil
import subprocess
import threading
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, ImageStat, UnidentifiedImageError

MAX_IMAGE_BYTES = 5_000_000
MAX_PIXELS = 25_000_000  # e.g. 5000 x 5000; a phone screenshot is about 2.5 million
OCR_TIMEOUT_SECONDS = 20.0
# Media types of the accepted formats, as Pillow names them.
MEDIA_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
# Stored copies are at most this many pixels on their longest side.
STORED_MAX_SIDE = 2560
# Below this many pixels of width, text is enlarged before OCR (Tesseract wants tall letters).
OCR_MIN_WIDTH = 1600
OCR_MAX_SCALE = 4
# At most this many tesseract processes at once per web process: each keeps a core busy.
_RUNNING = threading.BoundedSemaphore(2)


class ImageError(ValueError):
    """An upload that cannot be read as an image, or whose text cannot be read; `message` is
    Indonesian and says what to do, `code` names the problem for callers and tests."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class OcrUnavailable(ImageError):
    """The server has no tesseract (or none of its languages): images cannot be read here."""


@dataclass(frozen=True)
class CleanImage:
    """An image rebuilt from its pixels, ready to store: no metadata of the upload survives."""

    data: bytes
    media_type: str
    width: int
    height: int


# -- validating --------------------------------------------------------------------------------


def open_image(data: bytes) -> Image.Image:
    """The decoded image in `data`; ImageError when it is not an accepted, sane image."""
    if not data:
        raise ImageError("empty", "Berkas gambar kosong. Pilih berkas gambar lain.")
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageError(
            "too_large",
            f"Gambar terlalu besar ({_megabytes(len(data))}). Paling besar "
            f"{_megabytes(MAX_IMAGE_BYTES)}; kecilkan atau potong gambarnya lalu kirim lagi.",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            image_format = image.format
            if image_format not in MEDIA_TYPES:
                raise ImageError(
                    "unsupported",
                    "Jenis gambar ini tidak diterima. Kirim tangkapan layar atau foto berformat "
                    "PNG, JPEG, atau WebP.",
                )
            _check_pixels(image.size)
            image.load()
    except ImageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        raise ImageError(
            "not_image",
            "Berkas ini bukan gambar yang dapat dibaca (mungkin rusak atau hanya diganti "
            "namanya). Kirim tangkapan layar berformat PNG, JPEG, atau WebP.",
        ) from None
    return image


def _check_pixels(size: tuple[int, int]) -> None:
    width, height = size
    if width < 1 or height < 1 or width * height > MAX_PIXELS:
        raise _too_many_pixels()


def _too_many_pixels() -> ImageError:
    return ImageError(
        "too_many_pixels",
        f"Ukuran gambar terlalu besar (paling banyak {MAX_PIXELS // 1_000_000} juta piksel). "
        "Kecilkan atau potong gambarnya lalu kirim lagi.",
    )


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")


# -- storing -----------------------------------------------------------------------------------


def reencode(image: Image.Image) -> CleanImage:
    """The image rebuilt from its pixels only (upright, at most STORED_MAX_SIDE), in its format."""
    pixels = _upright(image)
    pixels = pixels.convert("RGBA" if _has_alpha(pixels) else "RGB")
    pixels.thumbnail((STORED_MAX_SIDE, STORED_MAX_SIDE))
    bare = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())  # no info, no EXIF
    image_format = image.format if image.format in MEDIA_TYPES else "PNG"
    if image_format == "JPEG" and bare.mode != "RGB":
        bare = _flatten(bare).convert("RGB")
    out = io.BytesIO()
    options = {"JPEG": {"quality": 88}, "WEBP": {"quality": 88}, "PNG": {"optimize": True}}
    bare.save(out, format=image_format, **options[image_format])
    return CleanImage(out.getvalue(), MEDIA_TYPES[image_format], bare.width, bare.height)


def _upright(image: Image.Image) -> Image.Image:
    """The image turned as its EXIF orientation says (phone photos), without the tag."""
    try:
        return ImageOps.exif_transpose(image)
    except (OSError, ValueError, SyntaxError):  # an unreadable EXIF block: ignore it
        return image.copy()


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def _flatten(image: Image.Image) -> Image.Image:
    """Transparent parts painted white (screenshots with alpha are read on white)."""
    if not _has_alpha(image):
        return image.convert("RGB")
    rgba = image.convert("RGBA")
    white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return Image.alpha_composite(white, rgba).convert("RGB")


# -- reading -----------------------------------------------------------------------------------


@functools.cache
def languages() -> str:
    """Tesseract's languages to read with: "ind+eng" when both are installed; "" without OCR."""
    binary = shutil.which("tesseract")
    if binary is None:
        return ""
    try:
        listed = subprocess.run(
            [binary, "--list-langs"], capture_output=True, text=True, timeout=10, check=False
        ).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return ""
    return "+".join(lang for lang in ("ind", "eng") if lang in listed)


def prepare(image: Image.Image) -> Image.Image:
    """A grey image with dark text on a light background, enlarged when the text is small."""
    grey = _flatten(_upright(image)).convert("L")
    if ImageStat.Stat(grey).mean[0] < 128:  # dark mode: light text on a dark background
        grey = ImageOps.invert(grey)
    grey = ImageOps.autocontrast(grey, cutoff=1)
    scale = min(OCR_MAX_SCALE, -(-OCR_MIN_WIDTH // grey.width))
    if scale > 1 and grey.width * grey.height * scale * scale <= MAX_PIXELS:
        grey = grey.resize((grey.width * scale, grey.height * scale), Image.Resampling.LANCZOS)
    return grey


def read_text(image: Image.Image, *, timeout: float = OCR_TIMEOUT_SECONDS) -> str:
    """The cleaned text tesseract reads in the image ("" when there is none); OcrUnavailable
    without tesseract, ImageError when reading takes longer than `timeout` seconds."""
    langs = languages()
    binary = shutil.which("tesseract")
    if not langs or binary is None:
        raise OcrUnavailable(
            "ocr_unavailable",
            "Server ini belum dapat membaca teks dari gambar. Ketik atau tempel teksnya.",
        )
    png = io.BytesIO()
    prepare(image).save(png, format="PNG")
    # One thread per tesseract: the server's cores are shared with the other requests.
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    with _RUNNING:
        try:
            done = subprocess.run(
                [binary, "stdin", "stdout", "-l", langs, "--psm", "3"],
                input=png.getvalue(),
                capture_output=True,
                timeout=timeout,
                env=env,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise ImageError(
                "ocr_timeout",
                "Teks pada gambar ini terlalu lama dibaca. Potong gambarnya agar hanya berisi "
                "pesannya, atau ketik teksnya.",
            ) from None
    if done.returncode != 0:
        raise ImageError(
            "ocr_failed", "Teks pada gambar ini tidak dapat dibaca. Ketik atau tempel teksnya."
        )
    return clean_text(done.stdout.decode("utf-8", errors="replace"))


# A line that is only a chat app's clock ("10.42", "10:42 PM", "10.42 ✓✓"), not the message.
_CLOCK_LINE = re.compile(
    r"[\W_]*(?:[01]?\d|2[0-3])[.:][0-5]\d(?:\s*(?:[AaPp]\.?[Mm]\.?|WIB))?[\W_vV]*"
)
_SPACES = re.compile(r"[ \t\u00a0]+")
# A line worth keeping has a word of three letters or a number of two digits; the rest is what
# OCR makes of icons, ticks and background patterns ("Le) Le) Le)").
_WORDLIKE = re.compile(r"[^\W\d_]{3,}|\d{2,}")


def clean_text(raw: str) -> str:
    """OCR output as plain text: lines trimmed; chat clock lines, lines without a word and
    empty runs dropped; words broken with a hyphen at a line end joined again."""
    text = raw.replace("\x0c", "\n").replace("\r", "")
    text = text.replace("\ufb01", "fi").replace("\ufb02", "fl")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    kept: list[str] = []
    for line in lines:
        if line and (_CLOCK_LINE.fullmatch(line) or not _WORDLIKE.search(line)):
            continue
        if not line and (not kept or not kept[-1]):
            continue
        if kept and kept[-1].endswith("-") and line[:1].islower():
            kept[-1] = kept[-1][:-1] + line
            continue
        kept.append(line)
    return "\n".join(kept).strip()
