"""Journey in a real browser, on a phone (390x844) and a laptop: paste a rumour on the home page,
land on the verdict, copy the reply for the group.

Each step writes a screenshot PNG to the folder named by SARING_SCREENSHOTS (default: a folder
"screenshots" in pytest's temporary directory for the run), so a person can look at the pages.
"""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser import chromium, save_screenshot, serve
from tests.demo import demo_site

pytestmark = pytest.mark.browser

RUMOUR = (
    "Info dari grup sebelah!! Pendaftaran PPPK 2023 diperpanjang sampai 11 Oktober, "
    "formasinya ada 721. Buruan daftar, sebarkan ke keluarga!!"
)
SIZES = {"phone": (390, 844), "laptop": (1280, 900)}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The demo site served on 127.0.0.1 (checks unlimited: both journeys come from one address)."""
    for app in demo_site(tmp_path_factory, "share-browser", CHECK_RATE_LIMIT=""):
        with serve(app) as base_url:
            yield base_url


def _in_viewport(browser, element) -> bool:
    """Whether the element is wholly inside the visible part of the page."""
    return browser.execute_script(
        "const r = arguments[0].getBoundingClientRect();"
        "return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0;",
        element,
    )


def _selected(browser, field) -> str:
    """The selected part of a text field."""
    return browser.execute_script(
        "const t = arguments[0]; return t.value.substring(t.selectionStart, t.selectionEnd);", field
    )


def _clipboard(browser) -> str | None:
    """The clipboard's text, or None where headless Chromium does not let the page read it."""
    found = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "navigator.clipboard.readText().then(t => done({text: t}), () => done(null));"
    )
    return found["text"] if found else None


@pytest.mark.parametrize("size", list(SIZES))
def test_paste_a_rumour_see_the_verdict_and_copy_the_reply(site, screenshots, size):
    width, height = SIZES[size]
    with chromium(width=width, height=height) as browser:
        browser.execute_cdp_cmd(
            "Browser.grantPermissions",
            {"origin": site, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]},
        )
        # Chromium's headless window has a minimum width: emulate the phone's viewport exactly.
        browser.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": size == "phone"},
        )
        browser.get(site + "/")
        assert browser.execute_script("return [window.innerWidth, window.innerHeight]") == [
            width,
            height,
        ]
        box = browser.find_element(By.ID, "home-text")
        assert _in_viewport(browser, box)  # the paste box comes first, on a phone too
        save_screenshot(browser, screenshots, f"home-{size}")
        box.send_keys(RUMOUR)
        box.find_element(By.XPATH, "./ancestor::form//button[@type='submit']").click()

        WebDriverWait(browser, 15).until(expected_conditions.url_contains("/cek#hasil"))
        label = browser.find_element(By.CSS_SELECTOR, ".record-verdict .record-label")
        assert "Rilis resmi menyebut lain" in label.text
        assert _in_viewport(browser, label)  # the page opens at the verdict
        save_screenshot(browser, screenshots, f"verdict-{size}")

        reply_box = browser.find_element(By.ID, "reply-text")
        reply = reply_box.get_attribute("value")
        assert reply.startswith("Cek di Saring: *Rilis resmi menyebut lain*.")
        assert "721" not in reply  # the rumour's own words are not passed on
        button = browser.find_element(By.CSS_SELECTOR, "#reply-text ~ button.copy-button")
        assert button.text == "Salin balasan"
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
        button.click()
        status = browser.find_element(By.CSS_SELECTOR, "#reply-text ~ .copy-status")
        WebDriverWait(browser, 5).until(lambda _: status.text.strip())
        # the reply is selected either way, ready to copy by hand if need be
        assert _selected(browser, reply_box) == reply
        copied = _clipboard(browser)
        if copied is not None:
            assert copied == reply
            assert status.text.startswith("Tersalin")
        save_screenshot(browser, screenshots, f"copied-{size}")


def test_a_journalist_copies_a_releases_citation(site, screenshots):
    with chromium() as browser:
        browser.execute_cdp_cmd(
            "Browser.grantPermissions",
            {"origin": site, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]},
        )
        browser.get(site + "/rilis/1")
        citation = browser.find_element(By.ID, "citation")
        button = browser.find_element(By.CSS_SELECTOR, "#citation ~ button.copy-button")
        assert button.text == "Salin kutipan"
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
        button.click()
        status = browser.find_element(By.CSS_SELECTOR, "#citation ~ .copy-status")
        WebDriverWait(browser, 5).until(lambda _: status.text.strip())
        text = citation.get_attribute("value")
        assert "Salinan arsip Saring, versi" in text
        copied = _clipboard(browser)
        if copied is not None:
            assert copied == text
        else:
            assert _selected(browser, citation) == text
        save_screenshot(browser, screenshots, "citation-laptop")
