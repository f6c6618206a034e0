"""Who held which Malang office when: the real table, its uncertain windows, and its validation."""

from __future__ import annotations

from datetime import date

import pytest

from verify.offices import (
    COLUMNS,
    OfficeTableError,
    find_person,
    holders,
    load_terms,
    office_mismatch,
)


def names(terms) -> list[str]:
    return [t.person for t in terms]


# The real table ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("office", "day", "expected"),
    [
        ("wali kota", date(2020, 5, 1), ["Sutiaji"]),
        ("wali kota", date(2022, 11, 15), ["Sutiaji"]),  # release R015
        ("wali kota", date(2024, 5, 21), ["Wahyu Hidayat"]),  # R002, as Pj
        ("wali kota", date(2024, 11, 18), ["Iwan Kurniawan"]),  # R024
        ("wali kota", date(2025, 3, 12), ["Wahyu Hidayat"]),
        ("wakil wali kota", date(2021, 11, 30), ["Sofyan Edi Jarwoko"]),  # R041
        ("wakil wali kota", date(2025, 5, 26), ["Ali Muthohirin"]),  # R087
        ("sekretaris daerah", date(2019, 6, 1), ["Wasto"]),
        ("sekretaris daerah", date(2021, 4, 1), ["Hadi Santoso"]),
        ("sekretaris daerah", date(2025, 4, 8), ["Erik Setyo Santoso"]),  # R019
        ("kapolresta", date(2020, 12, 14), ["Leonardus Simarmata"]),  # clarification K001
        ("kapolresta", date(2023, 12, 29), ["Budi Hermanto"]),
        ("kapolresta", date(2025, 10, 23), ["Nanang Haryono"]),
        ("kapolresta", date(2026, 2, 12), ["Putu Kholis Aryana"]),
    ],
)
def test_holder_on_a_day_inside_their_term(office, day, expected):
    assert names(holders(office, day)) == expected


@pytest.mark.parametrize(
    ("office", "day", "expected"),
    [
        ("wali kota", date(2023, 9, 23), ["Sutiaji"]),
        ("wali kota", date(2023, 9, 24), ["Sutiaji", "Wahyu Hidayat"]),  # handover day
        ("wali kota", date(2023, 9, 25), ["Wahyu Hidayat"]),
        ("wali kota", date(2024, 8, 10), ["Wahyu Hidayat", "Iwan Kurniawan"]),
        ("wali kota", date(2024, 8, 11), ["Iwan Kurniawan"]),
        ("wali kota", date(2025, 2, 20), ["Iwan Kurniawan", "Wahyu Hidayat"]),
        ("wali kota", date(2025, 2, 21), ["Wahyu Hidayat"]),
        ("sekretaris daerah", date(2021, 2, 28), ["Wasto"]),
        ("sekretaris daerah", date(2021, 3, 1), ["Hadi Santoso"]),
    ],
)
def test_boundary_days(office, day, expected):
    assert names(holders(office, day)) == expected


def test_an_uncertain_end_keeps_both_holders_inside_its_window():
    assert names(holders("wali kota", date(2025, 2, 18))) == ["Iwan Kurniawan"]
    assert names(holders("kapolresta", date(2022, 6, 1))) == [
        "Leonardus Simarmata",
        "Budi Hermanto",
    ]


def test_acting_terms_hold_the_office_of_wali_kota():
    (term,) = holders("wali kota", date(2024, 5, 1))
    assert (term.person, term.acting) == ("Wahyu Hidayat", "Pj")
    assert names(holders("pj wali kota", date(2024, 12, 1))) == ["Iwan Kurniawan"]
    assert holders("Pj Wali Kota", date(2020, 1, 1)) == []  # the definitive mayor is no Pj
    assert names(holders("wali kota", date(2018, 9, 20))) == ["Wasto"]  # the Sekda as Plh


def test_the_office_is_vacant_or_unknown_outside_the_table():
    assert holders("wakil wali kota", date(2024, 6, 1)) == []
    assert holders("camat", date(2024, 6, 1)) == []


# Names -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "person"),
    [
        ("Sutiaji", "Sutiaji"),
        ("Drs. H. Sutiaji", "Sutiaji"),
        ("pak sutiaji", "Sutiaji"),
        ("SUTIAJI", "Sutiaji"),
        ("Dr. Ir. Wahyu Hidayat, M.M.", "Wahyu Hidayat"),
        ("dr ir wahyu hidayat", "Wahyu Hidayat"),
        ("Mas Wahyu", "Wahyu Hidayat"),
        ("Bung Edi", "Sofyan Edi Jarwoko"),
        ("Ir. Sofyan Edy Jarwoko", "Sofyan Edi Jarwoko"),
        ("S. E. Jarwoko", "Sofyan Edi Jarwoko"),
        ("Moch. Anton", "Mochamad Anton"),
        ("Abah Anton", "Mochamad Anton"),
        ("Pak Wasto", "Wasto"),
        ("Kombes Pol Nanang Haryono", "Nanang Haryono"),
        ("Kombes Buher", "Budi Hermanto"),
        ("AKBP Leonardus Harapantua Simarmata Permata", "Leonardus Simarmata"),
        ("Erik Setyo", "Erik Setyo Santoso"),
    ],
)
def test_find_person_ignores_titles_and_accepts_initials(name, person):
    assert set(names(find_person(name))) == {person}


def test_find_person_returns_every_term_of_the_person():
    offices = [(t.office, t.acting) for t in find_person("Sutiaji")]
    assert offices == [("wali kota", "Plt"), ("wali kota", ""), ("wakil wali kota", "")]


def test_a_first_name_is_not_confused_with_a_longer_one():
    assert set(names(find_person("Wahyu"))) == {"Wahyu Hidayat"}  # not Wahid Wahyudi


@pytest.mark.parametrize("name", ["", "Pak", "Budi Santoso", "erik setyo anggota", "M. Sutiaji"])
def test_names_outside_the_table_find_nobody(name):
    assert find_person(name) == []


def test_an_ambiguous_name_finds_each_person_it_fits():
    assert set(names(find_person("Santoso"))) == {"Erik Setyo Santoso", "Hadi Santoso"}


# Mismatches --------------------------------------------------------------------------------


def test_mayor_named_after_his_term_is_a_mismatch_naming_the_holder():
    mismatch = office_mismatch("wali kota", "Sutiaji", date(2025, 3, 12))
    assert mismatch is not None
    assert names(mismatch.holders) == ["Wahyu Hidayat"]
    assert [t.acting for t in mismatch.person_terms] == ["Plt", ""]
    assert mismatch.describe() == (
        "Pada 12 Maret 2025, Wali Kota Malang dijabat oleh Wahyu Hidayat (sejak 20 Februari 2025); "
        "Sutiaji menjabat Wali Kota Malang Juni 2018 – 12 September 2018 (Plt) dan "
        "24 September 2018 – 24 September 2023."
    )


@pytest.mark.parametrize(
    ("office", "person", "day", "holder"),
    [
        ("pj wali kota", "Sutiaji", date(2024, 6, 1), "Wahyu Hidayat"),
        ("wali kota", "Wahyu Hidayat", date(2024, 12, 1), "Iwan Kurniawan"),  # between terms
        ("wali kota", "Sutiaji", date(2018, 3, 1), "Wahid Wahyudi"),  # the Pjs, not Anton
        ("wakil wali kota", "Drs. H. Sutiaji", date(2020, 1, 1), "Sofyan Edi Jarwoko"),
        ("sekretaris daerah", "Wasto", date(2025, 4, 8), "Erik Setyo Santoso"),
        ("kapolresta", "Leonardus Simarmata", date(2025, 6, 1), "Nanang Haryono"),
        ("wali kota", "Erik Setyo Santoso", date(2024, 9, 1), "Iwan Kurniawan"),
    ],
)
def test_mismatch_names_who_held_the_office(office, person, day, holder):
    mismatch = office_mismatch(office, person, day)
    assert mismatch is not None
    assert names(mismatch.holders) == [holder]
    assert holder in mismatch.describe()


def test_mismatch_describes_an_acting_holder_and_the_persons_other_terms():
    text = office_mismatch("pj wali kota", "Sutiaji", date(2024, 6, 1)).describe()
    assert text.startswith(
        "Pada 1 Juni 2024, Wali Kota Malang dijabat oleh Wahyu Hidayat "
        "(Pj, 24 September 2023 – 10 Agustus 2024); Sutiaji menjabat Wali Kota Malang"
    )


def test_a_person_who_never_held_the_office_gets_no_periods():
    mismatch = office_mismatch("wali kota", "Erik Setyo Santoso", date(2024, 9, 1))
    assert mismatch.person_terms == ()
    assert "Erik" not in mismatch.describe()


@pytest.mark.parametrize(
    ("office", "person", "day"),
    [
        ("wali kota", "Wahyu Hidayat", date(2024, 5, 21)),  # he was Pj: he held the office
        ("pj wali kota", "Wahyu Hidayat", date(2025, 3, 1)),  # the wrong title is no mismatch
        ("Wali Kota", "Sutiaji", date(2023, 9, 24)),  # handover day
        ("wali kota", "Wasto", date(2018, 9, 20)),  # Plh
        ("sekretaris daerah", "Erik", date(2026, 2, 12)),  # R078
        ("kapolresta", "Putu Kholis", date(2026, 2, 1)),
    ],
)
def test_the_holder_is_no_mismatch(office, person, day):
    assert office_mismatch(office, person, day) is None


@pytest.mark.parametrize(
    ("office", "person", "day"),
    [
        ("wali kota", "Budi Santoso", date(2025, 3, 1)),  # nobody in the table
        ("sekretaris daerah", "Santoso", date(2019, 1, 1)),  # Erik or Hadi Santoso
        ("camat", "Sutiaji", date(2025, 3, 1)),  # an office the table does not track
        ("wakil wali kota", "Sofyan Edi Jarwoko", date(2024, 6, 1)),  # vacant seat: no holder
        ("sekretaris daerah", "Erik Setyo Santoso", date(2014, 1, 1)),  # before the table
    ],
)
def test_what_the_table_cannot_tell_is_no_mismatch(office, person, day):
    assert office_mismatch(office, person, day) is None


@pytest.mark.parametrize(
    ("office", "person", "day"),
    [
        ("wali kota", "Wahyu Hidayat", date(2025, 2, 18)),  # Iwan's end: 17-20 Feb 2025
        ("wali kota", "Sutiaji", date(2025, 2, 18)),  # nobody surely in office that day
        ("kapolresta", "Leonardus Simarmata", date(2022, 6, 1)),  # his own end window
        ("kapolresta", "Nanang Haryono", date(2022, 6, 1)),  # inside Leonardus-Budi window
        ("kapolresta", "Budi Hermanto", date(2026, 1, 20)),  # Nanang-Putu month
        ("wali kota", "Mochamad Anton", date(2018, 7, 1)),  # on leave, held by the KPK
        ("sekretaris daerah", "Erik Setyo Santoso", date(2017, 6, 1)),  # Wasto began in 2017
    ],
)
def test_no_mismatch_inside_an_uncertain_window(office, person, day):
    assert office_mismatch(office, person, day) is None


# Loading and validation --------------------------------------------------------------------

HEADER = "\t".join(COLUMNS)
GOOD = "wali kota\tSutiaji\tPak Aji\t2018-09-24\texact\t2023-09-24\texact\t\tnote"


def write_table(tmp_path, *lines: str):
    path = tmp_path / "offices.tsv"
    path.write_text("# a comment\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_real_table_is_loaded_once():
    assert load_terms() is load_terms()
    assert {t.office for t in load_terms()} == {
        "wali kota",
        "wakil wali kota",
        "sekretaris daerah",
        "kapolresta",
    }


def test_a_good_table_loads_through_the_same_loader(tmp_path):
    (term,) = load_terms(write_table(tmp_path, HEADER, GOOD))
    assert (term.person, term.aliases, term.line) == ("Sutiaji", ("Pak Aji",), 3)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("wali kota\tSutiaji\t\t2018-09-24\texact\t\t\t", "expected 9 tab-separated fields"),
        ("lurah agung\tX\t\t2018-09-24\texact\t\t\t\tnote", "unknown office 'lurah agung'"),
        ("pj wali kota\tX\t\t2018-09-24\texact\t\t\t\tnote", "unknown office 'pj wali kota'"),
        ("wali kota\t\t\t2018-09-24\texact\t\t\t\tnote", "the person's name is empty"),
        ("wali kota\tX\t\t2018\texact\t\t\t\tnote", "a start sure to the exact is written"),
        ("wali kota\tX\t\t2018-09\tyear\t\t\t\tnote", "a start sure to the year is written YYYY"),
        ("wali kota\tX\t\t2018-02-30\texact\t\t\t\tnote", "not a valid YYYY-MM-DD date"),
        ("wali kota\tX\t\t2018-09-24\tsurely\t\t\t\tnote", "start_sure must be one of"),
        ("wali kota\tX\t\t2018-09-24\texact\t2019\t\t\tnote", "end_sure must be one of"),
        ("wali kota\tX\t\t2018-09-24\texact\t2020\tunknown\t\tnote", "a window EARLIEST..LATEST"),
        ("wali kota\tX\t\t2018-09-24\texact\t2020-01-01..2019-01-01\tunknown\t\tnote", "ends "),
        ("wali kota\tX\t\t2018-09-24\texact\t2017-01-01\texact\t\tnote", "ends before it starts"),
        ("wali kota\tX\t\t2018-09-24\texact\t\t\tPlt.\tnote", "acting must be empty or one of"),
        ("wali kota\tX\t\t2018-09-24\texact\t\t\t\t", "the source is empty"),
    ],
)
def test_a_bad_line_raises_naming_file_and_line(tmp_path, line, message):
    path = write_table(tmp_path, HEADER, GOOD, line)
    with pytest.raises(OfficeTableError) as error:
        load_terms(path)
    assert str(error.value).startswith(f"{path}:4: ")
    assert message in str(error.value)


def test_a_wrong_header_or_missing_file_is_reported(tmp_path):
    path = write_table(tmp_path, "office\tperson\tstart", GOOD)
    with pytest.raises(OfficeTableError, match=r"offices\.tsv:2: the header must be"):
        load_terms(path)
    with pytest.raises(OfficeTableError, match="cannot read"):
        load_terms(tmp_path / "missing.tsv")
