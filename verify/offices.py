"""Who held which Kota Malang office when, and whether a claim names the wrong person for a date.

The table is `verify/data/offices.tsv`: one line per term (office, person, other forms of the
name, start and end, how sure each boundary is, acting title, source); its header comments say
what each column holds. Boundaries the sources give only to the month or year, or only within a
window of dates, are kept that vague: a term *may* cover a day inside such a window but does not
*surely* cover it.

`office_mismatch` calls a mismatch only when both sides are certain: the person named did not
hold the office that day (none of their terms may cover it) and someone surely did. An unknown
or ambiguous name, an office the table does not track, or a day that no term surely covers gives
None. "Pj Wali Kota" is the office "wali kota" held by an acting holder; for a mismatch the title
is not held against anyone: the definitive mayor called "Pj" (or a Pj called "Wali Kota") held
the office all the same.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

from archive.messages import N_, CalendarDate
from verify.facts import ROLES

OFFICES_PATH = Path(__file__).resolve().parent / "data" / "offices.tsv"
COLUMNS = tuple("office person aliases start start_sure end end_sure acting source".split())
SURENESS = ("exact", "month", "year", "unknown")
ACTING_TITLES = ("Pj", "Pjs", "Plt", "Plh")
# Role values (verify.facts.ROLES) that name an acting holder of another office.
ACTING_OFFICES = {"pj wali kota": "wali kota"}
OFFICE_TITLES = {
    "wali kota": "Wali Kota Malang",
    "wakil wali kota": "Wakil Wali Kota Malang",
    "sekretaris daerah": "Sekretaris Daerah Kota Malang",
    "kapolresta": "Kapolresta Malang Kota",
}
# Honorifics, ranks and degrees written around a name; they never identify the person.
NAME_TITLES = frozenset(
    """h hj haji drs dra dr ir prof pak bu ibu bapak mas mbak abah bung cak kombes kombespol
    pol akbp kompol sh se st mt mm msi mh sik sos ssos map mpd spd""".split()
)
_FORMATS = {"exact": r"\d{4}-\d{2}-\d{2}", "month": r"\d{4}-\d{2}", "year": r"\d{4}"}
_NAME_TOKEN = re.compile(r"[^\W\d_]+(?:['’.][^\W\d_]+)*\.?")


class OfficeTableError(ValueError):
    """The offices table is unreadable or has a bad line; the message starts with file:line."""


@dataclass(frozen=True)
class Boundary:
    """When a term began or ended: some day between `earliest` and `latest` (equal when exact)."""

    earliest: date
    latest: date
    sure: str  # "exact", "month", "year" or "unknown"

    def describe(self) -> str:
        """The boundary in Indonesian: "24 September 2018", "Juni 2018", "2017", "antara ..."."""
        day = self.earliest
        if self.sure == "exact":
            return format_day(day)
        if self.sure == "month":
            return CalendarDate(day.year, day.month)
        if self.sure == "year":
            return CalendarDate(day.year)
        if self.earliest == date.min:
            return N_("paling lambat %(day)s", day=format_day(self.latest))
        if self.latest == date.max:
            return N_("paling cepat %(day)s", day=format_day(self.earliest))
        return N_(
            "antara %(first)s dan %(last)s",
            first=format_day(self.earliest),
            last=format_day(self.latest),
        )


@dataclass(frozen=True)
class Term:
    """One person's term in one office: one line of the table."""

    office: str
    person: str
    aliases: tuple[str, ...]
    start: Boundary
    end: Boundary | None  # None: still in office
    acting: str  # "Pj", "Pjs", "Plt" or "Plh"; empty for a definitive holder
    source: str
    line: int

    def may_hold(self, day: date) -> bool:
        """True when the sources allow that the person held the office on `day`."""
        return self.start.earliest <= day <= (self.end.latest if self.end else date.max)

    def surely_holds(self, day: date) -> bool:
        """True when the person held the office on `day` whatever the uncertain boundaries hide."""
        return self.start.latest <= day <= (self.end.earliest if self.end else date.max)

    def period(self) -> str:
        """The term in Indonesian: "1 Juni 2021 – 3 Juni 2021", "sejak 20 Februari 2025"."""
        if self.end is None:
            return N_("sejak %(start)s", start=self.start.describe())
        if self.start.earliest == date.min:  # only the end is known
            return N_("hingga %(end)s", end=self.end.describe())
        return N_("%(start)s – %(end)s", start=self.start.describe(), end=self.end.describe())

    def held(self) -> str:
        """The term with its acting title, if any: "sejak 2025", "Juni 2018 – 2018 (Plt)"."""
        if self.acting:
            return N_("%(period)s (%(acting)s)", period=self.period(), acting=self.acting)
        return self.period()


@dataclass(frozen=True)
class Mismatch:
    """A claim that names the wrong holder of an office for a date, with who held it then."""

    claimed: str  # the name as the claim wrote it
    person: str  # the table's name for that person
    office: str  # canonical office ("wali kota" for a claimed "pj wali kota")
    on: date
    holders: tuple[Term, ...]  # the terms that surely covered the day
    person_terms: tuple[Term, ...]  # the person's own terms in this office, at other times

    def describe(self) -> str:
        """One Indonesian sentence: who held the office that day and when the named person did."""
        holders = _and(
            [
                N_("%(person)s (%(acting)s, %(period)s)", person=t.person, acting=t.acting,
                   period=t.period())
                if t.acting
                else N_("%(person)s (%(period)s)", person=t.person, period=t.period())
                for t in self.holders
            ]
        )  # fmt: skip
        day, title = format_day(self.on), office_title(self.office)
        if not self.person_terms:
            return N_("Pada %(day)s, %(office)s dijabat oleh %(holders)s.", day=day, office=title,
                      holders=holders)  # fmt: skip
        return N_(
            "Pada %(day)s, %(office)s dijabat oleh %(holders)s; %(person)s menjabat %(office)s "
            "%(periods)s.",
            day=day, office=title, holders=holders, person=self.person,
            periods=_and([t.held() for t in self.person_terms]),
        )  # fmt: skip


def _and(items: list[str]) -> str:
    """Items joined with "dan" ("and" on an English page)."""
    if not items:
        return ""
    joined = items[0]
    for item in items[1:]:
        joined = N_("%(first)s dan %(then)s", first=joined, then=item)
    return joined


def format_day(day: date) -> str:
    """A day written the Indonesian way: "12 Maret 2025"."""
    return CalendarDate.of(day)


def office_title(office: str) -> str:
    """The office as a page shows it: "wali kota" -> "Wali Kota Malang"."""
    return OFFICE_TITLES.get(office, f"{office.title()} Kota Malang")


# -- the table -------------------------------------------------------------------------------


@cache
def load_terms(path: Path = OFFICES_PATH) -> tuple[Term, ...]:
    """Every term of the table at `path`, validated; raises OfficeTableError naming file:line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise OfficeTableError(f"{path}: cannot read the offices table: {error}") from error
    terms: list[Term] = []
    header = False
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = [field.strip() for field in line.split("\t")]
        try:
            if not header:
                if tuple(fields) != COLUMNS:
                    raise ValueError(f"the header must be the columns {', '.join(COLUMNS)}")
                header = True
            elif len(fields) != len(COLUMNS):
                raise ValueError(f"expected {len(COLUMNS)} tab-separated fields, not {len(fields)}")
            else:
                terms.append(_term(dict(zip(COLUMNS, fields, strict=True)), number))
        except ValueError as error:
            raise OfficeTableError(f"{path}:{number}: {error}") from None
    if not header:
        raise OfficeTableError(f"{path}: no header line ({', '.join(COLUMNS)})")
    return tuple(terms)


def _term(row: dict[str, str], number: int) -> Term:
    office = row["office"]
    if office not in ROLES or office in ACTING_OFFICES:
        raise ValueError(f"unknown office {office!r}: use a role value of verify.facts.ROLES")
    if not row["person"] or not _words(row["person"]):
        raise ValueError("the person's name is empty")
    if row["acting"] and row["acting"] not in ACTING_TITLES:
        raise ValueError(f"acting must be empty or one of {', '.join(ACTING_TITLES)}")
    if not row["source"]:
        raise ValueError("the source is empty")
    start = _boundary(row["start"], row["start_sure"], "start")
    end = None
    if row["end"] or row["end_sure"]:
        end = _boundary(row["end"], row["end_sure"], "end")
        if end.latest < start.earliest:
            raise ValueError("the term ends before it starts")
    aliases = tuple(a.strip() for a in row["aliases"].split(";") if a.strip())
    return Term(office, row["person"], aliases, start, end, row["acting"], row["source"], number)


def _boundary(text: str, sure: str, column: str) -> Boundary:
    if sure not in SURENESS:
        raise ValueError(f"{column}_sure must be one of {', '.join(SURENESS)}, not {sure!r}")
    if sure == "unknown":
        first, dots, last = text.partition("..")
        if not dots or not (first or last):
            raise ValueError(f"an unknown {column} is a window EARLIEST..LATEST, not {text!r}")
        earliest = _date(first, column) if first else date.min
        latest = _date(last, column) if last else date.max
        if earliest > latest:
            raise ValueError(f"the {column} window {text!r} ends before it begins")
        return Boundary(earliest, latest, sure)
    if not re.fullmatch(_FORMATS[sure], text):
        shape = {"exact": "YYYY-MM-DD", "month": "YYYY-MM", "year": "YYYY"}[sure]
        raise ValueError(f"a {column} sure to the {sure} is written {shape}, not {text!r}")
    if sure == "exact":
        day = _date(text, column)
        return Boundary(day, day, sure)
    if sure == "year":
        return Boundary(_date(f"{text}-01-01", column), _date(f"{text}-12-31", column), sure)
    first = _date(f"{text}-01", column)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return Boundary(first, last, sure)


def _date(text: str, column: str) -> date:
    if re.fullmatch(_FORMATS["exact"], text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise ValueError(f"the {column} {text!r} is not a valid YYYY-MM-DD date")


# -- names -----------------------------------------------------------------------------------


def _words(name: str) -> list[str]:
    """The words of a name, lower-cased, without titles or degrees; an initial is one letter."""
    tokens = (re.sub(r"['’.]", "", t) for t in _NAME_TOKEN.findall(name.lower()))
    return [t for t in tokens if t and t not in NAME_TITLES]


@cache
def _vocabulary() -> dict[str, frozenset[str]]:
    """Person -> every word of their name and of its other forms in the table."""
    words: dict[str, set[str]] = {}
    for term in load_terms():
        for form in (term.person, *term.aliases):
            words.setdefault(term.person, set()).update(_words(form))
    return {person: frozenset(found) for person, found in words.items()}


def _refers_to(words: list[str], vocabulary: frozenset[str]) -> bool:
    full = [w for w in words if len(w) > 1]
    initials = [w for w in words if len(w) == 1]
    return (
        bool(full)
        and all(w in vocabulary for w in full)
        and all(any(v.startswith(i) for v in vocabulary) for i in initials)
    )


def find_person(name: str) -> list[Term]:
    """Every term of the person `name` refers to (of each, if it fits several); [] if none."""
    words = _words(name)
    people = {person for person, known in _vocabulary().items() if _refers_to(words, known)}
    return [t for t in load_terms() if t.person in people]


# -- questions -------------------------------------------------------------------------------


def _office(office: str) -> tuple[str, bool]:
    """(canonical office, whether the title names an acting holder)."""
    key = " ".join(office.lower().split())
    return ACTING_OFFICES.get(key, key), key in ACTING_OFFICES


def _day(on: date) -> date:
    return on.date() if isinstance(on, datetime) else on


def holders(office: str, on: date) -> list[Term]:
    """Who held (or acted in) `office` on `on`; several around an uncertain boundary or handover."""
    key, acting = _office(office)
    day = _day(on)
    return [
        t for t in load_terms() if t.office == key and t.may_hold(day) and (t.acting or not acting)
    ]


def office_mismatch(office: str, person: str, on: date) -> Mismatch | None:
    """A Mismatch if `person` surely did not hold `office` on `on` and someone surely did."""
    key, _ = _office(office)
    day = _day(on)
    terms = [t for t in load_terms() if t.office == key]
    theirs = find_person(person)
    if not terms or len({t.person for t in theirs}) != 1:
        return None  # an office the table does not track, or an unknown or ambiguous name
    own = tuple(t for t in theirs if t.office == key)
    if any(t.may_hold(day) for t in own):
        return None
    sure = tuple(t for t in terms if t.surely_holds(day))
    if not sure:
        return None  # nobody is certain that day: a gap or an uncertain window
    return Mismatch(
        claimed=person, person=theirs[0].person, office=key, on=day, holders=sure, person_terms=own
    )
