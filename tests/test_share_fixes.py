"""The small fixes around the answers: Indonesian error pages (a bad search argument, an
expired form), the /api page listing every endpoint with its method from the OpenAPI spec, the
/lapor notice when a prefilled message is cut."""

from __future__ import annotations

import html
import re

from tests.staff import editorial
from web.openapi import openapi_spec


def test_a_bad_search_argument_gets_an_indonesian_page_with_the_detail_second(client):
    response = client.get("/cari?year=abc")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    main = page.split('<main id="isi"', 1)[1]
    message = re.search(r'<p class="error-message">(.*?)</p>', main).group(1)
    assert "Tahun ditulis empat angka" in message and "must" not in message
    technical = main.split('<details class="technical">', 1)[1]
    assert "year must be four digits" in technical  # still there for whoever needs it, second
    assert main.index("error-message") < main.index("technical")
    assert 'href="/cari">Mulai lagi dari awal' in main
    api = client.get("/api/v1/search?year=abc").get_json()
    assert "year must be four digits" in api["error"]["detail"]  # machines keep the reason


def test_an_expired_form_gets_an_indonesian_page_offering_to_open_it_again(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/lapor", data={"text": "Kabar yang beredar di grup warga"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<h1>Formulir sudah kedaluwarsa</h1>" in page
    assert 'href="/lapor">Buka lagi formulirnya' in page and "Kembali" in page
    assert "The CSRF token is missing" not in page
    assert editorial(app).count_report_groups() == {}  # nothing was stored


def test_the_api_page_lists_every_endpoint_of_the_spec_with_its_method(client):
    page = html.unescape(client.get("/api").get_data(as_text=True))
    index = page.split('<table class="endpoint-index">', 1)[1].split("</table>", 1)[0]
    listed = re.findall(r"<td><code>([A-Z]+)</code></td><td><a href=\"#\w+\"><code>([^<]+)", index)
    spec = openapi_spec()
    wanted = [(m.upper(), path) for path, ops in spec["paths"].items() for m in ops]
    assert listed == wanted
    assert ("POST", "/api/v1/check") in listed and ("GET", "/api/v1/clarifications") in listed
    assert "every request is a <code>GET</code>" not in page
    assert "semua permintaan memakai <code>GET</code>" not in page.replace("Hampir semua", "")
    assert "Badan permintaan" in page.split('id="checkClaim"', 1)[1]  # the JSON body of a check


def test_lapor_says_when_a_prefilled_message_was_cut_and_keeps_what_fits(client):
    words = "Kabar panjang tentang banjir di Sawojajar yang diteruskan berkali-kali. "
    message = (words * 70)[:4500]
    page = client.get("/lapor", query_string={"text": message}).get_data(as_text=True)
    kept = html.unescape(re.search(r'<textarea id="text"[^>]*>(.*?)</textarea>', page, re.S)[1])
    assert 1500 < len(kept) <= 2000 and message.startswith(kept)
    assert message[len(kept)] == " "  # cut between words
    notice = re.search(r'<p class="notice" role="status">(.*?)</p>', page).group(1)
    assert "4.500 karakter" in notice and f"{len(kept):,}".replace(",", ".") in notice
    short = client.get("/lapor", query_string={"text": "Kabar pendek saja"}).get_data(as_text=True)
    assert 'role="status"' not in short


def test_a_bad_clarification_filter_gets_the_same_indonesian_help(client):
    page = client.get("/klarifikasi?verdict=PALSU").get_data(as_text=True)
    message = re.search(r'<p class="error-message">(.*?)</p>', page).group(1)
    assert message.startswith("Filter klarifikasi tidak bisa dibaca")
    assert "verdict must be one of" in page.split('<details class="technical">', 1)[1]
    assert 'href="/klarifikasi">Mulai lagi dari awal' in page
