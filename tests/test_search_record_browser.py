"""Journey in a real browser, on a phone (390x844) and a laptop: search for a rumour's words, see
the official clarification with its red label above the release hits, open it.

Each step writes a screenshot PNG to the folder named by SARING_SCREENSHOTS (default: a folder
"screenshots" in pytest's temporary directory for the run).
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
HOAX_RED = "rgba(185, 28, 28, 1)"  # .verdict-hoaks in static/style.css


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The demo site served on 127.0.0.1."""
    for app in demo_site(tmp_path_factory, "search-record-browser"):
        with serve(app) as base_url:
            yield base_url


def _top(browser, element) -> float:
    return browser.execute_script("return arguments[0].getBoundingClientRect().top;", element)


@pytest.mark.parametrize("size", list(SIZES))
def test_search_that_surfaces_a_clarification(site, screenshots, size):
    width, height = SIZES[size]
    with chromium(width=width, height=height) as browser:
        # Chromium's headless window has a minimum width: emulate the phone's viewport exactly.
        browser.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": size == "phone"},
        )
        browser.get(site + "/cari")
        assert browser.execute_script("return window.innerWidth") == width
        field = browser.find_element(By.ID, "q")
        field.send_keys("tarif angkot naik")
        field.find_element(By.XPATH, "./ancestor::form//button[@type='submit']").click()

        WebDriverWait(browser, 15).until(expected_conditions.url_contains("q=tarif"))
        box = browser.find_element(By.CSS_SELECTOR, ".search-clarifications")
        assert "Klarifikasi resmi" in box.find_element(By.TAG_NAME, "h2").text
        badge = box.find_element(By.CSS_SELECTOR, ".verdict")
        assert badge.text == "HOAKS"
        assert badge.value_of_css_property("background-color") == HOAX_RED
        first_release = browser.find_element(By.CSS_SELECTOR, "ul.results li.result")
        assert _top(browser, box) < _top(browser, first_release)  # the answer comes first
        assert box.is_displayed() and box.size["width"] <= width
        browser.execute_script("arguments[0].scrollIntoView({block: 'start'});", box)
        save_screenshot(browser, screenshots, f"search-clarification-{size}")

        link = box.find_element(By.CSS_SELECTOR, "li a")
        headline = link.text
        assert headline.startswith("Tarif angkot")
        link.click()
        WebDriverWait(browser, 15).until(expected_conditions.url_contains("/klarifikasi/"))
        assert headline in browser.find_element(By.TAG_NAME, "h1").text
        assert browser.find_element(By.CSS_SELECTOR, ".verdict-box .verdict").text == "HOAKS"
        save_screenshot(browser, screenshots, f"search-clarification-opened-{size}")
