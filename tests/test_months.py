"""One month table (archive.months) for ingest, the claim check and the web pages."""

from __future__ import annotations

from datetime import datetime

import pytest

import archive.months
import ingest.normalise
import ingest.parsers
import verify.facts
import web.formatting
from archive.months import ENGLISH_MONTHS, INDONESIAN_MONTHS, MONTH_NAMES, MONTHS, SHORT_MONTHS
from ingest.normalise import WIB, parse_date
from verify.facts import DateValue, describe_date, extract_facts
from web.clarify import bulan
from web.formatting import month_label, tanggal

DISPLAY = (
    "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
).split()


def test_display_names_are_unchanged():
    assert list(MONTH_NAMES) == DISPLAY


def test_ingest_the_check_and_the_pages_hold_the_same_table():
    assert ingest.normalise.MONTHS is ingest.parsers.MONTHS is MONTHS
    assert verify.facts.MONTH_NAMES is MONTH_NAMES
    assert web.formatting.tanggal is archive.months.tanggal  # pages write with the one table


@pytest.mark.parametrize("month", range(1, 13))
def test_pages_and_the_check_write_a_month_the_same_way(month):
    name = DISPLAY[month - 1]
    assert tanggal(datetime(2025, month, 5, 10, tzinfo=WIB)) == f"5 {name} 2025"
    assert describe_date(DateValue(2025, month, 5)) == f"5 {name} 2025"
    assert month_label(f"2025-{month:02d}") == f"{name} 2025"
    assert bulan(f"2025-{month:02d}") == f"{name} 2025"


@pytest.mark.parametrize(("spelling", "month"), sorted(MONTHS.items()))
def test_ingest_reads_every_spelling_in_the_table(spelling, month):
    for text in (f"5 {spelling} 2025", f"5 {spelling.title()}. 2025"):
        assert parse_date(text) == datetime(2025, month, 5, tzinfo=WIB)


@pytest.mark.parametrize(("spelling", "month"), sorted(INDONESIAN_MONTHS.items()))
def test_the_check_reads_every_indonesian_spelling_in_the_table(spelling, month):
    for text in (f"5 {spelling} 2025", f"5 {spelling.title()}. 2025"):
        facts = extract_facts(text)
        assert [(f.kind, f.value) for f in facts] == [("date", DateValue(2025, month, 5))]


@pytest.mark.parametrize("spelling", sorted(SHORT_MONTHS))
def test_the_check_reads_an_abbreviation_alone_as_no_month(spelling):
    assert [f for f in extract_facts(f"kata {spelling.title()} tadi") if f.kind == "date"] == []


def test_the_check_reads_indonesian_not_english():
    english_only = set(ENGLISH_MONTHS) - set(INDONESIAN_MONTHS)
    assert english_only == {
        "january", "february", "march", "may", "june", "july", "august", "aug", "october", "oct",
        "december", "dec",
    }  # fmt: skip
    assert [f.kind for f in extract_facts("you may go")] == []
