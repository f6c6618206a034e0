"""The claim check keeps releases it has read in memory; an edited release is read afresh."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from index.retrieve import retrieve
from index.store import WIB
from verify.check import check_text
from verify.devset import load_releases
from verify.evidence import read_release

CLAIM = "Tarif parkir sepeda motor di tepi jalan umum Kota Malang Rp2.000 sekali parkir"
NOW = datetime(2025, 11, 1, 10, 0, tzinfo=WIB)


def _release(amount: str) -> dict:
    return {
        "id": "R1",
        "url": "https://dishub.malangkota.go.id/2025/10/01/tarif-parkir-tepi-jalan-umum/",
        "opd": "Dinas Perhubungan",
        "title": "Dishub Tetapkan Tarif Parkir Tepi Jalan Umum",
        "published": "2025-10-01T09:00:00+07:00",
        "categories": ["Berita"],
        "tags": [],
        "paragraphs": [
            "Dinas Perhubungan Kota Malang menetapkan tarif parkir sepeda motor di tepi jalan "
            f"umum sebesar Rp{amount} sekali parkir.",
            "Juru parkir wajib memberikan karcis kepada setiap pengguna jasa parkir.",
        ],
    }


def _amounts(index) -> set[float]:
    (candidate,) = retrieve(index, CLAIM, limit=1)
    release = read_release(candidate)
    return {f.value[0] for s in release.sentences for f in s.facts if f.kind == "money"}


def test_an_edited_release_is_read_afresh_by_the_next_check(tmp_path: Path) -> None:
    index, first_ids = load_releases(tmp_path, [_release("2.000")])
    first = check_text(index, CLAIM, now=NOW, with_clarifications=False)
    assert _amounts(index) == {2000.0}
    assert any("Rp2.000" in e.sentence for e in first.evidence)

    # The source edits the amount; the archive keeps a new version and the index follows.
    index, second_ids = load_releases(tmp_path, [_release("3.000")])
    assert second_ids == first_ids  # the same release, not a new one
    second = check_text(index, CLAIM, now=NOW, with_clarifications=False)
    assert _amounts(index) == {3000.0}
    assert any("Rp3.000" in e.sentence for e in second.evidence)
    assert not any("Rp2.000" in e.sentence for e in second.evidence)
    assert second.to_json() != first.to_json()
