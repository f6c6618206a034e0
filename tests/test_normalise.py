"""Tests for ingest.normalise: dates, canonical URLs, sanitising, text, datelines and initials."""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from ingest.items import RawItem
from ingest.normalise import (
    WIB,
    canonical_url,
    clean_text,
    html_to_paragraphs,
    normalise_item,
    parse_date,
    sanitise_html,
    split_author,
    split_dateline,
)
from ingest.parsers import parse_feed

FIXTURES = Path(__file__).parent / "fixtures" / "parse"


def wib(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=WIB)


# --------------------------------------------------------------------------------------------
# parse_date
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # ISO 8601: naive means WIB, offsets are converted
        ("2019-09-23T10:00:00", wib(2019, 9, 23, 10, 0)),
        ("2019-09-23 10:00:00", wib(2019, 9, 23, 10, 0)),
        ("2019-09-23T03:00:00+00:00", wib(2019, 9, 23, 10, 0)),
        ("2019-09-23T03:00:00Z", wib(2019, 9, 23, 10, 0)),
        ("2019-09-23T11:00:00+08:00", wib(2019, 9, 23, 10, 0)),
        ("2019-09-23", wib(2019, 9, 23)),
        # RFC 822 as feeds print it
        ("Mon, 23 Sep 2019 03:00:00 +0000", wib(2019, 9, 23, 10, 0)),
        ("Mon, 23 Sep 2019 03:00:00 GMT", wib(2019, 9, 23, 10, 0)),
        ("Mon, 23 Sep 2019 10:00:00 +0700", wib(2019, 9, 23, 10, 0)),
        ("Mon, 23 Sep 2019 10:00:00", wib(2019, 9, 23, 10, 0)),
        # Indonesian numeric dates in release text
        ("Senin (23/09/2019)", wib(2019, 9, 23)),
        ("Kamis (24/6/2021)", wib(2021, 6, 24)),
        ("(27/01/2021)", wib(2021, 1, 27)),
        ("Minggu 12/2/2023", wib(2023, 2, 12)),
        ("Jumat malam (8/8/2025)", wib(2025, 8, 8)),
        ("Selasa pagi (8/4/2025) pukul 07.30 WIB", wib(2025, 4, 8, 7, 30)),
        # Month names, Indonesian and English, with and without time
        ("23 September 2019", wib(2019, 9, 23)),
        ("23 Sep 2019", wib(2019, 9, 23)),
        ("23 Agustus 2019 pukul 10.30 WIB", wib(2019, 8, 23, 10, 30)),
        ("Senin, 23 September 2019 10:30", wib(2019, 9, 23, 10, 30)),
        ("Rabu, 1 Nopember 2023", wib(2023, 11, 1)),
        ("12 Pebruari 2020", wib(2020, 2, 12)),
        ("5 Agt 2021", wib(2021, 8, 5)),
        ("17 Ags 2022", wib(2022, 8, 17)),
        ("2 Mei 2024", wib(2024, 5, 2)),
        ("14 Okt 2025", wib(2025, 10, 14)),
        ("25 Des 2022", wib(2022, 12, 25)),
        ("9 Sept. 2020", wib(2020, 9, 9)),
        ("September 23, 2019", wib(2019, 9, 23)),
        ("Monday, September 23, 2019 at 2:30 pm", wib(2019, 9, 23, 14, 30)),
        ("23 August 2019 10:30", wib(2019, 8, 23, 10, 30)),
        ("Ditulis pada Senin, 18 April 2022 pukul 11.00 WIB", wib(2022, 4, 18, 11, 0)),
        ("18 April 2022 pukul 12.00 WITA", wib(2022, 4, 18, 11, 0)),
    ],
)
def test_parse_date_reads_each_format_as_wib(text: str, expected: datetime) -> None:
    result = parse_date(text)
    assert result == expected
    assert result is not None and result.utcoffset() == timedelta(hours=7)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7 Agus 2025", wib(2025, 8, 7)),
        ("5 Jul. 2025", wib(2025, 7, 5)),
        ("Kamis, 3 Mar 2022 pukul 09.00 WIB", wib(2022, 3, 3, 9, 0)),
        ("30 Nop. 2023", wib(2023, 11, 30)),
    ],
)
def test_parse_date_reads_abbreviated_indonesian_months(text: str, expected: datetime) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "(31/02/2019)",  # no 31 February
        "30 Februari 2024",
        "2019-02-30",
        "0000-00-00 00:00:00",  # WordPress "no date"
        "(31/8)",  # no year and nothing to take one from
        "bukan tanggal",
        "",
        "   ",
        "400.3.1/4856/35.73.401/2025",  # a letter number, not a date
    ],
)
def test_parse_date_returns_none_for_invalid_or_missing_dates(text: str) -> None:
    assert parse_date(text) is None


def test_parse_date_never_raises_on_non_strings() -> None:
    assert parse_date(None) is None  # type: ignore[arg-type]
    assert parse_date(20190923) is None  # type: ignore[arg-type]


def test_parse_date_without_year_uses_default_year() -> None:
    assert parse_date("(31/8)", default_year=2016) == wib(2016, 8, 31)
    assert parse_date("Rabu (31/8)", default_year=2016) == wib(2016, 8, 31)


def test_parse_date_without_year_takes_the_year_nearest_the_reference() -> None:
    reference = wib(2016, 12, 30, 9, 0)
    assert parse_date("(2/1)", reference=reference) == wib(2017, 1, 2)
    assert parse_date("(28/12)", reference=reference) == wib(2016, 12, 28)
    assert parse_date("(31/8)", reference=wib(2016, 9, 1)) == wib(2016, 8, 31)


def test_parse_date_with_year_ignores_default_year() -> None:
    assert parse_date("Kamis (24/6/2021)", default_year=2016) == wib(2021, 6, 24)


def test_parse_date_ignores_numbers_after_the_date_that_are_not_times() -> None:
    assert parse_date("23 September 2019, 10.000 warga hadir") == wib(2019, 9, 23)


# --------------------------------------------------------------------------------------------
# canonical_url
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # /en/ machine-translated copy is the same post
        (
            "https://malangkota.go.id/en/2025/01/18/menteri-pu-puji-pengelolaan-tpa-supit-urang/",
            "https://malangkota.go.id/2025/01/18/menteri-pu-puji-pengelolaan-tpa-supit-urang/",
        ),
        # AMP variants
        (
            "https://kelsumbersari.malangkota.go.id/2024/06/10/kerja-bakti/?amp=1",
            "https://kelsumbersari.malangkota.go.id/2024/06/10/kerja-bakti/",
        ),
        (
            "https://keckedungkandang.malangkota.go.id/festival-kendaraan-hias-tahun-2016/?noamp=mobile",
            "https://keckedungkandang.malangkota.go.id/festival-kendaraan-hias-tahun-2016/",
        ),
        (
            "https://malangkota.go.id/2024/04/03/menpanrb-sebut-kota-malang-terinteraktif/amp/",
            "https://malangkota.go.id/2024/04/03/menpanrb-sebut-kota-malang-terinteraktif/",
        ),
        # comment replies and fragments
        (
            "https://kelblimbing.malangkota.go.id/2018/04/02/kerja-bakti?replytocom=152#respond",
            "https://kelblimbing.malangkota.go.id/2018/04/02/kerja-bakti/",
        ),
        # tracking parameters; ?p=ID is identity and stays
        (
            "https://malangkota.go.id/?p=7818&utm_source=whatsapp&utm_medium=share&fbclid=Ab12",
            "https://malangkota.go.id/?p=7818",
        ),
        (
            "https://ppid.malangkota.go.id/?page_id=175",
            "https://ppid.malangkota.go.id/?page_id=175",
        ),
        (
            "https://malangkota.go.id/2022/08/31/damkar/?share=facebook",
            "https://malangkota.go.id/2022/08/31/damkar/",
        ),
        # http -> https, case, www and default port for the city domain
        (
            "HTTP://DINKES.Malangkota.go.id/feed",
            "https://dinkes.malangkota.go.id/feed/",
        ),
        (
            "http://www.malangkota.go.id:80/2016/08/22/jemput-bola-dispendukcapil",
            "https://malangkota.go.id/2016/08/22/jemput-bola-dispendukcapil/",
        ),
        # files keep their name; other hosts keep http and their own /en/
        (
            "https://malangkota.go.id/wp-content/uploads/2025/03/sertijab.jpg",
            "https://malangkota.go.id/wp-content/uploads/2025/03/sertijab.jpg",
        ),
        (
            "http://infopublik.id/en/kategori/nusantara",
            "http://infopublik.id/en/kategori/nusantara/",
        ),
        ("https://malangkota.go.id", "https://malangkota.go.id/"),
    ],
)
def test_canonical_url_gives_one_spelling_per_post(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


def test_canonical_url_leaves_non_web_and_broken_urls_alone() -> None:
    assert canonical_url("mailto:humas@malangkota.go.id") == "mailto:humas@malangkota.go.id"
    assert canonical_url("javascript:alert(1)") == "javascript:alert(1)"
    assert canonical_url("http://[::1") == "http://[::1"
    assert canonical_url("") == ""


def test_canonical_url_drops_credentials_in_the_host_part() -> None:
    assert canonical_url("https://user:rahasia@malangkota.go.id/berita") == (
        "https://malangkota.go.id/berita/"
    )


# --------------------------------------------------------------------------------------------
# sanitise_html
# --------------------------------------------------------------------------------------------

DANGEROUS = ("<script", "javascript:", "onerror", "onclick", "<form", "<iframe", "xlink", "<svg")

PAYLOADS = [
    "<p>Teks<script>alert(1)</script></p>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">klik</a>',
    '<a href="JaVaScRiPt&#58;alert(1)">klik</a>',
    '<a href="java&#x09;script:alert(1)">klik</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">klik</a>',
    '<iframe src="https://evil.example/"></iframe>',
    '<svg><a xlink:href="javascript:alert(1)"><text>peta</text></a></svg>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<form action="https://evil.example/"><input type="password" name="pw"></form>',
    '<p style="background:url(javascript:alert(1))" onclick="alert(1)">teks</p>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></p></noscript>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<object data="https://evil.example/x.swf"></object><embed src="x.swf">',
    '<details open ontoggle="alert(1)"><summary>x</summary></details>',
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_sanitise_html_leaves_nothing_dangerous(payload: str) -> None:
    cleaned = sanitise_html(payload).lower()
    for marker in (*DANGEROUS, "data:", "<object", "<embed", "<style", "ontoggle"):
        assert marker not in cleaned


def test_sanitise_html_on_the_hostile_fixture_page() -> None:
    page = (FIXTURES / "hostile_page.html").read_text("utf-8")
    cleaned = sanitise_html(page)
    for marker in (*DANGEROUS, "evil.example", "kata sandi", "alert("):
        assert marker not in cleaned.lower()
    assert "Warga diminta tidak melintas saat arus air masih deras." in cleaned


def test_sanitise_html_keeps_allowed_markup_and_marks_links_nofollow() -> None:
    html = (
        '<h2 class="x">Jadwal</h2><p>Buka <strong>Senin</strong>&ndash;<em>Jumat</em>.'
        '<a href="https://malangkota.go.id/" target="_blank">Situs</a></p>'
        '<table><tr><td colspan="2">Loket 1</td></tr></table>'
        '<img src="https://malangkota.go.id/a.jpg" alt="MPP" width="300" data-id="9">'
    )
    cleaned = sanitise_html(html)
    assert "<h2>Jadwal</h2>" in cleaned
    assert "<strong>Senin</strong>" in cleaned
    assert 'href="https://malangkota.go.id/"' in cleaned
    assert 'rel="noopener noreferrer nofollow"' in cleaned
    assert 'colspan="2"' in cleaned
    assert 'alt="MPP"' in cleaned and 'width="300"' in cleaned
    assert "target=" not in cleaned and "data-id" not in cleaned and "class=" not in cleaned


def test_sanitise_html_keeps_mailto_links() -> None:
    assert 'href="mailto:humas@malangkota.go.id"' in sanitise_html(
        '<a href="mailto:humas@malangkota.go.id">surel</a>'
    )


def test_sanitise_html_allows_only_http_https_and_mailto_links() -> None:
    html = (
        '<a href="ftp://malangkota.go.id/arsip.zip">arsip</a>'
        '<a href="tel:0341551933">telepon</a>'
        '<img src="data:image/png;base64,iVBORw0KGgo=" alt="piksel">'
    )
    cleaned = sanitise_html(html)
    assert "ftp:" not in cleaned and "tel:" not in cleaned and "data:" not in cleaned
    assert "arsip" in cleaned and "telepon" in cleaned


def test_sanitise_html_of_empty_input_is_empty() -> None:
    assert sanitise_html("") == ""
    assert sanitise_html(None) == ""  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# html_to_paragraphs and clean_text
# --------------------------------------------------------------------------------------------


def test_html_to_paragraphs_splits_blocks_and_keeps_inline_text_together() -> None:
    html = (
        "<p>Pemkot&nbsp;&nbsp;Malang <b>mem</b>buka   layanan\n baru.</p>"
        "<ul><li>KTP elektronik</li><li>Akta kelahiran</li></ul>"
        "<h3>Syarat</h3><blockquote><p>Bawa Kartu Keluarga asli.</p></blockquote>"
        "<div>Teks langsung di dalam div<p>dan paragraf di dalamnya</p>lalu teks lagi</div>"
    )
    assert html_to_paragraphs(html) == [
        "Pemkot Malang membuka layanan baru.",
        "KTP elektronik",
        "Akta kelahiran",
        "Syarat",
        "Bawa Kartu Keluarga asli.",
        "Teks langsung di dalam div",
        "dan paragraf di dalamnya",
        "lalu teks lagi",
    ]


def test_html_to_paragraphs_splits_on_double_br_only() -> None:
    html = "<p>Baris satu<br>masih paragraf yang sama<br><br>Paragraf kedua<br/>\n<br/>Ketiga</p>"
    assert html_to_paragraphs(html) == [
        "Baris satu masih paragraf yang sama",
        "Paragraf kedua",
        "Ketiga",
    ]


def test_html_to_paragraphs_decodes_entities_and_drops_empty_blocks() -> None:
    html = "<p>Harga &lt;Rp10 ribu&gt; &amp; &#8220;gratis&#8221;</p><p>&nbsp;</p><p> </p><p></p>"
    assert html_to_paragraphs(html) == ["Harga <Rp10 ribu> & “gratis”"]


def test_html_to_paragraphs_skips_scripts_styles_and_forms() -> None:
    html = (
        "<p>Isi berita.</p><script>var rahasia = 1;</script><style>p{color:red}</style>"
        "<form><p>Masukkan kata sandi</p></form><noscript>Aktifkan JavaScript</noscript>"
    )
    assert html_to_paragraphs(html) == ["Isi berita."]


def test_html_to_paragraphs_joins_table_cells_of_a_row() -> None:
    html = (
        "<table><tr><th>Komoditas</th><th>Harga</th></tr>"
        "<tr><td>Cabai</td><td>Rp90.000</td></tr></table>"
    )
    assert html_to_paragraphs(html) == ["Komoditas | Harga", "Cabai | Rp90.000"]


def test_html_to_paragraphs_splits_plain_text_on_blank_lines() -> None:
    assert html_to_paragraphs("Paragraf pertama.\n\nParagraf kedua.") == [
        "Paragraf pertama.",
        "Paragraf kedua.",
    ]


def test_html_to_paragraphs_of_empty_input_is_empty() -> None:
    assert html_to_paragraphs("") == []
    assert html_to_paragraphs("<p> &nbsp; </p>") == []


def test_clean_text_unescapes_strips_tags_and_collapses_space() -> None:
    assert clean_text("  Dinkes &#8211; <b>Kota</b>&nbsp;Malang\n ") == "Dinkes – Kota Malang"
    assert clean_text("Sabtu &amp;#038; Minggu") == "Sabtu & Minggu"  # escaped twice
    assert clean_text("Baris<br>baru") == "Baris baru"


def test_clean_text_normalises_to_nfc() -> None:
    decomposed = "Cafe\u0301 Kayutangan"
    assert clean_text(decomposed) == "Café Kayutangan"
    assert unicodedata.is_normalized("NFC", clean_text(decomposed))


def test_clean_text_repairs_utf8_read_as_windows_1252() -> None:
    assert clean_text("Dinkes â€“ â€œSehatâ€\x9d") == "Dinkes – “Sehat”"
    assert clean_text("Lomba â€œKampung Bersinarâ€\x9d") == "Lomba “Kampung Bersinar”"


def test_clean_text_leaves_real_accents_alone() -> None:
    assert clean_text("Â¡Hola! São Paulo") == "Â¡Hola! São Paulo"


# --------------------------------------------------------------------------------------------
# split_dateline and split_author
# --------------------------------------------------------------------------------------------


DATELINES = [
    ("Malang, (malangkota.go.id) –", "Pemkot Malang membuka MPP."),
    ("Klojen (malangkota.go.id) –", "Upacara digelar."),
    ("Kedungkandang, MC –", "Warga antusias."),
    ("Sidoarjo, (malangkota.go.id) —", "Rapat koordinasi."),
    ("Kedungkandang ( –", "The mayor said."),  # /en/ copy that lost the site name
    ("MALANG –", "Harga cabai naik."),
    ("Kota Batu, (malangkota.go.id) -", "Studi banding."),
    ("Lowokwaru, (kominfo.malangkota.go.id) –", "Pelatihan."),
    ("Breadfruit (malangkota.go.id) –", "The Malang City Government held a meeting."),  # /en/ Sukun
]


@pytest.mark.parametrize(("dateline", "rest"), DATELINES)
def test_split_dateline_takes_the_printed_dateline(dateline: str, rest: str) -> None:
    first = f"{dateline} {rest}"
    assert split_dateline([first, "Paragraf kedua."]) == (dateline, [rest, "Paragraf kedua."])


def test_split_dateline_needs_no_space_after_the_dash() -> None:
    assert split_dateline(["Klojen, MC-Pasar murah digelar."]) == (
        "Klojen, MC-",
        ["Pasar murah digelar."],
    )


@pytest.mark.parametrize(
    "first",
    [
        "Malang, kota pendidikan, kembali menjadi tujuan mahasiswa baru.",
        "Dinas Kesehatan (Dinkes) – yang kini dipimpin pejabat baru – menambah layanan.",
        "Pemkot Malang menggelar pasar murah – kali ini di Arjowinangun.",
        "Kamis (24/6/2021) – hari pertama vaksinasi massal.",
        "Sementara itu – menurut warga – genangan cepat surut.",
    ],
)
def test_split_dateline_leaves_ordinary_sentences_alone(first: str) -> None:
    assert split_dateline([first, "Lanjutan."]) == ("", [first, "Lanjutan."])


def test_split_dateline_drops_a_paragraph_that_was_only_the_dateline() -> None:
    assert split_dateline(["Klojen, MC –", "Isi berita."]) == ("Klojen, MC –", ["Isi berita."])


def test_split_dateline_looks_past_a_leading_photo_caption() -> None:
    paragraphs = ["Suasana rapat di Balai Kota.", "Malang, (malangkota.go.id) – Isi berita."]
    assert split_dateline(paragraphs) == (
        "Malang, (malangkota.go.id) –",
        ["Suasana rapat di Balai Kota.", "Isi berita."],
    )


def test_split_dateline_of_nothing_is_nothing() -> None:
    assert split_dateline([]) == ("", [])


INITIALS = [
    ("Warga diminta tidak memakai jasa calo.", " (say/yon)", "say/yon"),
    ("Kegiatan berlangsung tertib.", "(cah/ram)", "cah/ram"),
    ("Hasil lomba diumumkan malam ini.", " (tvn)", "tvn"),
    ("Siaran pers ini disampaikan Diskominfo.", " (*/Hms)", "*/Hms"),
    ("Rapat dilanjutkan pekan depan.", " (Ts/yon)", "Ts/yon"),
    ("Target rampung akhir November.", " ( ndu / ram ).", "ndu/ram"),
]


@pytest.mark.parametrize(("rest", "printed", "initials"), INITIALS)
def test_split_author_takes_closing_initials(rest: str, printed: str, initials: str) -> None:
    assert split_author(["Pembuka.", rest + printed]) == (initials, ["Pembuka.", rest])


def test_split_author_drops_a_paragraph_that_was_only_initials() -> None:
    assert split_author(["Isi berita.", "(hms/yon)"]) == ("hms/yon", ["Isi berita."])


@pytest.mark.parametrize(
    "last",
    [
        "Hal itu disampaikan pada Senin (27/10/2025)",
        "Layanan kini tersedia di Mal Pelayanan Publik (MPP)",
        "Sampah dipilah di tempat pengolahan (TPS/TPST)",
        "Pelatihan diikuti perwakilan lima kecamatan (sukun)",
        "Pendaftaran dibuka (online) dan ditutup pekan depan.",
    ],
)
def test_split_author_keeps_real_parentheses(last: str) -> None:
    assert split_author(["Pembuka.", last]) == ("", ["Pembuka.", last])


def test_split_author_of_nothing_is_nothing() -> None:
    assert split_author([]) == ("", [])


# --------------------------------------------------------------------------------------------
# normalise_item
# --------------------------------------------------------------------------------------------


def feed_items() -> list[RawItem]:
    data = (FIXTURES / "wp_rss2_content_encoded.xml").read_bytes()
    return parse_feed(data, "https://malangkota.go.id/feed/", "application/rss+xml").items


def test_normalise_item_builds_a_release_from_a_feed_entry() -> None:
    release, problems = normalise_item(feed_items()[0], source_id="malangkota", opd="Pemkot Malang")
    assert problems == []
    assert release is not None
    assert release.url == (
        "https://malangkota.go.id/2026/02/13/"
        "cabai-tembus-rp90-ribu-pemkot-malang-gelar-20-kali-gerakan-pangan-murah-selama-ramadan/"
    )
    assert release.title.startswith("Cabai Tembus Rp90 Ribu")
    assert release.dateline == "Malang, (malangkota.go.id) –"
    assert release.author == "say/yon"
    assert release.paragraphs[0].startswith("Harga cabai yang menembus Rp90 ribu")
    assert release.paragraphs[-1].endswith("agar lebih banyak warga yang kebagian.")
    assert not any("Baca Juga" in p for p in release.paragraphs)
    assert release.published == wib(2026, 2, 13, 12, 0)
    assert release.guid == "https://malangkota.go.id/?p=91452"
    assert release.categories == ["Berita", "Harga Pangan", "Gerakan Pangan Murah", "cabai"]
    assert release.source_id == "malangkota" and release.opd == "Pemkot Malang"
    assert "<p>" in release.html and "(say/yon)" in release.html


def test_normalise_item_handles_every_entry_of_the_feed() -> None:
    releases = [normalise_item(item, source_id="m", opd="o")[0] for item in feed_items()]
    assert [r.author for r in releases if r] == ["say/yon", "cah/ram", "say/yon"]
    assert [r.dateline for r in releases if r] == [
        "Malang, (malangkota.go.id) –",
        "Klojen (malangkota.go.id) –",
        "Malang, (malangkota.go.id) –",
    ]
    assert releases[1] is not None
    assert releases[1].title.endswith("Kolaborasi & Visi Strategis")
    assert releases[2] is not None and len(releases[2].paragraphs) == 3  # the &nbsp; one is gone


def test_normalise_item_uses_item_author_when_text_has_no_initials() -> None:
    item = RawItem(
        url="https://dinkes.malangkota.go.id/2022/08/09/ukur-balita/",
        title="Dinkes Ukur 39 Ribu Balita",
        html="<p>Dinkes mengukur hampir 39 ribu balita di 57 kelurahan.</p>",
        author="adm dinkes",
    )
    release, _ = normalise_item(item, source_id="dinkes", opd="Dinas Kesehatan")
    assert release is not None
    assert release.author == "adm dinkes"
    assert release.dateline == ""


def test_normalise_item_prefers_initials_over_item_author() -> None:
    item = RawItem(
        url="https://malangkota.go.id/a/",
        title="Judul",
        html="<p>Isi berita singkat. (ari/yon)</p>",
        author="Humas Kota Malang",
    )
    release, _ = normalise_item(item, source_id="m", opd="o")
    assert release is not None and release.author == "ari/yon"


def test_normalise_item_falls_back_to_category_hints_and_cleans_terms() -> None:
    item = RawItem(url="https://dishub.malangkota.go.id/x", title="Judul", html="<p>Isi.</p>")
    release, _ = normalise_item(
        item, source_id="dishub", opd="Dishub", category_hints=("Perhubungan",)
    )
    assert release is not None and release.categories == ["Perhubungan"]

    item.categories = ["Hukum, Politik &amp; Pemerintahan", "Berita", "berita", " "]
    item.tags = ["parkir", "Parkir"]
    release, _ = normalise_item(
        item, source_id="dishub", opd="Dishub", category_hints=["Perhubungan"]
    )
    assert release is not None
    assert release.categories == ["Hukum, Politik & Pemerintahan", "Berita"]
    assert release.tags == ["parkir"]


def test_normalise_item_prefers_the_page_canonical_url() -> None:
    item = RawItem(
        url="https://malangkota.go.id/en/2025/01/18/menteri-pu-puji/?amp=1",
        canonical_url="http://malangkota.go.id/2025/01/18/menteri-pu-puji",
        title="Menteri PU Puji Pengelolaan TPA Supit Urang",
        html="<p>Isi.</p>",
    )
    release, _ = normalise_item(item, source_id="m", opd="o")
    assert release is not None
    assert release.url == "https://malangkota.go.id/2025/01/18/menteri-pu-puji/"


def test_normalise_item_keeps_published_none_when_absent() -> None:
    item = RawItem(
        url="https://malangkota.go.id/b/",
        title="Judul",
        html="<p>Acara digelar Kamis (24/6/2021) di Balai Kota.</p>",
    )
    release, problems = normalise_item(item, source_id="m", opd="o")
    assert release is not None
    assert release.published is None and release.modified is None
    assert problems == []


def test_normalise_item_reports_unreadable_dates() -> None:
    item = RawItem(
        url="https://malangkota.go.id/c/",
        title="Judul",
        html="<p>Isi.</p>",
        published="kemarin sore",
        modified="2025-10-28T08:00:00+07:00",
    )
    release, problems = normalise_item(item, source_id="m", opd="o")
    assert release is not None
    assert release.published is None
    assert release.modified == wib(2025, 10, 28, 8, 0)
    assert len(problems) == 1 and "kemarin sore" in problems[0]


def test_normalise_item_uses_default_year_for_dates_without_one() -> None:
    item = RawItem(
        url="https://kelkiduldalem.malangkota.go.id/d/", title="Lomba", html="<p>Isi.</p>"
    )
    item.published = "Rabu (31/8)"
    release, _ = normalise_item(item, source_id="k", opd="o", default_year=2016)
    assert release is not None and release.published == wib(2016, 8, 31)


@pytest.mark.parametrize(
    ("title", "html", "why"),
    [
        ("", "<p>Ada isi.</p>", "no title"),
        ("<b> </b>&nbsp;", "<p>Ada isi.</p>", "no title"),
        ("Judul", "", "no text"),
        ("Judul", "<p>&nbsp;</p><script>alert(1)</script>", "no text"),
        ("Judul", "<p>Malang, (malangkota.go.id) – (say/yon)</p>", "no text"),
    ],
)
def test_normalise_item_rejects_items_without_title_or_text(
    title: str, html: str, why: str
) -> None:
    item = RawItem(url="https://malangkota.go.id/e/", title=title, html=html)
    release, problems = normalise_item(item, source_id="m", opd="o")
    assert release is None
    assert len(problems) == 1 and why in problems[0]


def test_normalise_item_rejects_items_without_a_web_url() -> None:
    item = RawItem(url="javascript:alert(1)", title="Judul", html="<p>Isi.</p>")
    release, problems = normalise_item(item, source_id="m", opd="o")
    assert release is None and "URL" in problems[0]


def test_normalise_item_output_is_safe_for_a_hostile_body() -> None:
    html = (FIXTURES / "hostile_page.html").read_text("utf-8")
    item = RawItem(
        url="https://keljatimulyo.malangkota.go.id/f/", title="<script>x</script>Info", html=html
    )
    release, _ = normalise_item(item, source_id="k", opd="o")
    assert release is not None
    assert release.title == "Info"
    for marker in (*DANGEROUS, "evil.example", "alert("):
        assert marker not in release.html.lower()
        assert all(marker not in p.lower() for p in release.paragraphs)
    assert release.author == "ari/yon"
