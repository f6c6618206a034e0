"""The claim checker's sentences in the reader's language: on an English page the explanations,
the notes, the facts that differ, the reasons a text cannot be checked and the reply for the group
are English, with English dates and numbers, while the quotes from releases and clarifications
stay as published; on an Indonesian page they are as the checker wrote them, and the JSON API
keeps the checker's Indonesian whatever the language chosen.

The checker (verify/) builds `archive.messages.Message` values and never imports the web layer;
every template it used here has an English entry in the catalogue."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from archive.messages import N_, CalendarDate, Message, Number
from tests.demo import demo_site
from verify.check import CheckInputError, check_text
from verify.facts import format_rupiah
from web.i18n import SOURCE_DIR, say
from web.share import check_reply

ROOT = Path(__file__).resolve().parent.parent
CONTRADICTED = "Pendaftaran PPPK 2023 diperpanjang sampai 11 Oktober, formasinya ada 721."
TWO_CLAIMS = "Tarif angkot naik jadi Rp15 ribu mulai besok. " + CONTRADICTED
NOT_FOUND = (
    "Pemkot Malang akan membangun kereta gantung dari Alun-alun Tugu ke Stadion Gajayana "
    "tahun depan."
)
OPPOSES = "Tarif angkot umum di Kota Malang tetap Rp5 ribu"
OFFICE = "Pada Maret 2025 Wali Kota Malang Sutiaji meresmikan pameran mural pelajar."
BKPSDM = "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"
# Words of the checker's Indonesian templates and of Indonesian values (months, money, units):
# none may be left in an English explanation once the quotes from releases are taken out.
TEMPLATE_WORDS = ("Rilis resmi", "menyebut", "berbeda", "sejalan", "tahun sebelum", "Pesan ini",
                  "klaim", "Belum ada", "tidak", "bukan", "Periksa", "keterangan", "terbit",
                  "Oktober", "Maret", "Desember", "ribu", "juta", "persen")  # fmt: skip


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    yield from demo_site(tmp_path_factory, "i18n-check", CHECK_RATE_LIMIT="")


@pytest.fixture(scope="module")
def pages(demo_app) -> dict[tuple[str, str], BeautifulSoup]:
    """The /cek result page of each text, in each language (posted as a browser does)."""
    found = {}
    for language in ("en", "id"):
        client = demo_app.test_client()
        client.get(f"/?lang={language}")
        for text in (CONTRADICTED, TWO_CLAIMS, NOT_FOUND, OPPOSES, OFFICE):
            response = client.post("/cek", data={"text": text, "csrf_token": _token(client)})
            assert response.status_code == 200
            found[language, text] = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    return found


def _token(client) -> str:
    page = client.get("/cek").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def explanations(page: BeautifulSoup) -> list[str]:
    """The checker's sentences on a result page: the overall explanation, each claim's, notes."""
    return [p.get_text(" ", strip=True) for p in page.select(".explanation, .claim p.notice")]


def differences(page: BeautifulSoup) -> list[tuple[str, str, str]]:
    """Rows of the facts-that-differ tables: (kind of fact, the claim's, the release's)."""
    return [
        tuple(cell.get_text(" ", strip=True) for cell in row.select("th, td"))
        for row in page.select("table.differences tbody tr")
    ]


def template_words_in(text: str) -> list[str]:
    unquoted = re.sub(r"“[^”]*”", "", text)  # quotes from releases and claims are data
    return [word for word in TEMPLATE_WORDS if re.search(rf"(?<!\w){word}(?!\w)", unquoted)]


ENGLISH_MONTH = (
    "(?:January|February|March|April|May|June|July|August|September|October|November|December)"
)
INDONESIAN_MONTH = (
    "(?:Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember)"
)

# -- the result page -----------------------------------------------------------------------------


def test_a_contradicted_claim_is_explained_in_english_on_an_english_page(pages):
    english = explanations(pages["en", CONTRADICTED])
    assert english == [
        f"An official release by {BKPSDM} (10 October 2023) gives the quantity as 271, not 721 "
        "as the claim says."
    ]
    rows = differences(pages["en", CONTRADICTED])
    assert ("quantity", "721", "271") in rows
    assert ("quantity", "721", "3,749") in rows  # English digit grouping
    dates = [row for row in rows if row[0] == "date"]
    assert dates and all(re.fullmatch(rf"\d+ {ENGLISH_MONTH} \d{{4}}", row[2]) for row in dates)
    # The release closing registration "on 11 October 2023" agrees; the day its head of
    # agency spoke, "Kamis (12/10/2023)", and a later date of the selection are no rivals.
    assert not [row for row in dates if row[1] == "11 October"]
    assert not template_words_in(" ".join(english + [" ".join(row) for row in rows]))


def test_the_same_claim_is_explained_in_indonesian_on_an_indonesian_page(pages):
    assert explanations(pages["id", CONTRADICTED]) == [
        f"Rilis resmi {BKPSDM} (10 Oktober 2023) menyebut jumlah 271, berbeda dengan klaim (721)."
    ]
    rows = differences(pages["id", CONTRADICTED])
    assert ("jumlah", "721", "3.749") in rows
    dates = [row for row in rows if row[0] == "tanggal"]
    assert dates and all(re.fullmatch(rf"\d+ {INDONESIAN_MONTH} \d{{4}}", row[2]) for row in dates)
    assert not [row for row in dates if row[1] == "11 Oktober"]


def test_a_message_of_two_claims_its_summary_and_its_note_are_english(pages):
    english = explanations(pages["en", TWO_CLAIMS])
    assert english[0].startswith(
        "This message makes 2 claims: 0 consistent with official releases, 2 differing from them, "
        "0 not stated in them. An official release by"
    )
    assert any("An official release by Dinas Perhubungan (22 March 2024) says otherwise: “" in s
               for s in english)  # fmt: skip
    assert any(s.startswith("This release was published ") and "years before the time the claim "
               "speaks of" in s for s in english)  # fmt: skip
    assert not template_words_in(" ".join(english))
    assert ("amount of money", "Rp15 thousand", "Rp5 thousand") in differences(
        pages["en", TWO_CLAIMS]
    )
    indonesian = " ".join(explanations(pages["id", TWO_CLAIMS]))
    assert "Pesan ini memuat 2 klaim: 0 sejalan dengan rilis resmi, 2 berbeda" in indonesian
    assert "tahun sebelum waktu yang disebut klaim" in indonesian
    assert ("nilai uang", "Rp15 ribu", "Rp5 ribu") in differences(pages["id", TWO_CLAIMS])


def test_a_claim_no_release_addresses_is_explained_in_either_language(pages):
    assert explanations(pages["en", NOT_FOUND]) == [
        "No official release in the archive addresses this claim yet. That does not make the "
        "claim true or false; wait for an official statement or check other sources."
    ]
    assert explanations(pages["id", NOT_FOUND]) == [
        "Belum ada rilis resmi di arsip yang membahas klaim ini. Itu tidak berarti klaim benar "
        "atau salah; tunggu keterangan resmi atau periksa sumber lain."
    ]


def test_a_clarifications_stance_is_explained_in_english_and_its_text_kept(pages):
    (english,) = explanations(pages["en", OPPOSES])
    assert english.startswith(
        "Diskominfo Kota Malang has published a clarification labelled HOAKS about a rumour that "
        "contradicts this message: “Tarif angkot Kota Malang naik menjadi Rp15 ribu”. This "
        "message agrees with its official explanation: Tidak ada kenaikan tarif"
    )  # the label, the title and the summary are Diskominfo's, as published
    (indonesian,) = explanations(pages["id", OPPOSES])
    assert indonesian.startswith(
        "Diskominfo Kota Malang sudah menerbitkan klarifikasi berlabel HOAKS tentang kabar yang "
        "berlawanan dengan pesan ini:"
    )


def test_a_wrong_office_holder_is_explained_with_english_dates(pages):
    english = " ".join(explanations(pages["en", OFFICE]))
    assert (
        "The claim names “Wali Kota Sutiaji”, but according to the list of office holders: On 1 "
        "March 2025, the office of Wali Kota Malang was held by Wahyu Hidayat (since 20 February "
        "2025); Sutiaji's terms as Wali Kota Malang: June 2018 – 12 September 2018 (Plt) and"
    ) in english
    assert not template_words_in(english)
    indonesian = " ".join(explanations(pages["id", OFFICE]))
    assert (
        "padahal menurut daftar pejabat: Pada 1 Maret 2025, Wali Kota Malang dijabat oleh Wahyu "
        "Hidayat (sejak 20 Februari 2025); Sutiaji menjabat Wali Kota Malang Juni 2018"
    ) in indonesian


def test_why_a_text_cannot_be_checked_is_said_in_the_chosen_language(demo_app):
    said = {}
    for language in ("en", "id"):
        client = demo_app.test_client()
        client.get(f"/?lang={language}")
        for name, text in (("long", "kabar " * 1000), ("noise", "!!! 🙏🙏 https://t.co/x")):
            response = client.post("/cek", data={"text": text, "csrf_token": _token(client)})
            alert = BeautifulSoup(response.get_data(as_text=True), "html.parser").select_one(
                "[role=alert]"
            )
            said[language, name] = (response.status_code, alert.get_text(strip=True))
    assert said["en", "long"] == (
        413,
        "The text is too long: 6,000 characters, at most 5,000. Paste only the part of the "
        "message you want checked.",
    )
    assert said["id", "long"] == (
        413,
        "Teks terlalu panjang: 6.000 karakter, paling banyak 5.000. Tempelkan bagian pesan yang "
        "ingin diperiksa saja.",
    )
    assert said["en", "noise"][1].startswith("This message contains no claim that can be checked")
    assert said["id", "noise"][1].startswith("Pesan ini tidak berisi klaim")


# -- the reply for the group ---------------------------------------------------------------------


def reply_on(page: BeautifulSoup) -> str:
    return page.select_one("#reply-text").get_text()


def test_the_reply_is_in_the_pages_language(pages):
    english = reply_on(pages["en", CONTRADICTED])
    lines = english.split("\n")
    assert lines[:2] == [
        "Checked on Saring: *Official releases say otherwise*.",
        "Do not forward that message; first read what the official source says.",
    ]
    assert lines[3].startswith("The official release says: “")
    assert lines[4].startswith("Source: Pendaftaran PPPK 2023")  # the release's title, as published
    assert lines[4].endswith(f"({BKPSDM}, 10 October 2023)")
    assert english.endswith("\n\nSaring: filter before you share.")
    for indonesian in ("Cek di Saring", "Kata rilis resmi", "Sumber:", "Jangan", "10 Oktober 2023",
                       "Saring sebelum sharing"):  # fmt: skip
        assert indonesian not in english
    link = pages["en", CONTRADICTED].select_one("a.whatsapp")["href"]
    assert parse_qs(urlsplit(link).query)["text"] == [english]  # WhatsApp gets the same reply
    not_found = reply_on(pages["en", NOT_FOUND]).split("\n")
    assert not_found[3] == "Check it yourself: http://localhost/cek"
    assert "\nOfficial clarification of the opposite rumour: [HOAKS] Tarif angkot" in reply_on(
        pages["en", OPPOSES]
    )


def test_the_reply_on_an_indonesian_page_is_indonesian(pages):
    indonesian = reply_on(pages["id", CONTRADICTED])
    assert indonesian.startswith("Cek di Saring: *Rilis resmi menyebut lain*.\nJangan teruskan")
    assert f"({BKPSDM}, 10 Oktober 2023)" in indonesian
    assert indonesian.endswith("\n\nSaring sebelum sharing.")


def test_a_clarifications_share_text_is_worded_in_the_pages_language(demo_app):
    client = demo_app.test_client()
    listing = client.get("/klarifikasi").get_data(as_text=True)
    path = re.search(r'href="(/klarifikasi/[^"/?#]+)"', listing).group(1)
    texts = {}
    for language in ("en", "id"):
        client.get(f"/?lang={language}")
        page = BeautifulSoup(client.get(path).get_data(as_text=True), "html.parser")
        texts[language] = page.select_one("#share-text").get_text()
    english, indonesian = texts["en"], texts["id"]
    assert "\n\nFull explanation by Diskominfo Kota Malang: http" in english
    assert english.endswith("\nSaring: filter before you share.")
    assert "\n\nPenjelasan lengkap Diskominfo Kota Malang: http" in indonesian
    assert indonesian.endswith("\nSaring sebelum sharing.")
    # the clarification itself is quoted as published in both
    assert english.split("\n\n")[:2] == indonesian.split("\n\n")[:2]


# -- the API -------------------------------------------------------------------------------------


def test_the_api_keeps_the_checkers_indonesian_whatever_the_language(demo_app):
    client = demo_app.test_client()
    client.get("/?lang=en")
    body = client.post("/api/v1/check?lang=en", json={"text": CONTRADICTED}).get_json()
    assert body["explanation"] == (
        f"Rilis resmi {BKPSDM} (10 Oktober 2023) menyebut jumlah 271, berbeda dengan klaim (721)."
    )
    rows = [(d["kind"], d["claim"], d["official"]) for e in body["evidence"]
            for d in e["differences"]]  # fmt: skip
    assert ("quantity", "721", "3.749") in rows


# -- the mechanism -------------------------------------------------------------------------------


def test_say_writes_nested_messages_numbers_and_dates_in_the_readers_language(demo_app):
    source = N_("Rilis resmi %(opd)s (%(date)s)", opd="Dinas Perhubungan",
                date=CalendarDate(2024, 3, 22))  # fmt: skip
    values = [format_rupiah(1_500_000), Number(3749), CalendarDate(2023, 10), "“Kayutangan”"]
    message = N_("%(source)s menyatakan hal yang sama dan menyebut %(values)s.", source=source,
                 values=values)  # fmt: skip
    assert message == (
        "Rilis resmi Dinas Perhubungan (22 Maret 2024) menyatakan hal yang sama dan menyebut "
        "Rp1,5 juta, 3.749, Oktober 2023, “Kayutangan”."
    )
    with demo_app.test_request_context("/?lang=en"):
        assert say(message) == (
            "An official release by Dinas Perhubungan (22 March 2024) says the same, mentioning "
            "Rp1.5 million, 3,749, October 2023, “Kayutangan”."
        )
        assert say(Number(1234.5)) == "1,234.5" and say("data as it is") == "data as it is"
    with demo_app.test_request_context("/?lang=id"):
        assert say(message) == message and say(Number(1234.5)) == "1.234,5"


def _templates(value) -> set[str]:
    """The templates of every Message in `value` (a result's JSON, a list, a Message's values)."""
    if isinstance(value, Message):
        return {value.template} | _templates(list(value.params.values()))
    if isinstance(value, dict):
        return _templates(list(value.values()))
    if isinstance(value, (list, tuple)):
        return set().union(*(_templates(item) for item in value))
    return set()


def test_every_template_the_checker_used_has_english(demo_app):
    with (SOURCE_DIR / "en" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        english = {m.id for m in read_po(handle, locale="en") if m.id and m.string}
    index = demo_app.extensions["saring"].index
    used: set[str] = set()
    for text in (CONTRADICTED, TWO_CLAIMS, NOT_FOUND, OPPOSES, OFFICE,
                 "Cakupan jaminan kesehatan di Kota Malang mencapai 80 persen warga.",
                 "Kayutangan Heritage ditutup Sabtu 27 Mei 2023 pukul 20.00 hingga 23.00 WIB.",
                 ):  # fmt: skip
        result = check_text(index, text)
        used |= _templates(result.to_json())
        lines: list[str] = []
        check_reply(result, release_url=str, site_path=str, check_url="/cek", say=lines.append)
        used |= _templates(lines)
    for text in ("x" * 5001, "🙏🙏"):
        with pytest.raises(CheckInputError) as error:
            check_text(index, text)
        used |= _templates([error.value.message])
    assert len(used) >= 25  # explanations, values, the reply: the walk found them
    assert sorted(used - english) == []


def test_the_checker_never_imports_the_web_layer():
    """Data flows one way: verify/ and archive/ build Messages; web/ says them."""
    for path in [*ROOT.glob("verify/**/*.py"), *ROOT.glob("archive/**/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [alias.name for alias in node.names] if isinstance(node, ast.Import)
                else [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            )  # fmt: skip
            for name in names:
                top = name.split(".")[0]
                assert top not in {"web", "flask", "flask_babel"}, f"{path}: imports {name}"
