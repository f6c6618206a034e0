"""Searching a real index: filters and facets, AND/OR/phrases, widening, sorting, suggestions,
ranking identical to Whoosh's BM25F, highlighting and the per-generation tables."""

from __future__ import annotations

import random
import threading
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from whoosh.query import Or, Phrase, Term

from index import ranking
from index import tables as tables_module
from index.analysis import tokens
from index.ranking import top_k
from index.search import (
    NOTICE_LONG_QUERY,
    NOTICE_ONLY_EXCLUDED,
    NOTICE_WIDENED,
    SearchQuery,
    SearchResults,
    export,
    latest,
    search,
)
from index.similar import similar
from index.store import IndexDoc, SearchIndex
from index.syntax import TITLE_BOOST
from index.tables import bits_of, ids_of, phrase_docs, tables_for

WIB = timezone(timedelta(hours=7))
DISHUB = "Dinas Perhubungan"
BPBD = "Badan Penanggulangan Bencana Daerah"
DLH = "Dinas Lingkungan Hidup"


def doc(
    id: str,
    title: str,
    body: str,
    opd: str,
    published: datetime | None,
    categories: list[str],
    kind: str = "release",
) -> IndexDoc:
    return IndexDoc(
        id=id,
        url=f"https://malangkota.go.id/{id}/" if kind == "release" else f"/klarifikasi/{id}",
        title=title,
        body=body,
        opd=opd,
        source="uji",
        categories=categories,
        tags=[],
        published=published,
        modified=None,
        kind=kind,
    )


DOCS = [
    doc(
        "1",
        "Banjir di Jalan Kedawung, BPBD Kirim Perahu Karet",
        "Genangan setinggi 160 sentimeter merendam permukiman. BPBD mengevakuasi warga.",
        BPBD,
        datetime(2025, 1, 20, 16, 0, tzinfo=WIB),
        ["Berita", "Banjir"],
    ),
    doc(
        "2",
        "DLH Bersihkan Saluran Drainase di Sukun",
        "Petugas membersihkan drainase agar banjir tidak terulang. Sampah mencapai dua truk.",
        DLH,
        datetime(2025, 1, 21, 8, 0, tzinfo=WIB),
        ["Berita", "Lingkungan"],
    ),
    doc(
        "3",
        "Dishub Tegaskan Tarif Angkot Tidak Naik",
        "Dinas Perhubungan membantah kabar tarif angkot naik menjadi Rp15 ribu. Tarif tetap.",
        DISHUB,
        datetime(2024, 3, 22, 18, 45, tzinfo=WIB),
        ["Berita", "Transportasi"],
    ),
    doc(
        "4",
        "Parkir Nontunai di Kayutangan",
        "Dishub menguji parkir nontunai dengan QRIS di kawasan Kayutangan Heritage.",
        DISHUB,
        datetime(2025, 10, 5, 9, 0, tzinfo=WIB),
        ["Berita", "Transportasi"],
    ),
    doc(
        "5",
        "Pemkot Bangun Jembatan Baru",
        "Pemerintah membangun jembatan yang menghubungkan dua kelurahan. Banjir tidak lagi "
        "memutus jalan warga.",
        BPBD,
        datetime(2025, 10, 30, 9, 0, tzinfo=WIB),
        ["Infrastruktur"],
    ),
    doc(
        "6",
        "Pesan Penutupan Alun-alun Tidak Benar",
        "Kabar penutupan alun-alun selama sepekan tidak benar, kata Diskominfo.",
        "Dinas Komunikasi dan Informatika",
        datetime(2025, 9, 2, 7, 15, tzinfo=WIB),
        ["Berita"],
    ),
    doc(
        "7",
        "Pasar Besar Tetap Buka",
        "Kabar bahwa pasar ditutup itu benar untuk lantai dua saja; lantai dasar tidak terdampak.",
        "Dinas Koperasi, Perindustrian dan Perdagangan",
        datetime(2025, 11, 1, 5, 0, tzinfo=WIB),
        ["Berita"],
    ),
    doc(
        "8",
        "Profil Kelurahan Kiduldalem",
        "Kelurahan Kiduldalem berada di Kecamatan Klojen.",
        "",
        None,
        [],
    ),
    doc(
        "k1",
        "HOAKS: Tarif angkot jadi Rp15 ribu",
        "Klarifikasi: tarif angkot tidak naik; banjir bukan alasan kenaikan.",
        "Dinas Komunikasi dan Informatika",
        datetime(2025, 3, 1, 9, 0, tzinfo=WIB),
        ["HOAKS"],
        kind="clarification",
    ),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    index = SearchIndex(tmp_path_factory.mktemp("search-index"))
    index.rebuild(DOCS)
    return index


def ids(results: SearchResults) -> list[str]:
    return [hit.id for hit in results.hits]


def facet(results: SearchResults, name: str) -> dict[str, int]:
    return {item.value: item.count for item in results.facets[name]}


# Filters and facets ---------------------------------------------------------------------------


def test_facets_count_every_match_not_just_the_page(built: SearchIndex) -> None:
    results = search(built, SearchQuery(q="", per_page=2))
    assert results.total == 8 and len(results.hits) == 2
    assert facet(results, "opd")[DISHUB] == 2 and facet(results, "opd")[BPBD] == 2
    assert facet(results, "category")["Berita"] == 6
    assert facet(results, "year") == {"2025": 6, "2024": 1}  # the undated release has no year
    assert facet(results, "month")["2025-11"] == 1  # 1 Nov 05:00 WIB is 31 Oct in UTC
    assert facet(results, "kind") == {"release": 8}
    assert list(facet(results, "year")) == ["2025", "2024"]  # newest first


def test_filters_combine_and_mark_the_selected_facet_values(built: SearchIndex) -> None:
    results = search(built, SearchQuery(q="", opd=DISHUB, year=2025))
    assert ids(results) == ["4"]
    assert [(f.value, f.selected) for f in results.facets["opd"]] == [(DISHUB, True)]
    assert search(built, SearchQuery(category="Transportasi")).total == 2
    assert search(built, SearchQuery(category="Transportasi", month="2024-03")).total == 1
    assert search(built, SearchQuery(opd="Dinas Tidak Ada")).total == 0


def test_date_range_is_inclusive_in_malang_time(built: SearchIndex) -> None:
    one_day = search(built, SearchQuery(date_from=date(2025, 11, 1), date_to=date(2025, 11, 1)))
    assert ids(one_day) == ["7"]
    january = search(
        built, SearchQuery(q="banjir", date_from=date(2025, 1, 1), date_to=date(2025, 1, 31))
    )
    assert sorted(ids(january)) == ["1", "2"]
    assert search(built, SearchQuery(date_from=date(2025, 10, 1))).total == 3


def test_kind_defaults_to_releases_and_can_widen(built: SearchIndex) -> None:
    assert "k1" not in ids(search(built, SearchQuery(q="tarif angkot")))
    widened = search(built, SearchQuery(q="tarif angkot", kind="all"))
    assert set(ids(widened)) == {"3", "k1"}
    assert facet(widened, "kind") == {"release": 1, "clarification": 1}
    assert ids(search(built, SearchQuery(q="tarif", kind="clarification"))) == ["k1"]
    assert "k1" not in [hit.id for hit in latest(built, 20)]


# Query semantics ------------------------------------------------------------------------------


def test_all_words_must_match_in_any_form_of_the_root(built: SearchIndex) -> None:
    assert ids(search(built, SearchQuery(q="pembangunan jembatan"))) == ["5"]
    assert sorted(ids(search(built, SearchQuery(q="banjir")))) == ["1", "2", "5"]
    assert ids(search(built, SearchQuery(q="banjir kedawung"))) == ["1"]


def test_no_document_with_every_word_widens_to_any_word_with_a_notice(
    built: SearchIndex,
) -> None:
    results = search(built, SearchQuery(q="kedawung qris"))
    assert results.widened and NOTICE_WIDENED in results.notice
    assert sorted(ids(results)) == ["1", "4"]
    assert not search(built, SearchQuery(q="banjir kedawung")).widened


def test_long_text_is_searched_as_any_of_its_words(built: SearchIndex) -> None:
    pasted = "Info grup sebelah: tarif angkot naik Rp15 ribu mulai besok, sebarkan ke keluarga!!"
    results = search(built, SearchQuery(q=pasted))
    assert results.widened and NOTICE_LONG_QUERY in results.notice
    assert ids(results)[0] == "3"


def test_exclusion_or_and_prefixes(built: SearchIndex) -> None:
    assert sorted(ids(search(built, SearchQuery(q="banjir -drainase")))) == ["1", "5"]
    assert sorted(ids(search(built, SearchQuery(q="kedawung OR kayutangan")))) == ["1", "4"]
    assert ids(search(built, SearchQuery(q="opd:dishub parkir"))) == ["4"]
    assert ids(search(built, SearchQuery(q='opd:"dinas perhubungan" tarif'))) == ["3"]
    assert ids(search(built, SearchQuery(q="judul:banjir"))) == ["1"]  # others say it in the body


def test_exclusions_alone_list_everything_else_newest_first(built: SearchIndex) -> None:
    results = search(built, SearchQuery(q="-banjir"))
    assert NOTICE_ONLY_EXCLUDED in results.notice
    assert ids(results) == ["7", "4", "6", "3", "8"]


def test_phrase_needs_the_words_in_a_row(built: SearchIndex) -> None:
    assert ids(search(built, SearchQuery(q='"tidak benar"'))) == ["6"]
    assert "7" in ids(search(built, SearchQuery(q="tidak benar")))  # both words, apart
    assert ids(search(built, SearchQuery(q='"pasar ditutup"'))) == ["7"]
    assert search(built, SearchQuery(q='"ditutup pasar"')).total == 0


def test_phrase_positions_agree_with_whooshs_phrase_query(built: SearchIndex) -> None:
    with built.searcher() as searcher:
        tables = tables_for(searcher)
        reader = searcher.reader()
        for words in (["tarif", "angkot"], ["tidak", "naik"], ["kabar", "tutup"]):
            candidates = tables.live
            for word in words:
                candidates &= tables.postings(reader, "body", word).bits
            ours = phrase_docs(reader, "body", words, candidates)
            theirs = sorted(searcher.docs_for_query(Phrase("body", words)))
            assert ours == theirs


# Words for the phrase corpus: affixed forms of one root, reduplications, stop words (which
# the index drops and renumbers around) and filler.
_PHRASE_WORDS = (
    "kota malang kota-kota warga membangun pembangunan dibangun bangun jalan raya di yang dan "
    "tidak benar perbaikan diperbaiki jembatan banjir pasar"
).split()


def _phrase_docs_corpus() -> list[IndexDoc]:
    """Enough documents for several posting blocks, some with gaps of 300+ words between
    occurrences (positions pickled as larger ints), all repeating the same few words."""
    rng = random.Random(11)
    docs = []
    for number in range(420):
        words = [rng.choice(_PHRASE_WORDS) for _ in range(rng.randint(3, 40))]
        if number % 37 == 0:  # a long gap, then the words again
            words += ["uraian"] * 300 + [rng.choice(_PHRASE_WORDS) for _ in range(20)]
        docs.append(
            doc(
                f"p{number}",
                " ".join(rng.choice(_PHRASE_WORDS) for _ in range(rng.randint(2, 6))),
                " ".join(words),
                rng.choice([DISHUB, BPBD, DLH]),
                datetime(2024, 1, 1, tzinfo=WIB) + timedelta(days=number),
                [rng.choice(["Berita", "Banjir"])],
            )
        )
    return docs


_PHRASES = [
    "kota malang",
    "malang kota",
    "kota kota",  # a repeated word
    "kota-kota malang",  # a reduplication, stemmed to the same root
    "membangun jalan",  # an affixed form: any form of the root in that place
    "pembangunan jembatan",
    "jalan di raya",  # a stop word in the phrase and, renumbered, in the text
    "malang kota malang",
    "kota malang kota",
    "warga warga warga",
    "tidak benar pasar banjir",
    "uraian uraian",
    "banjir uraian",
    "uraian kota",
]


@pytest.fixture(scope="module")
def phrase_corpus(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    index = SearchIndex(tmp_path_factory.mktemp("phrase-index"))
    docs = _phrase_docs_corpus()
    index.rebuild(docs[:300])
    index.upsert(docs[300:])  # a second segment: document numbers with an offset
    index.upsert(docs[5:9])  # replaced documents: deleted postings stay in the lists
    index.delete(["p12", "p301"])
    return index


def test_phrase_docs_equal_whooshs_phrase_query_on_a_real_index(
    phrase_corpus: SearchIndex,
) -> None:
    with phrase_corpus.searcher() as searcher:
        tables = tables_for(searcher)
        reader = searcher.reader()
        assert reader.doc_count_all() > 300
        unmatched = []
        for text in _PHRASES:
            words = tokens(text)
            if not searcher.docs_for_query(Phrase("body", words)):
                unmatched.append(text)
            for name in ("body", "title"):
                theirs = set(searcher.docs_for_query(Phrase(name, words)))
                with_all = tables.live
                for word in words:
                    with_all &= tables.postings(reader, name, word).bits
                some = bits_of(range(0, 500, 3), 500)
                # Candidates holding every term (as searches pass them), and ones that do not.
                for candidates in (with_all, with_all & some, tables.live, tables.live & some):
                    expected = sorted(theirs & set(ids_of(candidates)))
                    assert phrase_docs(reader, name, words, candidates) == expected, text
                    cached = phrase_docs(
                        reader,
                        name,
                        words,
                        candidates,
                        lambda t, n=name: tables.positions(reader, n, t),
                    )
                    assert cached == expected, text
        assert unmatched == []  # the corpus exercises every phrase


def test_phrase_search_counts_and_facets_equal_whooshs(phrase_corpus: SearchIndex) -> None:
    with phrase_corpus.searcher() as searcher:
        for text in _PHRASES:
            words = tokens(text)
            query = Or([Phrase("title", words), Phrase("body", words)])
            theirs = [searcher.stored_fields(d) for d in searcher.docs_for_query(query)]
            theirs = [fields for fields in theirs if fields["kind"] == "release"]
            results = search(phrase_corpus, SearchQuery(q=f'"{text}"', per_page=50))
            assert results.total == len(theirs), text
            opd_counts: dict[str, int] = {}
            for fields in theirs:
                opd_counts[fields["opd"]] = opd_counts.get(fields["opd"], 0) + 1
            assert {f.value: f.count for f in results.facets["opd"]} == opd_counts, text
            listed = export(phrase_corpus, SearchQuery(q=f'"{text}"'), limit=1000)
            assert sorted(hit.id for hit in listed.hits) == sorted(f["id"] for f in theirs)


def test_broken_syntax_still_finds_the_words(built: SearchIndex) -> None:
    results = search(built, SearchQuery(q='"tarif angkot'))
    assert "tanda kutip" in results.notice
    assert ids(results) == ["3"]


# Ordering -------------------------------------------------------------------------------------


def test_sort_switch_orders_by_date_with_undated_last(built: SearchIndex) -> None:
    assert ids(search(built, SearchQuery(q="banjir", sort="newest"))) == ["5", "2", "1"]
    assert ids(search(built, SearchQuery(q="banjir", sort="oldest"))) == ["1", "2", "5"]
    assert ids(search(built, SearchQuery(sort="oldest")))[-1] == "8"
    assert ids(search(built, SearchQuery()))[-1] == "8"


@pytest.mark.parametrize(
    "path", ["document by document", "walking the postings", "champions or full scan"]
)
def test_ranking_equals_whooshs_bm25f(
    path: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if path == "document by document":  # walking would cost "more" than any bisection
        monkeypatch.setattr(ranking, "WALK_COST", 10**9)
    elif path == "walking the postings":
        monkeypatch.setattr(ranking, "WALK_COST", 0)
    else:  # make the sets "large" and the champion lists short
        monkeypatch.setattr(ranking, "DIRECT_LIMIT", 0)
        monkeypatch.setattr(tables_module, "CHAMPIONS", 1)
    index = SearchIndex(tmp_path)
    index.rebuild(DOCS)
    with index.searcher() as searcher:
        tables = tables_for(searcher)
        reader = searcher.reader()
        for words in (["banjir"], ["tarif", "angkot"], ["kabar", "tidak", "benar"]):
            terms = [
                (field, word, TITLE_BOOST if field == "title" else 1.0)
                for word in words
                for field in ("title", "body")
            ]
            matching = 0
            for field, word, _ in terms:
                matching |= tables.postings(reader, field, word).bits
            ours = top_k(tables, reader, terms, matching, 10)
            query = Or([Term(field, word, boost=boost) for field, word, boost in terms])
            theirs = [(hit.docnum, hit.score) for hit in searcher.search(query, limit=10)]
            assert [doc for doc, _ in ours] == [doc for doc, _ in theirs]
            assert [score for _, score in ours] == pytest.approx([s for _, s in theirs])


def test_title_match_outranks_body_match(built: SearchIndex) -> None:
    assert ids(search(built, SearchQuery(q="banjir")))[0] == "1"


def test_pages_do_not_overlap_and_export_is_bounded(built: SearchIndex) -> None:
    first = search(built, SearchQuery(per_page=3, page=1))
    second = search(built, SearchQuery(per_page=3, page=2))
    assert not set(ids(first)) & set(ids(second)) and first.pages == 3
    everything = export(built, SearchQuery(page=3), limit=5)
    assert len(everything.hits) == 5 and everything.total == 8  # the page is ignored
    assert everything.hits[0].snippet == "" and everything.facets == {}


# Did you mean, snippets, related ---------------------------------------------------------------


def test_misspelt_words_get_a_suggestion_from_the_index(built: SearchIndex) -> None:
    assert search(built, SearchQuery(q="kayutngan")).suggestion == "kayutangan"
    assert search(built, SearchQuery(q="Banjr kedawung")).suggestion == "banjir kedawung"
    assert search(built, SearchQuery(q="banjir")).suggestion == ""
    assert search(built, SearchQuery(q="zzqqxx")).suggestion == ""


def test_snippets_mark_stemmed_matches_and_escape_text(built: SearchIndex) -> None:
    (hit,) = search(built, SearchQuery(q="pembangunan jembatan")).hits
    assert "<mark>membangun</mark>" in hit.snippet and "<mark>jembatan</mark>" in hit.snippet
    assert hit.title_html == "Pemkot <mark>Bangun</mark> <mark>Jembatan</mark> Baru"
    (angkot,) = search(built, SearchQuery(q="dibantah")).hits
    assert "<mark>membantah</mark>" in angkot.snippet


def test_related_documents_share_the_matter_and_exclude_the_document_itself(
    built: SearchIndex,
) -> None:
    # the angkot fare denial and the clarification about the same fare rumour share the matter
    assert [hit.id for hit in similar(built, "3", kind="clarification")] == ["k1"]
    related = [hit.id for hit in similar(built, "1")]
    assert "1" not in related and "k1" not in related
    # a bridge release shares "banjir" and "warga" with the flood, not its matter
    assert "5" not in related
    assert similar(built, "404") == []


# Per-generation tables ------------------------------------------------------------------------


def test_bitsets_round_trip() -> None:
    docs = [0, 1, 7, 8, 9, 255, 256, 1000, 99_999]
    assert ids_of(bits_of(docs, 100_000)) == docs
    assert ids_of(0) == []


def test_tables_follow_updates_and_deletions(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path)
    index.rebuild(DOCS)
    assert search(index, SearchQuery(opd=DISHUB)).total == 2
    moved = doc("4", "Parkir Nontunai", "QRIS.", DLH, datetime(2025, 10, 5, tzinfo=WIB), ["Berita"])
    index.upsert([moved])  # a new segment, and a deletion in the old one
    results = search(index, SearchQuery(opd=DISHUB))
    assert ids(results) == ["3"]
    assert facet(search(index, SearchQuery()), "opd")[DLH] == 2
    index.delete(["3"])
    assert search(index, SearchQuery(q="tarif angkot")).total == 0
    assert search(index, SearchQuery()).total == 7


def test_facets_after_commits_equal_a_fresh_read_of_every_segment(tmp_path: Path) -> None:
    # Each segment's facets are read once and reused by the next generations' tables; after
    # additions, an edit and a deletion they must still equal facets read from scratch.
    index = SearchIndex(tmp_path)
    index.rebuild(DOCS[:5])
    with index.searcher() as searcher:
        tables_for(searcher)  # caches the first segment's facets
    index.upsert(DOCS[5:7])
    edited = DOCS[1]
    index.upsert([doc(edited.id, edited.title, edited.body, DLH, edited.published, ["Lingkungan"])])
    index.delete([DOCS[2].id])
    index.upsert(DOCS[7:])
    with index.searcher() as searcher:
        reused = tables_for(searcher)
        assert len(searcher.reader().leaf_readers()) > 1  # several segments to put together
        counted = reused.count(reused.live)
        tables_module.forget_tables()
        fresh = tables_for(searcher)
        assert fresh is not reused
        assert counted == fresh.count(fresh.live)
        assert {n: f.bits for n, f in reused.facets.items()} == {
            n: f.bits for n, f in fresh.facets.items()
        }
    results = search(index, SearchQuery(q="", per_page=20))
    assert facet(results, "opd")[DLH] >= 1 and facet(results, "category")["Lingkungan"] == 1
    assert DOCS[2].id not in ids(results)


def _terms(reader, names=("title", "body")) -> set[tuple[str, str]]:
    return {
        (name, raw.decode("utf-8") if isinstance(raw, bytes) else raw)
        for name in names
        for raw in reader.lexicon(name)
    }


def test_frequent_terms_count_every_segment_as_the_whole_reader_does(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path)
    index.rebuild(DOCS[:4])
    index.upsert(DOCS[4:7])
    index.upsert([DOCS[0]])  # an edit: a deletion in the first segment
    with index.searcher() as searcher:
        reader = searcher.reader()
        assert len(reader.leaf_readers()) > 1
        counted = tables_module.frequent_terms(reader, ["title", "body"], 2)
        expected = sorted(
            (
                (reader.doc_frequency(name, term), name, term)
                for name, term in _terms(reader)
                if reader.doc_frequency(name, term) >= 2
            ),
            reverse=True,
        )
        assert counted and counted == expected


def test_warming_decodes_the_frequent_terms_and_leaves_rare_ones_to_searches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A short posting list decodes at search time as fast as ahead of it; walking thousands of
    # them after every commit cost each worker seconds of CPU while an ingest ran.
    monkeypatch.setattr(tables_module, "WARM_MIN_POSTINGS", 3)
    index = SearchIndex(tmp_path)
    index.rebuild(DOCS)
    with index.searcher() as searcher:
        reader = searcher.reader()
        tables = tables_for(searcher)
        assert tables.warm(reader) > 0
        warmed = set(tables._postings)
        frequent = {(n, t) for n, t in _terms(reader) if reader.doc_frequency(n, t) >= 3}
        rare = _terms(reader) - frequent
        assert frequent and rare
        assert warmed == frequent
        assert tables.warmed.is_set()


def test_warming_stops_once_a_newer_generation_has_tables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tables_module, "WARM_MIN_POSTINGS", 1)
    index = SearchIndex(tmp_path)
    index.rebuild(DOCS)
    newer: list[tuple[tables_module.Tables, int]] = []

    def search_the_new_generation() -> None:  # another thread, as another request would
        with index.searcher() as searcher:
            tables = tables_for(searcher)
            newer.append((tables, tables.warm(searcher.reader())))

    with index.searcher() as old_searcher:
        old = tables_for(old_searcher)
        index.upsert([DOCS[0]])
        thread = threading.Thread(target=search_the_new_generation)
        thread.start()
        thread.join()
        ((new, decoded),) = newer
        assert new is not old and decoded > 0
        assert old.superseded.is_set() and not new.superseded.is_set()
        assert old.warm(old_searcher.reader()) == 0 and not old._postings
        assert old.warmed.is_set()


def test_posting_lists_after_commits_equal_a_fresh_decode_of_every_segment(
    tmp_path: Path,
) -> None:
    # Each segment's posting lists are decoded once and reused by later generations; after
    # additions, an edit and a deletion they must still equal lists decoded from scratch.
    index = SearchIndex(tmp_path)
    index.rebuild(DOCS[:5])
    with index.searcher() as searcher:
        reader = searcher.reader()
        for name, term in _terms(reader):  # every list of the first segment, into the cache
            tables_module.decode_postings(reader, name, term)
    index.upsert(DOCS[5:7])
    edited = DOCS[2]
    index.upsert([doc(edited.id, edited.title, edited.body + " Tarif baru.", DLH, None, [])])
    index.delete([DOCS[1].id])
    with index.searcher() as searcher:
        reader = searcher.reader()
        assert len(reader.leaf_readers()) > 1
        segments = {leaf.segment().segment_id() for leaf, _ in reader.leaf_readers()}
        assert segments & {key[0] for key in tables_module._segment_lists}  # some reused
        terms = sorted(_terms(reader))

        def live_postings() -> list[list[tuple[int, float]]]:
            # Lists may hold deleted documents (callers mask them), so compare the live ones.
            return [
                [
                    (d, tf)
                    for d, tf in zip(
                        *tables_module.decode_postings(reader, name, term), strict=True
                    )
                    if not reader.is_deleted(d)
                ]
                for name, term in terms
            ]

        reused = live_postings()
        tables_module.forget_tables()
        assert not tables_module._segment_lists
        assert reused == live_postings()
        assert any(reused)
        ids_now, _ = tables_module.decode_postings(reader, "body", "tarif")
        assert max(ids_now) >= reader.leaf_readers()[0][0].doc_count_all()  # a new segment
    assert search(index, SearchQuery(q="tarif baru")).total == 1
