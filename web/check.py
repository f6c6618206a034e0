"""The claim check: the /cek page (a form, no JavaScript needed) and POST /api/v1/check.

Views only parse, call `verify.check.check_text` (with the registry of official channels,
loaded here from `archive.channels`) and render. Nothing the citizen typed or
uploaded is stored or logged here; the page posts the text (it never travels in a URL) and shows
the result once. The page also takes a screenshot: its text is read (`ingest.ocr`), shown in the
text box to be corrected, and checked like typed text.

The checker's sentences (explanations, notes, the facts that differ, why a text cannot be
checked) and the reply are said in the page's language (`web.i18n.say`); the JSON API gives the
result as the checker wrote it, in Indonesian (only its error messages follow the chosen
language).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.routing import BuildError

from archive.channels import ChannelStore
from archive.register import Register
from ingest.ocr import MAX_IMAGE_BYTES, ImageError
from verify.channels import ChannelRemark, Registry
from verify.check import (
    MAX_CHARS,
    CheckInputError,
    CheckResult,
    check_text,
)
from verify.facts import Fact
from web import ratelimit, uploads
from web.claimreview import whatsapp_url
from web.i18n import say
from web.links import absolute_path, absolute_url
from web.security import csrf
from web.services import get_services
from web.share import PLAIN_VERDICTS, check_reply

bp = Blueprint("check", __name__)
bp.url_value_preprocessor(uploads.allow_image_body("check.check_page"))

# How the page names each verdict: what the official record says, never "hoax".
# (web.share words them for people: label, English gloss, what it means and does not mean.)
VERDICT_LABELS = {v: (p.label, p.label_en) for v, p in PLAIN_VERDICTS.items()}
RELATION_LABELS = {
    "supports": _l("mendukung"),
    "contradicts": _l("berbeda"),
    "refutes": _l("membantah"),
    "related": _l("terkait"),
}
KIND_LABELS = {
    "money": _l("nilai uang"),
    "quantity": _l("jumlah"),
    "percent": _l("persentase"),
    "date": _l("tanggal"),
    "day": _l("hari"),
    "time": _l("jam"),
    "place": _l("tempat"),
    "role": _l("jabatan"),
    "person": _l("nama"),
    "agency": _l("instansi"),
    "ordinal": _l("urutan"),
    "phone": _l("nomor telepon"),
    "regulation": _l("aturan"),
    "modality": _l("ketentuan"),
    "quote": _l("nama/tema"),
    "negation": _l("pernyataan"),
    "office": _l("pejabat"),
}
# What the check says about a number, link or account in the message (verify.channels).
CHANNEL_STATUS_LABELS = {
    "official": _l("kanal resmi"),
    "lookalike": _l("mirip kanal resmi"),
    "unknown": _l("tidak tercatat"),
    "impersonation": _l("pola penipuan"),
}
_ERROR_STATUS = {"too_long": 413, "empty": 400, "rate_limited": 429}
# Checks are limited per client address (CHECK_RATE_LIMIT in app.py): a check costs far more
# than a search, so one address must not keep the workers busy for everyone else.
TOO_MANY = _l(
    "Terlalu banyak pemeriksaan dari alamat Anda dalam waktu singkat. Silakan coba lagi "
    "beberapa menit lagi."
)
API_TITLES = {
    400: _l("Permintaan tidak valid"),
    413: _l("Masukan terlalu besar"),
    429: _l("Terlalu banyak permintaan"),
}


@bp.route("/cek", methods=["GET", "POST"])
def check_page():
    """The form; on POST, the result for the pasted text."""
    text = ""
    result = None
    error = None
    status = 200
    from_image = False
    if request.method == "POST":
        text = request.form.get("text", "")
        try:
            if not ratelimit.within(current_app.config["CHECK_RATE_LIMIT"], "check"):
                raise CheckInputError("rate_limited", str(TOO_MANY))
            image = uploads.find_image(request.files)
            if image is not None:  # the screenshot's text replaces what was typed
                text, from_image = uploads.text_of(image), True
            result = _check(text)
        except CheckInputError as exc:
            error = say(exc.message)
            status = _ERROR_STATUS.get(exc.code, 400)
        except ImageError as exc:
            error, status = (
                uploads.image_problem(exc),
                uploads.IMAGE_ERROR_STATUS.get(exc.code, 400),
            )
    reply = _reply(result) if result else ""
    return (
        render_template(
            "check/page.html",
            text=text,
            result=result,
            error=error,
            max_chars=MAX_CHARS,
            from_image=from_image,
            max_image_mb=MAX_IMAGE_BYTES // 1_000_000,
            claims=_claims_view(result) if result else [],
            verdict_labels=VERDICT_LABELS,
            relation_labels=RELATION_LABELS,
            kind_labels=KIND_LABELS,
            report_url=_report_url(text) if result else None,
            plain_verdicts=PLAIN_VERDICTS,
            reply=reply,
            whatsapp=whatsapp_url(reply) if reply else "",
            channels=_channels_view(result) if result else [],
            channel_labels=CHANNEL_STATUS_LABELS,
        ),
        status,
    )


@bp.post("/api/v1/check")
def check_api():
    """JSON in ({"text": "..."}), the check's result out; 400/413 with a clear message."""
    if not ratelimit.within(current_app.config["CHECK_RATE_LIMIT"], "check"):
        return _api_error(429, str(TOO_MANY))
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("text"), str):
        return _api_error(400, _('Kirim JSON berbentuk {"text": "..."} dengan teks klaim.'))
    try:
        result = _check(body["text"])
    except CheckInputError as exc:
        return _api_error(_ERROR_STATUS.get(exc.code, 400), say(exc.message))
    return jsonify(_api_body(result))


csrf.exempt(check_api)  # the JSON API uses no cookies, so there is nothing to forge


def _api_error(code: int, message: str):
    title = str(API_TITLES.get(code, _("Kesalahan")))
    body = {"error": {"code": code, "message": title, "detail": message}}
    return jsonify(body), code


def _check(text: str) -> CheckResult:
    """The check of `text` within the configured time budget (CHECK_BUDGET_SECONDS)."""
    budget = current_app.config["CHECK_BUDGET_SECONDS"]
    services = get_services()
    register = Register(services.archive.engine)
    return check_text(
        services.index, text, budget=budget, channels=official_channels(), register=register
    )


def official_channels() -> Registry:
    """The registry of active official channels, read from the archive for this check."""
    return Registry(ChannelStore(get_services().archive.engine).list_channels(active=True))


def _api_body(result: CheckResult) -> dict[str, Any]:
    """The result as JSON, each piece of evidence with the link to its archived copy."""
    body = result.to_json()
    for item in [
        *body["evidence"],
        *(e for c in body["claims"] for e in c["evidence"]),
        *(w for r in body["channels"] for w in r["warnings"]),
    ]:
        item["archive_url"] = absolute_url("public.release_page", release_id=item["release_id"])
    return body


def _channels_view(result: CheckResult) -> list[dict[str, Any]]:
    """The remarks on the message's channels, each said in the reader's language."""
    return [_channel_view(remark) for remark in result.channels]


def _channel_view(remark: ChannelRemark) -> dict[str, Any]:
    return {
        "status": remark.status,
        "found": remark.found,
        "message": say(remark.message),
        "official": remark.official,
        "warnings": remark.warnings,
    }


def _claims_view(result: CheckResult) -> list[dict[str, Any]]:
    """Per claim: its text cut into plain and marked pieces, and its result."""
    return [
        {"check": claim, "pieces": marked_pieces(claim.text, claim.facts)}
        for claim in result.claims
    ]


def marked_pieces(text: str, facts: list[Fact]) -> list[tuple[str, str]]:
    """Cut `text` into (piece, fact kind or "") so that the template can mark each fact."""
    pieces: list[tuple[str, str]] = []
    cursor = 0
    shown = sorted(
        (f for f in facts if f.kind not in {"negation"} and f.end > f.start),
        key=lambda f: (f.start, -f.end),
    )
    for fact in shown:
        if fact.start < cursor:
            continue  # overlaps a fact already marked
        if fact.start > cursor:
            pieces.append((text[cursor : fact.start], ""))
        pieces.append((text[fact.start : fact.end], fact.kind))
        cursor = fact.end
    if cursor < len(text):
        pieces.append((text[cursor:], ""))
    return pieces


def _reply(result: CheckResult) -> str:
    """The reply to paste back into the group, in the page's language, with this site's
    absolute links."""
    return check_reply(
        result,
        release_url=lambda rid: absolute_url("public.release_page", release_id=int(rid)),
        site_path=absolute_path,
        check_url=absolute_url("check.check_page"),
        say=say,
    )


def _report_url(text: str) -> str | None:
    """Where to report the claim to the clarification team, when that page exists."""
    try:
        return url_for("clarify.report_form")
    except BuildError:
        return None
