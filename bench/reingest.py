"""The cost of an ingest that finds nothing new: requests per source, robots.txt, writes, commits.

Two WordPress-shaped fixture sites (`tests.wpsite`, the demo's own texts) are served on
127.0.0.1 and listed in a sources file; `flask --app app ingest` runs twice against them on a
new data directory, each run a process of its own as cron or a systemd timer starts it. The
second run is measured: HTTP requests each site received (and how many were conditional, i.e.
carried If-None-Match or If-Modified-Since), robots.txt fetches, the rows of every archive
table that it inserted, changed or deleted (each table's rows compared before and after), and
the search index's commits (the number of its newest table of contents, and its generation).
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from index.store import CURRENT_LINK
from tests.wpsite import WordPressSite, demo_posts

ROOT = Path(__file__).resolve().parent.parent
SITES = ("demo-dinkes", "demo-dishub")
POSTS_PER_SITE = 6
_TOC = re.compile(r"^_MAIN_([0-9]+)\.toc$")  # a Whoosh commit's table of contents


def table_rows(database: Path) -> dict[str, Counter]:
    """Per table, a multiset of row digests (so a changed row shows as one out and one in)."""
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        names = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )]  # fmt: skip
        return {
            name: Counter(
                hashlib.sha1(repr(row).encode()).hexdigest()
                for row in connection.execute(f'SELECT * FROM "{name}"')
            )
            for name in names
        }
    finally:
        connection.close()


def rows_written(before: dict[str, Counter], after: dict[str, Counter]) -> dict[str, int]:
    """Rows inserted, changed or deleted per table (a changed row counts once); only nonzero."""
    written = {}
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name, Counter()), after.get(name, Counter())
        changed = max(sum((new - old).values()), sum((old - new).values()))
        if changed:
            written[name] = changed
    return written


def index_state(index_dir: Path) -> tuple[str, int]:
    """The current generation's name and its newest commit number."""
    try:
        generation = os.readlink(index_dir / CURRENT_LINK)
    except OSError:
        return "", -1
    names = os.listdir(index_dir / generation)
    return generation, max((int(m.group(1)) for m in map(_TOC.match, names) if m), default=-1)


def _ingest(env: dict) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "ingest"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    if done.returncode:
        raise RuntimeError(f"ingest failed ({done.returncode}): {done.stderr[-2000:]}")
    return time.perf_counter() - started


def _sources_file(path: Path, sites: dict[str, WordPressSite]) -> Path:
    blocks = [
        f'[[source]]\nid = "{name}"\nkind = "wordpress"\nurl = "{site.base_url}/"\n'
        f'opd = "Dinas Uji {number}"\ncategory = ["Berita"]\n'
        for number, (name, site) in enumerate(sites.items(), start=1)
    ]
    path.write_text("\n".join(blocks), encoding="utf-8")
    return path


def measure() -> dict:
    """Ingest twice; what the second, unchanged run cost."""
    with tempfile.TemporaryDirectory(prefix="saring-reingest-") as temporary:
        data = Path(temporary) / "data"
        sites = {name: WordPressSite(demo_posts(name, limit=POSTS_PER_SITE)) for name in SITES}
        for site in sites.values():
            site.__enter__()
        try:
            env = dict(
                os.environ, SARING_DATA_DIR=str(data), SARING_ALLOW_PRIVATE_HOSTS="1",
                SARING_FETCH_DELAY="0",
                SARING_SOURCES=str(_sources_file(Path(temporary) / "sources.toml", sites)),
            )  # fmt: skip
            first_seconds = _ingest(env)
            database = data / "saring.sqlite3"
            before, index_before = table_rows(database), index_state(data / "index")
            for site in sites.values():
                site.server.requests.clear()
            second_seconds = _ingest(env)
            after, index_after = table_rows(database), index_state(data / "index")
            requests = {name: _requests(site) for name, site in sites.items()}
        finally:
            for site in sites.values():
                site.__exit__(None, None, None)
    commits = index_after[1] - index_before[1] if index_after[0] == index_before[0] else "rebuilt"
    return {
        "sources": len(sites),
        "first_run_seconds": round(first_seconds, 2),
        "second_run_seconds": round(second_seconds, 2),
        "requests": requests,
        "max_requests_per_source": max(r["other"] for r in requests.values()),
        "robots_fetches": sum(r["robots"] for r in requests.values()),
        "unconditional": sum(r["other"] - r["conditional"] for r in requests.values()),
        "rows_written": rows_written(before, after),
        "index_commits": commits,
    }


def _requests(site: WordPressSite) -> dict:
    received = list(site.server.requests)
    robots = [r for r in received if r.path == "/robots.txt"]
    other = [r for r in received if r.path != "/robots.txt"]
    conditional = [
        r for r in other if "if-none-match" in r.headers or "if-modified-since" in r.headers
    ]
    return {
        "robots": len(robots),
        "other": len(other),
        "conditional": len(conditional),
        "paths": sorted({r.path for r in other}),
    }
