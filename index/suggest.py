"""The "did you mean" suggestion: misspelt query words corrected from the index's vocabulary.

A word is corrected only when no indexed document holds it (in title or body). Candidates are the
index's roots one edit away from the word, with or without a common Indonesian prefix and suffix
(put back when the corrected word keeps its root), then roots two edits away from a long word.
"""

from __future__ import annotations

import re

from whoosh.searching import Searcher
from whoosh.support.levenshtein import damerau_levenshtein

from index.analysis import stem_word, tokens
from index.syntax import SEARCH_FIELDS, ParsedText
from index.tables import tables_for

_HAS_DIGIT = re.compile(r"\d")


def suggestion(searcher: Searcher, text: str, parsed: ParsedText) -> str:
    """The query text with each unknown word replaced by its nearest indexed word, or ""."""
    reader = searcher.reader()
    corrections: dict[str, str] = {}
    for clause in parsed.clauses + parsed.excluded:
        if clause.field == "opd":
            continue
        for word in clause.words:
            if word in corrections or _HAS_DIGIT.search(word) or len(word) < 4:
                continue
            if any(
                reader.doc_frequency(name, term) for term in tokens(word) for name in SEARCH_FIELDS
            ):
                continue
            better = _nearest_word(searcher, word)
            if better:
                corrections[word] = better
    if not corrections:
        return ""
    pattern = re.compile(
        r"(?<!\w)(" + "|".join(re.escape(word) for word in corrections) + r")(?!\w)",
        re.IGNORECASE,
    )
    return pattern.sub(lambda m: corrections.get(m.group(1).lower(), m.group(1)), text)


# Affixes tried when a misspelt word is not near any root as a whole ("pembanguan" is far from
# "bangun", but "banguan" between "pem-" and "" is one edit away). Longest first.
_PREFIXES = (
    "memper", "menge", "penge", "meng", "meny", "peng", "peny", "mem", "men", "pem", "pen",
    "per", "ber", "ter", "me", "pe", "di", "ke", "se",
)  # fmt: skip
_SUFFIXES = ("kannya", "annya", "nya", "kan", "an", "i")


def _nearest_word(searcher: Searcher, word: str) -> str:
    """The likeliest indexed word for a misspelt one, from the index's own vocabulary.

    The index holds roots, so candidates are roots one edit away from the word, or one edit
    away from the word without a common prefix and suffix, which are then put back when the
    result still has that root ("pembanguan" -> "pembangunan"); failing those, roots two edits
    from a long word. Fewer edits first, then whole-word matches, then more of the typed
    affixes kept, then the root found in more documents.
    """
    reader = searcher.reader()
    vocabulary = tables_for(searcher).vocabulary(reader, SEARCH_FIELDS)
    ranked: list[tuple[int, int, int, int, str]] = []
    for penalty, (prefix, core, suffix) in enumerate(_splits(word)):
        for root in _one_edit(core) & vocabulary:
            frequency = sum(reader.doc_frequency(name, root) for name in SEARCH_FIELDS)
            keep = -len(prefix + suffix)
            ranked.append((1, min(penalty, 1), keep, -frequency, _reattach(prefix, root, suffix)))
    if not ranked and len(word) >= 6:  # two edits: Whoosh's automaton over the vocabulary
        for leaf, _offset in reader.leaf_readers():
            for name in SEARCH_FIELDS:
                if name not in leaf.schema:
                    continue
                for root in leaf.terms_within(name, word, 2, prefix=1):
                    if root != word and damerau_levenshtein(root, word) <= 2:
                        frequency = sum(reader.doc_frequency(n, root) for n in SEARCH_FIELDS)
                        ranked.append((2, 0, 0, -frequency, root))
    return min(ranked)[4] if ranked else ""


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _one_edit(word: str) -> set[str]:
    """Every string one deletion, transposition, replacement or insertion away from `word`."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    transposes = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    inserts = {a + c + b for a, b in splits for c in _LETTERS}
    return (deletes | transposes | replaces | inserts) - {word}


def _splits(word: str) -> list[tuple[str, str, str]]:
    """The word whole, then (prefix, core, suffix) for each affix pair it may carry."""
    splits = [("", word, "")]
    for prefix in ("", *_PREFIXES):
        if not word.startswith(prefix):
            continue
        for suffix in ("", *_SUFFIXES):
            if (prefix or suffix) and word.endswith(suffix):
                core = word[len(prefix) : len(word) - len(suffix)]
                if len(core) >= 3:
                    splits.append((prefix, core, suffix))
    return splits


def _reattach(prefix: str, root: str, suffix: str) -> str:
    """prefix + root + suffix when that word still stems to root, else the root alone."""
    if not (prefix or suffix):
        return root
    word = prefix + root + suffix
    return word if stem_word(word) == root else root
