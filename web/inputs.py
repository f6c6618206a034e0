"""Request input made safe before a view sees it: bodies within MAX_CONTENT_LENGTH, ids within
the database's integer range, and JSON bodies without lone surrogates or deep nesting.

- A body whose Content-Length is over MAX_CONTENT_LENGTH gets 413 from werkzeug as soon as a view
  touches it, before anything is read. A chunked body has no length: werkzeug reads it up to the
  limit and silently stops there, so a view would see a truncated form or JSON document.
  `refuse_long_streams` reads such a body first and answers 413 when it reaches the limit.

- Every route that takes an id uses the `id` URL converter (`/rilis/<id:release_id>`): ASCII
  digits only, 1 to MAX_ID, so an id beyond the columns' range is a 404, never a database error.
  `parse_id` applies the same rule to ids in query strings and forms.
- JSON bodies are read by `SafeJSONProvider.loads`: nesting deeper than MAX_JSON_DEPTH is a
  ValueError (Flask answers 400), and a lone surrogate such as "\\ud800" (legal in JSON, not
  encodable as UTF-8) becomes U+FFFD, as werkzeug already does with invalid UTF-8 in forms and
  URLs. Text that could not be written back out therefore never reaches a view.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Flask, abort, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext as _
from werkzeug.routing import BaseConverter, ValidationError

from web.formatting import number_label

# The archive's id columns are SQLAlchemy Integer: 64-bit in SQLite, but 32-bit in PostgreSQL.
MAX_ID = 2**31 - 1
MAX_JSON_DEPTH = 32
_ID = re.compile(r"[0-9]{1,10}")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def parse_id(text: str | None) -> int | None:
    """The id written in `text` (ASCII digits, 1..MAX_ID), or None when it is not one."""
    text = (text or "").strip()
    if not _ID.fullmatch(text):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None


class IdConverter(BaseConverter):
    """URL part of a database id: `<id:name>`; anything else does not match (404)."""

    regex = r"[0-9]{1,10}"
    weight = 50  # like werkzeug's int converter, so routes order the same way

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValidationError()
        return number

    def to_url(self, value: Any) -> str:
        return str(int(value))


class SafeJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider, with request bodies bounded in depth and surrogate-free."""

    ensure_ascii = False

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """Parse JSON; ValueError when nested too deeply, lone surrogates replaced."""
        try:
            value = json.loads(s, **kwargs)
        except RecursionError:
            raise ValueError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels") from None
        return _clean(value, MAX_JSON_DEPTH)


def _clean(value: Any, depth: int) -> Any:
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if not isinstance(value, (list, dict)):
        return value
    if depth <= 0:
        raise ValueError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
    if isinstance(value, list):
        return [_clean(item, depth - 1) for item in value]
    return {_clean(key, 0): _clean(item, depth - 1) for key, item in value.items()}


def refuse_long_streams() -> None:
    """413 for a body without Content-Length that reaches the limit (it would be cut there)."""
    limit = request.max_content_length
    if limit is None or request.content_length is not None:
        return
    if "wsgi.input_terminated" in request.environ:  # the server de-chunks: a body may follow
        if len(request.get_data(cache=True)) >= limit:  # kept for request.form and get_json
            abort(
                413,
                description=_("Isi kiriman lebih dari %(limit)s byte.", limit=number_label(limit)),
            )


def init_app(app: Flask) -> None:
    """Register the `id` URL converter, the JSON provider (before blueprints are added) and the
    check of bodies sent without a length."""
    app.url_map.converters["id"] = IdConverter
    app.json = SafeJSONProvider(app)
    # First of all before-request hooks: CSRF protection reads the form, and must not see a cut one.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_long_streams)
