"""Messages for people from the lower layers (the archive's rules, the claim checker), kept with
their template.

The archive and the checker speak Indonesian, the site's first language. A `Message` is that
Indonesian text (it is a `str`, so logs, the command line, the JSON API and tests read it as
before) and also keeps its template and values, so the web layer can say it in the reader's
language through the catalogue (`web.i18n.say`). `N_` marks a template for `pybabel extract`
(babel.cfg).

A value that itself depends on the language is never baked into a template as Indonesian text.
It is one of these, each a `str` holding its Indonesian form, which `say` words again:

- a `Message` (a verdict, a kind of fact, a unit, a whole clause): said from the catalogue too;
- a `Number`: a quantity, "1.234" or "1,5" in Indonesian, "1,234" or "1.5" in English;
- a `CalendarDate`: a day, a month or a year, "3 Desember 2026", "Oktober 2023", "2023";
- a list or tuple of any of these (or of plain text), joined with ", ".

Any other value (a name, a quote from a release, a label like HOAKS) is data and stays as it is.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from archive.months import MONTH_NAMES, WIB

LIST_SEPARATOR = ", "


class Message(str):
    """Indonesian text made from a template and its values (``%(name)s`` placeholders)."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, **params: Any) -> Message:
        text = template % {k: _joined(v) for k, v in params.items()} if params else template
        message = super().__new__(cls, text)
        message.template = template
        message.params = params
        return message


N_ = Message


class Number(str):
    """A quantity, kept as `value` and written the Indonesian way: dots between thousands, a
    decimal comma, at most two decimals ("3.736.101", "1,5", "139.373.362.577,29")."""

    value: float

    def __new__(cls, value: float) -> Number:
        rounded = round(float(value), 2)
        digits = f"{rounded:,.2f}".rstrip("0").rstrip(".")
        number = super().__new__(cls, digits.replace(",", "_").replace(".", ",").replace("_", "."))
        number.value = int(rounded) if rounded == int(rounded) else rounded
        return number


class CalendarDate(str):
    """A day, or as much of one as is known (a month, a year, a day and month), written the
    Indonesian way: "3 Desember 2026", "Oktober 2023", "2023", "11 Oktober"."""

    year: int | None
    month: int | None
    day: int | None

    def __new__(
        cls, year: int | None = None, month: int | None = None, day: int | None = None
    ) -> CalendarDate:
        parts = [str(day) if day else "", MONTH_NAMES[month - 1] if month else "", str(year or "")]
        written = super().__new__(cls, " ".join(p for p in parts if p))
        written.year, written.month, written.day = year, month, day
        return written

    @classmethod
    def of(cls, moment: date) -> CalendarDate:
        """The day of `moment` (a datetime is taken in WIB, Malang's time)."""
        if isinstance(moment, datetime):
            moment = moment.astimezone(WIB)
        return cls(moment.year, moment.month, moment.day)


def _joined(value: Any) -> Any:
    """A list or tuple param as one text; any other value as it is."""
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(str(item) for item in value)
    return value
