"""The evaluation command: its metrics, and a run on a tiny corpus written here."""

from __future__ import annotations

import json
import re

import pytest

from verify.evaluate import Outcome, main, summarise

RELEASES = [
    {
        "id": "R1",
        "source_site": "dishub.malangkota.go.id",
        "opd": "Dinas Perhubungan",
        "url": "https://dishub.malangkota.go.id/2024/03/22/tarif-angkot-tidak-naik/",
        "title": "Dishub Tegaskan Tarif Angkot Tidak Naik",
        "published": "2024-03-22T18:45:00+07:00",
        "categories": ["Berita"],
        "tags": ["angkot"],
        "author": "abc/def",
        "paragraphs": [
            "Dinas Perhubungan (Dishub) Kota Malang menegaskan tarif angkot tidak naik.",
            "Tarif yang berlaku tetap Rp5 ribu untuk penumpang umum dan Rp3 ribu untuk pelajar.",
            "Warga yang ditarik ongkos melebihi ketentuan diminta melapor ke Dishub.",
        ],
    },
    {
        "id": "R2",
        "source_site": "dinkes.malangkota.go.id",
        "opd": "Dinas Kesehatan",
        "url": "https://dinkes.malangkota.go.id/2025/05/12/kasus-dbd-mei-2025/",
        "title": "Hingga Awal Mei 2025 Tercatat 389 Kasus DBD",
        "published": "2025-05-12T10:00:00+07:00",
        "categories": ["Berita"],
        "tags": ["DBD"],
        "author": "ghi/jkl",
        "paragraphs": [
            "Dinas Kesehatan Kota Malang mencatat 389 kasus DBD hingga awal Mei 2025.",
            "Tiga pasien meninggal dunia dan penyebab pastinya masih diinvestigasi.",
            "Warga diminta menggencarkan pemberantasan sarang nyamuk di rumah masing-masing.",
        ],
    },
]
CLAIMS = [
    {"id": "C1", "text": "Tarif angkot tetap Rp5 ribu untuk umum", "release_id": "R1",
     "label": "SUPPORTED", "note": ""},
    {"id": "C2", "text": "Tarif angkot naik jadi Rp15 ribu", "release_id": "R1",
     "label": "CONTRADICTED", "note": ""},
    {"id": "C3", "text": "Hingga awal Mei 2025 ada 893 kasus DBD di Kota Malang",
     "release_id": "R2", "label": "CONTRADICTED", "note": ""},
    {"id": "C4", "text": "Pemkot Malang membangun kereta gantung di Alun-alun Tugu",
     "release_id": None, "label": "NOT_FOUND", "note": ""},
]  # fmt: skip


def test_summary_figures_are_computed_from_the_outcomes():
    outcomes = [
        Outcome("C1", "SUPPORTED", "SUPPORTED", "1", ["1", "2"]),
        Outcome("C2", "CONTRADICTED", "SUPPORTED", "1", ["2", "1"]),
        Outcome("C3", "NOT_FOUND", "NOT_FOUND", None, ["2"]),
        Outcome("C4", "CONTRADICTED", "CONTRADICTED", "3", ["4", "5", "6", "7", "8", "3"]),
    ]
    figures = summarise(outcomes)
    assert figures["recall@1"] == pytest.approx(1 / 3)
    assert figures["recall@5"] == pytest.approx(2 / 3)
    assert figures["accuracy"] == pytest.approx(3 / 4)
    # F1: SUPPORTED 2/3, CONTRADICTED 2/3, NOT_FOUND 1
    assert figures["macro_f1"] == pytest.approx((2 / 3 + 2 / 3 + 1) / 3)
    assert figures["matrix"]["CONTRADICTED"]["SUPPORTED"] == 1


def test_the_command_loads_releases_through_ingest_and_reports_both_systems(tmp_path, capsys):
    releases = tmp_path / "releases.jsonl"
    claims = tmp_path / "claims.jsonl"
    releases.write_text("\n".join(json.dumps(r) for r in RELEASES), encoding="utf-8")
    claims.write_text("\n".join(json.dumps(c) for c in CLAIMS), encoding="utf-8")
    assert main(["--releases", str(releases), "--claims", str(claims), "--errors"]) == 0
    out = capsys.readouterr().out
    assert "Loaded 2 of 2 releases through the ingest path" in out
    for heading in ("Claims: all (n=4)", "Claims: odd (n=2)", "Claims: even (n=2)"):
        assert heading in out
    all_figures = out.split("Claims: all")[1].split("Claims: odd")[0]
    accuracy = re.search(r"accuracy\s+([\d.]+)\s+([\d.]+)", all_figures)
    assert float(accuracy.group(1)) == 1.0  # the checker gets all four right
    assert float(accuracy.group(2)) < 1.0  # the baseline cannot see contradictions
    assert "recall@5" in all_figures and "confusion matrix, baseline" in all_figures
