"""Production serving (issue 9): `gunicorn wsgi:app` serves the site, and refuses to start without
a strong SARING_SECRET_KEY; the README documents it and requirements.txt pins gunicorn."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from web.security import secret_key_problem

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _gunicorn(tmp_path: Path, port: int, secret_key: str | None) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SARING_")}
    env["SARING_DATA_DIR"] = str(tmp_path / "data")
    if secret_key is not None:
        env["SARING_SECRET_KEY"] = secret_key
    command = [sys.executable, "-m", "gunicorn", "--workers", "2", "--no-control-socket"]
    command += ["--bind", f"127.0.0.1:{port}", "wsgi:app"]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def _stop(process: subprocess.Popen) -> str:
    if process.poll() is None:
        process.terminate()
    output, _ = process.communicate(timeout=30)
    return output


def test_gunicorn_serves_the_site_with_a_strong_secret_key(tmp_path):
    port = free_port()
    process = _gunicorn(tmp_path, port, secrets.token_hex(32))
    try:
        deadline = time.monotonic() + 90
        page = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    page = response.read().decode("utf-8")
                    break
            except OSError:
                time.sleep(0.2)  # polling for the server to come up, not for a result
        assert page is not None, _stop(process)
        assert "Saring" in page and "</html>" in page
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/admin/masuk", timeout=5) as r:
            assert r.status == 200 and r.headers["Cache-Control"] == "no-store"
    finally:
        _stop(process)


@pytest.mark.parametrize(
    ("secret_key", "reason"),
    [
        (None, "SARING_SECRET_KEY is not set"),
        ("kunci-pendek", "SARING_SECRET_KEY is too short"),
        ("change-me-to-a-long-random-value-please", "looks like a placeholder"),
    ],
)
def test_gunicorn_refuses_to_start_without_a_strong_secret_key(tmp_path, secret_key, reason):
    process = _gunicorn(tmp_path, free_port(), secret_key)
    try:
        process.wait(timeout=60)
    finally:
        output = _stop(process)
    assert process.returncode != 0
    assert reason in output
    assert "Worker failed to boot" in output


def test_the_secret_key_rule():
    assert secret_key_problem(secrets.token_hex(32)) is None
    assert secret_key_problem(secrets.token_urlsafe(32)) is None
    assert secret_key_problem("") == "is not set"
    assert "too short" in secret_key_problem(secrets.token_hex(15))
    for weak in ("a" * 40, "ab" * 20, "1234567" * 5, "my-secret-key-" + "x" * 30, "CHANGEME" * 5):
        assert secret_key_problem(weak) is not None, weak


def test_python_app_py_keeps_its_own_key_for_the_demo(tmp_path):
    from app import create_app

    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "DATABASE_URL": ""})
    try:
        stored = (tmp_path / "secret_key").read_text(encoding="utf-8").strip()
        assert app.config["SECRET_KEY"] == stored and secret_key_problem(stored) is None
    finally:
        app.extensions["saring"].archive.dispose()


def test_gunicorn_is_pinned_and_documented():
    requirements = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    assert any(line.startswith("gunicorn==27.0.1") for line in requirements.splitlines())
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    production = readme.split("## Production", 1)[1].split("\n## ", 1)[0]
    for needed in ("wsgi:app", "--workers", "--timeout", "SARING_PROXY_FIX", "SARING_HTTPS"):
        assert needed in production, needed
    for needed in ("RATELIMIT_STORAGE_URI", "redis://", "SARING_SECRET_KEY"):
        assert needed in production, needed
