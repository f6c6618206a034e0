"""Search that finds the record, on the demo archive: published clarifications in a separate box
above the release hits of /cari (with their coloured label), while counts, facets and downloads
stay about releases; the release page names the clarifications citing it under its title; and
"related" releases share the matter, not just a few words."""

from __future__ import annotations

import re

import pytest

from archive.editorial import Editorial
from index.search import SearchQuery, search
from index.similar import similar
from tests.demo import demo_site

PBB_TARIFF = (
    "https://bapenda.malangkota.go.id/2025/08/13/"
    "bapenda-tegaskan-tarif-pbb-2025-tidak-naik-meski-perda-baru-terapkan-tarif-tunggal/"
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    yield from demo_site(tmp_path_factory, "search-record")


@pytest.fixture
def web(site):
    return site.test_client()


def page(web, url: str) -> str:
    response = web.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_data(as_text=True)


def box(html: str) -> str:
    """The clarification box of a /cari page ("" when there is none)."""
    found = re.search(r'<section class="search-clarifications".*?</section>', html, re.S)
    return found.group() if found else ""


def release_id(site, url: str) -> int:
    return next(r.id for r in site.extensions["saring"].archive.iter_releases() if r.url == url)


def published(site) -> list:
    return list(Editorial(site.extensions["saring"].archive.engine).iter_published())


# /cari -----------------------------------------------------------------------------------------


def test_the_demo_has_fifteen_published_clarifications_all_searchable(site, web) -> None:
    assert len(published(site)) == 15
    found = box(page(web, "/cari?q=malang"))  # every one of them names the city
    assert found.count("<li>") == 3  # the best three ...
    assert "Semua 15 klarifikasi yang cocok" in found  # ... and a link to all of them
    assert "kind=clarification" in found


def test_a_hoax_clarification_shows_above_the_release_hits_with_its_label(site, web) -> None:
    html = page(web, "/cari?q=tarif+angkot")
    found = box(html)
    (item,) = [c for c in published(site) if c.title.startswith("Tarif angkot")]
    assert "Klarifikasi resmi" in found
    assert '<span class="verdict verdict-hoaks">HOAKS</span>' in found
    assert f'href="/klarifikasi/{item.slug}"' in found
    assert "[HOAKS]" not in found  # the label is the badge, not a prefix of the headline
    assert html.index("search-clarifications") < html.index('<ul class="results">')


def test_counts_facets_and_downloads_stay_about_releases(site, web) -> None:
    index = site.extensions["saring"].index
    releases = search(index, SearchQuery(q="tarif angkot"))
    html = page(web, "/cari?q=tarif+angkot")
    assert f"<strong>{releases.total}</strong> rilis cocok" in html
    results = html.split('<ul class="results">', 1)[1].split("</ul>", 1)[0]
    assert "/klarifikasi/" not in results
    assert "Klarifikasi</span>" not in results  # no clarification among the release hits
    assert "/klarifikasi/" not in page(web, "/cari.csv?q=tarif+angkot")
    assert "category=HOAKS" not in html  # a clarification's label is no category facet
    assert [item.value for item in releases.facets["kind"]] == ["release"]


def test_no_box_without_a_matching_clarification_or_when_all_kinds_are_listed(web) -> None:
    assert box(page(web, "/cari?q=jembatan")) == ""
    assert box(page(web, "/cari")) == ""
    assert box(page(web, "/cari?q=tarif+angkot&kind=all")) == ""  # they are among the results
    assert box(page(web, "/cari?q=tarif+angkot&page=2")) == ""


def test_the_box_ignores_release_filters(web) -> None:
    found = box(page(web, "/cari?q=tarif+angkot&opd=Dinas+Perhubungan"))
    assert "verdict-hoaks" in found


# The release page ------------------------------------------------------------------------------


def test_a_cited_release_names_its_clarification_under_the_title(site, web) -> None:
    html = page(web, f"/rilis/{release_id(site, PBB_TARIFF)}")
    note = re.search(r'<div class="cited-note".*?</div>', html, re.S)
    assert note is not None
    assert '<span class="verdict verdict-misinformasi">MISINFORMASI</span>' in note.group()
    assert "PBB Kota Malang naik empat kali lipat" in note.group()
    assert html.index("</h1>") < html.index("cited-note") < html.index('<div class="body">')
    # the list at the bottom carries the same coloured label, not a grey badge
    bottom = html.split('id="klarifikasi"', 1)[1]
    assert "verdict-misinformasi" in bottom and "badge verdict" not in bottom


def test_an_uncited_release_has_no_note(site, web) -> None:
    cited = {link for c in published(site) for link in _cited_ids(site, c)}
    uncited = next(
        r.id for r in site.extensions["saring"].archive.iter_releases() if r.id not in cited
    )
    assert "cited-note" not in page(web, f"/rilis/{uncited}")


def _cited_ids(site, clarification) -> list[int]:
    editorial = Editorial(site.extensions["saring"].archive.engine)
    return [
        r.id
        for r in site.extensions["saring"].archive.iter_releases()
        if any(c.id == clarification.id for c in editorial.citing(r.id))
    ]


# Related releases ------------------------------------------------------------------------------


def test_related_releases_share_the_matter(site) -> None:
    index = site.extensions["saring"].index
    related = [hit.title for hit in similar(index, str(release_id(site, PBB_TARIFF)))]
    assert any("Penerimaan PBB" in title for title in related)
    # the angkot fare and the Trans Jatim bus share "tarif", "naik", "tegas", not the matter
    assert not any("Angkot" in title or "Trans Jatim" in title for title in related)
    assert all("PBB" in title or "Pajak" in title for title in related), related


def test_related_releases_of_a_flood_stay_on_floods_and_rivers(site) -> None:
    index = site.extensions["saring"].index
    flood = search(index, SearchQuery(q='judul:"banjir bandang kiriman"')).hits[0]
    related = [hit.title for hit in similar(index, flood.id)]
    assert related
    for title in related:
        assert re.search(r"Banjir|Sungai|Kali|Meluap", title), related
