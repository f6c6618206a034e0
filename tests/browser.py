"""A real browser for UI journeys: Debian's headless Chromium driven through chromedriver,
against the app served by a real WSGI server on 127.0.0.1.

Test modules that drive the browser are marked ``pytestmark = pytest.mark.browser``. Where
Chromium or chromedriver is not on the PATH, `tests/conftest.py` skips them with the reason;
with ``SARING_REQUIRE_BROWSER=1`` (set by `.ci/run`) the same situation fails them instead, so
CI never passes with the browser journeys silently skipped.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from werkzeug.serving import make_server

REQUIRE_BROWSER = "SARING_REQUIRE_BROWSER"
"""Environment variable: "1" turns a missing browser or driver from a skip into a failure."""


def missing_browser() -> str:
    """Why the browser tests cannot run here ("" when Chromium and chromedriver are found)."""
    missing = [name for name in ("chromium", "chromedriver") if shutil.which(name) is None]
    if not missing:
        return ""
    return (
        f"{' and '.join(missing)} not found on the PATH "
        "(Debian: apt-get install chromium chromium-driver)"
    )


def browser_required() -> bool:
    """Whether a missing browser must fail the run rather than skip its tests (CI)."""
    return os.environ.get(REQUIRE_BROWSER, "") == "1"


@contextmanager
def serve(app: Flask) -> Iterator[str]:
    """Serve the app on a free 127.0.0.1 port in a thread; yields the base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


@contextmanager
def chromium(width: int = 1200, height: int = 1600) -> Iterator[webdriver.Chrome]:
    """A headless Chromium with a throwaway profile and no background network traffic."""
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "chromium"
    profile = tempfile.mkdtemp(prefix="saring-chromium-")
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        f"--window-size={width},{height}",
    ):
        options.add_argument(flag)
    service = Service(shutil.which("chromedriver") or "chromedriver")
    driver = webdriver.Chrome(options=options, service=service)
    driver.implicitly_wait(5)  # element look-ups wait for the page, assertions do not
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
