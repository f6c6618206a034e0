"""How each kind of fact is compared: one `KindRule` per fact kind, in one table.

A rule answers, for two facts of its kind (the claim's and an official one):

- `comparable`: do they speak of the same sort of thing (money per kilo against money per
  kilo, a count of puskesmas against a count of puskesmas, a street against a street)?
- `same`: do they state the same value (ranges, hedged figures and partial dates included)?
- `distinctive`: is the claim's value unlikely to recur by chance (777, Rp3.736.101, a full
  date), so that finding it is strong evidence?
- `deniable`: can a denial deny it ("membantah kabar tarif naik menjadi Rp15 ribu")?
- `counted`: is it a number of something (its unit weighs in when lining facts up)?
- `named`: is it a name the release may use anywhere (a place named elsewhere in the release is
  never called a difference on the strength of another name nearby)?
- `group`: the family it is reported under (numbers, time, place, who, rule, other), used by
  the verdict's features; `label`: how an explanation names it (an `archive.messages.Message`,
  Indonesian text that a page in English says in English).

`verify.compare` lines facts up and asks these rules; nothing else knows the kinds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from archive.messages import N_
from index.names import KECAMATAN
from verify.facts import DateValue, Fact, place_key

# Relative tolerance when comparing numbers: exact figures, and hedged ones ("sekitar").
EXACT_TOLERANCE = 0.0005
HEDGED_TOLERANCE = 0.12
HEDGES = frozenset(
    {"sekitar", "kurang lebih", "hampir", "lebih dari", "lebih", "mencapai", "di atas",
     "setidaknya", "sedikitnya", "kurang dari", "di bawah", "capai", "tembus", "menembus"}
)  # fmt: skip
# "tidak ada yang meninggal" is a count of zero, comparable only with counts of the same thing.
ZERO_QUALIFIERS = frozenset({"tidak ada", "tanpa", "nihil", "tiada"})
# Generic counters: "10 orang" can be a count of any kind of people.
GENERIC_UNITS = frozenset({"", "orang", "jiwa", "buah", "unit", "total"})
MODAL_FAMILY = {"gratis": "cost", "bayar": "cost", "wajib": "rule", "dilarang": "rule",
                "boleh": "rule"}  # fmt: skip
PLACE_GROUPS = {"area": "area", "site": "site", "street": "site", "river": "river",
                "rw": "rw", "rt": "rt", "region": "region"}  # fmt: skip
ROLE_FAMILY = {"pj wali kota": "wali kota"}
CITY_GOVERNMENT = "pemerintah kota malang"
# Words of a place name that do not tell one place from another.
PLACE_WORDS = frozenset(
    """jalan gang gedung gor hotel pasar taman terminal stasiun stadion lapangan balai kantor
    posko mal puskesmas rsud rs sdn smpn sman smkn sd smp sma smk perumahan jembatan kampung
    alun-alun tugu kali sungai kelurahan kecamatan desa dusun kabupaten kota malang negeri rw rt
    kel kec""".split()
)


def _always(fact: Fact, other: Fact) -> bool:
    return True


def _never(fact: Fact) -> bool:
    return False


def _equal(fact: Fact, other: Fact) -> bool:
    return fact.value == other.value


@dataclass(frozen=True)
class KindRule:
    """How facts of one kind are compared; see the module docstring."""

    kind: str
    group: str
    label: str
    comparable: Callable[[Fact, Fact], bool] = _always
    same: Callable[[Fact, Fact], bool] = _equal
    distinctive: Callable[[Fact], bool] = _never
    deniable: bool = False
    counted: bool = False
    named: bool = False


# -- numbers ----------------------------------------------------------------------------------


def _hedged(fact: Fact, other: Fact) -> bool:
    return fact.qualifier in HEDGES or other.qualifier in HEDGES


def numbers_agree(a: tuple[float, float], b: tuple[float, float], hedged: bool) -> bool:
    """Whether two (low, high) figures agree: equal within tolerance, or one inside the other."""
    tolerance = HEDGED_TOLERANCE if hedged else EXACT_TOLERANCE

    def close(x: float, y: float) -> bool:
        return abs(x - y) <= tolerance * max(abs(x), abs(y), 1e-9)

    (a_low, a_high), (b_low, b_high) = a, b
    if close(a_low, b_low) and close(a_high, b_high):
        return True
    # one value inside the other's range ("Rp6-7 miliar" and "Rp6,5 miliar")
    if a_low == a_high and b_low <= a_low <= b_high and b_low != b_high:
        return True
    return b_low == b_high and a_low <= b_low <= a_high and a_low != a_high


def _same_number(fact: Fact, other: Fact) -> bool:
    return numbers_agree(fact.value, other.value, _hedged(fact, other))


def _distinctive_number(fact: Fact) -> bool:
    low, high = fact.value
    if low != high:
        return True
    digits = f"{low:.2f}".replace(".", "").strip("0")
    return len(digits) >= 3


def _money_comparable(fact: Fact, other: Fact) -> bool:
    return not (fact.unit and other.unit and fact.unit != other.unit)


def _units_compatible(fact: Fact, other: Fact) -> bool:
    """Counts of the same thing: equal units, a generic counter, or the unit right beside it."""
    if fact.unit == other.unit:
        return True
    zero = fact.qualifier in ZERO_QUALIFIERS or other.qualifier in ZERO_QUALIFIERS
    if not zero and (fact.unit in GENERIC_UNITS or other.unit in GENERIC_UNITS):
        return True
    # The counted noun follows the number ("tiga pasien meninggal" counts deaths too); a word
    # before it belongs to the previous number ("16 puskesmas dan 27 rumah sakit").
    return fact.unit in other.detail.get("following", ()) or (
        not zero and other.unit in fact.detail.get("following", ())
    )


def near_miss(fact: Fact, other: Fact) -> bool:
    """Whether two different numbers look like one distorted into the other.

    Rumours shift a decimal point (Rp7,4 miliar -> Rp74 miliar), drop or add a digit (3.200 ->
    32.000, 65 -> 165) or swap digits (108 -> 801, 84 -> 48). Two such numbers are most likely
    the same fact, so they line up more easily.
    """
    if fact.kind not in {"money", "quantity", "percent"} or other.kind != fact.kind:
        return False
    a, b = fact.value[0], other.value[0]
    if not a or not b or a == b:
        return False
    ratio = max(a, b) / min(a, b)
    if abs(ratio - round(ratio)) < 1e-9 and round(ratio) in {10, 100, 1000}:
        return True
    digits_a, digits_b = _digits(a), _digits(b)
    if min(len(digits_a), len(digits_b)) < 2:
        return False
    if sorted(digits_a) == sorted(digits_b):
        return True
    return _one_edit(digits_a, digits_b)


def _digits(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", "").lstrip("0") or "0"


def _one_edit(a: str, b: str) -> bool:
    """Whether one insertion, deletion or substitution turns a into b."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


# -- time -------------------------------------------------------------------------------------


def _dates_comparable(fact: Fact, other: Fact) -> bool:
    """Dates sharing a part, the official one as precise as the claim's.

    "2024" neither confirms nor denies "17 Juni 2024"; "7 Juni" does deny it.
    """
    a, b = fact.value, other.value
    if a is None or b is None:
        return False
    finest = 2 if a.day is not None else 1 if a.month is not None else 0
    if b.start()[finest] is None:
        return False
    return any(x is not None and y is not None for x, y in zip(a.start(), b.start(), strict=True))


def dates_agree(a: DateValue, b: DateValue) -> bool:
    """Agree when every part both dates give is the same (a date inside a range agrees)."""
    if a.end or b.end:
        return _inside(a, b) or _inside(b, a)
    if a.part and b.part and a.part != b.part:
        return False
    return all(x is None or y is None or x == y for x, y in zip(a.start(), b.start(), strict=True))


def _inside(inner: DateValue, outer: DateValue) -> bool:
    def key(parts: tuple[int | None, ...], fill: int) -> tuple[int, ...] | None:
        year, month, day = parts
        if year is None and month is None:
            return None
        return (year or 0, month or fill, day or (31 if fill == 12 else 1))

    outer_end = outer.end or outer.start()
    inner_end = inner.end or inner.start()
    years_known = all(
        p[0] is not None for p in (inner.start(), inner_end, outer.start(), outer_end)
    )
    if not years_known:  # compare month and day only
        strip = lambda p: (None, p[1], p[2])  # noqa: E731
        inner = DateValue(None, inner.month, inner.day, end=strip(inner_end))
        outer = DateValue(None, outer.month, outer.day, end=strip(outer_end))
        outer_end, inner_end = outer.end, inner.end
    lo, hi = key(outer.start(), 1), key(outer_end, 12)
    a, b = key(inner.start(), 1), key(inner_end, 12)
    if None in (lo, hi, a, b):
        return False
    if inner.start()[2] is None and outer.start()[2] is not None:
        a = a[:2] + (lo[2],) if a[:2] == lo[:2] else a
    return lo <= a and b <= hi


def _same_date(fact: Fact, other: Fact) -> bool:
    return dates_agree(fact.value, other.value)


def _full_date(fact: Fact) -> bool:
    return all(part is not None for part in fact.value.start())


def _same_time(fact: Fact, other: Fact) -> bool:
    (start, end), (other_start, other_end) = fact.value, other.value
    return start == other_start and (end is None or other_end is None or end == other_end)


# -- names ------------------------------------------------------------------------------------


def place_words(key: str) -> set[str]:
    """The words of a place key that tell it from other places ("jalan" and "kota" do not)."""
    return {w for w in key.replace("-", " ").split() if w not in PLACE_WORDS}


def places_agree(a: str, b: str) -> bool:
    """Same place when the names are equal or one's distinctive words are all in the other's."""
    if a == b:
        return True
    words_a, words_b = place_words(a), place_words(b)
    if not words_a or not words_b:
        return a.startswith(b) or b.startswith(a)
    return words_a <= words_b or words_b <= words_a


def _same_place(fact: Fact, other: Fact) -> bool:
    return places_agree(fact.value, other.value)


def _place_comparable(fact: Fact, other: Fact) -> bool:
    """Places of one sort are rival answers, except a kelurahan and the kecamatan it lies in:
    "Kelurahan Buring" and "Kecamatan Kedungkandang" name the same spot at two scales."""
    if PLACE_GROUPS.get(fact.unit) != PLACE_GROUPS.get(other.unit):
        return False
    return not _contains(fact.value, other.value) and not _contains(other.value, fact.value)


@cache
def _kecamatan_of() -> dict[str, str]:
    """Each kelurahan's place key -> its kecamatan's (`index.names.KECAMATAN`)."""
    return {place_key(k): place_key(kecamatan) for kecamatan, kelurahan in KECAMATAN.items()
            for k in kelurahan}  # fmt: skip


def _contains(area: str, part: str) -> bool:
    """Whether kecamatan `area` holds kelurahan `part` (both place keys, different names)."""
    return area != part and _kecamatan_of().get(part) == area


def name_words(name: str) -> set[str]:
    """The words of a person's name long enough to identify them."""
    return {w for w in name.replace(".", " ").split() if len(w) >= 3}


def _same_person(fact: Fact, other: Fact) -> bool:
    return bool(name_words(fact.value) & name_words(other.value))


def _same_role(fact: Fact, other: Fact) -> bool:
    return ROLE_FAMILY.get(fact.value, fact.value) == ROLE_FAMILY.get(other.value, other.value)


def _same_agency(fact: Fact, other: Fact) -> bool:
    # The city government speaks for each of its agencies.
    return fact.value == other.value or CITY_GOVERNMENT in {fact.value, other.value}


def place_key_words(text: str) -> set[str]:
    """The distinctive words of a place as written (for finding it anywhere in a release)."""
    key = place_key(text)
    return place_words(key) or {key}


# -- rules, quotes, the rest ------------------------------------------------------------------


def _modal_comparable(fact: Fact, other: Fact) -> bool:
    return MODAL_FAMILY[fact.value] == MODAL_FAMILY[other.value]


def _same_modal(fact: Fact, other: Fact) -> bool:
    return fact.value == other.value and fact.negated == other.negated


def _regulation_comparable(fact: Fact, other: Fact) -> bool:
    return fact.value.split()[0] == other.value.split()[0]


def _same_quote(fact: Fact, other: Fact) -> bool:
    """Quoted names agree when most words of the shorter one are in the longer one."""
    words_a, words_b = set(fact.value.split()), set(other.value.split())
    shorter = min(len(words_a), len(words_b))
    return bool(shorter) and len(words_a & words_b) / shorter >= 0.6


def _same_unit(fact: Fact, other: Fact) -> bool:
    return fact.unit == other.unit


def _distinctive_kind(fact: Fact) -> bool:
    return True


RULES: dict[str, KindRule] = {
    rule.kind: rule
    for rule in (
        KindRule("money", "numbers", N_("nilai"), _money_comparable, _same_number,
                 _distinctive_number, deniable=True, counted=True),
        KindRule("quantity", "numbers", N_("jumlah"), _units_compatible, _same_number,
                 _distinctive_number, deniable=True, counted=True),
        KindRule("percent", "numbers", N_("angka"), _always, _same_number, _distinctive_number,
                 deniable=True),
        KindRule("date", "time", N_("waktu"), _dates_comparable, _same_date, _full_date,
                 deniable=True),
        KindRule("day", "time", N_("hari"), deniable=True),
        KindRule("time", "time", N_("jam"), _always, _same_time, deniable=True),
        KindRule("ordinal", "other", N_("urutan"), _same_unit, counted=True),
        KindRule("phone", "other", N_("nomor"), distinctive=_distinctive_kind),
        KindRule("regulation", "rule", N_("aturan"), _regulation_comparable,
                 distinctive=_distinctive_kind),
        KindRule("quote", "other", N_("nama/tema"), _always, _same_quote, _distinctive_kind),
        KindRule("place", "place", N_("lokasi"), _place_comparable, _same_place, named=True),
        KindRule("role", "who", N_("jabatan"), _always, _same_role, named=True),
        KindRule("agency", "who", N_("instansi"), _always, _same_agency, named=True),
        KindRule("person", "who", N_("nama"), _always, _same_person, _distinctive_kind, named=True),
        KindRule("modality", "rule", N_("ketentuan"), _modal_comparable, _same_modal),
    )
}  # fmt: skip
GROUPS = ("numbers", "time", "place", "who", "rule", "other")


def rule_for(fact: Fact) -> KindRule | None:
    """The rule of a fact's kind; None for kinds that are not compared by value (negation)."""
    return RULES.get(fact.kind)


def comparable(fact: Fact, other: Fact) -> bool:
    """Whether two facts speak of the same kind of thing and can be compared by value."""
    rule = RULES.get(fact.kind)
    return rule is not None and fact.kind == other.kind and rule.comparable(fact, other)


def same_value(fact: Fact, other: Fact) -> bool:
    """Whether two comparable facts state the same value."""
    return RULES[fact.kind].same(fact, other)


def distinctive(fact: Fact) -> bool:
    """Whether a value is unlikely to recur by chance: 777, 16.151, Rp3.736.101, a full date."""
    rule = RULES.get(fact.kind)
    return rule is not None and rule.distinctive(fact)
