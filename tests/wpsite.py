"""A WordPress-shaped fixture site served by a real HTTP server on 127.0.0.1.

It serves what the ingester meets on malangkota.go.id subsites: an RSS feed (full content or
summaries only, paged with ?paged=N, with ETag / Last-Modified validators), the REST API
(/wp-json/wp/v2/posts with paging headers, modified_after, or disabled), article pages with
theme boilerplate, posts that get edited or deleted, a redirect to a foreign host and robots.txt.
The texts are the repository's own demo releases.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

from tests.localserver import LocalServer, Request, Response

DEMO_WP = Path(__file__).resolve().parent.parent / "demo" / "wp"


@dataclass
class Post:
    """One post of the fixture site."""

    id: int
    slug: str
    title: str
    paragraphs: list[str]
    date: datetime
    modified: datetime
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    gone: int | None = None  # 404 or 410 once deleted
    redirect_to: str | None = None  # article page redirects here
    links: list[tuple[str, str]] = field(default_factory=list)  # (href, text) after the text

    @property
    def path(self) -> str:
        return f"/{self.date:%Y/%m/%d}/{self.slug}/"

    def content_html(self) -> str:
        text = "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in self.paragraphs)
        links = "".join(
            f'\n<p class="wp-block-file"><a href="{html.escape(href)}">{html.escape(label)}</a></p>'
            for href, label in self.links
        )
        return text + links


def demo_posts(name: str = "demo-dinkes", limit: int | None = None) -> list[Post]:
    """Posts built from a bundled demo REST page (the repository's own texts)."""
    from ingest.normalise import html_to_paragraphs

    raw = json.loads((DEMO_WP / f"{name}.json").read_text(encoding="utf-8"))
    posts = []
    for number, item in enumerate(raw[:limit], start=1):
        date = datetime.fromisoformat(item["date_gmt"]).replace(tzinfo=UTC)
        slug = item["link"].rstrip("/").rsplit("/", 1)[-1]
        terms = item["_embedded"]["wp:term"]
        posts.append(
            Post(
                id=number,
                slug=slug,
                title=html.unescape(item["title"]["rendered"]),
                paragraphs=html_to_paragraphs(item["content"]["rendered"]),
                date=date,
                modified=date,
                categories=[t["name"] for t in terms[0]],
                tags=[t["name"] for t in terms[1]],
            )
        )
    return posts


BOILERPLATE = """<!doctype html><html lang="id"><head><meta charset="utf-8">
<title>{title} – Dinas Kesehatan Kota Malang</title>
<link rel="canonical" href="{url}">
<meta property="article:published_time" content="{published}">
<script>var menuData = {{"menu": "Beranda Profil Layanan"}};</script>
</head><body>
<header><nav class="main-menu"><a href="/">Beranda</a> <a href="/profil/">Profil Dinas</a>
<a href="/layanan/">Layanan Puskesmas</a></nav></header>
<main><article class="post">
<h1 class="entry-title">{title}</h1>
<div class="entry-content">{content}
<div class="sharedaddy sd-sharing"><h3>Bagikan ini:</h3>
<a href="#">Facebook</a> <a href="#">WhatsApp</a></div>
<div class="jp-relatedposts"><h3>Berita Terkait</h3>
<a href="/lain/">Artikel lain yang terkait</a></div>
</div></article>
<div id="comments" class="comments-area"><h2>Tinggalkan Balasan</h2>
<form action="/wp-comments-post.php"><textarea name="comment"></textarea></form></div>
</main><aside class="sidebar">Arsip Bulanan Kategori Populer</aside>
<footer>Hak cipta Pemerintah Kota Malang. Perkantoran Terpadu Gedung A.</footer>
<script>console.log("tracking");</script></body></html>"""


class WordPressSite:
    """A live fixture WordPress site; change its posts between ingest runs to simulate edits."""

    def __init__(
        self, posts: list[Post], *, rest: bool = True, full_feed: bool = True, feed_size: int = 10
    ):
        self.posts = posts
        self.rest = rest
        self.full_feed = full_feed
        self.feed_size = feed_size
        self.feed_status: int | None = None  # set to an error status to play a feed that is down
        self.server = LocalServer()

    def __enter__(self) -> WordPressSite:
        self.server.__enter__()
        self.server.route("/feed/", self._feed)
        self.server.route("/wp-json/wp/v2/posts", self._rest)
        self.server.static("/robots.txt", "User-agent: *\nDisallow: /wp-admin/\n", "text/plain")
        for post in self.posts:
            self._route_post(post)
        return self

    def __exit__(self, *exc) -> None:
        self.server.__exit__(*exc)

    # -- state changes -------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def url_of(self, post: Post) -> str:
        return self.server.base_url + post.path

    def add(self, post: Post) -> None:
        self.posts.insert(0, post)
        self._route_post(post)

    def edit(self, post: Post, *, paragraph: int, text: str, at: datetime) -> None:
        post.paragraphs[paragraph] = text
        post.modified = at

    def requests_to(self, path: str) -> list[Request]:
        return [r for r in self.server.requests if r.path == path]

    # -- handlers ------------------------------------------------------------------------

    def _live(self) -> list[Post]:
        return sorted((p for p in self.posts if p.gone is None), key=lambda p: p.date, reverse=True)

    def _route_post(self, post: Post) -> None:
        self.server.route(post.path, lambda request, post=post: self._article(post))

    def _article(self, post: Post) -> Response:
        if post.gone:
            return Response(status=post.gone, body=b"<h1>Tidak ditemukan</h1>")
        if post.redirect_to:
            return Response(status=302, headers={"Location": post.redirect_to})
        page = BOILERPLATE.format(
            title=html.escape(post.title),
            url=self.url_of(post),
            published=post.date.isoformat(),
            content=post.content_html(),
        )
        return Response(body=page.encode("utf-8"))

    def _feed(self, request: Request) -> Response:
        if self.feed_status is not None:
            return Response(status=self.feed_status, body=b"<h1>Layanan tidak tersedia</h1>")
        live = self._live()
        page = int(request.query.get("paged", "1") or 1)
        chunk = live[(page - 1) * self.feed_size : page * self.feed_size]
        if page > 1 and not chunk:
            return Response(status=404, body=b"not found")
        body = self._rss(chunk).encode("utf-8")
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        newest = max((p.modified for p in chunk), default=datetime(2020, 1, 1, tzinfo=UTC))
        last_modified = format_datetime(newest, usegmt=True)
        headers = {"ETag": etag, "Last-Modified": last_modified}
        if request.headers.get("if-none-match") == etag:
            return Response(status=304, headers=headers)
        return Response(
            body=body, headers=headers, content_type="application/rss+xml; charset=UTF-8"
        )

    def _rss(self, posts: list[Post]) -> str:
        items = []
        for post in posts:
            categories = "".join(
                f"<category><![CDATA[{c}]]></category>" for c in post.categories + post.tags
            )
            summary = html.escape(post.paragraphs[0][:150]) + " [&#8230;]"
            content = (
                f"<content:encoded><![CDATA[{post.content_html()}]]></content:encoded>"
                if self.full_feed
                else ""
            )
            items.append(
                f"<item><title>{html.escape(post.title)}</title>"
                f"<link>{self.url_of(post)}</link>"
                f"<dc:creator><![CDATA[admin]]></dc:creator>"
                f"<pubDate>{format_datetime(post.date, usegmt=True)}</pubDate>"
                f"{categories}"
                f'<guid isPermaLink="false">{self.base_url}/?p={post.id}</guid>'
                f"<description><![CDATA[{summary}]]></description>{content}</item>"
            )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
            f"<title>Dinas Kesehatan Kota Malang</title><link>{self.base_url}/</link>"
            "<description>Berita</description><language>id</language>"
            + "".join(items)
            + "</channel></rss>"
        )

    def _rest(self, request: Request) -> Response:
        if not self.rest:
            error = {
                "code": "rest_disabled",
                "message": "REST API dimatikan.",
                "data": {"status": 401},
            }
            return Response(
                status=401, body=json.dumps(error).encode(), content_type="application/json"
            )
        posts = self._live()
        if request.query.get("orderby") == "modified":
            posts = sorted(posts, key=lambda p: p.modified, reverse=True)
        after = request.query.get("modified_after")
        if after:
            since = datetime.fromisoformat(after).replace(tzinfo=UTC)
            posts = [p for p in posts if p.modified > since]
        per_page = int(request.query.get("per_page", "10"))
        page = int(request.query.get("page", "1"))
        total_pages = max(1, math.ceil(len(posts) / per_page))
        if page > total_pages:
            error = {"code": "rest_post_invalid_page_number", "message": "Halaman tidak ada."}
            return Response(
                status=400, body=json.dumps(error).encode(), content_type="application/json"
            )
        chunk = posts[(page - 1) * per_page : page * per_page]
        body = json.dumps([self._rest_post(p) for p in chunk]).encode("utf-8")
        headers = {"X-WP-Total": str(len(posts)), "X-WP-TotalPages": str(total_pages)}
        return Response(body=body, headers=headers, content_type="application/json; charset=UTF-8")

    def _rest_post(self, post: Post) -> dict:
        return {
            "id": post.id,
            "date": post.date.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
            "date_gmt": post.date.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
            "modified_gmt": post.modified.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
            "guid": {"rendered": f"{self.base_url}/?p={post.id}"},
            "link": self.url_of(post),
            "title": {"rendered": html.escape(post.title)},
            "content": {"rendered": post.content_html(), "protected": False},
            "excerpt": {"rendered": "<p>" + html.escape(post.paragraphs[0][:150]) + "</p>"},
            "_embedded": {
                "wp:term": [
                    [{"taxonomy": "category", "name": c} for c in post.categories],
                    [{"taxonomy": "post_tag", "name": t} for t in post.tags],
                ]
            },
        }
