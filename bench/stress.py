"""Load test: Saring under gunicorn, many clients at once, while an ingest runs.

    python bench/stress.py                      # 50 clients, 60 s, on a fresh copy of the demo
    python bench/stress.py --think 0            # saturation: no pause between requests
    python bench/stress.py --clients 20 --seconds 30 --workers 2 --threads 4

What it does, all on 127.0.0.1 and bounded in time and size:

1. loads the bundled demo releases into a new data directory (or uses --data DIR as it is);
2. starts gunicorn on a free local port with that data (`wsgi:app`, a random secret key);
3. starts a WordPress-shaped fixture site (`tests/wpsite.py`) and one `flask ingest --every 5s`
   poller on it for the whole run, as a server runs ingest, while the site gains a post and has
   another edited every 5 s, so the archive and the index are written while the site is read;
4. runs --clients client threads for --seconds: each picks searches (60 %), page views
   (release pages, the home page, clarifications: 30 %) and claim checks (10 %), each client
   pausing a random --think seconds on average (2 by default) between requests, as people
   reading the answers pause; with --think 0 a closed loop, where the machine is saturated
   and latency is mostly queueing (50 clients / requests per second);
5. prints requests per second, p50/p95/p99 per kind, and every error (a status of 500 or more,
   a refused or timed-out connection).

The per-address check rate limit is switched off for the run (every client is 127.0.0.1, so the
limit would answer most checks with 429); 429s are still counted apart. Nothing here asserts a
time: targets (zero errors, search p95 under 100 ms) are read off the printout.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import resource
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from tests.wpsite import Post, WordPressSite, demo_posts  # noqa: E402

SEARCHES = [
    "banjir", "demam berdarah", "pajak daerah", "PPDB zonasi", "angkot", "vaksinasi",
    "pasar besar", "beasiswa", "sampah", "UMK 2025", "jalan rusak", "festival",
    '"Kota Malang" Dinas Kesehatan', "stunting", "parkir", "pelatihan kerja",
]  # fmt: skip
CHECKS = [
    "Tarif angkot umum di Kota Malang naik jadi Rp10 ribu mulai besok",
    "Pendaftaran PPPK 2023 di Kota Malang diperpanjang sampai 11 Oktober dengan 271 formasi.",
    "Katanya Pasar Besar Malang dibongkar total Januari 2026, sebarkan!",
    "Pemkot Malang bagi sembako gratis di Alun-alun Tugu tiap Jumat, cukup bawa KTP",
    "Banjir setinggi 50 cm merendam Jalan Soekarno Hatta tadi malam. Warga diminta mengungsi.",
]
MAX_CLIENTS = 200
INGEST_INTERVAL = 5  # seconds between the poller's passes, and between changes to the site
MAX_SECONDS = 600


@dataclass
class Tally:
    """What the clients saw, per kind of request."""

    seconds: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, dict[int, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, status: int, seconds: float) -> None:
        with self.lock:
            self.seconds[kind].append(seconds)
            self.statuses[kind][status] += 1

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _prepare_data(directory: Path) -> None:
    """The demo releases in a new data directory, through the real load path."""
    from app import create_app
    from ingest.demo import load_demo_if_empty

    app = create_app({"DATA_DIR": str(directory), "DATABASE_URL": ""})
    with app.app_context():
        load_demo_if_empty(app)
    app.extensions["saring"].archive.dispose()


def _wait_for(port: int, process: subprocess.Popen, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn stopped with code {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /healthz in time")


def _release_ids(port: int) -> list[int]:
    """Release ids to view, read through the site's own search API."""
    ids: set[int] = set()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    for query in SEARCHES[:8]:
        connection.request("GET", f"/api/v1/search?q={query.split()[0]}&per_page=20")
        body = json.loads(connection.getresponse().read() or b"{}")
        for hit in body.get("results", []):
            tail = str(hit.get("archive_url", "")).rstrip("/").rsplit("/", 1)[-1]
            if tail.isdigit():
                ids.add(int(tail))
    return sorted(ids) or [1]


def _client(
    port: int, until: float, ids: list[int], tally: Tally, seed: int, think: float
) -> None:
    """One client: a keep-alive connection, requests until `until`, pausing a random time of
    mean `think` seconds between two (0: the next request as soon as an answer arrives)."""
    from urllib.parse import quote

    rng = random.Random(seed)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while time.monotonic() < until:
        if think:
            time.sleep(min(rng.expovariate(1 / think), max(0.0, until - time.monotonic())))
        roll = rng.random()
        if roll < 0.6:
            kind, method = "search", "GET"
            path, body = f"/cari?q={quote(rng.choice(SEARCHES))}", None
        elif roll < 0.9:
            kind, method, body = "page", "GET", None
            path = rng.choice([f"/rilis/{rng.choice(ids)}"] * 3 + ["/", "/klarifikasi"])
        else:
            kind, method, path = "check", "POST", "/api/v1/check"
            body = json.dumps({"text": rng.choice(CHECKS)})
        headers = {"Content-Type": "application/json"} if body else {}
        started = time.perf_counter()
        try:
            try:
                response = _exchange(connection, method, path, body, headers)
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed the idle keep-alive connection (gunicorn does after a few
                # seconds), as a browser finds out too: it opens a new one and sends again.
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                started = time.perf_counter()
                response = _exchange(connection, method, path, body, headers)
        except (OSError, http.client.HTTPException) as exc:
            tally.error(f"{kind} {path}: {type(exc).__name__}: {exc}")
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        tally.add(kind, response.status, time.perf_counter() - started)
        if response.status >= 500:
            tally.error(f"{kind} {path}: HTTP {response.status}")
    connection.close()


def _exchange(connection, method: str, path: str, body, headers) -> http.client.HTTPResponse:
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    return response


def _ingest_loop(data: Path, until: float, log: list[str]) -> None:
    """One `flask ingest --every` poller on a local fixture site, as a server runs it, while the
    site gains a post and has another edited every few seconds; its summaries go to `log`."""
    posts = demo_posts("demo-dinkes") + demo_posts("demo-dishub")
    for number, post in enumerate(posts, start=1):
        post.id = 50_000 + number
        post.slug = f"stress-{post.slug}"
        post.paragraphs.append(f"Salinan uji beban nomor {number}.")  # not a duplicate
    env = dict(os.environ, SARING_DATA_DIR=str(data), SARING_ALLOW_PRIVATE_HOSTS="1",
               SARING_FETCH_DELAY="0", PYTHONUNBUFFERED="1")  # fmt: skip  (summaries survive)
    with WordPressSite(posts, feed_size=20) as site, tempfile.TemporaryDirectory() as tmp:
        sources = Path(tmp) / "sources.toml"
        sources.write_text(
            f'[[source]]\nid = "stress"\nkind = "wordpress"\nurl = "{site.base_url}/"\n'
            f'opd = "Dinas Kesehatan"\ninterval = "{INGEST_INTERVAL}s"\n'
            f'edit_check = "{INGEST_INTERVAL}s"\n',
            encoding="utf-8",
        )
        poller = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "app", "ingest", "--backfill",
             "--every", f"{INGEST_INTERVAL}s", "--sources", str(sources)],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        changes = 0
        try:
            while time.monotonic() < until and poller.poll() is None:
                time.sleep(min(INGEST_INTERVAL, max(0.0, until - time.monotonic())))
                changes += 1
                now = datetime.now(UTC)
                edited = posts[changes % len(posts)]
                site.edit(edited, paragraph=0, text=f"{edited.paragraphs[0]} (ralat {changes})",
                          at=now)  # fmt: skip
                site.add(Post(id=60_000 + changes, slug=f"stress-baru-{changes}",
                              title=f"Rilis uji beban nomor {changes}",
                              paragraphs=[f"Rilis uji beban ke-{changes} untuk pengukuran."],
                              date=now - timedelta(minutes=1), modified=now))  # fmt: skip
        finally:
            poller.terminate()
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            output, _ = poller.communicate(timeout=60)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        log.append(f"poller exit {poller.returncode}, {cpu:.1f} s of CPU; the site changed "
                   f"{changes} times")  # fmt: skip
        log.extend(line for line in output.splitlines() if line.startswith("stress"))
        log.extend(line for line in output.splitlines() if "Traceback" in line or "Error" in line)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker")
    parser.add_argument("--data", type=Path, help="an existing data directory (it is written)")
    parser.add_argument("--no-ingest", action="store_true", help="leave the ingest out")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--think", type=float, default=2.0,
                        help="mean pause of a client between requests, in seconds (0: none)")
    args = parser.parse_args(argv)
    clients = max(1, min(args.clients, MAX_CLIENTS))
    seconds = max(1.0, min(args.seconds, MAX_SECONDS))

    scratch = Path(tempfile.mkdtemp(prefix="saring-stress-"))
    data = args.data or scratch / "data"
    try:
        if args.data is None:
            print("loading the demo releases ...", flush=True)
            _prepare_data(data)
        port = _free_port()
        env = dict(os.environ, SARING_DATA_DIR=str(data), SARING_CHECK_RATE_LIMIT="",
                   SARING_SECRET_KEY=secrets.token_hex(32),
                   SARING_BASE_URL=f"http://127.0.0.1:{port}")  # fmt: skip
        gunicorn = Path(sys.executable).with_name("gunicorn")
        server = subprocess.Popen(
            [str(gunicorn), "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
             "--threads", str(args.threads), "--timeout", "60", "--log-level", "warning",
             "--no-control-socket", "wsgi:app"],
            cwd=ROOT, env=env,
        )  # fmt: skip
        try:
            _wait_for(port, server)
            ids = _release_ids(port)
            tally, ingest_log = Tally(), []
            started = time.monotonic()
            until = started + seconds
            threads = [
                threading.Thread(
                    target=_client, args=(port, until, ids, tally, args.seed + i, args.think)
                )
                for i in range(clients)
            ]
            if not args.no_ingest:
                ingest = threading.Thread(target=_ingest_loop, args=(data, until, ingest_log))
                threads.append(ingest)
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.monotonic() - started
        finally:
            server.terminate()
            server.wait(timeout=30)
        _report(tally, ingest_log, elapsed, clients, args)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _report(tally: Tally, ingest_log: list[str], elapsed: float, clients: int, args) -> None:
    total = sum(len(v) for v in tally.seconds.values())
    print(f"\n{clients} clients for {elapsed:.0f} s, think time {args.think:g} s; gunicorn "
          f"{args.workers} workers x {args.threads} threads; ingest "
          f"{'off' if args.no_ingest else 'on'}")  # fmt: skip
    print(f"requests: {total}  ({total / elapsed:.1f} per second)  errors: {len(tally.errors)}")
    print(f"{'kind':<8}{'n':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}  statuses")
    for kind in ("search", "page", "check"):
        values = tally.seconds.get(kind, [])
        if not values:
            continue
        ms = [v * 1000 for v in values]
        statuses = " ".join(f"{k}:{v}" for k, v in sorted(tally.statuses[kind].items()))
        print(f"{kind:<8}{len(ms):>7}{statistics.median(ms):>9.0f}{_percentile(ms, 0.95):>9.0f}"
              f"{_percentile(ms, 0.99):>9.0f}{max(ms):>9.0f}  {statuses}")  # fmt: skip
    for line in tally.errors[:20]:
        print("error:", line)
    for line in ingest_log:
        print("ingest", line)


if __name__ == "__main__":
    main()
