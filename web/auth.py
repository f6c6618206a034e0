"""Staff sign-in: password hashing, sessions, back-off after failed attempts, role guards.

Sessions are Flask's signed cookie holding the user id, the account's `session_epoch` (its
session generation) and the moment of sign-in. The account is read again on every request: a
session ends when its generation is no longer the account's (after signing out, a password or
role change, or disabling the account) and eight hours after sign-in, even if the cookie is
replayed. Passwords are hashed with scrypt through werkzeug (no extra dependency).

Failed sign-ins are slowed down per (address, username) pair and per username
(`archive.editorial.LoginPolicy`), never per address alone, so nobody can lock other staff out.

Cookies are HttpOnly and SameSite=Lax (web/security.py) and Secure whenever the request came over
HTTPS: directly, or through a TLS proxy when SARING_PROXY_FIX=1 lets werkzeug's ProxyFix trust
its X-Forwarded-* headers. SARING_HTTPS=1 marks them Secure always.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, g, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.security import check_password_hash, generate_password_hash

from archive.editorial import Editorial, LoginPolicy, User, utcnow
from web.services import get_services

PASSWORD_METHOD = "scrypt"
MIN_PASSWORD_LENGTH = 12
SESSION_LIFETIME = timedelta(hours=8)
log = logging.getLogger(__name__)
# Checked against when the username is unknown, so both cases cost one hash.
_DUMMY_HASH = generate_password_hash(secrets.token_hex(16), method=PASSWORD_METHOD)


class _SecureWhenHttps(SecureCookieSessionInterface):
    """The session cookie is Secure when configured so or when this request is HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def init_app(app: Flask) -> None:
    """Session cookie policy, optional proxy trust, the signed-in user on `g.user`, and no
    caching of staff pages."""
    # Flask always has a PERMANENT_SESSION_LIFETIME (31 days), so this is set, not defaulted.
    app.config["PERMANENT_SESSION_LIFETIME"] = SESSION_LIFETIME
    app.config.setdefault("LOGIN_POLICY", LoginPolicy())
    # HttpOnly and SameSite=Lax are set for every app by web.security.
    if app.config.get("HTTPS"):
        app.config["SESSION_COOKIE_SECURE"] = True
    app.session_interface = _SecureWhenHttps()
    if app.config.get("PROXY_FIX"):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    else:
        app.before_request(_proxy_header_warning())

    @app.before_request
    def load_user() -> None:
        g.user = _session_user()

    @app.after_request
    def no_store_for_staff(response):
        # Staff pages, pages seen by a signed-in user and responses that set the session cookie
        # are for one person: no browser or proxy may keep a copy.
        path = request.path
        staff_page = path == "/admin" or path.startswith("/admin/")
        if staff_page or g.get("user") is not None or session.modified:
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.context_processor
    def staff_context() -> dict[str, Any]:
        return {"current_user": g.get("user")}


def _proxy_header_warning() -> Callable[[], None]:
    """A before-request hook that warns once when a proxy's X-Forwarded-For goes unused."""
    warned = False

    def warn() -> None:
        nonlocal warned
        if not warned and "X-Forwarded-For" in request.headers:
            warned = True
            log.warning(
                "requests carry X-Forwarded-For but SARING_PROXY_FIX is not set: every client "
                "is seen with the proxy's address %s (set SARING_PROXY_FIX=1 behind one "
                "trusted reverse proxy)",
                request.remote_addr,
            )

    return warn


def now() -> datetime:
    """The current time; tests replace it with app.config["CLOCK"] (a callable)."""
    clock = current_app.config.get("CLOCK") or utcnow
    return clock()


def get_editorial() -> Editorial:
    """The editorial store of the current app (on the archive's database)."""
    return Editorial(get_services().archive.engine)


def hash_password(password: str) -> str:
    """A salted scrypt hash of `password`."""
    return generate_password_hash(password, method=PASSWORD_METHOD)


def password_problem(password: str) -> str | None:
    """Why `password` is not acceptable, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"password must have at least {MIN_PASSWORD_LENGTH} characters"
    return None


def generate_password() -> str:
    """A random password of about 20 characters, easy to type."""
    return secrets.token_urlsafe(15)


def address_key(address: str | None) -> str:
    """A keyed hash of the client address: comparable between attempts, not reversible."""
    key = current_app.config["SECRET_KEY"].encode("utf-8")
    digest = hmac.new(key, (address or "unknown").encode("utf-8"), hashlib.sha256)
    return digest.hexdigest()[:32]


class LoginResult:
    """The outcome of one sign-in attempt."""

    def __init__(self, user: User | None = None, locked_until: datetime | None = None) -> None:
        self.user = user
        self.locked_until = locked_until

    @property
    def ok(self) -> bool:
        """True when the user is signed in."""
        return self.user is not None


def attempt_login(username: str, password: str) -> LoginResult:
    """Check a sign-in, honouring the back-off; record and audit it; start the session."""
    editorial = get_editorial()
    policy: LoginPolicy = current_app.config["LOGIN_POLICY"]
    address = address_key(request.remote_addr)
    moment = now()
    locked = editorial.locked_until(username, address, now=moment, policy=policy)
    if locked:
        editorial.record_refused_login(username, at=moment, locked_until=locked)
        return LoginResult(locked_until=locked)
    user = editorial.find_user(username) if username.strip() else None
    valid = check_password_hash(user.password_hash if user else _DUMMY_HASH, password)
    if user is None or not valid or not user.active:
        reason = "unknown user" if user is None else "wrong password" if not valid else "disabled"
        editorial.record_login(username, address, success=False, at=moment, reason=reason)
        locked = editorial.locked_until(username, address, now=moment, policy=policy)
        return LoginResult(locked_until=locked)
    editorial.record_login(user.username, address, success=True, at=moment)
    session.clear()  # a fresh session on sign-in: no fixation
    session.permanent = True
    session["user_id"] = user.id
    session["epoch"] = user.session_epoch
    session["since"] = int(moment.timestamp())
    g.user = user
    return LoginResult(user=user)


def logout() -> None:
    """End the session, and every other session of the account (audited)."""
    user = g.get("user")
    if user is not None:
        get_editorial().end_sessions(user.id, actor=user.username, action="logout", at=now())
    session.clear()
    g.user = None


def _session_user() -> User | None:
    user_id = session.get("user_id")
    if not isinstance(user_id, int):
        return None
    user = get_editorial().find_user_by_id(user_id)
    if user is None or not user.active or session.get("epoch") != user.session_epoch:
        session.clear()
        return None
    since = session.get("since")
    lifetime = current_app.permanent_session_lifetime.total_seconds()
    if not isinstance(since, int) or now().timestamp() - since > lifetime:
        session.clear()
        return None
    return user


def safe_next(target: str | None) -> str:
    """A local path to return to after sign-in; anything else becomes the admin home."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and not any(ord(c) < 0x20 or c == "\x7f" for c in target)  # no header splitting
    ):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and "\\" not in target:
            return target
    return url_for("admin.dashboard")


def login_required(view: Callable) -> Callable:
    """Guard: anonymous visitors are sent to the sign-in page."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if g.get("user") is None:
            if request.method == "GET":
                return redirect(url_for("admin.login", next=request.full_path.rstrip("?")))
            abort(401, description=_("Silakan masuk terlebih dahulu."))
        return view(*args, **kwargs)

    return wrapped


def admin_required(view: Callable) -> Callable:
    """Guard: signed-in admins only; editors get 403."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not g.user.is_admin:
            abort(403, description=_("Halaman ini hanya untuk admin."))
        return view(*args, **kwargs)

    return wrapped
