"""JSON API v1: search (results, facets, paging), releases and their versions, the health check,
and its documentation (OpenAPI at /api/v1/openapi.json, a page for people at /api).
"""

from __future__ import annotations

import logging

from flask import Blueprint, abort, jsonify, render_template, request

from index import internals_status
from index.results import FACETS, Hit, SearchResults
from index.search import search
from index.similar import similar
from web.formatting import iso
from web.inputs import parse_id
from web.links import absolute_url, site_url
from web.openapi import openapi_spec
from web.public import (
    archive_url,
    citation,
    clarifications_citing,
    get_release_or_404,
    parse_search_query,
    search_link,
    version_or_404,
)
from web.services import get_services
from web.textdiff import compare_versions

log = logging.getLogger(__name__)
bp = Blueprint("api", __name__)


@bp.get("/api/v1/search")
def api_search():
    """Search results as JSON: total, paging, facets, suggestion and results with snippets."""
    query = parse_search_query()
    results = search(get_services().index, query)
    return jsonify(
        {
            "query": query.q,
            "total": results.total,
            "page": query.page,
            "per_page": query.per_page,
            "pages": results.pages,
            "sort": query.sort,
            "kind": query.kind,
            "filters": dict(query.filters),
            "notice": results.notice,
            "widened": results.widened,
            "suggestion": _suggestion(results),
            "facets": {
                name: [
                    {"value": item.value, "count": item.count, "selected": item.selected}
                    for item in results.facets.get(name, [])
                ]
                for name in FACETS
            },
            "links": _links(results),
            "results": [_hit(hit) for hit in results.hits],
        }
    )


@bp.get("/api/v1/releases/<id:release_id>")
def api_release(release_id: int):
    """One release with its paragraphs, version list, citation and related releases."""
    release = get_release_or_404(release_id)
    current = release.versions[-1] if release.versions else release.current
    return jsonify(
        {
            "id": release.id,
            "url": release.url,
            "archive_url": absolute_url("public.release_page", release_id=release.id),
            "title": current.title,
            "opd": release.opd,
            "source": release.source_id,
            "published": iso(current.published),
            "modified": iso(current.modified),
            "first_seen": iso(release.first_seen),
            "last_checked": iso(release.last_checked),
            "status": release.status,
            "removed_at": iso(release.removed_at),
            "dateline": current.dateline,
            "author": current.author,
            "categories": current.categories,
            "tags": current.tags,
            "paragraphs": current.paragraphs,
            "citation": citation(release, current),
            "versions": [
                {
                    "number": v.number,
                    "fetched_at": iso(v.fetched_at),
                    "hash": v.hash,
                    "title": v.title,
                    "url": absolute_url(
                        "api.api_release_version",
                        release_id=release.id,
                        number=v.number,
                    ),
                }
                for v in release.versions
            ],
            "related": [_hit(hit) for hit in similar(get_services().index, str(release.id))],
            "clarifications": clarifications_citing(release.id),
        }
    )


@bp.get("/api/v1/releases/<id:release_id>/versions/<id:number>")
def api_release_version(release_id: int, number: int):
    """One stored version exactly as archived."""
    release = get_release_or_404(release_id)
    version = version_or_404(release, number)
    return jsonify(
        {
            "release_id": release.id,
            "number": version.number,
            "of": len(release.versions),
            "fetched_at": iso(version.fetched_at),
            "hash": version.hash,
            "title": version.title,
            "published": iso(version.published),
            "modified": iso(version.modified),
            "author": version.author,
            "dateline": version.dateline,
            "categories": version.categories,
            "tags": version.tags,
            "paragraphs": version.paragraphs,
            "archive_url": absolute_url(
                "public.release_version", release_id=release.id, number=number
            ),
            "citation": citation(release, version),
        }
    )


@bp.get("/api/v1/releases/<id:release_id>/diff")
def api_release_diff(release_id: int):
    """Word-level differences between two versions (?from=&to=, default: the last two)."""
    release = get_release_or_404(release_id)
    numbers = [v.number for v in release.versions]
    newer = _version_number("to", numbers, numbers[-1])
    older = _version_number("from", numbers, numbers[max(numbers.index(newer) - 1, 0)])
    diff = compare_versions(version_or_404(release, older), version_or_404(release, newer))
    return jsonify({"release_id": release.id, **diff.as_dict()})


@bp.get("/api/v1/openapi.json")
def api_openapi():
    """The OpenAPI 3.1 description of this API."""
    return jsonify(openapi_spec(site_url()))


@bp.get("/api")
def api_docs():
    """How to use the API, for people (Indonesian, with English)."""
    return render_template("public/api.html", spec=openapi_spec(site_url()))


@bp.get("/healthz")
def healthz():
    """Store and index status; 503 when the store cannot be read. `whoosh_internals` says
    whether searches read Whoosh's internals ("ok") or its public API ("fallback: <reason>")."""
    services = get_services()
    body: dict = {"status": "ok", "whoosh_internals": internals_status()}
    try:
        body["store"] = {"ok": True, **services.archive.counts()}
    except Exception as exc:  # report, don't crash: this is what monitoring reads
        log.exception("health check: store unreadable")
        body["store"] = {"ok": False, "error": type(exc).__name__}
        body["status"] = "error"
    try:
        index_status = services.index.status()
        body["index"] = {"ok": bool(index_status.get("exists")), **index_status}
    except Exception as exc:
        log.exception("health check: index unreadable")
        body["index"] = {"ok": False, "error": type(exc).__name__}
    if body["status"] == "ok" and not body["index"]["ok"]:
        body["status"] = "degraded"
    elif body["status"] == "ok" and body["store"].get("pending_index"):
        body["status"] = "degraded"
    return jsonify(body), 503 if body["status"] == "error" else 200


def _hit(hit: Hit) -> dict:
    return {
        "id": hit.id,
        "url": hit.url,
        "archive_url": archive_url(hit),
        "title": hit.title,
        "opd": hit.opd,
        "published": iso(hit.published),
        "modified": iso(hit.modified),
        "categories": hit.categories,
        "snippet": hit.snippet,
        "status": hit.status,
        "kind": hit.kind,
        "score": round(hit.score, 4),
    }


def _suggestion(results: SearchResults) -> dict | None:
    if not results.suggestion:
        return None
    corrected = results.query.replace(q=results.suggestion, page=1)
    return {
        "q": results.suggestion,
        "url": search_link(corrected, "api.api_search"),
        "html": search_link(corrected),
    }


def _links(results: SearchResults) -> dict[str, str | None]:
    query = results.query
    last = min(results.pages, 1000)
    return {
        "self": search_link(query, "api.api_search"),
        "next": search_link(query, "api.api_search", page=query.page + 1)
        if query.page < last
        else None,
        "prev": search_link(query, "api.api_search", page=query.page - 1)
        if query.page > 1
        else None,
        "html": search_link(query),
        "atom": search_link(query, "public.search_feed", page=1),
        "csv": search_link(query, "public.search_csv", page=1),
        "json": search_link(query, "public.search_json", page=1),
    }


def _version_number(name: str, numbers: list[int], default: int) -> int:
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return default
    number = parse_id(raw)
    if number is None or number not in numbers:
        abort(400, description=f"{name} must be a stored version number: {numbers}")
    return number
