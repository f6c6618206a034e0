"""Helpers for tests of the staff and clarification pages: accounts, CSRF tokens, a fake clock,
and a small archive of releases to cite."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient

from archive.editorial import Editorial
from archive.release import Release
from ingest.indexing import sync_index
from web.auth import hash_password

PASSWORD = "kata-sandi-uji-yang-panjang"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


class FakeClock:
    """A clock tests move by hand (app.config["CLOCK"])."""

    def __init__(self, start: datetime | None = None) -> None:
        self.moment = start or datetime(2025, 6, 1, 3, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta) -> None:
        """Move the clock forward."""
        self.moment += timedelta(**delta)


def editorial(app: Flask) -> Editorial:
    """The app's editorial store."""
    return Editorial(app.extensions["saring"].archive.engine)


def make_user(app: Flask, username: str, role: str = "editor", password: str = PASSWORD):
    """Create an account directly in the store (the CLI path has its own tests)."""
    return editorial(app).create_user(
        username, hash_password(password), role, actor="test", at=datetime.now(UTC)
    )


def csrf_token(client: FlaskClient, path: str = "/admin/masuk") -> str:
    """A real CSRF token, read from a form page as a browser would."""
    page = client.get(path).get_data(as_text=True)
    match = _TOKEN.search(page)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def post_form(client: FlaskClient, path: str, data: dict, *, token_from: str | None = None, **kw):
    """POST a form with a CSRF token taken from `token_from` (default: the same path)."""
    payload = {"csrf_token": csrf_token(client, token_from or path), **data}
    return client.post(path, data=payload, **kw)


def login(client: FlaskClient, username: str, password: str = PASSWORD):
    """Sign in through the real form."""
    return post_form(client, "/admin/masuk", {"username": username, "password": password})


def add_releases(app: Flask, releases: list[tuple[str, str, list[str]]]) -> dict[str, int]:
    """Archive and index releases given as (slug, title, paragraphs); return ids by slug."""
    services = app.extensions["saring"]
    published = datetime(2025, 3, 1, 2, 0, tzinfo=UTC)
    for slug, title, paragraphs in releases:
        services.archive.record(
            Release(
                url=f"https://dishub.malangkota.go.id/2025/03/01/{slug}/",
                title=title,
                paragraphs=paragraphs,
                html="",
                source_id="uji",
                opd="Dinas Perhubungan",
                published=published,
            )
        )
    sync_index(services.archive, services.index)
    urls = {f"https://dishub.malangkota.go.id/2025/03/01/{slug}/": slug for slug, _, _ in releases}
    found = editorial(app).release_ids_for_urls(urls)
    return {urls[url]: release_id for url, release_id in found.items()}


ANGKOT_RELEASE = (
    "tarif-angkot-tetap",
    "Dishub Pastikan Tarif Angkot Kota Malang Tidak Naik",
    [
        "Dinas Perhubungan Kota Malang memastikan tarif angkutan kota tetap Rp5 ribu untuk "
        "penumpang umum dan Rp3 ribu untuk pelajar sesuai Peraturan Wali Kota.",
        "Penumpang yang ditarik ongkos lebih tinggi diminta melapor ke Dishub.",
    ],
)
PARKIR_RELEASE = (
    "parkir-kayutangan",
    "Gedung Parkir Kayutangan Mulai Beroperasi",
    [
        "Gedung Parkir Kayutangan mulai beroperasi dengan masa sosialisasi parkir gratis "
        "selama satu pekan.",
        "Setelah sosialisasi, tarif parkir berlaku sesuai peraturan daerah.",
    ],
)

ANGKOT_FORM = {
    "title": "Tarif angkot Kota Malang naik menjadi Rp15 ribu",
    "rumour": "Tarif angkot Kota Malang sekarang naik jadi Rp15 ribu sekali jalan, "
    "dari Gadang ke Arjosari ditarik segitu. Udah resmi kata sopirnya.",
    "verdict": "HOAKS",
    "summary": "Tidak ada kenaikan tarif angkutan kota di Kota Malang.",
    "body": "Dinas Perhubungan menegaskan tarif resmi masih Rp5 ribu untuk penumpang umum dan "
    "Rp3 ribu untuk pelajar.\n\nPenarikan ongkos Rp15 ribu tidak dibenarkan.",
    "seen_on": "Facebook",
    "sightings": "https://www.facebook.com/contoh/posts/123",
}
