"""The transparency dashboard on a real archive built here (SQLite file in a temp dir): figures
per source and month, edits and removals, cadence, the health of a source that fails on a real
HTTP server, clarifications by label, this week's rumours as counts only; the SVG charts and the
tables that repeat their numbers."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest

from archive.editorial import ClarificationInput, Editorial
from archive.release import Release
from archive.transparency import FiguresCache, compute_dashboard, months_ending, plain_error
from ingest.cli import build_ingester
from ingest.sources import load_sources
from tests.localserver import LocalServer
from web.charts import Series, bar_chart, nice_ceiling

SVG = "{http://www.w3.org/2000/svg}"
NOW = datetime(2026, 4, 20, 5, 0, tzinfo=UTC)
SECRET_REPORT = "Katanya air PDAM di Sukun mengandung racun tikus, sebarkan segera"


def release(slug: str, published: datetime, *, source: str = "dishub", title: str = "") -> Release:
    return Release(
        url=f"https://{source}.malangkota.go.id/{published:%Y/%m/%d}/{slug}/",
        title=title or f"Rilis {slug}",
        paragraphs=[f"Isi rilis {slug} untuk warga Kota Malang."],
        html="",
        source_id=source,
        opd={"dishub": "Dinas Perhubungan", "dinkes": "Dinas Kesehatan"}[source],
        published=published,
    )


def wib(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour - 7, 0, tzinfo=UTC)


@pytest.fixture
def archive(app):
    return app.extensions["saring"].archive


@pytest.fixture
def built(app, archive):
    """Dishub: 3 releases in March 2026 (every 4 days), 1 in April, one edited twice, one
    removed; Dinkes: 1 in December 2025. Two published clarifications, one draft; reports."""
    dates = [wib(2026, 3, 2), wib(2026, 3, 6), wib(2026, 3, 10), wib(2026, 4, 1)]
    for number, published in enumerate(dates):
        archive.record(release(f"d{number}", published), seen_at=published)
    edited = release("d1", dates[1])
    for round_ in (1, 2):
        edited.paragraphs = [f"Isi rilis d1 setelah perubahan ke-{round_}."]
        archive.record(edited, seen_at=dates[1] + timedelta(days=round_))
    archive.mark_removed(release("d2", dates[2]).url, at=dates[2] + timedelta(days=3))
    # 1 December 2025, 03.00 WIB is still 30 November in UTC: months are WIB months
    archive.record(release("k0", datetime(2025, 11, 30, 20, 0, tzinfo=UTC), source="dinkes"))

    editorial = Editorial(archive.engine)
    for slug, verdict, day in (("a", "HOAKS", 5), ("b", "FAKTA", 6)):
        editorial.load_published(
            clarification(f"Klarifikasi {slug}", verdict),
            slug=slug,
            author="Diskominfo",
            published_at=wib(2026, 3, day),
            actor="test",
            at=NOW,
        )
    editorial.create_clarification(
        clarification("Draf tidak terbit", "HOAKS"), author="Diskominfo", actor="test", at=NOW
    )
    # this week: 3 reports about one rumour (linked to a published clarification), 2 reports
    # about another one nobody clarified yet; one report from last month does not count
    linked, _ = editorial.add_report("tarif angkot naik", terms=["angkot", "tarif"], at=NOW)
    for _ in range(2):
        editorial.add_report("tarif angkot naik lagi", terms=["angkot", "tarif"], at=NOW)
    for _ in range(2):
        editorial.add_report(SECRET_REPORT, terms=["pdam", "racun", "sukun"], at=NOW)
    editorial.add_report("kabar lama", terms=["lama"], at=NOW - timedelta(days=30))
    draft = editorial.create_clarification(
        clarification("Tarif angkot tidak naik", "HOAKS"),
        author="Diskominfo",
        actor="test",
        at=NOW,
        report_group_id=linked,
    )
    editorial.publish_clarification(draft, actor="test", at=NOW)
    return compute_dashboard(archive.engine, now=NOW)


def clarification(title: str, verdict: str) -> ClarificationInput:
    return ClarificationInput(
        title=title,
        rumour=f"Kabar tentang {title}",
        verdict=verdict,
        summary="Ringkasan resmi.",
        body="",
        seen_on="WhatsApp",
        sightings=[],
        release_ids=[],
    )


def by_id(figures, source_id):
    return next(s for s in figures.sources if s.source_id == source_id)


def test_months_are_the_twelve_wib_months_up_to_the_newest_publication(built):
    assert [m.key for m in built.months][0] == "2025-05"
    assert [m.key for m in built.months][-1] == "2026-04"
    assert [m.key for m in months_ending(wib(2026, 1, 15), 3)] == ["2025-11", "2025-12", "2026-01"]


def test_releases_are_counted_per_source_and_wib_month(built):
    keys = [m.key for m in built.months]
    dishub, dinkes = by_id(built, "dishub"), by_id(built, "dinkes")
    assert dishub.per_month[keys.index("2026-03")] == 3
    assert dishub.per_month[keys.index("2026-04")] == 1
    assert sum(dishub.per_month) == 4 and dishub.releases == 4
    assert dinkes.per_month[keys.index("2025-12")] == 1  # not November: counted in WIB
    assert built.per_month[keys.index("2026-03")] == 3 and sum(built.per_month) == 5
    assert dishub.opd == "Dinas Perhubungan"
    assert dishub.last_release == wib(2026, 4, 1)


def test_edited_and_removed_releases_are_counted(built):
    dishub = by_id(built, "dishub")
    assert (dishub.edited, dishub.removed) == (1, 1)
    assert (built.edited, built.removed) == (1, 1)
    assert (by_id(built, "dinkes").edited, by_id(built, "dinkes").removed) == (0, 0)


def test_cadence_is_the_median_gap_in_days(built):
    # gaps 4, 4 and 22 days: the median is 4
    assert by_id(built, "dishub").cadence_days == pytest.approx(4.0)
    assert by_id(built, "dinkes").cadence_days is None  # one release: no gap yet


def test_clarifications_are_counted_by_label_and_month_published_only(built):
    keys = [m.key for m in built.months]
    assert built.clarifications["HOAKS"][keys.index("2026-03")] == 1
    assert built.clarifications["FAKTA"][keys.index("2026-03")] == 1
    assert built.clarifications["HOAKS"][keys.index("2026-04")] == 1  # published NOW
    assert sum(sum(v) for v in built.clarifications.values()) == 3  # the draft is not counted
    assert set(built.clarifications) == {
        "HOAKS", "DISINFORMASI", "MISINFORMASI", "MENYESATKAN", "FAKTA"
    }  # fmt: skip


def test_rumours_this_week_are_counts_with_published_titles_only(built):
    assert built.reports_this_week == 5 and built.rumour_groups_this_week == 2
    first, second = built.rumours
    assert (first.reports, first.title, first.verdict) == (3, "Tarif angkot tidak naik", "HOAKS")
    assert (second.reports, second.title, second.slug) == (2, None, None)


def test_health_of_a_failing_source_on_a_real_server(app, archive, tmp_path):
    with LocalServer() as broken:
        broken.static("/feed/", b"<html><body>Sedang pemeliharaan</body></html>")
        path = tmp_path / "sources.toml"
        path.write_text(
            f'[[source]]\nid = "rusak"\nkind = "wordpress"\nurl = "{broken.base_url}/"\n'
            'opd = "Dinas Rusak"\n',
            encoding="utf-8",
        )
        sources = load_sources(path)
        with app.app_context():
            for _ in range(2):
                build_ingester(app, sources).run(sources)
    health = by_id(compute_dashboard(archive.engine, now=datetime.now(UTC)), "rusak").health
    assert health.state == "failing"
    assert health.consecutive_failures == 2 and health.runs == 2
    assert "tidak terbaca" in health.problem and "unreadable" not in health.problem


def test_a_source_that_recovers_reads_ok(archive):
    archive.record_run("pulih", {}, "feed https://x/feed/ answered HTTP 503", at=NOW)
    archive.record_run("pulih", {}, None, at=NOW + timedelta(hours=1))
    health = by_id(compute_dashboard(archive.engine, now=NOW), "pulih").health
    assert (health.state, health.problem, health.consecutive_failures) == ("ok", "", None)


@pytest.mark.parametrize(
    ("message", "words"),
    [
        ("feed https://a/feed/ answered HTTP 503", "galat server"),
        ("feed https://a/feed/ answered HTTP 404", "tidak ditemukan"),
        ("https://a/feed/ timed out after 15 s", "tepat waktu"),
        ("no address found for a.example (https://a/)", "tidak dapat dihubungi"),
        ("internal error: KeyError: 'x'", "Saring"),
        ("too many redirects (more than 5) from https://a/", "mengalihkan terlalu banyak"),
        ("https://a/feed/ sent more than 5000000 bytes", "terlalu besar"),
        ("something new", "pengambilan gagal"),
    ],
)
def test_errors_are_said_in_plain_words(message, words):
    assert words in plain_error(message)


def test_cache_serves_the_same_figures_until_the_archive_changes(archive, built):
    cache = FiguresCache()
    first = compute_dashboard(archive.engine, now=NOW, cache=cache)
    assert compute_dashboard(archive.engine, now=NOW, cache=cache) == first
    archive.record(release("d9", wib(2026, 4, 2)), seen_at=NOW)
    after = compute_dashboard(archive.engine, now=NOW, cache=cache)
    assert sum(after.per_month) == sum(first.per_month) + 1
    archive.mark_removed(release("d9", wib(2026, 4, 2)).url, at=NOW)
    assert compute_dashboard(archive.engine, now=NOW, cache=cache).removed == first.removed + 1


def test_empty_archive_gives_a_page_not_an_error(client):
    response = client.get("/transparansi")
    assert response.status_code == 200
    assert "Arsip masih kosong" in response.get_data(as_text=True)


# -- charts --------------------------------------------------------------------------------------


def test_bar_chart_is_well_formed_accessible_svg_with_escaped_text():
    svg = bar_chart(
        "uji",
        'Judul <script>alert("x")</script>',
        "Deskripsi & lain-lain",
        ["Jan", "Feb", "Mar"],
        [Series("A", (1, 0, 4), "#111111"), Series("B<", (2, 0, 1), "#222222")],
    )
    root = ET.fromstring(str(svg))
    assert root.get("role") == "img" and root.get("viewBox") and root.get("width") == "100%"
    assert root.get("aria-labelledby") == "uji-title uji-desc"
    assert root.find(f"{SVG}title").text == 'Judul <script>alert("x")</script>'
    assert "<script>" not in str(svg)
    bars = root.findall(f"{SVG}rect")
    assert len(bars) == 4  # zero values draw no bar
    heights = {bar.find(f"{SVG}title").text: float(bar.get("height")) for bar in bars}
    assert heights["Mar: A 4"] == pytest.approx(4 * heights["Mar: B< 1"])
    totals = [t.text for t in root.findall(f"{SVG}text")]
    assert "3" in totals and "5" in totals  # stacked totals above the bars


def test_bar_chart_refuses_series_of_the_wrong_length():
    with pytest.raises(ValueError):
        bar_chart("x", "t", "d", ["Jan", "Feb"], [Series("A", (1,), "#000")])


@pytest.mark.parametrize(("value", "top"), [(0, 1), (1, 1), (3, 5), (7, 10), (11, 20), (51, 100)])
def test_axis_top_is_a_round_number(value, top):
    assert nice_ceiling(value) == top


# -- the page ------------------------------------------------------------------------------------


def page_of(client, path="/transparansi") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def svgs(page: str) -> dict[str, ET.Element]:
    found = re.findall(r"<svg class=\"chart\".*?</svg>", page, flags=re.S)
    return {root.get("id"): root for root in map(ET.fromstring, found)}


def table_after(page: str, chart_id: str) -> list[list[str]]:
    start = page.index(f'id="{chart_id}"')
    table = page[page.index("<table", start) : page.index("</table>", start)]
    rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)
    return [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S) for row in rows]


def bar_values(root: ET.Element) -> dict[str, int]:
    """Totals per month label as the chart draws them (a bar's <title> is 'Okt: Rilis 3')."""
    values: dict[str, int] = {}
    for bar in root.findall(f"{SVG}rect"):
        label, rest = bar.find(f"{SVG}title").text.split(": ", 1)
        values[label] = values.get(label, 0) + int(rest.rsplit(" ", 1)[1])
    return values


@pytest.fixture
def clock(app):
    app.config["CLOCK"] = lambda: NOW


def test_page_charts_match_their_tables(app, client, built, clock):
    page = page_of(client)
    charts = svgs(page)
    assert set(charts) == {"rilis-per-bulan", "klarifikasi-per-label"}
    rows = table_after(page, "rilis-per-bulan")
    table = {month: int(count) for month, count in rows[1:]}
    assert table["Maret 2026"] == 3 and table["Desember 2025"] == 1 and len(table) == 12
    drawn = bar_values(charts["rilis-per-bulan"])
    assert drawn == {"Mar": 3, "Apr": 1, "Des": 1}
    label_rows = table_after(page, "klarifikasi-per-label")
    assert label_rows[0][1:] == ["HOAKS", "DISINFORMASI", "MISINFORMASI", "MENYESATKAN", "FAKTA",
                                 "Jumlah"]  # fmt: skip
    march = next(row for row in label_rows if row[0] == "Maret 2026")
    assert march[1:] == ["1", "0", "0", "0", "1", "2"]
    assert bar_values(charts["klarifikasi-per-label"]) == {"Mar": 2, "Apr": 1}


def test_page_shows_figures_health_and_counts_but_never_report_text(client, built, archive, clock):
    archive.record_run("dishub", {}, "feed https://x/feed/ answered HTTP 503", at=NOW)
    page = page_of(client)
    assert "Transparansi" in page and 'lang="id"' in page
    assert "galat server" in page and "HTTP 503" not in page
    assert "5 laporan warga dalam 7 hari terakhir, tentang 2 kabar" in page
    assert "Tarif angkot tidak naik" in page and "/klarifikasi/tarif-angkot-tidak-naik" in page
    for secret in (SECRET_REPORT, "racun", "tarif angkot naik lagi", "kabar lama"):
        assert secret not in page
    assert "Draf tidak terbit" not in page
    assert "<script" not in page  # no JavaScript needed


def test_source_filter_draws_one_source_and_rejects_unknown_ones(client, built, clock):
    page = page_of(client, "/transparansi?sumber=dinkes")
    assert bar_values(svgs(page)["rilis-per-bulan"]) == {"Des": 1}
    assert 'class="selected"' in page
    response = client.get("/transparansi?sumber=%3Cb%3Etidak-ada")
    assert response.status_code == 404
    text = response.get_data(as_text=True)
    assert "tidak ada di arsip" in text and "<b>tidak-ada" not in text


def test_navigation_links_to_the_dashboard(client):
    assert 'href="/transparansi"' in page_of(client, "/")
