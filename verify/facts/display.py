"""Facts written for a reader, the way Malang's releases write them: "Rp1,5 juta", "30 November
2021", "07.00-09.00".

Nothing here reads text: these functions only format values the extractors found, so they import
the fact types for annotations only (`verify.facts.fact` imports this module for `Fact.to_json`).
Month names come from `archive.months`, the table ingest and the web pages use too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from archive.months import MONTH_NAMES

if TYPE_CHECKING:
    from verify.facts.fact import DateValue, Fact

DAY_NAMES = "Senin Selasa Rabu Kamis Jumat Sabtu Minggu".split()


def format_rupiah(amount: float) -> str:
    """Rupiah the way releases write them: "Rp500 ribu", "Rp1,5 juta", "Rp7,4 miliar"."""
    for size, word in ((1e12, "triliun"), (1e9, "miliar"), (1e6, "juta"), (1e3, "ribu")):
        if amount >= size and (amount / size) * 100 == int((amount / size) * 100):
            number = amount / size
            text = f"{number:,.2f}".rstrip("0").rstrip(".").replace(",", "_").replace(".", ",")
            return f"Rp{text.replace('_', '.')} {word}"
    return "Rp" + f"{amount:,.0f}".replace(",", ".")


def _format_number(value: float) -> str:
    if value == int(value):
        return f"{int(value):,}".replace(",", ".")
    return f"{value:.2f}".rstrip("0").replace(".", ",")


def describe_date(value: DateValue | None) -> str:
    """A DateValue in Indonesian: "30 November 2021", "September-November 2024", "2023"."""
    if value is None:
        return ""

    def one(year: int | None, month: int | None, day: int | None) -> str:
        parts = [str(day) if day else "", MONTH_NAMES[month - 1] if month else "", str(year or "")]
        return " ".join(p for p in parts if p)

    text = one(*value.start())
    if value.end:
        text = f"{text}-{one(*value.end)}"
    return f"{value.part} {text}".strip()


# The base units measured amounts are kept in (`verify.facts.quantities.MEASURES`).
MEASURE_UNITS = frozenset({"meter", "kilogram", "liter", "hektare"})


def describe_value(fact: Fact) -> str:
    """The fact's value written for a reader (Indonesian conventions)."""
    value = fact.value
    if fact.kind == "money":
        low, high = value
        text = format_rupiah(low) if low == high else f"{format_rupiah(low)}-{format_rupiah(high)}"
        return f"{text} {fact.unit}".strip()
    if fact.kind in {"quantity", "percent"}:
        low, high = value
        number = (
            _format_number(low) if low == high else f"{_format_number(low)}-{_format_number(high)}"
        )
        if fact.kind == "percent":
            return f"{number} persen"
        if fact.unit in MEASURE_UNITS:
            return f"{number} {fact.unit}"
        return fact.text if not fact.unit or fact.qualifier in {"tidak ada", "tanpa"} else number
    if fact.kind == "date":
        return describe_date(value) or fact.text
    if fact.kind == "day":
        return DAY_NAMES[value]
    if fact.kind == "time":
        start, end = value
        text = f"{start // 60:02d}.{start % 60:02d}"
        return f"{text}-{end // 60:02d}.{end % 60:02d}" if end is not None else text
    if fact.kind in {"negation", "modality"}:
        return fact.text.lower() if fact.text.istitle() else fact.text
    return str(value)
