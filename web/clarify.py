"""Public clarification pages, their Atom feed and JSON API, and the rumour report form.

- /klarifikasi (filter by verdict and month), /klarifikasi/<slug>, /klarifikasi.atom
- GET /api/v1/clarifications, GET /api/v1/clarifications/<slug>
- /lapor: citizens report a rumour (CSRF-protected, rate-limited per address by
  `web.ratelimit`, no personal data), optionally with a screenshot: it is rebuilt from its
  pixels (no metadata kept), stored with the report, and its OCR text fills an empty report
- /lapor/gambar/<token>: a report's image, for signed-in staff only (the token is random)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _

from archive.editorial import PUBLISHED, VERDICTS, WITHDRAWN, Clarification, month_range
from archive.report_images import NewReportImage
from ingest.ocr import MAX_IMAGE_BYTES, ImageError, read_text, reencode
from verify.clarifications import find_clarifications, rumour_terms
from web import ratelimit, uploads
from web.auth import get_editorial, login_required, now
from web.claimreview import (
    VERDICT_MEANINGS,
    atom_feed,
    claim_review,
    json_ld,
    open_graph,
    share_text,
    whatsapp_url,
)
from web.formatting import iso, month_label
from web.i18n import N_, say
from web.links import absolute_url
from web.services import get_services
from web.uploads import image_problem

bp = Blueprint("clarify", __name__)
bp.url_value_preprocessor(uploads.allow_image_body("clarify.report_form"))

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
MAX_PAGE = 1000
FIRST_MONTH, LAST_MONTH = "1000-01", "9999-11"  # months whose bounds fit in a datetime
FEED_ENTRIES = 50
MAX_REPORT_CHARS = 2000
MAX_LINK_CHARS = 1000
# Where a rumour was seen: stored code -> label shown on the form.
SEEN_ON = {
    "whatsapp": "WhatsApp",
    "facebook": "Facebook",
    "instagram": "Instagram",
    "tiktok": "TikTok",
    "x": "X (Twitter)",
    "youtube": "YouTube",
    "telegram": "Telegram",
    "web": N_("Situs web / berita daring"),
    "langsung": N_("Dari mulut ke mulut"),
    "lainnya": N_("Lainnya"),
}
# Reports whose analysed terms overlap this much (Jaccard) join the same group.
REPORT_GROUP_THRESHOLD = 0.5


def init_app(app: Flask) -> None:
    """The report form's rate limit and the month filter of the templates."""
    app.config.setdefault("REPORT_RATE_LIMIT", "5 per 10 minutes;30 per day")
    app.add_template_filter(bulan)


def bulan(month: str) -> str:
    """'2025-01' -> 'Januari 2025' / 'January 2025' (unchanged when not a month)."""
    try:
        month_range(month)
    except ValueError:
        return month
    return month_label(month)


# -- request parsing -----------------------------------------------------------------------------


@dataclass
class ClarificationQuery:
    """Filters and paging of a clarification list, checked on construction."""

    verdict: str = ""
    month: str = ""
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> ClarificationQuery:
        """Read verdict, month, page and per_page; ValueError names a bad value."""
        verdict = (args.get("verdict") or "").strip().upper()
        if verdict and verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {', '.join(VERDICTS)}")
        month = (args.get("month") or "").strip()
        if month:
            _check_month(month)
        return cls(
            verdict=verdict,
            month=month,
            page=min(max(_number(args, "page", 1), 1), MAX_PAGE),
            per_page=min(max(_number(args, "per_page", DEFAULT_PER_PAGE), 1), MAX_PER_PAGE),
        )

    @property
    def offset(self) -> int:
        """Index of the first item on this page."""
        return (self.page - 1) * self.per_page


def _check_month(month: str) -> None:
    """ValueError unless `month` is a YYYY-MM month the archive's dates can hold."""
    if not FIRST_MONTH <= month <= LAST_MONTH:  # "0001-01" in WIB falls before datetime.min
        raise ValueError(f"month must look like 2025-01, from {FIRST_MONTH} to {LAST_MONTH}")
    month_range(month)  # raises ValueError when malformed


def _number(args: Mapping[str, str], name: str, default: int) -> int:
    value = (args.get(name) or "").strip()
    if not value:
        return default
    if not re.fullmatch(r"[+-]?\d{1,9}", value):
        raise ValueError(f"{name} must be a whole number")
    return int(value)


def _query() -> ClarificationQuery:
    try:
        return ClarificationQuery.from_args(request.args)
    except ValueError as exc:
        abort(400, description=str(exc))


def _published(query: ClarificationQuery) -> tuple[int, list[Clarification]]:
    return get_editorial().list_clarifications(
        status=PUBLISHED,
        verdict=query.verdict or None,
        month=query.month or None,
        limit=query.per_page,
        offset=query.offset,
    )


def page_url(item: Clarification) -> str:
    """The absolute URL of a clarification's page."""
    return absolute_url("clarify.clarification_page", slug=item.slug)


# -- pages ---------------------------------------------------------------------------------------


@bp.get("/klarifikasi")
def clarification_list():
    """Published clarifications, newest first, filtered by verdict and month."""
    query = _query()
    total, items = _published(query)
    return render_template(
        "clarify/list.html",
        query=query,
        total=total,
        items=items,
        pages=-(-total // query.per_page),
        verdicts=VERDICTS,
        meanings=VERDICT_MEANINGS,
        months=get_editorial().published_months(),
    )


@bp.get("/klarifikasi/<slug>")
def clarification_page(slug: str):
    """One clarification: verdict, explanation, cited releases, history and share buttons."""
    item = get_editorial().get_clarification(slug=slug)
    if item is None or item.status not in (PUBLISHED, WITHDRAWN):
        abort(404, description=_("Klarifikasi tidak ditemukan."))
    if item.status == WITHDRAWN:
        return render_template("clarify/withdrawn.html", item=item), 410
    url = page_url(item)
    release_urls = [absolute_url("public.release_page", release_id=r.id) for r in item.releases]
    text = share_text(item, url, say)
    return render_template(
        "clarify/page.html",
        item=item,
        url=url,
        meaning=VERDICT_MEANINGS.get(item.verdict, ""),
        json_ld=json_ld(claim_review(item, url, release_urls)),
        open_graph=open_graph(item, url),
        share_text=text,
        whatsapp=whatsapp_url(text),
    )


@bp.get("/klarifikasi.atom")
def clarification_feed():
    """The newest published clarifications as an Atom feed."""
    _, items = get_editorial().list_clarifications(status=PUBLISHED, limit=FEED_ENTRIES)
    updated = max((i.last_revised_at or i.created_at for i in items), default=now())
    body = atom_feed(
        items,
        feed_url=absolute_url("clarify.clarification_feed"),
        site_url=absolute_url("clarify.clarification_list"),
        page_url_of=page_url,
        updated=updated,
    )
    return Response(body, mimetype="application/atom+xml")


# -- JSON API ------------------------------------------------------------------------------------


def clarification_json(item: Clarification, *, full: bool = False) -> dict[str, Any]:
    """The API's view of a published clarification."""
    data: dict[str, Any] = {
        "slug": item.slug,
        "url": page_url(item),
        "title": item.title,
        "verdict": item.verdict,
        "rumour": item.rumour,
        "summary": item.summary,
        "published": iso(item.published_at),
        "updated": iso(item.last_revised_at),
        "author": item.author,
        "releases": [
            {
                "id": r.id,
                "url": r.url,
                "title": r.title,
                "archive_url": absolute_url("public.release_page", release_id=r.id),
            }
            for r in item.releases
        ],
    }
    if full:
        data["body"] = item.body
        data["seen_on"] = item.seen_on
        data["sightings"] = item.sightings
        data["revisions"] = [
            {"number": r.number, "kind": r.kind, "at": iso(r.at), "note": r.note}
            for r in item.revisions
        ]
    return data


@bp.get("/api/v1/clarifications")
def api_clarifications():
    """Published clarifications as JSON (filters: verdict, month; paging: page, per_page)."""
    query = _query()
    total, items = _published(query)
    return jsonify(
        {
            "total": total,
            "page": query.page,
            "per_page": query.per_page,
            "pages": -(-total // query.per_page),
            "verdict": query.verdict or None,
            "month": query.month or None,
            "results": [clarification_json(item) for item in items],
        }
    )


@bp.get("/api/v1/clarifications/<slug>")
def api_clarification(slug: str):
    """One published clarification as JSON, with its body and revision history."""
    item = get_editorial().get_clarification(slug=slug)
    if item is None or item.status != PUBLISHED:
        abort(404, description=f"no published clarification {slug!r}")
    return jsonify(clarification_json(item, full=True))


# -- rumour reports ------------------------------------------------------------------------------


@dataclass
class ReportForm:
    """A citizen's report as typed, with the problems found in it."""

    text: str = ""
    link: str = ""
    seen_on: str = ""

    @classmethod
    def from_form(cls, form: Mapping[str, str]) -> ReportForm:
        """Read the posted fields (trimmed)."""
        return cls(
            text=(form.get("text") or "").strip(),
            link=(form.get("link") or "").strip(),
            seen_on=(form.get("seen_on") or "").strip(),
        )

    def problems(self) -> list[str]:
        """What must be fixed before the report is stored, in the reader's language."""
        found = []
        if len(self.text) < 10:
            found.append(_("Tuliskan isi kabar yang beredar (paling sedikit 10 karakter)."))
        if len(self.text) > MAX_REPORT_CHARS:
            found.append(_("Isi kabar paling banyak %(count)s karakter.", count=MAX_REPORT_CHARS))
        if self.link and (
            len(self.link) > MAX_LINK_CHARS or not re.fullmatch(r"https?://[^\s/]+\S*", self.link)
        ):
            found.append(_("Tautan harus diawali http:// atau https:// (boleh dikosongkan)."))
        if self.seen_on and self.seen_on not in SEEN_ON:
            found.append(_("Pilih tempat Anda melihat kabar ini dari daftar."))
        return found


def fit_report_text(text: str) -> str:
    """A prefilled text cut to what the form takes (at a word boundary); the page says so."""
    if len(text) <= MAX_REPORT_CHARS:
        return text
    cut = text.rfind(" ", MAX_REPORT_CHARS // 2, MAX_REPORT_CHARS + 1)
    return text[: cut if cut > 0 else MAX_REPORT_CHARS].rstrip()


@bp.route("/lapor", methods=["GET", "POST"])
def report_form():
    """The report form; a claim-check result fills it in by POSTing its text with `prefill`
    (so the text never lands in a URL or a server log); ?text= works too."""
    if request.method == "GET" or request.form.get("prefill"):
        source = request.args if request.method == "GET" else request.form
        text = (source.get("text") or "").strip()
        form = ReportForm(text=fit_report_text(text))
        return _report_page(form, [], cut_from=len(text))
    form = ReportForm.from_form(request.form)
    if not ratelimit.within(current_app.config["REPORT_RATE_LIMIT"], "report"):
        problems = [
            _(
                "Terlalu banyak laporan dari alamat Anda dalam waktu singkat. "
                "Silakan coba lagi nanti."
            )
        ]
        return _report_page(form, problems), 429
    try:
        image = _report_image(form)
    except ImageError as exc:
        return _report_page(form, [image_problem(exc), *form.problems()]), 400
    problems = form.problems()
    if problems:
        return _report_page(form, problems, image_dropped=image is not None), 400
    read = image.ocr_text if image else ""
    # Grouped by what was typed and what the image says (once, when one holds the other).
    grouped_by = form.text if form.text in read or read in form.text else f"{form.text}\n{read}"
    get_editorial().add_report(
        form.text,
        terms=rumour_terms(grouped_by),
        link=form.link,
        seen_on=form.seen_on,
        at=now(),
        threshold=REPORT_GROUP_THRESHOLD,
        image=image,
    )
    matches = find_clarifications(get_services().index, form.text, limit=3)
    session["report_matches"] = [m["slug"] for m in matches]
    return redirect(url_for("clarify.report_received"), code=303)


def _report_page(
    form: ReportForm, problems: list[str], *, image_dropped: bool = False, cut_from: int = 0
) -> str:
    if image_dropped:
        problems = [
            *problems,
            _("Gambar Anda belum tersimpan; lampirkan lagi saat mengirim ulang."),
        ]
    return render_template(
        "clarify/report.html",
        form=form,
        seen_on=SEEN_ON,
        problems=problems,
        max_image_mb=MAX_IMAGE_BYTES // 1_000_000,
        cut_from=cut_from,
    )


def _report_image(form: ReportForm) -> NewReportImage | None:
    """The posted image rebuilt from its pixels, with the text OCR read in it; an empty report
    text is filled with that text. ImageError when the file is not an accepted image."""
    image = uploads.find_image(request.files)
    if image is None:
        return None
    clean = reencode(image)
    try:
        read = read_text(image)
    except ImageError:  # no OCR here, or none in time: the staff will read the image themselves
        read = ""
    if not form.text and read:
        form.text = read[:MAX_REPORT_CHARS]
    return NewReportImage(clean.data, clean.media_type, clean.width, clean.height, read)


@bp.get("/lapor/gambar/<token>")
@login_required
def report_image(token: str):
    """A report's image, for signed-in staff; served as stored, never cached or sniffed."""
    found = get_editorial().find_report_image(token)
    if found is None:
        abort(404, description=_("Gambar tidak ditemukan."))
    media_type, data = found
    response = Response(data, mimetype=media_type)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Disposition"] = "inline"
    return response


@bp.get("/lapor/terkirim")
def report_received():
    """Thanks, what happens next, and clarifications that may already answer the rumour."""
    slugs = session.pop("report_matches", [])
    editorial = get_editorial()
    matches = [editorial.get_clarification(slug=slug) for slug in slugs[:3]]
    matches = [m for m in matches if m is not None and m.status == PUBLISHED]
    return render_template("clarify/report_received.html", matches=matches)
