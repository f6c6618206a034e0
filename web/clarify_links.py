"""Clarifications that cite a release, for the release page ("Dirujuk oleh klarifikasi")."""

from __future__ import annotations

from flask import url_for

from web.auth import get_editorial
from web.formatting import iso


def clarifications_citing(release_id: int) -> list[dict]:
    """Published clarifications citing this release, newest first, as plain dicts.

    Each dict: slug, url (site path), title, verdict, published (ISO 8601, WIB). Needs an app
    context; returns [] when the release is cited by none.
    """
    return [
        {
            "slug": item.slug,
            "url": url_for("clarify.clarification_page", slug=item.slug),
            "title": item.title,
            "verdict": item.verdict,
            "published": iso(item.published_at),
        }
        for item in get_editorial().citing(int(release_id))
    ]
