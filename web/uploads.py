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
from PIL import Image
from werkzeug.datastructures import FileStorage, MultiDict

from ingest.ocr import MAX_IMAGE_BYTES, ImageError, open_image, read_text

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
            "Tidak ada teks yang terbaca pada gambar ini. Ketik atau tempel teksnya, atau kirim "
            "tangkapan layar yang lebih jelas.",
        )
    return text
