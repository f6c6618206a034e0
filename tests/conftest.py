"""Shared fixtures: an app on a fresh data dir, its client and CLI runner."""

from __future__ import annotations

import pytest

from app import create_app


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
