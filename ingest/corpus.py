"""The development corpus (JSON Lines of releases) as WordPress REST posts.

The demo data and the evaluation scripts load corpus releases through the real ingest path:
each release becomes the JSON that `/wp-json/wp/v2/posts` would serve, with the dateline and the
closing author initials written into the text as malangkota.go.id prints them, so that the
parser and the normaliser do the same work as on live pages.
"""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

DATELINE = "Malang, (malangkota.go.id) – "


def read_jsonl(path: Path) -> list[dict]:
    """The objects of a JSON Lines file (blank lines skipped)."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def wordpress_post(number: int, release: dict) -> dict:
    """One corpus release as a WordPress REST post (the shape `parse_wp_posts` reads)."""
    published = datetime.fromisoformat(release["published"])
    utc = published.astimezone(UTC)
    paragraphs = list(release["paragraphs"])
    paragraphs[0] = DATELINE + paragraphs[0]
    if release.get("author"):
        paragraphs[-1] = f"{paragraphs[-1]} ({release['author']})"
    content = "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)
    terms = [
        [{"taxonomy": "category", "name": c, "slug": _slug(c)} for c in release["categories"]],
        [{"taxonomy": "post_tag", "name": t, "slug": _slug(t)} for t in release["tags"]],
    ]
    host = release.get("source_site") or urlsplit(release["url"]).hostname
    return {
        "id": number,
        "date": published.strftime("%Y-%m-%dT%H:%M:%S"),
        "date_gmt": utc.strftime("%Y-%m-%dT%H:%M:%S"),
        "modified": published.strftime("%Y-%m-%dT%H:%M:%S"),
        "modified_gmt": utc.strftime("%Y-%m-%dT%H:%M:%S"),
        "guid": {"rendered": f"https://{host}/?p={number}"},
        "link": release["url"],
        "title": {"rendered": html.escape(release["title"], quote=False)},
        "content": {"rendered": content, "protected": False},
        "excerpt": {"rendered": f"<p>{html.escape(release['paragraphs'][0][:200])}</p>"},
        "_embedded": {"wp:term": terms},
    }
