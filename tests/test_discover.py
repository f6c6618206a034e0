"""Source discovery against a WordPress-shaped city multisite on 127.0.0.1.

Every subsite is a real HTTP server on 127.0.0.1: WordPress ones are tests/wpsite.WordPressSite
(feed and REST posts) with a home page and a REST index added, the others plain LocalServers. The
test resolver (tests/resolver.ResolverSpy, strict: unknown names fail, no real DNS) maps each
``*.malangkota.go.id`` name to its server's port, so the URLs, Host headers and the fetcher's
rules are those of port 80. Two foreign names map to a server of their own, which must never
receive a request.
"""

from __future__ import annotations

import json
import socket
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from index.store import WIB
from ingest.discover import (
    Discovery,
    Limits,
    clean_site_name,
    discover,
    opd_from_host,
    render_proposal,
    source_id_for,
)
from ingest.fetch import Fetcher
from ingest.sources import load_sources
from tests.localserver import LocalServer, Response
from tests.resolver import ResolverSpy
from tests.wpsite import WordPressSite, demo_posts

CITY = "malangkota.go.id"
NOW = datetime.now(UTC)
BULAN = (
    "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
).split()
FOREIGN_LINKED = "berita-lain.example.com"
FOREIGN_REDIRECT = "jdih-arsip.example.net"
TUGU = "berita.tugutirta.example"  # a configured source's own host, outside malangkota.go.id

SOURCES_TOML = f"""
[[source]]
id = "malangkota"
kind = "wordpress"
url = "http://{CITY}/"
opd = "Pemerintah Kota Malang"

[[source]]
id = "dinkes"
kind = "wordpress"
url = "http://dinkes.{CITY}/"
opd = "Dinas Kesehatan"

[[source]]
id = "tugutirta"
kind = "html"
url = "http://{TUGU}/publikasi/"
opd = "Perumda Air Minum Tugu Tirta"

[source.selectors]
item = "article h2 a"
"""

# The subsites the main site links to, in its menu of "Perangkat Daerah".
LINKED_FROM_MAIN = (
    "dinkes kelsumbersari kecsukun keckedungkandang dispussipda bapenda siapel kelblimbing jdih "
    "kelmerjosari kelkiduldalem disnakerpmptsp bakesbangpol kominfo disdikbud"
).split()

EXPECTED_PROPOSALS = {
    # id: (kind, url, opd, interval)
    "kelsumbersari": ("wordpress", f"http://kelsumbersari.{CITY}/", "Kelurahan Sumbersari", "30m"),
    "kelarjosari": ("wordpress", f"http://kelarjosari.{CITY}/", "Kelurahan Arjosari", "1d"),
    "kecsukun": ("feed", f"http://kecsukun.{CITY}/feed/", "Kecamatan Sukun", "6h"),
    "keckedungkandang": (
        "feed",
        f"http://keckedungkandang.{CITY}/berita/feed/",
        "Kecamatan Kedungkandang",
        "30m",
    ),
    "dispussipda": (
        "html",
        f"http://dispussipda.{CITY}/",
        "Dinas Perpustakaan Umum dan Arsip Daerah",
        "6h",
    ),
    "kominfo": ("feed", f"http://kominfo.{CITY}/feed/", "Dinas Komunikasi dan Informatika", "30m"),
    "puskpolowijen": ("wordpress", f"http://puskpolowijen.{CITY}/", "Puskesmas Polowijen", "30m"),
    "dindik": ("wordpress", f"http://dindik.{CITY}/", "Dinas Pendidikan dan Kebudayaan", "30m"),
}

EXPECTED_UNUSABLE = {
    # host: words the reason must start with
    f"bapenda.{CITY}": "no REST API, feed or dated listing",
    f"siapel.{CITY}": "unreachable",
    f"kelblimbing.{CITY}": "home page answered HTTP 503",
    f"jdih.{CITY}": f"redirects to {FOREIGN_REDIRECT}, outside the allow-list",
    f"kelmerjosari.{CITY}": "redirect loop",
    f"kelkiduldalem.{CITY}": "no REST API, feed or dated listing",
    f"disnakerpmptsp.{CITY}": "the REST API works but no feed was found",
    f"bakesbangpol.{CITY}": "robots.txt disallows SaringBot",
    f"disdikbud.{CITY}": f"redirects to http://dindik.{CITY}/; that host is considered instead",
}


# --------------------------------------------------------------------------------------------
# The multisite
# --------------------------------------------------------------------------------------------


def page(title: str, body: str, head: str = "") -> str:
    return (
        f'<!doctype html><html lang="id"><head><meta charset="utf-8"><title>{title}</title>'
        f"{head}</head><body>{body}</body></html>"
    )


def rest_index(name: str) -> str:
    return json.dumps(
        {
            "name": name,
            "description": "",
            "url": "",
            "namespaces": ["oembed/1.0", "wp/v2"],
            "routes": {"/": {}, "/wp/v2": {}, "/wp/v2/posts": {"methods": ["GET"]}},
        }
    )


def rss(title: str, items: list[tuple[str, str, datetime]]) -> str:
    entries = "".join(
        f"<item><title>{headline}</title><link>{link}</link>"
        f"<pubDate>{format_datetime(when, usegmt=True)}</pubDate>"
        f"<description>{headline}</description></item>"
        for headline, link, when in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>http://example.invalid/</link>{entries}</channel></rss>"
    )


def tanggal(when: datetime) -> str:
    return f"{when.day} {BULAN[when.month - 1]} {when.year}"


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Multisite:
    """The city's sites on 127.0.0.1, and the resolver that leads their names there."""

    def __init__(self, stack: ExitStack) -> None:
        self.stack = stack
        self.resolver = ResolverSpy(strict=True)
        self.servers: dict[str, LocalServer] = {}
        self.foreign = stack.enter_context(LocalServer())
        for name in (FOREIGN_LINKED, FOREIGN_REDIRECT):
            self.map(name, self.foreign)
        self._build()

    def map(self, host: str, server: LocalServer) -> None:
        self.resolver.fixed[host] = [("127.0.0.1", server.port)]
        self.servers[host] = server

    def plain(self, name: str, pages: dict[str, str | Response]) -> LocalServer:
        server = self.stack.enter_context(LocalServer())
        for path, answer in pages.items():
            if isinstance(answer, Response):
                server.route(path, lambda _request, answer=answer: answer)
            else:
                server.static(path, answer)
        self.map(name, server)
        return server

    def wordpress(
        self, name: str, *, home: str, rest: bool, age_days: int, index: str | None = None
    ) -> WordPressSite:
        posts = demo_posts(limit=4)
        for number, post in enumerate(posts):
            post.date = post.modified = NOW - timedelta(days=age_days + number)
        site = self.stack.enter_context(WordPressSite(posts, rest=rest))
        site.server.static("/", home)
        if index is not None:
            site.server.static("/wp-json/", index, content_type="application/json")
        elif not rest:
            denied = {"code": "rest_disabled", "message": "REST API dimatikan.", "data": {}}
            site.server.static(
                "/wp-json/", json.dumps(denied), content_type="application/json", status=401
            )
        self.map(name, site.server)
        return site

    def _build(self) -> None:
        menu = "".join(
            f'<li><a href="http://{sub}.{CITY}/">{sub}</a></li>' for sub in LINKED_FROM_MAIN
        )
        self.main = self.plain(
            CITY,
            {
                "/": page(
                    "Pemerintah Kota Malang",
                    f'<nav><a href="/">Beranda</a> <a href="http://www.{CITY}/profil/">Profil</a>'
                    f'</nav><ul class="perangkat-daerah">{menu}</ul>'
                    f'<a href="http://{FOREIGN_LINKED}/kabar/">Berita lain</a>'
                    f'<a href="http://ppid.{CITY}:8443/">PPID (port lain)</a>'
                    '<a href="mailto:kominfo@malangkota.go.id">surel</a>'
                    '<a href="javascript:void(0)">menu</a>'
                    '<a href="/wp-content/uploads/2025/01/peta.pdf">Peta</a>',
                ),
                "/profil/": page("Profil", '<a href="/">Beranda</a>'),
            },
        )
        self.map(f"www.{CITY}", self.main)
        self.plain(f"dinkes.{CITY}", {"/": page("Dinas Kesehatan", f'<a href="http://{CITY}/">')})
        self.plain(
            TUGU,
            {
                "/publikasi/": page(
                    "Publikasi – Perumda Tugu Tirta",
                    f'<article><h2><a href="http://puskpolowijen.{CITY}/">Kerja sama</a></h2>'
                    "</article>",
                )
            },
        )
        self.wordpress(
            f"puskpolowijen.{CITY}",
            home=page("Puskesmas Polowijen – Pemerintah Kota Malang", "<p>Layanan</p>"),
            rest=True,
            age_days=1,
            index=rest_index("Puskesmas Polowijen"),
        )
        # WordPress with REST and feed; the deep subsite is linked from one of its inner pages.
        sumbersari = self.wordpress(
            f"kelsumbersari.{CITY}",
            home=page("Beranda", '<a href="/tautan/">Tautan</a>'),
            rest=True,
            age_days=2,
            index=rest_index("Kelurahan Sumbersari &#8211; Kecamatan Lowokwaru"),
        )
        sumbersari.server.static(
            "/tautan/", page("Tautan", f'<a href="http://kelarjosari.{CITY}/">Arjosari</a>')
        )
        self.wordpress(
            f"kelarjosari.{CITY}",
            home=page("Kelurahan Arjosari", "<p>Selamat datang</p>"),
            rest=True,
            age_days=200,
            index=rest_index(""),
        )
        # WordPress with the REST API switched off (401), feed at /feed/.
        self.wordpress(
            f"kecsukun.{CITY}",
            home=page("Beranda – Kecamatan Sukun Kota Malang", "<p>Kecamatan</p>"),
            rest=False,
            age_days=40,
        )
        # No WordPress REST (404), a feed advertised at another path.
        self.plain(
            f"keckedungkandang.{CITY}",
            {
                "/": page(
                    "Beranda",
                    "<p>Kecamatan</p>",
                    head='<meta property="og:site_name" content="Kecamatan Kedungkandang">'
                    '<link rel="alternate" type="application/rss+xml" title="Komentar" '
                    'href="/comments/feed/">'
                    '<link rel="alternate" type="application/rss+xml" href="/berita/feed/">',
                ),
                "/berita/feed/": Response(
                    body=rss(
                        "Kecamatan Kedungkandang",
                        [
                            (f"Kabar {n}", f"http://keckedungkandang.{CITY}/kabar-{n}/", when)
                            for n, when in enumerate([NOW - timedelta(days=3), NOW], start=1)
                        ],
                    ),
                    content_type="application/rss+xml; charset=UTF-8",
                ),
            },
        )
        # A listing only: dated article links in a block, besides a menu and a sidebar.
        entries = "".join(
            f'<div class="kabar post-{n} format-{"video" if n == 2 else "standard"}">'
            f'<h3><a href="/kabar/kegiatan-{n}/">Kegiatan {n}</a></h3>'
            f'<span class="tgl">{tanggal(NOW - timedelta(days=20 + n))}</span></div>'
            for n in range(1, 5)
        )
        self.plain(
            f"dispussipda.{CITY}",
            {
                "/": page(
                    "Dinas Perpustakaan Umum dan Arsip Daerah Kota Malang",
                    # a layout flag on the wrapper must not hide the listing as "sidebar"
                    '<div class="has-sidebar"><div class="menu-utama"><a href="/profil/">'
                    'Profil</a> <a href="/layanan/">Layanan</a> <a href="/kontak/">Kontak</a>'
                    f'</div><div id="daftar-berita">{entries}</div>'
                    '<div class="sidebar"><a href="/arsip/a/">A</a><a href="/arsip/b/">B</a>'
                    '<a href="/arsip/c/">C</a></div></div>',
                )
            },
        )
        # An application's landing page: nothing to ingest.
        self.plain(
            f"bapenda.{CITY}",
            {"/": page("SMART MAP", '<form action="/login"><input name="nop"></form>')},
        )
        # A dead host: its name leads to a closed port.
        self.resolver.fixed[f"siapel.{CITY}"] = [("127.0.0.1", closed_port())]
        self.plain(f"kelblimbing.{CITY}", {"/": Response(status=503, body="Sedang perbaikan")})
        self.plain(
            f"jdih.{CITY}",
            {"/": Response(status=302, headers={"Location": f"http://{FOREIGN_REDIRECT}/"})},
        )
        self.plain(f"kelmerjosari.{CITY}", {"/": Response(status=302, headers={"Location": "/"})})
        garbage = b"\x00\xff<<<a href=\x00<div <<title>></tit\xfe<table><tr><td>" * 200
        self.plain(
            f"kelkiduldalem.{CITY}",
            {
                "/": Response(body=garbage),
                "/wp-json/": Response(body="<h1>Not found</h1>", status=404),
            },
        )
        disnaker = self.wordpress(
            f"disnakerpmptsp.{CITY}",
            home=page("Disnaker-PMPTSP", "<p>Layanan</p>"),
            rest=True,
            age_days=5,
            index=rest_index("Dinas Tenaga Kerja"),
        )
        disnaker.server.static("/feed/", "not found", status=404)
        self.plain(
            f"bakesbangpol.{CITY}",
            {
                "/": page("Badan Kesatuan Bangsa dan Politik", "<p>x</p>"),
                "/robots.txt": Response(body="User-agent: *\nDisallow: /\n", content_type=None),
            },
        )
        # An old name that redirects to another city host, which is probed in its own right.
        self.plain(
            f"disdikbud.{CITY}",
            {"/": Response(status=301, headers={"Location": f"http://dindik.{CITY}/"})},
        )
        self.wordpress(
            f"dindik.{CITY}",
            home=page("Dinas Pendidikan dan Kebudayaan Kota Malang", "<p>x</p>"),
            rest=True,
            age_days=6,
            index=rest_index("Dinas Pendidikan dan Kebudayaan"),
        )
        # WordPress whose REST index is broken JSON: the feed is proposed instead.
        self.wordpress(
            f"kominfo.{CITY}",
            home=page("Diskominfo – Dinas Komunikasi dan Informatika Kota Malang", "<p>x</p>"),
            rest=True,
            age_days=0,
            index='{"name": "Dinas Komunikasi", "routes": {"/wp/v2/posts": ',
        )

    def hosts_contacted(self) -> set[str]:
        """Host headers of every request any of the servers received."""
        return {
            request.headers.get("host", "")
            for server in {id(s): s for s in self.servers.values()}.values()
            for request in server.requests
        }


@pytest.fixture
def city(monkeypatch: pytest.MonkeyPatch):
    with ExitStack() as stack:
        sites = Multisite(stack)
        monkeypatch.setattr(socket, "getaddrinfo", sites.resolver)
        monkeypatch.setenv("SARING_ALLOW_PRIVATE_HOSTS", "1")
        yield sites


@pytest.fixture
def sources_file(tmp_path: Path) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(SOURCES_TOML, encoding="utf-8")
    return path


def run(sources_file: Path, **limits: object) -> Discovery:
    sources = load_sources(sources_file)
    fetcher = Fetcher({s.allowed_host for s in sources}, allow_private=True, delay=0, timeout=5)
    return discover(sources, fetcher, Limits(**limits))  # type: ignore[arg-type]


def allowed(host: str) -> bool:
    return host == CITY or host.endswith("." + CITY) or host == TUGU


# --------------------------------------------------------------------------------------------
# The whole multisite
# --------------------------------------------------------------------------------------------


def test_the_multisite_yields_the_right_proposals_and_nothing_outside_the_allowed_hosts(
    city: Multisite, sources_file: Path
) -> None:
    result = run(sources_file)

    proposed = {p.id: (p.kind, p.url, p.opd, p.interval) for p in result.proposals}
    assert proposed == EXPECTED_PROPOSALS
    listing = next(p for p in result.proposals if p.kind == "html")
    assert listing.item_selector == "#daftar-berita > div.kabar"

    reasons = {item.host: item.reason for item in result.unusable}
    assert set(reasons) == set(EXPECTED_UNUSABLE)
    for host, start in EXPECTED_UNUSABLE.items():
        assert reasons[host].startswith(start), (host, reasons[host])
    assert "Connection refused" in reasons[f"siapel.{CITY}"]

    assert set(result.configured) == {CITY, f"www.{CITY}", f"dinkes.{CITY}", TUGU}
    assert result.foreign == sorted([FOREIGN_LINKED, FOREIGN_REDIRECT, f"ppid.{CITY}:8443"])
    assert result.hosts_found == len(EXPECTED_PROPOSALS) + len(EXPECTED_UNUSABLE) + 4
    assert not result.stopped

    # Nothing outside the allow-list was looked up, let alone contacted.
    assert all(allowed(host) for host in city.resolver.hosts), city.resolver.hosts
    assert city.foreign.requests == []
    assert f"ppid.{CITY}" not in city.resolver.hosts
    assert all(allowed(host) for host in city.hosts_contacted())
    # A configured source is crawled (it is a starting point) but never probed.
    dinkes = city.servers[f"dinkes.{CITY}"]
    assert [r.path for r in dinkes.requests if r.path != "/robots.txt"] == ["/"]


def test_evidence_names_what_was_probed(city: Multisite, sources_file: Path) -> None:
    result = run(sources_file)
    by_id = {p.id: p for p in result.proposals}

    sumbersari = " | ".join(by_id["kelsumbersari"].evidence)
    assert "REST /wp-json/ lists wp/v2/posts; 4 post(s) seen" in sumbersari
    # the newest post's day in Malang (WIB), whatever the hour of the run
    assert f"newest {(NOW - timedelta(days=2)).astimezone(WIB):%Y-%m-%d}" in sumbersari
    assert "feed /feed/: 4 item(s)" in sumbersari
    assert by_id["kelsumbersari"].opd_from.startswith("the REST index name")

    sukun = " | ".join(by_id["kecsukun"].evidence)
    assert "REST: /wp-json/ answered HTTP 401 (rest_disabled)" in sukun
    assert by_id["kecsukun"].opd_from.startswith("the page <title>")

    assert "REST: /wp-json/ answered malformed JSON" in by_id["kominfo"].evidence
    assert by_id["keckedungkandang"].opd_from.startswith("og:site_name")
    assert by_id["kelarjosari"].found_on == f"http://kelsumbersari.{CITY}/tautan/"
    assert by_id["puskpolowijen"].found_on == f"http://{TUGU}/publikasi/"

    listing = " | ".join(by_id["dispussipda"].evidence)
    assert "4 dated article link(s)" in listing
    assert f"newest {(NOW - timedelta(days=21)):%Y-%m-%d}" in listing


def test_probes_of_several_hosts_take_turns(city: Multisite, sources_file: Path) -> None:
    # One request per host in turn, so one host's politeness wait overlaps the others' requests:
    # the second subsite is asked for its feed before the first subsite's probe is over.
    run(sources_file)

    def probe_times(host: str) -> list[float]:
        server = city.servers[host]
        return [r.received for r in server.requests if r.path in ("/wp-json/", "/feed/")]

    first, second = probe_times(f"kelsumbersari.{CITY}"), probe_times(f"kecsukun.{CITY}")
    assert len(first) == 2 and len(second) == 2
    assert min(second) < max(first)


def test_the_proposal_loads_with_the_sources_loader(
    city: Multisite, sources_file: Path, tmp_path: Path
) -> None:
    result = run(sources_file)
    text = render_proposal(result, generated_at=NOW, sources_file=str(sources_file))
    proposal = tmp_path / "proposal.toml"
    proposal.write_text(text, encoding="utf-8")

    loaded = {s.id: s for s in load_sources(proposal)}
    assert {i: (s.kind, s.url, s.opd) for i, s in loaded.items()} == {
        i: expected[:3] for i, expected in EXPECTED_PROPOSALS.items()
    }
    assert loaded["dispussipda"].selectors.item == "#daftar-berita > div.kabar"
    assert loaded["kelarjosari"].interval == 86400
    assert loaded["kominfo"].interval == 1800

    # Pasted below the live entries, the file still loads: no id collides, no [defaults] added.
    combined = tmp_path / "combined.toml"
    combined.write_text(SOURCES_TOML + "\n" + text, encoding="utf-8")
    assert len(load_sources(combined)) == 3 + len(EXPECTED_PROPOSALS)

    comments = [line for line in text.splitlines() if line.startswith("#")]
    assert any(line.startswith(f"# siapel.{CITY}: unreachable") for line in comments)
    assert any(
        line.startswith(f"# jdih.{CITY}: redirects to {FOREIGN_REDIRECT}") for line in comments
    )
    assert f"# {FOREIGN_LINKED}" in text or FOREIGN_LINKED in " ".join(comments)
    assert "NOT LIVE CONFIGURATION" in text


def test_a_subsite_beyond_the_depth_bound_is_not_found(city: Multisite, sources_file: Path) -> None:
    shallow = run(sources_file, depth=1)
    seen = {p.host for p in shallow.proposals} | {u.host for u in shallow.unusable}
    assert f"kelsumbersari.{CITY}" in seen
    assert f"kelarjosari.{CITY}" not in seen
    assert city.servers[f"kelarjosari.{CITY}"].requests == []

    deep = run(sources_file, depth=2)
    assert "kelarjosari" in {p.id for p in deep.proposals}


def test_the_page_bound_stops_the_crawl(city: Multisite, sources_file: Path) -> None:
    result = run(sources_file, pages=1)
    assert result.pages == 1
    assert result.stopped == "page limit reached"
    # Only the main page was read: its links are found, nothing that later pages would show.
    found = {p.id for p in result.proposals} | {u.host for u in result.unusable}
    assert "kelsumbersari" in found
    assert "puskpolowijen" not in found  # linked only from a configured source's page
    assert "kelarjosari" not in found
    assert city.servers[TUGU].requests == []


def test_no_time_left_means_no_request(city: Multisite, sources_file: Path) -> None:
    result = run(sources_file, seconds=0)
    assert result.stopped == "time limit reached"
    assert (result.pages, result.requests, result.proposals) == (0, 0, [])
    assert city.hosts_contacted() == set()


def test_hosts_left_when_time_runs_out_are_reported_not_probed(
    city: Multisite, sources_file: Path
) -> None:
    # A clock that says the time is up as soon as the main site has answered once.
    sources = load_sources(sources_file)
    fetcher = Fetcher({s.allowed_host for s in sources}, allow_private=True, delay=0)
    main = city.servers[CITY]
    result = discover(
        sources, fetcher, Limits(seconds=60), clock=lambda: 1000.0 if main.requests else 0.0
    )
    assert result.stopped == "time limit reached"
    assert result.pages == 1 and result.proposals == []
    assert {u.host for u in result.unusable} == {
        f"{sub}.{CITY}" for sub in LINKED_FROM_MAIN if sub != "dinkes"
    }
    assert {u.reason for u in result.unusable} == {"not probed: the time limit ran out first"}
    assert city.hosts_contacted() == {CITY}


def test_a_slow_subsite_is_reported_as_timed_out(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with LocalServer() as main, LocalServer() as slow:

        def stall(_request):
            import time

            time.sleep(2.0)  # longer than the fetcher's whole budget below
            return Response(body="terlambat")

        main.static("/", page("Pemkot", f'<a href="http://kelsukun.{CITY}/">Sukun</a>'))
        slow.route("/", stall)
        slow.route("/robots.txt", stall)
        resolver = ResolverSpy(
            {CITY: [("127.0.0.1", main.port)], f"kelsukun.{CITY}": [("127.0.0.1", slow.port)]},
            strict=True,
        )
        monkeypatch.setattr(socket, "getaddrinfo", resolver)
        path = tmp_path / "sources.toml"
        path.write_text(
            f'[[source]]\nid = "malangkota"\nkind = "wordpress"\nurl = "http://{CITY}/"\n'
            'opd = "Pemerintah Kota Malang"\n',
            encoding="utf-8",
        )
        sources = load_sources(path)
        fetcher = Fetcher(allow_private=True, delay=0, timeout=0.3, total_timeout=0.6)
        result = discover(sources, fetcher, Limits(depth=0))
    assert [(u.host, u.reason.split(":")[0]) for u in result.unusable] == [
        (f"kelsukun.{CITY}", "timed out")
    ]
    assert result.proposals == []


# --------------------------------------------------------------------------------------------
# The command
# --------------------------------------------------------------------------------------------


def test_cli_writes_the_proposal_to_a_file_and_prints_the_figures(
    city: Multisite, sources_file: Path, app, runner, tmp_path: Path
) -> None:
    out = tmp_path / "usulan.toml"
    before = sources_file.read_bytes()
    result = runner.invoke(
        args=["sources", "discover", "--sources", str(sources_file), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert {s.id for s in load_sources(out)} == set(EXPECTED_PROPOSALS)
    assert "Proposal written to" in result.output
    assert f"{len(EXPECTED_PROPOSALS)} proposal(s)" in result.output
    assert f"{len(EXPECTED_UNUSABLE)} not usable" in result.output
    assert " page(s) crawled" in result.output and " s." in result.output
    assert sources_file.read_bytes() == before
    assert "Traceback" not in result.output


def test_cli_without_out_prints_toml_on_stdout_and_figures_on_stderr(
    city: Multisite, sources_file: Path, app, runner, tmp_path: Path
) -> None:
    result = runner.invoke(
        args=["sources", "--sources", str(sources_file), "discover", "--max-depth", "1"]
    )
    assert result.exit_code == 0, result.output
    printed = tmp_path / "printed.toml"
    printed.write_text(result.stdout, encoding="utf-8")
    ids = {s.id for s in load_sources(printed)}
    assert "kelsumbersari" in ids and "kelarjosari" not in ids
    assert "Discovery:" not in result.stdout
    assert "proposal(s)" in result.stderr


@pytest.mark.parametrize("how", ["--sources file", "configured SOURCES_FILE", "symlink"])
def test_cli_refuses_to_write_into_the_live_sources_file(
    how: str, city: Multisite, sources_file: Path, app, runner, tmp_path: Path
) -> None:
    before = sources_file.read_bytes()
    args = ["sources", "discover"]
    if how == "--sources file":
        args += ["--sources", str(sources_file), "--out", str(sources_file)]
    elif how == "configured SOURCES_FILE":
        app.config["SOURCES_FILE"] = str(sources_file)
        args += ["--out", str(sources_file)]
    else:
        link = tmp_path / "link.toml"
        link.symlink_to(sources_file)
        args += ["--sources", str(sources_file), "--out", str(link)]
    result = runner.invoke(args=args)
    assert result.exit_code != 0
    assert "refusing to write the proposal into the live sources file" in result.output
    assert sources_file.read_bytes() == before
    assert city.hosts_contacted() == set()  # refused before any crawling


def test_cli_start_url_must_be_on_an_allowed_host(
    city: Multisite, sources_file: Path, app, runner
) -> None:
    result = runner.invoke(
        args=[
            "sources",
            "discover",
            "--sources",
            str(sources_file),
            "--start",
            f"http://{FOREIGN_LINKED}/",
        ]
    )
    assert result.exit_code != 0
    assert "not on an allowed host" in result.output
    assert city.foreign.requests == [] and FOREIGN_LINKED not in city.resolver.hosts


def test_sources_without_a_subcommand_still_lists_the_sources(
    sources_file: Path, app, runner
) -> None:
    result = runner.invoke(args=["sources", "--sources", str(sources_file)])
    assert result.exit_code == 0, result.output
    assert "malangkota  [wordpress]" in result.output
    assert "tugutirta  [html]" in result.output


def test_hostile_names_and_evidence_stay_inside_their_strings_and_comments(tmp_path: Path) -> None:
    from ingest.discover import Proposal, Unusable

    opd = 'Dinas "Uji" \\ Coba\nbaris\x7f'
    result = Discovery(seeds=["http://malangkota.go.id/"], limits=Limits())
    result.proposals.append(
        Proposal(
            host=f"uji.{CITY}",
            id="uji",
            kind="html",
            url=f"http://uji.{CITY}/",
            opd=opd,
            interval="1d",
            opd_from='the page <title> "x"\n[[source]]',
            item_selector='a[href*="berita"]',
            evidence=['listing\nid = "palsu"', "\x00\x1b[31m"],
            found_on=f"http://{CITY}/\r\n[defaults]",
        )
    )
    result.unusable.append(Unusable(f"mati.{CITY}", "", 'refused\n[[source]]\nid = "x"'))
    path = tmp_path / "proposal.toml"
    path.write_text(render_proposal(result, generated_at=NOW, sources_file="s\n.toml"), "utf-8")

    (only,) = load_sources(path)
    assert (only.id, only.opd, only.selectors.item) == ("uji", opd, 'a[href*="berita"]')


def test_an_empty_proposal_says_so(tmp_path: Path) -> None:
    text = render_proposal(
        Discovery(seeds=[], limits=Limits()), generated_at=NOW, sources_file="sources.toml"
    )
    assert "# No new source to propose." in text
    assert "[[source]]" not in text.replace("`", "")


# --------------------------------------------------------------------------------------------
# Names and ids
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Beranda – Dinas Kesehatan Kota Malang", "Dinas Kesehatan"),
        ("Kelurahan Sumbersari &#8211; Kecamatan Lowokwaru", "Kelurahan Sumbersari"),
        (
            "BPBD Kota Malang | Badan Penanggulangan Bencana Daerah",
            "Badan Penanggulangan Bencana Daerah",
        ),
        ("Kelurahan Blimbing, Kota Malang", "Kelurahan Blimbing"),
        ("Website Resmi Pemerintah Kota Malang", ""),
        ("Just another WordPress site", ""),
        ("Beranda", ""),
    ],
)
def test_site_titles_lose_their_boilerplate(title: str, name: str) -> None:
    assert clean_site_name(title) == name


def test_ids_and_fallback_names_come_from_the_host() -> None:
    assert source_id_for(f"dinkes.{CITY}") == "dinkes"
    assert source_id_for(f"www.{CITY}") == "malangkota"
    assert source_id_for(f"uptd.pasar.{CITY}") == "uptd-pasar"
    assert source_id_for("perumdatugutirta.co.id") == "perumdatugutirta"
    assert opd_from_host(f"kelarjosari.{CITY}") == "Kelurahan Arjosari"
    assert opd_from_host(f"puskpolowijen.{CITY}") == "Puskesmas Polowijen"
    assert opd_from_host(f"bkpsdm.{CITY}") == "BKPSDM"
