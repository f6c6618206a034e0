"""Hostile dates (issue 9, defect 6): a release whose date cannot be read is kept, undated.

Year 0, year 9999 shifted across midnight and offsets over 24 hours used to raise inside the
date reader, so the whole release was dropped with a traceback. Fixtures are one file per case
under tests/fixtures/hostile/; the releases go through the real fetcher, archive, index and app.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.search import SearchQuery, search
from ingest.normalise import EARLIEST_YEAR, LATEST_YEAR, WIB, parse_date
from ingest.pipeline import Ingester
from tests.hostile import fixture, local_fetcher, source_entry, write_sources
from tests.localserver import LocalServer

UNKNOWN_DATE = "tanggal tidak diketahui"


@pytest.fixture
def services(app):
    return app.extensions["saring"]


@pytest.mark.parametrize(
    "text",
    [
        "0001-01-01T00:00:00+01:00",  # year 0 once in UTC: OverflowError before
        "9999-12-31T23:59:59-05:00",  # year 10000 once in WIB: OverflowError before
        "Fri, 31 Dec 9999 23:00:00 -0500",
        "0000-12-31T17:00:00+00:00",
        "Mon, 01 Jan 0000 00:00:00 +0000",  # read as the year 2000 before
        "1 Januari 0001",  # read as the year 2001 before
        "31/12/9999",
        "2025-10-02T10:00:00+25:00",
    ],
)
def test_dates_out_of_range_are_unknown_not_an_error(text: str) -> None:
    assert parse_date(text) is None


_YEAR = st.integers(0, 99999).map(lambda y: f"{y:04d}")
_TWO = st.integers(0, 99).map(lambda n: f"{n:02d}")
_OFFSET = st.tuples(st.sampled_from("+-"), _TWO, _TWO)
_DATE_TEXT = st.one_of(
    st.text(max_size=60),
    st.builds(  # ISO 8601 with any year, clock and offset
        lambda y, mo, d, h, mi, o: f"{y}-{mo}-{d}T{h}:{mi}:00{o[0]}{o[1]}:{o[2]}",
        _YEAR, _TWO, _TWO, _TWO, _TWO, _OFFSET,
    ),
    st.builds(  # RFC 822 as feeds print it
        lambda d, mo, y, h, o: f"Mon, {d} {mo} {y} {h}:00:00 {o[0]}{o[1]}{o[2]}",
        _TWO, st.sampled_from(["Jan", "Feb", "Dec", "Agu", "Xyz"]), _YEAR, _TWO, _OFFSET,
    ),
    st.builds(  # Indonesian words and numbers
        lambda d, mo, y, h: f"Senin, {d} {mo} {y} pukul {h}.00 WITA",
        _TWO, st.sampled_from(["Januari", "Pebruari", "Des", "13"]), _YEAR, _TWO,
    ),
    st.builds(lambda d, mo, y: f"({d}/{mo}/{y})", _TWO, _TWO, _YEAR),
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(_DATE_TEXT, st.one_of(st.none(), st.integers(1, 9999)))
def test_parse_date_is_total(text: str, default_year: int | None) -> None:
    found = parse_date(text, default_year=default_year)
    assert found is None or (
        EARLIEST_YEAR <= found.year <= LATEST_YEAR and found.utcoffset() is not None
    )


def test_offset_over_24_hours_keeps_the_printed_day_as_local_time() -> None:
    # ValueError before; the zone is nonsense, the day and hour are still readable.
    assert parse_date("Thu, 02 Oct 2025 10:00:00 +9930") == datetime(2025, 10, 2, 10, tzinfo=WIB)


def _odd_date_sources(site: LocalServer, tmp_path: Path) -> list:
    base = site.base_url
    site.static("/tahun-nol.xml", fixture("atom_date_year_zero.xml", base), "application/atom+xml")
    site.static("/zona.xml", fixture("rss_date_offset_over_24h.xml", base), "application/rss+xml")
    site.static(
        "/wp/wp-json/wp/v2/posts",
        fixture("wp_rest_dates_out_of_range.json", base),
        "application/json",
        headers={"X-WP-TotalPages": "1"},
    )
    site.static("/berita/", fixture("listing_article_date_out_of_range.html", base))
    site.static("/rilis/perbaikan-jalan-dimulai/", fixture("article_date_out_of_range.html", base))
    return write_sources(
        tmp_path / "s.toml",
        [
            source_entry("atom", "feed", site.url("/tahun-nol.xml")),
            source_entry("rss", "feed", site.url("/zona.xml")),
            source_entry("rest", "wordpress", site.url("/wp/")),
            source_entry("html", "html", site.url("/berita/"), '[source.selectors]\nitem = "li a"'),
        ],
    )


def test_releases_with_unreadable_dates_are_kept_and_served(
    app, services, client, tmp_path: Path
) -> None:
    with LocalServer() as site:
        sources = _odd_date_sources(site, tmp_path)
        ingester = Ingester(services.archive, services.index, local_fetcher(site))
        reports = [ingester.run_source(s, backfill=s.kind == "wordpress") for s in sources]
    for report in reports:
        assert report.error is None, report.error
        assert report.new == 1, (report.source_id, report.problems)
        assert not any("internal error" in p for p in report.problems), report.problems
    assert any("could not be read" in p for p in reports[0].problems)

    releases = {r.url.rstrip("/").rsplit("/", 1)[1]: r for r in services.archive.iter_releases()}
    assert len(releases) == 4
    for slug in ("kerja-bakti-sungai-brantas", "jadwal-vaksinasi-keliling"):
        assert releases[slug].current.published is None
        assert releases[slug].current.modified is None
    assert releases["perbaikan-jalan-dimulai"].current.published is None
    posyandu = releases["posyandu-lansia-kamis"].current
    assert posyandu.published == datetime(2025, 10, 2, 10, tzinfo=WIB)
    assert posyandu.modified is None

    # Searchable, sortable both ways, and left out (not crashing) under a date filter.
    everything = search(services.index, SearchQuery(q="", per_page=50))
    assert everything.total == 4
    for order in ("newest", "oldest"):
        ordered = search(services.index, SearchQuery(q="", sort=order, per_page=50))
        assert ordered.total == 4
    dated = search(services.index, SearchQuery(q="", date_from=datetime(2025, 1, 1).date()))
    assert [hit.title for hit in dated.hits] == [posyandu.title]

    unknown = releases["kerja-bakti-sungai-brantas"]
    for path in (
        "/cari?q=",
        "/cari?q=kerja+bakti&sort=newest",
        "/cari?q=&sort=oldest",
        "/cari?q=&from=2025-01-01",
        "/cari.atom?q=",
        "/cari.csv?q=",
        "/cari.json?q=",
        f"/rilis/{unknown.id}",
        f"/rilis/{unknown.id}/versi",
        f"/api/v1/releases/{unknown.id}",
        "/api/v1/search?q=",
        "/",
    ):
        answer = client.get(path)
        assert answer.status_code == 200, (path, answer.status_code)
        assert b'datetime="None"' not in answer.data, path
    page = client.get(f"/rilis/{unknown.id}").get_data(as_text=True)
    assert UNKNOWN_DATE in page
    assert f"Diterbitkan {UNKNOWN_DATE}." in page and "Diterbitkan -." not in page  # citation
    listing = client.get("/cari?q=kerja+bakti").get_data(as_text=True)
    assert UNKNOWN_DATE in listing
    assert client.get(f"/api/v1/releases/{unknown.id}").get_json()["published"] is None
    atom = client.get("/cari.atom?q=kerja+bakti").get_data(as_text=True)
    assert "<published>" not in atom and re.search(r"<updated>\d{4}-", atom)
