"""Snippets: the passages of a body that show why it matched, and titles with matches marked.

The output is HTML that is safe to render: the text escaped, the matched words in <mark>.
Words are found exactly as the index analyses them, so a snippet marks every form of a
searched root.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from index.analysis import STEM_OVERRIDES, STOP_WORDS, TOKEN_PATTERN, stem_word

SNIPPET_CHARS = 200

_WHITESPACE = re.compile(r"\s+")


def marked(text: str, terms: frozenset[str], whole: bool = False) -> str:
    """`text` escaped, with the words whose terms are in `terms` wrapped in <mark>; "" if none.

    For a body: the (at most) two passages holding the most distinct matched words, each about
    SNIPPET_CHARS / 2 long, in text order, with an ellipsis at every cut. With `whole`: the
    whole text (titles). Words are found exactly as the index analyses them (same pattern,
    stop list and stemmer), so "pembangunan" marks "membangun". Stemming an unseen word costs
    ~0.2 ms, so a word is only stemmed if it could have one of the terms as its root: a root is
    the word minus affixes with at most its first letter changed (menulis -> tulis), so all
    but a term's first letter must appear in the word (overrides are looked up directly).
    """
    if not terms or not text:
        return ""
    may_match = _root_pattern(terms).search
    spans = [
        (match.start(), match.end(), stem)
        for match in TOKEN_PATTERN.finditer(text)
        if (word := match.group().lower()) not in STOP_WORDS
        and (word in STEM_OVERRIDES or may_match(word))
        and (stem := stem_word(word)) in terms
    ]
    if not spans:
        return ""
    if whole:
        return _format(text, [(0, len(text), spans)])
    return _format(text, _best_passages(text, spans))


@lru_cache(maxsize=256)
def _root_pattern(terms: frozenset[str]) -> re.Pattern[str]:
    """A pattern finding any term minus its first letter (see `marked`)."""
    cores = sorted({term[1:] for term in terms}, key=len, reverse=True)
    return re.compile("|".join(re.escape(core) for core in cores))


def _best_passages(
    text: str, spans: list[tuple[int, int, str]], top: int = 2
) -> list[tuple[int, int, list[tuple[int, int, str]]]]:
    """Group nearby matches into passages, keep the `top` richest, widen them with context."""
    width, context = SNIPPET_CHARS // 2, 40
    groups: list[list[tuple[int, int, str]]] = []
    for span in spans:
        if groups and span[1] - groups[-1][0][0] <= width:
            groups[-1].append(span)
        else:
            groups.append([span])
    ranked = sorted(
        range(len(groups)),
        key=lambda i: (-len({stem for _, _, stem in groups[i]}), -len(groups[i]), i),
    )
    passages: list[tuple[int, int, list[tuple[int, int, str]]]] = []
    for i in sorted(ranked[:top]):
        group = groups[i]
        start = max(0, group[0][0] - context)
        while start > 0 and text[start - 1].isalnum():  # never cut a word in two
            start -= 1
        end = min(len(text), group[-1][1] + context)
        while end < len(text) and text[end].isalnum():
            end += 1
        if passages and start <= passages[-1][1]:  # touching passages become one
            previous = passages.pop()
            start, group = previous[0], previous[2] + group
        passages.append((start, end, group))
    return passages


def _format(text: str, passages: list[tuple[int, int, list[tuple[int, int, str]]]]) -> str:
    """Escaped passages with <mark>s, joined and bracketed by ellipses where text was cut."""
    parts = []
    for start, end, spans in passages:
        pieces, position = [], start
        for span_start, span_end, _ in spans:
            pieces.append(html.escape(text[position:span_start]))
            pieces.append(f"<mark>{html.escape(text[span_start:span_end])}</mark>")
            position = span_end
        pieces.append(html.escape(text[position:end]))
        parts.append(_WHITESPACE.sub(" ", "".join(pieces)).strip())
    before = "… " if passages[0][0] > 0 else ""
    after = " …" if passages[-1][1] < len(text) else ""
    return before + " … ".join(parts) + after


def lead(text: str) -> str:
    """The escaped first ~SNIPPET_CHARS characters of `text`, cut at a word boundary."""
    text = " ".join(text.split())
    if len(text) <= SNIPPET_CHARS:
        return html.escape(text)
    cut = text.rfind(" ", 0, SNIPPET_CHARS)
    if cut < SNIPPET_CHARS // 2:
        cut = SNIPPET_CHARS
    return html.escape(text[:cut]) + " …"
