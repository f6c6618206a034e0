"""UI journey in a real browser: search the archive and open a release."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from app import create_app
from ingest.demo import load_demo_if_empty
from tests.browser import chromium, serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    app = create_app({"DATA_DIR": str(tmp_path_factory.mktemp("browser")), "DATABASE_URL": ""})
    with app.app_context():
        load_demo_if_empty(app)
    with serve(app) as base_url:
        yield base_url
    app.extensions["saring"].archive.dispose()


def test_journalist_searches_and_opens_a_release(site):
    with chromium() as browser:
        browser.get(site + "/")
        box = browser.find_element(By.NAME, "q")
        box.send_keys("seragam gratis")
        box.submit()
        # the form's navigation is asynchronous: wait for the results page, then check it
        WebDriverWait(browser, 10).until(expected_conditions.url_contains("/cari?"))
        assert "/cari?q=seragam+gratis" in browser.current_url
        marks = browser.find_elements(By.CSS_SELECTOR, ".result mark")
        assert marks and any("seragam" in m.text.lower() for m in marks)
        first = browser.find_element(By.CSS_SELECTOR, ".result h3 a")
        title = first.text
        first.click()
        assert "/rilis/" in browser.current_url
        assert browser.find_element(By.TAG_NAME, "h1").text == title
        assert "Versi tersimpan" in browser.page_source


def test_phone_sized_screen_keeps_the_search_box_usable(site):
    with chromium(width=390, height=844) as browser:
        browser.get(site + "/")
        box = browser.find_element(By.NAME, "q")
        assert box.is_displayed() and box.size["width"] > 200
        viewport = browser.execute_script("return window.innerWidth")
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert viewport < 600
        assert width <= viewport  # no sideways scrolling on a phone
