"""Saring's application factory; `python app.py` serves the site on the bundled demo data.

Configuration (environment variables; each also settable through `create_app(test_config)`):

- SARING_DATA_DIR: where the database, the search index and the secret key live (./instance).
- DATABASE_URL: SQLAlchemy URL of the archive (default: SQLite file in the data dir). A
  PostgreSQL URL such as postgresql+psycopg://user@host/saring works the same way.
- SARING_SOURCES: the sources file (default: sources.toml beside this file).
- SARING_ALLOW_PRIVATE_HOSTS=1: let the fetcher reach private and loopback addresses (tests and
  local evaluation only; the host allow-list still applies).
- SARING_FETCH_DELAY: seconds between two requests to one host (1.0).
- SARING_FETCH_TIMEOUT: seconds before a fetch gives up (15).
- SARING_FETCH_MAX_BYTES: largest response body accepted (5000000).
- SARING_ATTACHMENT_MAX_BYTES: largest document (PDF, image) a release links to that is
  fetched and archived (10000000).
- SARING_SECRET_KEY: session signing key (default: a random key kept in the data dir);
  `gunicorn wsgi:app` refuses to start without a strong one (web.security).
- SARING_HTTPS=1: the site is served over HTTPS; session cookies are always marked Secure (they
  are Secure anyway on any request that arrives over HTTPS).
- SARING_PROXY_FIX=1: trust one reverse proxy's X-Forwarded-For/-Proto/-Host (werkzeug
  ProxyFix), so client addresses and HTTPS are seen correctly behind a TLS proxy.
- SARING_BASE_URL: the site's public address, e.g. https://saring.malangkota.go.id; canonical
  links, og:url, Atom ids and links, ClaimReview and API urls are built on it, never on the
  request's Host header. Unset (development), they follow the request's host.
- SARING_MAX_CONTENT_LENGTH: largest request body in bytes (1000000); a larger one gets 413
  without being read.
- RATELIMIT_STORAGE_URI: where rate-limit counters live (memory://, per process). With several
  worker processes use a shared store, e.g. redis://localhost:6379.
- SARING_CHECK_RATE_LIMIT: claim checks (/cek, /api/v1/check) per client address, in
  flask-limiter syntax ("20 per minute;300 per day"); empty for no limit.
- SARING_CHECK_BUDGET: seconds one check may spend before the remaining claims of a long message
  are left unchecked (2.0; the first claim is always checked).
- SARING_WHOOSH_INTERNALS=public: search through Whoosh's public API only, skipping the faster
  reads of its internals (index.whoosh_internals; /healthz shows which is in use).
- PORT: port for `python app.py` (5000).
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent


def _env_config() -> dict:
    data_dir = Path(os.environ.get("SARING_DATA_DIR", ROOT / "instance"))
    return {
        "DATA_DIR": str(data_dir),
        "DATABASE_URL": os.environ.get("DATABASE_URL", ""),
        "SOURCES_FILE": os.environ.get("SARING_SOURCES", str(ROOT / "sources.toml")),
        "FETCH_DELAY": float(os.environ.get("SARING_FETCH_DELAY", "1.0")),
        "FETCH_TIMEOUT": float(os.environ.get("SARING_FETCH_TIMEOUT", "15")),
        "FETCH_MAX_BYTES": int(os.environ.get("SARING_FETCH_MAX_BYTES", "5000000")),
        "ATTACHMENT_MAX_BYTES": int(os.environ.get("SARING_ATTACHMENT_MAX_BYTES", "10000000")),
        "SECRET_KEY": os.environ.get("SARING_SECRET_KEY", ""),
        "HTTPS": os.environ.get("SARING_HTTPS", "") == "1",
        "PROXY_FIX": os.environ.get("SARING_PROXY_FIX", "") == "1",
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "CHECK_RATE_LIMIT": os.environ.get("SARING_CHECK_RATE_LIMIT", "20 per minute;300 per day"),
        "CHECK_BUDGET_SECONDS": float(os.environ.get("SARING_CHECK_BUDGET", "2.0")),
        "BASE_URL": os.environ.get("SARING_BASE_URL", ""),
        "MAX_CONTENT_LENGTH": int(os.environ.get("SARING_MAX_CONTENT_LENGTH", "1000000")),
    }


def _secret_key(data_dir: Path) -> str:
    """A per-installation random key, created on first start and kept in the data dir."""
    path = data_dir / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def create_app(test_config: dict | None = None) -> Flask:
    """Build the Flask app: archive, index, blueprints, CLI commands."""
    app = Flask(__name__)
    app.config.update(_env_config())
    if test_config:
        app.config.update(test_config)
    data_dir = Path(app.config["DATA_DIR"])
    data_dir.mkdir(parents=True, exist_ok=True)
    if not app.config["DATABASE_URL"]:
        from archive.store import database_url_for

        app.config["DATABASE_URL"] = database_url_for(data_dir)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _secret_key(data_dir)
    app.config.setdefault("INDEX_DIR", str(data_dir / "index"))

    from web import auth, errors, formatting, i18n, ratelimit, security, services

    services.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    ratelimit.init_app(app)
    auth.init_app(app)
    errors.init_app(app)
    formatting.init_app(app)

    from web import admin, api, check, clarify, documents, public, register

    clarify.init_app(app)
    for blueprint in (public.bp, documents.bp, register.bp, api.bp, check.bp, clarify.bp,
                      admin.bp):  # fmt: skip
        app.register_blueprint(blueprint)
    from web import transparency

    transparency.init_app(app)
    security.csrf.exempt(api.bp)  # the JSON API uses no cookies, so there is nothing to forge

    from ingest import cli
    from ingest.demo import AFTER_DEMO
    from verify.harvest import harvest_archive
    from web import admin_cli

    cli.init_app(app)
    admin_cli.init_app(app)
    # The demo loader (ingest) hands its archive to the layers above it, which it cannot import:
    # the official channels the demo releases state are harvested as `flask channels harvest` does.
    app.extensions[AFTER_DEMO] = [harvest_archive]
    return app


def main() -> None:
    """Serve the site on 127.0.0.1:$PORT, loading the bundled demo data into an empty archive."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    app = create_app()
    from ingest.demo import load_demo_if_empty

    with app.app_context():
        loaded = load_demo_if_empty(app)
    if loaded:
        print(f"Loaded {loaded} demo releases into {app.config['DATA_DIR']}")
    port = int(os.environ.get("PORT", "5000"))
    print(f"Saring: http://127.0.0.1:{port}/")
    app.run(host="127.0.0.1", port=port, debug=False)


if __name__ == "__main__":
    main()
