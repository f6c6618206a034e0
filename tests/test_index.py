"""The search index on disk: writes, generations, locking, and searching it as a reader would."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.query import Term

from index import store
from index.search import NOTICE_SYNTAX_IGNORED, Hit, SearchQuery, SearchResults, latest, search
from index.store import IndexBusy, IndexDoc, SearchIndex

REPO_ROOT = Path(__file__).resolve().parents[1]
search_module = importlib.import_module("index.search")  # the package re-exports search()
WIB = timezone(timedelta(hours=7))


def release(
    id: str, title: str, body: str, published: datetime | None, opd: str = "", **extra
) -> IndexDoc:
    return IndexDoc(
        id=id,
        url=f"https://malangkota.go.id/rilis/{id.lower()}/",
        title=title,
        body=body,
        opd=opd,
        source="malangkota",
        categories=["Berita"],
        tags=[],
        published=published,
        modified=None,
        **extra,
    )


BRIDGE = release(
    "R1",
    "Jembatan Baru Hubungkan Merjosari dan Dinoyo",
    "Dinas Pekerjaan Umum, Penataan Ruang, Perumahan dan Kawasan Permukiman (DPUPRPKP) Kota Malang "
    "membangun jembatan baru yang menghubungkan Kelurahan Merjosari dan Dinoyo.\n\n"
    "Pekerjaan ditargetkan selesai pada Desember 2025 dengan anggaran Rp4,2 miliar.",
    datetime(2025, 8, 4, 9, 30, tzinfo=WIB),
    opd="Dinas Pekerjaan Umum, Penataan Ruang, Perumahan dan Kawasan Permukiman",
)
ANGKOT = release(
    "R2",
    "Dishub Tegaskan Tarif Angkot Tidak Naik",
    "Dinas Perhubungan (Dishub) Kota Malang membantah kabar bahwa tarif angkot naik menjadi "
    "Rp15 ribu. Tarif yang berlaku tetap Rp5 ribu untuk penumpang umum dan Rp3 ribu untuk "
    "pelajar.\n\nWarga yang ditarik ongkos melebihi ketentuan diminta melapor ke Dishub.",
    datetime(2024, 3, 22, 18, 45, tzinfo=WIB),
    opd="Dinas Perhubungan",
)
FLOOD_TITLE = release(
    "R3",
    "Banjir di Jalan Kedawung, BPBD Kirim Perahu Karet",
    "Genangan setinggi 160 sentimeter merendam permukiman warga di Purwodadi. Badan "
    "Penanggulangan Bencana Daerah (BPBD) Kota Malang mengirim perahu karet dan mengevakuasi "
    "warga lanjut usia.",
    datetime(2025, 1, 20, 16, 0, tzinfo=WIB),
    opd="Badan Penanggulangan Bencana Daerah",
)
FLOOD_BODY = release(
    "R4",
    "DLH Bersihkan Saluran Drainase di Sukun",
    "Petugas Dinas Lingkungan Hidup membersihkan saluran drainase di Kecamatan Sukun agar banjir "
    "tidak terulang saat musim hujan. Sampah yang diangkat mencapai dua truk.",
    datetime(2025, 1, 21, 8, 0, tzinfo=WIB),
    opd="Dinas Lingkungan Hidup",
)
HOAX = release(
    "R5",
    "Diskominfo: Pesan Penutupan Alun-alun Merdeka Tidak Benar",
    "Dinas Komunikasi dan Informatika (Diskominfo) menyatakan pesan berantai tentang penutupan "
    "Alun-alun Merdeka selama sepekan tidak benar. Warga diimbau memeriksa informasi di kanal "
    "resmi Pemkot Malang.",
    datetime(2025, 9, 2, 7, 15, tzinfo=WIB),
    opd="Dinas Komunikasi dan Informatika",
)
MARKET = release(
    "R6",
    "Pedagang Pasar Besar Tetap Berjualan",
    "Kabar bahwa Pasar Besar ditutup itu benar untuk lantai dua saja; pedagang lantai dasar tidak "
    "terdampak. Teks <script>alert(1)</script> dari unggahan warganet ikut dikutip di sini.",
    datetime(2025, 11, 1, 5, 0, tzinfo=WIB),  # 31 October in UTC, November in Malang
    opd="Dinas Koperasi, Perindustrian dan Perdagangan",
)
UNDATED = release(
    "R7",
    "Profil Kelurahan Kiduldalem",
    "Kelurahan Kiduldalem berada di Kecamatan Klojen.",
    None,
)
ALL_DOCS = [BRIDGE, ANGKOT, FLOOD_TITLE, FLOOD_BODY, HOAX, MARKET, UNDATED]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    """One index with every sample release, shared by tests that only read."""
    index = SearchIndex(tmp_path_factory.mktemp("index"))
    assert index.rebuild(ALL_DOCS) == len(ALL_DOCS)
    return index


def ids(results: SearchResults | list[Hit]) -> list[str]:
    hits = results.hits if isinstance(results, SearchResults) else results
    return [hit.id for hit in hits]


def generations(base: Path) -> list[str]:
    return sorted(path.name for path in base.iterdir() if path.name.startswith("gen-"))


# Searching ------------------------------------------------------------------------------------


def test_query_finds_other_forms_of_the_same_root(built: SearchIndex) -> None:
    # The release says "membangun"; the reader types "pembangunan".
    assert "R1" in ids(search(built, SearchQuery(q="pembangunan")))
    assert ids(search(built, SearchQuery(q="bantahan tarif")))[0] == "R2"


def test_snippet_marks_matched_words_and_escapes_the_text(built: SearchIndex) -> None:
    (hit,) = search(built, SearchQuery(q="pembangunan jembatan")).hits[:1]
    assert "<mark>membangun</mark>" in hit.snippet
    assert "<mark>jembatan</mark>" in hit.snippet

    (market,) = search(built, SearchQuery(q="warganet")).hits
    assert "<mark>warganet</mark>" in market.snippet
    assert "&lt;/script&gt;" in market.snippet
    assert "<script" not in market.snippet and "</script" not in market.snippet


def test_a_title_match_outranks_a_body_only_match(built: SearchIndex) -> None:
    assert ids(search(built, SearchQuery(q="banjir")))[:2] == ["R3", "R4"]


def test_title_only_match_still_gets_a_snippet(built: SearchIndex) -> None:
    hit = next(h for h in search(built, SearchQuery(q="banjir")).hits if h.id == "R3")
    assert hit.snippet.startswith("Genangan setinggi")


def test_quoted_phrase_needs_the_words_together(built: SearchIndex) -> None:
    found = ids(search(built, SearchQuery(q='"tidak benar"')))
    assert "R5" in found
    assert "R6" not in found  # has both words, apart
    assert "R6" in ids(search(built, SearchQuery(q="tidak benar")))


def test_hits_are_plain_data_with_aware_dates(built: SearchIndex) -> None:
    (hit,) = search(built, SearchQuery(q="Kedawung")).hits
    assert hit == Hit(
        id="R3",
        url="https://malangkota.go.id/rilis/r3/",
        title=FLOOD_TITLE.title,
        opd="Badan Penanggulangan Bencana Daerah",
        published=datetime(2025, 1, 20, 9, 0, tzinfo=UTC),
        snippet=hit.snippet,
        score=hit.score,
        status="active",
        kind="release",
        modified=None,
        categories=["Berita"],
        title_html="Banjir di Jalan <mark>Kedawung</mark>, BPBD Kirim Perahu Karet",
    )
    assert hit.published == FLOOD_TITLE.published


@pytest.mark.parametrize("word", ["Kedawung", "warganet", "drainase"])
def test_single_word_found_in_one_field_still_gets_a_score(built: SearchIndex, word: str) -> None:
    # Guards against Whoosh's coordination matcher, which zeroes such scores.
    assert all(hit.score > 0 for hit in search(built, SearchQuery(q=word)).hits)


def test_year_and_month_facets_use_malang_time(built: SearchIndex) -> None:
    with built.searcher() as searcher:
        stored = searcher.document(id="R6")
    assert stored["month"] == "2025-11" and stored["year"] == 2025
    assert stored["published"] == datetime(2025, 10, 31, 22, 0)  # naive UTC inside Whoosh


def test_opd_text_matches_agency_abbreviations(built: SearchIndex) -> None:
    with built.searcher() as searcher:
        found = [hit["id"] for hit in searcher.search(Term("opd_text", "dishub"))]
    assert found == ["R2"]


def test_pages_split_the_results(built: SearchIndex) -> None:
    first = search(built, SearchQuery(q="kota malang", per_page=2, page=1))
    second = search(built, SearchQuery(q="kota malang", per_page=2, page=2))
    assert first.total == second.total >= 3
    assert first.pages == -(-first.total // 2)
    assert len(first.hits) == 2 and not set(ids(first)) & set(ids(second))
    assert search(built, SearchQuery(q="kota malang", page=1000)).hits == []


HOSTILE_QUERIES = [
    '"',
    '"tarif angkot',
    "(",
    "((banjir",
    ")",
    "AND",
    "OR NOT AND",
    "banjir AND",
    "*",
    "ban*",
    "?",
    "-",
    "-banjir",
    "+banjir",
    "title:banjir",
    "body:",
    ":",
    "banjir^3",
    "banjir~2",
    "[2020 TO 2025]",
    "{a TO}",
    "<script>alert(1)</script>",
    "😀🔥",
    "\x00\x01",
    "\\",
    "'",
    "banjir " * 100,
    "x" * 600,
    "yang dan di",
]


@pytest.mark.parametrize("text", HOSTILE_QUERIES)
def test_reader_input_never_raises(built: SearchIndex, text: str) -> None:
    results = search(built, SearchQuery(q=text))
    assert isinstance(results, SearchResults)
    assert len(results.query.q) <= 500
    for hit in results.hits:
        assert "<script" not in hit.snippet


def test_a_failing_query_builder_falls_back_to_the_plain_words(
    built: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Fault injection: whatever goes wrong while building the query, the reader gets results.
    def broken(*args: object) -> None:
        raise RuntimeError("ranking bug")

    monkeypatch.setattr(search_module, "top_k", broken)
    results = search(built, SearchQuery(q='"banjir Sukun'))
    assert NOTICE_SYNTAX_IGNORED in results.notice
    assert set(ids(results)) == {"R3", "R4"}
    assert any("<mark>" in hit.snippet for hit in results.hits)


def test_query_without_searchable_words_says_so(built: SearchIndex) -> None:
    results = search(built, SearchQuery(q="*"))
    assert results.total == 0 and results.notice


def test_empty_query_lists_newest_first(built: SearchIndex) -> None:
    results = search(built, SearchQuery(q=""))
    assert results.total == len(ALL_DOCS)
    assert ids(results) == ["R6", "R5", "R1", "R4", "R3", "R2", "R7"]  # undated last
    assert results.hits[0].snippet.startswith("Kabar bahwa Pasar Besar")
    assert "&lt;script&gt;" in results.hits[0].snippet
    assert ids(latest(built, 2)) == ["R6", "R5"]


def test_missing_index_gives_empty_results(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "never-built")
    assert search(index, SearchQuery(q="banjir")).hits == []
    assert search(index, SearchQuery(q="")).total == 0
    assert latest(index) == []
    assert index.doc_count() == 0 and not index.exists()
    assert index.status() == {
        "exists": False,
        "documents": 0,
        "generation": "",
        "last_modified": None,
        "needs_rebuild": False,
    }


def test_index_reopens_in_a_fresh_interpreter(built: SearchIndex) -> None:
    script = (
        "import sys\n"
        "from index import SearchIndex, SearchQuery, search\n"
        "results = search(SearchIndex(sys.argv[1]), SearchQuery(q='dibantah'))\n"
        "print(' '.join(hit.id for hit in results.hits))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(built.base_dir)],
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["R2"]


# Writing --------------------------------------------------------------------------------------


def test_upsert_creates_the_index_and_reports_status(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path)
    assert index.upsert([BRIDGE, ANGKOT]) == 2
    status = index.status()
    assert status["exists"] and status["documents"] == 2
    assert status["generation"].startswith("gen-") and status["last_modified"]
    assert status["needs_rebuild"] is False


def test_upsert_replaces_a_document_with_the_same_id(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path)
    index.upsert([BRIDGE, ANGKOT])
    corrected = release("R2", "Dishub Luruskan Kabar Ongkos Angkot", "Ongkos tetap.", None)
    assert index.upsert([corrected]) == 1
    assert index.doc_count() == 2
    assert ids(search(index, SearchQuery(q="luruskan"))) == ["R2"]
    assert search(index, SearchQuery(q="penumpang pelajar")).total == 0


def test_upsert_keeps_the_last_version_of_an_id_within_one_batch(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path)
    again = release("R1", "Jembatan Merjosari Rampung", "Sudah rampung.", None)
    assert index.upsert([BRIDGE, again]) == 1
    assert index.doc_count() == 1
    assert search(index, SearchQuery(q="rampung")).hits[0].title == "Jembatan Merjosari Rampung"


def test_upsert_whose_input_fails_writes_nothing(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path)
    index.upsert([BRIDGE])

    def failing() -> Iterator[IndexDoc]:
        yield ANGKOT
        raise RuntimeError("archive went away")

    with pytest.raises(RuntimeError):
        index.upsert(failing())
    assert index.doc_count() == 1


def test_naive_dates_are_refused(tmp_path: Path) -> None:
    naive = release("R9", "Tanpa zona waktu", "Isi.", datetime(2025, 1, 1, 8, 0))
    with pytest.raises(ValueError, match="timezone-aware"):
        SearchIndex(tmp_path).upsert([naive])


def test_delete_removes_documents_by_id(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path)
    index.upsert([BRIDGE, ANGKOT, HOAX])
    assert index.delete(["R2", "R404"]) == 1
    assert index.doc_count() == 2
    assert search(index, SearchQuery(q="angkot")).total == 0
    assert SearchIndex(tmp_path / "empty").delete(["R1"]) == 0


def test_rebuild_switches_generation_and_removes_the_old_one(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path)
    index.upsert([BRIDGE])
    old = index.status()["generation"]

    assert index.rebuild(ALL_DOCS) == len(ALL_DOCS)

    new = index.status()["generation"]
    assert new != old
    assert generations(tmp_path) == [new]
    assert os.readlink(tmp_path / "current") == new
    assert index.doc_count() == len(ALL_DOCS)
    assert "R3" in ids(search(index, SearchQuery(q="perahu karet")))


def test_failed_rebuild_leaves_the_previous_index_serving(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path)
    index.rebuild([BRIDGE, ANGKOT])
    before = index.status()["generation"]

    def failing() -> Iterator[IndexDoc]:
        yield FLOOD_TITLE
        yield FLOOD_BODY
        raise RuntimeError("archive read failed halfway")

    with pytest.raises(RuntimeError):
        index.rebuild(failing())
    with pytest.raises(ValueError, match="twice"):
        index.rebuild([HOAX, HOAX])

    assert index.status()["generation"] == before
    assert generations(tmp_path) == [before]
    assert index.doc_count() == 2
    assert ids(search(index, SearchQuery(q="jembatan"))) == ["R1"]
    assert search(index, SearchQuery(q="banjir")).total == 0


def test_upsert_on_a_missing_index_that_fails_leaves_no_index(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path)
    naive = release("R9", "Tanpa zona waktu", "Isi.", datetime(2025, 1, 1, 8, 0))
    with pytest.raises(ValueError):
        index.upsert([BRIDGE, naive])
    assert not index.exists() and generations(tmp_path) == []


def test_searches_keep_working_while_rebuilds_swap_generations(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path)
    index.rebuild(ALL_DOCS)
    failures: list[BaseException] = []
    finished = threading.Event()

    def rebuild_repeatedly() -> None:
        try:
            for _ in range(8):
                SearchIndex(tmp_path).rebuild(ALL_DOCS)
        except BaseException as exc:  # reported by the assertion below
            failures.append(exc)
        finally:
            finished.set()

    writer = threading.Thread(target=rebuild_repeatedly)
    writer.start()
    totals = []
    while not finished.is_set():
        totals.append(search(index, SearchQuery(q="banjir")).total)
    writer.join()
    assert failures == []
    assert totals and set(totals) == {2}
    assert len(generations(tmp_path)) == 1


def test_status_asks_for_a_rebuild_when_analysis_or_schema_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = SearchIndex(tmp_path)
    index.upsert([BRIDGE])
    monkeypatch.setattr(store, "index_fingerprint", lambda: "2-changed")
    assert index.status()["needs_rebuild"] is True
    index.rebuild([BRIDGE])
    assert index.status()["needs_rebuild"] is False


HOLD_FLOCK = """
import fcntl, sys
handle = open(sys.argv[1], "a")
fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
print("locked", flush=True)
sys.stdin.read()
"""


def test_second_writer_gets_index_busy_while_another_process_writes(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path, lock_timeout=0.3)
    index.upsert([BRIDGE])
    lock_path = tmp_path / "write.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_FLOCK, str(lock_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        for write in (
            lambda: index.upsert([ANGKOT]),
            lambda: index.delete(["R1"]),
            lambda: index.rebuild(ALL_DOCS),
        ):
            with pytest.raises(IndexBusy) as caught:
                write()
            message = str(caught.value)
            assert "another process is writing the search index" in message
            assert str(lock_path) in message
    finally:
        holder.communicate("", timeout=10)
    assert index.doc_count() == 1
    assert index.upsert([ANGKOT]) == 1  # the lock is free again


def test_whoosh_writer_lock_also_maps_to_index_busy(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path, lock_timeout=0.2)
    index.upsert([BRIDGE])
    foreign = whoosh_index.open_dir(str(tmp_path / "current")).writer()
    try:
        with pytest.raises(IndexBusy, match="another process is writing the search index"):
            index.upsert([ANGKOT])
    finally:
        foreign.cancel()
    assert index.doc_count() == 1


# Query arguments ------------------------------------------------------------------------------


def test_from_args_reads_and_clamps() -> None:
    query = SearchQuery.from_args({"q": "  banjir sukun  ", "page": "3", "per_page": "20"})
    assert (query.q, query.page, query.per_page) == ("banjir sukun", 3, 20)
    assert SearchQuery.from_args({}) == SearchQuery(q="", page=1, per_page=10)
    assert SearchQuery.from_args({"page": "", "per_page": " "}) == SearchQuery()
    low = SearchQuery.from_args({"page": "0", "per_page": "-5"})
    assert (low.page, low.per_page) == (1, 1)
    high = SearchQuery.from_args({"page": "99999999999999999999", "per_page": "500"})
    assert (high.page, high.per_page) == (1000, 50)
    assert len(SearchQuery.from_args({"q": "a" * 900}).q) == 500


@pytest.mark.parametrize("value", ["abc", "1.5", "2e3", "0x10", "½", "１"])
def test_from_args_rejects_non_integers_clearly(value: str) -> None:
    with pytest.raises(ValueError, match="page must be a whole number"):
        SearchQuery.from_args({"page": value})
    with pytest.raises(ValueError, match="per_page must be a whole number"):
        SearchQuery.from_args({"per_page": value})


# Readers kept between searches ------------------------------------------------------------------

ANGKOT_EDITED = release(
    "R2",
    "Dishub: Tarif Angkot Tetap Rp5 Ribu",
    ANGKOT.body + "\n\nRalat: tarif pelajar juga tetap.",
    ANGKOT.published,
    opd=ANGKOT.opd,
)


def test_a_thread_keeps_its_reader_until_a_commit_and_then_sees_only_the_new_version(
    tmp_path: Path,
) -> None:
    index = SearchIndex(tmp_path)
    index.rebuild(ALL_DOCS)
    with index.searcher() as first:
        kept = first.reader()
    with index.searcher() as second:
        assert second.reader() is kept  # nothing committed in between: nothing reopened
    # The edit adds a segment and deletes R2 from the segment the kept reader holds. (Whoosh's
    # own reader reuse matches segments by id and would keep the old deletions: R2 twice.)
    index.upsert([ANGKOT_EDITED])
    with index.searcher() as third:
        assert third.reader() is not kept
        assert third.doc_count() == len(ALL_DOCS)
    assert kept.is_closed
    results = search(index, SearchQuery(q="angkot"))
    assert ids(results) == ["R2"]
    assert results.hits[0].title == ANGKOT_EDITED.title


def test_a_held_searcher_outlives_a_merge_that_deletes_its_files(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path)
    index.rebuild(ALL_DOCS[:3])
    index.upsert(ALL_DOCS[3:])
    generation = tmp_path / os.readlink(tmp_path / "current")
    with index.searcher() as held:
        files = sorted(generation.glob("*.seg"))
        assert len(files) == 2
        index.upsert([ANGKOT_EDITED])
        whoosh_index.open_dir(str(generation)).optimize()  # one segment; the old files go
        assert not any(path.exists() for path in files)
        # The held reader still reads its own (now unlinked) files: the old, consistent view.
        assert [hit["title"] for hit in held.search(Term("body", "angkot"))] == [ANGKOT.title]
        with index.searcher() as inner:  # within one request, one generation
            assert inner.reader() is held.reader()
    with index.searcher() as fresh:
        assert fresh.reader() is not held.reader()
        assert len(fresh.reader().leaf_readers()) == 1
    results = search(index, SearchQuery(q="angkot"))
    assert ids(results) == ["R2"] and results.hits[0].title == ANGKOT_EDITED.title
    assert search(index, SearchQuery()).total == len(ALL_DOCS)


def test_each_thread_searches_with_its_own_reader(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path)
    index.rebuild(ALL_DOCS)
    with index.searcher() as mine:
        main_reader = mine.reader()
    seen = []

    def other() -> None:
        with index.searcher() as theirs:
            seen.append((theirs.reader(), theirs.doc_count()))

    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    assert seen and seen[0][0] is not main_reader and seen[0][1] == len(ALL_DOCS)


def test_searches_in_threads_see_every_commit_and_never_a_stale_or_double_version(
    tmp_path: Path,
) -> None:
    index = SearchIndex(tmp_path)
    index.rebuild(ALL_DOCS)
    failures: list[BaseException] = []
    counts: list[int] = []
    finished = threading.Event()

    def read_repeatedly() -> None:
        try:
            while not finished.is_set():
                counts.append(search(index, SearchQuery(q="angkot")).total)
        except BaseException as exc:  # reported by the assertion below
            failures.append(exc)

    readers = [threading.Thread(target=read_repeatedly) for _ in range(3)]
    for thread in readers:
        thread.start()
    try:
        for number in range(12):  # small commits; Whoosh merges some of them on the way
            edited = release("R2", f"Tarif angkot, ralat {number}", ANGKOT.body, ANGKOT.published)
            SearchIndex(tmp_path).upsert([edited])
    finally:
        finished.set()
        for thread in readers:
            thread.join()
    assert failures == []
    assert counts and set(counts) == {1}
    results = search(index, SearchQuery(q="angkot"))
    assert [hit.title for hit in results.hits] == ["Tarif angkot, ralat 11"]
