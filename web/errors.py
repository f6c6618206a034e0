"""Errors rendered once for the whole app: JSON under /api/, HTML pages elsewhere."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)

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


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def render_error(error: HTTPException):
    """One rendering of an HTTP error, as JSON for the API and as a page for people."""
    code = error.code or 500
    title = MESSAGES_ID.get(code, error.name)
    detail = error.description or ""
    if _wants_json():
        return jsonify({"error": {"code": code, "message": title, "detail": detail}}), code
    return render_template("error.html", code=code, title=title, detail=detail), code


def init_app(app: Flask) -> None:
    """Register the error handlers."""
    app.register_error_handler(HTTPException, render_error)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        log.exception("unhandled error on %s", request.path)
        return render_error(InternalServerError())
