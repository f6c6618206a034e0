"""Places in Kota Malang: kecamatan and kelurahan from the gazetteer (`index.names`), venues,
streets, and names after a place word ("Gedung ...", "Jl. ...", "RW 05").

A place's value is a spelling-insensitive key (`place_key`), its ``unit`` the place type:
"street", "site", "river", "area", "region", "rw" or "rt".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from index.names import ALIASES, KECAMATAN, VENUES
from verify.facts.fact import Fact, Spans
from verify.facts.numbers import parse_int, word_before

_PLACE_HEADS = {
    "jalan": "street",
    "jl": "street",
    "jln": "street",
    "gang": "street",
    "gg": "street",
    "gedung": "site",
    "gor": "site",
    "hotel": "site",
    "pasar": "site",
    "taman": "site",
    "terminal": "site",
    "stasiun": "site",
    "stadion": "site",
    "lapangan": "site",
    "balai": "site",
    "kantor": "site",
    "posko": "site",
    "mal": "site",
    "puskesmas": "site",
    "rsud": "site",
    "rs": "site",
    "sdn": "site",
    "smpn": "site",
    "sman": "site",
    "smkn": "site",
    "sd": "site",
    "smp": "site",
    "sma": "site",
    "smk": "site",
    "perumahan": "site",
    "jembatan": "site",
    "kampung": "site",
    "alun-alun": "site",
    "tugu": "site",
    "kali": "river",
    "sungai": "river",
    "kelurahan": "area",
    "kecamatan": "area",
    "kel": "area",
    "kec": "area",
    "desa": "area",
    "dusun": "area",
    "kabupaten": "region",
    "kota": "region",
    "rw": "rw",
    "rt": "rt",
}
_PLACE_HEAD = re.compile(
    r"\b(?P<head>(?i:"
    + "|".join(sorted((re.escape(h) for h in _PLACE_HEADS), key=len, reverse=True))
    + r"))(?P<dot>\.)?[ \t]+"
    r"(?P<name>(?:[A-Z0-9][\w'-]*)(?:[ \t]+(?:[A-Z0-9][\w'-]*)){0,3})",
)
# Heads written abbreviated with a full stop ("Jl. Ijen"); after any other head a full stop
# ends the sentence, and the capitalised word after it is no name ("di jalan. Monggo dicek").
_ABBREVIATED = frozenset({"jl", "jln", "gg", "kel", "kec"})
# Words that end a place name even when capitalised (a sentence start after the name, roles,
# and the times of day a title capitalises: "Layanan Singgah Perumahan Malam Hari").
_NAME_STOPS = frozenset(
    """Pada Pukul Senin Selasa Rabu Kamis Jumat Sabtu Minggu Kota Malang Dinas Badan Kepala Wali
    Yang Dan Di Ke Dari Untuk Sejak Mulai Hingga Sampai Bersama Oleh Serta Bapak Ibu Pak Bu
    Monggo Warga Pagi Siang Sore Malam Hari""".split()
)

# Words after which a gazetteer name written in lower case is read as a place: several names of
# Malang's kelurahan are also everyday words ("bareng", "sukun", "kasin").
_LOCATIVE_CUES = frozenset(
    """di ke dari daerah wilayah kawasan sekitar warga kelurahan kecamatan kel kec desa arah
    dekat depan belakang samping seputar area""".split()
)


@dataclass(frozen=True)
class _Name:
    canonical: str
    type: str


@cache
def _gazetteer() -> tuple[re.Pattern[str], dict[str, _Name]]:
    """One pattern for every gazetteer name and alias, longest first."""
    names: dict[str, _Name] = {}
    for kecamatan, kelurahan in KECAMATAN.items():
        names[kecamatan.lower()] = _Name(kecamatan, "area")
        for name in kelurahan:
            names[name.lower()] = _Name(name, "area")
    for alias, name in ALIASES.items():
        names[alias.lower()] = _Name(name, "area")
    for venue in VENUES:
        kind = "street" if venue.lower().startswith("jalan") else "site"
        names[venue.lower()] = _Name(venue, kind)
    alternatives = sorted(
        (re.escape(n).replace(r"\ ", r"\s+") for n in names), key=len, reverse=True
    )
    pattern = re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)
    return pattern, names


def place_key(name: str) -> str:
    """A spelling-insensitive key of a place name: lower case, no "jl."/"jalan" prefix noise."""
    key = name.lower().replace("jl.", "jalan").replace("jln.", "jalan")
    key = re.sub(r"^(?:jl|jln)\s", "jalan ", key)
    key = re.sub(r"[^\w\s-]", " ", key)
    return " ".join(key.split())


def extract_places(text: str, *, spans: Spans | None = None) -> list[Fact]:
    """Places in Malang: kecamatan, kelurahan, venues, streets, "Gedung ...", "RW 05"."""
    spans = Spans() if spans is None else spans
    found: list[Fact] = []
    pattern, names = _gazetteer()
    for match in _PLACE_HEAD.finditer(text):
        head = match.group("head").lower()
        if match.group("dot") and head not in _ABBREVIATED:
            continue
        words = match.group("name").split()
        kept = []
        for word in words:
            if (word in _NAME_STOPS and not (word == "Malang" and not kept)) or (
                kept and word.isdigit() and head not in {"rw", "rt"} and len(word) > 3
            ):
                break  # "Malang" may open a name ("Gedung Malang Creative Center")
            kept.append(word.strip(",."))
        if not kept:
            continue
        if head in {"rw", "rt"}:
            number = parse_int(kept[0])
            if number is None:
                continue  # "RW 1²", "RW 999…": no neighbourhood number
            value = f"{head} {number}"
            kept = kept[:1]
        elif kept[0].isdigit():
            continue
        else:
            value = place_key(f"{head} {' '.join(kept)}")
        kind = _PLACE_HEADS[head]
        if head == "kota" and (
            kept[0].lower() == "malang" or word_before(text, match.start()) == "wali"
        ):
            continue  # the city itself, or an office: "Wali Kota Wahyu Hidayat"
        end = match.start("name") + len(" ".join(kept))
        if kind == "area":
            known = names.get(" ".join(kept).lower())
            if known:
                value = place_key(known.canonical)
        if not spans.free(match.start(), end):
            continue
        spans.take(match.start(), end)
        found.append(Fact("place", text[match.start() : end], value, match.start(), end, unit=kind))
    for match in pattern.finditer(text):
        name = names.get(" ".join(match.group(0).lower().split()))
        if name is None or not spans.free(match.start(), match.end()):
            continue
        if match.group(0).islower() and word_before(text, match.start()) not in _LOCATIVE_CUES:
            continue  # "kerja bareng": a place name in lower case is a place only after "di" ...
        spans.take(match.start(), match.end())
        found.append(
            Fact(
                "place",
                match.group(0),
                place_key(name.canonical),
                match.start(),
                match.end(),
                unit=name.type,
            )
        )
    return found
