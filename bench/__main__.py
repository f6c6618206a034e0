"""`python -m bench`: every figure of issue 12 in one command, appended to bench/RESULTS.md.

    python -m bench                                  # 100,000 releases, all parts (long)
    python -m bench --size 3000 --no-append          # a quick look; nothing written
    python -m bench --size 3000 --only search,engines --rounds 2

It reuses the archive in --data when that directory was built for the same size and seed
(its build.json), else builds it with bench/make_archive.py and counts that index build as the
"build" figure. Then each part runs in a fresh process (bench/parts.py): build (a full index
rebuild when the archive was reused), search, engines, check, freshness, rss, reingest. The
freshness and rss parts write new releases, so they run on a scratch copy of the archive (the
database copied, the index's files hard-linked: Whoosh never rewrites a file it has written),
removed afterwards. A failing part is reported as an error and the others still run.

The table is printed; unless --no-append, a dated section with the machine, its load average
before and after, the versions, every figure against its target and the ratios to tantivy and
SQLite FTS5 is appended to --results (bench/RESULTS.md).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import make_archive, report  # noqa: E402

PARTS = ("build", "search", "engines", "check", "freshness", "rss", "reingest")
WRITING_PARTS = ("freshness", "rss")  # these run on a scratch copy of the archive
DEFAULT_SEED = 20261128


def size_label(size: int) -> str:
    """100000 -> "100k", 3000 -> "3k", 250 -> "250"."""
    return f"{size // 1000}k" if size >= 1000 and size % 1000 == 0 else str(size)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line, with --only checked against the known parts."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=100_000, help="releases in the archive")
    parser.add_argument("--data", type=Path, help="archive dir (default bench/out/archive-SIZE)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="archive seed")
    parser.add_argument("--only", default=",".join(PARTS), help="comma-separated parts to run")
    parser.add_argument("--rounds", type=int, default=3, help="search and engine rounds")
    parser.add_argument("--queries", type=int, default=300, help="queries per round")
    parser.add_argument("--checks", type=int, default=300, help="timed claim checks")
    parser.add_argument("--commits", type=int, default=50, help="index commits in the rss part")
    parser.add_argument("--freshness-trials", type=int, default=3)
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "RESULTS.md")
    parser.add_argument("--no-append", action="store_true", help="print only")
    args = parser.parse_args(argv)
    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = sorted(set(parts) - set(PARTS))
    if unknown or not parts:
        parser.error(f"--only takes some of {', '.join(PARTS)}; unknown: {', '.join(unknown)}")
    if min(args.size, args.rounds, args.queries, args.checks, args.commits) < 1:
        parser.error("--size, --rounds, --queries, --checks and --commits must be at least 1")
    args.parts = [p for p in PARTS if p in parts]
    args.data = args.data or ROOT / "bench" / "out" / f"archive-{size_label(args.size)}"
    return args


def prepare_archive(data: Path, size: int, seed: int) -> tuple[str, dict | None]:
    """Reuse a matching archive or build one; (description, the build's timings or None)."""
    build_file = data / "build.json"
    if build_file.exists() and (data / "saring.sqlite3").exists() and (data / "index").exists():
        built = json.loads(build_file.read_text("utf-8"))
        if built.get("count") == size and built.get("seed") == seed:
            return f"{data} (reused, seed {seed})", None
    print(f"building a {size:,}-release archive in {data} ...", flush=True)
    timings = make_archive.build(data, size, seed, skip_index=False, force=True)
    build_file.write_text(json.dumps(timings, indent=1) + "\n", encoding="utf-8")
    return f"{data} (built now in {timings['archive_seconds'] + timings['index_seconds']:.0f} s, "\
        f"seed {seed})", timings  # fmt: skip


def scratch_copy(data: Path) -> Path:
    """A writable copy of the archive: the database copied, the index files hard-linked."""
    work = data.parent / f"{data.name}.scratch"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    for database in data.glob("saring.sqlite3*"):
        shutil.copy2(database, work / database.name)
    shutil.copytree(data / "index", work / "index", symlinks=True, copy_function=os.link)
    return work


def run_part(name: str, options: dict) -> dict:
    """Run one part in its own process; its result, or {"error": ...}."""
    print(f"[{datetime.now(UTC):%H:%M:%S}] {name} ...", flush=True)
    done = subprocess.run(
        [sys.executable, "-m", "bench.parts", name, json.dumps(options)],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode or not lines:
        error = (done.stderr.strip() or done.stdout.strip() or "no output")[-2000:]
        print(f"  {name} failed:\n{error}", file=sys.stderr, flush=True)
        return {"error": error}
    return json.loads(lines[-1][len("RESULT ") :])


def commit_id() -> str:
    """The short commit of the working tree, with -dirty when it has changes."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT, capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip
    except OSError:
        return "unknown"
    return (commit or "unknown") + ("-dirty" if dirty else "")


def main(argv: list[str] | None = None) -> dict:
    """Run the chosen parts, print the table and append the section; returns the results."""
    args = parse_args(argv)
    started, load_before, clock = datetime.now(UTC), os.getloadavg(), time.perf_counter()
    archive, timings = prepare_archive(args.data, args.size, args.seed)
    options = {
        "data": str(args.data), "rounds": args.rounds, "queries": args.queries,
        "checks": args.checks, "commits": args.commits,
        "freshness_trials": args.freshness_trials,
    }  # fmt: skip
    results: dict[str, dict] = {}
    work = None
    try:
        for name in args.parts:
            if name == "build" and timings is not None:
                results[name] = {
                    "documents": timings["releases"], "index_seconds": timings["index_seconds"],
                    "measured": "make_archive",
                }  # fmt: skip
                continue
            if name in WRITING_PARTS and work is None:
                work = scratch_copy(args.data)
            results[name] = run_part(name, {**options, "work": str(work)})
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
    run = {
        "started": started, "size": args.size, "commit": commit_id(), "archive": archive,
        "parts": args.parts, "load_before": load_before, "load_after": os.getloadavg(),
        "seconds": time.perf_counter() - clock,
        "command": "python -m bench " + shlex.join(argv if argv is not None else sys.argv[1:]),
    }  # fmt: skip
    made = report.rows(results)
    text = report.section(run, made, results)
    print("\n" + text, flush=True)
    if not args.no_append:
        report.append(args.results, text)
        print(f"appended to {args.results}")
    return results


if __name__ == "__main__":
    main()
