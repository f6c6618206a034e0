"""Where axe-core comes from for the accessibility tests: package.json pins it exactly, the lock
file is committed, and a machine without it gets a skip that says why, or a failure under
SARING_REQUIRE_BROWSER=1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.browser import AXE_SCRIPT, REQUIRE_BROWSER, find_axe, skip_or_fail

ROOT = Path(__file__).resolve().parent.parent


def script_in(root: Path) -> Path:
    return root / "node_modules" / "axe-core" / "axe.min.js"


def test_axe_core_is_pinned_to_one_exact_version_in_package_json_and_the_lock():
    wanted = json.loads((ROOT / "package.json").read_text())["devDependencies"]["axe-core"]
    assert wanted[0].isdigit() and wanted.count(".") == 2  # no ^ or ~ range
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/axe-core"]["version"] == wanted
    assert lock["packages"]["node_modules/axe-core"]["integrity"].startswith("sha512-")


def test_node_modules_is_not_committed():
    assert "node_modules/" in (ROOT / ".gitignore").read_text().splitlines()


def test_the_script_the_browser_tests_inject_is_the_one_npm_installs_here():
    assert AXE_SCRIPT == script_in(ROOT)


def test_an_installed_axe_is_found(tmp_path):
    script = script_in(tmp_path)
    script.parent.mkdir(parents=True)
    script.write_text("/* axe */")
    assert find_axe(script) == (script, "")


def test_without_a_lock_file_the_reason_names_it(tmp_path):
    path, reason = find_axe(script_in(tmp_path))
    assert path is None
    assert "axe.min.js not found" in reason and "package-lock.json" in reason


def test_without_npm_the_reason_says_what_to_install(tmp_path, monkeypatch):
    (tmp_path / "package-lock.json").write_text("{}")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    path, reason = find_axe(script_in(tmp_path))
    assert path is None
    assert "npm is not on the PATH" in reason and "apt-get install nodejs npm" in reason


def test_a_missing_tool_skips_with_the_reason(monkeypatch):
    monkeypatch.delenv(REQUIRE_BROWSER, raising=False)
    with pytest.raises(pytest.skip.Exception, match="axe.min.js not found"):
        skip_or_fail("axe.min.js not found")


def test_a_missing_tool_fails_when_the_browser_tests_are_required(monkeypatch):
    monkeypatch.setenv(REQUIRE_BROWSER, "1")
    with pytest.raises(pytest.fail.Exception, match="SARING_REQUIRE_BROWSER=1 requires"):
        skip_or_fail("axe.min.js not found")
