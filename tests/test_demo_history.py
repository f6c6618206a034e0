"""The demo a newcomer explores: releases edited after publication and one removed at its source
(demo/history.json through the real ingest path), the dashboard showing them, healthy demo
sources, and `flask users demo-login`, which gives a staff login with a fresh random password
on demo data only."""

from __future__ import annotations

import re

import pytest

from archive.release import Release
from ingest.demo import load_demo
from tests.demo import demo_site
from tests.staff import login

MURAL = "pameran-mural-pelajar"
DUTA_BACA = "pendaftaran-duta-baca-pelajar"
KERONCONG = "konser-keroncong-remaja"
PASSWORD_LINE = re.compile(r"Password \(shown only this once\): (\S+)")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    yield from demo_site(tmp_path_factory, "demo-history")


@pytest.fixture
def web(demo):
    return demo.test_client()


def find(demo, slug: str):
    archive = demo.extensions["saring"].archive
    stored = next(r for r in archive.iter_releases() if slug in r.url)
    return archive.get_release(stored.id, with_versions=True)


def test_demo_has_releases_edited_after_publication(demo):
    mural, duta = find(demo, MURAL), find(demo, DUTA_BACA)
    assert [v.number for v in mural.versions] == [1, 2, 3]
    assert [v.number for v in duta.versions] == [1, 2]
    assert "14 Maret" in mural.versions[0].title and "21 Maret" in mural.current.title
    assert (
        mural.versions[0].fetched_at < mural.versions[1].fetched_at < mural.versions[2].fetched_at
    )
    assert mural.status == duta.status == "active"


def test_demo_versions_page_shows_the_changed_schedule(web, demo):
    mural = find(demo, MURAL)
    page = web.get(f"/rilis/{mural.id}/versi?dari=1&ke=2").get_data(as_text=True)
    assert "<ins>" in page and "<del>" in page
    assert re.search(r"<del>[^<]*14[^<]*</del>", page) and re.search(r"<ins>[^<]*21", page)


def test_demo_has_a_release_removed_at_its_source(web, demo):
    keroncong = find(demo, KERONCONG)
    assert keroncong.status == "removed" and keroncong.removed_at is not None
    page = web.get(f"/rilis/{keroncong.id}").get_data(as_text=True)
    assert "Rilis ini sudah dihapus dari situs sumbernya" in page


def test_demo_dashboard_shows_edits_removals_and_healthy_sources(web):
    page = web.get("/transparansi").get_data(as_text=True)
    figures = re.findall(r"<li><strong>(\d+)</strong> ([^<]+)</li>", page)
    named = {text.split(" ", 1)[1] if text.startswith("rilis ") else text: int(n)
             for n, text in figures}  # fmt: skip
    assert named["diubah setelah terbit"] == 2
    assert named["dihapus dari situs sumbernya"] == 1
    assert "Lancar" in page and "belum pernah diambil" not in page


def test_loading_the_demo_again_adds_no_versions(demo):
    before = demo.extensions["saring"].archive.counts()
    with demo.app_context():
        reports = load_demo(demo)
    assert sum(r.new + r.changed for r in reports) == 0
    assert demo.extensions["saring"].archive.counts() == before


def test_demo_login_prints_a_working_fresh_password_each_time(demo):
    runner = demo.test_cli_runner()
    first = runner.invoke(args=["users", "demo-login"])
    assert first.exit_code == 0, first.output
    password = PASSWORD_LINE.search(first.output).group(1)
    assert "Username: demo" in first.output and len(password) >= 16
    client = demo.test_client()
    assert login(client, "demo", password).status_code == 303
    assert "demo (admin)" in client.get("/admin/").get_data(as_text=True)

    second = runner.invoke(args=["users", "demo-login"])
    assert second.exit_code == 0, second.output
    new_password = PASSWORD_LINE.search(second.output).group(1)
    assert new_password != password
    assert client.get("/admin/").status_code == 302  # the reset ended the earlier session
    other = demo.test_client()
    assert login(other, "demo", password).status_code == 401
    assert login(other, "demo", new_password).status_code == 303


def test_demo_login_is_refused_outside_demo_data(app, runner):
    app.extensions["saring"].archive.record(
        Release(
            url="https://dishub.malangkota.go.id/2026/01/01/rilis-nyata/",
            title="Rilis nyata",
            paragraphs=["Isi."],
            html="",
            source_id="dishub",
            opd="Dinas Perhubungan",
        )
    )
    result = runner.invoke(args=["users", "demo-login"])
    assert result.exit_code != 0
    assert "not the demo data" in result.output and "Password" not in result.output
    assert runner.invoke(args=["users", "list"]).output.startswith("No accounts")


def test_demo_login_is_refused_on_an_empty_archive(runner):
    result = runner.invoke(args=["users", "demo-login"])
    assert result.exit_code != 0 and "Password" not in result.output
