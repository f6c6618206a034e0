"""Cleaning pasted messages: forwarded-message noise, emojis, shouting, links and chat spelling."""

from __future__ import annotations

import pytest

from verify.normalise import LEXICON_PATH, load_lexicon, normalise_message, normalise_words


def clean(text: str) -> str:
    return normalise_message(text).text


@pytest.mark.parametrize(
    ("informal", "formal"),
    [
        ("gak ada kenaikan", "tidak ada kenaikan"),
        ("ga bayar", "tidak bayar"),
        ("nggak jadi", "tidak jadi"),
        ("warga yg terdampak", "warga yang terdampak"),
        ("utk pelajar", "untuk pelajar"),
        ("dgn KTP", "dengan KTP"),
        ("krn hujan", "karena hujan"),
        ("sdh dibuka", "sudah dibuka"),
        ("blm cair", "belum cair"),
        ("bsk pagi", "besok pagi"),
        ("msh boleh", "masih boleh"),
        ("kalo telat", "jika telat"),
    ],
)
def test_slang_becomes_standard_indonesian(informal, formal):
    assert normalise_words(informal) == formal


def test_slang_keeps_a_capital_at_the_start_of_a_sentence():
    assert normalise_words("Blm ada info") == "Belum ada info"


def test_abbreviations_with_a_full_stop_and_codes_are_left_alone():
    assert normalise_words("RSUD dr. Saiful Anwar") == "RSUD dr. Saiful Anwar"
    assert normalise_words("Gerakan G1R1J") == "Gerakan G1R1J"


def test_chat_amounts_get_their_scale_word():
    assert clean("tarif jadi Rp15rb") == "Tarif jadi Rp15 ribu"
    assert clean("bantuan 1,5 jt per KK") == "Bantuan 1,5 juta per KK"


def test_forwarded_message_boilerplate_is_removed_and_reported():
    cleaned = normalise_message(
        "Info dari grup sebelah: mulai 1 Maret semua warga WAJIB daftar ulang KK online!! "
        "Sebarkan!!"
    )
    assert cleaned.text == "Mulai 1 Maret semua warga wajib daftar ulang KK online!"
    assert "Info dari grup sebelah" in cleaned.removed
    assert "Sebarkan" in cleaned.removed


@pytest.mark.parametrize(
    "message",
    [
        "VIRALKAN!! Jembatan ditutup total 3 bulan",
        "Diteruskan\nJembatan ditutup total 3 bulan",
        "Jembatan ditutup total 3 bulan 😱🙏 forward ke grup lain",
        "RESMI!!! Jembatan ditutup total 3 bulan",
    ],
)
def test_shouts_forwarding_marks_and_emojis_leave_only_the_claim(message):
    assert clean(message) == "Jembatan ditutup total 3 bulan"


def test_a_shouted_message_is_lowered_but_acronyms_and_places_keep_capitals():
    assert clean("JANGAN MINUM AIR PDAM!! AIR DI SAWOJAJAR TERCEMAR") == (
        "Jangan minum air PDAM! Air di Sawojajar tercemar"
    )


def test_links_are_removed_but_phone_numbers_stay():
    cleaned = normalise_message("Daftar lewat bit.ly/daftar-cpns atau WA 081234567890")
    assert "bit.ly" not in cleaned.text
    assert "081234567890" in cleaned.text
    assert "bit.ly/daftar-cpns" in cleaned.removed


def test_repeated_letters_and_chat_plurals_are_tidied():
    assert clean("GRATISSS utk anak2 di pos2 kesehatan") == (
        "Gratis untuk anak-anak di pos-pos kesehatan"
    )
    # a closing "hati2 ya" is noise (tests/test_verify_wrappers.py), not part of the claim
    assert clean("GRATISSS utk anak2, hati2 ya") == "Gratis untuk anak-anak"


def test_rupiah_codes_are_not_read_as_plurals():
    assert clean("bayar Rp2 juta") == "Bayar Rp2 juta"


def test_the_lexicon_file_is_well_formed_and_readable():
    lexicon = load_lexicon()
    assert lexicon["yg"] == "yang" and lexicon["gak"] == "tidak"
    lines = [
        line
        for line in LEXICON_PATH.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert len(lines) == len(lexicon)  # no informal word listed twice
    assert all(line.count("\t") == 1 and line == line.strip() for line in lines)


def test_text_without_any_claim_cleans_to_nothing():
    assert clean("😀🔥 VIRALKAN!!! https://bit.ly/x") == ""


def test_a_call_to_spread_after_a_comma_is_removed():
    clean = normalise_message("Tarif angkot naik jd Rp15 ribu, VIRALKAN!!")
    assert clean.text == "Tarif angkot naik jadi Rp15 ribu"
    # but a sentence that merely mentions sharing keeps its words
    kept = normalise_message("Warga diminta tidak asal bagikan, cek dulu sumbernya.")
    assert "bagikan" in kept.text
