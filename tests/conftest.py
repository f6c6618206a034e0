"""Shared fixtures: an app on a fresh data dir, its client and CLI runner; and the rule for
browser tests (marked ``browser``): skipped with the reason where Chromium or chromedriver is
missing, failed instead when ``SARING_REQUIRE_BROWSER=1``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app import create_app
from tests.browser import REQUIRE_BROWSER, browser_required, missing_browser


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "browser: drives headless Chromium through chromedriver (see tests/browser.py)"
    )


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before its fixtures start anything, a browser test without a browser skips or fails."""
    if item.get_closest_marker("browser") is None:
        return
    reason = missing_browser()
    if not reason:
        return
    if browser_required():
        pytest.fail(f"{reason}; {REQUIRE_BROWSER}=1 requires the browser tests", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def app(tmp_path, monkeypatch):
    """A Saring app with its own empty data dir, allowed to fetch from 127.0.0.1."""
    monkeypatch.setenv("SARING_ALLOW_PRIVATE_HOSTS", "1")
    application = create_app(
        {
            "TESTING": True,
            "DATA_DIR": str(tmp_path / "data"),
            "DATABASE_URL": "",
            "FETCH_DELAY": 0.0,
            "FETCH_TIMEOUT": 5.0,
        }
    )
    yield application
    application.extensions["saring"].archive.dispose()


@pytest.fixture
def client(app):
    """HTTP client for the app."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """CLI runner for the app's commands."""
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory) -> Path:
    """Where browser journeys save their screenshots: $SARING_SCREENSHOTS, or a `screenshots`
    folder in pytest's temporary directory (README)."""
    folder = os.environ.get("SARING_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.getbasetemp() / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path
