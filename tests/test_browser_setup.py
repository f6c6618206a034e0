"""The rule for browser tests on a machine without a browser driver: a skip that says why, or a
failure when SARING_REQUIRE_BROWSER=1 (as `.ci/run` sets it).

Each case runs pytest in a subprocess on one browser test, with a PATH holding Chromium but no
chromedriver, the way a fresh machine with only the browser installed looks.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ONE_BROWSER_TEST = "tests/test_browser_search.py::test_journalist_searches_and_opens_a_release"


@pytest.fixture
def path_without_driver(tmp_path):
    """A PATH with `chromium` (a stand-in when this machine has none) and no `chromedriver`."""
    chromium = tmp_path / "chromium"
    found = shutil.which("chromium")
    if found:
        chromium.symlink_to(found)
    else:
        chromium.write_text("#!/bin/sh\nexit 1\n")
        chromium.chmod(0o755)
    return str(tmp_path)


def run_browser_test(path: str, require: str | None) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "SARING_REQUIRE_BROWSER"}
    env["PATH"] = path
    if require is not None:
        env["SARING_REQUIRE_BROWSER"] = require
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:randomly", ONE_BROWSER_TEST],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_missing_driver_skips_the_browser_test_with_the_reason(path_without_driver):
    result = run_browser_test(path_without_driver, require=None)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 skipped" in result.stdout
    assert "chromedriver not found on the PATH" in result.stdout
    assert "chromium-driver" in result.stdout  # says what to install


def test_a_missing_driver_fails_the_run_when_the_browser_is_required(path_without_driver):
    result = run_browser_test(path_without_driver, require="1")
    assert result.returncode != 0
    assert "skipped" not in result.stdout
    assert "chromedriver not found on the PATH" in result.stdout
    assert "SARING_REQUIRE_BROWSER=1 requires the browser tests" in result.stdout
