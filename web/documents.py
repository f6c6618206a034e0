"""The documents a release links to: what the release page shows of them, and their archived
copies served back (`/rilis/<id>/lampiran/<token>`).

A copy is found by its version's random token *and* the release linking to it, so a path can
be neither guessed nor reused under another release. It is served only as the media type its
bytes were checked to be (PDF, PNG, JPEG, WebP), never as HTML, with a Content-Disposition
naming the file, `nosniff`, no referrer and a long cache (a version's bytes never change).
"""

from __future__ import annotations

import re
from urllib.parse import quote

from flask import Blueprint, Response, abort
from flask_babel import lazy_gettext as _l

from archive.attachments import MEDIA_TYPES, AttachmentStore, StoredAttachment
from web.services import get_services

bp = Blueprint("documents", __name__)

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
EXTENSIONS = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg",
              "image/webp": "webp"}  # fmt: skip
TYPE_LABELS = {"application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPEG",
               "image/webp": "WebP"}  # fmt: skip
# How the release page and the staff pages name each state of a document.
STATUS_LABELS = {
    "ok": _l("teks terbaca"),
    "needs_ocr": _l("hasil pindaian, menunggu OCR"),
    "no_text": _l("tidak ada teks yang terbaca"),
    "too_many_pages": _l("terlalu banyak halaman, dibaca sebagian"),
    "encrypted": _l("terkunci kata sandi"),
    "broken": _l("berkas rusak atau tidak dapat dibaca"),
    "ocr_failed": _l("OCR gagal membaca teks"),
    "too_slow": _l("terlalu lama dibaca, dihentikan"),
    "too_large": _l("terlalu besar untuk diambil"),
    "wrong_type": _l("bukan PDF atau gambar"),
    "http_error": _l("tidak tersedia di situs sumber"),
    "fetch_failed": _l("gagal diambil"),
    "pending": _l("belum diambil"),
}


def attachments_of(release_id: int) -> list[StoredAttachment]:
    """The documents the release links to, for its page."""
    return AttachmentStore(get_services().archive.engine).for_release(release_id)


@bp.get("/rilis/<id:release_id>/lampiran/<token>")
def archived_copy(release_id: int, token: str):
    """The archived bytes of one version of a document the release links to."""
    if not _TOKEN.match(token):
        abort(404)
    found = AttachmentStore(get_services().archive.engine).file(release_id, token)
    if found is None or found.media_type not in MEDIA_TYPES:
        abort(404)
    response = Response(found.data, mimetype=found.media_type)
    response.headers["Content-Disposition"] = disposition(found.name, found.media_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


def disposition(name: str, media_type: str) -> str:
    """`inline` with an ASCII file name and the original one (RFC 6266), ending in the right
    extension whatever the URL called it."""
    stem = name.rsplit(".", 1)[0] if "." in name else name
    extension = EXTENSIONS[media_type]
    plain = (_UNSAFE_NAME.sub("_", stem).strip("._") or "lampiran")[:100] + "." + extension
    original = f"{stem[:150]}.{extension}"
    return f"inline; filename=\"{plain}\"; filename*=UTF-8''{quote(original, safe='')}"


@bp.app_context_processor
def template_helpers() -> dict:
    """Names the release page uses for documents."""
    return {"document_status": STATUS_LABELS, "document_types": TYPE_LABELS}
