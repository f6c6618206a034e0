"""The city's sites for discovery tests: a WordPress-shaped multisite on 127.0.0.1.

Every subsite is a real HTTP server on 127.0.0.1: WordPress ones are tests/wpsite.WordPressSite
(feed and REST posts) with a home page and a REST index added, the others plain LocalServers. The
test resolver (tests/resolver.ResolverSpy, strict: unknown names fail, no real DNS) maps each
``*.malangkota.go.id`` name to its server's port, so the URLs, Host headers and the fetcher's
rules are those of port 80. Two foreign names map to a server of their own, which must never
receive a request. EXPECTED_PROPOSALS and EXPECTED_UNUSABLE say what discovery must conclude.

    @pytest.fixture
    def city(monkeypatch):
        yield from serve_city(monkeypatch)
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

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


def serve_city(monkeypatch: pytest.MonkeyPatch) -> Iterator[Multisite]:
    """Yield the running multisite with its names resolved to it, then stop every server."""
    with ExitStack() as stack:
        sites = Multisite(stack)
        monkeypatch.setattr(socket, "getaddrinfo", sites.resolver)
        monkeypatch.setenv("SARING_ALLOW_PRIVATE_HOSTS", "1")
        yield sites


def write_sources(path: Path) -> Path:
    """The multisite's sources file (three configured sources) at `path`."""
    path.write_text(SOURCES_TOML, encoding="utf-8")
    return path
