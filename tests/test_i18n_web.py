"""Indonesian first, English on request: the switch in every page's header, remembered in a
cookie (not the session), the browser's language not followed, <html lang>, the interface of
the main pages wholly in the chosen language while the data stays as published, dates and
numbers per language, error pages in both languages, and caches told what a page depends on."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import pytest
from bs4 import BeautifulSoup

from tests.demo import demo_site
from tests.staff import editorial, login, make_user, post_form
from web.formatting import local_date, month_label, month_names, number_label, rupiah

CLARIFICATION = "/klarifikasi/pasar-besar-malang-dibongkar-total-pada-januari-2026"
MAIN_PAGES = ("/", "/cek", "/cari?q=pasar", "/cari?q=zzqx", "/klarifikasi", CLARIFICATION,
              "/rilis/1", "/rilis/1/versi", "/lapor", "/transparansi", "/api",
              "/halaman-yang-tidak-ada")  # fmt: skip
# Indonesian interface words that must not be left in the English chrome of those pages.
INDONESIAN_WORDS = ("Cari", "Kirim", "Periksa", "Beranda", "Cek", "Klaim", "Laporkan", "Lapor",
                    "Terbit", "Salin", "Riwayat", "Bagikan", "Sebelumnya", "Berikutnya", "Versi",
                    "Bulan", "Semua", "Rilis", "Tanggal", "Kembali", "Halaman", "Tidak", "Belum",
                    "Sumber", "Langsung", "tentang", "yang", "dan", "atau", "dari")  # fmt: skip
RUMOUR = "Info dari grup sebelah: pendaftaran PPPK 2023 diperpanjang sampai 11 Oktober!!"


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    yield from demo_site(tmp_path_factory, "i18n", CHECK_RATE_LIMIT="")


@pytest.fixture
def english(demo_app):
    """A browser that chose English once, with ?lang=en."""
    client = demo_app.test_client()
    assert client.get("/?lang=en").status_code == 200
    return client


def chrome(html: str) -> str:
    """The interface around the data: header, footer, headings of sections, labels, buttons,
    table headings, summaries, placeholders and accessible names."""
    soup = BeautifulSoup(html, "html.parser")
    for data in soup.select(
        "blockquote, .snippet, .body, .claim-text, .summary, textarea, "
        "select, .verdict, .badge.verdict, td, th[scope=row], .meta a, h1 a, h2 a, h3 a, li > a"
    ):
        data.decompose()  # release texts, clarifications, OPD names: published data
    parts = [
        element.get_text(" ", strip=True)
        for element in soup.select(
            "header, footer, label, button, th, dt, summary, caption, .hint, .lead, h2, "
            "p.empty, p.count, .error-message, .actions, .language-switch"
        )
    ]
    for element in soup.select("[placeholder], [aria-label], [title], [data-copy-label]"):
        for name in ("placeholder", "aria-label", "title", "data-copy-label"):
            parts.append(element.get(name, ""))
    return "\n".join(parts)


def indonesian_words_in(text: str) -> list[str]:
    return [w for w in INDONESIAN_WORDS if re.search(rf"(?<![\w-]){w}(?![\w-])", text)]


def html_lang(response) -> str:
    return re.search(r'<html lang="([a-z]+)"', response.get_data(as_text=True)).group(1)


# -- the switch and how it is remembered ---------------------------------------------------------


def test_pages_are_indonesian_by_default_with_a_visible_switch_to_english(demo_app):
    client = demo_app.test_client()
    for path in ("/", "/klarifikasi", "/halaman-yang-tidak-ada"):
        response = client.get(path)
        soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        assert html_lang(response) == "id"
        switch = soup.select_one("header .language-switch")
        assert switch.select_one("[aria-current]").get_text() == "Bahasa Indonesia"
        link = switch.select_one("a[hreflang=en]")
        assert link.get_text() == "English" and link["href"] == "?lang=en"
        assert "Cek klaim" in soup.select_one("header nav").get_text()
    assert "lang=" not in (client.get_cookie("lang").value if client.get_cookie("lang") else "")


def test_choosing_english_is_remembered_in_a_cookie_across_requests(demo_app):
    client = demo_app.test_client()
    chosen = client.get("/klarifikasi?lang=en")
    assert html_lang(chosen) == "en"
    cookie = next(c for c in chosen.headers.getlist("Set-Cookie") if c.startswith("lang="))
    assert cookie.startswith("lang=en;")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Max-Age=31536000" in cookie
    assert chosen.headers["Cache-Control"] == "no-store"  # a Set-Cookie is for this browser only
    assert not [c for c in chosen.headers.getlist("Set-Cookie") if c.startswith("session=")]
    for path in ("/", "/transparansi", CLARIFICATION):  # later pages, no ?lang= on them
        later = client.get(path)
        assert html_lang(later) == "en", path
        assert "Check a claim" in later.get_data(as_text=True)
        assert not later.headers.getlist("Set-Cookie") or path == "/"  # "/" has a CSRF form
    back = client.get("/?lang=id")
    assert html_lang(back) == "id" and client.get_cookie("lang").value == "id"
    assert html_lang(client.get("/klarifikasi")) == "id"


def test_the_switch_keeps_the_query_and_never_repeats_the_path(demo_app):
    client = demo_app.test_client()
    page = client.get("/klarifikasi?verdict=HOAKS&lang=id").get_data(as_text=True)
    link = BeautifulSoup(page, "html.parser").select_one(".language-switch a[hreflang=en]")
    assert link["href"] == "?verdict=HOAKS&lang=en"
    # On a 404 for "//evil.example" a link repeating the path would leave the site.
    missing = client.get("//evil.example/x").get_data(as_text=True)
    link = BeautifulSoup(missing, "html.parser").select_one(".language-switch a[hreflang=en]")
    assert link["href"] == "?lang=en"


def test_an_unknown_language_is_ignored_not_an_error(demo_app):
    client = demo_app.test_client()
    response = client.get("/klarifikasi?lang=fr")
    assert response.status_code == 200 and html_lang(response) == "id"
    assert client.get_cookie("lang") is None


def test_the_browser_language_does_not_switch_the_site_only_a_choice_does(demo_app):
    def language(accept: str, cookie: str | None = None) -> str:
        client = demo_app.test_client()
        if cookie:
            client.set_cookie("lang", cookie)
        return html_lang(client.get("/klarifikasi", headers={"Accept-Language": accept}))

    assert language("en-US,en;q=0.9") == "id"  # a phone set to English: still Indonesian first
    assert language("id-ID,id;q=0.9,en;q=0.8") == "id"
    assert language("") == "id"
    assert language("en-US,en;q=0.9", cookie="en") == "en"
    assert language("id", cookie="en") == "en"
    assert language("en", cookie="xx") == "id"  # a cookie that is no language is ignored


def test_caches_are_told_that_pages_depend_on_the_language_cookie(demo_app):
    client = demo_app.test_client()
    for path in ("/klarifikasi", "/cari?q=banjir", "/rilis/1", "/halaman-yang-tidak-ada"):
        response = client.get(path)
        vary = {v.strip() for v in response.headers.get("Vary", "").split(",")}
        assert "Cookie" in vary, path
    # Public pages stay cacheable as before: nothing new makes them no-store.
    assert "no-store" not in client.get("/cari?q=banjir").headers.get("Cache-Control", "")
    assert "no-store" not in client.get("/klarifikasi").headers.get("Cache-Control", "")


# -- the interface in English, the data as published ---------------------------------------------


@pytest.mark.parametrize("path", MAIN_PAGES)
def test_the_main_pages_have_no_indonesian_interface_words_in_english(english, path):
    response = english.get(path)
    assert response.status_code in (200, 404), path
    assert html_lang(response) == "en"
    text = chrome(response.get_data(as_text=True))
    assert text.strip()
    assert indonesian_words_in(text) == [], f"{path}:\n{text}"


@pytest.mark.parametrize("path", MAIN_PAGES)
def test_the_same_pages_in_indonesian_use_those_words(demo_app, path):
    """The list of words is not trivially absent: the Indonesian chrome has them."""
    text = chrome(demo_app.test_client().get(path).get_data(as_text=True))
    assert indonesian_words_in(text)


def test_a_check_result_in_english_keeps_the_checkers_data_and_translates_the_page(english):
    page = english.post("/cek", data={"text": RUMOUR, "csrf_token": _token(english, "/cek")})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and html_lang(page) == "en"
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("#hasil").get_text(strip=True) == "What the official record says"
    assert soup.select_one(".verdict-meaning dt").get_text() == "What it means"
    assert soup.select_one(".record-label strong").get_text() in (
        "Consistent with official releases",
        "Official releases say otherwise",
        "No official release addresses this",
    )
    assert indonesian_words_in(chrome(html)) == []
    # The reply for the group is in the page's language too (tests/test_i18n_check.py).
    assert soup.select_one("#reply-text").get_text().startswith("Checked on Saring:")


def test_data_is_never_translated(english, demo_app):
    indonesian = demo_app.test_client().get(CLARIFICATION).get_data(as_text=True)
    translated = english.get(CLARIFICATION).get_data(as_text=True)
    for page in (indonesian, translated):
        soup = BeautifulSoup(page, "html.parser")
        assert soup.select_one(".verdict.large").get_text() == "HOAKS"
    title = BeautifulSoup(indonesian, "html.parser").select_one("h1").get_text()
    assert BeautifulSoup(translated, "html.parser").select_one("h1").get_text() == title
    assert "False information deliberately made to look true." in translated  # label meaning


def test_form_problems_are_said_in_english(english):
    response = english.post(
        "/lapor", data={"text": "pendek", "csrf_token": _token(english, "/lapor")}
    )
    assert response.status_code == 400
    problems = BeautifulSoup(response.get_data(as_text=True), "html.parser").select(".problems li")
    assert [p.get_text() for p in problems] == [
        "Write what the rumour says (at least 10 characters)."
    ]


def test_the_check_rate_limit_is_said_in_english(tmp_path_factory):
    for app in demo_site(tmp_path_factory, "i18n-limit", CHECK_RATE_LIMIT="1 per minute"):
        client = app.test_client()
        client.get("/?lang=en")
        token = _token(client, "/cek")
        assert client.post("/cek", data={"text": RUMOUR, "csrf_token": token}).status_code == 200
        limited = client.post("/cek", data={"text": RUMOUR, "csrf_token": token})
        assert limited.status_code == 429
        assert "Too many checks from your address" in limited.get_data(as_text=True)


def _token(client, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


# -- dates and numbers -------------------------------------------------------------------------


def test_dates_are_written_per_language():
    moment = datetime(2026, 12, 3, 3, 15, tzinfo=UTC)  # 10:15 in WIB
    assert local_date(moment, language="id") == "3 Desember 2026"
    assert local_date(moment, True, language="id") == "3 Desember 2026, 10.15 WIB"
    assert local_date(moment, language="en") == "3 December 2026"
    assert local_date(moment, True, language="en") == "3 December 2026, 10:15 WIB"
    assert local_date(None, language="en") == "-"
    assert month_label("2025-08", language="id") == "Agustus 2025"
    assert month_label("2025-08", language="en") == "August 2025"
    assert month_label("2025-13", language="en") == "2025-13"


def test_numbers_and_money_are_grouped_per_language():
    assert number_label(1234567, language="id") == "1.234.567"
    assert number_label(1234567, language="en") == "1,234,567"
    assert rupiah(5000, language="id") == "Rp5.000"
    assert rupiah(15000, language="en") == "Rp15,000"
    assert rupiah(2500.5, language="en") == "Rp2,500.5"


def test_a_release_page_dates_follow_the_language(demo_app, english):
    months_id = "|".join(month_names("id"))
    months_en = "|".join(month_names("en"))
    indonesian = demo_app.test_client().get("/rilis/1").get_data(as_text=True)
    translated = english.get("/rilis/1").get_data(as_text=True)
    first_seen = re.compile(
        r'<dd><time datetime="[^"]+">(\d+ (\w+) \d{4}, \d\d[.:]\d\d WIB)</time>'
    )
    id_dates = first_seen.findall(indonesian)
    en_dates = first_seen.findall(translated)
    assert id_dates and en_dates
    assert all(re.fullmatch(months_id, month) for _, month in id_dates)
    assert all(re.fullmatch(months_en, month) for _, month in en_dates)
    assert all("." in date for date, _ in id_dates) and all(":" in date for date, _ in en_dates)


# -- error pages in both languages ------------------------------------------------------------


def test_error_pages_speak_the_chosen_language(demo_app, english):
    indonesian = demo_app.test_client()
    cases = [
        ("/halaman-yang-tidak-ada", 404, "Halaman tidak ditemukan", "Page not found"),
        ("/cari?year=abc", 400, "Ada isian pencarian yang tidak bisa dibaca",
         "Part of the search could not be read"),
        ("/klarifikasi?month=abc", 400, "Filter klarifikasi tidak bisa dibaca",
         "The clarification filter could not be read"),
    ]  # fmt: skip
    for path, code, id_text, en_text in cases:
        in_id, in_en = indonesian.get(path), english.get(path)
        assert (in_id.status_code, in_en.status_code) == (code, code), path
        assert id_text in in_id.get_data(as_text=True)
        assert en_text in in_en.get_data(as_text=True)
        assert html_lang(in_en) == "en" and "Back to the home page" in in_en.get_data(as_text=True)
        assert en_text not in in_id.get_data(as_text=True)


def test_a_withdrawn_clarification_410_speaks_english(tmp_path_factory):
    for app in demo_site(tmp_path_factory, "i18n-410"):
        archive = editorial(app)
        item = archive.get_clarification(slug=CLARIFICATION.rsplit("/", 1)[1])
        archive.withdraw_clarification(
            item.id, actor="tester", at=datetime.now(UTC), note="Sumber ralat."
        )
        client = app.test_client()
        indonesian = client.get(CLARIFICATION)
        assert indonesian.status_code == 410
        assert "Klarifikasi ini telah ditarik" in indonesian.get_data(as_text=True)
        english = client.get(CLARIFICATION + "?lang=en")
        html = english.get_data(as_text=True)
        assert english.status_code == 410 and html_lang(english) == "en"
        assert "This clarification was withdrawn" in html and "Reason for withdrawal:" in html
        assert "Sumber ralat." in html  # the note is data, as written


def test_a_csrf_failure_speaks_english(tmp_path_factory):
    for app in demo_site(tmp_path_factory, "i18n-csrf", WTF_CSRF_ENABLED=True):
        client = app.test_client()
        client.get("/?lang=en")
        response = client.post("/lapor", data={"text": "Kabar tentang banjir di Sukun"})
        html = response.get_data(as_text=True)
        assert response.status_code == 400
        assert "The form has expired" in html and "Open the form again" in html
        assert "Formulir sudah kedaluwarsa" not in html
        indonesian = app.test_client().post("/lapor", data={"text": "Kabar banjir di Sukun"})
        assert "Formulir sudah kedaluwarsa" in indonesian.get_data(as_text=True)


def test_a_server_error_page_speaks_english(tmp_path_factory):
    for app in demo_site(tmp_path_factory, "i18n-500"):
        app.config["PROPAGATE_EXCEPTIONS"] = False

        @app.get("/test-fails")
        def fails():  # a real view that fails, served by the real error handlers
            raise RuntimeError("boom")

        english = app.test_client()
        english.set_cookie("lang", "en")
        response = english.get("/test-fails")
        assert response.status_code == 500
        html = response.get_data(as_text=True)
        assert "Something went wrong on the server" in html and "boom" not in html
        indonesian = app.test_client().get("/test-fails").get_data(as_text=True)
        assert "Terjadi kesalahan di server" in indonesian


def test_json_errors_stay_json_in_either_language(english):
    response = english.get("/api/v1/releases/999999999")
    assert response.status_code == 404 and response.is_json
    assert response.get_json()["error"]["message"] == "Page not found"


def test_the_month_filter_of_clarifications_names_months_in_the_language(demo_app, english):
    def months(client) -> list[str]:
        page = client.get("/klarifikasi").get_data(as_text=True)
        options = BeautifulSoup(page, "html.parser").select("select[name=month] option[value]")
        return [o.get_text() for o in options if o["value"]]

    in_english, in_indonesian = months(english), months(demo_app.test_client())
    assert in_english and len(in_english) == len(in_indonesian)
    names_en, names_id = month_names("en"), month_names("id")
    assert all(text.split()[0] in names_en for text in in_english)
    assert all(text.split()[0] in names_id for text in in_indonesian)


def test_the_staff_sign_in_speaks_english_when_chosen(english):
    page = english.get("/admin/masuk")
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    assert soup.select_one("h1").get_text() == "Diskominfo staff sign-in"
    assert [label.get_text() for label in soup.select("form label")] == ["Username", "Password"]
    refused = english.post(
        "/admin/masuk",
        data={
            "username": "nobody",
            "password": "wrong",
            "csrf_token": _token(english, "/admin/masuk"),
        },
    )
    assert refused.status_code == 401
    assert "Wrong username or password." in refused.get_data(as_text=True)


STAFF_PAGES = ("/admin/", "/admin/klarifikasi", "/admin/klarifikasi/baru", "/admin/klarifikasi/1",
               "/admin/laporan", "/admin/pengguna", "/admin/sumber", "/admin/audit")  # fmt: skip


def test_the_staff_pages_have_no_indonesian_interface_words_in_english(demo_app):
    make_user(demo_app, "i18n-admin", "admin")
    staff = demo_app.test_client()
    assert login(staff, "i18n-admin").status_code == 303
    for language, expect_words in (("id", True), ("en", False)):
        staff.get(f"/admin/?lang={language}")
        for path in STAFF_PAGES:
            response = staff.get(path)
            assert response.status_code == 200, path
            words = indonesian_words_in(chrome(response.get_data(as_text=True)))
            assert bool(words) is expect_words, (language, path, words)


def test_the_api_documentation_is_in_one_language_at_a_time(demo_app):
    client = demo_app.test_client()
    indonesian = client.get("/api").get_data(as_text=True)
    english = client.get("/api?lang=en").get_data(as_text=True)
    assert "Semua endpoint" in indonesian and "Every endpoint" not in indonesian
    assert "Every endpoint" in english and "Semua endpoint" not in english
    assert "Request body" in english and "Badan permintaan" not in english
    assert "Sintaks kata kunci" in indonesian and "Query syntax" not in indonesian


def test_the_archive_rules_problems_are_said_in_the_chosen_language(demo_app):
    """The clarification form's problems come from the archive's rules in Indonesian; a staff
    member who chose English reads them in English, with their values."""
    make_user(demo_app, "i18n-editor", "editor")
    staff = demo_app.test_client()
    assert login(staff, "i18n-editor").status_code == 303
    form = {"title": "x" * 201, "rumour": "", "verdict": "BOHONG", "summary": "",
            "sightings": "javascript:alert(1)", "action": "save"}  # fmt: skip
    pages = {}
    for language in ("id", "en"):
        staff.get(f"/admin/?lang={language}")
        response = post_form(staff, "/admin/klarifikasi/baru", form)
        assert response.status_code == 400
        pages[language] = html.unescape(response.get_data(as_text=True))
    assert "Judul paling banyak 200 karakter." in pages["id"]
    assert "Pilih salah satu label: HOAKS" in pages["id"]
    english = pages["en"]
    assert "The headline may have at most 200 characters." in english
    assert "Choose one of the labels: HOAKS" in english
    assert "Not a valid link: javascript:alert(1)" in english
    assert "The rumour as it circulated is required." in english
    assert "wajib diisi" not in english and "paling banyak" not in english


def test_the_dashboard_names_its_months_in_the_chosen_language(demo_app):
    client = demo_app.test_client()
    indonesian = client.get("/transparansi").get_data(as_text=True)
    english = client.get("/transparansi?lang=en").get_data(as_text=True)
    # The demo's twelve months run to April 2026: "Mei", "Agt", "Okt", "Des" differ in English.
    chart_labels = re.compile(r">(\w{3})</text>")
    assert {"Mei", "Agt", "Okt", "Des"} <= set(chart_labels.findall(indonesian))
    assert {"May", "Aug", "Oct", "Dec"} <= set(chart_labels.findall(english))
    assert not {"Mei", "Agt", "Okt", "Des"} & set(chart_labels.findall(english))
    assert "April 2026" in english and "Desember 2025" in indonesian


def test_the_versions_page_names_changed_fields_in_the_chosen_language(demo_app):
    from archive.release import Release

    archive = demo_app.extensions["saring"].archive
    url = "https://dishub.malangkota.go.id/2025/05/02/uji-bahasa-versi/"
    first = Release(
        url=url, title="Uji versi", paragraphs=["Isi pertama."], html="", source_id="uji",
        opd="Dinas Perhubungan", author="abc", categories=["Berita"],
        published=datetime(2025, 5, 2, 2, tzinfo=UTC),
    )
    archive.record(first, seen_at=datetime(2025, 5, 2, 3, tzinfo=UTC))
    second = Release(**{**first.__dict__, "paragraphs": ["Isi kedua."], "author": "xyz",
                        "categories": ["Perhubungan"]})  # fmt: skip
    archive.record(second, seen_at=datetime(2025, 5, 3, 3, tzinfo=UTC))
    (release_id,) = editorial(demo_app).release_ids_for_urls({url: ""}).values()
    client = demo_app.test_client()
    indonesian = html.unescape(client.get(f"/rilis/{release_id}/versi").get_data(as_text=True))
    english = html.unescape(
        client.get(f"/rilis/{release_id}/versi?lang=en").get_data(as_text=True)
    )
    assert "Penulis: " in indonesian and "Kategori: " in indonesian
    assert "Author: " in english and "Category: " in english
    assert "Penulis: " not in english and "Kategori: " not in english
