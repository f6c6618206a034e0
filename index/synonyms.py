"""Query-time vocabulary kept in the repository: synonyms that widen a search, and derived forms
that must not be conflated with their stem.

Both tables are plain text files in ``index/data/`` (their headers explain the format), read once
and analysed with the index's own analyzer, so a table entry matches exactly the terms a search
and the index hold. Nothing here changes the index or its analysis: the tables are used by
`index.search` when it reads a query, never when documents are indexed (the claim check's model
depends on the indexed terms staying as they are).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from index.analysis import STEM_OVERRIDES, STOP_WORDS, TOKEN_PATTERN, stem_word, tokens

DATA = Path(__file__).resolve().parent / "data"
SYNONYMS_FILE = DATA / "synonyms.tsv"
DISTINCT_FORMS_FILE = DATA / "distinct_forms.tsv"
SEPARATOR = "|"


class VocabularyError(ValueError):
    """A table file breaks its format; the message names the file and line."""


@dataclass(frozen=True)
class Term:
    """One entry of a synonym group: its text and its analysed terms."""

    text: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class SynonymTable:
    """Synonym groups, looked up by the analysed terms of one entry."""

    groups: tuple[tuple[Term, ...], ...]
    by_terms: dict[tuple[str, ...], int]  # analysed terms -> index in groups
    longest: int  # the most terms of any entry (how far a query is scanned for one)

    def alternatives(self, terms: tuple[str, ...]) -> list[Term]:
        """The other entries of the group holding exactly `terms` ([] when none does)."""
        number = self.by_terms.get(terms)
        if number is None:
            return []
        return [entry for entry in self.groups[number] if entry.terms != terms]


@dataclass(frozen=True)
class FormGroups:
    """The surface forms of one stem, split into groups of one meaning each."""

    stem: str
    groups: tuple[frozenset[str], ...]

    def others(self, word: str) -> frozenset[str]:
        """The forms with another meaning than `word` (which must be in one of the groups)."""
        return frozenset().union(*(group for group in self.groups if word not in group))


def _lines(path: Path) -> list[tuple[int, list[str]]]:
    """(line number, entries) of each non-empty, non-comment line of a table file."""
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        entries = [" ".join(part.split()) for part in line.split(SEPARATOR)]
        if len(entries) < 2 or not all(entries):
            raise VocabularyError(f"{path.name}:{number}: needs two or more entries between |")
        found.append((number, entries))
    return found


def read_synonyms(path: Path = SYNONYMS_FILE) -> SynonymTable:
    """Read and analyse a synonym file; VocabularyError names a bad line."""
    groups: list[tuple[Term, ...]] = []
    by_terms: dict[tuple[str, ...], int] = {}
    for number, entries in _lines(path):
        group = []
        for text in entries:
            terms = tuple(tokens(text))
            if not terms:
                raise VocabularyError(f"{path.name}:{number}: {text!r} has only stop words")
            if terms in by_terms and by_terms[terms] != len(groups):
                raise VocabularyError(f"{path.name}:{number}: {text!r} is already in a group")
            by_terms[terms] = len(groups)
            group.append(Term(text.lower(), terms))
        groups.append(tuple(group))
    longest = max((len(terms) for terms in by_terms), default=0)
    return SynonymTable(tuple(groups), by_terms, longest)


def read_distinct_forms(path: Path = DISTINCT_FORMS_FILE) -> dict[str, FormGroups]:
    """Read a distinct-forms file into {surface form: its stem's groups}; VocabularyError names a
    bad line (a form with another stem, a form listed twice)."""
    by_word: dict[str, FormGroups] = {}
    for number, entries in _lines(path):
        groups = tuple(frozenset(entry.lower().split()) for entry in entries)
        words = [word for group in groups for word in group]
        stems = {stem_word(word) for word in words}
        if len(stems) != 1:
            raise VocabularyError(f"{path.name}:{number}: forms of several stems {sorted(stems)}")
        if len(set(words)) != len(words) or any(word in by_word for word in words):
            raise VocabularyError(f"{path.name}:{number}: a form is listed twice")
        forms = FormGroups(stems.pop(), groups)
        by_word.update(dict.fromkeys(words, forms))
    return by_word


@cache
def synonyms() -> SynonymTable:
    """The repository's synonym table (read once)."""
    return read_synonyms()


@cache
def distinct_forms() -> dict[str, FormGroups]:
    """The repository's distinct-forms table (read once)."""
    return read_distinct_forms()


def only_other_forms(text: str, stem: str, others: frozenset[str]) -> bool:
    """Whether every word of `text` with root `stem` is one of `others` (and there is one)."""
    may_match = _core_pattern(stem).search
    seen_other = False
    for match in TOKEN_PATTERN.finditer(text):
        word = match.group().lower()
        if word in STOP_WORDS or not (word in STEM_OVERRIDES or may_match(word)):
            continue
        if stem_word(word) != stem:
            continue
        if word not in others:
            return False
        seen_other = True
    return seen_other


@cache
def _core_pattern(stem: str) -> re.Pattern[str]:
    """The stem minus its first letter: any word with that root contains it (as in
    `index.snippets.marked`)."""
    return re.compile(re.escape(stem[1:]))
