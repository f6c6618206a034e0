"""The evaluation command: its metrics, and a run on a tiny corpus written here."""

from __future__ import annotations

import json
import re

import pytest

from verify.evaluate import Outcome, calibration_error, main, summarise

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
        Outcome("C1", "SUPPORTED", "SUPPORTED", 0.9, "1", ("1", "2")),
        Outcome("C2", "CONTRADICTED", "SUPPORTED", 0.6, "1", ("2", "1"), kind="denied_rumour"),
        Outcome("C3", "NOT_FOUND", "NOT_FOUND", 0.8, None, ("2",)),
        Outcome("C4", "CONTRADICTED", "CONTRADICTED", 0.7, "3", ("4", "5", "6", "7", "8", "3")),
    ]
    figures = summarise(outcomes)
    assert figures["recall@1"] == pytest.approx(1 / 3)
    assert figures["recall@5"] == pytest.approx(2 / 3)
    assert figures["accuracy"] == pytest.approx(3 / 4)
    # F1: SUPPORTED 2/3, CONTRADICTED 2/3, NOT_FOUND 1
    assert figures["macro_f1"] == pytest.approx((2 / 3 + 2 / 3 + 1) / 3)
    assert figures["matrix"]["CONTRADICTED"]["SUPPORTED"] == 1
    assert figures["supported_when_contradicted"] == pytest.approx(1 / 2)
    assert (figures["denied_rumours"], figures["denied_rumours_supported"]) == (1, 1)
    assert figures["certain"] == 0


def test_calibration_error_compares_confidence_with_accuracy_per_bin():
    right = [Outcome(f"R{i}", "SUPPORTED", "SUPPORTED", 0.75) for i in range(3)]
    wrong = [Outcome("W", "SUPPORTED", "NOT_FOUND", 0.75)]
    # one bin (0.7-0.8): accuracy 3/4, confidence 0.75: perfectly calibrated
    assert calibration_error(right + wrong) == pytest.approx(0.0)
    # all right at 0.75: off by 0.25
    assert calibration_error(right) == pytest.approx(0.25)
    # two bins, weighted by size: 0.95 all wrong (1 of 4), 0.75 all right (3 of 4)
    overconfident = [Outcome("X", "SUPPORTED", "NOT_FOUND", 0.95)]
    assert calibration_error(right + overconfident) == pytest.approx((3 * 0.25 + 0.95) / 4)


def test_the_command_loads_releases_through_ingest_and_reports_both_parts(tmp_path, capsys):
    releases = tmp_path / "releases.jsonl"
    claims = tmp_path / "claims.jsonl"
    releases.write_text("\n".join(json.dumps(r) for r in RELEASES), encoding="utf-8")
    claims.write_text("\n".join(json.dumps(c) for c in CLAIMS), encoding="utf-8")
    assert main(["--releases", str(releases), "--claims", str(claims), "--errors"]) == 0
    out = capsys.readouterr().out
    assert "Loaded 2 of 2 releases through the ingest path" in out
    counts = [int(n) for n in re.findall(r"^(?:Tuning|Test) part.*\(n=(\d+)\)$", out, re.M)]
    assert len(counts) == 3 and counts[0] + counts[1] == len(CLAIMS)
    assert "CONTRADICTED answered SUPPORTED" in out and "ECE" in out
    assert "per kind" in out and "baseline" in out
