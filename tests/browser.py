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
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
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


def save_screenshot(driver: webdriver.Chrome, folder: Path, name: str) -> Path:
    """Save what the browser shows as `folder`/`name`.png and check that a PNG was written."""
    path = folder / f"{name}.png"
    assert driver.save_screenshot(str(path)), f"no screenshot written to {path}"
    assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    return path


def skip_or_fail(reason: str) -> None:
    """Skip the running test with the reason, or fail it when the browser tests are required."""
    if browser_required():
        pytest.fail(f"{reason}; {REQUIRE_BROWSER}=1 requires the browser tests", pytrace=False)
    pytest.skip(reason)


def force_viewport(driver: webdriver.Chrome, width: int, height: int) -> None:
    """Emulate a viewport of exactly width x height (headless windows have a minimum width).

    Widths under 600 pixels are emulated as a phone (a mobile viewport, as a phone's browser).
    """
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )


AXE_SCRIPT = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
"""axe-core as npm installs it from package-lock.json at the repository root."""


def find_axe(script: Path = AXE_SCRIPT) -> tuple[Path | None, str]:
    """axe.min.js, installing it with `npm ci` once where the lock is there and it is not.

    Returns (path, "") when found, else (None, why not) for the skip or failure message.
    """
    if script.is_file():
        return script, ""
    root = script.parents[2]
    if not (root / "package-lock.json").is_file():
        return None, f"{script} not found and no package-lock.json in {root} to install it from"
    npm = shutil.which("npm")
    if npm is None:
        return None, (
            f"{script} not found and npm is not on the PATH to install axe-core "
            "(Debian: apt-get install nodejs npm, then npm ci)"
        )
    done = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0 or not script.is_file():
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return None, f"npm ci could not install axe-core ({last})"
    return script, ""
