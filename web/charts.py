"""Bar charts as inline SVG, drawn on the server: no JavaScript, no chart library.

`bar_chart` draws one bar per label; with several series the bars are stacked. The SVG scales
to the width of its container (a viewBox and width 100%), is announced as one image
(role="img") named by its <title> and described by its <desc>, and every text in it is escaped.
Pages put a <table> with the same numbers after each chart (see `chart_table` in the template),
which is what screen readers and anyone who wants the exact figures read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from archive.months import MONTH_NAMES

WIDTH = 480
HEIGHT = 240
LEFT, RIGHT, TOP, BOTTOM = 34, 6, 22, 38  # room for the axis numbers, totals and month names
FONT = 13


@dataclass(frozen=True)
class Series:
    """One named row of values, drawn in one colour (a hex value such as "#1d4ed8")."""

    name: str
    values: tuple[int, ...]
    colour: str


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, ... that is at least `value` (axis top)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
) -> Markup:
    """An accessible SVG bar chart (stacked when there are several series), ready to embed."""
    if any(len(s.values) != len(labels) for s in series):
        raise ValueError("every series needs one value per label")
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    top = nice_ceiling(max(totals, default=0) or 1)
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_width / max(len(labels), 1)
    bar = slot * 0.7

    def y(value: float) -> float:
        return TOP + plot_height - value / top * plot_height

    parts = [
        Markup(
            '<svg class="chart" id="{id}" viewBox="0 0 {w} {h}" width="100%" role="img" '
            'aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg" '
            'font-family="system-ui, sans-serif" font-size="{font}">'
            '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        ).format(id=chart_id, w=WIDTH, h=HEIGHT, font=FONT, title=title, desc=description)
    ]
    for tick in (0, top // 2, top) if top > 1 else (0, top):
        parts.append(
            Markup(
                '<line x1="{x1}" x2="{x2}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d5dae3"/>'
                '<text x="{tx}" y="{ty:.1f}" text-anchor="end" fill="#4b5563">{tick}</text>'
            ).format(x1=LEFT, x2=WIDTH - RIGHT, y=y(tick), tx=LEFT - 4, ty=y(tick) + 4, tick=tick)
        )
    for i, label in enumerate(labels):
        x = LEFT + i * slot + (slot - bar) / 2
        base = 0
        for s in series:
            value = s.values[i]
            if value:
                parts.append(
                    Markup(
                        '<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" '
                        'fill="{fill}"><title>{label}: {name} {value}</title></rect>'
                    ).format(
                        x=x,
                        y=y(base + value),
                        w=bar,
                        h=y(base) - y(base + value),
                        fill=s.colour,
                        label=label,
                        name=s.name,
                        value=value,
                    )
                )
            base += value
        centre = x + bar / 2
        if totals[i]:
            parts.append(
                Markup('<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle">{total}</text>').format(
                    x=centre, y=y(totals[i]) - 4, total=totals[i]
                )
            )
        parts.append(
            Markup(
                '<text x="{x:.1f}" y="{y}" text-anchor="middle" fill="#4b5563">{label}</text>'
            ).format(x=centre, y=HEIGHT - BOTTOM + 16, label=label)
        )
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def legend(series: Sequence[Series]) -> Markup:
    """A list naming each series next to a swatch of its colour (for stacked charts)."""
    items = [
        Markup(
            '<li><svg width="12" height="12" aria-hidden="true" focusable="false">'
            '<rect width="12" height="12" fill="{fill}"/></svg> {name}</li>'
        ).format(fill=s.colour, name=s.name)
        for s in series
    ]
    return Markup('<ul class="chart-legend">{}</ul>').format(Markup("").join(items))


def month_label(key: str) -> str:
    """A short axis label for a month key: "2025-10" -> "Okt"."""
    return MONTH_NAMES[int(key[5:7]) - 1][:3].replace("Agu", "Agt")
