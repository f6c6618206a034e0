"""`python -m bench` end to end at a tiny size: the figures are all there and the appended
section is well formed. Timing values are never asserted (they depend on the machine)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FAST_PARTS = "build,search,engines,check,reingest"
SECTION_TITLE = re.compile(
    r"^## \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC — size 150, commit [0-9a-f]{7,}(-dirty)?$", re.M
)


def run_bench(tmp_path: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bench", "--size", "150", "--data", str(tmp_path / "archive"),
         "--only", FAST_PARTS, "--rounds", "1", "--queries", "15", "--checks", "10", *extra],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_bench_runner_prints_every_figure_and_appends_a_dated_section(tmp_path):
    results = tmp_path / "RESULTS.md"
    done = run_bench(tmp_path, "--results", str(results))
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    assert "failed" not in done.stderr
    for figure in (
        "full index build", "first round p95", "first round p99", "phrase median",
        "Saring / sqlite-fts5 at median", "Saring / sqlite-fts5 at p95", "claim check p95",
        "requests per source", "robots.txt fetches", "archive rows written", "index commits",
    ):  # fmt: skip
        assert figure in out, figure
    assert "tantivy" in out  # its ratio, or "skipped: tantivy not installed"
    assert "| error |" not in out

    text = results.read_text(encoding="utf-8")
    assert text.startswith("# Benchmark results")
    assert "python -m bench" in text.split("##", 1)[0]
    assert len(SECTION_TITLE.findall(text)) == 1
    section = text[SECTION_TITLE.search(text).start() :]
    for label in ("- Machine:", "- Load average (1/5/15 min): before", "- Versions: Python"):
        assert label in section, label
    table = [line for line in section.splitlines() if line.startswith("| ")]
    assert table[0] == "| part | figure | value | target | result |"
    assert all(line.count("|") >= 6 for line in table)
    assert re.search(r"\| (pass|FAIL) \|$", section, re.M)


def test_bench_runner_reuses_the_archive_and_no_append_writes_nothing(tmp_path):
    first = run_bench(tmp_path, "--no-append", "--only", "search")
    assert first.returncode == 0, first.stderr[-3000:]
    assert "(built now in" in first.stdout
    again = run_bench(tmp_path, "--no-append", "--only", "search")
    assert again.returncode == 0, again.stderr[-3000:]
    assert "(reused, seed 20261128)" in again.stdout
    assert "first round p95" in again.stdout
    assert not (ROOT / "bench" / "RESULTS.md").exists() or "size 150," not in (
        ROOT / "bench" / "RESULTS.md"
    ).read_text(encoding="utf-8")
