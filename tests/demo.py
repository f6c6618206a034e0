"""The bundled demo site for test modules: one app on its own data dir, loaded once per module
through the real ingest path (the same code `python app.py` uses on an empty data dir)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from app import create_app
from ingest.demo import load_demo_if_empty


def demo_site(
    tmp_path_factory: pytest.TempPathFactory, name: str, **config: object
) -> Iterator[Flask]:
    """Yield an app with the demo releases and clarifications loaded, then close its archive.

    For module fixtures: ``yield from demo_site(tmp_path_factory, "check")``. `config` adds to
    the test settings (e.g. CHECK_RATE_LIMIT="" where one address sends many checks).
    """
    application = create_app(
        {
            "TESTING": True,
            "DATA_DIR": str(tmp_path_factory.mktemp(name)),
            "DATABASE_URL": "",
            **config,
        }
    )
    with application.app_context():
        application.config["DEMO_LOADED"] = load_demo_if_empty(application)
    yield application
    application.extensions["saring"].archive.dispose()
