"""The app's long-lived services (archive and search index), one set per app."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app

from archive import Archive
from index.store import SearchIndex


@dataclass
class Services:
    """What views and commands share: the archive and the search index."""

    archive: Archive
    index: SearchIndex


def init_app(app: Flask) -> None:
    """Open the archive and the index for this app."""
    app.extensions["saring"] = Services(
        archive=Archive(app.config["DATABASE_URL"]),
        index=SearchIndex(app.config["INDEX_DIR"]),
    )


def get_services() -> Services:
    """The services of the current app."""
    return current_app.extensions["saring"]
