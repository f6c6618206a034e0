"""Tests for ingest.parsers: feeds, WordPress REST pages, article pages and listing pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.normalise import normalise_item, parse_date
from ingest.parsers import (
    MAX_INPUT_BYTES,
    ArticleSelectors,
    ParsedPage,
    extract_article,
    parse_feed,
    parse_listing,
    parse_wp_posts,
)

FIXTURES = Path(__file__).parent / "fixtures" / "parse"
MAIN_FEED = "https://malangkota.go.id/feed/"
REST_URL = "https://dispendukcapil.malangkota.go.id/wp-json/wp/v2/posts?_embed=1&page=1"
LISTING_URL = "https://kelmerjosari.malangkota.go.id/category/berita-merjosari/page/3/"
ARTICLE_URL = (
    "https://malangkota.go.id/2025/03/02/sertijab-di-dprd-wahyu-ali-ajak-warga-bergandeng-tangan/"
)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def joined(page: ParsedPage) -> str:
    return " | ".join(page.problems)


# --------------------------------------------------------------------------------------------
# parse_feed
# --------------------------------------------------------------------------------------------


def test_wordpress_feed_gives_full_content_items() -> None:
    page = parse_feed(fixture("wp_rss2_content_encoded.xml"), MAIN_FEED, "application/rss+xml")
    assert page.problems == []
    assert len(page.items) == 3
    first = page.items[0]
    assert first.url == (
        "https://malangkota.go.id/2026/02/13/"
        "cabai-tembus-rp90-ribu-pemkot-malang-gelar-20-kali-gerakan-pangan-murah-selama-ramadan/"
    )
    assert first.title.startswith("Cabai Tembus Rp90 Ribu, Pemkot Malang Gelar 20 Kali")
    assert first.is_summary is False
    assert "<p>Malang, (malangkota.go.id)" in first.html
    assert "(say/yon)</p>" in first.html
    assert "[&#8230;]" not in first.html  # the description was not used
    assert first.guid == "https://malangkota.go.id/?p=91452"
    assert first.author == "Humas Kota Malang"
    assert first.published == "Fri, 13 Feb 2026 05:00:00 +0000"
    assert first.modified == ""  # RSS has no modified date; never copy the published one


def test_wordpress_feed_keeps_all_category_elements_as_categories() -> None:
    page = parse_feed(fixture("wp_rss2_content_encoded.xml"), MAIN_FEED, "application/rss+xml")
    assert page.items[0].categories == ["Berita", "Harga Pangan", "Gerakan Pangan Murah", "cabai"]
    assert page.items[0].tags == []
    assert page.items[1].categories == ["Berita", "Pemerintahan", "HUT Kota Malang"]


def test_feed_titles_come_back_decoded() -> None:
    page = parse_feed(fixture("wp_rss2_content_encoded.xml"), MAIN_FEED, "application/rss+xml")
    assert page.items[1].title.endswith("Kolaborasi & Visi Strategis")


@pytest.mark.parametrize(
    "content_type", ["", "text/html; charset=UTF-8", "text/xml", "application/octet-stream"]
)
def test_feed_served_with_a_wrong_content_type_still_parses_cleanly(content_type: str) -> None:
    page = parse_feed(fixture("wp_rss2_content_encoded.xml"), MAIN_FEED, content_type)
    assert page.problems == []
    assert [item.title[:5] for item in page.items] == ["Cabai", "Upaca", "Angka"]
    assert "“Kami ingin warga" in page.items[0].html or "&#8220;Kami" in page.items[0].html


def test_description_only_feed_gives_summaries() -> None:
    page = parse_feed(
        fixture("rss_description_only.xml"), "http://dinkes.malangkota.go.id/feed/", "text/xml"
    )
    assert page.problems == []
    assert len(page.items) == 2
    assert all(item.is_summary for item in page.items)
    assert "memetakan kelurahan yang menjadi lokasi prioritas" in page.items[0].html
    assert page.items[1].html.startswith("Dinas Kesehatan (Dinkes) Kota Malang mengukur")
    assert page.items[0].url.startswith("http://dinkes.malangkota.go.id/2022/09/06/")
    assert page.items[1].categories == ["Berita", "Kesehatan"]


def test_atom_feed_separates_tags_by_scheme_and_keeps_both_dates() -> None:
    url = "https://kelsumbersari.malangkota.go.id/feed/atom/"
    page = parse_feed(fixture("atom_feed.xml"), url, "application/atom+xml")
    assert page.problems == []
    full, summary = page.items
    assert full.title == "Kerja Bakti Bersihkan Saluran Jelang Musim Hujan"
    assert full.is_summary is False
    assert "Lowokwaru, (malangkota.go.id)" in full.html
    assert full.categories == ["Kegiatan Kelurahan"]
    assert full.tags == ["drainase"]
    assert full.published == "2025-10-16T03:05:00Z"
    assert full.modified == "2025-10-16T08:12:40Z"
    assert full.author == "Admin Sumbersari"
    assert full.guid == "https://kelsumbersari.malangkota.go.id/?p=2481"
    # relative image path resolved against the entry's base
    assert "https://kelsumbersari.malangkota.go.id/wp-content/uploads/sites/77/" in full.html
    assert summary.is_summary is True
    assert summary.html == (
        "<p>Kader posyandu di tujuh RW menimbang dan mengukur tinggi badan balita secara serentak."
        "</p>"
    )


def test_malformed_feed_returns_recovered_entries_and_names_the_problem() -> None:
    url = "https://dishub.malangkota.go.id/feed/"
    page = parse_feed(fixture("malformed_feed.xml"), url, "application/rss+xml")
    assert [item.title[:12] for item in page.items] == ["Antisipasi L", "Sepeda Motor"]
    assert any("not well-formed XML" in problem for problem in page.problems)
    assert any("mismatched tag" in problem for problem in page.problems)
    assert "entry 2 has no link; skipped" in page.problems


def test_html_page_is_not_a_feed() -> None:
    page = parse_feed(fixture("not_a_feed.html"), MAIN_FEED, "text/html; charset=UTF-8")
    assert page.items == []
    assert "HTML page" in joined(page)


@pytest.mark.parametrize(
    "data", [b"", b"   \n", b"\x00\xff\xfe garbage \x01", b"Service Unavailable", b"{}"]
)
def test_non_feed_bytes_give_no_items_and_a_problem(data: bytes) -> None:
    page = parse_feed(data, MAIN_FEED)
    assert page.items == []
    assert page.problems


def test_feed_bytes_are_never_opened_as_a_local_path(tmp_path: Path) -> None:
    local_feed = tmp_path / "feed.xml"
    local_feed.write_bytes(fixture("wp_rss2_content_encoded.xml"))
    page = parse_feed(str(local_feed).encode(), MAIN_FEED, "application/rss+xml")
    assert page.items == []
    assert page.problems


def test_feed_entry_without_link_falls_back_to_a_web_guid() -> None:
    data = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        b'<item><title>Tanpa tautan</title><guid isPermaLink="false">'
        b"https://bpbd.malangkota.go.id/?p=77</guid><description>Isi.</description></item>"
        b"<item><title>Tanpa apa pun</title><description>Isi.</description></item>"
        b"</channel></rss>"
    )
    page = parse_feed(data, "https://bpbd.malangkota.go.id/feed/", "application/rss+xml")
    assert [item.url for item in page.items] == ["https://bpbd.malangkota.go.id/?p=77"]
    assert any("entry 1 has no link; used its guid" in p for p in page.problems)
    assert "entry 2 has no link; skipped" in page.problems


def test_feed_entry_with_relative_link_is_made_absolute() -> None:
    data = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        b"<item><title>Relatif</title><link>/2024/03/12/relatif/</link></item>"
        b"<item><title>Skrip</title><link>javascript:alert(1)</link></item>"
        b"</channel></rss>"
    )
    page = parse_feed(data, "https://bpbd.malangkota.go.id/feed/", "application/rss+xml")
    assert [item.url for item in page.items] == [
        "https://bpbd.malangkota.go.id/2024/03/12/relatif/"
    ]
    assert "entry 2 has no link; skipped" in page.problems


def test_oversized_feed_is_cut_and_says_so() -> None:
    item = (
        b"<item><title>Besar</title><link>https://malangkota.go.id/a/</link>"
        b"<description>" + b"x" * (MAX_INPUT_BYTES + 10) + b"</description></item>"
    )
    data = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>' + item
    page = parse_feed(data + b"</channel></rss>", MAIN_FEED, "application/rss+xml")
    assert any("only the first" in problem for problem in page.problems)


# --------------------------------------------------------------------------------------------
# parse_wp_posts
# --------------------------------------------------------------------------------------------


def test_rest_posts_give_items_with_embedded_term_names() -> None:
    page = parse_wp_posts(fixture("wp_rest_posts.json"), REST_URL)
    assert [item.url.rsplit("/", 2)[-2][:20] for item in page.items] == [
        "pemohon-adminduk-lew",
        "jadwal-jemput-bola-p",
        "layanan-adminduk-huk",
    ]
    first = page.items[0]
    assert (
        first.title
        == "Pemohon Adminduk Lewat MPP dan Layanan Daring Naik Lebih dari 40&nbsp;Persen"
    )
    assert first.is_summary is False
    assert first.html.startswith("<p>Klojen, MC &#8211; Dinas Kependudukan")
    assert first.categories == ["Berita", "Administrasi Kependudukan"]
    assert first.tags == ["Mal Pelayanan Publik", "SiApel"]
    assert first.author == "Admin Dispendukcapil"
    assert first.guid == "https://dispendukcapil.malangkota.go.id/?p=90211"


def test_rest_dates_prefer_gmt_and_mark_the_offset() -> None:
    page = parse_wp_posts(fixture("wp_rest_posts.json"), REST_URL)
    first, protected, _ = page.items
    assert first.published == "2025-10-27T03:15:00+00:00"
    assert first.modified == "2025-10-28T01:00:00+00:00"
    assert parse_date(first.published) == parse_date("2025-10-27T10:15:00")  # same moment in WIB
    assert protected.published == "2025-10-20T09:00:00+07:00"  # no date_gmt: local time is WIB


def test_rest_protected_post_keeps_its_excerpt_as_a_summary() -> None:
    page = parse_wp_posts(fixture("wp_rest_posts.json"), REST_URL)
    protected = page.items[1]
    assert protected.is_summary is True
    assert "merekam KTP elektronik siswa" in protected.html
    assert "post 2 (id 90187) is password-protected; kept its excerpt" in page.problems


def test_rest_post_without_link_is_skipped_with_a_problem() -> None:
    page = parse_wp_posts(fixture("wp_rest_posts.json"), REST_URL)
    assert "post 3 (id 90150) has no link; skipped" in page.problems
    assert all("tautannya hilang" not in item.title for item in page.items)


def test_rest_terms_of_other_taxonomies_are_ignored() -> None:
    page = parse_wp_posts(fixture("wp_rest_posts.json"), REST_URL)
    last = page.items[2]
    assert last.categories == ["Berita Hukum, Politik, dan Pemerintahan"]
    assert last.tags == []
    assert last.author == ""


def test_rest_total_pages_is_passed_through() -> None:
    assert parse_wp_posts(fixture("wp_rest_posts.json"), REST_URL, total_pages="7").total_pages == 7
    assert parse_wp_posts(b"[]", REST_URL, total_pages=2).total_pages == 2
    page = parse_wp_posts(b"[]", REST_URL, total_pages="banyak")
    assert page.total_pages is None
    assert "X-WP-TotalPages" in joined(page)


def test_rest_no_route_error_is_a_problem_not_an_exception() -> None:
    page = parse_wp_posts(fixture("wp_rest_no_route.json"), REST_URL)
    assert page.items == []
    assert page.problems == [
        "REST API error rest_no_route: Tidak ada rute yang cocok dengan URL dan metode permintaan."
    ]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            json.dumps({"code": "rest_disabled", "message": "The REST API is disabled."}).encode(),
            "REST API error rest_disabled",
        ),
        (fixture("not_a_feed.html"), "HTML page"),
        (b"", "empty REST response"),
        (b"Bad Gateway", "not JSON"),
        (b'{"posts": []}', "JSON object, not a list"),
        (b'"just a string"', "not a list of posts"),
        (b'[1, "dua", null]', "post 1 is not a JSON object"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ],
)
def test_rest_bad_responses_become_problems(data: bytes, expected: str) -> None:
    page = parse_wp_posts(data, REST_URL)
    assert page.items == []
    assert expected in joined(page)


def test_rest_response_with_a_php_notice_before_the_json_is_still_read() -> None:
    notice = b"<br />\n<b>Notice</b>:  Undefined index: lang in /var/www/functions.php<br />\n"
    page = parse_wp_posts(notice + fixture("wp_rest_posts.json"), REST_URL)
    assert len(page.items) == 3
    assert "non-JSON text before the data" in joined(page)


def test_rest_response_with_a_bom_is_read() -> None:
    page = parse_wp_posts(b"\xef\xbb\xbf" + fixture("wp_rest_posts.json"), REST_URL)
    assert len(page.items) == 3


def test_rest_posts_without_embed_report_missing_term_names() -> None:
    post = {
        "id": 5,
        "link": "https://dlh.malangkota.go.id/2025/10/16/x/",
        "title": {"rendered": "Judul"},
        "content": {"rendered": "<p>Isi berita.</p>"},
        "categories": [3],
    }
    page = parse_wp_posts(json.dumps([post]).encode(), REST_URL)
    assert page.items[0].categories == []
    assert "request with _embed" in joined(page)


# --------------------------------------------------------------------------------------------
# extract_article
# --------------------------------------------------------------------------------------------

BOILERPLATE = [
    # menu and header
    "Profil Kota",
    "Sejarah Singkat Kota Malang",
    "Pengaduan SAMBAT Online",
    "Langsung ke konten",
    "Cari berita",
    # share buttons and related posts
    "Bagikan ini",
    "Klik untuk berbagi",
    "WhatsApp",
    "Terkait",
    "Retret Kepala Daerah",
    # inline read-also link
    "Baca Juga",
    "Dilantik Presiden di Istana Merdeka",
    # comments and the comment form
    "tanggapan",
    "Semoga amanah",
    "Tinggalkan Balasan",
    "Akismet",
    # post navigation, widgets, footer, cookie notice
    "Pos Sebelumnya",
    "Berita Terpopuler",
    "Car Free Day",
    "Hak Cipta",
    "kuki",
    # scripts and styles
    "gtag",
    "dataLayer",
    "boalMenu",
    "console.log",
    "margin:0",
    # the article frame: title, meta line and term links are not body text
    "Diposting pada",
    "Kategori:",
]


@pytest.fixture(scope="module")
def boilerplate_article():
    item = extract_article(fixture("article_boilerplate.html"), ARTICLE_URL + "?amp=1")
    assert item is not None
    return item


def test_article_extraction_keeps_the_real_paragraphs(boilerplate_article) -> None:
    html = boilerplate_article.html
    for sentence in (
        "Malang, (malangkota.go.id) – Wali Kota Malang Wahyu Hidayat",
        "Kami tidak bisa bekerja sendiri. Mari bergandeng tangan,",
        "Ketua DPRD Kota Malang menyatakan dewan siap mengawal",
        "agar program pembangunan tepat sasaran. (say/yon)",
        "Suasana sidang paripurna serah terima jabatan",
    ):
        assert sentence in html


@pytest.mark.parametrize("noise", BOILERPLATE)
def test_article_extraction_drops_page_boilerplate(boilerplate_article, noise: str) -> None:
    assert noise not in boilerplate_article.html


def test_article_extraction_reads_the_metadata(boilerplate_article) -> None:
    item = boilerplate_article
    assert item.url == ARTICLE_URL + "?amp=1"
    assert item.title == (
        "Sertijab di DPRD, Wahyu-Ali Ajak Warga Bergandeng Tangan Wujudkan Malang Mbois Berkelas"
    )
    assert item.canonical_url == ARTICLE_URL
    assert item.guid == "https://malangkota.go.id/?p=87012"
    assert item.published == "2025-03-02T06:00:00+00:00"
    assert item.modified == "2025-03-03T01:30:00+00:00"
    assert item.categories == ["Berita", "Pemerintahan"]
    assert item.tags == ["sertijab", "Mbois Berkelas"]
    assert item.author == "Humas Kota Malang"
    assert item.is_summary is False


def test_extracted_article_normalises_into_a_clean_release(boilerplate_article) -> None:
    release, problems = normalise_item(boilerplate_article, source_id="malangkota", opd="Pemkot")
    assert problems == []
    assert release is not None
    assert release.url == ARTICLE_URL
    assert release.dateline == "Malang, (malangkota.go.id) –"
    assert release.author == "say/yon"
    assert release.published is not None and release.published.isoformat() == (
        "2025-03-02T13:00:00+07:00"
    )
    text = "\n".join(release.paragraphs)
    assert "Ali Muthohirin menambahkan" in text
    assert all(noise not in text for noise in BOILERPLATE)


def test_article_dates_fall_back_to_time_elements() -> None:
    page = fixture("article_boilerplate.html")
    for meta in (b'article:published_time"', b'article:modified_time"', b'"datePublished"'):
        page = page.replace(meta, b'x-removed"')
    page = page.replace(b"dateModified", b"x-removed")
    item = extract_article(page, ARTICLE_URL)
    assert item is not None
    assert item.published == "2025-03-02T13:00:00+07:00"
    assert item.modified == "2025-03-03T08:30:00+07:00"


def test_article_title_falls_back_to_the_entry_heading_then_the_page_title() -> None:
    page = fixture("article_boilerplate.html").replace(b'property="og:title"', b'property="x"')
    item = extract_article(page, ARTICLE_URL)
    assert item is not None and item.title.startswith("Sertijab di DPRD, Wahyu-Ali")

    page = page.replace(b'<h1 class="entry-title">', b'<p class="judul">').replace(
        b"Berkelas</h1>", b"Berkelas</p>"
    )
    item = extract_article(page, ARTICLE_URL)
    assert item is not None
    assert item.title == (
        "Sertijab di DPRD, Wahyu-Ali Ajak Warga Bergandeng Tangan Wujudkan Malang Mbois Berkelas"
    )


def test_article_heading_wins_over_the_site_name_heading() -> None:
    page = (
        b"<html><head><title>Beranda</title></head><body>"
        b"<header class='site-header'><h1 class='site-title'>Kelurahan Tunggulwulung</h1></header>"
        b"<article><header><h1>Warga Tunggulwulung Tanam 500 Bibit Pohon</h1></header>"
        b"<div class='entry-content'><p>Blimbing, (malangkota.go.id) &#8211; Sebanyak 500 bibit "
        b"pohon ditanam warga di bantaran sungai pada Minggu (2/11/2025).</p></div></article>"
        b"</body></html>"
    )
    item = extract_article(page, "https://keltunggulwulung.malangkota.go.id/x/")
    assert item is not None
    assert item.title == "Warga Tunggulwulung Tanam 500 Bibit Pohon"
    assert "Tanam 500 Bibit" not in item.html and "Kelurahan Tunggulwulung" not in item.html


def test_windows_1252_page_decodes_without_mojibake() -> None:
    url = "http://kelkiduldalem.malangkota.go.id/2016/09/01/lomba-kampung-bersinar-meriahkan-agustusan/"
    item = extract_article(fixture("article_windows1252.html"), url)
    assert item is not None
    assert item.title == "Lomba “Kampung Bersinar” Meriahkan Agustusan"
    assert "Klojen, MC – Puluhan warga RW 03" in item.html
    assert "gang-gang kecil… bukan hanya" in item.html
    for broken in ("â€", "\x93", "\x94", "\x96", "\ufffd"):
        assert broken not in item.html and broken not in item.title
    release, _ = normalise_item(item, source_id="kelkiduldalem", opd="Kelurahan Kiduldalem")
    assert release is not None and release.author == "tvn" and release.dateline == "Klojen, MC –"


def test_latin1_label_is_read_as_windows_1252_like_browsers_do() -> None:
    page = fixture("article_windows1252.html").replace(
        b"charset=windows-1252", b"charset=ISO-8859-1"
    )
    item = extract_article(page, "http://kelkiduldalem.malangkota.go.id/x/")
    assert item is not None
    assert item.title == "Lomba “Kampung Bersinar” Meriahkan Agustusan"


def test_http_charset_wins_over_a_missing_meta_charset() -> None:
    page = fixture("article_windows1252.html").replace(b"; charset=windows-1252", b"")
    item = extract_article(
        page, "http://kelkiduldalem.malangkota.go.id/x/", content_type="text/html; charset=cp1252"
    )
    assert item is not None and "“Kampung Bersinar”" in item.title


def test_utf8_page_mislabelled_as_windows_1252_is_read_as_utf8() -> None:
    text = fixture("article_windows1252.html").decode("cp1252")
    item = extract_article(text.encode("utf-8"), "http://kelkiduldalem.malangkota.go.id/x/")
    assert item is not None
    assert item.title == "Lomba “Kampung Bersinar” Meriahkan Agustusan"
    assert "â€" not in item.html


def test_utf8_bom_page_is_read() -> None:
    item = extract_article(b"\xef\xbb\xbf" + fixture("article_boilerplate.html"), ARTICLE_URL)
    assert item is not None and item.title.startswith("Sertijab di DPRD")
    assert "“Kami tidak bisa bekerja sendiri." in item.html


def test_configured_selectors_find_a_custom_theme() -> None:
    selectors = ArticleSelectors(title="h2.judul", body="div.isi", date="p.info")
    item = extract_article(fixture("article_date_text_only.html"), "https://x.go.id/a", selectors)
    assert item is not None
    assert item.title == "Jelang Idul Fitri, Pasar Murah Digelar di Empat Titik"
    assert (
        item.published == "Ditulis oleh Humas Diskopindag pada Senin, 18 April 2022 pukul 11.00 WIB"
    )
    assert parse_date(item.published) is not None
    assert parse_date(item.published).isoformat() == "2022-04-18T11:00:00+07:00"
    assert "750 paket sembako" in item.html
    assert "Jalan Simpang Terusan Danau Sentani" not in item.html


def test_indonesian_date_text_outside_the_body_is_found() -> None:
    item = extract_article(
        fixture("article_date_text_only.html"),
        "https://x.go.id/a",
        ArticleSelectors(body="div.isi"),
    )
    assert item is not None
    # the page title, without the site name after " | "
    assert item.title == "Jelang Idul Fitri, Pasar Murah Digelar di Empat Titik"
    # the printed date line, not the event dates inside the body
    assert item.published == "Senin, 18 April 2022 pukul 11.00 WIB"


def test_broken_selectors_fall_back_instead_of_raising() -> None:
    selectors = ArticleSelectors(title="h2[", body="div..isi", date=":::")
    item = extract_article(fixture("article_boilerplate.html"), ARTICLE_URL, selectors)
    assert item is not None and "Ketua DPRD Kota Malang" in item.html


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x00\x01\x02\xff",
        b"<html><body><nav><a href='/'>Beranda</a></nav><footer>Hak Cipta</footer></body></html>",
        b"<!DOCTYPE html><html><head><title>Kosong</title></head><body></body></html>",
    ],
)
def test_extract_article_returns_none_when_nothing_usable(data: bytes) -> None:
    assert extract_article(data, ARTICLE_URL) is None


def test_custom_theme_without_selectors_gives_none() -> None:
    assert extract_article(fixture("article_date_text_only.html"), "https://x.go.id/a") is None


def test_hostile_page_extracts_text_and_normalises_to_safe_html() -> None:
    url = "https://keljatimulyo.malangkota.go.id/2025/11/03/info-banjir/"
    item = extract_article(fixture("hostile_page.html"), url)
    assert item is not None
    assert item.title == "Info Banjir Jalan Soekarno-Hatta"
    for gone in ("<script", "<iframe", "<form", "password", "<svg", "<math", "<noscript"):
        assert gone not in item.html.lower()
    release, _ = normalise_item(item, source_id="keljatimulyo", opd="Kelurahan Jatimulyo")
    assert release is not None
    html = release.html.lower()
    for marker in ("<script", "javascript:", "onerror", "onclick", "<form", "<iframe", "xlink"):
        assert marker not in html
    assert "data:" not in html and "style=" not in html and "evil.example" not in html
    assert release.paragraphs[-1] == "Warga diminta tidak melintas saat arus air masih deras."
    assert release.author == "ari/yon"


def test_embed_tag_does_not_swallow_the_rest_of_the_article() -> None:
    page = (
        b"<html><body><article><div class='entry-content'>"
        b"<p>Paragraf pembuka tentang pelatihan pengolahan sampah di Hotel Pelangi.</p>"
        b"<embed src='https://malangkota.go.id/video.mp4'>"
        b"<p>Paragraf penutup yang harus tetap ada setelah embed.</p>"
        b"</div></article></body></html>"
    )
    item = extract_article(page, "https://dlh.malangkota.go.id/x/")
    assert item is not None and "Paragraf penutup yang harus tetap ada" in item.html


# --------------------------------------------------------------------------------------------
# parse_listing
# --------------------------------------------------------------------------------------------


def test_listing_gives_absolute_unique_links_with_titles() -> None:
    page = parse_listing(
        fixture("listing.html"), LISTING_URL, ArticleSelectors(item="article.post")
    )
    assert [(item.url, item.title) for item in page.items] == [
        (
            "https://kelmerjosari.malangkota.go.id/2024/06/10/posyandu-lansia-rw-07-periksa-tensi-gratis/",
            "Posyandu Lansia RW 07 Periksa Tensi Gratis",
        ),
        (
            "https://kelmerjosari.malangkota.go.id/2024/06/05/kerja-bakti-bersihkan-sungai-metro/",
            "Kerja Bakti Bersihkan Sungai Metro",
        ),
        (
            "https://kelmerjosari.malangkota.go.id/2024/05/28/sosialisasi-pbb-di-balai-rw/",
            "Sosialisasi PBB di Balai RW",
        ),
    ]
    assert all(item.is_summary for item in page.items)
    assert "3 matched element(s) had no http(s) link; skipped" in page.problems


def test_listing_next_link_is_absolute() -> None:
    page = parse_listing(
        fixture("listing.html"), LISTING_URL, ArticleSelectors(item="article.post")
    )
    assert (
        page.next_url == "https://kelmerjosari.malangkota.go.id/category/berita-merjosari/page/4/"
    )


def test_listing_next_link_from_pagination_anchor() -> None:
    data = fixture("listing.html").replace(b'<link rel="next"', b'<link rel="x-next"')
    page = parse_listing(data, LISTING_URL, ArticleSelectors(item="h2.entry-title a"))
    assert (
        page.next_url == "https://kelmerjosari.malangkota.go.id/category/berita-merjosari/page/4/"
    )
    assert len(page.items) == 3


def test_listing_without_next_link_has_none() -> None:
    data = b"<html><body><h2><a href='/2024/01/01/a/'>Satu</a></h2></body></html>"
    page = parse_listing(data, LISTING_URL, ArticleSelectors(item="h2 a"))
    assert page.next_url is None
    assert [item.url for item in page.items] == [
        "https://kelmerjosari.malangkota.go.id/2024/01/01/a/"
    ]


@pytest.mark.parametrize(
    ("selectors", "expected"),
    [
        (ArticleSelectors(item=""), "no item selector"),
        (ArticleSelectors(item="div.tidak-ada"), "matched nothing"),
        (ArticleSelectors(item="article[["), "not valid CSS"),
    ],
)
def test_listing_selector_trouble_is_a_problem(selectors: ArticleSelectors, expected: str) -> None:
    page = parse_listing(fixture("listing.html"), LISTING_URL, selectors)
    assert page.items == []
    assert expected in joined(page)


def test_empty_listing_is_a_problem() -> None:
    page = parse_listing(b"", LISTING_URL, ArticleSelectors(item="a"))
    assert page.items == [] and page.problems
