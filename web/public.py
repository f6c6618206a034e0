"""Public pages: home (check first), search (with its Atom feed and downloads), the release
pages, a clarification's preview card (drawn by `web.ogimage`) and the favicon.

Views only parse, call and render: searching lives in `index.search`, related releases in
`index.similar`, version differences in `web.textdiff`, feeds and downloads in `web.feeds` and
`web.export`. Every search page, feed and download takes the same arguments
(`SearchQuery.from_args`), so any result list is a shareable link.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as pgettext_l

from archive.editorial import PUBLISHED, Clarification, Editorial
from archive.reported import most_reported
from archive.store import StoredRelease, StoredVersion
from index.clarifications import headline
from index.query import SearchQuery
from index.results import Hit
from index.search import EXPORT_LIMIT, clarifications_for, export, latest, search
from index.similar import similar
from verify.check import MAX_CHARS
from web.auth import get_editorial, now
from web.documents import attachments_of
from web.export import export_rows, to_csv
from web.feeds import CONTENT_TYPE as ATOM_TYPE
from web.feeds import FeedEntry, atom_feed
from web.formatting import UNKNOWN_DATE, iso, tanggal
from web.inputs import parse_id
from web.links import absolute_path, absolute_url
from web.ogimage import card_png
from web.services import get_services
from web.textdiff import compare_versions

log = logging.getLogger(__name__)
bp = Blueprint("public", __name__)

FEED_ENTRIES = 50
RELATED_RELEASES = 5
SEARCH_CLARIFICATIONS = 3  # published clarifications shown above the release hits of /cari
HOME_CLARIFICATIONS = 5
HOME_RUMOURS = 5
REPORTED_PERIOD = timedelta(days=7)  # "this week" on the home page: the last seven days
KIND_LABELS = {
    "release": _l("Rilis"),
    "clarification": pgettext_l("badge", "Klarifikasi"),
    "all": _l("Semua jenis"),
}
FILTER_LABELS = {
    "opd": _l("OPD"),
    "category": _l("Kategori"),
    "year": _l("Tahun"),
    "month": _l("Bulan"),
    "from": _l("Dari"),
    "to": _l("Sampai"),
    "kind": _l("Jenis"),
}
_SLUG = re.compile(r"[^a-z0-9]+")


# Shared by the API ------------------------------------------------------------------------------


def parse_search_query() -> SearchQuery:
    """The request's search parameters, or a 400 naming the bad one."""
    try:
        return SearchQuery.from_args(request.args)
    except ValueError as exc:
        abort(400, description=str(exc))


def search_link(query: SearchQuery, endpoint: str = "public.search_page", **changes: Any) -> str:
    """The URL of `endpoint` for this query, with some values changed (e.g. page=2)."""
    if changes:
        query = query.replace(**changes)
    return url_for(endpoint, **query.to_args())


def archive_url(hit: Hit) -> str:
    """The absolute URL of a hit's page on this site (release page or clarification page)."""
    if hit.kind == "release" and hit.id.isdigit():
        return absolute_url("public.release_page", release_id=int(hit.id))
    return absolute_path(hit.url) if hit.url.startswith("/") else hit.url


def get_release_or_404(release_id: int) -> StoredRelease:
    """The archived release with all its versions, or a 404."""
    release = get_services().archive.get_release(release_id, with_versions=True)
    if release is None:
        abort(404, description=_("Rilis tidak ada di arsip."))
    return release


def version_or_404(release: StoredRelease, number: int) -> StoredVersion:
    """One stored version of a release, or a 404."""
    for version in release.versions:
        if version.number == number:
            return version
    abort(404, description=_("Rilis ini tidak punya versi %(number)s.", number=number))


def citation(release: StoredRelease, version: StoredVersion) -> str:
    """A plain-text citation of one archived version, with the archive link and retrieval time."""
    agency = release.opd or "Pemerintah Kota Malang"
    if "malang" not in agency.lower():
        agency += " Kota Malang"
    permalink = absolute_url("public.release_version", release_id=release.id, number=version.number)
    published = tanggal(version.published, True) if version.published else UNKNOWN_DATE
    lines = [
        f'{agency}. "{version.title}." Diterbitkan {published}. {release.url}',
        f"Salinan arsip Saring, versi {version.number} dari {len(release.versions) or 1}, "
        f"diambil {tanggal(version.fetched_at, True)}: {permalink} "
        f"(terakhir diperiksa {tanggal(release.last_checked, True)}).",
    ]
    if release.status == "removed":
        lines.append(
            "Rilis ini sudah dihapus dari situs sumbernya"
            + (f" (terdeteksi {tanggal(release.removed_at, True)})." if release.removed_at else ".")
        )
    return "\n".join(lines)


def clarifications_citing(release_id: int) -> list[dict]:
    """Published clarifications citing this release; [] until web.clarify_links exists."""
    try:
        from web.clarify_links import clarifications_citing as citing
    except ModuleNotFoundError as exc:
        if exc.name != "web.clarify_links":
            raise
        return []
    try:
        return list(citing(release_id))
    except Exception:  # a side panel must never take the release page down
        log.exception("clarifications citing release %s could not be listed", release_id)
        return []


# Template helpers -------------------------------------------------------------------------------


@bp.app_template_filter("tanpa_label")
def without_verdict(title: str) -> str:
    """A clarification hit's title without its "[HOAKS] " prefix."""
    return headline(title)


@bp.app_template_filter("jenis")
def kind_label(value: str) -> str:
    """'release' -> 'Rilis', 'clarification' -> 'Klarifikasi'."""
    return KIND_LABELS.get(value, value)


@bp.app_context_processor
def template_helpers() -> dict[str, Any]:
    """Helpers the search templates use to build links."""
    return {
        "search_link": search_link,
        "archive_link": archive_url,
        "filter_labels": FILTER_LABELS,
    }


def page_numbers(current: int, last: int, around: int = 2) -> list[int | None]:
    """Page numbers to show in a pager: first, last and a window around `current` (None = gap)."""
    if last <= 1:
        return []
    shown = sorted({1, last, *range(max(1, current - around), min(last, current + around) + 1)})
    numbers: list[int | None] = []
    for number in shown:
        if numbers and number - (numbers[-1] or 0) > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers


# Pages ------------------------------------------------------------------------------------------


@bp.get("/")
def home():
    """Check first (the paste box), then search, the latest clarifications, this week's most
    reported rumours (counts only) and the latest releases."""
    services = get_services()
    editorial = get_editorial()
    _, clarifications = editorial.list_clarifications(status=PUBLISHED, limit=HOME_CLARIFICATIONS)
    reported = most_reported(services.archive.engine, now() - REPORTED_PERIOD, HOME_RUMOURS)
    return render_template(
        "public/home.html",
        releases=latest(services.index, limit=10),
        clarifications=clarifications,
        reported=reported,
        reported_clarifications=_published_clarifications(
            editorial, [r.clarification_id for r in reported.top]
        ),
        max_chars=MAX_CHARS,
    )


@bp.get("/klarifikasi/<slug>/kartu.png")
def clarification_card(slug: str):
    """The og:image preview card of a published clarification (PNG, 1200x630)."""
    item = get_editorial().get_clarification(slug=slug)
    if item is None or item.status != PUBLISHED:
        abort(404, description=_("Klarifikasi tidak ditemukan."))
    response = Response(card_png(item), content_type="image/png")
    response.headers["Cache-Control"] = "public, max-age=86400"  # the URL changes on each edit
    return response


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page says: send them to the SVG icon."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)


@bp.get("/cari")
def search_page():
    """Results with facets, filters, sorting and paging; everything in the URL."""
    query = parse_search_query()
    index = get_services().index
    results = search(index, query)
    clarifications = None
    if query.kind == "release" and query.page == 1:  # "all" lists them among the results
        clarifications = clarifications_for(index, query, SEARCH_CLARIFICATIONS)
    months = []
    if query.year is not None or query.month:  # months are listed within the chosen year
        year = query.month[:4] if query.month else f"{query.year:04d}"
        months = [item for item in results.facets.get("month", []) if item.value[:4] == year]
    return render_template(
        "public/search.html",
        results=results,
        query=query,
        clarifications=clarifications,
        months=months,
        pages=page_numbers(query.page, min(results.pages, 1000)),
    )


@bp.get("/cari.atom")
def search_feed():
    """The newest matches of a search as an Atom feed (same arguments as /cari)."""
    query = parse_search_query().replace(sort="newest", page=1)
    results = export(get_services().index, query, FEED_ENTRIES, snippets=True)
    entries = [
        FeedEntry(
            id=archive_url(hit),
            title=hit.title,
            link=archive_url(hit),
            updated=hit.modified or hit.published or datetime.now(UTC),
            published=hit.published,
            source_link=hit.url if hit.kind == "release" else "",
            author=hit.opd,
            summary_html=hit.snippet,
            categories=hit.categories,
        )
        for hit in results.hits
    ]
    feed_url = absolute_url("public.search_feed", **query.to_args())
    body = atom_feed(
        title=f"Saring: {_describe(query)}",
        subtitle="Rilis resmi Pemkot Malang yang cocok dengan pencarian ini, terbaru dulu.",
        feed_url=feed_url,
        html_url=absolute_url("public.search_page", **query.to_args()),
        entries=entries,
    )
    return Response(body, content_type=ATOM_TYPE)


@bp.get("/cari.csv")
def search_csv():
    """Up to EXPORT_LIMIT matches as CSV (same arguments and order as /cari)."""
    query = parse_search_query()
    results = export(get_services().index, query)
    response = Response(to_csv(export_rows(results.hits, archive_url)), content_type="text/csv")
    return _download(response, query, "csv", results.total, len(results.hits))


@bp.get("/cari.json")
def search_json():
    """Up to EXPORT_LIMIT matches as JSON (same arguments and order as /cari)."""
    query = parse_search_query()
    results = export(get_services().index, query)
    body = {
        "query": query.to_args(),
        "total": results.total,
        "exported": len(results.hits),
        "truncated": results.total > len(results.hits),
        "limit": EXPORT_LIMIT,
        "notice": results.notice,
        "exported_at": iso(datetime.now(UTC)),
        "results": export_rows(results.hits, archive_url),
    }
    text = json.dumps(body, ensure_ascii=False, indent=1)
    response = Response(text, content_type="application/json; charset=utf-8")
    return _download(response, query, "json", results.total, len(results.hits))


@bp.get("/rilis/<id:release_id>")
def release_page(release_id: int):
    """One archived release: text, dates, documents, versions, citation, related releases."""
    release = get_release_or_404(release_id)
    current = release.versions[-1] if release.versions else release.current
    return render_template(
        "public/release.html",
        release=release,
        version=current,
        citation=citation(release, current),
        related=similar(get_services().index, str(release.id), RELATED_RELEASES),
        clarifications=clarifications_citing(release.id),
        attachments=attachments_of(release.id),
    )


@bp.get("/rilis/<id:release_id>/versi")
def release_versions(release_id: int):
    """Every stored version, and a word-level comparison of two of them (?dari=&ke=)."""
    release = get_release_or_404(release_id)
    numbers = [version.number for version in release.versions]
    diff = None
    if len(numbers) > 1:
        newer = _version_argument("ke", numbers, numbers[-1])
        older = _version_argument("dari", numbers, numbers[max(numbers.index(newer) - 1, 0)])
        diff = compare_versions(version_or_404(release, older), version_or_404(release, newer))
    return render_template("public/versions.html", release=release, diff=diff)


@bp.get("/rilis/<id:release_id>/versi/<id:number>")
def release_version(release_id: int, number: int):
    """One stored version exactly as it was archived: a permanent, citable page."""
    release = get_release_or_404(release_id)
    version = version_or_404(release, number)
    return render_template(
        "public/release.html",
        release=release,
        version=version,
        citation=citation(release, version),
        related=[],
        clarifications=[],
        attachments=[],
    )


# Helpers ----------------------------------------------------------------------------------------


def _published_clarifications(
    editorial: Editorial, ids: list[int | None]
) -> dict[int, Clarification]:
    """The published ones among these clarifications, by id (a rumour links to its answer)."""
    found = {}
    for clarification_id in {i for i in ids if i is not None}:
        item = editorial.get_clarification(clarification_id)
        if item is not None and item.status == PUBLISHED:
            found[clarification_id] = item
    return found


def _version_argument(name: str, numbers: list[int], default: int) -> int:
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return default
    number = parse_id(raw)
    if number is None or number not in numbers:
        abort(
            400,
            description=_(
                "%(name)s harus nomor versi yang ada: %(numbers)s",
                name=name,
                numbers=", ".join(map(str, numbers)),
            ),
        )
    return number


def _describe(query: SearchQuery) -> str:
    """A short human description of a search, for feed titles."""
    parts = [f"“{query.q}”" if query.q else "semua rilis"]
    parts += [f"{FILTER_LABELS[name]}: {value}" for name, value in query.filters]
    return " · ".join(parts)


def _download(response: Response, query: SearchQuery, extension: str, total: int, count: int):
    slug = _SLUG.sub("-", query.q.lower()).strip("-")[:40] or "semua"
    stamp = datetime.now(UTC).strftime("%Y%m%d")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="saring-{slug}-{stamp}.{extension}"'
    )
    response.headers["X-Total-Count"] = str(total)
    response.headers["X-Exported-Count"] = str(count)
    return response
