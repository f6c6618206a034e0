"""Facts in Indonesian text: money, quantities, dates, times, places, roles, agencies, polarity.

Every extractor is a pure function of a string and returns `Fact`s with character spans, so the
page can mark them and `verify.compare` can line a claim's facts up with an official sentence's.
`extract_facts` runs the extractors in `EXTRACTORS` over one shared `Spans`: a span taken by an
earlier extractor is never read again by a later one.

Values are normalised so that equal facts compare equal whatever the spelling:

- money: ``(low, high)`` in rupiah ("Rp1,5 jt" and "Rp 1.500.000" are both ``(1.5e6, 1.5e6)``);
  ``unit`` holds a "per ..." basis such as ``"per bulan"``.
- quantity and percent: ``(low, high)``; ``unit`` is the stemmed noun after the number
  ("37 cabor" -> ``"cabor"``), number words included ("dua ribu peserta").
- date: `DateValue` with the parts the text gives (year, month, day, and an end for ranges);
  relative dates ("besok", "akhir bulan") are resolved against ``reference`` when given.
- day: weekday number, Monday = 0. time: minutes after midnight ``(start, end)``.
- place, role, agency, person (a name right after a role): a canonical lower-case name;
  ``unit`` is the place type.
- ordinal ("HUT ke-110", "Juara I"): the number, ``unit`` the stemmed head noun.
- phone, regulation ("Perda 1/2025"): a canonical string; quote (a quoted name or theme): its
  lower-cased words.
- negation: the negator and the stemmed content words in its scope; modality: "wajib",
  "dilarang", "boleh", "gratis" or "bayar" (``negated`` set for "tidak wajib").

Facts inside the scope of a negation or a denial ("bukan Rp15 ribu", "membantah kabar bahwa ...")
carry ``negated=True``: the text says they are not so.

One module per concern: `fact` (the types and the span set), `numbers`, `money`, `identifiers`
(phones, regulations), `dates` (dates, days, times), `quantities` (percentages, ordinals,
counts), `places`, `roles` (roles, persons, agencies), `polarity`, `quotes`, `display`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from archive.months import MONTH_NAMES
from verify.facts.dates import (
    DAYS,
    extract_dates,
    extract_times,
    resolve_relative_dates,
)
from verify.facts.display import (
    DAY_NAMES,
    describe_date,
    describe_value,
    format_rupiah,
)
from verify.facts.fact import DateValue, Fact, Spans
from verify.facts.identifiers import extract_phones, extract_regulations
from verify.facts.money import extract_money
from verify.facts.numbers import parse_number, parse_number_words
from verify.facts.places import extract_places, place_key
from verify.facts.polarity import (
    DENIALS,
    NEGATORS,
    extract_polarity,
    mark_negated,
    zero_counts,
)
from verify.facts.quantities import extract_ordinals, extract_percentages, extract_quantities
from verify.facts.quotes import extract_quotes
from verify.facts.roles import OTHER_BODIES, ROLES, extract_agencies, extract_roles


class Extractor(Protocol):
    """Reads one kind of fact from `text`, skipping spans already taken and taking its own."""

    def __call__(self, text: str, *, spans: Spans | None = None) -> list[Fact]: ...


EXTRACTORS: tuple[Extractor, ...] = (
    extract_quotes,  # a quoted name is one fact: no agency or place is read inside it
    extract_phones,  # "0821-3193-9177", "nomor 119": not counts
    extract_regulations,  # "Perda Nomor 2 Tahun 2012": not a count 2 and a year 2012
    extract_money,  # "Rp70 miliar": not a count
    extract_percentages,  # "40 persen": not a count
    extract_times,  # "pukul 08.00 hingga 12.00": not a count 8-12
    extract_dates,  # "9 Agustus 2022": not a count 9 and a count 2022
    extract_ordinals,  # "kelas 7", "HUT ke-110": not counts
    extract_places,  # "kantor Dispendukcapil", "RW 05": a place, not an agency or a count
    extract_quantities,  # the numbers left are counts
    extract_roles,  # "Kepala Dinkes": a role (its agency in detail), not an agency
    extract_agencies,  # agencies named on their own
)
"""The extractors `extract_facts` runs, in order. The order is the contract: each extractor
reads only spans no earlier one has taken, so a text is read the way the first extractor that
claims it says (a date is not also a quantity, a phone number not an amount). To add a kind of
fact, write an `Extractor` in its own module and put it here, before the extractors that would
otherwise misread its text. Polarity is not in the list: a negation's scope overlaps the facts it
negates, so `extract_polarity` reads the whole text afterwards."""


def extract_facts(text: str, *, reference: date | datetime | None = None) -> list[Fact]:
    """All facts in `text`, ordered by position; relative dates resolved against `reference`."""
    spans = Spans()
    facts: list[Fact] = []
    for extractor in EXTRACTORS:
        facts.extend(extractor(text, spans=spans))
    facts = resolve_relative_dates(facts, reference)
    polarity = extract_polarity(text)
    facts.extend(zero_counts(polarity, spans))
    facts = mark_negated(facts, polarity)
    facts.extend(polarity)
    return sorted(facts, key=lambda f: (f.start, f.end))


__all__ = [
    "DAYS",
    "DAY_NAMES",
    "DENIALS",
    "EXTRACTORS",
    "MONTH_NAMES",
    "NEGATORS",
    "OTHER_BODIES",
    "ROLES",
    "DateValue",
    "Extractor",
    "Fact",
    "Spans",
    "describe_date",
    "describe_value",
    "extract_agencies",
    "extract_dates",
    "extract_facts",
    "extract_money",
    "extract_ordinals",
    "extract_percentages",
    "extract_phones",
    "extract_places",
    "extract_polarity",
    "extract_quantities",
    "extract_quotes",
    "extract_regulations",
    "extract_roles",
    "extract_times",
    "format_rupiah",
    "parse_number",
    "parse_number_words",
    "place_key",
]
