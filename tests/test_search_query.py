"""Reading a search request: the query syntax subset and the clamped, validated arguments."""

from __future__ import annotations

from datetime import date

import pytest

from index.analysis import tokens
from index.query import SearchQuery
from index.syntax import (
    PROBLEM_DANGLING_OR,
    PROBLEM_EMPTY_PREFIX,
    PROBLEM_UNCLOSED_QUOTE,
    parse_text,
)


def shape(text: str) -> tuple[list[list[tuple[str, str, bool]]], list[str], list[str]]:
    """(groups of (field, terms, phrase), excluded terms, problems) for compact assertions."""
    parsed = parse_text(text)
    groups = [[(c.field, " ".join(c.terms), c.phrase) for c in group] for group in parsed.groups]
    excluded = [" ".join(c.terms) for c in parsed.excluded]
    return groups, excluded, parsed.problems


# Query syntax ---------------------------------------------------------------------------------


def test_plain_words_are_separate_required_groups_with_stemmed_terms() -> None:
    groups, excluded, problems = shape("Pembangunan jembatan")
    assert groups == [[("", "bangun", False)], [("", "jembatan", False)]]
    assert excluded == [] and problems == []


def test_quoted_phrase_is_one_clause_and_stop_words_inside_are_dropped() -> None:
    groups, _, problems = shape('"seragam gratis" "rumah di jalan"')
    assert groups == [[("", "seragam gratis", True)], [("", "rumah jalan", True)]]
    assert problems == []


def test_minus_excludes_a_word_or_a_phrase_but_not_a_hyphenated_word() -> None:
    groups, excluded, _ = shape('banjir -drainase -"pesan berantai" covid-19')
    assert groups == [[("", "banjir", False)], [("", "covid-19", False)]]
    assert excluded == ["drainase", " ".join(tokens("pesan berantai"))]


def test_or_joins_neighbours_into_one_group() -> None:
    groups, _, problems = shape("banjir OR genangan kedawung")
    assert groups == [[("", "banjir", False), ("", "genang", False)], [("", "kedawung", False)]]
    assert problems == []


def test_lower_case_or_and_and_not_keywords() -> None:
    assert shape("banjir or genangan")[0] == [
        [("", "banjir", False)],
        [("", "or", False)],
        [("", "genang", False)],
    ]
    assert shape("banjir AND kedawung")[0] == [[("", "banjir", False)], [("", "kedawung", False)]]
    groups, excluded, _ = shape("banjir NOT drainase")
    assert groups == [[("", "banjir", False)]] and excluded == ["drainase"]


def test_field_prefixes_choose_the_field() -> None:
    groups, _, problems = shape('opd:dishub judul:stunting Title:"tarif angkot" opd:"dinas sosial"')
    assert groups == [
        [("opd", "dishub", False)],
        [("title", "stunting", False)],
        [("title", "tarif angkot", True)],
        [("opd", "dinas sosial", True)],
    ]
    assert problems == []


def test_unknown_prefixes_are_plain_words() -> None:
    assert shape("kategori:banjir")[0] == [[("", "kategori banjir", False)]]


@pytest.mark.parametrize(
    ("text", "problem", "groups"),
    [
        ('"tarif angkot', PROBLEM_UNCLOSED_QUOTE, [["tarif"], ["angkot"]]),
        ("banjir OR", PROBLEM_DANGLING_OR, [["banjir"]]),
        ("OR banjir", PROBLEM_DANGLING_OR, [["banjir"]]),
        ("banjir OR OR genangan", PROBLEM_DANGLING_OR, [["banjir"], ["genang"]]),
        ("banjir OR -genangan", PROBLEM_DANGLING_OR, [["banjir"]]),
        ("opd: banjir", PROBLEM_EMPTY_PREFIX, [["banjir"]]),
        ("judul:", PROBLEM_EMPTY_PREFIX, []),
    ],
)
def test_broken_syntax_keeps_the_plain_words_and_names_the_problem(
    text: str, problem: str, groups: list[list[str]]
) -> None:
    parsed = parse_text(text)
    assert problem in parsed.problems
    assert [[" ".join(c.terms) for c in group] for group in parsed.groups] == groups


def test_nothing_searchable_is_reported_as_such() -> None:
    for text in ["yang dan di", "*", "((", "-"]:
        assert not parse_text(text).has_terms
    assert parse_text("-banjir").has_terms  # exclusions only: everything except banjir


def test_surface_words_are_kept_for_spelling_suggestions() -> None:
    (clause,) = parse_text("Pembanguan").clauses
    assert clause.words == ["pembanguan"]


# Arguments ------------------------------------------------------------------------------------


def test_from_args_reads_every_filter() -> None:
    query = SearchQuery.from_args(
        {
            "q": "banjir",
            "sort": "Newest",
            "opd": "  Dinas   Perhubungan ",
            "category": "Banjir",
            "year": "2025",
            "month": "2025-10",
            "from": "2025-10-01",
            "to": "2025-10-31",
            "kind": "all",
        }
    )
    assert query == SearchQuery(
        q="banjir",
        sort="newest",
        opd="Dinas Perhubungan",
        category="Banjir",
        year=2025,
        month="2025-10",
        date_from=date(2025, 10, 1),
        date_to=date(2025, 10, 31),
        kind="all",
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("sort", "random"),
        ("kind", "news"),
        ("year", "25"),
        ("year", "2025x"),
        ("month", "2025-13"),
        ("month", "10-2025"),
        ("from", "2025-02-30"),
        ("to", "kemarin"),
    ],
)
def test_from_args_rejects_bad_values_naming_the_argument(name: str, value: str) -> None:
    with pytest.raises(ValueError, match=name):
        SearchQuery.from_args({name: value})


def test_dates_in_the_wrong_order_are_swapped() -> None:
    query = SearchQuery.from_args({"from": "2025-12-31", "to": "2025-01-01"})
    assert (query.date_from, query.date_to) == (date(2025, 1, 1), date(2025, 12, 31))


def test_to_args_round_trips_and_leaves_defaults_out() -> None:
    assert SearchQuery().to_args() == {}
    query = SearchQuery(
        q="pbb",
        page=3,
        per_page=20,
        sort="oldest",
        opd="Badan Pendapatan Daerah",
        year=2024,
        date_from=date(2024, 1, 1),
        kind="clarification",
    )
    args = {name: str(value) for name, value in query.to_args().items()}
    assert SearchQuery.from_args(args) == query


def test_without_drops_one_filter_and_goes_back_to_page_one() -> None:
    query = SearchQuery(q="pbb", page=4, opd="Bapenda", year=2024, kind="all")
    assert query.without("opd") == SearchQuery(q="pbb", year=2024, kind="all")
    assert query.without("year").year is None
    assert query.without("kind").kind == "release"
    assert [name for name, _ in query.filters] == ["opd", "year", "kind"]
