"""Comparing a claim with one release, fact by fact (no index needed: releases built here)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from index.retrieve import Candidate, Retrieval
from verify.check import rank
from verify.compare import ClaimView, compare_release, near_miss, same_value
from verify.evidence import analyse, claim_weights, read_release
from verify.facts import extract_facts, extract_money, extract_quantities
from verify.rules import comparable

WIB = timezone(timedelta(hours=7))
_numbers = iter(range(1, 10_000))


def claim(text: str) -> ClaimView:
    tokens = analyse(text)
    facts = extract_facts(text)
    weights = claim_weights(tokens, facts, Retrieval([], {}, 1000))  # every word weighs the same
    return ClaimView(text, tokens, facts, weights)


def release(title: str, body: str, published: datetime | None = None):
    number = next(_numbers)
    return read_release(
        Candidate(
            id=str(number),
            kind="release",
            score=1.0,
            url=f"https://dinkes.malangkota.go.id/2025/01/01/rilis-{number}/",
            title=title,
            body=body,
            opd="Dinas Kesehatan",
            published=published or datetime(2025, 1, 1, 9, tzinfo=WIB),
            status="active",
            fields={},
        )
    )


TBC = release(
    "Layanan Pemeriksaan TBC Diperluas",
    "Dinas Kesehatan Kota Malang memperluas layanan pemeriksaan TBC. Saat ini pemeriksaan TBC "
    "dapat dilakukan di 16 puskesmas dan 27 rumah sakit di Kota Malang.",
)


def test_the_same_facts_are_confirmed_without_differences():
    result = compare_release(
        claim("Pemeriksaan TBC tersedia di 16 puskesmas dan 27 rumah sakit."), TBC
    )
    assert len(result.matches) == 2
    assert result.differences == []
    assert result.relevance > 0.6


def test_numbers_swapped_between_what_they_count_are_differences():
    result = compare_release(
        claim("Pemeriksaan TBC tersedia di 27 puskesmas dan 16 rumah sakit."), TBC
    )
    assert {(d.claim, d.official) for d in result.differences} >= {("27", "16")}
    assert result.conflict > 0.5


def test_a_percentage_is_compared_with_the_one_about_the_same_thing():
    ppdb = release(
        "Kuota PPDB SMP Negeri 2024",
        "Kuota jalur zonasi ditetapkan 50 persen dari daya tampung. Kuota jalur prestasi "
        "ditetapkan 30 persen dari daya tampung sekolah.",
    )
    wrong = compare_release(claim("Kuota jalur prestasi PPDB SMP 2024 sebesar 50 persen."), ppdb)
    assert [(d.claim, d.official) for d in wrong.differences] == [("50 persen", "30 persen")]
    right = compare_release(claim("Kuota jalur prestasi PPDB SMP 2024 sebesar 30 persen."), ppdb)
    assert right.differences == [] and right.matches


def test_a_value_the_release_denies_is_a_difference():
    angkot = release(
        "Dishub Tegaskan Tarif Angkot Tidak Naik",
        "Dinas Perhubungan membantah kabar bahwa tarif angkot naik menjadi Rp15 ribu. Tarif yang "
        "berlaku tetap Rp5 ribu untuk penumpang umum.",
    )
    result = compare_release(claim("Tarif angkot naik jadi Rp15 ribu"), angkot)
    assert result.differences and result.conflict > 0.4
    assert not [m for m in result.matches if m.claim.kind == "money"]


def test_a_negation_against_a_plain_statement_conflicts_and_agreeing_negations_match():
    klb = release(
        "Dinkes Pastikan Kota Malang Belum KLB",
        "Meski kasus DBD meningkat, Dinas Kesehatan memastikan Kota Malang belum berstatus KLB "
        "demam berdarah.",
    )
    plain = compare_release(claim("Kota Malang sudah berstatus KLB demam berdarah."), klb)
    assert plain.differences and {d.kind for d in plain.differences} == {"negation"}
    agreeing = compare_release(claim("Kota Malang belum berstatus KLB demam berdarah."), klb)
    assert agreeing.differences == []
    assert [m.claim.kind for m in agreeing.matches] == ["negation"]


def test_a_fee_against_a_free_service_is_a_difference():
    ppdb = release(
        "Pendaftaran PPDB Dibuka",
        "Seluruh layanan pendaftaran PPDB di kantor Disdikbud tidak dipungut biaya, termasuk "
        "parkir.",
    )
    result = compare_release(
        claim("Pendaftaran PPDB di kantor Disdikbud ditarik biaya Rp100 ribu"), ppdb
    )
    assert ("modality", "tidak dipungut biaya") in {
        (d.kind, d.official) for d in result.differences
    }


def test_a_place_the_release_never_names_is_a_difference():
    training = release(
        "Pengurus Koperasi Dilatih di MCC",
        "Pelatihan pengurus koperasi digelar pada 13-15 Oktober 2025 di Gedung Malang Creative "
        "Center. Pembukaan dihadiri Sekda di Balai Kota Malang sehari sebelumnya.",
    )
    elsewhere = compare_release(
        claim("Pelatihan pengurus koperasi digelar di Hotel Pelangi."), training
    )
    assert [d.kind for d in elsewhere.differences] == ["place"]
    right = compare_release(
        claim("Pelatihan pengurus koperasi digelar di Malang Creative Center."), training
    )
    assert not right.differences
    assert [m.claim.kind for m in right.matches] == ["place"]



def test_a_kelurahan_is_not_a_rival_of_the_kecamatan_it_lies_in():
    kitchen = release(
        "Dapur MBG Baru Beroperasi",
        "Dapur Makan Bergizi Gratis di Kecamatan Kedungkandang menyediakan 2.800 porsi setiap "
        "hari untuk 11 sekolah.",
    )
    inside = compare_release(
        claim("Dapur MBG di Kelurahan Buring menyediakan 2.800 porsi untuk 11 sekolah."), kitchen
    )
    assert not [d for d in inside.differences if d.kind == "place"]
    outside = compare_release(
        claim("Dapur MBG di Kelurahan Dinoyo menyediakan 2.800 porsi untuk 11 sekolah."), kitchen
    )
    assert [d.kind for d in outside.differences] == ["place"]  # Dinoyo lies in Lowokwaru

def test_the_day_of_a_dated_event_is_checked_against_the_official_day():
    meeting = release(
        "Rapat Forum LLAJ Bahas Parkir",
        "Hal itu disampaikan seusai rapat Forum LLAJ pada Kamis (22/2/2024) sore.",
    )
    result = compare_release(claim("Rapat Forum LLAJ digelar Senin, 22 Februari 2024."), meeting)
    assert ("day", "Senin", "Kamis") in {(d.kind, d.claim, d.official) for d in result.differences}


def test_the_day_an_official_spoke_is_no_rival_to_the_date_of_the_matter():
    extended = release(
        "Pendaftaran PPPK Ditutup",
        "Kepala BKPSDM Kota Malang, Totok Kasianto, Kamis (12/10/2023), menjelaskan bahwa "
        "pendaftaran PPPK 2023 sudah ditutup pada 11 Oktober 2023. Seleksi digelar mulai 10 "
        "November sampai 4 Desember 2023.",
    )
    same = compare_release(claim("Pendaftaran PPPK 2023 ditutup pada 11 Oktober."), extended)
    assert [d for d in same.differences if d.kind == "date"] == []
    assert ("11 Oktober", "11 Oktober 2023") in {
        (m.claim.text, m.official.text) for m in same.matches if m.official is not None
    }
    other = compare_release(claim("Pendaftaran PPPK 2023 ditutup pada 20 Oktober."), extended)
    assert [(d.claim, d.official) for d in other.differences if d.kind == "date"] == [
        ("20 Oktober", "11 Oktober 2023")
    ]


def test_near_miss_numbers_look_like_distortions():
    def money(text):
        return extract_money(text)[0]

    def count(text):
        return extract_quantities(text)[0]

    assert near_miss(money("Rp74 miliar"), money("Rp7,4 miliar"))
    assert near_miss(count("801 peserta"), count("108 peserta"))
    assert near_miss(count("165 perusahaan"), count("65 perusahaan"))
    assert not near_miss(count("1.000 formasi"), count("271 formasi"))
    assert not near_miss(count("2 orang"), count("3 orang"))


def test_hedged_numbers_agree_within_a_margin_exact_ones_do_not():
    (about,) = extract_quantities("sekitar 2.500 lowongan")
    (exact,) = extract_quantities("2.480 lowongan")
    assert same_value(about, exact)
    (a,) = extract_money("Rp3.524.238")
    (b,) = extract_money("Rp3.507.693")
    assert not same_value(a, b)


def test_on_the_same_matter_the_newer_release_is_ranked_first():
    body = "Tarif parkir tepi jalan untuk sepeda motor ditetapkan Rp3.000 di seluruh Kota Malang."
    older = release("Tarif Parkir Tepi Jalan", body, datetime(2023, 5, 1, tzinfo=WIB))
    newer = release("Tarif Parkir Tepi Jalan", body, datetime(2025, 5, 1, tzinfo=WIB))
    view = claim("Tarif parkir sepeda motor di tepi jalan Rp3.000")
    ranked = rank([compare_release(view, older), compare_release(view, newer)])
    assert ranked[0].release is newer


FLOOD = release(
    "Banjir Rendam 254 Rumah",
    "Banjir merendam sekitar 254 rumah di delapan titik. Lokasi terparah berada di Gang Mirej, "
    "Kelurahan Madyopuro, dengan sekitar 160 rumah terdampak. Tahun ini beasiswa diberikan "
    "kepada 577 orang, yakni 305 siswa dan 272 mahasiswa.",
)


def test_a_distinctive_count_the_release_states_is_confirmed_not_set_against_a_part():
    # The sentence about the worst-hit spot shares more of the claim's words, but the release
    # states the claim's own total too.
    result = compare_release(
        claim("Banjir merendam 254 rumah, dengan lokasi terparah di Gang Mirej, Madyopuro."), FLOOD
    )
    assert result.differences == []
    assert "254" in {m.claim.text for m in result.matches}
    # "305 pelajar" is the release's "305 siswa", not a difference from "577 orang"
    result = compare_release(claim("Beasiswa diberikan kepada 577 orang, 305 pelajar."), FLOOD)
    assert result.differences == []
    # an altered total is still a difference
    altered = compare_release(
        claim("Banjir merendam 354 rumah, dengan lokasi terparah di Gang Mirej, Madyopuro."), FLOOD
    )
    assert any(d.claim == "354" for d in altered.differences)


def test_a_count_of_years_is_not_a_count_of_teams():
    (teams,) = extract_quantities("DLH memiliki lima tim lapangan")
    (years,) = extract_quantities("perempesan butuh waktu hingga lima tahun")
    (staff,) = extract_quantities("DLH memiliki tiga tim lapangan")
    assert not comparable(teams, years)
    assert comparable(teams, staff) and not same_value(teams, staff)


def test_who_said_it_carries_no_weight_in_what_a_claim_asserts():
    # "Dinkes bilang ..." asserts what Dinkes said; a release states it without "bilang"
    assert "bilang" not in claim("Dinkes bilang Kota Malang belum KLB DBD").weights
    assert "kata" not in claim("Kata Pak Wali, parkir di Kayutangan gratis").weights
    assert "sebut" not in claim("Dinkes menyebut kasus DBD turun").weights
    assert "dinkes" in claim("Dinkes bilang Kota Malang belum KLB DBD").weights


def test_a_sentences_modal_words_are_those_of_its_facts_whether_or_not_read_first():
    rules = release(
        "Aturan Parkir Baru",
        "Pengunjung wajib membayar parkir secara nontunai. Pelajar tidak wajib mendaftar dan "
        "layanannya gratis. Parkir di bahu jalan dilarang. Petugas berjaga setiap hari.",
    )
    fresh = [s.modalities for s in rules.sentences]  # read without extracting every fact
    assert fresh == [frozenset(f.value for f in s.facts if f.kind == "modality")
                     for s in rules.sentences]  # fmt: skip
    assert {m for found in fresh for m in found} == {"wajib", "bayar", "gratis", "dilarang"}


def test_a_rule_is_read_by_meaning_not_by_word():
    from verify.features import claim_features  # the features the verdict model reads

    rules = release(
        "Alun-alun Merdeka Bebas PKL",
        "Pedagang kaki lima dilarang berjualan di dalam Alun-alun Merdeka. Pemkot menyiapkan "
        "lokasi berjualan di sekitar alun-alun.",
    )
    allowed = release(
        "PKL Tetap Berjualan di Alun-alun",
        "Pedagang kaki lima boleh berjualan di dalam Alun-alun Merdeka pada malam hari.",
    )

    def lacks_modal(text: str, official) -> float:
        view = claim(text)
        return claim_features(view, rank([compare_release(view, official)]))["lacks_modal"]

    said_otherwise = "Pedagang kaki lima tidak boleh berjualan di dalam Alun-alun Merdeka."
    assert lacks_modal(said_otherwise, rules) == 0.0  # "tidak boleh" is what "dilarang" says
    assert lacks_modal(said_otherwise, allowed) == 1.0
    assert lacks_modal("Pedagang kaki lima harus berjualan di luar alun-alun.", rules) == 1.0
