"""Staff pages under /admin: sign-in, clarifications (write, publish, edit, withdraw), rumour
reports grouped by similarity, the registry of official channels (list, add, edit, deactivate),
and for admins the users, the sources and the audit log. The dashboard and the sources page
show the coverage figures of `archive.sites`.

Views only parse the form, call `archive.editorial` and the index sync, and render. Every change
is audited by the editorial store in the same transaction; every form carries a CSRF token
(flask-wtf's CSRFProtect runs app-wide).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from archive.attachments import AttachmentStore
from archive.channels import KIND_LABELS, KINDS, Channel, ChannelInput, ChannelStore
from archive.editorial import (
    DRAFT,
    HANDLED,
    OPEN,
    PUBLISHED,
    ROLES,
    VERDICTS,
    WITHDRAWN,
    ClarificationInput,
    EditorialError,
)
from archive.register import Register
from archive.sites import Coverage, coverage
from index.clarifications import sync_clarifications
from index.search import SearchQuery, search
from ingest.normalise import canonical_url
from ingest.sources import Source, SourcesError, load_sources
from verify.clarifications import find_clarifications
from web import auth
from web.auth import admin_required, get_editorial, login_required, now
from web.claimreview import VERDICT_MEANINGS
from web.clarify import SEEN_ON
from web.formatting import WIB
from web.i18n import say
from web.inputs import parse_id
from web.services import get_services

bp = Blueprint("admin", __name__, url_prefix="/admin")

PUBLIC_AUTHOR = "Diskominfo Kota Malang"
PER_PAGE = 50
MAX_SIGHTINGS = 20


def _page_number() -> int:
    value = request.args.get("page", "1")
    if not re.fullmatch(r"\d{1,6}", value) or int(value) < 1:
        abort(400, description="page must be a positive whole number")
    return int(value)


def _id_list(values: list[str]) -> list[int]:
    return [int(v) for v in values if re.fullmatch(r"\d{1,9}", v)]


def _sync_index() -> None:
    """Bring the search index in step with the clarification table (best effort)."""
    try:
        sync_clarifications(get_editorial(), get_services().index)
    except Exception:  # the archive is the truth; the next change or `reindex` repairs the index
        current_app.logger.exception("indexing clarifications failed")
        flash(_("Perubahan tersimpan, tetapi indeks pencarian belum diperbarui."), "warning")


# -- sign-in ---------------------------------------------------------------------------------


@bp.route("/masuk", methods=["GET", "POST"])
def login():
    """The sign-in form; repeated failures are slowed down and then locked for a while."""
    if g.get("user") is not None and request.method == "GET":
        return redirect(url_for("admin.dashboard"))
    message, status, username = "", 200, ""
    if request.method == "POST":
        username = (request.form.get("username") or "").strip()[:100]
        result = auth.attempt_login(username, request.form.get("password") or "")
        if result.ok:
            return redirect(auth.safe_next(request.args.get("next")), code=303)
        if result.locked_until:
            message = _(
                "Terlalu banyak percobaan masuk yang gagal. Coba lagi setelah %(time)s WIB.",
                time=_clock_wib(result.locked_until),
            )
            status = 429
        else:
            message = _("Nama pengguna atau kata sandi salah.")
            status = 401
    return render_template("admin/login.html", message=message, username=username), status


def _clock_wib(moment: datetime) -> str:
    return f"{moment.astimezone(WIB):%H.%M.%S}"


@bp.post("/keluar")
def logout():
    """End the session."""
    auth.logout()
    return redirect(url_for("admin.login"), code=303)


@bp.get("")
@bp.get("/")
@login_required
def dashboard():
    """Overview: counts, open report groups, official channels, coverage of the city's sites
    and documents, drafts."""
    editorial = get_editorial()
    _, drafts = editorial.list_clarifications(status=DRAFT, limit=10)
    _, groups = editorial.list_report_groups(status=OPEN, limit=5)
    configured, problem = _configured_sources()
    return render_template(
        "admin/dashboard.html",
        drafts=drafts,
        groups=groups,
        clarification_counts=editorial.count_clarifications(),
        report_counts=editorial.count_report_groups(),
        channel_counts=_channel_store().counts(),
        kinds=KINDS,
        kind_labels=_kind_labels(),
        coverage=_coverage(configured),
        problem=problem,
    )


def _configured_sources() -> tuple[list[Source], str]:
    """The sources of the sources file, and "" or why the file could not be read."""
    try:
        return load_sources(current_app.config["SOURCES_FILE"]), ""
    except (SourcesError, OSError) as exc:
        return [], str(exc)


def _coverage(configured: list[Source]) -> Coverage:
    return coverage(get_services().archive, [(source.id, source.host) for source in configured])


# -- clarifications --------------------------------------------------------------------------


@bp.get("/klarifikasi")
@login_required
def clarifications():
    """Every clarification by last change, filterable by status."""
    status = request.args.get("status", "")
    if status and status not in (DRAFT, PUBLISHED, WITHDRAWN):
        abort(400, description="status must be draft, published or withdrawn")
    page = _page_number()
    total, items = get_editorial().list_clarifications(
        status=status or None, limit=PER_PAGE, offset=(page - 1) * PER_PAGE
    )
    return render_template(
        "admin/clarifications.html",
        items=items,
        total=total,
        status=status,
        page=page,
        pages=-(-total // PER_PAGE),
    )


def _form_input(form: Mapping[str, Any]) -> ClarificationInput:
    sightings = [
        line.strip() for line in (form.get("sightings") or "").splitlines() if line.strip()
    ]
    return ClarificationInput(
        title=(form.get("title") or "").strip(),
        rumour=(form.get("rumour") or "").strip(),
        verdict=(form.get("verdict") or "").strip().upper(),
        summary=(form.get("summary") or "").strip(),
        body=(form.get("body") or "").strip(),
        seen_on=(form.get("seen_on") or "").strip()[:300],
        sightings=sightings[:MAX_SIGHTINGS],
        release_ids=list(dict.fromkeys(_id_list(request.form.getlist("cite")))),
    )


def _render_form(
    data: ClarificationInput,
    *,
    item=None,
    group=None,
    problems: list[str] | None = None,
    release_q: str = "",
    note: str = "",
    status: int = 200,
):
    """The clarification form, with the cited releases and, when asked, release search hits."""
    editorial = get_editorial()
    cited = editorial.cited_releases(data.release_ids)
    hits = []
    if release_q.strip():
        results = search(get_services().index, SearchQuery(q=release_q, per_page=15))
        hits = [
            hit
            for hit in results.hits
            if hit.kind in ("", "release")
            and hit.id.isdigit()
            and int(hit.id) not in data.release_ids
        ]
    page = render_template(
        "admin/clarification_form.html",
        data=data,
        item=item,
        group=group,
        cited=cited,
        hits=hits,
        release_q=release_q,
        note=note,
        problems=problems or [],
        verdicts=VERDICTS,
        meanings=VERDICT_MEANINGS,
    )
    return page, status


@bp.route("/klarifikasi/baru", methods=["GET", "POST"])
@login_required
def new_clarification():
    """Write a new clarification (saved as a draft, or published at once)."""
    editorial = get_editorial()
    group_id = request.values.get("laporan", "")
    number = parse_id(group_id)
    group = editorial.get_report_group(number) if number is not None else None
    if group_id and group is None:
        abort(404, description=_("Kelompok laporan tidak ditemukan."))
    if request.method == "GET":
        data = ClarificationInput(title="", rumour="", verdict="", summary="")
        if group is not None:
            data.rumour = group.text
            data.sightings = group.links[:MAX_SIGHTINGS]
            data.seen_on = ", ".join(SEEN_ON.get(code, code) for code, _ in group.places)
        return _render_form(data, group=group)[0]
    data = _form_input(request.form)
    action = request.form.get("action", "save")
    if action == "search":
        return _render_form(data, group=group, release_q=request.form.get("release_q", ""))
    problems = data.validate()
    if problems:
        return _render_form(data, group=group, problems=[say(p) for p in problems], status=400)
    try:
        clarification_id = editorial.create_clarification(
            data,
            author=PUBLIC_AUTHOR,
            actor=g.user.username,
            at=now(),
            report_group_id=group.id if group else None,
        )
        if action == "publish":
            editorial.publish_clarification(clarification_id, actor=g.user.username, at=now())
    except EditorialError as exc:
        return _render_form(data, group=group, problems=[say(exc.args[0])], status=400)
    _sync_index()
    flash(_("Klarifikasi diterbitkan.") if action == "publish" else _("Draf tersimpan."), "ok")
    return redirect(url_for("admin.edit_clarification", clarification_id=clarification_id), 303)


@bp.route("/klarifikasi/<id:clarification_id>", methods=["GET", "POST"])
@login_required
def edit_clarification(clarification_id: int):
    """Edit a clarification; changes to a published one are kept as public revisions."""
    editorial = get_editorial()
    item = editorial.get_clarification(clarification_id)
    if item is None:
        abort(404, description=_("Klarifikasi tidak ditemukan."))
    if request.method == "GET":
        return _render_form(item.as_input(), item=item)[0]
    data = _form_input(request.form)
    note = (request.form.get("note") or "").strip()
    action = request.form.get("action", "save")
    if action == "search":
        return _render_form(data, item=item, release_q=request.form.get("release_q", ""), note=note)
    problems = data.validate()
    if item.status == PUBLISHED and not note:
        problems.append(_("Tuliskan catatan perubahan: catatan ini tampil di riwayat publik."))
    if problems:
        problems = [say(p) for p in problems]
        return _render_form(data, item=item, problems=problems, note=note, status=400)
    try:
        if data != item.as_input():
            editorial.update_clarification(
                clarification_id, data, actor=g.user.username, at=now(), note=note
            )
        if action == "publish" and item.status != PUBLISHED:
            editorial.publish_clarification(
                clarification_id, actor=g.user.username, at=now(), note=note
            )
    except EditorialError as exc:
        return _render_form(data, item=item, problems=[say(exc.args[0])], note=note, status=400)
    _sync_index()
    flash(_("Perubahan tersimpan."), "ok")
    return redirect(url_for("admin.edit_clarification", clarification_id=clarification_id), 303)


@bp.post("/klarifikasi/<id:clarification_id>/terbitkan")
@login_required
def publish(clarification_id: int):
    """Publish a draft or republish a withdrawn clarification."""
    try:
        get_editorial().publish_clarification(
            clarification_id,
            actor=g.user.username,
            at=now(),
            note=(request.form.get("note") or "").strip(),
        )
    except EditorialError as exc:
        abort(400, description=say(exc.args[0]))
    _sync_index()
    flash(_("Klarifikasi diterbitkan."), "ok")
    return redirect(url_for("admin.edit_clarification", clarification_id=clarification_id), 303)


@bp.post("/klarifikasi/<id:clarification_id>/tarik")
@login_required
def withdraw(clarification_id: int):
    """Unpublish, leaving a public note with the reason."""
    note = (request.form.get("note") or "").strip()
    try:
        get_editorial().withdraw_clarification(
            clarification_id, actor=g.user.username, at=now(), note=note
        )
    except EditorialError as exc:
        flash(say(exc.args[0]), "error")
        return redirect(url_for("admin.edit_clarification", clarification_id=clarification_id))
    _sync_index()
    flash(_("Klarifikasi ditarik; halaman publiknya kini menampilkan catatan penarikan."), "ok")
    return redirect(url_for("admin.edit_clarification", clarification_id=clarification_id), 303)


# -- rumour reports --------------------------------------------------------------------------


@bp.get("/laporan")
@login_required
def reports():
    """Report groups (open by default), most recently reported first."""
    status = request.args.get("status", OPEN)
    if status not in (OPEN, HANDLED, "all"):
        abort(400, description="status must be open, handled or all")
    page = _page_number()
    total, groups = get_editorial().list_report_groups(
        status=None if status == "all" else status, limit=PER_PAGE, offset=(page - 1) * PER_PAGE
    )
    index = get_services().index
    answered = {group.id: find_clarifications(index, group.text, limit=1) for group in groups}
    return render_template(
        "admin/reports.html",
        groups=groups,
        answered=answered,
        total=total,
        status=status,
        page=page,
        pages=-(-total // PER_PAGE),
        seen_on=SEEN_ON,
    )


@bp.get("/laporan/<id:group_id>")
@login_required
def report_group(group_id: int):
    """Every report in one group."""
    group = get_editorial().get_report_group(group_id)
    if group is None:
        abort(404, description=_("Kelompok laporan tidak ditemukan."))
    return render_template("admin/report_group.html", group=group, seen_on=SEEN_ON)


@bp.post("/laporan/<id:group_id>/status")
@login_required
def report_status(group_id: int):
    """Mark a group handled, or open it again."""
    status = request.form.get("status", HANDLED)
    try:
        get_editorial().set_report_group_status(group_id, status, actor=g.user.username, at=now())
    except EditorialError as exc:
        abort(400, description=say(exc.args[0]))
    flash(_("Status laporan diperbarui."), "ok")
    back = request.form.get("back")
    return redirect(auth.safe_next(back) if back else url_for("admin.reports"), 303)


# -- official channels -----------------------------------------------------------------------

CHANNEL_STATES = {"aktif": True, "nonaktif": False}


def _channel_store() -> ChannelStore:
    return ChannelStore(get_services().archive.engine)


def _kind_labels() -> dict[str, str]:
    return {kind: say(label) for kind, label in KIND_LABELS.items()}


@bp.get("/kanal")
@login_required
def channels():
    """The registry of official channels, filterable by kind and state, with counts."""
    kind = request.args.get("jenis", "")
    state = request.args.get("status", "")
    if kind and kind not in KINDS:
        abort(400, description="jenis must be one of " + ", ".join(KINDS))
    if state and state not in CHANNEL_STATES:
        abort(400, description="status must be aktif or nonaktif")
    store = _channel_store()
    items = store.list_channels(kind=kind or None, active=CHANNEL_STATES.get(state))
    return render_template(
        "admin/channels.html",
        items=items,
        counts=store.counts(),
        kind=kind,
        state=state,
        kinds=KINDS,
        kind_labels=_kind_labels(),
    )


def _channel_input(form: Mapping[str, Any]) -> ChannelInput:
    return ChannelInput(
        kind=(form.get("kind") or "").strip(),
        value=(form.get("value") or "").strip()[:300],
        owner=(form.get("owner") or "").strip()[:400],
        source_url=(form.get("source_url") or "").strip()[:1100],
        note=(form.get("note") or "").strip()[:1100],
    )


def _source_release(url: str) -> int | None:
    """The archived release at `url` (as given or canonical), if there is one."""
    if not url:
        return None
    found = get_editorial().release_ids_for_urls([url, canonical_url(url)])
    return next(iter(found.values()), None)


def _render_channel_form(
    data: ChannelInput, *, item: Channel | None = None, problems=(), status: int = 200
):
    page = render_template(
        "admin/channel_form.html",
        data=data,
        item=item,
        problems=list(problems),
        kinds=KINDS,
        kind_labels=_kind_labels(),
    )
    return page, status


@bp.route("/kanal/baru", methods=["GET", "POST"])
@login_required
def new_channel():
    """Add an official channel by hand (the harvest adds those releases state)."""
    if request.method == "GET":
        return _render_channel_form(ChannelInput(kind="", value="", owner=""))[0]
    data = _channel_input(request.form)
    problems = data.validate()
    if problems:
        return _render_channel_form(data, problems=[say(p) for p in problems], status=400)
    try:
        _channel_store().add(
            data,
            actor=g.user.username,
            at=now(),
            source_release_id=_source_release(data.source_url),
        )
    except EditorialError as exc:
        return _render_channel_form(data, problems=[say(exc.args[0])], status=400)
    flash(_("Kanal resmi ditambahkan."), "ok")
    return redirect(url_for("admin.channels"), 303)


@bp.route("/kanal/<id:channel_id>", methods=["GET", "POST"])
@login_required
def edit_channel(channel_id: int):
    """Edit an official channel (kind, value, owner, source, note)."""
    store = _channel_store()
    item = store.get(channel_id)
    if item is None:
        abort(404, description=_("Kanal tidak ditemukan."))
    if request.method == "GET":
        return _render_channel_form(item.as_input(), item=item)[0]
    data = _channel_input(request.form)
    problems = data.validate()
    if problems:
        problems = [say(p) for p in problems]
        return _render_channel_form(data, item=item, problems=problems, status=400)
    try:
        store.update(
            channel_id,
            data,
            actor=g.user.username,
            at=now(),
            source_release_id=_source_release(data.source_url),
        )
    except EditorialError as exc:
        return _render_channel_form(data, item=item, problems=[say(exc.args[0])], status=400)
    flash(_("Perubahan tersimpan."), "ok")
    return redirect(url_for("admin.channels"), 303)


@bp.post("/kanal/<id:channel_id>/status")
@login_required
def channel_status(channel_id: int):
    """Deactivate a channel that is no longer official, or activate it again."""
    active = request.form.get("active") == "1"
    try:
        item = _channel_store().set_active(channel_id, active, actor=g.user.username, at=now())
    except EditorialError as exc:
        abort(404, description=say(exc.args[0]))
    if active:
        flash(_("%(value)s aktif lagi sebagai kanal resmi.", value=item.shown), "ok")
    else:
        flash(_("%(value)s dinonaktifkan: tidak lagi dianggap kanal resmi.", value=item.shown),
              "ok")  # fmt: skip
    return redirect(url_for("admin.channels"), 303)


# -- admins only -----------------------------------------------------------------------------


@bp.get("/pengguna")
@admin_required
def users():
    """Staff accounts (created only from the command line)."""
    return render_template("admin/users.html", users=get_editorial().list_users(), roles=ROLES)


@bp.post("/pengguna/<username>")
@admin_required
def update_user(username: str):
    """Change an account's role or disable/enable it (never one's own, in any spelling)."""
    target = get_editorial().find_user(username)
    if target is not None and target.id == g.user.id:
        abort(400, description=_("Akun sendiri tidak bisa diubah dari sini."))
    role = request.form.get("role") or None
    active_value = request.form.get("active")
    active = None if active_value is None else active_value == "1"
    try:
        get_editorial().update_user(
            username, actor=g.user.username, at=now(), role=role, active=active
        )
    except EditorialError as exc:
        abort(400, description=say(exc.args[0]))
    flash(_("Akun %(name)s diperbarui.", name=username), "ok")
    return redirect(url_for("admin.users"), 303)


@bp.get("/audit")
@admin_required
def audit():
    """The audit log, newest first."""
    page = _page_number()
    actor = (request.args.get("actor") or "").strip()[:100]
    action = (request.args.get("action") or "").strip()[:60]
    total, entries = get_editorial().list_audit(
        limit=PER_PAGE * 2, offset=(page - 1) * PER_PAGE * 2, actor=actor, action=action
    )
    return render_template(
        "admin/audit.html",
        entries=entries,
        total=total,
        page=page,
        pages=-(-total // (PER_PAGE * 2)),
        actor=actor,
        action=action,
    )


@bp.get("/sumber")
@admin_required
def sources():
    """Coverage; health of each configured source (the list itself lives in the sources file);
    the known sites without a source; and the documents releases link to: counts by state and
    the latest failures with their reasons."""
    configured, problem = _configured_sources()
    cover = _coverage(configured)
    return render_template(
        "admin/sources.html",
        sources=configured,
        health=get_services().archive.source_health(),
        problem=problem,
        sources_file=current_app.config["SOURCES_FILE"],
        coverage=cover,
        documents=cover.documents,
        failing=AttachmentStore(get_services().archive.engine).failing(),
        register=Register(get_services().archive.engine).counts(),
    )
