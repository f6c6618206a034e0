"""How a clarification travels: schema.org ClaimReview JSON-LD, OpenGraph tags, the short text
shared on WhatsApp, and the entries of the Atom feed (written by `web.feeds`).

All builders are pure functions of a stored `Clarification` and absolute URLs, so they are
tested without a request. JSON-LD is escaped for an HTML <script> block: "<", ">" and "&" become
\\u escapes, which keeps the JSON identical for parsers and makes "</script>" impossible.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import datetime
from urllib.parse import quote

from markupsafe import Markup

from archive import messages
from archive.editorial import Clarification
from web import feeds
from web.formatting import WIB, tanggal
from web.i18n import N_
from web.share import SIGN_OFF

PUBLISHER = "Diskominfo Kota Malang"
PUBLISHER_URL = "https://kominfo.malangkota.go.id/"
SITE_NAME = "Saring Kota Malang"

# The verdict on a 1 (false) .. 5 (true) scale, with its English gloss for aggregators.
RATINGS: dict[str, tuple[int, str]] = {
    "HOAKS": (1, "False (hoax)"),
    "DISINFORMASI": (1, "False (disinformation)"),
    "MISINFORMASI": (2, "Misleading (misinformation)"),
    "MENYESATKAN": (2, "Misleading"),
    "FAKTA": (5, "True"),
}
# Short Indonesian meaning of each label, shown beside it on the pages (templates say it in the
# reader's language with `_(meaning)`; the label itself is data and never translated).
VERDICT_MEANINGS: dict[str, str] = {
    "HOAKS": N_("Informasi palsu yang sengaja dibuat seolah-olah benar."),
    "DISINFORMASI": N_("Informasi keliru yang sengaja disebarkan untuk menyesatkan."),
    "MISINFORMASI": N_("Informasi keliru atau tidak tepat, tersebar tanpa niat menyesatkan."),
    "MENYESATKAN": N_("Mengandung fakta, tetapi disajikan dengan konteks yang keliru."),
    "FAKTA": N_("Informasi ini benar menurut sumber resmi."),
}
SHARE_SUMMARY_CHARS = 280


def claim_review(item: Clarification, page_url: str, release_urls: Iterable[str] = ()) -> dict:
    """The schema.org ClaimReview of a published clarification, as a JSON-ready dict."""
    rating, gloss = RATINGS.get(item.verdict, (1, item.verdict))
    appearances = [{"@type": "CreativeWork", "url": url} for url in item.sightings]
    if not appearances:  # no link to the rumour: say where it circulated instead
        appearances = [
            {"@type": "CreativeWork", "name": f"Pesan yang beredar di {item.seen_on}"}
            if item.seen_on
            else {"@type": "CreativeWork", "name": "Pesan berantai yang beredar"}
        ]
    published = item.published_at or item.created_at
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": page_url,
        "name": item.title,
        "headline": f"[{item.verdict}] {item.title}",
        "inLanguage": "id",
        "claimReviewed": item.rumour,
        "datePublished": published.astimezone(WIB).isoformat(),
        "dateModified": (item.last_revised_at or published).astimezone(WIB).isoformat(),
        "reviewBody": item.summary,
        "author": {"@type": "Organization", "name": PUBLISHER, "url": PUBLISHER_URL},
        "publisher": {"@type": "Organization", "name": PUBLISHER, "url": PUBLISHER_URL},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": rating,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": item.verdict,
            "ratingExplanation": gloss,
        },
        "itemReviewed": {
            "@type": "Claim",
            "appearance": appearances,
            "firstAppearance": appearances[0],
            "author": {"@type": "Organization", "name": "Tidak diketahui"},
        },
    }
    citations = list(release_urls)
    if citations:
        review["citation"] = [{"@type": "CreativeWork", "url": url} for url in citations]
    return review


def json_ld(data: dict) -> Markup:
    """`data` as JSON safe to place inside <script type="application/ld+json">."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def share_text(item: Clarification, page_url: str, say: Callable[[str], str] = str) -> str:
    """The short text people forward: verdict, headline, the explanation, the link. The
    clarification is quoted as published; the words around it are Indonesian, or as `say`
    words them (`web.i18n.say`: in the reader's language)."""
    summary = " ".join(item.summary.split())
    if len(summary) > SHARE_SUMMARY_CHARS:
        summary = summary[: summary.rfind(" ", 0, SHARE_SUMMARY_CHARS)].rstrip(" ,;") + "…"
    more = messages.N_(
        "Penjelasan lengkap %(publisher)s: %(url)s", publisher=PUBLISHER, url=page_url
    )
    return f"*[{item.verdict}]* {item.title}\n\n{summary}\n\n{say(more)}\n{say(SIGN_OFF)}"


def whatsapp_url(text: str) -> str:
    """A wa.me link that opens WhatsApp with `text` ready to send (works without JavaScript)."""
    return "https://wa.me/?text=" + quote(text, safe="")


def open_graph(item: Clarification, page_url: str) -> dict[str, str]:
    """OpenGraph (and article:) properties of a clarification page."""
    published = item.published_at or item.created_at
    return {
        "og:type": "article",
        "og:site_name": SITE_NAME,
        "og:locale": "id_ID",
        "og:title": f"[{item.verdict}] {item.title}",
        "og:description": " ".join(item.summary.split())[:300],
        "og:url": page_url,
        "article:published_time": published.astimezone(WIB).isoformat(),
        "article:modified_time": (item.last_revised_at or published).astimezone(WIB).isoformat(),
        "article:section": "Klarifikasi",
        "article:tag": item.verdict,
    }


def atom_feed(
    items: list[Clarification], *, feed_url: str, site_url: str, page_url_of, updated: datetime
) -> bytes:
    """The Atom 1.0 feed of these clarifications (newest first), as UTF-8 bytes."""
    return feeds.atom_feed(
        title=f"Klarifikasi hoaks – {SITE_NAME}",
        subtitle=f"Klarifikasi resmi {PUBLISHER} atas kabar yang beredar.",
        feed_url=feed_url,
        html_url=site_url,
        entries=[_feed_entry(item, page_url_of(item)) for item in items],
        updated=updated,
        author=PUBLISHER,
        author_uri=PUBLISHER_URL,
    )


def _feed_entry(item: Clarification, url: str) -> feeds.FeedEntry:
    published = item.published_at or item.created_at
    content = "\n\n".join(
        part
        for part in (
            f"Kabar yang beredar: {item.rumour}",
            f"Label: {item.verdict}. {item.summary}",
            item.body,
            f"Diterbitkan {tanggal(published)}.",
        )
        if part
    )
    return feeds.FeedEntry(
        id=url,
        title=f"[{item.verdict}] {item.title}",
        link=url,
        updated=item.last_revised_at or published,
        published=published,
        author=PUBLISHER,
        summary_text=" ".join(item.summary.split()),
        content_text=content,
        categories=[item.verdict],
    )
