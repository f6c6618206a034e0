"""The whole journey in a real browser: a citizen reports a rumour, a staff member created from
the CLI signs in, starts a clarification from the report group, cites a release found with the
search, publishes, and the public page, feed, JSON-LD and claim matching show it."""

from __future__ import annotations

import json

import feedparser
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from app import create_app
from ingest.demo import load_demo_if_empty
from tests.browser import chromium, serve
from verify.clarifications import find_clarifications

pytestmark = pytest.mark.browser

RUMOUR = (
    "Mulai bulan depan parkir tepi jalan di Kota Malang wajib bayar QRIS, juru parkir "
    "dilarang terima uang tunai dan yang bayar tunai didenda Rp100 ribu!!"
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The demo site served on 127.0.0.1, with an editor created through the CLI."""
    app = create_app({"DATA_DIR": str(tmp_path_factory.mktemp("journey")), "DATABASE_URL": ""})
    with app.app_context():
        load_demo_if_empty(app)
    result = app.test_cli_runner().invoke(
        args=["users", "create", "sari", "--role", "editor", "--generate-password"]
    )
    password = result.output.split("shown only this once): ")[1].strip()
    with serve(app) as base_url:
        yield app, base_url, password
    app.extensions["saring"].archive.dispose()


def _wait_for(browser, path: str) -> None:
    WebDriverWait(browser, 5).until(expected_conditions.url_contains(path))


def _wait_text(browser, css: str, text: str) -> None:
    located = expected_conditions.text_to_be_present_in_element((By.CSS_SELECTOR, css), text)
    WebDriverWait(browser, 5).until(located)


def test_report_to_published_clarification(site):
    app, base, password = site
    with chromium() as browser:
        # A citizen reports the rumour.
        browser.get(base + "/lapor")
        browser.find_element(By.NAME, "text").send_keys(RUMOUR)
        browser.find_element(By.CSS_SELECTOR, "select[name=seen_on] option[value=whatsapp]").click()
        browser.find_element(By.CSS_SELECTOR, "form.stacked button[type=submit]").click()
        _wait_for(browser, "/lapor/terkirim")
        assert "laporan Anda sudah kami terima" in browser.page_source

        # The staff member signs in.
        browser.get(base + "/admin")
        _wait_for(browser, "/admin/masuk")
        browser.find_element(By.NAME, "username").send_keys("sari")
        browser.find_element(By.NAME, "password").send_keys(password)
        browser.find_element(By.CSS_SELECTOR, "form.stacked button[type=submit]").click()
        _wait_text(browser, "h1", "Ringkasan")

        # The report is one group; a clarification starts from it with the rumour filled in.
        browser.get(base + "/admin/laporan")
        row = browser.find_element(By.CSS_SELECTOR, "tr.report-group")
        assert "QRIS" in row.text and row.find_element(By.CSS_SELECTOR, ".number").text == "1"
        row.find_element(By.LINK_TEXT, "Buat klarifikasi").click()
        _wait_for(browser, "/admin/klarifikasi/baru")
        assert browser.find_element(By.NAME, "rumour").get_attribute("value") == RUMOUR
        browser.find_element(By.NAME, "title").send_keys("Parkir di Kota Malang wajib QRIS")
        browser.find_element(By.CSS_SELECTOR, "input[name=verdict][value=MENYESATKAN]").click()
        browser.find_element(By.NAME, "summary").send_keys(
            "QRIS parkir masih diuji di sejumlah titik; tidak ada denda bagi yang bayar tunai."
        )
        browser.find_element(By.NAME, "release_q").send_keys("QRIS parkir")
        browser.find_element(By.CSS_SELECTOR, "button[value=search]").click()
        _wait_text(browser, "fieldset.cited", "Centang rilis")
        boxes = browser.find_elements(By.CSS_SELECTOR, "input[name=cite]")
        assert boxes, "the release search offered nothing to cite"
        boxes[0].click()
        cited_title = boxes[0].find_element(By.XPATH, "..").text
        browser.find_element(By.CSS_SELECTOR, "button[value=publish]").click()
        _wait_text(browser, ".flash", "Klarifikasi diterbitkan.")

        # The public page shows it, with its JSON-LD and a WhatsApp link.
        browser.get(base + "/klarifikasi")
        browser.find_element(By.PARTIAL_LINK_TEXT, "Parkir di Kota Malang wajib QRIS").click()
        _wait_for(browser, "/klarifikasi/parkir")
        assert browser.find_element(By.CSS_SELECTOR, ".verdict.large").text == "MENYESATKAN"
        assert cited_title.split(" — ")[0] in browser.page_source
        script = browser.find_element(By.CSS_SELECTOR, 'script[type="application/ld+json"]')
        review = json.loads(script.get_attribute("textContent"))
        assert review["claimReviewed"] == RUMOUR
        assert review["reviewRating"]["alternateName"] == "MENYESATKAN"
        share = browser.find_element(By.CSS_SELECTOR, "a.whatsapp").get_attribute("href")
        assert share.startswith("https://wa.me/?text=")
        slug = browser.current_url.rsplit("/", 1)[1]

    client = app.test_client()
    feed = feedparser.parse(client.get("/klarifikasi.atom").data)
    newest = feed.entries[0]  # the feed is newest first, and this one was published last
    assert newest.link.endswith(f"/klarifikasi/{slug}")
    assert "Parkir di Kota Malang wajib QRIS" in newest.title
    found = find_clarifications(
        app.extensions["saring"].index, "katanya bayar parkir tunai di malang didenda 100 ribu"
    )
    assert found and found[0]["slug"] == slug
    [group] = (
        app.extensions["saring"]
        .archive.engine.connect()
        .exec_driver_sql("SELECT status FROM report_groups")
        .all()
    )
    assert group.status == "handled"
