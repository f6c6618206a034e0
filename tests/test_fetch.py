"""Tests of ingest.fetch against a real HTTP server on 127.0.0.1 (no other network)."""

from __future__ import annotations

import gzip
import socket
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator

import pytest

from ingest import fetch
from ingest.fetch import (
    DEFAULT_USER_AGENT,
    BlockedURL,
    Fetched,
    Fetcher,
    FetchError,
    FetchTimeout,
    MemoryValidators,
    RobotsDisallowed,
    TooLarge,
)
from tests.localserver import LocalServer, Request, Response
from tests.resolver import ResolverSpy

MB = 1_000_000


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        yield running


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    """50 MB of zeros, gzipped to about 50 KB."""
    return gzip.compress(bytes(50 * MB), compresslevel=9)


def make_fetcher(server: LocalServer, **options: object) -> Fetcher:
    """A fetcher allowed to reach the local server, with no politeness wait and no robots.txt."""
    settings: dict[str, object] = {
        "allow_private": True,
        "delay": 0,
        "respect_robots": False,
        "timeout": 2.0,
    }
    settings.update(options)
    return Fetcher([server.netloc], **settings)  # type: ignore[arg-type]


# -- plain answers ---------------------------------------------------------------------------


def test_get_returns_status_body_and_lowercased_headers(server: LocalServer) -> None:
    server.static(
        "/siaran-pers/",
        "<h1>Siaran pers</h1>",
        content_type="text/html; charset=UTF-8",
        headers={"X-Saring-Test": "yes"},
    )
    fetched = make_fetcher(server).get(server.url("/siaran-pers/"))
    assert fetched.status == 200
    assert fetched.url == server.url("/siaran-pers/")
    assert fetched.body == b"<h1>Siaran pers</h1>"
    assert fetched.headers["x-saring-test"] == "yes"
    assert fetched.content_type == "text/html"
    assert fetched.charset == "utf-8"
    assert not fetched.not_modified


def test_request_carries_honest_user_agent_and_encodings(server: LocalServer) -> None:
    server.static("/", "ok")
    make_fetcher(server).get(server.url("/"))
    sent = server.requests[0].headers
    assert sent["user-agent"] == DEFAULT_USER_AGENT
    assert sent["accept-encoding"] == "gzip, deflate"
    assert sent["host"] == server.netloc


def test_error_status_is_returned_not_raised(server: LocalServer) -> None:
    server.static("/gone", "gone", status=410)
    fetcher = make_fetcher(server)
    missing = fetcher.get(server.url("/nowhere"))
    gone = fetcher.get(server.url("/gone"))
    assert (missing.status, gone.status) == (404, 410)
    assert gone.body == b"gone"


def test_query_string_reaches_server(server: LocalServer) -> None:
    server.static("/wp-json/wp/v2/posts", "[]", content_type="application/json")
    make_fetcher(server).get(server.url("/wp-json/wp/v2/posts?page=2&per_page=50"))
    assert server.requests[0].query == {"page": "2", "per_page": "50"}


@pytest.mark.parametrize(
    ("content_type", "media_type", "charset"),
    [
        ('application/rss+xml; charset="ISO-8859-1"', "application/rss+xml", "iso-8859-1"),
        ("TEXT/XML", "text/xml", None),
        ("", "", None),
    ],
)
def test_fetched_reads_content_type_parameters(
    content_type: str, media_type: str, charset: str | None
) -> None:
    fetched = Fetched("http://malangkota.go.id/", 200, {"content-type": content_type}, b"")
    assert fetched.content_type == media_type
    assert fetched.charset == charset


# -- compression and size caps ---------------------------------------------------------------

PAGE = ("Pemerintah Kota Malang menyampaikan klarifikasi. " * 200).encode()


@pytest.mark.parametrize(
    ("encoding", "encode"),
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),  # zlib-wrapped, as the RFC says
        ("deflate", lambda data: zlib.compress(data, wbits=-zlib.MAX_WBITS)),  # raw, as IIS sends
    ],
    ids=["gzip", "deflate-zlib", "deflate-raw"],
)
def test_compressed_body_is_decoded(
    server: LocalServer, encoding: str, encode: Callable[[bytes], bytes]
) -> None:
    server.static("/page", encode(PAGE), headers={"Content-Encoding": encoding})
    assert make_fetcher(server).get(server.url("/page")).body == PAGE


def test_gzip_bomb_raises_too_large_without_inflating_it(
    server: LocalServer, gzip_bomb: bytes
) -> None:
    server.static("/bomb", gzip_bomb, headers={"Content-Encoding": "gzip"})
    fetcher = make_fetcher(server, max_bytes=1 * MB)
    tracemalloc.start()
    try:
        with pytest.raises(TooLarge) as caught:
            fetcher.get(server.url("/bomb"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert server.url("/bomb") in str(caught.value)
    assert peak < 8 * MB  # the full 50 MB was never held


def test_compressed_bytes_count_against_cap_even_when_they_decode_to_little(
    server: LocalServer,
) -> None:
    # A valid gzip stream padded with 1.1 MB of empty deflate blocks: it decodes to one byte.
    packer = zlib.compressobj(wbits=16 + zlib.MAX_WBITS)
    head = packer.compress(b"x") + packer.flush(zlib.Z_SYNC_FLUSH)
    padded = head + b"\x00\x00\x00\xff\xff" * 220_000 + packer.flush()
    assert gzip.decompress(padded) == b"x"
    # streamed, so no Content-Length gives the size away up front
    server.route(
        "/padded",
        lambda request: Response(body=iter([padded]), headers={"Content-Encoding": "gzip"}),
    )
    with pytest.raises(TooLarge):
        make_fetcher(server, max_bytes=1 * MB).get(server.url("/padded"))


def test_truncated_gzip_body_is_an_error(server: LocalServer) -> None:
    server.static("/cut", gzip.compress(PAGE)[:-20], headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchError, match="ended before"):
        make_fetcher(server).get(server.url("/cut"))


def test_declared_length_over_cap_is_refused_before_reading(server: LocalServer) -> None:
    # The server promises a gigabyte and sends nothing: only an early refusal can be quick.
    server.static("/huge", b"", headers={"Content-Length": str(1000 * MB)})
    fetcher = make_fetcher(server, max_bytes=1 * MB, timeout=1.0)
    started = time.monotonic()
    with pytest.raises(TooLarge):
        fetcher.get(server.url("/huge"))
    assert time.monotonic() - started < 0.9


def test_unknown_length_body_over_cap_raises_too_large(server: LocalServer) -> None:
    chunk = b"x" * 100_000
    server.route("/stream", lambda request: Response(body=(chunk for _ in range(30))))
    with pytest.raises(TooLarge):
        make_fetcher(server, max_bytes=1 * MB).get(server.url("/stream"))


def test_body_of_exactly_max_bytes_is_accepted(server: LocalServer) -> None:
    server.static("/exact", b"y" * 1000)
    server.route("/one-more", lambda request: Response(body=iter([b"y" * 1001])))
    fetcher = make_fetcher(server, max_bytes=1000)
    assert len(fetcher.get(server.url("/exact")).body) == 1000
    with pytest.raises(TooLarge):
        fetcher.get(server.url("/one-more"))


def test_body_cut_short_of_its_content_length_is_an_error(server: LocalServer) -> None:
    server.static("/short", b"0123456789", headers={"Content-Length": "100"})
    with pytest.raises(FetchError, match="whole body") as caught:
        make_fetcher(server).get(server.url("/short"))
    assert not isinstance(caught.value, FetchTimeout)


# -- time limits -----------------------------------------------------------------------------


def test_server_too_slow_to_answer_raises_fetch_timeout(server: LocalServer) -> None:
    def stall(request: Request) -> Response:
        time.sleep(2.0)
        return Response(body="too late")

    server.route("/slow", stall)
    started = time.monotonic()
    with pytest.raises(FetchTimeout) as caught:
        make_fetcher(server, timeout=0.5).get(server.url("/slow"))
    assert time.monotonic() - started < 1.5
    assert server.url("/slow") in str(caught.value)


def test_slow_drip_body_hits_overall_deadline(server: LocalServer) -> None:
    def drip() -> Iterator[bytes]:
        for _ in range(100):  # one byte every 0.1 s: no single read ever times out
            time.sleep(0.1)
            yield b"."

    server.route("/drip", lambda request: Response(body=drip()))
    fetcher = make_fetcher(server, timeout=0.5, total_timeout=0.8)
    started = time.monotonic()
    with pytest.raises(FetchTimeout):
        fetcher.get(server.url("/drip"))
    assert time.monotonic() - started < 1.6


# -- conditional GET -------------------------------------------------------------------------


def test_etag_is_sent_back_and_304_means_not_modified(server: LocalServer) -> None:
    def page(request: Request) -> Response:
        if request.headers.get("if-none-match") == '"rilis-7"':
            return Response(status=304, content_type=None)
        return Response(body="rilis", headers={"ETag": '"rilis-7"'})

    server.route("/rilis", page)
    validators = MemoryValidators()
    fetcher = make_fetcher(server, validators=validators)
    first = fetcher.get(server.url("/rilis"))
    second = fetcher.get(server.url("/rilis"))
    assert "if-none-match" not in server.requests[0].headers
    assert server.requests[1].headers["if-none-match"] == '"rilis-7"'
    assert (first.status, first.body) == (200, b"rilis")
    assert second.not_modified and second.status == 304 and second.body == b""
    assert validators.lookup(server.url("/rilis")) == ('"rilis-7"', None)


def test_last_modified_is_sent_back_as_if_modified_since(server: LocalServer) -> None:
    stamp = "Tue, 03 Feb 2026 08:00:00 GMT"

    def page(request: Request) -> Response:
        if request.headers.get("if-modified-since") == stamp:
            return Response(status=304, content_type=None)
        return Response(body="berita", headers={"Last-Modified": stamp})

    server.route("/berita", page)
    fetcher = make_fetcher(server)
    assert fetcher.get(server.url("/berita")).status == 200
    assert fetcher.get(server.url("/berita")).not_modified
    assert server.requests[1].headers["if-modified-since"] == stamp


def test_unconditional_get_sends_no_validators(server: LocalServer) -> None:
    server.static("/p", "p", headers={"ETag": '"a"', "Last-Modified": "Mon, 02 Feb 2026 GMT"})
    fetcher = make_fetcher(server)
    fetcher.get(server.url("/p"))
    assert fetcher.get(server.url("/p"), conditional=False).status == 200
    assert "if-none-match" not in server.requests[1].headers
    assert "if-modified-since" not in server.requests[1].headers


# -- redirects -------------------------------------------------------------------------------


def test_redirect_within_host_is_followed(server: LocalServer) -> None:
    server.static("/lama", "", status=301, headers={"Location": "/baru?id=3"})
    server.static("/baru", "halaman baru")
    fetched = make_fetcher(server).get(server.url("/lama"))
    assert fetched.url == server.url("/baru?id=3")
    assert fetched.body == b"halaman baru"
    assert [r.path for r in server.requests] == ["/lama", "/baru"]


def test_redirect_to_foreign_host_is_blocked_and_never_contacted(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.static("/keluar", "", status=302, headers={"Location": "http://evil.example.com/x"})
    resolver = ResolverSpy()
    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    with pytest.raises(BlockedURL) as caught:
        make_fetcher(server).get(server.url("/keluar"))
    assert server.url("/keluar") in str(caught.value)
    assert "http://evil.example.com/x" in str(caught.value)
    assert "evil.example.com" not in resolver.hosts


def test_endless_redirects_give_up(server: LocalServer) -> None:
    server.static("/loop", "", status=302, headers={"Location": "/loop"})
    with pytest.raises(FetchError, match="too many redirects") as caught:
        make_fetcher(server, max_redirects=3).get(server.url("/loop"))
    assert type(caught.value) is FetchError
    assert len(server.requests) == 4  # the first request and three redirects


# -- hosts, schemes and addresses ------------------------------------------------------------


def test_host_not_on_allow_list_is_blocked_before_any_request(server: LocalServer) -> None:
    fetcher = Fetcher(allow_private=True, delay=0, respect_robots=False)
    with pytest.raises(BlockedURL) as caught:
        fetcher.get(server.url("/"))
    assert server.url("/") in str(caught.value)
    assert server.requests == []


@pytest.mark.parametrize(
    "url",
    ["ftp://malangkota.go.id/data.csv", "file:///etc/passwd", "javascript:alert(1)", "//x/y"],
)
def test_non_http_scheme_is_refused(url: str) -> None:
    fetcher = Fetcher(delay=0, respect_robots=False)
    assert not fetcher.allows(url)
    with pytest.raises(BlockedURL):
        fetcher.get(url)


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://malangkota.go.id/", True),
        ("https://MalangKota.go.id/berita", True),
        ("http://kominfo.malangkota.go.id:8080/feed/", False),  # a port nobody named
        ("https://kominfo.malangkota.go.id:443/feed/", True),
        ("https://dinkes.malangkota.go.id./", True),
        ("https://malangkota.go.id.evil.com/", False),
        ("https://evilmalangkota.go.id/", False),
        ("https://malangkota.go.id@evil.com/", False),
        ("https://jatimprov.go.id/", False),
        ("https://127.0.0.1/", False),
    ],
)
def test_allows_checks_domain_and_subdomains_only(url: str, allowed: bool) -> None:
    assert Fetcher().allows(url) is allowed


def test_extra_allowed_host_is_an_exact_match() -> None:
    fetcher = Fetcher(["Radar-Malang.example"])
    assert fetcher.allows("https://radar-malang.example/feed")
    assert fetcher.allows("http://radar-malang.example:80/feed")
    assert not fetcher.allows("https://www.radar-malang.example/feed")


def test_allowed_host_with_scheme_path_or_bad_port_is_a_configuration_error() -> None:
    for entry in ("https://example.org", "example.org/feed", "example.org:", "example.org:99999"):
        with pytest.raises(ValueError):
            Fetcher([entry])


def test_only_default_ports_and_the_named_port_are_allowed_on_a_host() -> None:
    fetcher = Fetcher(["radar-malang.example:8443", "[2001:db8::5]:8080"])
    assert fetcher.allows("https://radar-malang.example:8443/feed")
    assert fetcher.allows("https://radar-malang.example/feed")
    assert not fetcher.allows("http://radar-malang.example:2222/admin")
    assert fetcher.allows("http://[2001:db8::5]:8080/")
    assert not fetcher.allows("http://[2001:db8::5]:8081/")
    with pytest.raises(BlockedURL, match="port 2222"):
        fetcher.get("http://radar-malang.example:2222/admin")


def test_redirect_to_another_port_on_the_same_host_is_refused(server: LocalServer) -> None:
    with LocalServer() as other_port:
        other_port.static("/internal/", "rahasia")
        server.static("/", "", status=302, headers={"Location": other_port.url("/internal/")})
        with pytest.raises(BlockedURL, match=f"port {other_port.port}"):
            make_fetcher(server).get(server.url("/"))
        assert other_port.requests == []


def test_loopback_is_refused_unless_private_allowed(server: LocalServer) -> None:
    server.static("/", "halo")
    strict = Fetcher([server.netloc], allow_private=False, delay=0, respect_robots=False)
    with pytest.raises(BlockedURL, match="loopback"):
        strict.get(server.url("/"))
    assert server.requests == []
    assert make_fetcher(server, allow_private=True).get(server.url("/")).body == b"halo"


def test_environment_variable_lifts_address_rule(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.static("/", "halo")
    monkeypatch.setenv("SARING_ALLOW_PRIVATE_HOSTS", "1")
    lenient = Fetcher([server.netloc], delay=0, respect_robots=False)
    assert lenient.get(server.url("/")).body == b"halo"
    monkeypatch.delenv("SARING_ALLOW_PRIVATE_HOSTS")
    strict = Fetcher([server.netloc], delay=0, respect_robots=False)
    with pytest.raises(BlockedURL):
        strict.get(server.url("/"))
    assert len(server.requests) == 1


def test_allowed_name_resolving_to_private_address_is_blocked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        socket, "getaddrinfo", ResolverSpy({"intranet.malangkota.go.id": ["10.1.2.3"]})
    )
    fetcher = Fetcher(allow_private=False, delay=0, respect_robots=False)
    with pytest.raises(BlockedURL, match="10.1.2.3"):
        fetcher.get("http://intranet.malangkota.go.id/")


def test_any_private_address_among_several_blocks_the_host(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dialled: list[object] = []

    def no_network(*args: object) -> None:
        dialled.append(args)
        raise OSError("the test forbids connecting")

    monkeypatch.setattr(fetch, "_dial", no_network)
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        ResolverSpy({"mixed.malangkota.go.id": ["203.0.114.10", "169.254.169.254"]}),
    )
    fetcher = Fetcher(allow_private=False, delay=0, respect_robots=False)
    with pytest.raises(BlockedURL, match="link-local"):
        fetcher.get("http://mixed.malangkota.go.id/")
    assert dialled == []


def test_connection_goes_to_the_vetted_address_with_the_real_host_name(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Resolved once, dialled by address: a second (rebinding) DNS answer is never asked for.
    server.static("/", "halo")
    resolver = ResolverSpy({"berita.malangkota.go.id": ["127.0.0.1"]})
    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    fetcher = Fetcher(
        [f"berita.malangkota.go.id:{server.port}"], allow_private=True, delay=0,
        respect_robots=False,
    )  # fmt: skip
    fetched = fetcher.get(f"http://berita.malangkota.go.id:{server.port}/")
    assert fetched.body == b"halo"
    assert resolver.hosts == ["berita.malangkota.go.id"]
    assert server.requests[0].headers["host"] == f"berita.malangkota.go.id:{server.port}"


# -- robots.txt ------------------------------------------------------------------------------

ROBOTS = """\
User-agent: *
Disallow: /wp-admin/

User-agent: SaringBot
Disallow: /internal/
"""


def test_robots_disallow_raises_and_robots_is_fetched_once(server: LocalServer) -> None:
    server.static("/robots.txt", ROBOTS, content_type="text/plain")
    server.static("/berita/", "berita")
    server.static("/internal/draft", "draf")
    fetcher = make_fetcher(server, respect_robots=True)
    assert fetcher.get(server.url("/berita/")).status == 200
    with pytest.raises(RobotsDisallowed) as caught:
        fetcher.get(server.url("/internal/draft"))
    assert fetcher.get(server.url("/berita/?page=2")).status == 200
    assert server.url("/internal/draft") in str(caught.value)
    assert [r.path for r in server.requests] == ["/robots.txt", "/berita/", "/berita/"]


def test_redirect_into_disallowed_path_is_refused(server: LocalServer) -> None:
    server.static("/robots.txt", ROBOTS, content_type="text/plain")
    server.static("/pintas", "", status=302, headers={"Location": "/internal/x"})
    fetcher = make_fetcher(server, respect_robots=True)
    with pytest.raises(RobotsDisallowed):
        fetcher.get(server.url("/pintas"))
    assert server.requests_for("/internal/x") == []


@pytest.mark.parametrize("status", [404, 410, 403, 500, 503])
def test_missing_or_failing_robots_allows_everything(server: LocalServer, status: int) -> None:
    server.static("/robots.txt", "Disallow: /", status=status, content_type="text/plain")
    server.static("/internal/x", "ok")
    fetcher = make_fetcher(server, respect_robots=True)
    assert fetcher.get(server.url("/internal/x")).body == b"ok"
    assert fetcher.get(server.url("/internal/x")).body == b"ok"
    assert len(server.requests_for("/robots.txt")) == 1


def test_robots_is_ignored_when_asked(server: LocalServer) -> None:
    server.static("/robots.txt", "User-agent: *\nDisallow: /\n", content_type="text/plain")
    server.static("/", "ok")
    assert make_fetcher(server, respect_robots=False).get(server.url("/")).status == 200
    assert server.requests_for("/robots.txt") == []


# -- politeness ------------------------------------------------------------------------------


def test_requests_to_one_host_are_spaced_by_delay(server: LocalServer) -> None:
    server.static("/a", "a")
    server.static("/b", "b")
    delay = 0.3
    fetcher = make_fetcher(server, delay=delay)
    fetcher.get(server.url("/a"))
    fetcher.get(server.url("/b"))
    first, second = server.requests
    assert second.received - first.received >= delay * 0.9


def test_first_request_is_not_delayed(server: LocalServer) -> None:
    server.static("/a", "a")
    started = time.monotonic()
    make_fetcher(server, delay=5.0).get(server.url("/a"))
    assert time.monotonic() - started < 2.0


def test_robots_crawl_delay_spaces_requests_up_to_a_ceiling(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fetch, "MAX_CRAWL_DELAY", 0.3)
    server.static(
        "/robots.txt", "User-agent: *\nCrawl-delay: 20\nDisallow:\n", content_type="text/plain"
    )
    server.static("/a", "a")
    server.static("/b", "b")
    fetcher = make_fetcher(server, respect_robots=True, delay=0)
    fetcher.get(server.url("/a"))
    fetcher.get(server.url("/b"))
    robots, first, second = server.requests
    assert first.received - robots.received >= 0.27
    assert 0.27 <= second.received - first.received < 5


def test_a_dns_lookup_that_never_answers_is_bounded_by_the_total_limit(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # getaddrinfo has no timeout of its own: a resolver that hangs must not hold the ingest.
    released = threading.Event()

    def hanging_resolver(host: str, port: object, *args: object, **kwargs: object) -> list:
        released.wait(30)
        return []

    monkeypatch.setattr(socket, "getaddrinfo", hanging_resolver)
    fetcher = Fetcher(
        [f"lambat.malangkota.go.id:{server.port}"], allow_private=True, delay=0,
        respect_robots=False, timeout=0.5, total_timeout=1.0,
    )  # fmt: skip
    started = time.monotonic()
    try:
        with pytest.raises(FetchError, match="gave up resolving lambat.malangkota.go.id"):
            fetcher.get(f"http://lambat.malangkota.go.id:{server.port}/")
        assert time.monotonic() - started < 3.0  # not the 30 s the resolver would take
    finally:
        released.set()
