"""Accessibility of the main pages in a real browser: axe-core (the npm package pinned in
package-lock.json) is injected into each page of the demo site at a phone's width (390x844) and a
laptop's (1280x800), and no violation may be of impact "serious" or "critical". Rules every page
already passes stay passed whatever their impact: headings in order (no h3 straight under the h1).

Every violation found, of any impact, is printed as a compact summary with each page's transfer
size: the bytes of the HTML and of the CSS, JS and images it uses, uncompressed as the test server
sends them (run with ``-s`` to see it; pytest also shows it under "Captured stdout" when the test
fails). Where axe.min.js is missing and cannot be installed with `npm ci`, the test skips with the
reason, or fails under SARING_REQUIRE_BROWSER=1 (tests/browser.py).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser import chromium, find_axe, force_viewport, serve, skip_or_fail
from tests.demo import demo_site

pytestmark = pytest.mark.browser

SIZES = {"phone": (390, 844), "laptop": (1280, 800)}
BLOCKING = ("serious", "critical")
# Moderate or minor rules that no main page breaks any more: a regression fails the test.
CLEAN_RULES = ("heading-order",)
MURAL = "pameran-mural-pelajar"  # a demo release with three versions (demo/history.json)
RUMOUR = "Pendaftaran PPPK 2023 diperpanjang sampai 11 Oktober, formasinya ada 721."

RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ['violations']}).then(
  result => done(result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 3).map(n => n.target.join(' ')), count: v.nodes.length,
  }))),
  error => done([
    {id: 'axe-error', impact: 'critical', help: String(error), targets: [], count: 1},
  ]),
);
"""

WEIGHT = """
const done = arguments[arguments.length - 1];
const urls = new Set(performance.getEntriesByType('resource').map(r => r.name));
const used = 'link[rel~=stylesheet], link[rel~=icon], script[src], img';
for (const el of document.querySelectorAll(used)) {
  urls.add(new URL(el.href || el.src, location.href).href);
}
const html = performance.getEntriesByType('navigation')[0].encodedBodySize;
const sizes = {html: html, css: 0, js: 0, img: 0};
Promise.all([...urls].map(async url => {
  const body = await (await fetch(url, {cache: 'no-store'})).arrayBuffer();
  const path = new URL(url).pathname;
  const kind = path.endsWith('.css') ? 'css' : path.endsWith('.js') ? 'js' : 'img';
  sizes[kind] += body.byteLength;
})).then(() => done(sizes), () => done(null));
"""


@pytest.fixture(scope="module")
def axe_script() -> str:
    """The text of axe.min.js (skips or fails the module's tests when it cannot be had)."""
    path, reason = find_axe()
    if path is None:
        skip_or_fail(reason)
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    yield from demo_site(tmp_path_factory, "a11y-browser", CHECK_RATE_LIMIT="")


@pytest.fixture(scope="module")
def site(demo):
    with serve(demo) as base_url:
        yield base_url


@pytest.fixture(scope="module")
def mural_id(demo) -> int:
    archive = demo.extensions["saring"].archive
    return next(r.id for r in archive.iter_releases() if MURAL in r.url)


def _check_result(browser, site: str) -> None:
    browser.get(site + "/cek")
    browser.find_element(By.ID, "text").send_keys(RUMOUR)
    browser.find_element(By.CSS_SELECTOR, "form.check button[type=submit]").click()
    WebDriverWait(browser, 15).until(expected_conditions.url_contains("/cek#hasil"))
    browser.find_element(By.CSS_SELECTOR, ".record-verdict")


def _one_clarification(browser, site: str) -> None:
    browser.get(site + "/klarifikasi")
    link = browser.find_element(By.CSS_SELECTOR, "main a[href*='/klarifikasi/']")
    browser.get(link.get_attribute("href"))
    assert browser.find_element(By.CSS_SELECTOR, ".verdict-box")


def main_pages(mural_id: int) -> dict[str, str | Callable]:
    """Each main page: a path to open, or a function that brings the browser to it."""
    return {
        "home": "/",
        "search": "/cari?q=banjir",
        "search-clarified": "/cari?q=tarif+angkot",  # official clarifications above the results
        "release": f"/rilis/{mural_id}",
        "versions": f"/rilis/{mural_id}/versi?dari=1&ke=3",
        "check": "/cek",
        "check-result": _check_result,
        "clarifications": "/klarifikasi",
        "clarification": _one_clarification,
        "report": "/lapor",
        "transparency": "/transparansi",
        "api": "/api",
        "not-found": "/halaman-yang-tidak-ada",
        "staff-sign-in": "/admin/masuk",
    }


def audit(browser, axe_script: str) -> list[dict]:
    """axe's violations on the page in the browser."""
    browser.execute_script(axe_script)
    return browser.execute_async_script(RUN_AXE)


def weight(browser) -> dict[str, int]:
    """Bytes of the page and of the CSS, JS and images it uses (bodies as served, no headers)."""
    sizes = browser.execute_async_script(WEIGHT)
    assert sizes is not None, "a resource of the page could not be fetched"
    return {**sizes, "total": sum(sizes.values())}


def summary(size: str, page: str, violations: list[dict], sizes: dict[str, int]) -> str:
    """One line per page: its weight, then its violations by impact, rule and elements."""
    kb = " ".join(
        f"{kind} {sizes[kind] / 1000:.1f}" for kind in ("total", "html", "css", "js", "img")
    )
    found = "; ".join(
        f"{v['impact']} {v['id']} x{v['count']} ({', '.join(v['targets'])})" for v in violations
    )
    return f"{size:6} {page:15} kB: {kb} | axe: {found or 'none'}"


@pytest.mark.parametrize("size", list(SIZES))
def test_main_pages_have_no_serious_or_critical_axe_violation(site, mural_id, axe_script, size):
    width, height = SIZES[size]
    found: dict[str, list[dict]] = {}
    weights: dict[str, dict[str, int]] = {}
    overflowing: dict[str, int] = {}
    with chromium(width=width, height=height) as browser:
        browser.set_script_timeout(60)
        force_viewport(browser, width, height)
        for page, how in main_pages(mural_id).items():
            if callable(how):
                how(browser, site)
            else:
                browser.get(site + how)
            weights[page] = weight(browser)
            found[page] = audit(browser, axe_script)
            # a page wider than the screen makes a phone zoom out (WCAG 1.4.10, reflow)
            shown = browser.execute_script("return window.innerWidth")
            if shown != width:
                overflowing[page] = shown
    print()
    for page, violations in found.items():
        print(summary(size, page, violations, weights[page]))
    blocking = {
        page: [v["id"] for v in violations if v["impact"] in BLOCKING or v["id"] in CLEAN_RULES]
        for page, violations in found.items()
    }
    assert {page: ids for page, ids in blocking.items() if ids} == {}
    assert overflowing == {}, f"pages wider than {width} pixels"
