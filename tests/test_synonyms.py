"""Synonyms widen a search and distinct derived forms stay apart: the repository's tables
(index/data/synonyms.tsv, index/data/distinct_forms.tsv), how a query uses them, and their effect
on the demo archive (plus two releases recorded through the real archive and index path)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from archive.release import Release
from index.analysis import stem_word, tokens
from index.search import FORM_CHECKS, SearchQuery, search
from index.store import IndexDoc, SearchIndex
from index.synonyms import (
    VocabularyError,
    only_other_forms,
    read_distinct_forms,
    read_synonyms,
    synonyms,
)
from index.syntax import SYNONYM_WEIGHT, parse_text, with_synonyms
from ingest.indexing import sync_index
from tests.demo import demo_site

WIB = timezone(timedelta(hours=7))


# The tables ------------------------------------------------------------------------------------


def test_the_synonym_table_holds_the_public_service_vocabulary() -> None:
    table = read_synonyms()
    assert 30 <= len(table.groups) <= 80
    for short, long in [
        ("vaksin", "imunisasi"),
        ("pkl", "pedagang kaki lima"),
        ("pemkot", "pemerintah kota"),
        ("ktp-el", "e-ktp"),
        ("umk", "upah minimum kota"),
        ("dlh", "dinas lingkungan hidup"),
    ]:
        assert long in [term.text for term in table.alternatives(tuple(tokens(short)))]
        assert short in [term.text for term in table.alternatives(tuple(tokens(long)))]
    assert table.alternatives(("banjir",)) == []


def test_a_term_in_two_groups_or_a_lonely_entry_is_refused_with_its_line(tmp_path: Path) -> None:
    twice = tmp_path / "twice.tsv"
    twice.write_text("# comment\nvaksin | imunisasi\n\nimunisasi | suntik\n", encoding="utf-8")
    with pytest.raises(VocabularyError, match=r"twice.tsv:4: 'imunisasi' is already in a group"):
        read_synonyms(twice)
    lonely = tmp_path / "lonely.tsv"
    lonely.write_text("vaksin\n", encoding="utf-8")
    with pytest.raises(VocabularyError, match="lonely.tsv:1"):
        read_synonyms(lonely)
    stop_words = tmp_path / "stop.tsv"
    stop_words.write_text("vaksin | yang dan\n", encoding="utf-8")
    with pytest.raises(VocabularyError, match="only stop words"):
        read_synonyms(stop_words)


def test_every_distinct_forms_line_is_one_stem_split_by_meaning(tmp_path: Path) -> None:
    table = read_distinct_forms()
    assert table["pemadam"].stem == stem_word("pemadaman") == "padam"
    assert table["pemadam"].others("pemadam") == {"pemadaman"}
    assert "dibanjiri" in table["banjir"].others("banjir")
    mixed = tmp_path / "mixed.tsv"
    mixed.write_text("pemadam | banjir\n", encoding="utf-8")
    with pytest.raises(VocabularyError, match="several stems"):
        read_distinct_forms(mixed)


def test_only_other_forms_reads_the_surface_words() -> None:
    others = frozenset({"dibanjiri", "membanjiri"})
    assert only_other_forms("Job fair dibanjiri pelamar.", "banjir", others)
    assert not only_other_forms("Jalan dibanjiri air, banjir setinggi lutut.", "banjir", others)
    assert not only_other_forms("Tidak ada kata itu di sini.", "banjir", others)


# Reading a query -------------------------------------------------------------------------------


def test_a_run_of_words_that_is_a_synonym_entry_becomes_one_group() -> None:
    parsed = with_synonyms(parse_text("pedagang kaki lima alun-alun"))
    assert len(parsed.groups) == 2
    own, *extra = parsed.groups[0]
    assert own.terms == tokens("pedagang kaki lima") and not own.synonym
    assert [(c.text, c.synonym) for c in extra] == [("pkl", True)]
    assert [c.text for c in parsed.groups[1]] == ["alun-alun"]


def test_phrases_exclusions_and_opd_prefixes_are_left_exact() -> None:
    for text in ['"vaksin"', "banjir -vaksin", "opd:dlh"]:
        parsed = with_synonyms(parse_text(text))
        assert not any(clause.synonym for clause in parsed.clauses + parsed.excluded), text
    multiword = with_synonyms(parse_text("pkl"))
    (pkl, long) = multiword.groups[0]
    assert long.text == "pedagang kaki lima" and long.phrase  # several words: in a row


# Searching the demo ----------------------------------------------------------------------------


def release(url: str, title: str, text: str) -> Release:
    return Release(
        url=url,
        title=title,
        paragraphs=[text],
        html=f"<p>{text}</p>",
        source_id="uji",
        opd="Satuan Polisi Pamong Praja",
        published=datetime(2025, 6, 2, 9, 0, tzinfo=WIB),
        categories=["Berita"],
        tags=[],
        author="uji/red",
    )


LONG_FORM = release(
    "https://satpolpp.malangkota.go.id/2025/06/02/uji-penataan-jalan-ijen/",
    "Penataan Jalan Ijen, Pedagang Kaki Lima Diberi Waktu Sepekan",
    "Satpol PP memberi pedagang kaki lima di Jalan Ijen waktu sepekan untuk pindah ke lokasi "
    "yang disediakan.",
)
SHORT_FORM = release(
    "https://satpolpp.malangkota.go.id/2025/06/03/uji-sentra-kuliner-merjosari/",
    "Sentra Kuliner Merjosari Siap Tampung PKL",
    "Sentra kuliner di Merjosari siap menampung PKL yang ditata dari ruas utama.",
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    for app in demo_site(tmp_path_factory, "synonyms"):
        services = app.extensions["saring"]
        for number, item in enumerate([LONG_FORM, SHORT_FORM]):
            services.archive.record(item, seen_at=datetime(2025, 6, 4, number, tzinfo=UTC))
        sync_index(services.archive, services.index)
        yield app


@pytest.fixture(scope="module")
def index(site):
    return site.extensions["saring"].index


def titles(index, q: str, kind: str = "release") -> list[str]:
    return [hit.title for hit in search(index, SearchQuery(q=q, kind=kind, per_page=50)).hits]


def test_vaksin_finds_the_imunisasi_releases_of_the_demo(index) -> None:
    immunisation = titles(index, "imunisasi")
    assert len(immunisation) >= 3
    results = search(index, SearchQuery(q="vaksin", per_page=50))
    found = [hit.title for hit in results.hits]
    assert set(immunisation) <= set(found)
    # the reader's own word ranks first: the release that says "vaksin" in its title
    assert "Vaksin" in found[0]
    assert "imunisasi" in results.synonyms
    marked = " ".join(hit.snippet for hit in results.hits)
    assert "<mark>imunisasi</mark>" in marked.lower()


def test_pkl_finds_pedagang_kaki_lima_and_back(index) -> None:
    assert LONG_FORM.title in titles(index, "PKL")
    assert SHORT_FORM.title in titles(index, "pedagang kaki lima")
    assert SHORT_FORM.title in titles(index, "pedagang kaki lima merjosari")
    # as a quoted phrase the words are meant exactly
    assert SHORT_FORM.title not in titles(index, '"pedagang kaki lima"')


def test_pemkot_and_pemerintah_kota_find_each_other(index) -> None:
    assert "pemerintah kota" in search(index, SearchQuery(q="pemkot")).synonyms
    assert "pemkot" in search(index, SearchQuery(q="pemerintah kota")).synonyms


def test_synonym_matches_weigh_less_than_the_typed_word(index) -> None:
    assert 0 < SYNONYM_WEIGHT < 1
    hits = search(index, SearchQuery(q="PKL", per_page=50)).hits
    long_form = next(hit for hit in hits if hit.title == LONG_FORM.title)
    short_form = next(hit for hit in hits if hit.title == SHORT_FORM.title)
    assert short_form.score > long_form.score  # two releases of the same length and shape


def test_the_synonym_table_is_read_once() -> None:
    assert synonyms() is synonyms()


# Derived forms that change the meaning ---------------------------------------------------------


def test_dibanjiri_is_not_a_flood(index) -> None:
    flooded_with_applicants = titles(index, "dibanjiri")
    assert len(flooded_with_applicants) == 1 and "Job Fair" in flooded_with_applicants[0]
    floods = titles(index, "banjir")
    assert floods and not any("Job Fair" in title for title in floods)
    assert any("Banjir" in title for title in floods)


def test_pemadam_skips_the_water_outage(index) -> None:
    fire_brigade = titles(index, "pemadam", kind="all")
    assert fire_brigade and not any("Tugu Tirta" in title for title in fire_brigade)
    outage = titles(index, "pemadaman", kind="all")
    assert any("Tugu Tirta" in title for title in outage)


def test_a_synonym_of_several_words_is_not_marked_word_by_word(index) -> None:
    results = search(index, SearchQuery(q="angkot"))
    assert "angkutan kota" in results.synonyms
    marked = " ".join(hit.snippet + hit.title_html for hit in results.hits)
    assert "<mark>angkot</mark>" in marked.lower()
    assert "<mark>kota</mark>" not in marked.lower()


def test_on_a_large_result_set_the_shown_page_is_checked(tmp_path: Path) -> None:
    """More matches than FORM_CHECKS: documents are checked in result order, so the page shown
    holds no other meaning even though not every match was read."""
    index = SearchIndex(tmp_path / "index")
    floods = [
        _doc(f"f{n}", f"Banjir di RW {n}", f"Warga RW {n} mengungsi ke balai kelurahan. " * 8)
        for n in range(FORM_CHECKS + 40)
    ]
    crowds = [
        _doc(f"c{n}", f"Job fair {n} dibanjiri pelamar", "Dibanjiri pelamar.") for n in range(5)
    ]
    index.upsert(floods + crowds)
    results = search(index, SearchQuery(q="banjir"))
    assert results.total == len(floods)  # the crowds rank first, so they were read and dropped
    assert all(hit.title.startswith("Banjir") for hit in results.hits)
    crowded = search(index, SearchQuery(q="dibanjiri")).hits
    assert [hit.id for hit in crowded[:5]] and all(hit.id.startswith("c") for hit in crowded[:5])
    # beyond FORM_CHECKS reads a search stops checking: further floods may follow, but after
    # every document that holds the typed form and ranks higher


def _doc(id: str, title: str, body: str) -> IndexDoc:
    return IndexDoc(
        id=id,
        url=f"https://bpbd.malangkota.go.id/{id}/",
        title=title,
        body=body,
        opd="Badan Penanggulangan Bencana Daerah",
        source="uji",
        categories=["Berita"],
        tags=[],
        published=datetime(2025, 1, 20, 9, 0, tzinfo=WIB),
        modified=None,
    )
