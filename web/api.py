"""JSON API v1: search, releases and the health check."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, jsonify

from index.search import search
from web.formatting import iso
from web.public import parse_search_query
from web.services import get_services

log = logging.getLogger(__name__)
bp = Blueprint("api", __name__)


@bp.get("/api/v1/search")
def api_search():
    """Search results as JSON: total, page, results with snippets."""
    query = parse_search_query()
    results = search(get_services().index, query)
    return jsonify(
        {
            "query": query.q,
            "total": results.total,
            "page": query.page,
            "per_page": query.per_page,
            "pages": results.pages,
            "notice": results.notice,
            "results": [
                {
                    "id": hit.id,
                    "url": hit.url,
                    "title": hit.title,
                    "opd": hit.opd,
                    "published": iso(hit.published),
                    "snippet": hit.snippet,
                    "status": hit.status,
                }
                for hit in results.hits
            ],
        }
    )


@bp.get("/api/v1/releases/<int:release_id>")
def api_release(release_id: int):
    """One release with its paragraphs and version list."""
    release = get_services().archive.get_release(release_id, with_versions=True)
    if release is None:
        abort(404, description=f"no release with id {release_id}")
    current = release.current
    return jsonify(
        {
            "id": release.id,
            "url": release.url,
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
            "versions": [
                {"number": v.number, "fetched_at": iso(v.fetched_at), "hash": v.hash, "title": v.title}
                for v in release.versions
            ],
        }
    )


@bp.get("/healthz")
def healthz():
    """Store and index status; 503 when the store cannot be read."""
    services = get_services()
    body: dict = {"status": "ok"}
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
