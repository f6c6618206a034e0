"""Quoted names, themes and titles: tema "Berselaras untuk Kota Malang Berkelas", 'Sambang Kampung'.

A quote's value is its lower-cased words joined by single spaces. Quotes are read first in
`verify.facts.EXTRACTORS`: a number inside a title ("Gerakan 1000 Pohon") belongs to the title.
"""

from __future__ import annotations

import re

from verify.facts.fact import Fact, Spans

_QUOTE = re.compile(
    r"[\"“”](?P<a>[^\"“”\n]{2,80}?)[\"“”]"
    r"|(?:(?<=\s)|^)[‘'](?P<b>[^‘’'\n]{2,80}?)[’'](?=[\s.,;:!?)]|$)"
)


def extract_quotes(text: str, *, spans: Spans | None = None) -> list[Fact]:
    """Quoted names, themes and titles of at most twelve words: tema "Berselaras untuk ..."."""
    spans = Spans() if spans is None else spans
    found = []
    for match in _QUOTE.finditer(text):
        inner = match.group("a") or match.group("b") or ""
        words = re.findall(r"[^\W_]+", inner.lower())
        if not words or len(words) > 12 or not spans.free(match.start(), match.end()):
            continue
        spans.take(match.start(), match.end())
        found.append(Fact("quote", match.group(0), " ".join(words), match.start(), match.end()))
    return found
