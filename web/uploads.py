"""The image a form may carry (/cek and /lapor): read from the request within the image cap
and handed to `ingest.ocr`, which decides from the bytes whether it is an accepted image.

Request bodies are capped by MAX_CONTENT_LENGTH (1 MB by default), less than a screenshot may
weigh. The forms that take an image raise their own cap for multipart bodies only (the only
kind that carries a file) to the image cap plus room for the text fields. The raise must come
before the CSRF check reads the form, so it is a URL value preprocessor: Flask runs those before
any before-request hook. A body over it still gets the 413 error page without being read.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from PIL import Image
from werkzeug.datastructures import FileStorage, MultiDict

from ingest.ocr import MAX_IMAGE_BYTES, ImageError, open_image, read_text
from web.i18n import said_to_reader

UPLOAD_BODY_BYTES = MAX_IMAGE_BYTES + 200_000  # the image, and the form's text fields

# HTTP status of each image problem on the form pages.
IMAGE_ERROR_STATUS = {
    "empty": 400,
    "not_image": 400,
    "unsupported": 415,
    "too_large": 413,
    "too_many_pixels": 413,
    "no_text": 422,
    "ocr_failed": 422,
    "ocr_timeout": 503,
    "ocr_unavailable": 503,
}


def allow_image_body(*endpoints: str) -> Callable[[str | None, dict | None], None]:
    """A URL value preprocessor that lets multipart posts to `endpoints` carry an image."""

    def allow(endpoint: str | None, _values: dict | None) -> None:
        limit = current_app.config.get("MAX_CONTENT_LENGTH")
        if endpoint in endpoints and request.mimetype == "multipart/form-data" and limit:
            request.max_content_length = max(limit, UPLOAD_BODY_BYTES)

    return allow


def find_image(files: MultiDict[str, FileStorage], name: str = "image") -> Image.Image | None:
    """The decoded image posted in field `name`, None when no file was chosen; ImageError
    when the file is not an accepted image."""
    upload = files.get(name)
    if upload is None:
        return None
    data = upload.stream.read(MAX_IMAGE_BYTES + 1)  # one byte more tells "too large"
    if not data and not upload.filename:  # the form's file field, left empty
        return None
    return open_image(data)


def text_of(image: Image.Image) -> str:
    """The text read in the image; ImageError when there is none or it cannot be read."""
    text = read_text(image)
    if not text:
        raise ImageError(
            "no_text",
            _(
                "Tidak ada teks yang terbaca pada gambar ini. Ketik atau tempel teksnya, atau "
                "kirim tangkapan layar yang lebih jelas."
            ),
        )
    return text


# ingest.ocr says what is wrong with an image in Indonesian; an English reader gets these.
IMAGE_PROBLEMS = {
    "empty": _l("Berkas gambar kosong. Pilih berkas gambar lain."),
    "too_large": _l("Gambar terlalu besar. Kecilkan atau potong gambarnya lalu kirim lagi."),
    "unsupported": _l(
        "Jenis gambar ini tidak diterima. Kirim tangkapan layar atau foto berformat PNG, JPEG, "
        "atau WebP."
    ),
    "not_image": _l(
        "Berkas ini bukan gambar yang dapat dibaca. Kirim tangkapan layar berformat PNG, JPEG, "
        "atau WebP."
    ),
    "too_many_pixels": _l(
        "Ukuran gambar terlalu besar. Kecilkan atau potong gambarnya lalu kirim lagi."
    ),
    "ocr_unavailable": _l(
        "Server ini belum dapat membaca teks dari gambar. Ketik atau tempel teksnya."
    ),
    "ocr_timeout": _l(
        "Teks pada gambar ini terlalu lama dibaca. Potong gambarnya agar hanya berisi pesannya, "
        "atau ketik teksnya."
    ),
    "ocr_failed": _l("Teks pada gambar ini tidak dapat dibaca. Ketik atau tempel teksnya."),
}


def image_problem(error: ImageError) -> str:
    """What is wrong with the image, in the reader's language."""
    return said_to_reader(error.message, IMAGE_PROBLEMS.get(error.code))
