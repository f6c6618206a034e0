"""Security defaults for every response: CSRF on every form, strict headers, safe cookies; and
the rule a production secret key must meet."""

from __future__ import annotations

from flask import Flask
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()

MIN_SECRET_KEY_LENGTH = 32
MIN_SECRET_KEY_SYMBOLS = 8  # distinct characters: "aaaa..." or "abab..." are no keys
# Words of sample values that get copied into configuration files unchanged.
PLACEHOLDER_WORDS = ("change", "secret", "example", "placeholder", "dev-key", "your-key")

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def init_app(app: Flask) -> None:
    """CSRF protection on all POST forms; security headers; cookie flags."""
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    if not app.config.get("SESSION_COOKIE_SAMESITE"):  # Flask's default is None, not unset
        app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    csrf.init_app(app)

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        return response


def secret_key_problem(key: str) -> str | None:
    """Why `key` cannot sign production sessions, or None when it can."""
    if not key:
        return "is not set"
    if len(key) < MIN_SECRET_KEY_LENGTH:
        return f"is too short ({len(key)} characters, at least {MIN_SECRET_KEY_LENGTH} needed)"
    lowered = key.lower()
    if len(set(key)) < MIN_SECRET_KEY_SYMBOLS or any(w in lowered for w in PLACEHOLDER_WORDS):
        return "looks like a placeholder, not a random value"
    return None
