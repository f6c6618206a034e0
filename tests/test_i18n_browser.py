"""Journey in a real browser, on a phone (390x844) and a laptop: a visitor on the Indonesian
home page switches to English with the link in the header, finds the choice remembered on the
next pages (check a rumour, read why in English, copy the English reply, a missing page), and
switches back.

Screenshots go to the folder named by SARING_SCREENSHOTS (default: a folder "screenshots" in
pytest's temporary directory): language-id-*, language-en-*, language-en-verdict-* and
language-en-404-*.
"""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser import chromium, save_screenshot, serve
from tests.demo import demo_site

pytestmark = pytest.mark.browser

SIZES = {"phone": (390, 844), "laptop": (1280, 900)}
RUMOUR = (
    "Info dari grup sebelah!! Pendaftaran PPPK 2023 diperpanjang sampai 11 Oktober, "
    "formasinya ada 721. Buruan daftar!!"
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The demo site served on 127.0.0.1 (checks unlimited: both journeys from one address)."""
    for app in demo_site(tmp_path_factory, "i18n-browser", CHECK_RATE_LIMIT=""):
        with serve(app) as base_url:
            yield base_url


def _visible(browser, element) -> bool:
    """Whether the element is drawn inside the window (not hidden, not off to a side)."""
    return browser.execute_script(
        "const r = arguments[0].getBoundingClientRect();"
        "return r.width > 0 && r.height > 0 && r.left >= 0 && r.right <= window.innerWidth"
        " && r.top >= 0 && r.bottom <= window.innerHeight;",
        element,
    )


def _lang(browser) -> str:
    return browser.find_element(By.TAG_NAME, "html").get_attribute("lang")


@pytest.mark.parametrize("size", list(SIZES))
def test_switch_language_and_have_it_remembered(site, screenshots, size):
    width, height = SIZES[size]
    with chromium(width=width, height=height) as browser:
        # Chromium's headless window has a minimum width: emulate the phone's viewport exactly.
        browser.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": size == "phone"},
        )
        browser.get(site + "/")
        assert _lang(browser) == "id"
        assert browser.find_element(By.ID, "cek-dulu").text.startswith("Dapat kabar di grup?")
        switch = browser.find_element(By.CSS_SELECTOR, "header .language-switch a[hreflang=en]")
        assert switch.text == "English" and _visible(browser, switch)  # no scrolling to find it
        save_screenshot(browser, screenshots, f"language-id-{size}")

        switch.click()
        WebDriverWait(browser, 10).until(lambda b: _lang(b) == "en")
        heading = browser.find_element(By.ID, "cek-dulu")
        assert heading.text == "Got a message? Check it before you forward it"
        current = browser.find_element(By.CSS_SELECTOR, ".language-switch [aria-current]")
        assert current.text == "English"
        assert "Bahasa Indonesia" in browser.find_element(By.CSS_SELECTOR, ".language-switch").text
        save_screenshot(browser, screenshots, f"language-en-{size}")

        # The next page has no ?lang=: the cookie carries the choice.
        box = browser.find_element(By.ID, "home-text")
        box.send_keys(RUMOUR)
        box.find_element(By.XPATH, "./ancestor::form//button[@type='submit']").click()
        WebDriverWait(browser, 15).until(expected_conditions.url_contains("/cek#hasil"))
        assert "lang=" not in browser.current_url and _lang(browser) == "en"
        assert browser.find_element(By.ID, "hasil").text == "What the official record says"
        label = browser.find_element(By.CSS_SELECTOR, ".record-verdict .record-label")
        assert label.text == "Official releases say otherwise"
        explanation = browser.find_element(By.CSS_SELECTOR, ".record-verdict .explanation").text
        assert explanation.startswith("An official release by ")  # the checker's sentence too
        assert "gives the quantity as 271, not 721" in explanation and "menyebut" not in explanation
        reply = browser.find_element(By.ID, "reply-text").get_attribute("value")
        assert reply.startswith("Checked on Saring: *Official releases say otherwise*.")
        button = browser.find_element(By.CSS_SELECTOR, "#reply-text ~ button.copy-button")
        assert button.text == "Copy the reply"
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
        button.click()
        status = browser.find_element(By.CSS_SELECTOR, "#reply-text ~ .copy-status")
        WebDriverWait(browser, 5).until(lambda _: status.text.strip())
        assert status.text in (
            "Copied. Now paste it.",
            "The text is selected; copy it with the menu or Ctrl+C.",
        )
        browser.execute_script("window.scrollTo(0, 0);")
        save_screenshot(browser, screenshots, f"language-en-verdict-{size}")

        browser.get(site + "/tidak-ada-di-sini")
        assert _lang(browser) == "en"
        assert browser.find_element(By.TAG_NAME, "h1").text == "Page not found"
        save_screenshot(browser, screenshots, f"language-en-404-{size}")

        browser.find_element(By.CSS_SELECTOR, ".language-switch a[hreflang=id]").click()
        WebDriverWait(browser, 10).until(lambda b: _lang(b) == "id")
        assert browser.find_element(By.TAG_NAME, "h1").text == "Halaman tidak ditemukan"
        browser.get(site + "/klarifikasi")
        assert _lang(browser) == "id"
        assert browser.find_element(By.TAG_NAME, "h1").text == "Klarifikasi hoaks"
