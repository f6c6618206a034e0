"""Fact extractors on real Indonesian phrases: money, numbers, dates, places, roles, negation."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from itertools import pairwise

import pytest

from verify.facts import (
    DateValue,
    describe_value,
    extract_agencies,
    extract_dates,
    extract_facts,
    extract_money,
    extract_percentages,
    extract_places,
    extract_polarity,
    extract_quantities,
    extract_roles,
    extract_times,
    format_rupiah,
    parse_number,
    parse_number_words,
)

WIB = timezone(timedelta(hours=7))


def kinds(text: str, kind: str) -> list:
    return [f for f in extract_facts(text) if f.kind == kind]


# Money ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("biaya Rp 1.500.000 per peserta", 1_500_000),
        ("bantuan 1,5 juta rupiah", 1_500_000),
        ("tarif Rp1,5 jt", 1_500_000),
        ("tiket Rp5.000", 5_000),
        ("dijual Rp69 ribu per paket", 69_000),
        ("anggaran Rp27,2 miliar", 27_200_000_000),
        ("UMK Rp3.736.101", 3_736_101),
        ("cabe tembus Rp190rb/kg", 190_000),
        ("bantuan senilai 500 ribu", 500_000),
    ],
)
def test_money_in_indonesian_formats(text, amount):
    found = extract_money(text)
    assert len(found) == 1
    assert found[0].value == (amount, amount)


def test_money_ranges_share_their_scale_word():
    (fact,) = extract_money("anggaran seragam Rp6-7 miliar")
    assert fact.value == (6e9, 7e9)


def test_money_keeps_its_basis():
    assert extract_money("Rp2 juta per bulan")[0].unit == "per bulan"
    assert extract_money("Rp75 ribu per kilogram")[0].unit == extract_money("Rp75rb/kg")[0].unit


def test_a_count_in_thousands_is_not_money():
    assert extract_money("sebanyak 2 ribu peserta hadir") == []


def test_rupiah_are_written_the_way_releases_write_them():
    assert format_rupiah(500_000) == "Rp500 ribu"
    assert format_rupiah(1_500_000) == "Rp1,5 juta"
    assert format_rupiah(7_400_000_000) == "Rp7,4 miliar"
    assert format_rupiah(3_736_101) == "Rp3.736.101"


# Numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [("16.151", 16151), ("2,5", 2.5), ("0,22", 0.22), ("1.500.000", 1_500_000), ("37", 37)],
)
def test_numbers_are_read_the_indonesian_way(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("dua ribu", 2000),
        ("tiga ratus lima puluh", 350),
        ("dua belas", 12),
        ("sebelas", 11),
        ("seratus dua puluh", 120),
        ("sejuta", 1_000_000),
        ("tujuh", 7),
    ],
)
def test_number_words(words, value):
    assert parse_number_words(words) == value


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("Kota Malang jadi tuan rumah 37 cabor", 37, "cabor"),
        ("Satpol PP memiliki tujuh penyidik", 7, "sidik"),
        ("diikuti dua ribu peserta", 2000, "serta"),
        ("sebanyak 16.151 warga menerima BLT", 16151, "warga"),
        ("masa kerja 105 hari", 105, "hari"),
        ("perempesan butuh waktu hingga lima tahun", 5, "tahun"),
        ("jalan sepanjang 15 km", 15_000, "meter"),  # measures are kept in base units
        ("292 merupakan mahasiswa", 292, "mahasiswa"),
    ],
)
def test_quantities_with_what_they_count(text, value, unit):
    (fact,) = extract_quantities(text)
    assert fact.value == (value, value)
    assert fact.unit == unit


@pytest.mark.parametrize(
    "texts",
    [
        ("banjir setinggi 160 cm", "banjir setinggi 160 sentimeter", "banjir setinggi 1,6 meter"),
        ("bantuan beras 2 kg", "bantuan beras dua kilogram", "bantuan beras 2.000 gram"),
        ("jarak 5 km", "jarak 5 kilometer", "jarak 5.000 m"),
        ("air bersih 1.000 liter", "air bersih 1.000 ltr", "air bersih satu juta ml"),
    ],
)
def test_one_measure_in_any_spelling_or_scale_is_one_value(texts):
    facts = [extract_quantities(text) for text in texts]
    assert all(len(found) == 1 for found in facts), facts
    assert len({(found[0].value, found[0].unit) for found in facts}) == 1, facts
    assert describe_value(facts[0][0]).endswith(facts[0][0].unit)


def test_number_words_inside_names_are_not_counts():
    assert extract_quantities("Dinkes mendorong Gerakan Satu Rumah Satu Jumantik di wilayah") == []
    assert extract_quantities("salah satu sekolah") == []


def test_number_words_in_a_headline_are_counts():
    (fact,) = extract_quantities("Pipa Bocor, 4.954 Pelanggan di Lima Kelurahan Terdampak")[1:]
    assert fact.value == (5, 5)


def test_percentages():
    assert [f.value for f in extract_percentages("naik 40 persen, inflasi 0,22%")] == [
        (40, 40),
        (0.22, 0.22),
    ]


def test_dates_times_and_amounts_are_not_also_counts():
    facts = extract_facts("Senin (23/09/2019) pukul 07.00 WIB, biaya Rp500 ribu untuk 30 orang")
    counts = [f for f in facts if f.kind == "quantity"]
    assert [f.value for f in counts] == [(30, 30)]


def test_a_span_read_by_one_extractor_is_not_read_again():
    text = (
        "Senin (23/09/2019) pukul 07.00 WIB di Jl. Veteran, RW 05 Kelurahan Sukun: biaya Rp500 "
        "ribu untuk 30 orang, naik 40 persen, HUT ke-110, Perda 1/2025, hubungi 0821-3193-9177 "
        'kata Kepala Dinkes Husnul Muarif di acara "Gerakan 1000 Pohon".'
    )
    facts = [f for f in extract_facts(text) if f.kind not in {"negation", "modality"}]
    assert {f.kind for f in facts} >= {
        "day", "date", "time", "place", "money", "quantity", "percent", "ordinal",
        "regulation", "phone", "role", "person", "quote",
    }  # fmt: skip
    for fact, following in pairwise(facts):
        assert fact.end <= following.start, (fact, following)


def test_no_one_died_is_a_count_of_zero():
    (zero,) = [
        f
        for f in extract_facts("ada 389 kasus DBD dan tidak ada yang meninggal")
        if f.value == (0, 0)
    ]
    assert zero.kind == "quantity" and zero.qualifier == "tidak ada"


# Dates, days and times --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Senin (23/09/2019)", DateValue(2019, 9, 23)),
        ("pada 23 September", DateValue(None, 9, 23)),
        ("30 November 2021", DateValue(2021, 11, 30)),
        ("hingga akhir November 2025", DateValue(2025, 11, None, part="akhir")),
        ("inflasi Desember 2023", DateValue(2023, 12, None)),
        ("tahun 2026", DateValue(2026, None, None)),
        ("13-15 Oktober 2025", DateValue(2025, 10, 13, end=(2025, 10, 15))),
        ("September hingga November 2024", DateValue(2024, 9, None, end=(2024, 11, None))),
        ("triwulan I 2022", DateValue(2022, 1, None, end=(2022, 3, None))),
    ],
)
def test_dates_in_indonesian_formats(text, value):
    dates = [f for f in extract_dates(text) if f.kind == "date"]
    assert [f.value for f in dates] == [value]


def test_weekday_names_are_days():
    days = [f for f in extract_dates("rapat pada Kamis (22/2/2024) sore") if f.kind == "day"]
    assert [f.value for f in days] == [3]


def test_minggu_is_a_day_only_when_it_names_one():
    assert [f for f in extract_dates("ditutup tiga minggu") if f.kind == "day"] == []
    assert [f for f in extract_dates("minggu depan") if f.kind == "day"] == []
    assert [f.value for f in extract_dates("Minggu (5/1/2025)") if f.kind == "day"] == [6]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("besok", DateValue(2025, 3, 15)),
        ("kemarin", DateValue(2025, 3, 13)),
        ("akhir bulan", DateValue(2025, 3, None, part="akhir")),
        ("bulan depan", DateValue(2025, 4, None)),
        ("tahun depan", DateValue(2026, None, None)),
        ("minggu depan", DateValue(2025, 3, 17, end=(2025, 3, 23))),
    ],
)
def test_relative_dates_are_resolved_against_the_reference(text, value):
    reference = datetime(2025, 3, 14, 9, 0, tzinfo=WIB)  # a Friday
    (fact,) = extract_dates(text, reference)
    assert fact.value == value
    assert fact.qualifier == "relatif"


def test_relative_dates_in_all_facts_are_resolved_against_the_reference():
    reference = datetime(2025, 3, 14, 9, 0, tzinfo=WIB)
    (fact,) = [f for f in extract_facts("ditutup mulai besok", reference=reference)]
    assert fact.value == DateValue(2025, 3, 15) and fact.detail["relative"] == "besok"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("5 Jul 2025", DateValue(2025, 7, 5)),
        ("5 Jul. 2025", DateValue(2025, 7, 5)),
        ("7 Agus 2025", DateValue(2025, 8, 7)),
        ("rapat 3 Mar", DateValue(None, 3, 3)),
        ("Des 2024", DateValue(2024, 12, None)),
        ("Okt-Des 2025", DateValue(2025, 10, None, end=(2025, 12, None))),
    ],
)
def test_an_abbreviated_month_beside_a_day_or_year_is_a_date(text, value):
    facts = extract_facts(text)
    assert [(f.kind, f.value) for f in facts] == [("date", value)]


@pytest.mark.parametrize(
    "text",
    ["Des Sumbersari", "Des. Tlogomas", "Sep lalu", "kata Jun", "akhir Des", "Mar kecil"],
)
def test_an_abbreviated_month_alone_is_not_a_date(text):
    assert [f for f in extract_facts(text) if f.kind == "date"] == []


def test_a_name_that_abbreviates_a_month_is_a_person():
    facts = extract_facts("Kepala Dinas Agus Sunarto menyatakan")
    assert [(f.kind, f.value) for f in facts] == [
        ("role", "kepala dinas"),
        ("person", "agus sunarto"),
    ]


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("Kepala BKPSDM, Totok Kasianto, Kamis (12/10/2023), menjelaskan", "dateline"),
        ("Hal itu disampaikan Wali Kota, Senin (1/1/2024).", "dateline"),
        ("seusai rapat pada Kamis (22/2/2024) sore", ""),
        ("Rapat digelar Kamis (22/2/2024) di Balai Kota", ""),
        ("ditutup pada 12/10/2023", ""),
    ],
)
def test_the_press_dateline_is_told_from_the_date_of_an_event(text, qualifier):
    (fact,) = [f for f in extract_dates(text) if f.kind == "date"]
    assert fact.qualifier == qualifier


def test_relative_dates_without_a_reference_stay_unresolved():
    (fact,) = extract_dates("mulai besok")
    assert fact.value is None and fact.detail["relative"] == "besok"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("dibuka pukul 17.00-20.00 WIB", (17 * 60, 20 * 60)),
        ("buka jam 07.00 sampai 15.00", (7 * 60, 15 * 60)),
        ("mulai pukul 21.00", (21 * 60, None)),
        ("jam 9 malam", (21 * 60, None)),
    ],
)
def test_times_of_day(text, value):
    (fact,) = extract_times(text)
    assert fact.value == value


def test_a_duration_in_hours_is_not_a_time_of_day():
    assert extract_times("siaga 24 jam") == []
    assert extract_times("inflasi 17.000 ton") == []


# Places, roles, agencies ------------------------------------------------------------------


def test_places_from_the_gazetteer_and_aliases():
    places = extract_places("Banjir di Kelurahan Madyopuro, Kidul Dalem dan Oro Oro Dowo")
    assert [f.value for f in places] == ["madyopuro", "kiduldalem", "oro-oro dowo"]
    assert {f.unit for f in places} == {"area"}


def test_a_place_name_in_lower_case_needs_a_word_that_points_at_a_place():
    # Bareng and Sukun are kelurahan and kecamatan of Malang, and everyday words too
    assert extract_places("pemerintah dan warga mau kerja bareng, makan buah sukun") == []
    chat = extract_places("banjir di sawojajar, warga bareng resah")
    assert [f.value for f in chat] == ["sawojajar", "bareng"]
    assert [f.value for f in extract_places("Banjir di Bareng dan Sukun")] == ["bareng", "sukun"]


def test_a_time_of_day_in_a_title_is_not_a_place_name():
    title = "Layanan Singgah Perumahan Malam Hari, Warga Bisa Bayar PBB Sepulang Kerja"
    assert extract_places(title) == []
    named = extract_places("Layanan Singgah di Perumahan Griya Shanta Malam Hari")
    assert [f.value for f in named] == ["perumahan griya shanta"]


def test_the_mayors_office_is_not_a_place():
    places = extract_places("Pj Wali Kota Wahyu Hidayat meninjau Kota Batu bersama Wali Kota Batu")
    assert [f.value for f in places] == ["kota batu"]


def test_venues_streets_buildings_and_neighbourhood_units():
    places = extract_places(
        "Pelatihan di Gedung Malang Creative Center, Jalan Veteran 19, RW 05 Kelurahan Dinoyo"
    )
    values = [f.value for f in places]
    assert "gedung malang creative center" in values
    assert "jalan veteran 19" in values
    assert "rw 5" in values and "dinoyo" in values


def test_roles_and_the_people_holding_them():
    facts = extract_roles("Kepala Dinkes Kota Malang, Husnul Muarif, Senin (12/5/2025) menyebut")
    assert [(f.kind, f.value) for f in facts] == [
        ("role", "kepala dinas"),
        ("person", "husnul muarif"),
    ]
    assert facts[0].detail["agency"] == "dinas kesehatan"
    roles = extract_roles("Sekda dan Wakil Wali Kota hadir bersama Pj Wali Kota")
    assert [f.value for f in roles] == ["sekretaris daerah", "wakil wali kota", "pj wali kota"]


@pytest.mark.parametrize(
    ("text", "agency"),
    [
        ("Dispendukcapil membuka layanan", "dinas kependudukan dan pencatatan sipil"),
        ("kata Bapenda", "badan pendapatan daerah"),
        (
            "proyek DPUPRPKP",
            "dinas pekerjaan umum, penataan ruang, perumahan dan kawasan permukiman",
        ),
        ("Dinas Perhubungan menegaskan", "dinas perhubungan"),
        ("menurut BMKG", "badan meteorologi, klimatologi, dan geofisika"),
    ],
)
def test_agencies_by_abbreviation_or_full_name(text, agency):
    assert [f.value for f in extract_agencies(text)] == [agency]


def test_phone_numbers_are_facts_not_amounts():
    facts = extract_facts("lapor ke nomor pengaduan 0821-3193-9177 atau nomor 119")
    assert [(f.kind, f.value) for f in facts if f.kind == "phone"] == [
        ("phone", "082131939177"),
        ("phone", "119"),
    ]
    assert not [f for f in facts if f.kind in {"money", "quantity"}]


def test_regulations_and_ordinals():
    facts = extract_facts("Sesuai Perwal Nomor 6 Tahun 2015, HUT ke-110 Kota Malang, Juara I")
    assert [(f.kind, f.value) for f in facts if f.kind == "regulation"] == [
        ("regulation", "perwal 6/2015")
    ]
    assert [(f.value, f.unit) for f in facts if f.kind == "ordinal"] == [(110, "hut"), (1, "juara")]


def test_quoted_themes_are_facts():
    (quote,) = kinds('mengusung tema "Berselaras untuk Kota Malang Berkelas"', "quote")
    assert quote.value == "berselaras untuk kota malang berkelas"


# Negation and modality --------------------------------------------------------------------


def test_negation_scopes_hold_the_stemmed_words_they_deny():
    facts = extract_polarity("Dinkes memastikan Kota Malang belum berstatus KLB.")
    (scope,) = [f for f in facts if f.kind == "negation"]
    assert scope.detail["negator"] == "belum"
    assert "klb" in scope.value and "status" in scope.value


def test_a_negation_scope_stops_at_the_clause_boundary():
    facts = extract_polarity("Tarif tidak naik, tetap Rp5 ribu untuk umum")
    (scope,) = [f for f in facts if f.kind == "negation"]
    assert scope.value == ("naik",)


def test_facts_denied_by_the_text_are_marked():
    facts = extract_facts("Dishub membantah kabar bahwa tarif naik menjadi Rp15 ribu.")
    (money,) = [f for f in facts if f.kind == "money"]
    assert money.negated
    (agency,) = [
        f
        for f in extract_facts("kewenangan di kepolisian, bukan Dishub")
        if f.value == ("dinas perhubungan")
    ]
    assert agency.negated


@pytest.mark.parametrize(
    ("text", "modal", "negated"),
    [
        ("siswa baru tidak diwajibkan membeli seragam", "wajib", True),
        ("ASN diwajibkan mengaktifkan IKD", "wajib", False),
        ("PKL dilarang berjualan di alun-alun", "dilarang", False),
        ("seluruh layanan tidak dipungut biaya", "gratis", False),
        ("ambulans gratis", "gratis", False),
        ("ditarik biaya formulir Rp100 ribu", "bayar", False),
        ("warga tidak perlu membayar", "gratis", False),
        ("motor boleh parkir", "boleh", False),
    ],
)
def test_modality(text, modal, negated):
    (fact,) = [f for f in extract_polarity(text) if f.kind == "modality"]
    assert (fact.value, fact.negated) == (modal, negated)


def test_values_are_described_for_readers():
    (money,) = extract_money("Rp500 ribu per orang")
    assert describe_value(money) == "Rp500 ribu per orang"
    (date,) = extract_dates("30 November 2021")
    assert describe_value(date) == "30 November 2021"
