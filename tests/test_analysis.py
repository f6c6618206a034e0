"""Indonesian analysis: tokenizer, stop list, stemming with overrides, and the Malang gazetteer."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from index import analysis
from index.analysis import (
    STEM_OVERRIDES,
    STOP_WORDS,
    indonesian_analyzer,
    stem_word,
    term_spans,
    tokens,
)
from index.names import AGENCIES, KECAMATAN, VENUES, protected_words

# Tokenizer ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bantuan sebesar Rp1.500.000 per keluarga", "rp1.500.000"),
        ("anggaran 1.500.000 rupiah", "1.500.000"),
        ("inflasi 2,5 persen", "2,5"),
        ("anggaran Rp1,5 miliar", "rp1,5"),
        ("Senin (23/09/2019) pagi", "23/09/2019"),
        ("vaksinasi covid-19 lanjutan", "covid-19"),
        ("dibuka pukul 08.00 WIB", "08.00"),
        ("H-3 Lebaran", "h-3"),
    ],
)
def test_tokenizer_keeps_numbers_dates_and_hyphenated_words_whole(text: str, expected: str) -> None:
    assert expected in tokens(text)


def test_reduplicated_plural_is_one_token() -> None:
    # Split on the hyphen it would give two "berita" terms.
    assert tokens("berita-berita") == ["berita"]


def test_sentence_punctuation_is_split_off() -> None:
    assert tokens("naik 2,5 persen.") == ["naik", "2,5", "persen"]
    assert tokens("dana Rp1.500.000.") == ["dana", "rp1.500.000"]
    assert tokens("(Kedungkandang), Sukun; Klojen!") == ["kedungkandang", "sukun", "klojen"]


def test_digits_join_only_with_digits_on_both_sides() -> None:
    assert tokens("periode 2024-2025") == ["periode", "2024", "2025"]
    assert tokens("Rp10.000/bulan") == ["rp10.000", "bulan"]
    assert tokens("siapel.malangkota.go.id") == ["siapel", "malangkota", "go", "id"]


def test_emoji_and_symbols_give_no_tokens() -> None:
    assert tokens("😀🔥 *** ___ ... ") == []


# Stop words -----------------------------------------------------------------------------------


def test_function_words_are_dropped() -> None:
    assert tokens("yang dan di ke dari untuk dengan pada dalam ini itu adalah") == []


MEANINGFUL = "tidak bukan belum benar sudah baru hari dua wajib gratis tahun".split()


@pytest.mark.parametrize("word", MEANINGFUL)
def test_meaning_bearing_words_are_kept(word: str) -> None:
    assert tokens(word) == [word]
    assert word not in STOP_WORDS


def test_stop_list_is_short() -> None:
    assert len(STOP_WORDS) <= 40
    assert "dilarang" not in STOP_WORDS and tokens("dilarang") == ["larang"]


# Stemming -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "root"),
    [
        (["pembangunan", "membangun", "dibangun"], "bangun"),
        (["membantah", "dibantah", "bantahan"], "bantah"),
        (["penyebaran", "disebarkan", "disebarluaskan"], "sebar"),
        (["mengimbau", "imbauan", "menghimbau"], "imbau"),
    ],
)
def test_word_families_share_one_root(words: list[str], root: str) -> None:
    assert [stem_word(word) for word in words] == [root] * len(words)


@pytest.mark.parametrize(("word", "root"), sorted(STEM_OVERRIDES.items()))
def test_each_override_corrects_a_real_sastrawi_mistake(word: str, root: str) -> None:
    assert stem_word(word) == root
    assert analysis._sastrawi_stem(word) != root  # otherwise the override is dead weight


@pytest.mark.parametrize(
    ("word", "root"),
    [
        ("ditegaskan", "tegas"),
        ("menyatakan", "nyata"),
        ("mengklarifikasi", "klarifikasi"),
        ("diklarifikasi", "klarifikasi"),
        ("dilakukan", "laku"),
        ("diberikan", "beri"),
        ("penipuan", "tipu"),
        ("kebohongan", "bohong"),
        ("pengumuman", "umum"),
        ("pemerintahan", "perintah"),
        ("berita", "berita"),
    ],
)
def test_sastrawi_is_trusted_where_it_is_right(word: str, root: str) -> None:
    assert word not in STEM_OVERRIDES
    assert stem_word(word) == root


@pytest.mark.parametrize(
    "name",
    ["Kedungkandang", "Merjosari", "Sukun", "Dispendukcapil", "Bapenda", "Blimbing", "Klojen"],
)
def test_place_and_agency_names_are_not_stemmed(name: str) -> None:
    assert stem_word(name.lower()) == name.lower()
    assert tokens(name) == [name.lower()]


@pytest.mark.parametrize(
    ("name", "sastrawi_mangles_to"),
    [("samaan", "sama"), ("penanggungan", "tanggung"), ("bandulan", "bandul"), ("kauman", "kaum")],
)
def test_protection_saves_kelurahan_that_look_affixed(name: str, sastrawi_mangles_to: str) -> None:
    assert analysis._sastrawi_stem(name) == sastrawi_mangles_to
    assert stem_word(name) == name


@pytest.mark.parametrize("token", ["2,5", "1.500.000", "rp1,5", "23/09/2019", "covid-19", "café"])
def test_numbers_and_non_latin_tokens_pass_through(token: str) -> None:
    assert stem_word(token) == token


def test_stemming_is_cached() -> None:
    stem_word("pengaduan")
    hits = stem_word.cache_info().hits
    stem_word("pengaduan")
    assert stem_word.cache_info().hits == hits + 1


def test_a_whole_sentence_gives_the_expected_terms() -> None:
    sentence = (
        "Dinas Perhubungan Kota Malang membantah kabar bahwa tarif angkot naik menjadi Rp15.000, "
        "dan menegaskan tarif penumpang umum tetap Rp5.000 sejak 1 Januari 2024."
    )
    assert tokens(sentence) == [
        "dinas", "hubung", "kota", "malang", "bantah", "kabar", "tarif", "angkot", "naik",
        "jadi", "rp15.000", "tegas", "tarif", "tumpang", "umum", "tetap", "rp5.000", "sejak",
        "1", "januari", "2024",
    ]  # fmt: skip


def _demo_texts() -> list[str]:
    texts = []
    for path in sorted(Path(__file__).resolve().parent.parent.glob("demo/wp/*.json")):
        for post in json.loads(path.read_text(encoding="utf-8")):
            texts += [post["title"]["rendered"], post["content"]["rendered"]]
    return texts


ODD_TEXTS = [
    "İSTANBUL ẞtraße ÀÉÎ Yang DAN yg", "H-3 Lebaran, covid-19-an 19-an 2024-2025 -x x-",
    "Rp1.500.000,- /bulan 23/09/2019 08.00-10.00", "berita-berita BERITA-berita", "a b c ke di",
    "😀🔥 ___ _x_ x_y ١٢٣ 一二三 ΑΒΓ", "\ud800 lone \udfff", "", "   \n\n  ",
    "x" * 60 + " " + "membantah" * 5,
]  # fmt: skip


@pytest.mark.parametrize("text", [*ODD_TEXTS, *_demo_texts()])
def test_term_spans_are_exactly_what_the_analyzer_gives(text: str) -> None:
    # term_spans repeats the analyzer's steps without Whoosh's token stream; the index and the
    # claim check must never see different terms or offsets.
    expected = [
        (t.text, t.startchar, t.endchar)
        for t in indonesian_analyzer()(text, positions=True, chars=True)
    ]
    assert term_spans(text) == expected
    assert tokens(text) == [term for term, _, _ in expected]


def test_analyzer_pickles_by_reference_and_stays_small() -> None:
    data = pickle.dumps(indonesian_analyzer())
    assert b"stem_word" in data
    assert len(data) < 2_000  # the Sastrawi dictionary and gazetteer are not inside
    restored = pickle.loads(data)
    terms = [token.text for token in restored("Pembangunan dibantah di Sukun")]
    assert terms == ["bangun", "bantah", "sukun"]


# Gazetteer ------------------------------------------------------------------------------------


def test_gazetteer_lists_five_kecamatan_and_57_kelurahan() -> None:
    assert sorted(KECAMATAN) == ["Blimbing", "Kedungkandang", "Klojen", "Lowokwaru", "Sukun"]
    kelurahan = [name for names in KECAMATAN.values() for name in names]
    assert len(kelurahan) == 57
    assert len(set(kelurahan)) == 57
    for kecamatan, names in KECAMATAN.items():
        assert kecamatan in names  # each kecamatan has a kelurahan of the same name


def test_gazetteer_has_the_agencies_and_venues_releases_name() -> None:
    for abbreviation in ["Diskominfo", "Dispendukcapil", "Bapenda", "DPUPRPKP", "Dinkes", "DLH"]:
        assert abbreviation in AGENCIES
    assert AGENCIES["Satpol PP"] == "Satuan Polisi Pamong Praja"
    assert "TPA Supit Urang" in VENUES and "Stadion Gajayana" in VENUES


def test_protected_words_hold_names_but_not_ordinary_words() -> None:
    words = protected_words()
    for name in ["merjosari", "oro-oro", "dowo", "dispendukcapil", "satpol", "supit", "gajayana"]:
        assert name in words
    for ordinary in ["pelayanan", "pembangunan", "pasar", "kota", "jalan", "dinas", "alun"]:
        assert ordinary not in words
    assert not words & set(STEM_OVERRIDES)
