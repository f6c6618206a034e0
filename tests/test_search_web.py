"""The journalist's search on the site and the API: facets and filters in the URL, syntax
fallbacks, Atom feeds (read back with feedparser), CSV/JSON exports, release pages with versions
and word-level diffs, the removed-release banner, citations and the API documentation.

One app on the bundled demo data, loaded once through the real path; version histories are made
by recording changed releases in the archive and syncing the index, as ingest does.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import feedparser
import pytest

from archive.release import Release
from index.search import EXPORT_LIMIT, SearchQuery
from ingest.indexing import sync_index
from tests.demo import demo_site

WIB = timezone(timedelta(hours=7))
PUPR = "Dinas Pekerjaan Umum, Penataan Ruang, Perumahan dan Kawasan Permukiman"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    yield from demo_site(tmp_path_factory, "search-web")


@pytest.fixture
def web(site):
    return site.test_client()


def page(web, url: str, **query) -> str:
    response = web.get(url, query_string=query) if query else web.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def release(url: str, title: str, paragraphs: list[str], **extra) -> Release:
    return Release(
        url=url,
        title=title,
        paragraphs=paragraphs,
        html="".join(f"<p>{p}</p>" for p in paragraphs),
        source_id="uji",
        opd=extra.pop("opd", "Dinas Perhubungan"),
        published=extra.pop("published", datetime(2025, 6, 2, 9, 0, tzinfo=WIB)),
        categories=extra.pop("categories", ["Berita", "Transportasi"]),
        tags=extra.pop("tags", ["angkot"]),
        author=extra.pop("author", "uji/red"),
        **extra,
    )


def record(site, *versions: Release) -> int:
    """Record each version in turn (an hour apart), sync the index, return the release id."""
    services = site.extensions["saring"]
    start = datetime(2025, 6, 2, 10, 0, tzinfo=UTC)
    for number, version in enumerate(versions):
        services.archive.record(version, seen_at=start + timedelta(hours=number))
    sync_index(services.archive, services.index)
    return next(r.id for r in services.archive.iter_releases() if r.url == versions[0].url)


FARE = "https://dishub.malangkota.go.id/2025/06/02/uji-tarif-angkot-pelajar/"
FARE_V1 = release(
    FARE,
    "Tarif Angkot Pelajar Tetap Rp3 Ribu",
    [
        "Dinas Perhubungan memastikan tarif angkot untuk pelajar tetap Rp3 ribu.",
        "Pengemudi yang menarik ongkos lebih dapat dilaporkan ke Dishub.",
    ],
)
FARE_V2 = release(
    FARE,
    "Tarif Angkot Pelajar Tetap Rp3 Ribu",
    [
        "Dinas Perhubungan memastikan tarif angkot untuk pelajar tetap Rp3 ribu sampai Desember.",
        "Pengemudi yang menarik ongkos lebih dapat dilaporkan ke Dishub.",
        "Laporan bisa dikirim melalui kanal pengaduan resmi Pemkot Malang.",
    ],
)


@pytest.fixture(scope="module")
def fare(site) -> int:
    """A release with two versions: the second adds words and a paragraph."""
    return record(site, FARE_V1, FARE_V2)


# Search page ----------------------------------------------------------------------------------


def test_search_page_shows_facets_with_counts_and_facet_links_keep_the_query(web):
    html = page(web, "/cari", q="banjir")
    assert 'aria-label="Saring hasil"' in html
    match = re.search(
        r'href="(/cari\?[^"]*opd=[^"]+)">Dinas Pekerjaan Umum[^<]*<span class="n">(\d+)', html
    )
    assert match, "an OPD facet link with a count"
    link = match.group(1).replace("&amp;", "&")
    args = parse_qs(urlsplit(link).query)
    assert args["q"] == ["banjir"] and args["opd"] == [PUPR]
    filtered = page(web, link)
    assert filtered.count('class="result"') == int(match.group(2))
    assert "Hapus semua filter" in filtered and "OPD: Dinas Pekerjaan Umum" in filtered


def test_filters_combine_and_stay_in_every_link(web):
    html = page(web, "/cari", q="", opd=PUPR, year="2025", sort="newest", per_page="2")
    pager = re.search(r'<nav class="pager".*?</nav>', html, re.S).group(0)
    next_link = re.search(r'rel="next" href="([^"]+)"', pager).group(1).replace("&amp;", "&")
    args = parse_qs(urlsplit(next_link).query)
    assert args == {
        "opd": [PUPR],
        "year": ["2025"],
        "sort": ["newest"],
        "per_page": ["2"],
        "page": ["2"],
    }
    for feed in ("/cari.atom", "/cari.csv", "/cari.json"):
        assert re.search(re.escape(feed) + r"\?[^\"]*year=2025", html), feed
    assert 'name="year" value="2025"' in html  # the search form keeps the filters


def test_month_facet_appears_within_a_chosen_year(web):
    html = page(web, "/cari", year="2025")
    assert "<h3>Bulan</h3>" in html and "Desember 2025" in html
    assert "<h3>Bulan</h3>" not in page(web, "/cari")


def test_broken_syntax_searches_the_words_and_says_so(web):
    html = page(web, "/cari", q='"seragam gratis')
    assert "tanda kutip tanpa pasangan" in html
    assert html.count('class="result"') >= 2


def test_did_you_mean_links_to_the_corrected_search(web):
    html = page(web, "/cari", q="stuntng")
    assert "Mungkin maksud Anda" in html and "/cari?q=stunting" in html


def test_no_results_offers_next_steps(web):
    html = page(web, "/cari", q="banjir", opd="Dinas Perhubungan", year="2021")
    assert "Tidak ada rilis yang cocok" in html
    assert "Cari tanpa filter OPD" in html and "Cari tanpa filter Tahun" in html
    assert "Langganan feed Atom" in html and "kind=all" in html


def test_empty_query_lists_the_latest_releases(site, web):
    html = page(web, "/cari")
    archived = list(site.extensions["saring"].archive.iter_releases())
    total = f"{len(archived):,}".replace(",", ".")
    assert re.search(rf"<strong>{total}</strong>\s+rilis di arsip", html)  # the whole archive
    shown = [int(i) for i in re.findall(r'<li class="result">.*?href="/rilis/(\d+)"', html, re.S)]
    published = {r.id: r.published for r in archived}
    newest = sorted((r.published for r in archived), reverse=True)[:10]
    assert [published[i] for i in shown] == newest


def test_bad_filter_values_are_a_clear_400(web):
    for args in ({"sort": "acak"}, {"year": "20x5"}, {"month": "2025-13"}, {"from": "kemarin"}):
        response = web.get("/api/v1/search", query_string=args)
        assert response.status_code == 400
        assert next(iter(args)) in response.get_json()["error"]["detail"]
        assert web.get("/cari", query_string=args).status_code == 400


def test_pages_carry_no_inline_script_or_style(web, fare):
    for url in ("/cari?q=banjir", f"/rilis/{fare}", f"/rilis/{fare}/versi", "/api"):
        html = page(web, url)
        assert " style=" not in html and "<style" not in html
        # scripts only as files of the site (the copy button), never inline
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
        assert html.count("<script") == len(scripts)
        assert all(re.fullmatch(r' src="/static/[a-z]+\.js" defer', a) and not body
                   for a, body in scripts), url  # fmt: skip


# API ------------------------------------------------------------------------------------------


def test_api_search_takes_the_same_parameters_and_returns_facets_and_paging(web):
    data = web.get(
        "/api/v1/search", query_string={"q": "banjir", "year": "2025", "per_page": "2"}
    ).get_json()
    assert data["total"] >= 3 and data["pages"] == -(-data["total"] // 2)
    assert len(data["results"]) == 2 and data["filters"] == {"year": "2025"}
    assert {f["value"] for f in data["facets"]["year"]} == {"2025"}
    assert sum(f["count"] for f in data["facets"]["opd"]) == data["total"]
    assert data["links"]["next"].endswith("page=2") and "year=2025" in data["links"]["next"]
    assert data["links"]["prev"] is None
    first = data["results"][0]
    assert first["archive_url"].endswith(f"/rilis/{first['id']}")
    assert "<mark>" in first["snippet"]


def test_api_suggestion_and_notice(web):
    data = web.get("/api/v1/search", query_string={"q": "stuntng"}).get_json()
    assert data["suggestion"]["q"] == "stunting"
    assert data["suggestion"]["url"].startswith("/api/v1/search?q=stunting")
    assert web.get("/api/v1/search", query_string={"q": "banjir OR"}).get_json()["notice"]


def test_openapi_documents_every_search_parameter_and_api_route(site, web):
    spec = web.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"] == "3.1.0"
    documented = {p["name"] for p in spec["paths"]["/api/v1/search"]["get"]["parameters"]}
    read: set[str] = set()

    class Recorder(dict):
        def get(self, key, default=None):
            read.add(key)
            return default

    SearchQuery.from_args(Recorder())
    assert read == documented
    routes = {
        re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for rule in site.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
        and rule.rule.startswith("/api/v1/")
        and rule.rule != "/api/v1/openapi.json"
    }
    assert routes <= set(spec["paths"])
    assert {"/cari.atom", "/cari.csv", "/cari.json"} <= set(spec["paths"])
    docs = page(web, "/api")
    assert "/api/v1/openapi.json" in docs and "Sintaks kata kunci" in docs and "opd" in docs
    english = page(site.test_client(), "/api?lang=en")  # its own client: the choice is a cookie
    assert "Query syntax" in english and "/api/v1/openapi.json" in english


# Feeds and exports ----------------------------------------------------------------------------


def test_atom_feed_is_valid_and_lists_the_newest_matches(web):
    response = web.get("/cari.atom", query_string={"q": "banjir", "opd": PUPR})
    assert response.status_code == 200
    assert response.content_type.startswith("application/atom+xml")
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert "banjir" in feed.feed.title and PUPR in feed.feed.title
    self_link = next(link.href for link in feed.feed.links if link.rel == "self")
    assert "/cari.atom?" in self_link and "q=banjir" in self_link
    entries = feed.entries
    api = web.get("/api/v1/search", query_string={"q": "banjir", "opd": PUPR}).get_json()
    assert len(entries) == api["total"] >= 2
    stamps = [entry.published_parsed for entry in entries]
    assert stamps == sorted(stamps, reverse=True)
    for entry in entries:
        assert re.search(r"/rilis/\d+$", entry.link) and entry.id == entry.link
        assert entry.updated_parsed and entry.author == PUPR
        assert any(link.rel == "related" for link in entry.links)


def test_atom_feed_escapes_text_and_survives_an_empty_result(site, web):
    record(
        site,
        release(
            "https://dishub.malangkota.go.id/2025/06/03/uji-feed/",
            'Uji <b>"Feed"</b> & Tarif < 5',
            ["Paragraf uji feed dengan tanda & dan <script>alert(1)</script>."],
        ),
    )
    feed = feedparser.parse(web.get("/cari.atom", query_string={"q": "uji feed"}).data)
    assert not feed.bozo
    assert feed.entries[0].title == 'Uji <b>"Feed"</b> & Tarif < 5'
    assert "<script>" not in feed.entries[0].summary
    empty = feedparser.parse(web.get("/cari.atom", query_string={"q": "zzqqxx"}).data)
    assert not empty.bozo and empty.entries == [] and empty.feed.updated_parsed


def test_csv_export_has_the_columns_and_defuses_formulas(site, web):
    record(
        site,
        release(
            "https://dishub.malangkota.go.id/2025/06/04/uji-formula/",
            '=HYPERLINK("http://contoh.invalid","klik") tarif formula',
            ["Isi uji formula tarif."],
            opd="@Dinas Uji",
        ),
    )
    response = web.get("/cari.csv", query_string={"q": "formula"})
    assert response.content_type.startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert list(rows[0]) == [
        "id",
        "title",
        "opd",
        "published",
        "modified",
        "categories",
        "status",
        "kind",
        "url",
        "archive_url",
    ]
    (row,) = rows
    assert row["title"].startswith("'=HYPERLINK") and row["opd"] == "'@Dinas Uji"
    assert row["archive_url"].endswith(f"/rilis/{row['id']}") and row["url"].startswith("https://")
    assert row["published"].endswith("+07:00") and row["categories"] == "Berita; Transportasi"
    assert response.headers["X-Total-Count"] == "1"


def test_json_export_is_bounded_and_says_when_it_was_cut(web):
    data = json.loads(web.get("/cari.json").get_data(as_text=True))
    assert data["total"] == data["exported"] <= EXPORT_LIMIT and not data["truncated"]
    assert {"url", "title", "opd", "published", "archive_url"} <= set(data["results"][0])
    dates = [r["published"] for r in data["results"] if r["published"]]
    assert dates == sorted(dates, reverse=True)
    page_two = json.loads(web.get("/cari.json", query_string={"page": "5"}).get_data(as_text=True))
    assert page_two["exported"] == data["exported"]  # exports ignore paging


# Release pages --------------------------------------------------------------------------------


def test_release_page_shows_facts_citation_related_and_preview_tags(web, fare):
    html = page(web, f"/rilis/{fare}")
    for text in ("Pertama dilihat Saring", "Terakhir diperiksa", "uji/red", "Transportasi"):
        assert text in html
    citation = re.search(r'<textarea id="citation"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    assert "Dinas Perhubungan Kota Malang" in citation and FARE in citation
    assert re.search(
        rf"versi 2 dari 2, diambil 2 Juni 2025, 18\.00 WIB: http://\S+/rilis/{fare}/versi/2",
        citation,
    )
    assert 'property="og:title" content="Tarif Angkot Pelajar Tetap Rp3 Ribu"' in html
    assert 'name="twitter:card" content="summary"' in html
    assert 'property="og:url"' in html and 'property="article:published_time"' in html
    assert "Rilis terkait" in html


def test_version_history_and_word_level_diff(web, fare):
    html = page(web, f"/rilis/{fare}/versi")
    assert "Versi 1" in html and "Versi 2" in html
    assert "<ins>sampai Desember</ins>" in html
    assert "<ins>Laporan bisa dikirim melalui kanal pengaduan resmi Pemkot Malang.</ins>" in html
    assert "<del>" not in html.split('class="body"')[1]  # nothing was removed
    back = page(web, f"/rilis/{fare}/versi", dari="2", ke="1")
    assert "<del>sampai Desember</del>" in back
    api = web.get(f"/api/v1/releases/{fare}/diff").get_json()
    assert api["from"] == 1 and api["to"] == 2 and api["added_words"] == 11
    assert {"op": "insert", "text": "sampai Desember"} in api["paragraphs"][0]
    assert web.get(f"/rilis/{fare}/versi", query_string={"dari": "9"}).status_code == 400


def test_old_version_stays_readable_and_citable(web, fare):
    html = page(web, f"/rilis/{fare}/versi/1")
    assert "versi 1 dari 2" in html and "sampai Desember" not in html
    assert f"/rilis/{fare}/versi/1" in html  # the citation points at this version
    data = web.get(f"/api/v1/releases/{fare}/versions/1").get_json()
    assert data["number"] == 1 and data["of"] == 2 and data["paragraphs"] == FARE_V1.paragraphs
    assert web.get(f"/rilis/{fare}/versi/3").status_code == 404


def test_diff_escapes_archived_text(site, web):
    url = "https://dishub.malangkota.go.id/2025/06/05/uji-escape/"
    first = release(url, "Uji escape", ["Teks <b>lama</b> di sini."])
    second = release(url, "Uji escape", ["Teks <script>alert(1)</script> di sini."])
    html = page(web, f"/rilis/{record(site, first, second)}/versi")
    assert "<script" not in html and "<b>" not in html
    assert "&lt;<del>b</del><ins>script</ins>&gt;<del>lama</del><ins>alert(1)</ins>" in html


def test_removed_release_shows_a_banner_and_stays_readable(site, web):
    services = site.extensions["saring"]
    url = "https://dishub.malangkota.go.id/2025/06/06/uji-dihapus/"
    gone = record(site, release(url, "Rilis uji yang dihapus", ["Isi rilis uji dihapus."]))
    services.archive.mark_removed(url)
    sync_index(services.archive, services.index)
    html = page(web, f"/rilis/{gone}")
    assert "Rilis ini sudah dihapus dari situs sumbernya" in html
    assert "Isi rilis uji dihapus." in html
    assert "[Dihapus dari situs sumber]" in html  # the preview says so too
    assert web.get(f"/api/v1/releases/{gone}").get_json()["status"] == "removed"
    results = page(web, "/cari", q="rilis uji dihapus")
    assert "dihapus dari sumber" in results
    assert "dihapus dari situs sumbernya" in page(web, f"/rilis/{gone}/versi")


def test_release_page_lists_clarifications_citing_it(site, web):
    from web.clarify_links import clarifications_citing

    services = site.extensions["saring"]
    with site.test_request_context():
        cited = [(r.id, clarifications_citing(r.id)) for r in services.archive.iter_releases()]
    cited = [(release_id, items) for release_id, items in cited if items]
    assert cited, "the demo's published clarifications cite releases; this one needs them"
    release_id, items = cited[0]
    html = page(web, f"/rilis/{release_id}")
    assert "Dirujuk oleh klarifikasi" in html
    for item in items:
        assert item["url"] in html
