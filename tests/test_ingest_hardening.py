"""Hostile sources (issue 9): headers sent slowly, links to other ports of an allowed host.

Everything runs against real HTTP servers on 127.0.0.1, a real SQLite archive and a real Whoosh
index; fixtures are under tests/fixtures/hostile/, one file per case.
"""

from __future__ import annotations

import socket
import threading
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.fetch import Fetcher, FetchTimeout
from ingest.pipeline import Ingester
from tests.hostile import fixture, local_fetcher, source_entry, write_sources
from tests.localserver import LocalServer, Request, Response


@pytest.fixture
def services(app):
    return app.extensions["saring"]


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        yield running


# -- defect 5: a source that sends its headers slowly ------------------------------------------


def slow_headers(request: Request) -> Response:
    """Status line and headers at one byte per 50 ms (about 8 s in all), then a tiny body."""
    return Response(body="<rss/>", content_type="application/rss+xml", header_delay=0.05)


def test_headers_dribbled_byte_by_byte_hit_the_total_limit(server: LocalServer) -> None:
    server.route("/feed/", slow_headers)
    fetcher = local_fetcher(server, timeout=0.5, total_timeout=1.0, respect_robots=False)
    started = time.monotonic()
    with pytest.raises(FetchTimeout) as caught:
        fetcher.get(server.url("/feed/"))
    elapsed = time.monotonic() - started
    assert elapsed < 2.0, f"a 1 s limit held the fetch for {elapsed:.1f} s"
    message = str(caught.value)
    assert server.url("/feed/") in message
    assert "total limit of 1 s" in message


def test_total_limit_covers_every_redirect_hop(server: LocalServer) -> None:
    # Each hop dribbles for less than the limit; together they must not exceed it.
    def hop(request: Request) -> Response:
        number = int(request.path.strip("/").rsplit("-", 1)[1])
        return Response(status=302, headers={"Location": f"/hop-{number + 1}/"}, header_delay=0.03)

    for number in range(6):
        server.route(f"/hop-{number}/", hop)
    fetcher = local_fetcher(server, timeout=0.5, total_timeout=1.5, respect_robots=False)
    started = time.monotonic()
    with pytest.raises(FetchTimeout):
        fetcher.get(server.url("/hop-0/"))
    assert time.monotonic() - started < 3.0


def test_tls_handshake_dribbled_byte_by_byte_hits_the_total_limit() -> None:
    # A raw TCP server that starts a TLS record and then sends one byte of it every 50 ms.
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    stop = threading.Event()

    def dribble() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.recv(4096)  # the ClientHello
            try:
                connection.sendall(b"\x16\x03\x03\x01\x00")  # handshake record of 256 bytes
                while not stop.is_set():
                    connection.sendall(b"\x02")
                    time.sleep(0.05)
            except OSError:
                return  # the fetcher hung up, as it should

    thread = threading.Thread(target=dribble, daemon=True)
    thread.start()
    fetcher = Fetcher(
        [f"127.0.0.1:{port}"],
        allow_private=True,
        delay=0,
        respect_robots=False,
        timeout=0.5,
        total_timeout=1.0,
    )
    started = time.monotonic()
    try:
        with pytest.raises(FetchTimeout):
            fetcher.get(f"https://127.0.0.1:{port}/feed/")
        assert time.monotonic() - started < 2.0
    finally:
        stop.set()
        listener.close()
        thread.join(timeout=2)


def test_slow_header_source_fails_alone_and_ingest_carries_on(
    app, services, server: LocalServer, tmp_path: Path
) -> None:
    with LocalServer() as good:
        server.route("/feed/", slow_headers)
        good.static(
            "/feed/",
            fixture("rss_item_other_port.xml", good.base_url).replace("{other}", good.base_url),
            content_type="application/rss+xml",
        )
        good.static(
            "/rahasia/", "<article><h1>Rahasia</h1><p>Isi yang cukup panjang.</p></article>"
        )
        sources = write_sources(
            tmp_path / "s.toml",
            [
                source_entry("lambat", "feed", server.url("/feed/")),
                source_entry("baik", "feed", good.url("/feed/")),
            ],
        )
        fetcher = Fetcher(
            [server.netloc, good.netloc], allow_private=True, delay=0, timeout=0.5,
            total_timeout=1.0,
        )  # fmt: skip
        ingester = Ingester(services.archive, services.index, fetcher)
        started = time.monotonic()
        slow, fine = ingester.run(sources)
        assert time.monotonic() - started < 4.0
    assert slow.error and "total limit" in slow.error and server.url("/feed/") in slow.error
    assert fine.error is None and fine.new == 2
    health = services.archive.source_health()
    assert health["lambat"]["last_error"] and "total limit" in health["lambat"]["last_error"]
    assert health["baik"]["last_success"] is not None


# -- defect 10c: a feed item must not reach another port of an allowed host --------------------


def test_item_link_to_another_port_on_the_source_host_is_refused(
    app, services, server: LocalServer, tmp_path: Path
) -> None:
    with LocalServer() as other_port:
        other_port.static("/rahasia/", "<p>layanan internal</p>")
        feed = fixture("rss_item_other_port.xml", server.base_url).replace(
            "{other}", other_port.base_url
        )
        server.static("/feed/", feed, content_type="application/rss+xml")
        server.static("/rilis/sah/", "<article><h1>Rilis sah</h1><p>Isi rilis.</p></article>")
        sources = write_sources(
            tmp_path / "s.toml", [source_entry("dinas", "feed", server.url("/feed/"))]
        )
        fetcher = Fetcher(
            [s.allowed_host for s in sources], allow_private=True, delay=0, timeout=2.0
        )
        report = Ingester(services.archive, services.index, fetcher).run(sources)[0]
        assert other_port.requests == []
    assert report.error is None
    assert report.new == 1, report.problems
    assert any(
        other_port.url("/rahasia/") in p and "not on an allowed" in p for p in report.problems
    )
    assert [r.url for r in services.archive.iter_releases()] == [server.url("/rilis/sah/")]


# -- defect 6 (memory): a page of five megabytes of tiny tags ----------------------------------


def test_page_of_tiny_tags_is_read_in_bounded_memory(
    app, services, server: LocalServer, tmp_path: Path
) -> None:
    # 5 MB of "<p>kata</p>": some 450,000 elements. Parsed whole (twice: article extraction,
    # then paragraphs) it grew trees of about 700 MB and took a minute per page.
    body = "<p>Warga Kelurahan Contoh bergotong royong membersihkan saluran air.</p>"
    body += "<p>kata</p>" * (4_900_000 // 11)
    server.static("/rilis/berat/", f"<html><body><article><h1>Rilis berat</h1>{body}</article>")
    server.static(
        "/feed/", fixture("rss_item_heavy_page.xml", server.base_url), "application/rss+xml"
    )
    sources = write_sources(
        tmp_path / "s.toml", [source_entry("berat", "feed", server.url("/feed/"))]
    )
    ingester = Ingester(services.archive, services.index, local_fetcher(server))
    tracemalloc.start()
    try:
        report = ingester.run(sources)[0]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.error is None and report.new == 1, report.problems
    assert any("20,000 tags" in p for p in report.problems)
    assert peak < 250_000_000, f"peak of {peak / 1e6:.0f} MB of Python objects for one page"
    (release,) = services.archive.iter_releases()
    assert release.current.paragraphs[0].startswith("Warga Kelurahan Contoh")
