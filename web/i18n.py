"""Indonesian first, English second: which language a request is answered in, the switch that
remembers it, and the English catalogue compiled where Flask-Babel reads it.

The msgids are the Indonesian interface strings; `translations/en/LC_MESSAGES/messages.po` holds
their English. The `.mo` is built from the `.po` at app start into the data dir (only when the
`.po` changed), so a fresh clone needs no extra step and the repository keeps no binary.

How the language is chosen, first match wins:

1. ``?lang=id`` or ``?lang=en`` on any page: that language, remembered in the ``lang`` cookie
   (one year, SameSite=Lax, HttpOnly; not the session, so choosing a language signs nothing and
   opens no session);
2. the ``lang`` cookie;
3. otherwise Indonesian.

Accept-Language is deliberately not followed: many people in Malang use a phone set to English
and still read the city's news in Indonesian, so the site stays Indonesian until someone taps
the switch in the header, which every page shows. Pages therefore depend only on the ``lang``
cookie: every response whose language was looked up says ``Vary: Cookie``, so a shared cache
never serves one person's language to another, and the response that sets the cookie is
``no-store``.
Data (release texts, clarification labels and texts, OPD names) is never translated, only the
interface around it. The sentences the claim checker and the archive's rules write about that
data are `archive.messages.Message` values: Indonesian text that keeps its template and values,
which `say` (also the template filter ``|say``) words in the reader's language.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from flask import Flask, current_app, g, request
from flask_babel import Babel, get_locale
from flask_babel import gettext as _gettext

from archive.messages import LIST_SEPARATOR, CalendarDate, Message, Number

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = ROOT / "translations"
LANGUAGES = ("id", "en")  # Indonesian first: the default and the language of the msgids
LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600
PARAMETER = "lang"

babel = Babel()


def compile_catalogues(source: Path, target: Path) -> list[Path]:
    """Write each `<lang>/LC_MESSAGES/messages.po` under `source` as a `.mo` under `target`,
    unless the `.mo` there was built from a `.po` with the same modification time; returns the
    catalogues it (re)built."""
    built = []
    for po_path in sorted(source.glob("*/LC_MESSAGES/messages.po")):
        mo_path = target / po_path.relative_to(source).with_suffix(".mo")
        po_time = po_path.stat().st_mtime_ns
        if mo_path.exists() and mo_path.stat().st_mtime_ns == po_time:
            continue
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=po_path.parts[-3])
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        partial = mo_path.with_name(f".{mo_path.name}.{os.getpid()}")
        with partial.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        os.utime(partial, ns=(po_time, po_time))
        os.replace(partial, mo_path)  # workers starting together never read half a file
        built.append(mo_path)
    return built


def requested_language() -> str | None:
    """The language asked for with ?lang=, if it is one the site speaks."""
    value = (request.args.get(PARAMETER) or "").strip().lower()
    return value if value in LANGUAGES else None


def select_locale() -> str:
    """The language of this request: ?lang=, then the cookie, then Indonesian."""
    g.language_looked_up = True
    chosen = requested_language() or request.cookies.get(COOKIE)
    return chosen if chosen in LANGUAGES else "id"


def current_language() -> str:
    """'id' or 'en': the language this request is answered in."""
    return str(get_locale() or "id")


def switch_url(language: str) -> str:
    """A link to this page in `language`: the same query with ?lang= set. Relative (query
    only), so it keeps the path without ever repeating it."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != PARAMETER]
    return "?" + urlencode([*args, (PARAMETER, language)])


def language_links() -> list[dict[str, Any]]:
    """The header's language switch: each language with its own name and link."""
    current = current_language()
    return [
        {
            "code": code,
            "name": LANGUAGE_NAMES[code],
            "url": switch_url(code),
            "current": code == current,
        }
        for code in LANGUAGES
    ]


def _remember_choice(response):
    """Remember a ?lang= choice in the cookie; say what the response depends on."""
    chosen = requested_language()
    if chosen is not None and request.cookies.get(COOKIE) != chosen:
        response.set_cookie(
            COOKIE,
            chosen,
            max_age=COOKIE_MAX_AGE,
            secure=bool(current_app.config.get("HTTPS")) or request.is_secure,
            httponly=True,
            samesite="Lax",
        )
        response.headers["Cache-Control"] = "no-store"  # a Set-Cookie is for one browser only
    if chosen is not None or g.get("language_looked_up"):
        response.vary.add("Cookie")
    return response


def init_app(app: Flask) -> None:
    """Compile the catalogues into the data dir and choose a language for every request."""
    compiled = Path(app.config["DATA_DIR"]) / "translations"
    compile_catalogues(SOURCE_DIR, compiled)
    app.config["BABEL_DEFAULT_LOCALE"] = "id"
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(compiled)
    babel.init_app(app, locale_selector=select_locale)
    app.after_request(_remember_choice)
    app.add_template_filter(say)

    @app.context_processor
    def language_context() -> dict[str, Any]:
        return {"current_language": current_language, "language_links": language_links}


def said_to_reader(message: str, english_key: Any) -> str:
    """A plain-text message from ingest (the OCR's image problems), which words it in
    Indonesian: as it is for an Indonesian reader, else the translation of `english_key` (a lazy
    msgid: the same message in general words, without the figures ingest put in). Lower layers
    that keep their templates use `archive.messages.Message` and `say` instead."""
    if current_language() == "id" or english_key is None:
        return message
    return str(english_key)


def N_(message: str) -> str:  # noqa: N802 (the name pybabel extract looks for)
    """Mark `message` for the catalogue without translating it here: the caller keeps the
    Indonesian and a template says `_(message)`."""
    return message


def say(text: str) -> str:
    """A message from a lower layer (the archive's rules, the claim checker) in the reader's
    language; any other text unchanged.

    A `Message` is looked up in the catalogue by its template, and its values are said first:
    a Message among them from the catalogue too, a `Number` or `CalendarDate` written the way
    the language writes them, a list item by item (`archive.messages`). In Indonesian the text
    is the Message's own."""
    if isinstance(text, Message):
        return _gettext(text.template, **{k: _said(v) for k, v in text.params.items()})
    if isinstance(text, Number | CalendarDate) and current_language() != "id":
        return _written(text, current_language())
    return text


def _said(value: Any) -> Any:
    """A Message's value in the reader's language."""
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(str(say(item)) for item in value)
    if isinstance(value, str):
        return say(value)
    return value


def _written(value: Number | CalendarDate, language: str) -> str:
    """A number or a date as `language` writes it."""
    from web.formatting import month_names  # web.formatting depends on this module

    if isinstance(value, Number):
        return format_decimal(value.value, format="#,##0.##", locale=language)
    month = month_names(language)[value.month - 1] if value.month else ""
    return " ".join(str(p) for p in (value.day or "", month, value.year or "") if p)
