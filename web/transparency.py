"""The transparency dashboard `/transparansi`: per OPD and source how releases are published,
edited and removed and how fetching goes; clarifications by label per month; this week's
most-reported rumours as counts.

The figures come from `archive.transparency` (SQL aggregates, cached per archive generation);
this module only picks the chart to draw (`?sumber=` narrows the releases chart to one source),
draws it with `web.charts` and renders the page.
"""

from __future__ import annotations

from flask import Blueprint, Flask, abort, current_app, render_template, request

from archive.editorial import VERDICTS
from archive.months import MONTH_NAMES
from archive.transparency import CADENCE_RELEASES, Dashboard, FiguresCache, compute_dashboard
from web.auth import now
from web.charts import Series, bar_chart, legend, month_label
from web.services import get_services

bp = Blueprint("transparency", __name__)

RELEASE_COLOUR = "#1d4ed8"
LABEL_COLOURS = {  # distinct at a glance; the table below each chart holds the exact numbers
    "HOAKS": "#b91c1c",
    "DISINFORMASI": "#7c2d12",
    "MISINFORMASI": "#d97706",
    "MENYESATKAN": "#6d28d9",
    "FAKTA": "#047857",
}
MAX_SOURCE_ID = 100


def month_name(key: str) -> str:
    """A month key in words: "2025-10" -> "Oktober 2025"."""
    return f"{MONTH_NAMES[int(key[5:7]) - 1]} {key[:4]}"


def cadence_words(days: float | None) -> str:
    """The median gap between releases in plain words."""
    if days is None:
        return "belum bisa dihitung"
    if days < 1:
        return "beberapa kali sehari"
    return f"sekitar tiap {round(days)} hari"


def get_dashboard() -> Dashboard:
    """The dashboard figures as of now (the app's clock), with this app's per-generation cache."""
    cache = current_app.extensions.setdefault("saring.transparency", FiguresCache())
    return compute_dashboard(get_services().archive.engine, now=now(), cache=cache)


@bp.get("/transparansi")
def dashboard():
    """The dashboard page; `?sumber=ID` draws the releases chart for that source alone."""
    figures = get_dashboard()
    wanted = request.args.get("sumber", "").strip()[:MAX_SOURCE_ID]
    selected = None
    if wanted:
        selected = next((s for s in figures.sources if s.source_id == wanted), None)
        if selected is None:
            abort(404, description=f"Sumber “{wanted}” tidak ada di arsip.")
    labels = [month_label(m.key) for m in figures.months]
    period = f"{month_name(figures.months[0].key)} – {month_name(figures.months[-1].key)}"
    per_month = selected.per_month if selected else figures.per_month
    whose = f"{selected.opd or selected.source_id} ({selected.source_id})" if selected else ""
    releases_chart = bar_chart(
        "rilis-per-bulan",
        f"Rilis per bulan{', ' + whose if whose else ''}",
        f"Jumlah rilis yang terbit tiap bulan, {period}: {sum(per_month)} rilis.",
        labels,
        [Series("Rilis", per_month, RELEASE_COLOUR)],
    )
    label_series = [
        Series(label, figures.clarifications[label], LABEL_COLOURS[label]) for label in VERDICTS
    ]
    clarified = sum(sum(s.values) for s in label_series)
    clarifications_chart = bar_chart(
        "klarifikasi-per-label",
        "Klarifikasi per label per bulan",
        f"Klarifikasi yang terbit tiap bulan menurut label, {period}: {clarified} klarifikasi.",
        labels,
        label_series,
    )
    return render_template(
        "public/transparency.html",
        figures=figures,
        selected=selected,
        period=period,
        per_month=per_month,
        releases_chart=releases_chart,
        clarifications_chart=clarifications_chart,
        label_series=label_series,
        label_legend=legend(label_series),
        clarified=clarified,
        cadence_releases=CADENCE_RELEASES + 1,
    )


def init_app(app: Flask) -> None:
    """Register the dashboard's page and its template helpers."""
    app.add_template_filter(month_name, "nama_bulan")
    app.add_template_filter(cadence_words, "jeda")
    app.register_blueprint(bp)
