"""Per-address rate limits (flask-limiter), one Limiter per app, counted where a view asks.

Views call `within(limit, scope)` with a limit in flask-limiter's syntax ("5 per 10 minutes;30
per day"): the report form (/lapor, REPORT_RATE_LIMIT) and the claim check (/cek and
/api/v1/check, CHECK_RATE_LIMIT). Counters live in RATELIMIT_STORAGE_URI, memory:// (one
process) by default; with several worker processes use a shared store such as
redis://host:6379, or each worker counts on its own.
"""

from __future__ import annotations

from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_limiter.errors import RateLimitExceeded


def init_app(app: Flask) -> None:
    """Create the app's limiter, keyed by the client address (no limit on any route by itself)."""
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    app.config.setdefault("RATELIMIT_STRATEGY", "moving-window")
    app.extensions["saring_limiter"] = Limiter(
        key_func=lambda: request.remote_addr or "unknown", app=app
    )


def within(limit: str, scope: str) -> bool:
    """Count this request against `limit` for its address; False once it is exceeded.

    An empty limit means none. `scope` keeps each limit's counters apart.
    """
    if not limit:
        return True
    limiter: Limiter = current_app.extensions["saring_limiter"]
    try:
        with limiter.limit(limit, scope=scope):
            return True
    except RateLimitExceeded:
        return False
