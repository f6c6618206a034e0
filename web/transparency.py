"""The transparency dashboard `/transparansi`: per OPD and source how releases are published,
edited and removed and how fetching goes; clarifications by label per month; this week's
most-reported rumours as counts.

The figures come from `archive.transparency` (SQL aggregates, cached per archive generation);
this module only picks the chart to draw (`?sumber=` narrows the releases chart to one source),
draws it with `web.charts` and renders the page.
"""

from __future__ import annotations

from flask import Blueprint, Flask, abort, current_app, render_template, request
from flask_babel import gettext as _

from archive.editorial import VERDICTS
from archive.transparency import CADENCE_RELEASES, Dashboard, FiguresCache, compute_dashboard
from web.auth import now
from web.charts import Series, bar_chart, legend
from web.charts import month_label as chart_month_label
from web.formatting import month_label, month_names
from web.i18n import current_language
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
    """A month key in words, in the reader's language: "2025-10" -> "Oktober 2025"."""
    return month_label(key)


def short_month(key: str) -> str:
    """A chart's month label: "Okt" in Indonesian (web.charts), "Oct" in English."""
    if current_language() == "en":
        return month_names("en")[int(key[5:7]) - 1][:3]
    return chart_month_label(key)


def cadence_words(days: float | None) -> str:
    """The median gap between releases in plain words."""
    if days is None:
        return _("belum bisa dihitung")
    if days < 1:
        return _("beberapa kali sehari")
    return _("sekitar tiap %(days)s hari", days=round(days))


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
            abort(404, description=_("Sumber “%(source)s” tidak ada di arsip.", source=wanted))
    labels = [short_month(m.key) for m in figures.months]
    period = f"{month_name(figures.months[0].key)} – {month_name(figures.months[-1].key)}"
    per_month = selected.per_month if selected else figures.per_month
    whose = f"{selected.opd or selected.source_id} ({selected.source_id})" if selected else ""
    releases_chart = bar_chart(
        "rilis-per-bulan",
        _("Rilis per bulan, %(whose)s", whose=whose) if whose else _("Rilis per bulan"),
        _(
            "Jumlah rilis yang terbit tiap bulan, %(period)s: %(count)s rilis.",
            period=period,
            count=sum(per_month),
        ),
        labels,
        [Series(_("Rilis"), per_month, RELEASE_COLOUR)],
    )
    label_series = [
        Series(label, figures.clarifications[label], LABEL_COLOURS[label]) for label in VERDICTS
    ]
    clarified = sum(sum(s.values) for s in label_series)
    clarifications_chart = bar_chart(
        "klarifikasi-per-label",
        _("Klarifikasi per label per bulan"),
        _(
            "Klarifikasi yang terbit tiap bulan menurut label, %(period)s: %(count)s klarifikasi.",
            period=period,
            count=clarified,
        ),
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
