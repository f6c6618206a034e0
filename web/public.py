"""Public pages: home, search results and the release page."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from index.search import SearchQuery, latest, search
from web.services import get_services

bp = Blueprint("public", __name__)


def parse_search_query() -> SearchQuery:
    """The request's search parameters, or a 400 naming the bad one."""
    try:
        return SearchQuery.from_args(request.args)
    except ValueError as exc:
        abort(400, description=str(exc))


@bp.get("/")
def home():
    """Search box and the latest releases."""
    services = get_services()
    return render_template("public/home.html", releases=latest(services.index, limit=10))


@bp.get("/cari")
def search_page():
    """Result list for ?q=."""
    query = parse_search_query()
    results = search(get_services().index, query)
    return render_template("public/search.html", results=results, query=query)


@bp.get("/rilis/<int:release_id>")
def release_page(release_id: int):
    """One archived release with its versions."""
    release = get_services().archive.get_release(release_id, with_versions=True)
    if release is None:
        abort(404, description="Rilis tidak ada di arsip.")
    return render_template("public/release.html", release=release)
