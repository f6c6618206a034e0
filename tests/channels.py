"""The registry tests' two releases (one states a number, one warns about another) and helpers on
the channel store, shared by the staff-page and the harvest tests."""

from __future__ import annotations

from datetime import UTC, datetime

from archive.channels import ChannelStore
from tests.staff import add_releases, make_user

STATES_NUMBER = (
    "pengaduan-jukir",
    "Dishub Buka Pengaduan Jukir Nakal",
    [
        "Dinas Perhubungan Kota Malang membuka pengaduan bagi warga yang ditarik tarif parkir "
        "tidak wajar.",
        "Laporan dapat disampaikan melalui nomor pengaduan 0821-3193-9177 atau akun Instagram "
        "resmi @dishubmalangkota.",
        "Jadwal operasi parkir dapat dilihat di parkir.dishub.malangkota.go.id.",
    ],
)
WARNS_ABOUT_NUMBER = (
    "nomor-palsu",
    "Dishub: Nomor WhatsApp yang Mengatasnamakan Kepala Dishub Itu Palsu",
    [
        "Nomor WhatsApp 0812-9999-8888 yang mengatasnamakan Kepala Dishub itu palsu.",
        "Keluhan itu diunggah akun Instagram @infoparkirmalang.",
        "Warga diminta melapor ke nomor pengaduan 0821-3193-9177.",
    ],
)


def with_two_releases(app):
    """The app with the two releases archived and indexed (their ids by slug in config) and an
    editor, sari."""
    app.config["RELEASES"] = add_releases(app, [STATES_NUMBER, WARNS_ABOUT_NUMBER])
    make_user(app, "sari", "editor")
    return app


def store(app) -> ChannelStore:
    return ChannelStore(app.extensions["saring"].archive.engine)


def rows(app) -> dict:
    return {(c.kind, c.value): c for c in store(app).list_channels()}


def now() -> datetime:
    return datetime.now(UTC)
