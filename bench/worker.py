"""A real web worker under load while releases arrive: freshness and memory across commits.

Both figures run against one gunicorn sync worker (`gunicorn wsgi:app`, as in production) on a
data directory, while this process ingests new releases into the same archive and index through
the path the ingester takes (`normalise_item` -> `Archive.record` -> `sync_index`, one index
commit per release). The worker notices a commit itself: on each search its thread compares the
`current` generation and the newest table of contents with what its reader was opened on
(`index.store.SearchIndex.searcher`), then builds the new generation's tables on first use.

- freshness: after warm-up searches, one release with a word found nowhere else is ingested;
  the time runs from the start of its ingest until /api/v1/search in the worker finds it
  (polled every few milliseconds). Repeated a few times; the slowest counts.
- rss: after warm-up searches and checks, K releases are ingested one commit each, with a few
  searches and a check after each; the worker's VmRSS and VmHWM (/proc/PID/status) are read
  after warm-up and after every commit. Printed: the peak, and the least-squares slope of
  VmRSS per commit.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

from archive.store import Archive, database_url_for
from bench.check_latency import messages
from bench.make_archive import Writer
from bench.search_latency import make_queries, percentile
from index.store import SearchIndex
from ingest.indexing import sync_index
from ingest.items import RawItem
from ingest.normalise import normalise_item

ROOT = Path(__file__).resolve().parent.parent
POLL_SECONDS = 0.005
FRESHNESS_LIMIT = 30.0  # give up on one release after this many seconds
START_SECONDS = 120.0


class Worker:
    """One gunicorn sync worker serving `wsgi:app` on a data directory, on a free local port."""

    def __init__(self, data: Path) -> None:
        self.data = data
        self.port = _free_port()
        env = dict(
            os.environ, SARING_DATA_DIR=str(data), SARING_CHECK_RATE_LIMIT="",
            SARING_SECRET_KEY=secrets.token_hex(32), SARING_BASE_URL=f"http://127.0.0.1:{self.port}",
        )  # fmt: skip
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.master = subprocess.Popen(
            [str(gunicorn), "--bind", f"127.0.0.1:{self.port}", "--workers", "1",
             "--timeout", "120", "--log-level", "warning", "--no-control-socket", "wsgi:app"],
            cwd=ROOT, env=env,
        )  # fmt: skip
        self.connection: http.client.HTTPConnection | None = None

    def __enter__(self) -> Worker:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.master.poll() is not None:
                raise RuntimeError(f"gunicorn stopped with code {self.master.returncode}")
            try:
                if self.get("/healthz")[0] == 200:
                    return self
            except OSError:
                self.connection = None
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer /healthz in time")

    def __exit__(self, *exc) -> None:
        self.master.terminate()
        try:
            self.master.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.master.kill()
            self.master.wait()

    @property
    def pid(self) -> int:
        """The worker process (gunicorn's only child)."""
        children = Path(f"/proc/{self.master.pid}/task/{self.master.pid}/children").read_text()
        return int(children.split()[0])

    def memory_mb(self) -> dict[str, float]:
        """The worker's VmRSS and VmHWM in MB."""
        found = {}
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                found[name] = round(int(value.split()[0]) / 1024, 1)
        return found

    def _request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, dict]:
        for attempt in range(2):  # gunicorn may close an idle keep-alive connection
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            try:
                headers = {"Content-Type": "application/json"} if body is not None else {}
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                payload = response.read()
                break
            except (http.client.HTTPException, ConnectionError):
                self.connection.close()
                self.connection = None
                if attempt:
                    raise
        try:
            return response.status, json.loads(payload or b"{}")
        except ValueError:
            return response.status, {}

    def get(self, path: str) -> tuple[int, dict]:
        """GET a path; (status, JSON body or {})."""
        return self._request("GET", path)

    def search(self, args: dict) -> int:
        """The total of /api/v1/search for these arguments (-1 on an error status)."""
        status, body = self.get("/api/v1/search?" + urlencode(args))
        return int(body.get("total", 0)) if status == 200 else -1

    def check(self, text: str) -> int:
        """POST one claim check; the status."""
        return self._request("POST", "/api/v1/check", json.dumps({"text": text}).encode())[0]


class Arrivals:
    """New releases, each with a word of its own, ingested the way the ingester stores them."""

    def __init__(self, data: Path, seed: int) -> None:
        self.archive = Archive(database_url_for(data))
        self.index = SearchIndex(data / "index")
        self.writer = Writer(seed)
        self.number = 0
        self.run_tag = secrets.token_hex(3)

    def ingest_one(self) -> str:
        """Store and index one new release (one index commit); returns its own word."""
        self.number += 1
        word = f"kodeuji{self.run_tag}x{self.number}"
        release = self.writer.release(10_000_000 + self.number)
        now = datetime.now(UTC)
        item = RawItem(
            url=f"{release.url.rstrip('/')}-{self.run_tag}/",
            title=f"{release.title} {word}",
            html=release.html,
            guid=f"{release.guid}-{self.run_tag}",
            published=(now - timedelta(minutes=5)).isoformat(),
            modified=now.isoformat(),
            categories=release.categories,
            tags=release.tags,
            author=release.author,
        )
        stored, problems = normalise_item(item, source_id=release.source_id, opd=release.opd)
        if stored is None:
            raise RuntimeError(f"the bench release did not normalise: {problems}")
        self.archive.record(stored)
        sync_index(self.archive, self.index)
        return word

    def close(self) -> None:
        """Release the archive's connections."""
        self.archive.dispose()


def warm_up(worker: Worker, searches: int, checks: int, seed: int) -> None:
    """Searches from the benchmark mix and claim checks, through HTTP."""
    for _, query in make_queries(searches, seed):
        worker.search(query.to_args())
    for _, text in messages(checks, seed):
        worker.check(text)


def freshness(data: Path, trials: int, seed: int, warmup: int = 60) -> dict:
    """Seconds from the start of a release's ingest until the warm worker's search finds it."""
    arrivals = Arrivals(data, seed)
    seconds, ingest, visible = [], [], []
    try:
        with Worker(data) as worker:
            warm_up(worker, warmup, 0, seed)
            for _ in range(trials):
                started = time.perf_counter()
                word = arrivals.ingest_one()
                committed = time.perf_counter()
                while worker.search({"q": word}) < 1:
                    if time.perf_counter() - started > FRESHNESS_LIMIT:
                        break
                    time.sleep(POLL_SECONDS)
                found = time.perf_counter()
                seconds.append(found - started)
                ingest.append(committed - started)
                visible.append(found - committed)
    finally:
        arrivals.close()
    return {
        "trials": trials,
        "max_seconds": round(max(seconds), 3),
        "median_seconds": round(sorted(seconds)[len(seconds) // 2], 3),
        "ingest_and_commit_seconds": [round(s, 3) for s in ingest],
        "commit_to_found_seconds": [round(s, 3) for s in visible],
    }


def memory(data: Path, commits: int, seed: int, warmup: int = 200) -> dict:
    """The worker's memory after warm-up and after each of `commits` index commits."""
    arrivals = Arrivals(data, seed + 1)
    queries = make_queries(commits * 5, seed + 2)
    checks = messages(commits, seed + 3)
    samples = []
    try:
        with Worker(data) as worker:
            warm_up(worker, warmup, 20, seed)
            after_warmup = worker.memory_mb()
            for number in range(commits):
                arrivals.ingest_one()
                for _, query in queries[number * 5 : number * 5 + 5]:
                    worker.search(query.to_args())
                worker.check(checks[number][1])
                samples.append(worker.memory_mb())
    finally:
        arrivals.close()
    rss = [sample["VmRSS"] for sample in samples]
    return {
        "commits": commits,
        "after_warmup_mb": after_warmup,
        "rss_mb": rss,
        "peak_mb": max([after_warmup["VmHWM"], *(sample["VmHWM"] for sample in samples)]),
        "last_rss_mb": rss[-1] if rss else after_warmup["VmRSS"],
        "slope_mb_per_commit": round(_slope(rss), 3) if len(rss) > 1 else 0.0,
        "p95_rss_mb": round(percentile(rss, 0.95), 1) if rss else None,
    }


def _slope(values: list[float]) -> float:
    """Least-squares slope of values against 1, 2, 3, ..."""
    count = len(values)
    mean_x = (count + 1) / 2
    mean_y = sum(values) / count
    numerator = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(values, start=1))
    return numerator / sum((x - mean_x) ** 2 for x in range(1, count + 1))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
