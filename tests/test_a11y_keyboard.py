"""Keyboard use in a real browser: the skip link comes first and works, the claim check is filled
in and sent with the keyboard alone, and on the main pages Tab visits every control in order
(nothing unreachable, no trap) with a visible focus style on each."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser import chromium, force_viewport, serve
from tests.demo import demo_site

pytestmark = pytest.mark.browser

MURAL = "pameran-mural-pelajar"
RUMOUR = "Pendaftaran PPPK 2023 diperpanjang sampai 11 Oktober, formasinya ada 721."

FOCUS_SHOWN = """
const el = document.activeElement;
const style = getComputedStyle(el);
const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
  && style.outlineColor !== 'rgba(0, 0, 0, 0)';
const shadow = style.boxShadow !== 'none';
return outline || shadow;
"""

MARK_TABBABLE = """
const selector = 'a[href], button, input, select, textarea, summary, [tabindex]';
const found = [...document.querySelectorAll(selector)].filter(el =>
  el.tabIndex >= 0 && !el.disabled && el.type !== 'hidden' && el.checkVisibility());
found.forEach((el, i) => el.setAttribute('data-tab-order', i));
return found.map(el => el.outerHTML.slice(0, 80));
"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    yield from demo_site(tmp_path_factory, "a11y-keyboard", CHECK_RATE_LIMIT="")


@pytest.fixture(scope="module")
def site(demo):
    with serve(demo) as base_url:
        yield base_url


@pytest.fixture(scope="module")
def mural_id(demo) -> int:
    archive = demo.extensions["saring"].archive
    return next(r.id for r in archive.iter_releases() if MURAL in r.url)


def press(browser, *keys: str) -> None:
    """Type keys to whatever has the focus, as a person at the keyboard would."""
    ActionChains(browser).send_keys(*keys).perform()


def active(browser):
    return browser.switch_to.active_element


def focus_shown(browser) -> bool:
    """Whether the focused element has a visible outline or box shadow."""
    return browser.execute_script(FOCUS_SHOWN)


def send_check_with_the_keyboard(browser, site: str) -> None:
    """From the top of /cek: skip link, then the message box, then the button, Enter to send."""
    browser.get(site + "/cek")
    press(browser, Keys.TAB)
    assert active(browser).get_attribute("class") == "skip"
    assert browser.execute_script(
        "const r = document.activeElement.getBoundingClientRect();"
        "return r.left >= 0 && r.top >= 0 && r.width > 0;"
    ), "the skip link is on screen once focused"
    assert focus_shown(browser)
    press(browser, Keys.ENTER)
    WebDriverWait(browser, 5).until(expected_conditions.url_to_be(site + "/cek#isi"))
    press(browser, Keys.TAB)
    assert active(browser).get_attribute("id") == "text"  # the main form comes next
    assert focus_shown(browser)
    press(browser, RUMOUR)
    press(browser, Keys.TAB)
    assert active(browser).get_attribute("id") == "image"
    assert focus_shown(browser)
    press(browser, Keys.TAB)
    button = active(browser)
    assert button.tag_name == "button" and button.get_attribute("type") == "submit"
    assert focus_shown(browser)
    press(browser, Keys.ENTER)
    WebDriverWait(browser, 15).until(expected_conditions.url_contains("/cek#hasil"))


@pytest.mark.parametrize("size", [(390, 844), (1280, 800)], ids=["phone", "laptop"])
def test_the_claim_check_is_used_from_the_keyboard_alone(site, size):
    with chromium(width=size[0], height=size[1]) as browser:
        force_viewport(browser, *size)
        send_check_with_the_keyboard(browser, site)
        verdict = browser.find_element(By.CSS_SELECTOR, ".record-verdict .record-label")
        assert "Rilis resmi menyebut lain" in verdict.text
        assert browser.find_element(By.ID, "text").get_attribute("value") == RUMOUR


def walk(browser) -> tuple[list[str], list[tuple[str, bool]]]:
    """Visit every control by keyboard: the controls, and (which one, focus shown) per step.

    The walk starts at the first control with Shift+Tab from the second, since a page opened
    at an anchor (the check result at #hasil) starts Tab from there.
    """
    order = browser.execute_script(MARK_TABBABLE)
    assert len(order) > 1, "the page has controls"
    browser.execute_script("document.querySelector('[data-tab-order=\"1\"]').focus()")
    steps = []
    for step in range(len(order)):
        if step == 0:
            back = ActionChains(browser).key_down(Keys.SHIFT).send_keys(Keys.TAB)
            back.key_up(Keys.SHIFT).perform()
        else:
            press(browser, Keys.TAB)
        focused = active(browser)
        steps.append((focused.get_attribute("data-tab-order"), focus_shown(browser)))
    return order, steps


@pytest.mark.parametrize(
    "page",
    [
        "/",
        "/cari?q=banjir",
        "release",
        "/cek",
        "check-result",
        "/klarifikasi",
        "/lapor",
        "/transparansi",
        "/api",
        "/admin/masuk",
    ],
)
def test_tab_reaches_every_control_in_order_with_a_visible_focus(site, mural_id, page):
    with chromium(width=1280, height=800) as browser:
        if page == "check-result":
            send_check_with_the_keyboard(browser, site)
        elif page == "release":
            browser.get(f"{site}/rilis/{mural_id}")
            browser.find_element(By.CSS_SELECTOR, "button.copy-button")  # added by copy.js
        else:
            browser.get(site + page)
        order, steps = walk(browser)
        assert [which for which, _ in steps] == [str(i) for i in range(len(order))]
        unmarked = [order[int(which)] for which, shown in steps if not shown]
        assert unmarked == [], "controls without a visible focus style"
