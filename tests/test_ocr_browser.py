"""The screenshot journey in a real browser, at phone and laptop sizes: a citizen uploads a chat
screenshot on /cek, sees the text that was read in the text box and the verdict.

Each run writes what the browser showed to the folder named by SARING_SCREENSHOTS (default: a
"screenshots" folder in pytest's temporary directory): ocr-check-phone.png, ocr-check-laptop.png.
"""

from __future__ import annotations

import pytest
from PIL import Image
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser import chromium, save_screenshot, serve
from tests.demo import demo_site
from tests.ocr_images import chat_bubble, require_ocr
from verify.check import Verdict
from web.check import VERDICT_LABELS

pytestmark = pytest.mark.browser

CONTRADICTED = "Pendaftaran PPPK 2023 diperpanjang sampai 11 Oktober, formasinya ada 721."
SIZES = {"phone": (390, 844), "laptop": (1280, 800)}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The demo site served on 127.0.0.1."""
    for app in demo_site(tmp_path_factory, "ocr-browser", CHECK_RATE_LIMIT=""):
        with serve(app) as base_url:
            yield base_url


@pytest.mark.parametrize("size", SIZES)
def test_upload_a_screenshot_see_the_text_read_and_the_verdict(site, screenshots, tmp_path, size):
    require_ocr()
    picture = tmp_path / "pesan-grup.png"
    chat_bubble(CONTRADICTED).save(picture)
    label = VERDICT_LABELS[Verdict.CONTRADICTED][0]
    width, height = SIZES[size]
    with chromium(width, height) as browser:
        # Headless windows are at least 500 pixels wide: a phone's viewport is emulated.
        metrics = {"width": width, "height": height, "deviceScaleFactor": 1}
        metrics["mobile"] = size == "phone"
        browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
        browser.get(site + "/cek")
        assert browser.execute_script("return window.innerWidth") == width
        upload = browser.find_element(By.CSS_SELECTOR, "input[type=file][name=image]")
        upload.send_keys(str(picture))
        browser.find_element(By.CSS_SELECTOR, "form.check button[type=submit]").click()
        located = (By.XPATH, f"//*[contains(text(), '{label}')]")
        shown = expected_conditions.visibility_of_element_located(located)
        verdict = WebDriverWait(browser, 30).until(shown)

        box = browser.find_element(By.ID, "text")
        read = box.get_attribute("value")
        assert "PPPK 2023" in read and "721" in read
        caption = browser.find_element(By.CSS_SELECTOR, "label[for=text]").text
        assert "Teks yang terbaca dari gambar" in caption
        assert browser.find_element(By.NAME, "image").get_attribute("value") == ""  # not kept

        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", verdict)
        shot = save_screenshot(browser, screenshots, f"ocr-check-{size}")
    with Image.open(shot) as saved:
        assert saved.format == "PNG" and saved.size == (width, height)
