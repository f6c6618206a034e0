"""Splitting a message into claims, and reading official text as sentences."""

from __future__ import annotations

from verify.claims import MAX_CLAIMS, split_claims
from verify.evidence import split_sentences


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


def test_each_statement_of_a_message_is_a_claim():
    claims = split_claims(
        "Tarif angkot naik jadi Rp15 ribu. Mulai besok parkir di Kayutangan wajib pakai QRIS! "
        "Pasar Besar juga akan dipindah?"
    )
    assert claims == [
        "Tarif angkot naik jadi Rp15 ribu.",
        "Mulai besok parkir di Kayutangan wajib pakai QRIS!",
        "Pasar Besar juga akan dipindah?",
    ]


def test_a_fragment_too_short_to_check_stays_with_its_neighbour():
    assert split_claims("Tarif angkot naik jadi Rp15 ribu. Siap-siap!") == [
        "Tarif angkot naik jadi Rp15 ribu. Siap-siap!"
    ]
    assert split_claims("Benar ini? Tarif angkot naik jadi Rp15 ribu.") == [
        "Benar ini? Tarif angkot naik jadi Rp15 ribu."
    ]


def test_decimal_numbers_and_abbreviations_do_not_end_a_claim():
    claims = split_claims(
        "Anggaran Rp1.500.000 untuk RSUD dr. Saiful Anwar di Jl. Jaksa Agung Suprapto"
    )
    assert len(claims) == 1


def test_the_number_of_claims_is_bounded():
    message = " ".join(f"Jalan nomor {n} di Kota Malang ditutup total." for n in range(20))
    claims = split_claims(message)
    assert len(claims) == MAX_CLAIMS
    assert "nomor 19" in claims[-1]


def test_official_text_splits_into_sentences_but_not_at_initials_or_titles():
    text = (
        "Kepala Disdikbud, Suwarjana, S.E., M.M., mengapresiasi warga. Bakteri E. coli tidak "
        "ditemukan.\n\nPendaftaran dibuka 3 Juni."
    )
    assert sentences(text) == [
        "Kepala Disdikbud, Suwarjana, S.E., M.M., mengapresiasi warga.",
        "Bakteri E. coli tidak ditemukan.",
        "Pendaftaran dibuka 3 Juni.",
    ]
