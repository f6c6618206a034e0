"""Errors handled once for the whole app: JSON for machines (the API and the downloads),
Indonesian pages for people.

Bad input is turned into a 4xx before it can reach a view (`web.inputs`: bounded ids, safe JSON;
MAX_CONTENT_LENGTH: bodies over the limit get 413 without being read), and anything a view still
raises is logged and answered as a plain 500 in the same shape, never a traceback.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Flask, jsonify, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from web import inputs

log = logging.getLogger(__name__)

MACHINE_SUFFIXES = (".atom", ".csv", ".json")

MESSAGES_ID = {
    400: "Permintaan tidak valid",
    401: "Perlu masuk terlebih dahulu",
    403: "Akses ditolak",
    404: "Halaman tidak ditemukan",
    405: "Metode tidak diizinkan",
    410: "Sudah tidak tersedia",
    413: "Masukan terlalu besar",
    429: "Terlalu banyak permintaan",
    500: "Terjadi kesalahan di server",
    503: "Layanan sedang tidak tersedia",
}
# Said instead of werkzeug's generic English descriptions, when a view gave none of its own.
DETAILS_ID = {
    400: "Permintaan ini tidak dapat dibaca. Periksa kembali isian atau alamatnya.",
    404: "Alamat ini tidak ada di Saring. Periksa ejaannya atau mulai dari beranda.",
    405: "Alamat ini tidak menerima cara permintaan tersebut.",
    413: "Isi kiriman melebihi batas ukuran yang diterima.",
    500: "Maaf, terjadi kesalahan. Silakan coba lagi beberapa saat lagi.",
}


# A form without a valid CSRF token: usually a page left open too long, or cookies blocked.
CSRF_TITLE = "Formulir sudah kedaluwarsa"
CSRF_DETAIL = (
    "Formulir ini sudah kedaluwarsa atau tidak lengkap (token keamanan CSRF tidak cocok), "
    "biasanya karena halamannya terlalu lama terbuka atau cookie diblokir. Demi keamanan, "
    "kiriman Anda tidak diproses. Buka lagi formulirnya, lalu kirim ulang. (The form expired "
    "or is incomplete; open it again and resend.)"
)
# Search and clarification lists parse their arguments with English, developer-facing reasons
# ("year must be four digits..."). On their pages a 400 says what to do in Indonesian first and
# keeps that reason second; other views' reasons are written for people and stay first.
HELP_400 = {
    "/cari": "Ada isian pencarian yang tidak bisa dibaca. Tahun ditulis empat angka (mis. 2025), "
    "bulan seperti 2025-01, tanggal seperti 2025-01-31, halaman berupa angka.",
    "/klarifikasi": "Filter klarifikasi tidak bisa dibaca. Pilih label dari daftar; bulan ditulis "
    "seperti 2025-01.",
}
START_OVER = {"/cari": "public.search_page", "/klarifikasi": "clarify.clarification_list"}


@dataclass
class ErrorPage:
    """What an error page for people says, and where it offers to go next."""

    title: str
    message: str
    technical: str = ""
    retry_url: str = ""  # the form to open again (after a CSRF failure)
    start_url: str = ""  # a fresh start for the section the person was in


def _wants_json() -> bool:
    """The API, the health check and the downloads (feeds, CSV, JSON) answer errors in JSON."""
    path = request.path
    return path.startswith("/api/") or path == "/healthz" or path.endswith(MACHINE_SUFFIXES)


def _section(path: str) -> str | None:
    """The listing ("/cari", "/klarifikasi") a path belongs to, if any."""
    return next((p for p in START_OVER if path == p or path.startswith(p + "/")), None)


def error_page(error: HTTPException, code: int, title: str, detail: str) -> ErrorPage:
    """The page for people: an Indonesian message first, a technical reason second."""
    if isinstance(error, CSRFError):
        rule = request.url_rule
        retry = request.path if rule is not None and "GET" in (rule.methods or ()) else ""
        return ErrorPage(CSRF_TITLE, CSRF_DETAIL, retry_url=retry)
    section = _section(request.path)
    start = url_for(START_OVER[section]) if section else ""
    if code == 400 and section and detail != DETAILS_ID[400]:
        return ErrorPage(title, HELP_400[section], technical=detail, start_url=start)
    return ErrorPage(title, detail, start_url=start)


def render_error(error: HTTPException):
    """One rendering of an HTTP error, as JSON for the API and as a page for people."""
    code = error.code or 500
    title = MESSAGES_ID.get(code, error.name)
    detail = error.description or ""
    if isinstance(error, CSRFError):  # Flask-WTF's reasons are English and technical
        detail = CSRF_DETAIL
    elif detail == type(error).description:  # werkzeug's generic text, not the view's own
        detail = DETAILS_ID.get(code, detail)
    if _wants_json():
        return jsonify({"error": {"code": code, "message": title, "detail": detail}}), code
    page = error_page(error, code, title, detail)
    return render_template("error.html", code=code, page=page), code


def init_app(app: Flask) -> None:
    """Register the input guards and the error handlers (before any blueprint is added)."""
    inputs.init_app(app)
    app.register_error_handler(HTTPException, render_error)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        log.exception("unhandled error on %s", request.path)
        return render_error(InternalServerError())
