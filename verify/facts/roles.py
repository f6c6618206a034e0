"""Who: office holders ("Wali Kota", "Sekda", "Kepala Dishub"), the person named right after a role
("Kepala Dinkes Kota Malang, Husnul Muarif"), and agencies by abbreviation or full name.

A role's value is its canonical name ("sekda" -> "sekretaris daerah"; "Kepala Dishub" is a
"kepala dinas" with ``detail["agency"]``); a person's the lower-cased name; an agency's its full
name in lower case, from the city's OPD list (`index.names.AGENCIES`) and `OTHER_BODIES`.
"""

from __future__ import annotations

import re
from functools import cache

from archive.months import FULL_MONTHS
from index.names import AGENCIES
from verify.facts.dates import DAYS
from verify.facts.fact import Fact, Spans

ROLES: dict[str, tuple[str, ...]] = {
    "pj wali kota": ("pj wali kota", "pj. wali kota", "penjabat wali kota", "pj walikota"),
    "wakil wali kota": ("wakil wali kota", "wakil walikota", "wawali"),
    "wali kota": ("wali kota", "walikota", "walkot"),
    "sekretaris daerah": ("sekretaris daerah", "sekda", "pj sekda", "plt sekda"),
    "kepala dinas": ("kepala dinas", "kadis", "kadin"),
    "kepala badan": ("kepala badan", "kaban"),
    "kepala bagian": ("kepala bagian", "kabag"),
    "kepala bidang": ("kepala bidang", "kabid"),
    "kepala seksi": ("kepala seksi", "kasi"),
    "kepala upt": ("kepala upt",),
    "kepala pelaksana": ("kepala pelaksana", "kalaksa"),
    "kepala sekolah": ("kepala sekolah", "kasek"),
    "sekretaris dinas": ("sekretaris dinas", "sekdin"),
    "direktur utama": ("direktur utama", "dirut"),
    "direktur": ("direktur",),
    "camat": ("camat",),
    "lurah": ("lurah",),
    "ketua dprd": ("ketua dprd",),
    "anggota dprd": ("anggota dprd", "anggota dewan", "legislator"),
    "gubernur": ("gubernur",),
    "wakil gubernur": ("wakil gubernur", "wagub"),
    "presiden": ("presiden",),
    "wakil presiden": ("wakil presiden", "wapres"),
    "menteri": ("menteri",),
    "kapolresta": ("kapolresta", "kapolres"),
    "kapolda": ("kapolda",),
    "dandim": ("dandim",),
    "ketua rt": ("ketua rt",),
    "ketua rw": ("ketua rw",),
}
# "Kepala Dishub" and similar name the head of an agency.
_HEAD_OF = re.compile(r"\bkepala\s+(?P<agency>[A-Z][\w-]+(?:\s+PP)?)", re.IGNORECASE)

# Capitalised words after a role that describe the office, not the person holding it.
_OFFICE_WORDS = frozenset(
    """kota malang kabupaten provinsi jawa timur jatim dinas badan bagian bidang kepala pemkot
    pemerintah ri republik indonesia daerah umum""".split()
)
_CAPITALISED = re.compile(r"[A-Z][a-z'’]+(?:-[A-Z]?[a-z'’]+)?\.?")

# Bodies outside the city's own OPD list that releases and rumours name.
OTHER_BODIES: dict[str, str] = {
    "BMKG": "Badan Meteorologi, Klimatologi, dan Geofisika",
    "BPS": "Badan Pusat Statistik",
    "Kemensos": "Kementerian Sosial",
    "Kemendagri": "Kementerian Dalam Negeri",
    "Kemenkes": "Kementerian Kesehatan",
    "Kemenag": "Kementerian Agama",
    "Kemendikbud": "Kementerian Pendidikan dan Kebudayaan",
    "Pemprov Jatim": "Pemerintah Provinsi Jawa Timur",
    "BPJS Kesehatan": "BPJS Kesehatan",
    "BPJS Ketenagakerjaan": "BPJS Ketenagakerjaan",
    "PLN": "PT PLN",
    "Polresta": "Polresta Malang Kota",
    "Polresta Malang Kota": "Polresta Malang Kota",
    "Satlantas": "Satlantas Polresta Malang Kota",
    "kepolisian": "Kepolisian",
    "Polri": "Kepolisian",
    "TNI": "TNI",
    "Kodim": "Kodim 0833",
    "KONI": "KONI Kota Malang",
    "Bank Jatim": "Bank Jatim",
    "Himbara": "Himbara",
    "PT Pos": "PT Pos Indonesia",
    "Kantor Pos": "PT Pos Indonesia",
    "Pos Indonesia": "PT Pos Indonesia",
    "BGN": "Badan Gizi Nasional",
    "Badan Gizi Nasional": "Badan Gizi Nasional",
    "DPRD": "Dewan Perwakilan Rakyat Daerah Kota Malang",
    # Other spellings of the city's own agencies seen in messages and older pages.
    "Dinsos": "Dinas Sosial, Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk "
    "dan Keluarga Berencana",
    "Dindik": "Dinas Pendidikan dan Kebudayaan",
    "Disdik": "Dinas Pendidikan dan Kebudayaan",
    "Diskoperindag": "Dinas Koperasi, Perindustrian dan Perdagangan",
    "Diskopindag": "Dinas Koperasi, Perindustrian dan Perdagangan",
    "Disnaker": "Dinas Tenaga Kerja, Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
    "Satpol": "Satuan Polisi Pamong Praja",
    "Dinas Pendidikan": "Dinas Pendidikan dan Kebudayaan",
    "Dinas Sosial": "Dinas Sosial, Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian "
    "Penduduk dan Keluarga Berencana",
    "Pemerintah Kota Malang": "Pemerintah Kota Malang",
    "Pemkot Malang": "Pemerintah Kota Malang",
    "PDAM": "Perumda Air Minum Tugu Tirta",
    "Damkar": "UPT Pemadam Kebakaran",
}


@cache
def _role_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    spellings = {spelling: role for role, forms in ROLES.items() for spelling in forms}
    alternatives = sorted(
        (re.escape(s).replace(r"\ ", r"\s+") for s in spellings), key=len, reverse=True
    )
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE), spellings


@cache
def _agency_lookup() -> dict[str, str]:
    """Lower-cased abbreviation or full name -> canonical full name (lower case)."""
    lookup: dict[str, str] = {}
    for abbreviation, full in [*AGENCIES.items(), *OTHER_BODIES.items()]:
        canonical = full.lower()
        lookup[abbreviation.lower()] = canonical
        lookup[full.lower()] = canonical
    return lookup


@cache
def _agency_pattern() -> re.Pattern[str]:
    names = sorted(_agency_lookup(), key=len, reverse=True)
    alternatives = (re.escape(n).replace(r"\ ", r"\s+") for n in names)
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.IGNORECASE)


def extract_roles(text: str, *, spans: Spans | None = None) -> list[Fact]:
    """Office holders and the person named after each: "Wali Kota", "Sekda", "Kepala Dishub"."""
    spans = Spans() if spans is None else spans
    found = []
    pattern, spellings = _role_pattern()
    agencies = _agency_lookup()
    for match in _HEAD_OF.finditer(text):
        agency = agencies.get(match.group("agency").lower())
        if agency is None or not spans.free(match.start(), match.end()):
            continue
        spans.take(match.start(), match.end())
        found.append(
            Fact(
                "role",
                match.group(0),
                "kepala dinas",
                match.start(),
                match.end(),
                detail={"agency": agency},
            )
        )
        found.extend(_person_after(text, match.end(), spans))
    for match in pattern.finditer(text):
        role = spellings[" ".join(match.group(0).lower().split())]
        if not spans.free(match.start(), match.end()):
            continue
        spans.take(match.start(), match.end())
        found.append(Fact("role", match.group(0), role, match.start(), match.end()))
        found.extend(_person_after(text, match.end(), spans))
    return found


def _person_after(text: str, position: int, spans: Spans) -> list[Fact]:
    """The person named right after a role: "Kepala Dinkes Kota Malang, Husnul Muarif"."""
    window = text[position : position + 120]
    offset = 0
    for segment in window.split(",")[:3]:
        run: list[re.Match[str]] = []
        cursor = len(segment) - len(segment.lstrip())
        for word in re.finditer(r"\S+", segment):
            if word.start() != cursor or not _CAPITALISED.fullmatch(word.group(0).rstrip(".")):
                break
            run.append(word)
            cursor = word.end() + 1
            while cursor < len(segment) and segment[cursor] == " ":
                cursor += 1
        names = [w.group(0).lower().rstrip(".") for w in run]
        if not run:
            return []
        if names[-1] in _OFFICE_WORDS or _agency_lookup().get(" ".join(names)):
            offset += len(segment) + 1  # "Kota Malang," describes the office: the name follows
            continue
        while run and names[0] in _OFFICE_WORDS:
            run, names = run[1:], names[1:]
        kept = []
        for word, name in zip(run, names, strict=True):
            if name in DAYS or name in FULL_MONTHS or name in _OFFICE_WORDS:
                break
            kept.append(word)
        if not kept or (len(kept) == 1 and len(names[0]) < 4):
            return []
        start = position + offset + kept[0].start()
        end = position + offset + kept[-1].end()
        if not spans.free(start, end):
            return []
        spans.take(start, end)
        value = " ".join(w.group(0).rstrip(".") for w in kept).lower()
        return [Fact("person", text[start:end], value, start, end)]
    return []


def extract_agencies(text: str, *, spans: Spans | None = None) -> list[Fact]:
    """Agencies by abbreviation or full name: "Dispendukcapil", "Badan Pendapatan Daerah"."""
    spans = Spans() if spans is None else spans
    found = []
    lookup = _agency_lookup()
    for match in _agency_pattern().finditer(text):
        surface = match.group(0)
        if surface.islower() and len(surface) <= 4 and surface not in {"pos"}:
            continue  # "tni" in running lower-case text is unlikely to be meant
        canonical = lookup[" ".join(surface.lower().split())]
        if not spans.free(match.start(), match.end()):
            continue
        spans.take(match.start(), match.end())
        found.append(Fact("agency", surface, canonical, match.start(), match.end()))
    return found
