"""Errors handled once for the whole app: JSON for machines (the API and the downloads),
pages for people in their language (Indonesian first, English on request: web.i18n).

Bad input is turned into a 4xx before it can reach a view (`web.inputs`: bounded ids, safe JSON;
MAX_CONTENT_LENGTH: bodies over the limit get 413 without being read), and anything a view still
raises is logged and answered as a plain 500 in the same shape, never a traceback.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Flask, jsonify, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from web import inputs

log = logging.getLogger(__name__)

MACHINE_SUFFIXES = (".atom", ".csv", ".json")

# Titles and details are Indonesian msgids, said in the reader's language (web.i18n).
MESSAGES_ID = {
    400: _l("Permintaan tidak valid"),
    401: _l("Perlu masuk terlebih dahulu"),
    403: _l("Akses ditolak"),
    404: _l("Halaman tidak ditemukan"),
    405: _l("Metode tidak diizinkan"),
    410: _l("Sudah tidak tersedia"),
    413: _l("Masukan terlalu besar"),
    429: _l("Terlalu banyak permintaan"),
    500: _l("Terjadi kesalahan di server"),
    503: _l("Layanan sedang tidak tersedia"),
}
# Said instead of werkzeug's generic English descriptions, when a view gave none of its own.
DETAILS_ID = {
    400: _l("Permintaan ini tidak dapat dibaca. Periksa kembali isian atau alamatnya."),
    401: _l("Halaman ini hanya untuk staf yang sudah masuk."),
    403: _l("Akun Anda tidak punya izin untuk halaman ini."),
    404: _l("Alamat ini tidak ada di Saring. Periksa ejaannya atau mulai dari beranda."),
    405: _l("Alamat ini tidak menerima cara permintaan tersebut."),
    410: _l("Halaman ini pernah ada tetapi sudah ditarik dan tidak akan kembali."),
    413: _l("Isi kiriman melebihi batas ukuran yang diterima."),
    429: _l(
        "Terlalu banyak permintaan dari alamat Anda dalam waktu singkat. Tunggu sebentar, lalu "
        "coba lagi."
    ),
    500: _l("Maaf, terjadi kesalahan. Silakan coba lagi beberapa saat lagi."),
}


# A form without a valid CSRF token: usually a page left open too long, or cookies blocked.
CSRF_TITLE = _l("Formulir sudah kedaluwarsa")
CSRF_DETAIL = _l(
    "Formulir ini sudah kedaluwarsa atau tidak lengkap (token keamanan CSRF tidak cocok), "
    "biasanya karena halamannya terlalu lama terbuka atau cookie diblokir. Demi keamanan, "
    "kiriman Anda tidak diproses. Buka lagi formulirnya, lalu kirim ulang."
)
# Search and clarification lists parse their arguments with English, developer-facing reasons
# ("year must be four digits..."). On their pages a 400 says what to do in the reader's language
# and keeps that reason second; other views' reasons are written for people and stay first.
HELP_400 = {
    "/cari": _l(
        "Ada isian pencarian yang tidak bisa dibaca. Tahun ditulis empat angka (mis. 2025), "
        "bulan seperti 2025-01, tanggal seperti 2025-01-31, halaman berupa angka."
    ),
    "/klarifikasi": _l(
        "Filter klarifikasi tidak bisa dibaca. Pilih label dari daftar; bulan ditulis "
        "seperti 2025-01."
    ),
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
    """The page for people: a message in their language first, a technical reason second."""
    if isinstance(error, CSRFError):
        rule = request.url_rule
        retry = request.path if rule is not None and "GET" in (rule.methods or ()) else ""
        return ErrorPage(str(CSRF_TITLE), str(CSRF_DETAIL), retry_url=retry)
    section = _section(request.path)
    start = url_for(START_OVER[section]) if section else ""
    if code == 400 and section and detail != str(DETAILS_ID[400]):
        return ErrorPage(title, str(HELP_400[section]), technical=detail, start_url=start)
    return ErrorPage(title, detail, start_url=start)


def render_error(error: HTTPException):
    """One rendering of an HTTP error, as JSON for the API and as a page for people."""
    code = error.code or 500
    title = str(MESSAGES_ID.get(code, error.name))
    detail = error.description or ""
    if isinstance(error, CSRFError):  # Flask-WTF's reasons are English and technical
        detail = str(CSRF_DETAIL)
    elif detail == type(error).description:  # werkzeug's generic text, not the view's own
        detail = str(DETAILS_ID.get(code, detail))
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
