"""UI journey in a real browser: the transparency dashboard on the demo data, on a phone
(390x844) and on a laptop, reached from the site navigation. Screenshots (PNG) go to the folder
named by SARING_SCREENSHOTS, by default a `screenshots` folder in pytest's temp dir."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser import chromium, save_screenshot, serve
from tests.demo import demo_site

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    for app in demo_site(tmp_path_factory, "transparency-browser"):
        with serve(app) as base_url:
            yield base_url


def open_dashboard_from_navigation(browser, site: str) -> None:
    browser.get(site + "/")
    browser.find_element(By.LINK_TEXT, "Transparansi").click()
    WebDriverWait(browser, 10).until(expected_conditions.url_contains("/transparansi"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Transparansi"


def assert_fits_the_screen(browser) -> None:
    viewport = browser.execute_script("return window.innerWidth")
    assert browser.execute_script("return document.documentElement.scrollWidth") <= viewport
    for chart in browser.find_elements(By.CSS_SELECTOR, "svg.chart"):
        assert chart.is_displayed()
        column = chart.find_element(By.XPATH, "..").size["width"]
        assert column - 2 <= chart.size["width"] <= min(column, viewport)  # fills the column
        assert chart.size["height"] > 0.3 * chart.size["width"]  # scaled, not squashed


def test_dashboard_on_a_phone_fits_and_offers_the_table(site, screenshots):
    with chromium(width=390, height=844) as browser:
        open_dashboard_from_navigation(browser, site)
        assert browser.execute_script("return window.innerWidth") < 600
        assert_fits_the_screen(browser)
        chart = browser.find_element(By.ID, "rilis-per-bulan")
        assert chart.get_attribute("role") == "img"
        title = browser.find_element(By.ID, "rilis-per-bulan-title")
        assert "Rilis per bulan" in title.get_attribute("textContent")
        table = browser.find_element(By.CSS_SELECTOR, "#judul-rilis ~ details table")
        assert not table.is_displayed()  # folded away until asked for
        summary = browser.find_element(By.CSS_SELECTOR, "#judul-rilis ~ details summary")
        summary.click()
        assert table.is_displayed()
        counts = [int(c.text) for c in table.find_elements(By.CSS_SELECTOR, "td.number")]
        assert len(counts) == 12 and sum(counts) > 0
        drawn = len(chart.find_elements(By.TAG_NAME, "rect"))
        assert drawn == sum(1 for c in counts if c)  # one bar per month with releases
        save_screenshot(browser, screenshots, "transparansi-phone")
        browser.execute_script("arguments[0].scrollIntoView()", chart)
        save_screenshot(browser, screenshots, "transparansi-phone-chart")


def test_dashboard_on_a_laptop_narrows_the_chart_to_one_source(site, screenshots):
    with chromium(width=1280, height=900) as browser:
        open_dashboard_from_navigation(browser, site)
        assert_fits_the_screen(browser)
        edited = browser.find_element(By.XPATH, "//li[contains(., 'diubah setelah terbit')]")
        assert edited.find_element(By.TAG_NAME, "strong").text == "2"
        save_screenshot(browser, screenshots, "transparansi-laptop")
        browser.find_element(By.PARTIAL_LINK_TEXT, "demo-disporapar").click()
        WebDriverWait(browser, 10).until(expected_conditions.url_contains("sumber="))
        heading = browser.find_element(By.ID, "judul-rilis").text
        assert "Dinas Kepemudaan" in heading
        row = browser.find_element(By.CSS_SELECTOR, "tr.selected")
        assert "demo-disporapar" in row.text and "Lancar" in row.text
        save_screenshot(browser, screenshots, "transparansi-laptop-sumber")
