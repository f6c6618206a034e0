"""Regulations a message cites ("Perwali Nomor 12 Tahun 2024"), looked up in the JDIH register
Saring archives.

Each citation of a city regulation (Peraturan Wali Kota, Peraturan Daerah, Keputusan Wali Kota,
Surat Edaran) found by the regulation extractor (`verify.facts.extract_regulations`) gets one
remark:

- ``found``: the register lists it; the remark carries its title, status and link;
- ``not_found``: the register holds regulations of that kind from years around the cited one
  (the cited year lies within the years it covers), yet not this number. That is worth saying
  (a forged "Perwali" is a common rumour) but never a verdict: the archived register may be
  incomplete or out of date, so the page says "tidak ditemukan dalam daftar JDIH yang
  diarsipkan Saring" and nothing more;
- ``not_covered``: the register holds nothing of that kind, or nothing from that year's range,
  so it cannot say anything.

Citations of national rules (UU, PP, Perpres, Permen ...) are not the city's and get no remark.
The verdict of the claim check is not changed by any remark.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Protocol

from verify.facts import extract_regulations

log = logging.getLogger(__name__)

# Kinds the city's JDIH lists (codes of the regulation extractor and of archive.register).
CITY_KINDS = ("perwal", "perda", "sk", "se")
MAX_REMARKS = 5


class RegisterLookup(Protocol):
    """What the remarks need of the register (`archive.register.Register`)."""

    def find(self, kind: str, number: str, year: int) -> Any | None:
        """The regulation of that kind, number and year, or None."""
        ...

    def years(self, kind: str) -> tuple[int, int] | None:
        """First and last year the register holds regulations of `kind`, or None."""
        ...


@dataclass(frozen=True)
class RegulationRemark:
    """What the register says about one regulation the message cites."""

    cited: str  # as the message wrote it
    kind: str
    number: str
    year: int
    state: str  # found, not_found or not_covered
    title: str = ""
    status: str = ""
    url: str = ""
    name: str = ""  # the register's full name of the regulation
    first_year: int | None = None  # the years the register covers for this kind
    last_year: int | None = None

    def to_json(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return {
            "cited": self.cited,
            "kind": self.kind,
            "number": self.number,
            "year": self.year,
            "state": self.state,
            "title": self.title,
            "status": self.status,
            "url": self.url,
            "name": self.name,
            "register_years": [self.first_year, self.last_year] if self.first_year else None,
        }


def regulation_remarks(register: RegisterLookup, text: str) -> list[RegulationRemark]:
    """One remark per distinct city regulation `text` cites (at most MAX_REMARKS); none when the
    register cannot be read (a remark must never sink the check it accompanies)."""
    try:
        return _remarks(register, text)
    except Exception:
        log.exception("regulation lookup failed")
        return []


def _remarks(register: RegisterLookup, text: str) -> list[RegulationRemark]:
    remarks: list[RegulationRemark] = []
    seen: set[str] = set()
    for fact in extract_regulations(text):
        kind, _, rest = str(fact.value).partition(" ")
        number, _, year_text = rest.partition("/")
        if kind not in CITY_KINDS or fact.value in seen or not year_text.isdigit():
            continue
        seen.add(str(fact.value))
        remarks.append(_remark(register, fact.text, kind, number, int(year_text)))
        if len(remarks) >= MAX_REMARKS:
            break
    return remarks


def _remark(
    register: RegisterLookup, cited: str, kind: str, number: str, year: int
) -> RegulationRemark:
    found = register.find(kind, number, year)
    span = register.years(kind)
    first, last = span if span else (None, None)
    if found is not None:
        return RegulationRemark(
            cited, kind, number, year, "found", found.title, found.status, found.url,
            found.name, first, last,
        )  # fmt: skip
    covered = span is not None and span[0] <= year <= span[1]
    state = "not_found" if covered else "not_covered"
    return RegulationRemark(cited, kind, number, year, state, first_year=first, last_year=last)
