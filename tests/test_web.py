"""The site and the JSON API on the bundled demo data (loaded once through the real path)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from app import create_app
from ingest.demo import load_demo_if_empty
from ingest.indexing import sync_index

DEMO_WP = Path(__file__).resolve().parent.parent / "demo" / "wp"


@pytest.fixture(scope="session")
def demo_app(tmp_path_factory):
    application = create_app(
        {"TESTING": True, "DATA_DIR": str(tmp_path_factory.mktemp("demo")), "DATABASE_URL": ""}
    )
    with application.app_context():
        loaded = load_demo_if_empty(application)
    posts = sum(len(json.loads(p.read_text("utf-8"))) for p in DEMO_WP.glob("*.json"))
    history = json.loads((DEMO_WP.parent / "history.json").read_text("utf-8"))  # edited/removed
    documents = json.loads((DEMO_WP.parent / "documents.json").read_text("utf-8"))["releases"]
    assert loaded == posts + len(history) + len(documents)
    yield application
    application.extensions["saring"].archive.dispose()


@pytest.fixture
def web(demo_app):
    return demo_app.test_client()


def test_demo_load_is_idempotent(demo_app):
    before = demo_app.extensions["saring"].archive.counts()
    with demo_app.app_context():
        assert load_demo_if_empty(demo_app) == 0
    assert demo_app.extensions["saring"].archive.counts() == before


def test_home_shows_search_box_and_latest_releases(web):
    page = web.get("/").get_data(as_text=True)
    assert 'name="q"' in page and 'action="/cari"' in page
    assert page.count('class="result"') == 10
    assert "Rilis terbaru" in page


def test_search_page_lists_highlighted_results(web):
    response = web.get("/cari?q=stunting")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "rilis cocok" in page
    assert "<mark>" in page.lower()
    assert page.count('class="result"') >= 2


def test_api_search_returns_the_documented_fields(web):
    data = web.get("/api/v1/search?q=seragam+gratis").get_json()
    assert data["total"] >= 1
    first = data["results"][0]
    assert set(first) >= {"id", "url", "title", "opd", "published", "snippet"}
    assert "seragam" in (first["title"] + first["snippet"]).lower()
    assert first["published"].endswith("+07:00")


def test_api_search_stemmed_match(web):
    # "pembangunan" must also find releases that only say "membangun"/"dibangun"
    data = web.get("/api/v1/search?q=pembangunan&per_page=50").get_json()
    titles_and_snippets = " ".join(r["snippet"].lower() for r in data["results"])
    assert re.search(r"<mark>(mem|di|pem)?bangun", titles_and_snippets)


def test_release_page_and_api_agree(web):
    hit = web.get("/api/v1/search?q=stunting").get_json()["results"][0]
    release = web.get(f"/api/v1/releases/{hit['id']}").get_json()
    assert release["title"] == hit["title"]
    assert release["status"] == "active"
    assert release["paragraphs"] and all(isinstance(p, str) for p in release["paragraphs"])
    assert release["versions"] and set(release["versions"][0]) >= {"fetched_at", "hash"}
    assert len(release["versions"][0]["hash"]) == 64
    page = web.get(f"/rilis/{hit['id']}").get_data(as_text=True)
    assert release["paragraphs"][1][:60] in page
    assert "Versi tersimpan" in page and release["url"] in page


def test_unknown_release_is_404_in_html_and_json(web):
    assert web.get("/rilis/999999").status_code == 404
    response = web.get("/api/v1/releases/999999")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == 404


@pytest.mark.parametrize(
    "query",
    ['"', "((", "AND", "OR OR", "*", "-", "opd:", 'judul:"', "😀🔥 VIRALKAN!!!", "a" * 600,
     "<script>alert(1)</script>", "title:[a TO", "\\", "%00"],
)
def test_hostile_queries_never_error(web, query):
    response = web.get("/cari", query_string={"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)
    assert web.get("/api/v1/search", query_string={"q": query}).status_code == 200


@pytest.mark.parametrize("args", ["page=abc", "per_page=x", "page=1.5"])
def test_bad_paging_is_a_clear_400(web, args):
    response = web.get(f"/api/v1/search?q=banjir&{args}")
    assert response.status_code == 400
    assert response.get_json()["error"]["detail"]


def test_empty_query_lists_latest_first(web):
    data = web.get("/api/v1/search?per_page=20").get_json()
    dates = [r["published"] for r in data["results"]]
    assert data["total"] >= 100
    assert dates == sorted(dates, reverse=True)


def test_healthz_reports_store_and_index(demo_app, web):
    data = web.get("/healthz").get_json()
    assert data["status"] == "ok"
    assert data["store"]["releases"] >= 100 and data["store"]["pending_index"] == 0
    # The index also holds the published demo clarifications (kind "clarification").
    from archive.editorial import Editorial

    editorial = Editorial(demo_app.extensions["saring"].archive.engine)
    clarifications = editorial.count_clarifications().get("published", 0)
    assert data["index"]["documents"] == data["store"]["releases"] + clarifications


def test_templates_escape_source_text(demo_app, web):
    services = demo_app.extensions["saring"]
    from archive.release import Release

    release = Release(
        url="https://kominfo.malangkota.go.id/2025/01/01/uji-xss/",
        title="Judul <img src=x onerror=alert(1)>",
        paragraphs=["Paragraf berisi <script>alert('x')</script> teks."],
        html="",
        source_id="uji",
        opd="Dinas <b>Uji</b>",
    )
    services.archive.record(release)
    sync_index(services.archive, services.index)
    stored = next(r for r in services.archive.iter_releases() if r.url == release.url)
    page = web.get(f"/rilis/{stored.id}").get_data(as_text=True)
    assert "<script>alert('x')</script>" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;" in page


def test_reindex_keeps_published_clarifications(demo_app):
    from index.retrieve import retrieve

    index = demo_app.extensions["saring"].index
    before = index.doc_count()
    assert retrieve(index, "angkot tarif 15 ribu", kind="clarification")
    result = demo_app.test_cli_runner().invoke(args=["reindex"])
    assert result.exit_code == 0, result.output
    assert index.doc_count() == before
    assert retrieve(index, "angkot tarif 15 ribu", kind="clarification")
