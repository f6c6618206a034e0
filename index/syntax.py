"""Query text: the small search syntax, and widening plain words with their synonyms.

Everything that is not this syntax is plain words:

- ``banjir kedawung``: every word must appear, in any form of its root ("pembangunan" finds
  "membangun").
- ``"tidak benar"``: an exact phrase. ``-hoaks`` or ``-"pesan berantai"``: exclude.
- ``banjir OR genangan``: either word (``AND`` is the default and may be written).
- ``opd:dishub``, ``opd:"dinas perhubungan"``: the issuing agency; ``judul:banjir`` (or
  ``title:``): the title only.

Broken syntax (an unclosed quote, a dangling OR, an empty prefix) is dropped with a problem noted
and the plain words are kept; `parse_text` never raises. `with_synonyms` ORs plain words with
their synonyms from index/data/synonyms.tsv ("vaksin" also finds "imunisasi", "pkl" finds
"pedagang kaki lima"), weighted below the words as typed; quoted phrases stay exact.
`CLAUSE_FIELDS` says which index fields, with which boosts, a clause searches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache

from whoosh.analysis import CompositeAnalyzer

from index.analysis import indonesian_analyzer, tokens
from index.synonyms import Term as SynonymTerm
from index.synonyms import synonyms

TITLE_BOOST = 1.25  # title over body; bench/search_eval.py shows larger boosts cost claim recall
SEARCH_FIELDS = ("title", "body")
SYNONYM_WEIGHT = 0.5  # a synonym ranks at (at most) half the weight of the reader's own words

# Problems with the syntax, named to the reader (so in Indonesian).
PROBLEM_UNCLOSED_QUOTE = "tanda kutip tanpa pasangan"
PROBLEM_DANGLING_OR = "OR tanpa kata di kedua sisinya"
PROBLEM_EMPTY_PREFIX = "awalan opd:/judul: tanpa kata"

_PREFIX = re.compile(r"(opd|judul|title):", re.IGNORECASE)
_PREFIX_FIELDS = {"opd": "opd", "judul": "title", "title": "title"}

# Which index fields (with boosts) a clause searches, by its field prefix.
CLAUSE_FIELDS: dict[str, tuple[tuple[str, float], ...]] = {
    "": (("title", TITLE_BOOST), ("body", 1.0)),
    "title": (("title", TITLE_BOOST),),
    "opd": (("opd_text", 1.0),),
}


@dataclass
class Clause:
    """One word, or one quoted phrase, of the query text."""

    text: str  # as typed, without its - or field prefix
    terms: list[str]  # index terms (stems), stop words removed
    words: list[str]  # the same words unstemmed and lower-cased, for spelling suggestions
    field: str = ""  # "", "title" or "opd"
    phrase: bool = False
    negated: bool = False
    synonym: bool = False  # added from the synonym table, not typed
    weight: float = 1.0  # multiplies the boost of each term in ranking


@dataclass
class ParsedText:
    """Query text split into AND-ed groups of OR-ed clauses, exclusions and ignored syntax."""

    groups: list[list[Clause]] = field(default_factory=list)
    excluded: list[Clause] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def clauses(self) -> list[Clause]:
        """Every positive clause, in order."""
        return [clause for group in self.groups for clause in group]

    @property
    def has_terms(self) -> bool:
        """Whether anything searchable is left."""
        return bool(self.groups or self.excluded)


_OR = "OR"


def parse_text(text: str) -> ParsedText:
    """Split query text into clauses by the syntax in the module docstring; never raises."""
    items: list[Clause | str] = []
    problems: list[str] = []
    position, end = 0, len(text)
    negate_next = False
    while position < end:
        if text[position].isspace():
            position += 1
            continue
        negated, negate_next = negate_next, False
        if text[position] == "-" and position + 1 < end and not text[position + 1].isspace():
            negated = True
            position += 1
        field_name = ""
        prefix = _PREFIX.match(text, position)
        if prefix:
            field_name = _PREFIX_FIELDS[prefix.group(1).lower()]
            position = prefix.end()
            if position >= end or text[position].isspace():
                problems.append(PROBLEM_EMPTY_PREFIX)
                continue
        if text[position] == '"':
            close = text.find('"', position + 1)
            if close == -1:  # read the rest as plain words
                problems.append(PROBLEM_UNCLOSED_QUOTE)
                position += 1
                continue
            items.append(_clause(text[position + 1 : close], field_name, True, negated))
            position = close + 1
            continue
        stop = position
        while stop < end and not text[stop].isspace() and text[stop] != '"':
            stop += 1
        chunk = text[position:stop]
        position = stop
        if not negated and not field_name and chunk in ("OR", "AND", "NOT"):
            if chunk == "OR":
                items.append(_OR)
            elif chunk == "NOT":
                negate_next = True
            continue
        items.append(_clause(chunk, field_name, False, negated))
    return _group(items, problems)


def _clause(text: str, field_name: str, phrase: bool, negated: bool) -> Clause:
    return Clause(
        text=text,
        terms=tokens(text),
        words=_surface_words(text),
        field=field_name,
        phrase=phrase,
        negated=negated,
    )


def _group(items: list[Clause | str], problems: list[str]) -> ParsedText:
    """Join clauses around OR into groups; drop clauses without searchable words."""
    parsed = ParsedText(problems=problems)
    join_next = False
    for number, item in enumerate(items):
        if item == _OR:
            before = items[number - 1] if number > 0 else None
            after = items[number + 1] if number + 1 < len(items) else None
            if (
                isinstance(before, Clause)
                and isinstance(after, Clause)
                and not before.negated
                and not after.negated
            ):
                join_next = True
            elif PROBLEM_DANGLING_OR not in problems:
                problems.append(PROBLEM_DANGLING_OR)
            continue
        assert isinstance(item, Clause)
        if item.negated:
            if item.terms:
                parsed.excluded.append(item)
        elif join_next and parsed.groups:
            parsed.groups[-1].append(item)
        else:
            parsed.groups.append([item])
        join_next = False
    parsed.groups = [g for g in ([c for c in group if c.terms] for group in parsed.groups) if g]
    return parsed


@cache
def _analyzer() -> CompositeAnalyzer:
    return indonesian_analyzer()


def _surface_words(text: str) -> list[str]:
    """Lower-cased words of `text` without stemming (stop words removed), as spell_body holds."""
    return [token.text for token in _analyzer()(text, no_morph=True)]


def with_synonyms(parsed: ParsedText) -> ParsedText:
    """`parsed` with every plain word, or run of plain words, that the synonym table
    (index/data/synonyms.tsv) knows OR-ed with the other entries of its group.

    A run of words ("pedagang kaki lima") becomes one group: the words as typed (all of them,
    in one field) or any synonym ("pkl"). Synonyms of several words must appear in a row.
    Quoted phrases, exclusions and opd: clauses are left exact. The longest entry wins.
    """
    table = synonyms()
    groups: list[list[Clause]] = []
    at = 0
    while at < len(parsed.groups):
        length, own = _entry_at(parsed.groups, at, table.longest)
        if own is not None:
            extra = [_synonym(term, own) for term in table.alternatives(tuple(own.terms))]
            groups.append([own, *extra])
            at += length
            continue
        group = list(parsed.groups[at])
        for clause in parsed.groups[at]:
            if _expandable(clause):
                terms = tuple(clause.terms)
                group += [_synonym(term, clause) for term in table.alternatives(terms)]
        groups.append(group)
        at += 1
    return replace(parsed, groups=groups)


def _expandable(clause: Clause) -> bool:
    return not (clause.phrase or clause.negated or clause.synonym) and clause.field != "opd"


def _entry_at(groups: list[list[Clause]], at: int, longest: int) -> tuple[int, Clause | None]:
    """(number of groups, joined clause) of the longest synonym entry starting at `groups[at]`
    made of single-clause groups in the same field; (0, None) when none starts there."""
    table = synonyms()
    for length in range(min(longest, len(groups) - at), 0, -1):
        run = [group[0] for group in groups[at : at + length] if len(group) == 1]
        if len(run) < length or not all(_expandable(c) for c in run):
            continue
        if len({clause.field for clause in run}) > 1:
            continue
        terms = tuple(term for clause in run for term in clause.terms)
        if table.alternatives(terms):
            if length == 1:
                return 1, run[0]
            return length, Clause(
                text=" ".join(clause.text for clause in run),
                terms=list(terms),
                words=[word for clause in run for word in clause.words],
                field=run[0].field,
            )
    return 0, None


def _synonym(term: SynonymTerm, own: Clause) -> Clause:
    """The clause searching `term` in place of `own`, in the same field. Each of its terms weighs
    SYNONYM_WEIGHT, less when it has more terms than `own`: the three words of "pedagang kaki
    lima" together must not outweigh a typed "pkl"."""
    return Clause(
        text=term.text,
        terms=list(term.terms),
        words=_surface_words(term.text),
        field=own.field,
        phrase=len(term.terms) > 1,
        synonym=True,
        weight=SYNONYM_WEIGHT * min(1.0, len(own.terms) / len(term.terms)),
    )
