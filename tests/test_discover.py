"""Source discovery against a WordPress-shaped city multisite on 127.0.0.1 (tests/multisite.py):
what it proposes, what it finds unusable and why, its bounds, the proposal file and the command.
"""

from __future__ import annotations

import socket
from datetime import timedelta
from pathlib import Path

import pytest

from index.store import WIB
from ingest.discover import (
    Discovery,
    Limits,
    clean_site_name,
    discover,
    opd_from_host,
    render_proposal,
    source_id_for,
)
from ingest.fetch import Fetcher
from ingest.sources import load_sources
from tests.localserver import LocalServer, Response
from tests.multisite import (
    CITY,
    EXPECTED_PROPOSALS,
    EXPECTED_UNUSABLE,
    FOREIGN_LINKED,
    FOREIGN_REDIRECT,
    LINKED_FROM_MAIN,
    NOW,
    SOURCES_TOML,
    TUGU,
    Multisite,
    page,
    serve_city,
    write_sources,
)
from tests.resolver import ResolverSpy


@pytest.fixture
def city(monkeypatch: pytest.MonkeyPatch):
    yield from serve_city(monkeypatch)


@pytest.fixture
def sources_file(tmp_path: Path) -> Path:
    return write_sources(tmp_path / "sources.toml")


def run(sources_file: Path, **limits: object) -> Discovery:
    sources = load_sources(sources_file)
    fetcher = Fetcher({s.allowed_host for s in sources}, allow_private=True, delay=0, timeout=5)
    return discover(sources, fetcher, Limits(**limits))  # type: ignore[arg-type]


def allowed(host: str) -> bool:
    return host == CITY or host.endswith("." + CITY) or host == TUGU


# --------------------------------------------------------------------------------------------
# The whole multisite
# --------------------------------------------------------------------------------------------


def test_the_multisite_yields_the_right_proposals_and_nothing_outside_the_allowed_hosts(
    city: Multisite, sources_file: Path
) -> None:
    result = run(sources_file)

    proposed = {p.id: (p.kind, p.url, p.opd, p.interval) for p in result.proposals}
    assert proposed == EXPECTED_PROPOSALS
    listing = next(p for p in result.proposals if p.kind == "html")
    assert listing.item_selector == "#daftar-berita > div.kabar"

    reasons = {item.host: item.reason for item in result.unusable}
    assert set(reasons) == set(EXPECTED_UNUSABLE)
    for host, start in EXPECTED_UNUSABLE.items():
        assert reasons[host].startswith(start), (host, reasons[host])
    assert "Connection refused" in reasons[f"siapel.{CITY}"]
    assert not any(item.unprobed for item in result.unusable)

    assert set(result.configured) == {CITY, f"www.{CITY}", f"dinkes.{CITY}", TUGU}
    assert result.foreign == sorted([FOREIGN_LINKED, FOREIGN_REDIRECT, f"ppid.{CITY}:8443"])
    assert result.hosts_found == len(EXPECTED_PROPOSALS) + len(EXPECTED_UNUSABLE) + 4
    assert not result.stopped

    # Nothing outside the allow-list was looked up, let alone contacted.
    assert all(allowed(host) for host in city.resolver.hosts), city.resolver.hosts
    assert city.foreign.requests == []
    assert f"ppid.{CITY}" not in city.resolver.hosts
    assert all(allowed(host) for host in city.hosts_contacted())
    # A configured source is crawled (it is a starting point) but never probed.
    dinkes = city.servers[f"dinkes.{CITY}"]
    assert [r.path for r in dinkes.requests if r.path != "/robots.txt"] == ["/"]


def test_evidence_names_what_was_probed(city: Multisite, sources_file: Path) -> None:
    result = run(sources_file)
    by_id = {p.id: p for p in result.proposals}

    sumbersari = " | ".join(by_id["kelsumbersari"].evidence)
    assert "REST /wp-json/ lists wp/v2/posts; 4 post(s) seen" in sumbersari
    # the newest post's day in Malang (WIB), whatever the hour of the run
    assert f"newest {(NOW - timedelta(days=2)).astimezone(WIB):%Y-%m-%d}" in sumbersari
    assert "feed /feed/: 4 item(s)" in sumbersari
    assert by_id["kelsumbersari"].opd_from.startswith("the REST index name")

    sukun = " | ".join(by_id["kecsukun"].evidence)
    assert "REST: /wp-json/ answered HTTP 401 (rest_disabled)" in sukun
    assert by_id["kecsukun"].opd_from.startswith("the page <title>")

    assert "REST: /wp-json/ answered malformed JSON" in by_id["kominfo"].evidence
    assert by_id["keckedungkandang"].opd_from.startswith("og:site_name")
    assert by_id["kelarjosari"].found_on == f"http://kelsumbersari.{CITY}/tautan/"
    assert by_id["puskpolowijen"].found_on == f"http://{TUGU}/publikasi/"

    listing = " | ".join(by_id["dispussipda"].evidence)
    assert "4 dated article link(s)" in listing
    assert f"newest {(NOW - timedelta(days=21)):%Y-%m-%d}" in listing


def test_probes_of_several_hosts_take_turns(city: Multisite, sources_file: Path) -> None:
    # One request per host in turn, so one host's politeness wait overlaps the others' requests:
    # the second subsite is asked for its feed before the first subsite's probe is over.
    run(sources_file)

    def probe_times(host: str) -> list[float]:
        server = city.servers[host]
        return [r.received for r in server.requests if r.path in ("/wp-json/", "/feed/")]

    first, second = probe_times(f"kelsumbersari.{CITY}"), probe_times(f"kecsukun.{CITY}")
    assert len(first) == 2 and len(second) == 2
    assert min(second) < max(first)


def test_the_proposal_loads_with_the_sources_loader(
    city: Multisite, sources_file: Path, tmp_path: Path
) -> None:
    result = run(sources_file)
    text = render_proposal(result, generated_at=NOW, sources_file=str(sources_file))
    proposal = tmp_path / "proposal.toml"
    proposal.write_text(text, encoding="utf-8")

    loaded = {s.id: s for s in load_sources(proposal)}
    assert {i: (s.kind, s.url, s.opd) for i, s in loaded.items()} == {
        i: expected[:3] for i, expected in EXPECTED_PROPOSALS.items()
    }
    assert loaded["dispussipda"].selectors.item == "#daftar-berita > div.kabar"
    assert loaded["kelarjosari"].interval == 86400
    assert loaded["kominfo"].interval == 1800

    # Pasted below the live entries, the file still loads: no id collides, no [defaults] added.
    combined = tmp_path / "combined.toml"
    combined.write_text(SOURCES_TOML + "\n" + text, encoding="utf-8")
    assert len(load_sources(combined)) == 3 + len(EXPECTED_PROPOSALS)

    comments = [line for line in text.splitlines() if line.startswith("#")]
    assert any(line.startswith(f"# siapel.{CITY}: unreachable") for line in comments)
    assert any(
        line.startswith(f"# jdih.{CITY}: redirects to {FOREIGN_REDIRECT}") for line in comments
    )
    assert f"# {FOREIGN_LINKED}" in text or FOREIGN_LINKED in " ".join(comments)
    assert "NOT LIVE CONFIGURATION" in text


def test_a_subsite_beyond_the_depth_bound_is_not_found(city: Multisite, sources_file: Path) -> None:
    shallow = run(sources_file, depth=1)
    seen = {p.host for p in shallow.proposals} | {u.host for u in shallow.unusable}
    assert f"kelsumbersari.{CITY}" in seen
    assert f"kelarjosari.{CITY}" not in seen
    assert city.servers[f"kelarjosari.{CITY}"].requests == []

    deep = run(sources_file, depth=2)
    assert "kelarjosari" in {p.id for p in deep.proposals}


def test_the_page_bound_stops_the_crawl(city: Multisite, sources_file: Path) -> None:
    result = run(sources_file, pages=1)
    assert result.pages == 1
    assert result.stopped == "page limit reached"
    # Only the main page was read: its links are found, nothing that later pages would show.
    found = {p.id for p in result.proposals} | {u.host for u in result.unusable}
    assert "kelsumbersari" in found
    assert "puskpolowijen" not in found  # linked only from a configured source's page
    assert "kelarjosari" not in found
    assert city.servers[TUGU].requests == []


def test_no_time_left_means_no_request(city: Multisite, sources_file: Path) -> None:
    result = run(sources_file, seconds=0)
    assert result.stopped == "time limit reached"
    assert (result.pages, result.requests, result.proposals) == (0, 0, [])
    assert city.hosts_contacted() == set()


def test_hosts_left_when_time_runs_out_are_reported_not_probed(
    city: Multisite, sources_file: Path
) -> None:
    # A clock that says the time is up as soon as the main site has answered once.
    sources = load_sources(sources_file)
    fetcher = Fetcher({s.allowed_host for s in sources}, allow_private=True, delay=0)
    main = city.servers[CITY]
    result = discover(
        sources, fetcher, Limits(seconds=60), clock=lambda: 1000.0 if main.requests else 0.0
    )
    assert result.stopped == "time limit reached"
    assert result.pages == 1 and result.proposals == []
    assert {u.host for u in result.unusable} == {
        f"{sub}.{CITY}" for sub in LINKED_FROM_MAIN if sub != "dinkes"
    }
    assert {u.reason for u in result.unusable} == {"not probed: the time limit ran out first"}
    assert all(u.unprobed for u in result.unusable)  # the site register keeps older findings
    assert city.hosts_contacted() == {CITY}


def test_a_slow_subsite_is_reported_as_timed_out(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with LocalServer() as main, LocalServer() as slow:

        def stall(_request):
            import time

            time.sleep(2.0)  # longer than the fetcher's whole budget below
            return Response(body="terlambat")

        main.static("/", page("Pemkot", f'<a href="http://kelsukun.{CITY}/">Sukun</a>'))
        slow.route("/", stall)
        slow.route("/robots.txt", stall)
        resolver = ResolverSpy(
            {CITY: [("127.0.0.1", main.port)], f"kelsukun.{CITY}": [("127.0.0.1", slow.port)]},
            strict=True,
        )
        monkeypatch.setattr(socket, "getaddrinfo", resolver)
        path = tmp_path / "sources.toml"
        path.write_text(
            f'[[source]]\nid = "malangkota"\nkind = "wordpress"\nurl = "http://{CITY}/"\n'
            'opd = "Pemerintah Kota Malang"\n',
            encoding="utf-8",
        )
        sources = load_sources(path)
        fetcher = Fetcher(allow_private=True, delay=0, timeout=0.3, total_timeout=0.6)
        result = discover(sources, fetcher, Limits(depth=0))
    assert [(u.host, u.reason.split(":")[0]) for u in result.unusable] == [
        (f"kelsukun.{CITY}", "timed out")
    ]
    assert result.proposals == []


# --------------------------------------------------------------------------------------------
# The command
# --------------------------------------------------------------------------------------------


def test_cli_writes_the_proposal_to_a_file_and_prints_the_figures(
    city: Multisite, sources_file: Path, app, runner, tmp_path: Path
) -> None:
    out = tmp_path / "usulan.toml"
    before = sources_file.read_bytes()
    result = runner.invoke(
        args=["sources", "discover", "--sources", str(sources_file), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert {s.id for s in load_sources(out)} == set(EXPECTED_PROPOSALS)
    assert "Proposal written to" in result.output
    assert f"{len(EXPECTED_PROPOSALS)} proposal(s)" in result.output
    assert f"{len(EXPECTED_UNUSABLE)} not usable" in result.output
    assert " page(s) crawled" in result.output and " s." in result.output
    assert sources_file.read_bytes() == before
    assert "Traceback" not in result.output


def test_cli_without_out_prints_toml_on_stdout_and_figures_on_stderr(
    city: Multisite, sources_file: Path, app, runner, tmp_path: Path
) -> None:
    result = runner.invoke(
        args=["sources", "--sources", str(sources_file), "discover", "--max-depth", "1"]
    )
    assert result.exit_code == 0, result.output
    printed = tmp_path / "printed.toml"
    printed.write_text(result.stdout, encoding="utf-8")
    ids = {s.id for s in load_sources(printed)}
    assert "kelsumbersari" in ids and "kelarjosari" not in ids
    assert "Discovery:" not in result.stdout
    assert "proposal(s)" in result.stderr


@pytest.mark.parametrize("how", ["--sources file", "configured SOURCES_FILE", "symlink"])
def test_cli_refuses_to_write_into_the_live_sources_file(
    how: str, city: Multisite, sources_file: Path, app, runner, tmp_path: Path
) -> None:
    before = sources_file.read_bytes()
    args = ["sources", "discover"]
    if how == "--sources file":
        args += ["--sources", str(sources_file), "--out", str(sources_file)]
    elif how == "configured SOURCES_FILE":
        app.config["SOURCES_FILE"] = str(sources_file)
        args += ["--out", str(sources_file)]
    else:
        link = tmp_path / "link.toml"
        link.symlink_to(sources_file)
        args += ["--sources", str(sources_file), "--out", str(link)]
    result = runner.invoke(args=args)
    assert result.exit_code != 0
    assert "refusing to write the proposal into the live sources file" in result.output
    assert sources_file.read_bytes() == before
    assert city.hosts_contacted() == set()  # refused before any crawling


def test_cli_start_url_must_be_on_an_allowed_host(
    city: Multisite, sources_file: Path, app, runner
) -> None:
    result = runner.invoke(
        args=[
            "sources",
            "discover",
            "--sources",
            str(sources_file),
            "--start",
            f"http://{FOREIGN_LINKED}/",
        ]
    )
    assert result.exit_code != 0
    assert "not on an allowed host" in result.output
    assert city.foreign.requests == [] and FOREIGN_LINKED not in city.resolver.hosts


def test_sources_without_a_subcommand_still_lists_the_sources(
    sources_file: Path, app, runner
) -> None:
    result = runner.invoke(args=["sources", "--sources", str(sources_file)])
    assert result.exit_code == 0, result.output
    assert "malangkota  [wordpress]" in result.output
    assert "tugutirta  [html]" in result.output


def test_hostile_names_and_evidence_stay_inside_their_strings_and_comments(tmp_path: Path) -> None:
    from ingest.discover import Proposal, Unusable

    opd = 'Dinas "Uji" \\ Coba\nbaris\x7f'
    result = Discovery(seeds=["http://malangkota.go.id/"], limits=Limits())
    result.proposals.append(
        Proposal(
            host=f"uji.{CITY}",
            id="uji",
            kind="html",
            url=f"http://uji.{CITY}/",
            opd=opd,
            interval="1d",
            opd_from='the page <title> "x"\n[[source]]',
            item_selector='a[href*="berita"]',
            evidence=['listing\nid = "palsu"', "\x00\x1b[31m"],
            found_on=f"http://{CITY}/\r\n[defaults]",
        )
    )
    result.unusable.append(Unusable(f"mati.{CITY}", "", 'refused\n[[source]]\nid = "x"'))
    path = tmp_path / "proposal.toml"
    path.write_text(render_proposal(result, generated_at=NOW, sources_file="s\n.toml"), "utf-8")

    (only,) = load_sources(path)
    assert (only.id, only.opd, only.selectors.item) == ("uji", opd, 'a[href*="berita"]')


def test_an_empty_proposal_says_so(tmp_path: Path) -> None:
    text = render_proposal(
        Discovery(seeds=[], limits=Limits()), generated_at=NOW, sources_file="sources.toml"
    )
    assert "# No new source to propose." in text
    assert "[[source]]" not in text.replace("`", "")


# --------------------------------------------------------------------------------------------
# Names and ids
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Beranda – Dinas Kesehatan Kota Malang", "Dinas Kesehatan"),
        ("Kelurahan Sumbersari &#8211; Kecamatan Lowokwaru", "Kelurahan Sumbersari"),
        (
            "BPBD Kota Malang | Badan Penanggulangan Bencana Daerah",
            "Badan Penanggulangan Bencana Daerah",
        ),
        ("Kelurahan Blimbing, Kota Malang", "Kelurahan Blimbing"),
        ("Website Resmi Pemerintah Kota Malang", ""),
        ("Just another WordPress site", ""),
        ("Beranda", ""),
    ],
)
def test_site_titles_lose_their_boilerplate(title: str, name: str) -> None:
    assert clean_site_name(title) == name


def test_ids_and_fallback_names_come_from_the_host() -> None:
    assert source_id_for(f"dinkes.{CITY}") == "dinkes"
    assert source_id_for(f"www.{CITY}") == "malangkota"
    assert source_id_for(f"uptd.pasar.{CITY}") == "uptd-pasar"
    assert source_id_for("perumdatugutirta.co.id") == "perumdatugutirta"
    assert opd_from_host(f"kelarjosari.{CITY}") == "Kelurahan Arjosari"
    assert opd_from_host(f"puskpolowijen.{CITY}") == "Puskesmas Polowijen"
    assert opd_from_host(f"bkpsdm.{CITY}") == "BKPSDM"
