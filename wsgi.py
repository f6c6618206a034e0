"""Gunicorn's entry point: `gunicorn wsgi:app` (see "Production" in the README).

Unlike `python app.py`, which keeps a random key in the data dir for the demo, production never
makes up a secret key: SARING_SECRET_KEY must hold a long random value, the same for every worker
and every restart, or the start is refused with the reason.
"""

from __future__ import annotations

import os

from app import create_app
from web.security import secret_key_problem

_problem = secret_key_problem(os.environ.get("SARING_SECRET_KEY", ""))
if _problem:
    raise RuntimeError(
        f"Saring will not start: SARING_SECRET_KEY {_problem}. Set it to a random value of "
        "at least 32 characters, e.g. the output of: "
        "python3 -c 'import secrets; print(secrets.token_hex(32))'"
    )

app = create_app()
