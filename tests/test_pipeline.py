"""Ingest end to end: the real fetcher against a WordPress-shaped site on 127.0.0.1, checked in
the archive (SQLite file) and the Whoosh index."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from index.search import SearchQuery, search
from ingest.cli import build_ingester
from ingest.sources import load_sources
from tests.localserver import LocalServer, Response
from tests.wpsite import WordPressSite, demo_posts


def write_sources(path: Path, site_url: str, *, kind: str = "wordpress", extra: str = "") -> Path:
    path.write_text(
        f"""
[[source]]
id = "dinkes"
kind = "{kind}"
url = "{site_url}{"/" if kind == "wordpress" else ""}"
opd = "Dinas Kesehatan"
category = ["Berita"]
{extra}
""",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def services(app):
    return app.extensions["saring"]


def run(app, sources_file: Path, *, backfill: bool = False):
    sources = load_sources(sources_file)
    with app.app_context():
        ingester = build_ingester(app, sources)
        return ingester.run(sources, backfill=backfill)[0]


def releases_by_url(services) -> dict:
    return {r.url: r for r in services.archive.iter_releases()}


def hits(services, q: str) -> list[str]:
    return [h.url for h in search(services.index, SearchQuery(q=q, per_page=50)).hits]


def test_feed_with_full_content_fills_store_and_index(app, services, tmp_path):
    posts = demo_posts(limit=5)
    with WordPressSite(posts) as site:
        report = run(app, write_sources(tmp_path / "s.toml", site.base_url))
        assert report.error is None, report.error
        assert report.new == 5
        stored = releases_by_url(services)
        assert set(stored) == {site.url_of(p) for p in posts}
        release = stored[site.url_of(posts[0])]
        # the real text is kept, the dateline and the closing initials are split off
        assert release.current.dateline.startswith("Malang, (malangkota.go.id)")
        assert release.current.author
        assert release.current.paragraphs[0] == posts[0].paragraphs[0].split("– ", 1)[1]
        assert not any(release.current.author in p for p in release.current.paragraphs[-1:])
        assert release.opd == "Dinas Kesehatan"
        assert release.current.published is not None
        # and the index can find it by a word of its body
        word = posts[2].title.split()[0]
        assert site.url_of(posts[2]) in hits(services, posts[2].title)
        assert word
        assert services.archive.counts()["pending_index"] == 0


def test_summary_feed_fetches_article_pages_without_boilerplate(app, services, tmp_path):
    posts = demo_posts(limit=3)
    with WordPressSite(posts, full_feed=False) as site:
        report = run(app, write_sources(tmp_path / "s.toml", site.base_url))
        assert report.new == 3, report.problems
        for post in posts:
            assert site.requests_to(post.path), "article page was not fetched"
        release = releases_by_url(services)[site.url_of(posts[1])]
        text = " ".join(release.current.paragraphs)
        assert posts[1].paragraphs[1] in text
        for noise in (
            "Bagikan ini",
            "Berita Terkait",
            "Tinggalkan Balasan",
            "tracking",
            "Profil Dinas",
            "Arsip Bulanan",
            "Hak cipta",
        ):
            assert noise not in text


def test_unchanged_feed_costs_one_304_and_changes_nothing(app, services, tmp_path):
    with WordPressSite(demo_posts(limit=4)) as site:
        sources = write_sources(tmp_path / "s.toml", site.base_url)
        run(app, sources)
        before = services.archive.counts()
        site.server.requests.clear()
        report = run(app, sources)
        assert report.not_modified == 1
        assert (report.new, report.changed) == (0, 0)
        # robots.txt is read once per run; the source itself costs a single conditional GET
        asked = [r for r in site.server.requests if r.path != "/robots.txt"]
        assert [r.path for r in asked] == ["/feed/"]
        assert asked[0].headers.get("if-none-match")
        assert services.archive.counts() == before


def test_edit_makes_a_new_version_and_reindexes(app, services, tmp_path):
    posts = demo_posts(limit=4)
    with WordPressSite(posts) as site:
        sources = write_sources(tmp_path / "s.toml", site.base_url)
        run(app, sources)
        old_text = posts[0].paragraphs[1]
        site.edit(
            posts[0],
            paragraph=1,
            text="Ralat: jadwal posyandu diundur ke Kamis depan "
            "karena petugas mengikuti pelatihan zebrasukunmarker.",
            at=datetime.now(UTC),
        )
        report = run(app, sources)
        assert report.changed == 1 and report.new == 0
        release = services.archive.get_release(
            releases_by_url(services)[site.url_of(posts[0])].id, with_versions=True
        )
        assert [v.number for v in release.versions] == [1, 2]
        assert old_text in release.versions[0].paragraphs
        assert "zebrasukunmarker" in " ".join(release.versions[1].paragraphs)
        assert release.versions[0].hash != release.versions[1].hash
        assert hits(services, "zebrasukunmarker") == [site.url_of(posts[0])]


def test_edit_to_an_older_post_is_noticed_through_the_rest_api(app, services, tmp_path):
    posts = demo_posts(limit=12)
    with WordPressSite(posts, feed_size=5) as site:
        sources = write_sources(tmp_path / "s.toml", site.base_url, extra='edit_check = "1s"')
        run(app, sources, backfill=True)
        oldest = min(posts, key=lambda p: p.date)
        site.edit(
            oldest,
            paragraph=0,
            text="Paragraf ini diperbarui oleh admin situs dengan kata kuncirevisi.",
            at=datetime.now(UTC) + timedelta(minutes=1),
        )
        services.archive.mark_edit_check("dinkes", datetime.now(UTC) - timedelta(hours=1))
        report = run(app, sources)
        assert report.changed == 1, report.problems
        assert site.url_of(oldest) in hits(services, "kuncirevisi")


def test_backfill_pages_the_rest_api_and_marks_deleted_posts_removed(app, services, tmp_path):
    posts = demo_posts()
    with WordPressSite(posts) as site:
        sources = write_sources(tmp_path / "s.toml", site.base_url)
        report = run(app, sources, backfill=True)
        assert report.new == len(posts)
        pages = [r.query.get("page") for r in site.requests_to("/wp-json/wp/v2/posts")]
        assert pages == ["1"]  # 16 posts fit in one page of 100
        deleted = posts[3]
        deleted.gone = 410
        report = run(app, sources, backfill=True)
        assert report.removed == 1
        stored = releases_by_url(services)[site.url_of(deleted)]
        assert stored.status == "removed"
        assert stored.current.paragraphs  # still archived and readable
        # removed releases stay findable, and say so
        found = search(services.index, SearchQuery(q=deleted.title)).hits
        assert any(h.url == site.url_of(deleted) and h.status == "removed" for h in found)


def test_rest_paging_follows_total_pages(app, services, tmp_path, monkeypatch):
    import ingest.pipeline as pipeline

    monkeypatch.setattr(pipeline, "REST_PAGE_SIZE", 5)
    posts = demo_posts(limit=12)
    with WordPressSite(posts) as site:
        report = run(app, write_sources(tmp_path / "s.toml", site.base_url), backfill=True)
        assert report.new == 12
        pages = [r.query.get("page") for r in site.requests_to("/wp-json/wp/v2/posts")]
        assert pages == ["1", "2", "3"]


def test_backfill_without_rest_api_pages_the_feed(app, services, tmp_path):
    posts = demo_posts(limit=12)
    with WordPressSite(posts, rest=False, feed_size=5) as site:
        report = run(app, write_sources(tmp_path / "s.toml", site.base_url), backfill=True)
        assert report.error is None
        assert report.new == 12
        assert any("REST API unavailable" in p for p in report.problems)
        paged = sorted(r.query.get("paged", "1") for r in site.requests_to("/feed/"))
        assert paged[:3] == ["1", "2", "3"]
        assert len(releases_by_url(services)) == 12


def test_deleted_article_page_marks_release_removed(app, services, tmp_path):
    posts = demo_posts(limit=3)
    with WordPressSite(posts, full_feed=False) as site:
        sources = write_sources(tmp_path / "s.toml", site.base_url)
        run(app, sources)
        # a new post changes the feed; the feed still lists the deleted one (a stale cache)
        # but its page is gone
        extra = demo_posts(limit=4)[3]
        extra.id = 99
        site.add(extra)
        site.server.route(posts[1].path, lambda r: Response(status=404, body=b"hilang"))
        report = run(app, sources)
        assert report.new == 1
        assert report.removed == 1
        assert releases_by_url(services)[site.url_of(posts[1])].status == "removed"


def test_redirect_to_foreign_host_is_refused_and_logged(app, services, tmp_path):
    posts = demo_posts(limit=3)
    posts[0].redirect_to = "http://evil.example.org/phishing/"
    with WordPressSite(posts, full_feed=False, rest=False) as site:
        report = run(app, write_sources(tmp_path / "s.toml", site.base_url))
        assert report.error is None
        assert report.new == 2
        assert any("evil.example.org" in p for p in report.problems)
        assert site.url_of(posts[0]) not in releases_by_url(services)
        health = services.archive.source_health()["dinkes"]
        assert health["last_counts"]["problems"] >= 1


def test_same_release_seen_twice_is_stored_once(app, services, tmp_path):
    posts = demo_posts(limit=3)
    with WordPressSite(posts) as site:
        sources = write_sources(tmp_path / "s.toml", site.base_url)
        run(app, sources)
        run(app, sources, backfill=True)  # REST gives the same posts again
        assert services.archive.counts()["releases"] == 3
        assert services.archive.counts()["versions"] == 3


def test_failing_source_is_recorded_and_does_not_stop_others(app, services, tmp_path):
    with WordPressSite(demo_posts(limit=2)) as site, LocalServer() as broken:
        broken.static("/feed/", b"<html><body>Maintenance</body></html>")
        path = tmp_path / "s.toml"
        path.write_text(
            f"""
[[source]]
id = "rusak"
kind = "wordpress"
url = "{broken.base_url}/"
opd = "Dinas Rusak"

[[source]]
id = "dinkes"
kind = "wordpress"
url = "{site.base_url}/"
opd = "Dinas Kesehatan"
""",
            encoding="utf-8",
        )
        sources = load_sources(path)
        with app.app_context():
            reports = build_ingester(app, sources).run(sources)
        assert reports[0].error and "unreadable" in reports[0].error
        assert reports[1].error is None and reports[1].new == 2
        health = services.archive.source_health()
        assert health["rusak"]["last_error"] and health["rusak"]["last_success"] is None
        assert health["dinkes"]["last_success"] is not None


def test_host_not_in_sources_is_never_fetched(app, services, tmp_path):
    posts = demo_posts(limit=2)
    with WordPressSite(posts, rest=False) as site, LocalServer() as other:
        other.static("/secret/", b"<p>rahasia</p>")
        posts[0].redirect_to = other.base_url.replace("127.0.0.1", "localhost") + "/secret/"
        site.full_feed = False
        report = run(app, write_sources(tmp_path / "s.toml", site.base_url))
        assert other.requests == []
        assert report.new == 1


def test_crash_between_store_and_index_is_repaired_by_reindex(app, services, tmp_path, runner):
    from ingest.normalise import normalise_item
    from ingest.parsers import parse_wp_posts

    with WordPressSite(demo_posts(limit=4)) as site:
        # store without indexing: what a crash right after the archive commit leaves behind
        import urllib.request

        body = urllib.request.urlopen(site.base_url + "/wp-json/wp/v2/posts?per_page=10").read()
        for item in parse_wp_posts(body, site.base_url).items:
            release, _ = normalise_item(item, source_id="dinkes", opd="Dinas Kesehatan")
            services.archive.record(release)
    assert services.archive.counts()["pending_index"] == 4
    assert search(services.index, SearchQuery(q="")).total == 0
    result = runner.invoke(args=["reindex"])
    assert result.exit_code == 0, result.output
    assert "4" in result.output
    assert search(services.index, SearchQuery(q="")).total == 4
    assert services.archive.counts()["pending_index"] == 0


def test_next_ingest_repairs_an_interrupted_index_update(app, services, tmp_path):
    posts = demo_posts(limit=3)
    with WordPressSite(posts) as site:
        sources = write_sources(tmp_path / "s.toml", site.base_url)
        run(app, sources)
        services.archive.mark_all_pending()  # as if the index commit never happened
        services.index.rebuild([])  # and the index lost everything
        assert search(services.index, SearchQuery(q="")).total == 0
        run(app, sources)  # nothing new at the source (304), but pending work is done
        assert search(services.index, SearchQuery(q="")).total == 3


def test_cli_ingest_prints_a_summary(app, runner, tmp_path):
    with WordPressSite(demo_posts(limit=2)) as site:
        sources = write_sources(tmp_path / "s.toml", site.base_url)
        result = runner.invoke(args=["ingest", "--sources", str(sources)])
        assert result.exit_code == 0, result.output
        assert "dinkes" in result.output and "new" in result.output
        result = runner.invoke(args=["sources", "--sources", str(sources)])
        assert "OK" in result.output and "releases 2" in result.output


def test_cli_rejects_a_bad_sources_file(runner, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[[source]]\nid = "x"\nkind = "gopher"\nurl = "https://a.malangkota.go.id/"\nopd = "X"\n',
        encoding="utf-8",
    )
    result = runner.invoke(args=["ingest", "--sources", str(bad)])
    assert result.exit_code != 0
    assert "kind" in result.output and "gopher" in result.output


def test_html_source_follows_listing_selectors(app, services, tmp_path):
    posts = demo_posts(limit=3)
    with LocalServer() as site:
        links = "".join(
            f'<div class="kabar"><h2><a href="/berita/{p.slug}/">{p.title}</a></h2></div>'
            for p in posts
        )
        site.static(
            "/berita/",
            f"<html><body><nav><a href='/profil/'>Profil</a></nav>"
            f"<main>{links}</main></body></html>",
        )
        for p in posts:
            site.static(
                f"/berita/{p.slug}/",
                f"<html><body><header>Menu Beranda</header><div class='judul'>{p.title}</div>"
                f"<span class='tgl'>{p.date.day} Maret {p.date.year}</span>"
                f"<div class='isi'>{p.content_html()}</div><footer>Alamat kantor</footer>"
                "</body></html>",
            )
        path = write_sources(
            tmp_path / "s.toml",
            site.base_url + "/berita/",
            kind="html",
            extra='[source.selectors]\nitem = ".kabar h2 a"\ntitle = ".judul"\n'
            'date = ".tgl"\nbody = ".isi"\n',
        )
        report = run(app, path)
        assert report.error is None, report.error
        assert report.new == 3
        stored = releases_by_url(services)
        release = stored[f"{site.base_url}/berita/{posts[0].slug}/"]
        assert release.title == posts[0].title
        assert "Alamat kantor" not in " ".join(release.current.paragraphs)
        assert release.current.published is not None
        assert not site.requests_for("/profil/")
        # a second run only asks for the listing: known articles are not fetched again
        site.requests.clear()
        assert run(app, path).new == 0
        assert [r.path for r in site.requests if r.path != "/robots.txt"] == ["/berita/"]


def test_generic_feed_source_reads_atom(app, services, tmp_path):
    posts = demo_posts(limit=2)
    entries = "".join(
        f"<entry><title>{p.title}</title><link href='https://dinkes.malangkota.go.id{p.path}'/>"
        f"<id>tag:dinkes,{p.id}</id><updated>{p.date.isoformat()}</updated>"
        f"<content type='html'>{html_escape(p.content_html())}</content></entry>"
        for p in posts
    )
    atom = (
        "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
        f"<title>Dinkes</title><id>tag:dinkes</id><updated>2025-01-01T00:00:00Z</updated>"
        f"{entries}</feed>"
    )
    with LocalServer() as site:
        site.static("/atom.xml", atom, content_type="application/atom+xml")
        report = run(
            app, write_sources(tmp_path / "s.toml", site.base_url + "/atom.xml", kind="feed")
        )
        assert report.new == 2, report.problems
        urls = set(releases_by_url(services))
        assert f"https://dinkes.malangkota.go.id{posts[0].path}" in urls


def html_escape(text: str) -> str:
    import html

    return html.escape(text)


def test_repost_on_another_site_and_english_copy_are_not_new_releases(app, services, tmp_path):
    posts = demo_posts(limit=2)
    with (
        WordPressSite(posts, rest=False) as main_site,
        WordPressSite(demo_posts(limit=2), rest=False) as kelurahan,
    ):
        english = demo_posts(limit=3)[2]
        english.slug = "en-copy"
        main_site.add(english)
        english_path = f"/en{english.path}"
        main_site.server.route(english_path, lambda r: Response(body=b"<p>English</p>"))
        # the feed lists the /en/ copy under its own link
        original_url_of = main_site.url_of
        main_site.url_of = lambda p: (
            main_site.base_url + english_path if p is english else original_url_of(p)
        )
        path = tmp_path / "s.toml"
        path.write_text(
            f'[[source]]\nid = "pemkot"\nkind = "wordpress"\nurl = "{main_site.base_url}/"\n'
            'opd = "Pemerintah Kota Malang"\n\n'
            f'[[source]]\nid = "kelurahan"\nkind = "wordpress"\nurl = "{kelurahan.base_url}/"\n'
            'opd = "Kelurahan Sumbersari"\n',
            encoding="utf-8",
        )
        sources = load_sources(path)
        with app.app_context():
            first, second = build_ingester(app, sources).run(sources)
        assert first.new == 2 and first.duplicates == 1  # the /en/ copy
        assert second.new == 0 and second.duplicates == 2  # word-for-word reposts
        assert services.archive.counts()["releases"] == 2
