"""Answers people can pass on: the reply text of a claim check (built from the record, never
from what was typed), its WhatsApp link and copy button, the plain verdict with what it means and
does not mean, the home page that puts the check first with this week's report counts; and the
favicon, the visible focus style and the print layout."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from archive.editorial import ClarificationInput
from tests.demo import demo_site
from tests.staff import FakeClock, editorial, post_form
from verify.check import check_text
from web.share import REPLY_SENTENCE_CHARS, check_reply, shorten

BASE = "https://saring.example.id"
SUPPORTED = (
    "Pendaftaran PPPK 2023 di Kota Malang diperpanjang sampai 11 Oktober dengan 271 formasi."
)
CONTRADICTED = "Pendaftaran PPPK 2023 diperpanjang sampai 11 Oktober, formasinya ada 721."
NOT_FOUND = (
    "Pemkot Malang akan membangun kereta gantung dari Alun-alun Tugu ke Stadion Gajayana "
    "tahun depan, kata Pak Wiryo di grup RT."
)
HOAKS = "Pasar Besar Malang dibongkar total Januari 2026"
STATIC = Path(__file__).resolve().parent.parent / "static"


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    yield from demo_site(tmp_path_factory, "share", CHECK_RATE_LIMIT="", BASE_URL=BASE)


@pytest.fixture
def web(demo_app):
    return demo_app.test_client()


def checked_page(web, text: str) -> str:
    """Post the /cek form as a browser does (with the page's CSRF token); the result page."""
    form = web.get("/cek").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    response = web.post("/cek", data={"text": text, "csrf_token": token})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def reply_on(page: str) -> str:
    """The reply text in the page's read-only box."""
    box = re.search(r'<textarea id="reply-text" class="copy" readonly[^>]*>(.*?)</textarea>',
                    page, re.S)  # fmt: skip
    assert box, "no reply box on the page"
    return html.unescape(box.group(1))


def reply_for(demo_app, text: str) -> str:
    """The reply built directly from check_text's result, with simple link builders."""
    result = check_text(demo_app.extensions["saring"].index, text)
    return check_reply(
        result,
        release_url=lambda release_id: f"{BASE}/rilis/{release_id}",
        site_path=lambda path: BASE + path,
        check_url=f"{BASE}/cek",
    )


# The reply text --------------------------------------------------------------------------------


def test_a_contradicted_claims_reply_gives_the_official_sentence_its_source_and_link(demo_app):
    reply = reply_for(demo_app, CONTRADICTED)
    assert reply.startswith("Cek di Saring: *Rilis resmi menyebut lain*.")
    assert "Jangan teruskan pesan itu" in reply
    official = re.search(r"Kata rilis resmi: “(.+)”", reply).group(1)
    assert "271" in official  # the record's figure, not the rumour's
    source = re.search(r"Sumber: (.+)", reply).group(1)
    assert "PPPK 2023" in source and "Badan Kepegawaian" in source and "2023" in source
    assert re.search(rf"^{re.escape(BASE)}/rilis/\d+$", reply, re.M)
    assert reply.endswith("Saring sebelum sharing.")
    assert "721" not in reply and "formasinya ada" not in reply  # the typed text is not echoed
    assert "hoaks" not in reply.lower()  # the record says "otherwise", it labels nothing


def test_a_supported_claims_reply_quotes_a_supporting_sentence(demo_app):
    reply = reply_for(demo_app, SUPPORTED)
    assert reply.startswith("Cek di Saring: *Sejalan dengan rilis resmi*.")
    assert "Kata rilis resmi: “" in reply and "271" in reply
    assert f"{BASE}/rilis/" in reply


def test_a_not_found_reply_says_no_official_statement_and_not_to_spread_it(demo_app):
    reply = reply_for(demo_app, NOT_FOUND)
    assert reply.startswith("Cek di Saring: *Belum ada rilis resmi yang membahas*.")
    assert "Belum ada pernyataan resmi" in reply
    assert "Jangan disebarkan dulu sampai ada konfirmasi resmi" in reply
    assert f"Periksa sendiri: {BASE}/cek" in reply
    assert "kereta gantung" not in reply.lower() and "Wiryo" not in reply
    assert "/rilis/" not in reply and "%" not in reply


def test_a_reply_decided_by_a_published_clarification_links_to_it(demo_app):
    reply = reply_for(demo_app, HOAKS)
    assert "Klarifikasi resmi: [HOAKS] Pasar Besar Malang dibongkar" in reply
    assert f"{BASE}/klarifikasi/pasar-besar-malang-dibongkar" in reply


def test_a_reply_to_a_message_that_sides_with_a_clarification_says_it_answers_the_opposite(
    demo_app,
):
    reply = reply_for(demo_app, "Tarif angkot umum di Kota Malang tetap Rp5 ribu")
    assert reply.startswith("Cek di Saring: *Sejalan dengan rilis resmi*.")
    assert "Klarifikasi resmi atas kabar sebaliknya: [HOAKS] Tarif angkot" in reply
    assert f"{BASE}/klarifikasi/tarif-angkot-kota-malang" in reply


def test_long_official_sentences_are_cut_at_a_word():
    sentence = "Pemkot Malang menyalurkan bantuan " + "beras dan minyak goreng " * 30
    short = shorten(sentence)
    assert len(short) <= REPLY_SENTENCE_CHARS and short.endswith("…")
    assert sentence.startswith(short[:-1])
    assert short[:-1].split()[-1] in {"beras", "dan", "minyak", "goreng"}  # no half word
    assert shorten("  Dua\n kata ") == "Dua kata"


# The result page -------------------------------------------------------------------------------


def test_the_result_page_offers_the_reply_a_whatsapp_link_and_a_copy_script(web):
    page = checked_page(web, CONTRADICTED)
    reply = reply_on(page)
    assert reply.startswith("Cek di Saring: *Rilis resmi menyebut lain*.")
    link = html.unescape(re.search(r'href="(https://wa\.me/\?text=[^"]+)"', page).group(1))
    assert parse_qs(urlsplit(link).query)["text"][0] == reply
    assert '<script src="/static/copy.js" defer></script>' in page  # no inline script
    assert 'data-copy-label="Salin balasan"' in page
    assert f"{BASE}/rilis/" in reply  # SARING_BASE_URL, not the request's host


def test_the_verdict_is_a_large_label_with_what_it_means_and_does_not_mean(web):
    page = checked_page(web, CONTRADICTED)
    verdict = page.split('<div class="record-verdict record-contradicted">', 1)[1]
    verdict = verdict.split("</div>\n", 1)[0] + verdict.split("</dl>", 1)[0]
    assert '<p class="record-label"><strong>Rilis resmi menyebut lain</strong>' in verdict
    assert "<dt>Artinya</dt>" in verdict and "<dt>Bukan berarti</dt>" in verdict
    assert "Perkiraan peluang penilaian ini benar" in page  # a figure where there is a claim


def test_a_not_found_result_shows_no_percentage(web):
    page = checked_page(web, NOT_FOUND)
    verdict = page.split('<div class="record-verdict record-not_found">', 1)[1]
    verdict = verdict.split('<section class="share reply"', 1)[0]
    assert "Belum ada rilis resmi yang membahas" in verdict
    assert "%" not in verdict and "Keyakinan" not in verdict and "peluang" not in verdict
    assert "Jangan disebarkan dulu" in verdict  # what it does not mean, plainly


def test_the_check_form_and_home_form_post_to_the_verdict_anchor(web):
    for path in ("/cek", "/"):
        assert 'action="/cek#hasil"' in web.get(path).get_data(as_text=True)
    page = checked_page(web, SUPPORTED)
    assert 'id="hasil"' in page


# Home page -------------------------------------------------------------------------------------


def test_home_puts_the_paste_box_first_then_search_and_latest_clarifications(web):
    page = web.get("/").get_data(as_text=True)
    paste, search = page.index('name="text"'), page.index('name="q"')
    assert paste < search < page.index("Klarifikasi terbaru") < page.index("Rilis terbaru")
    assert 'name="csrf_token"' in page.split('name="text"')[0]
    latest = page.split('<ul class="latest-clarifications">', 1)[1].split("</ul>", 1)[0]
    assert latest.count("<li>") == 5 and 'class="verdict verdict-' in latest
    assert "Belum ada laporan minggu ini." in page  # the demo has no reports


@pytest.fixture
def reported(app):
    """An app whose clock is fixed, with reports sent through the real /lapor form."""
    clock = FakeClock(datetime(2026, 3, 10, 3, 0, tzinfo=UTC))
    app.config.update(CLOCK=clock, REPORT_RATE_LIMIT="")
    client = app.test_client()

    def report(text: str) -> None:
        assert post_form(client, "/lapor", {"text": text}).status_code == 303

    report("Katanya jembatan Kedungkandang ditutup total selama setahun mulai besok pagi")
    clock.advance(days=8)  # last week: not counted any more
    for _ in range(3):
        report("Beredar kabar sekolah di Kota Malang libur dua minggu karena wabah campak rahasia")
    report("Katanya air PDAM Kota Malang mati tiga hari di seluruh kota, simpan air sekarang")
    return app, client


def test_home_counts_this_weeks_reports_without_showing_what_citizens_wrote(reported):
    app, client = reported
    page = client.get("/").get_data(as_text=True)
    assert "4 laporan warga tentang 2 kabar dalam 7 hari terakhir" in page
    ranked = page.split('<ol class="most-reported">', 1)[1].split("</ol>", 1)[0]
    assert re.findall(r"· (\d+) laporan", ranked) == ["3", "1"]
    for word in ("campak", "PDAM", "Kedungkandang", "jembatan"):
        assert word not in page  # counts only, never the citizens' text


def test_a_reported_rumour_links_to_its_published_clarification(reported):
    app, client = reported
    store = editorial(app)
    group = store.list_report_groups(status=None)[1][0]
    assert group.reports == 1  # the PDAM rumour, reported last
    at = app.config["CLOCK"]()
    draft = store.create_clarification(
        ClarificationInput(
            title="Air PDAM mati tiga hari se-Kota Malang",
            rumour="Air mati tiga hari di seluruh kota.",
            verdict="HOAKS",
            summary="Tidak ada penghentian aliran air se-kota.",
        ),
        author="Diskominfo Kota Malang",
        actor="test",
        at=at,
        report_group_id=group.id,
    )
    ranked = client.get("/").get_data(as_text=True).split('<ol class="most-reported">')[1]
    assert "Air PDAM mati tiga hari" not in ranked  # a draft stays unseen
    store.publish_clarification(draft, actor="test", at=at)
    ranked = client.get("/").get_data(as_text=True).split('<ol class="most-reported">')[1]
    ranked = ranked.split("</ol>")[0]
    assert 'href="/klarifikasi/air-pdam-mati-tiga-hari' in ranked and "HOAKS" in ranked
    assert "Kabar yang sedang diperiksa tim klarifikasi" in ranked  # the other one


def test_release_and_clarification_pages_offer_copy_buttons_on_readonly_texts(web):
    release = web.get("/rilis/1").get_data(as_text=True)
    citation = re.search(r'<textarea id="citation" class="copy" readonly[^>]*>', release).group(0)
    assert 'data-copy-label="Salin kutipan"' in citation
    clarification = web.get("/klarifikasi/pasar-besar-malang-dibongkar-total-pada-januari-2026")
    shared = clarification.get_data(as_text=True)
    assert 'data-copy-label="Salin teks balasan"' in shared
    assert 'data-copy-label="Salin tautan"' in shared
    for page in (release, shared):
        assert '<script src="/static/copy.js" defer></script>' in page
    script = (STATIC / "copy.js").read_text(encoding="utf-8")
    assert "textarea.copy, input.copy" in script and "navigator.clipboard" in script


# The site's icon and stylesheet -------------------------------------------------------------


def test_the_favicon_is_an_svg_linked_from_every_page_and_favicon_ico_is_no_404(client):
    page = client.get("/cari").get_data(as_text=True)
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    legacy = client.get("/favicon.ico")
    assert legacy.status_code == 301 and legacy.location.endswith("/static/favicon.svg")
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.content_type.startswith("image/svg+xml")
    assert b"<svg" in icon.data and b"<script" not in icon.data


def test_the_stylesheet_has_a_visible_focus_style_and_a_print_layout():
    css = (STATIC / "style.css").read_text(encoding="utf-8")
    assert re.search(r":focus-visible \{ outline: 3px solid", css)
    printed = css.split("@media print {", 1)[1]
    assert "header.site nav" in printed and "display: none" in printed
