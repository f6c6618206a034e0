"""Facts written for a reader, the way Malang's releases write them: "Rp1,5 juta", "30 November
2021", "07.00-09.00".

Nothing here reads text: these functions only format values the extractors found, so they import
the fact types for annotations only (`verify.facts.fact` imports this module for `Fact.to_json`).
Month names come from `archive.months`, the table ingest and the web pages use too.

What they return is Indonesian text, and also an `archive.messages.Message` (or a `Number`, a
`CalendarDate`) that keeps the value, so that a page in English can write "Rp1.5 million" or
"30 November 2021" instead (`web.i18n.say`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from archive.messages import N_, CalendarDate, Message, Number

if TYPE_CHECKING:
    from verify.facts.fact import DateValue, Fact

DAY_NAMES = (N_("Senin"), N_("Selasa"), N_("Rabu"), N_("Kamis"), N_("Jumat"), N_("Sabtu"),
             N_("Minggu"))  # fmt: skip
# Rupiah in words of a scale, largest first. (N_ without values only marks a template.)
_RUPIAH_SCALES = (
    (1e12, N_("Rp%(number)s triliun")),
    (1e9, N_("Rp%(number)s miliar")),
    (1e6, N_("Rp%(number)s juta")),
    (1e3, N_("Rp%(number)s ribu")),
)
# The basis of a price (`verify.facts.money`), as a reader reads it; another stays as written.
_PER_UNITS = {
    "per kg": N_("per kg"),
    "per liter": N_("per liter"),
    "per bulan": N_("per bulan"),
    "per tahun": N_("per tahun"),
    "per hari": N_("per hari"),
    "per orang": N_("per orang"),
    "per kpm": N_("per kpm"),
    "per unit": N_("per unit"),
    "per jam": N_("per jam"),
    "per buah": N_("per buah"),
    "per paket": N_("per paket"),
}


def format_rupiah(amount: float) -> str:
    """Rupiah the way releases write them: "Rp500 ribu", "Rp1,5 juta", "Rp7,4 miliar"."""
    for size, template in _RUPIAH_SCALES:
        if amount >= size and (amount / size) * 100 == int((amount / size) * 100):
            return Message(template, number=Number(amount / size))
    return N_("Rp%(number)s", number=Number(round(amount)))


def _range(low: str, high: str) -> str:
    return N_("%(low)s-%(high)s", low=low, high=high)


def describe_date(value: DateValue | None) -> str:
    """A DateValue in Indonesian: "30 November 2021", "September-November 2024", "2023"."""
    if value is None:
        return ""
    text: str = CalendarDate(*value.start())
    if value.end:
        text = _range(text, CalendarDate(*value.end))
    if value.part == "awal":
        return N_("awal %(date)s", date=text)
    if value.part == "pertengahan":
        return N_("pertengahan %(date)s", date=text)
    if value.part == "akhir":
        return N_("akhir %(date)s", date=text)
    if value.part == "penghujung":
        return N_("penghujung %(date)s", date=text)
    return f"{value.part} {text}".strip() if value.part else text


def describe_value(fact: Fact) -> str:
    """The fact's value written for a reader (Indonesian conventions)."""
    value = fact.value
    if fact.kind == "money":
        low, high = value
        text = format_rupiah(low)
        if high != low:
            text = _range(text, format_rupiah(high))
        if not fact.unit:
            return text
        return N_("%(amount)s %(unit)s", amount=text, unit=_PER_UNITS.get(fact.unit, fact.unit))
    if fact.kind in {"quantity", "percent"}:
        low, high = value
        number = Number(low) if low == high else _range(Number(low), Number(high))
        if fact.kind == "percent":
            return N_("%(number)s persen", number=number)
        # measured amounts, in the base unit they are kept in (`verify.facts.quantities.MEASURES`)
        if fact.unit == "meter":
            return N_("%(number)s meter", number=number)
        if fact.unit == "kilogram":
            return N_("%(number)s kilogram", number=number)
        if fact.unit == "liter":
            return N_("%(number)s liter", number=number)
        if fact.unit == "hektare":
            return N_("%(number)s hektare", number=number)
        return fact.text if not fact.unit or fact.qualifier in {"tidak ada", "tanpa"} else number
    if fact.kind == "date":
        return describe_date(value) or fact.text
    if fact.kind == "day":
        return DAY_NAMES[value]
    if fact.kind == "time":
        start, end = value
        text = _clock(start)
        return _range(text, _clock(end)) if end is not None else text
    if fact.kind in {"negation", "modality"}:
        return fact.text.lower() if fact.text.istitle() else fact.text
    return str(value)


def _clock(minutes: int) -> str:
    """A time of day: "07.00" (an English page writes "07:00")."""
    hour, minute = divmod(minutes, 60)
    return N_("%(hour)s.%(minute)s", hour=str(hour).zfill(2), minute=str(minute).zfill(2))
