"""The figures of a `python -m bench` run against issue 12's targets: a table and a dated section.

The targets are stated for 2 cores and 100,000 releases with facets and highlights on; a run
at another size is judged against them all the same, and its section says the size.
"""

from __future__ import annotations

import os
import platform
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from importlib import metadata
from pathlib import Path

LIBRARIES = ("whoosh-reloaded", "flask", "sqlalchemy", "pysastrawi", "gunicorn", "tantivy")
HEADER = """# Benchmark results

Each section below was appended by one run of `python -m bench` (bench/__main__.py; README,
"Benchmarks in one command"): the archive size, the machine and its load, library versions, every
figure beside its target from issue 12 (2 cores, 100,000 releases, facets and highlights on), and
Saring's search time as a ratio of tantivy's and SQLite FTS5's on the same documents and queries
in the same process. Sections are never edited afterwards; compare runs on the same machine.
"""


@dataclass
class Row:
    """One printed figure."""

    part: str
    figure: str
    value: str
    target: str = ""
    passed: bool | None = None

    @property
    def verdict(self) -> str:
        """pass, FAIL, or blank when the figure has no target."""
        return "" if self.passed is None else ("pass" if self.passed else "FAIL")


def _ms(value: float) -> str:
    return f"{value:.1f} ms"


def _at_most(value: float, limit: float) -> bool:
    return value <= limit


def rows(results: dict) -> list[Row]:
    """Every figure of the parts that ran, in the order of the table."""
    made: list[Row] = []
    for part, builder in BUILDERS.items():
        result = results.get(part)
        if result is None:
            continue
        if "error" in result:
            made.append(Row(part, "error", result["error"].splitlines()[-1][:120], "", False))
            continue
        made.extend(builder(result))
    return made


def _search(r: dict) -> list[Row]:
    first, every, kinds = r["first_round"], r["all_rounds"], r["kinds"]
    made = [
        Row("search", "first search (fresh process)", _ms(r["first_search_ms"])),
        Row("search", "first round median", _ms(first["median_ms"])),
        Row("search", "first round p95", _ms(first["p95_ms"]), "≤ 20 ms",
            _at_most(first["p95_ms"], 20)),
        Row("search", "first round p99", _ms(first["p99_ms"]), "≤ 40 ms",
            _at_most(first["p99_ms"], 40)),
    ]  # fmt: skip
    for kind in ("phrase", "or"):
        if kind in kinds:
            made.append(Row(
                "search", f"{kind} median, all rounds (n={kinds[kind]['n']})",
                _ms(kinds[kind]["median_ms"]), "≤ 15 ms", _at_most(kinds[kind]["median_ms"], 15),
            ))  # fmt: skip
    made.append(Row(
        "search", f"all {r['rounds']} rounds median / p95 / p99",
        f"{every['median_ms']:.1f} / {every['p95_ms']:.1f} / {every['p99_ms']:.1f} ms",
    ))  # fmt: skip
    others = ", ".join(
        f"{kind} {row['median_ms']:.1f}"
        for kind, row in kinds.items()
        if kind not in ("phrase", "or")
    )
    made.append(Row("search", "other kinds, median ms", others))
    return made


def _engines(r: dict) -> list[Row]:
    made = []
    saring = r["engines"]["saring"]
    for name, engine in r["engines"].items():
        if name == "saring":
            continue
        for figure in ("median_ms", "p95_ms"):
            ratio = saring[figure] / max(engine[figure], 0.001)
            limited = name == "tantivy"
            made.append(Row(
                "engines", f"Saring / {name} at {figure.split('_')[0]}",
                f"{ratio:.1f}× ({saring[figure]:.1f} vs {engine[figure]:.2f} ms)",
                "≤ 4×" if limited else "", _at_most(ratio, 4) if limited else None,
            ))  # fmt: skip
    for name, why in r.get("skipped", {}).items():
        made.append(Row("engines", name, why))
    return made


def _build(r: dict) -> list[Row]:
    how = "by make_archive now" if r.get("measured") == "make_archive" else "rebuilt from archive"
    seconds = r["index_seconds"]
    figure = f"full index build ({how}, {r['documents']:,} docs)"
    return [Row("build", figure, f"{seconds:.1f} s", "≤ 300 s", _at_most(seconds, 300))]


def _freshness(r: dict) -> list[Row]:
    return [
        Row("freshness", f"ingest → found in warm worker, worst of {r['trials']}",
            f"{r['max_seconds']:.3f} s", "≤ 2 s", _at_most(r["max_seconds"], 2)),
        Row("freshness", "of which store + index commit",
            " / ".join(f"{s:.3f}" for s in r["ingest_and_commit_seconds"]) + " s"),
    ]  # fmt: skip


def _rss(r: dict) -> list[Row]:
    growth = r["slope_mb_per_commit"] * r["commits"]
    return [
        Row("rss", "worker VmRSS after warm-up", f"{r['after_warmup_mb']['VmRSS']:.1f} MB"),
        Row("rss", f"worker peak (VmHWM) over {r['commits']} commits", f"{r['peak_mb']:.1f} MB",
            "≤ 300 MB", _at_most(r["peak_mb"], 300)),
        Row("rss", "VmRSS slope per commit",
            f"{r['slope_mb_per_commit']:+.3f} MB (×{r['commits']} = {growth:+.1f} MB)",
            "flat: ≤ 10 MB over the commits", _at_most(growth, 10)),
    ]  # fmt: skip


def _check(r: dict) -> list[Row]:
    return [
        Row("check", f"claim check p95 (n={r['checks']})", _ms(r["p95_ms"]), "≤ 150 ms",
            _at_most(r["p95_ms"], 150)),
        Row("check", "median / p99 / cold", f"{r['median_ms']:.1f} / {r['p99_ms']:.1f} / "
            f"{r['cold_ms']:.1f} ms"),
    ]  # fmt: skip


def _reingest(r: dict) -> list[Row]:
    written = ", ".join(f"{table} {n}" for table, n in r["rows_written"].items()) or "none"
    return [
        Row("reingest", f"requests per source, 2nd run ({r['sources']} sources)",
            f"{r['max_requests_per_source']} ({r['unconditional']} unconditional)",
            "1, conditional", r["max_requests_per_source"] <= 1 and r["unconditional"] == 0),
        Row("reingest", "robots.txt fetches, 2nd run (minutes after the 1st)",
            str(r["robots_fetches"]), "0 (once a day)", r["robots_fetches"] == 0),
        Row("reingest", "archive rows written, 2nd run", written, "0",
            not r["rows_written"]),
        Row("reingest", "index commits, 2nd run", str(r["index_commits"]), "0",
            r["index_commits"] == 0),
    ]  # fmt: skip


BUILDERS: dict[str, Callable[[dict], list[Row]]] = {
    "build": _build,
    "search": _search,
    "engines": _engines,
    "check": _check,
    "freshness": _freshness,
    "rss": _rss,
    "reingest": _reingest,
}


def table(made: list[Row]) -> str:
    """The rows as a Markdown table (also readable on a terminal)."""
    lines = ["| part | figure | value | target | result |", "|---|---|---|---|---|"]
    lines += [f"| {r.part} | {r.figure} | {r.value} | {r.target} | {r.verdict} |" for r in made]
    return "\n".join(lines)


def engines_table(result: dict) -> str:
    """Per engine: times, Saring's ratio to it, hits and build time."""
    saring = result["engines"]["saring"]
    lines = [
        "| engine | version | median ms | p95 ms | p99 ms | Saring ÷ engine (median / p95) "
        "| mean total hits | index build s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, e in result["engines"].items():
        ratio = (
            "" if name == "saring" else
            f"{saring['median_ms'] / max(e['median_ms'], 0.001):.1f}× / "
            f"{saring['p95_ms'] / max(e['p95_ms'], 0.001):.1f}×"
        )  # fmt: skip
        build = "" if e["build_seconds"] is None else f"{e['build_seconds']:.1f}"
        lines.append(
            f"| {name} | {e['version']} | {e['median_ms']:.2f} | {e['p95_ms']:.2f} | "
            f"{e['p99_ms']:.2f} | {ratio} | {e['mean_total']} | {build} |"
        )
    return "\n".join(lines)


def machine() -> dict[str, str]:
    """CPU model, cores and memory of this machine."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        kib = next(
            int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal:")
        )  # fmt: skip
        memory = f"{kib / 1024 / 1024:.1f} GB"
    except (OSError, StopIteration, ValueError):
        memory = "unknown"
    return {"cpu": model, "cores": str(os.cpu_count()), "memory": memory}


def versions() -> str:
    """Python, SQLite and the libraries the figures depend on."""
    found = [f"Python {platform.python_version()}", f"SQLite {sqlite3.sqlite_version}"]
    for name in LIBRARIES:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} not installed")
    return ", ".join(found)


def section(run: dict, made: list[Row], results: dict) -> str:
    """The dated Markdown section of one run."""
    started: datetime = run["started"]
    host = machine()
    load = run["load_before"], run["load_after"]
    lines = [
        f"## {started:%Y-%m-%d %H:%M} UTC — size {run['size']:,}, commit {run['commit']}",
        "",
        f"- Command: `{run['command']}`",
        f"- Machine: {host['cpu']}, {host['cores']} cores, {host['memory']} RAM",
        f"- Load average (1/5/15 min): before {_load(load[0])}, after {_load(load[1])}",
        f"- Versions: {versions()}",
        f"- Archive: {run['archive']}",
        f"- Parts: {', '.join(run['parts'])}; wall time {run['seconds']:.0f} s",
        "",
        table(made),
    ]  # fmt: skip
    engines = results.get("engines")
    if engines and "error" not in engines:
        lines += [
            "",
            f"Reference engines: {engines['documents']:,} documents, {engines['queries']} "
            f"queries in {engines['rounds']} interleaved rounds, facets (OPD, category, month) "
            "and highlighted snippets on every engine.",
            "",
            engines_table(engines),
        ]
    return "\n".join(lines) + "\n"


def _load(values: tuple[float, float, float]) -> str:
    return " ".join(f"{value:.2f}" for value in values)


def append(path: Path, text: str) -> None:
    """Append a section to the results file, creating it with its header."""
    if not path.exists():
        path.write_text(HEADER, encoding="utf-8")
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\n" + text)
