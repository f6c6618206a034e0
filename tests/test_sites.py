"""The register of known city sites and the coverage figures: `flask sources discover` run
through Flask's CLI runner against the city multisite on 127.0.0.1 (tests/multisite.py) records
what it found in the app's real archive file; a later run updates rows and forgets nothing; a
failed recording changes nothing; the dashboard and /admin/sumber show the figures and the sites
without a source to signed-in staff, in Indonesian and in English."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sqlalchemy.exc import IntegrityError

from archive.attachments import AttachmentStore, Document
from archive.sites import CONFIGURED, PROPOSED, UNUSABLE, Sighting, SiteStore
from tests.localserver import Response
from tests.multisite import (
    CITY,
    EXPECTED_PROPOSALS,
    EXPECTED_UNUSABLE,
    SOURCES_TOML,
    TUGU,
    Multisite,
    serve_city,
    write_sources,
)
from tests.staff import add_releases, login, make_user

PROPOSED_HOSTS = {f"{source_id}.{CITY}" for source_id in EXPECTED_PROPOSALS}
CONFIGURED_HOSTS = {CITY, f"dinkes.{CITY}", TUGU}  # www.malangkota.go.id is malangkota.go.id
REL = ["noopener", "noreferrer", "nofollow"]


@pytest.fixture
def city(monkeypatch: pytest.MonkeyPatch):
    yield from serve_city(monkeypatch)


@pytest.fixture
def sources_file(tmp_path: Path) -> Path:
    return write_sources(tmp_path / "sources.toml")


def discover(runner, sources_file: Path, out: Path, *extra: str):
    """Run the command as staff would, with the proposal going to `out`."""
    return runner.invoke(
        args=["sources", "discover", "--sources", str(sources_file), "--out", str(out), *extra]
    )


def register(app) -> dict:
    """The register's rows by host."""
    return {
        site.host: site for site in SiteStore(app.extensions["saring"].archive.engine).list_sites()
    }


# -- recording a run -----------------------------------------------------------------------------


def test_discover_records_every_site_it_found_with_what_it_concluded(
    city: Multisite, sources_file: Path, app, runner, tmp_path: Path
) -> None:
    before = sources_file.read_bytes()
    result = discover(runner, sources_file, tmp_path / "usulan.toml")
    assert result.exit_code == 0, result.output
    assert "Register of known sites: 20 new, 0 updated" in result.output

    sites = register(app)
    assert set(sites) == PROPOSED_HOSTS | set(EXPECTED_UNUSABLE) | CONFIGURED_HOSTS
    assert f"www.{CITY}" not in sites  # one site under two names is one row
    assert {host for host, site in sites.items() if site.state == PROPOSED} == PROPOSED_HOSTS
    assert {h for h, s in sites.items() if s.state == UNUSABLE} == set(EXPECTED_UNUSABLE)
    assert {h for h, s in sites.items() if s.state == CONFIGURED} == CONFIGURED_HOSTS

    for source_id, (kind, url, opd, interval) in EXPECTED_PROPOSALS.items():
        site = sites[f"{source_id}.{CITY}"]
        assert (site.kind, site.url, site.opd, site.interval, site.reason) == (
            kind, url, opd, interval, ""
        ), source_id  # fmt: skip
    for host, start in EXPECTED_UNUSABLE.items():
        assert sites[host].reason.startswith(start), (host, sites[host].reason)
        assert sites[host].kind == sites[host].opd == ""
    # the page that linked each site; a starting page's own host has none
    assert sites[f"kelarjosari.{CITY}"].found_on == f"http://kelsumbersari.{CITY}/tautan/"
    assert sites[f"kecsukun.{CITY}"].found_on == f"http://{CITY}/"
    assert sites[CITY].found_on == ""
    assert all(site.first_seen == site.last_seen for site in sites.values())
    # the live sources file is still never touched
    assert sources_file.read_bytes() == before


def test_a_second_run_updates_the_sites_it_saw_and_keeps_those_it_missed(
    city: Multisite, sources_file: Path, app, runner, tmp_path: Path
) -> None:
    assert discover(runner, sources_file, tmp_path / "1.toml").exit_code == 0
    first = register(app)
    # Kecamatan Sukun's site breaks; a shallower crawl no longer reaches Kelurahan Arjosari.
    city.servers[f"kecsukun.{CITY}"].route("/", lambda _r: Response(status=503, body="rusak"))
    second_run = discover(runner, sources_file, tmp_path / "2.toml", "--max-depth", "1")
    assert second_run.exit_code == 0, second_run.output
    assert "Register of known sites: 0 new, 19 updated" in second_run.output

    second = register(app)
    assert set(second) == set(first)  # updated, not duplicated; nothing forgotten
    missed = f"kelarjosari.{CITY}"
    assert second[missed] == first[missed]  # kept as it was, with its older last_seen
    for host in set(first) - {missed}:
        assert second[host].last_seen > first[host].last_seen, host
        assert second[host].first_seen == first[host].first_seen, host
    sukun = second[f"kecsukun.{CITY}"]
    assert (sukun.state, sukun.reason) == (UNUSABLE, "home page answered HTTP 503")
    assert (sukun.kind, sukun.opd, sukun.interval) == ("", "", "")
    assert first[f"kecsukun.{CITY}"].state == PROPOSED


def test_a_failure_while_recording_leaves_the_register_as_it_was(
    city: Multisite, sources_file: Path, app, runner, tmp_path: Path
) -> None:
    assert discover(runner, sources_file, tmp_path / "1.toml").exit_code == 0
    before = register(app)
    engine = app.extensions["saring"].archive.engine
    # The database refuses one row late in the run (hosts are written in order; kominfo is
    # the 17th of 20), after the earlier rows of the same run were written.
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TRIGGER refuse_kominfo BEFORE UPDATE ON known_sites "
            f"WHEN NEW.host = 'kominfo.{CITY}' BEGIN SELECT RAISE(ABORT, 'disk says no'); END"
        )
    out = tmp_path / "2.toml"
    result = discover(runner, sources_file, out)
    assert result.exit_code != 0
    assert "register of known sites was not updated" in result.output
    assert "disk says no" in result.output and "Traceback" not in result.output
    assert register(app) == before
    assert "kelsumbersari" in out.read_text(encoding="utf-8")  # the proposal is still written


def test_a_sighting_the_database_refuses_stores_none_of_the_run(app, tmp_path: Path) -> None:
    store = SiteStore(app.extensions["saring"].archive.engine)
    at = datetime(2026, 1, 5, 3, 0, tzinfo=UTC)
    store.record_run([Sighting(f"kominfo.{CITY}", PROPOSED, kind="feed")], at=at)
    before = store.list_sites()
    with pytest.raises(IntegrityError):  # the table's CHECK allows three states only
        store.record_run(
            [
                Sighting(f"kominfo.{CITY}", UNUSABLE, reason="gone"),
                Sighting(f"baru.{CITY}", PROPOSED),
                Sighting(f"aneh.{CITY}", "maybe"),
            ],
            at=at + timedelta(days=1),
        )
    assert store.list_sites() == before


def test_a_site_met_but_not_probed_keeps_its_earlier_conclusion(app) -> None:
    store = SiteStore(app.extensions["saring"].archive.engine)
    at = datetime(2026, 1, 5, 3, 0, tzinfo=UTC)
    store.record_run(
        [Sighting(f"kecsukun.{CITY}", PROPOSED, url="http://x/feed/", kind="feed", opd="Sukun")],
        at=at,
    )
    later = at + timedelta(days=7)
    out_of_time = "not probed: the time limit ran out first"
    recorded = store.record_run(
        [
            Sighting(f"kecsukun.{CITY}", UNUSABLE, reason=out_of_time, conclusive=False),
            Sighting(f"kelbaru.{CITY}", UNUSABLE, reason=out_of_time, conclusive=False),
        ],
        at=later,
    )
    assert (recorded.new, recorded.updated) == (1, 1)
    sites = {site.host: site for site in store.list_sites()}
    sukun = sites[f"kecsukun.{CITY}"]
    assert (sukun.state, sukun.kind, sukun.opd, sukun.reason) == (PROPOSED, "feed", "Sukun", "")
    assert (sukun.first_seen, sukun.last_seen) == (at, later)
    assert (sites[f"kelbaru.{CITY}"].state, sites[f"kelbaru.{CITY}"].reason) == (
        UNUSABLE,
        out_of_time,
    )


# -- the staff pages ------------------------------------------------------------------------------

LATER_SOURCES = (
    SOURCES_TOML
    + f"""
[[source]]
id = "kominfo"
kind = "feed"
url = "http://kominfo.{CITY}/feed/"
opd = "Dinas Komunikasi dan Informatika"

[[source]]
id = "pajak"
kind = "feed"
url = "http://pajak.example.org/feed/"
opd = "Badan Pendapatan Daerah"
"""
)
# After discovery, staff configured kominfo (which it proposed) and a site it never saw; a hostile
# page put a site of its own in the register.
FIGURES = {"known": "22", "configured": "5", "healthy": "2", "failing": "2", "never_run": "1",
           "proposed": "8", "unusable": "9", "documents": "6", "readable": "2", "needs_ocr": "1",
           "documents_failing": "3"}  # fmt: skip


@pytest.fixture
def covered(city: Multisite, sources_file: Path, app, runner, tmp_path: Path) -> None:
    """The app after a discovery run, with a longer sources file, runs and documents."""
    assert discover(runner, sources_file, tmp_path / "usulan.toml").exit_code == 0
    later = tmp_path / "live.toml"
    later.write_text(LATER_SOURCES, encoding="utf-8")
    app.config["SOURCES_FILE"] = str(later)
    archive = app.extensions["saring"].archive
    at = datetime(2026, 1, 5, 3, 0, tzinfo=UTC)
    hour = timedelta(hours=1)
    runs = [("malangkota", None, at), ("dinkes", None, at), ("dinkes", "HTTP 500", at + hour),
            ("kominfo", "timed out", at), ("kominfo", None, at + hour),
            ("pajak", "unreachable", at), ("lama", None, at)]  # fmt: skip
    for source_id, error, when in runs:  # "lama" is no longer in the sources file
        archive.record_run(source_id, {}, error, at=when)
    release = add_releases(app, [("lampiran", "Surat edaran", ["Isi surat edaran."])])["lampiran"]
    store = AttachmentStore(archive.engine)
    pdf = "application/pdf"
    documents = {
        "a.pdf": Document("ok", data=b"a", media_type=pdf, text="a"),
        "b.pdf": Document("ok", data=b"b", media_type=pdf, text="b"),
        "c.pdf": Document("needs_ocr", data=b"c", media_type=pdf),
        "d.pdf": Document("http_error", "HTTP 404"),
        "e.pdf": Document("broken", "cut short", data=b"e", media_type=pdf),
        "f.pdf": Document("encrypted", "needs a password", data=b"f", media_type=pdf),
    }
    urls = {name: f"https://dishub.{CITY}/wp-content/uploads/{name}" for name in documents}
    store.link(release, [(url, name, "") for name, url in urls.items()], at=at)
    for name, document in documents.items():
        store.record(urls[name], document, at=at)
    SiteStore(archive.engine).record_run(
        [Sighting(f"jahil.{CITY}", PROPOSED, url="javascript:alert(1)", kind="feed",
                  opd="<script>alert('opd')</script>", found_on="javascript:alert(2)")],
        at=at,
    )  # fmt: skip


def figures(page: str) -> dict[str, str]:
    soup = BeautifulSoup(page, "html.parser")
    return {td["data-figure"]: td.get_text(strip=True) for td in soup.select("td[data-figure]")}


def labels(page: str) -> list[str]:
    soup = BeautifulSoup(page, "html.parser")
    return [th.get_text(" ", strip=True) for th in soup.select("table.coverage-sites th")]


def test_the_dashboard_shows_coverage_to_staff_in_both_languages(covered, app, client) -> None:
    make_user(app, "sari", role="editor")
    make_user(app, "budi", role="admin")
    login(client, "sari")
    page = client.get("/admin/").get_data(as_text=True)
    assert "<h2>Cakupan</h2>" in page
    assert figures(page) == FIGURES
    assert labels(page)[:3] == ["Situs Pemkot yang dikenal", "Sumber terpasang", "· sehat"]
    assert "ada keberhasilan terakhir dan tidak ada galat sesudahnya" in page
    assert 'href="/admin/sumber"' not in page  # editors cannot open it, so no link to it

    english = client.get("/admin/?lang=en").get_data(as_text=True)
    assert "<h2>Coverage</h2>" in english and "<h2>Cakupan</h2>" not in english
    assert figures(english) == FIGURES
    assert labels(english)[:3] == ["Known city sites", "Configured sources", "· healthy"]
    assert "a last success and no error after it" in english

    admin = app.test_client()
    login(admin, "budi")
    page = admin.get("/admin/").get_data(as_text=True)
    assert figures(page) == FIGURES
    assert 'href="/admin/sumber"' in page


def test_the_sources_page_lists_the_known_sites_without_a_source(covered, app, client) -> None:
    make_user(app, "budi", role="admin")
    login(client, "budi")
    page = client.get("/admin/sumber").get_data(as_text=True)
    assert figures(page) == FIGURES
    soup = BeautifulSoup(page, "html.parser")
    rows = soup.select("table.known-sites tbody tr")
    hosts = [row.select_one("code").get_text() for row in rows]
    proposed = sorted(PROPOSED_HOSTS - {f"kominfo.{CITY}"} | {f"jahil.{CITY}"})
    assert hosts == proposed + sorted(EXPECTED_UNUSABLE)  # proposals first, then the others
    assert not set(hosts) & (CONFIGURED_HOSTS | {f"kominfo.{CITY}"})
    by_host = dict(zip(hosts, rows, strict=True))
    sumbersari = by_host[f"kelsumbersari.{CITY}"].get_text(" ", strip=True)
    assert "wordpress" in sumbersari and "Kelurahan Sumbersari" in sumbersari
    assert "diusulkan" in sumbersari and "tiap 30m" in sumbersari
    arjosari = by_host[f"kelarjosari.{CITY}"].select("a")
    assert [a["href"] for a in arjosari] == [
        f"http://kelarjosari.{CITY}/", f"http://kelsumbersari.{CITY}/tautan/"
    ]  # fmt: skip
    robots = by_host[f"bakesbangpol.{CITY}"].get_text(" ", strip=True)
    assert "tidak bisa dipakai" in robots and "robots.txt disallows SaringBot" in robots
    links = soup.select("table.known-sites a")
    assert links and all(a["rel"] == REL for a in links)
    assert not any(a["href"].startswith("javascript") for a in soup.select("a[href]"))
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#39;opd&#39;)" in page
    assert "flask --app app sources discover --out proposal.toml" in page
    sources = soup.select("table.sources tbody tr")
    states = {row.select_one("code").get_text(): row.select("td")[2].get_text() for row in sources}
    assert states == {
        "malangkota": "sehat",
        "dinkes": "gagal",
        "tugutirta": "belum pernah dijalankan",
        "kominfo": "sehat",
        "pajak": "gagal",
    }

    english = client.get("/admin/sumber?lang=en").get_data(as_text=True)
    assert figures(english) == FIGURES
    soup = BeautifulSoup(english, "html.parser")
    assert [th.get_text() for th in soup.select("table.known-sites th")] == [
        "Site", "State", "Proposal or reason", "Last seen", "Linked from"
    ]  # fmt: skip
    row = soup.select_one("table.known-sites tbody tr").get_text(" ", strip=True)
    assert "proposed" in row and "diusulkan" not in row
    assert "Known sites without a source" in english


def test_coverage_is_for_signed_in_staff_only(covered, app, client) -> None:
    for path in ("/admin/", "/admin/sumber"):
        response = client.get(path)
        assert response.status_code == 302 and "/admin/masuk" in response.headers["Location"]
        assert f"kelsumbersari.{CITY}" not in response.get_data(as_text=True)
    make_user(app, "sari", role="editor")
    login(client, "sari")
    refused = client.get("/admin/sumber")
    assert refused.status_code == 403
    assert f"kelsumbersari.{CITY}" not in refused.get_data(as_text=True)
