"""The README's first command: `python app.py` starts a working site on the demo data."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_python_app_py_serves_the_demo_site(tmp_path):
    port = free_port()
    env = {**os.environ, "SARING_DATA_DIR": str(tmp_path / "data"), "PORT": str(port)}
    process = subprocess.Popen(
        [sys.executable, "app.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        health = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    health = json.load(r)
                    break
            except OSError:
                time.sleep(0.2)  # polling for the server to come up, not for a result
        assert health is not None, process.stdout.read() if process.poll() is not None else ""
        assert health["status"] == "ok"
        assert health["store"]["releases"] >= 100
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/cari?q=stunting", timeout=5) as r:
            page = r.read().decode("utf-8")
        assert "<mark>" in page
    finally:
        process.terminate()
        process.wait(timeout=10)
