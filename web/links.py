"""Absolute links to this site: canonical links, og:url, Atom ids and links, ClaimReview and API
urls, the OpenAPI server.

They start with the configured BASE_URL (SARING_BASE_URL), so whatever Host header a request
carries never reaches a page, a feed or a cache. Without it (a developer's machine, the demo, the
tests) they follow the request's own host; the app says so in the log at start outside debug and
testing, since behind a public address that would echo a forged Host header.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, request, url_for

log = logging.getLogger(__name__)


def site_url() -> str:
    """The site's root URL without the final slash: BASE_URL, or this request's host."""
    return current_app.config.get("BASE_URL") or request.host_url.rstrip("/")


def absolute_url(endpoint: str, **values: Any) -> str:
    """Like url_for(endpoint, _external=True), but on the site's configured address."""
    return absolute_path(url_for(endpoint, **values)[len(request.script_root) :])


def absolute_path(path: str) -> str:
    """The absolute URL of a path on this site ("/klarifikasi/x" -> "https://.../klarifikasi/x")."""
    return site_url() + path


def init_app(app: Flask) -> None:
    """Check BASE_URL (a ValueError at start names a bad one) and offer the helpers to templates."""
    base = (app.config.get("BASE_URL") or "").strip().rstrip("/")
    if base:
        parts = urlsplit(base)
        malformed = parts.scheme not in ("http", "https") or not parts.hostname
        if malformed or parts.query or parts.fragment:
            raise ValueError(f"SARING_BASE_URL must look like https://saring.example.id: {base!r}")
    elif not (app.debug or app.testing):
        log.warning(
            "SARING_BASE_URL is not set: absolute links follow each request's Host header. "
            "Set it to the site's public address in production."
        )
    app.config["BASE_URL"] = base
    app.add_template_global(absolute_url)
    app.add_template_global(site_url)
