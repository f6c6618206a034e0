"""Contacts in a message and the remarks on them (verify.contacts, verify.channels), against a
small registry written here; the end-to-end check on the demo data is in test_check_channels."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from archive.channels import normalise
from verify.channels import (
    IMPERSONATION,
    LOOKALIKE,
    OFFICIAL,
    UNKNOWN,
    Registry,
    host_reason,
    official_name,
    recognise,
)
from verify.contacts import find_contacts


@dataclass
class Row:
    """A stored channel as the registry reads it."""

    kind: str
    value: str
    owner: str
    source_url: str = ""


DISHUB = "Dinas Perhubungan"
REGISTRY = Registry(
    [
        Row("web", "malangkota.go.id", "Pemerintah Kota Malang"),
        Row("web", "dishub.malangkota.go.id", DISHUB, "https://dishub.malangkota.go.id/a/"),
        Row("phone", "112", "Dinas Komunikasi dan Informatika"),
        Row("phone", "+6282131939177", DISHUB),
        Row("email", "pengaduan@dishub.malangkota.go.id", DISHUB),
        Row("instagram", "pemkotmalang", "Pemerintah Kota Malang"),
        Row("social", "dishubmalangkota", DISHUB),
    ]
)


def remarks(text: str) -> list:
    return recognise(text, REGISTRY)


def only(text: str):
    found = remarks(text)
    assert len(found) == 1, [r.to_json() for r in found]
    return found[0]


# Normalising ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, written, stored",
    [
        ("phone", "0821-3193-9177", "+6282131939177"),
        ("whatsapp", "+62 821 3193 9177", "+6282131939177"),
        ("phone", "(0341) 751550", "+62341751550"),
        ("phone", "112", "112"),
        ("phone", "12", None),
        ("phone", "0812", None),
        ("web", "https://WWW.Malangkota.go.id/berita/", "malangkota.go.id"),
        ("web", "not a host", None),
        ("email", "Humas@Malangkota.go.id", "humas@malangkota.go.id"),
        ("email", "humas@", None),
        ("instagram", "@PemkotMalang", "pemkotmalang"),
        ("instagram", "https://www.instagram.com/pemkotmalang/", "pemkotmalang"),
        ("x", "https://example.com/pemkotmalang", None),
        ("fax", "0341 751550", None),
    ],
)
def test_values_are_stored_in_one_spelling(kind, written, stored):
    assert normalise(kind, written) == stored


# Finding contacts -----------------------------------------------------------------------------


def test_contacts_are_found_with_their_kind_and_value():
    text = (
        "Hubungi WA 0812-3456-7890, atau wa.me/6281299998888. Info di rnalangkota.go.id/daftar "
        "dan IG @pemkot_malang; e-mail ke dinsos.kotamalang@gmail.com. Harga Rp1.500.000, dll."
    )
    found = {(c.kind, c.value, c.platform) for c in find_contacts(text)}
    assert found == {
        ("phone", "+6281234567890", "whatsapp"),
        ("phone", "+6281299998888", "whatsapp"),
        ("web", "rnalangkota.go.id", ""),
        ("handle", "pemkot_malang", "instagram"),
        ("email", "dinsos.kotamalang@gmail.com", ""),
    }


def test_a_link_with_an_official_name_before_at_opens_the_host_after_it():
    (contact,) = find_contacts("Login di http://malangkota.go.id@login-bansos.example/masuk")
    assert (contact.kind, contact.value, contact.userinfo) == (
        "web", "login-bansos.example", "malangkota.go.id",
    )  # fmt: skip


def test_a_host_is_never_read_as_its_official_front_part():
    site, address = remarks(
        "Daftar di malangkota.go.id.evil.zip/x atau ke x@malangkota.go.id.evil.zip"
    )
    assert (site.status, site.value, site.reason) == (
        LOOKALIKE, "malangkota.go.id.evil.zip", "subdomain",
    )  # fmt: skip
    assert (address.status, address.kind, address.reason) == (LOOKALIKE, "email", "subdomain")
    assert [c.value for c in find_contacts("S.Pd.I, dll.dsb. dan Rp1.500.000 a.n. Budi")] == []


def test_a_platform_post_is_neither_an_account_nor_a_host():
    assert find_contacts("lihat facebook.com/share/p/abc123 dan instagram.com/p/xyz") == []


# Remarks --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "host, reason",
    [
        ("malangkota-go.id", "separator"),
        ("rnalangkota.go.id", "homoglyph"),
        ("malangk0ta.go.id", "homoglyph"),
        ("mаlangkota.go.id", "homoglyph"),  # a Cyrillic "а"
        ("malangkota.go.id.example.com", "subdomain"),
        ("malangkota.go.id.xyz.com", "subdomain"),
        ("malangkot.go.id", "typo"),
        ("bansos-malangkota.com", "name"),
        ("malangkab.go.id", ""),  # Kabupaten Malang's own domain is another government
        ("batukota.go.id", ""),
        ("dishub.malangkota.go.id", ""),  # under the official domain: official, not a look-alike
    ],
)
def test_how_a_host_imitates_the_city_domain(host, reason):
    assert host_reason(host, "malangkota.go.id") == reason


def test_a_look_alike_domain_is_pointed_out_with_the_official_one_beside_it():
    remark = only("Info resmi di malangkota-go.id/bansos, isi data segera")
    assert (remark.status, remark.kind, remark.reason) == (LOOKALIKE, "web", "separator")
    assert remark.found == "malangkota-go.id/bansos" and remark.value == "malangkota-go.id"
    assert [o.value for o in remark.official] == ["malangkota.go.id"]
    assert "meniru situs resmi malangkota.go.id" in remark.message
    assert remark.message.template.startswith("%(host)s meniru")  # said again in English


def test_an_agency_look_alike_points_at_the_agency_site():
    remark = only("Bayar denda parkir di dishub-malangkota.go.id")
    assert remark.reason == "separator" and remark.official[0].owner == DISHUB


def test_an_official_number_names_its_owner():
    remark = only("Laporkan jukir nakal ke nomor pengaduan 0821-3193-9177.")
    assert (remark.status, remark.kind, remark.value) == (OFFICIAL, "phone", "+6282131939177")
    assert remark.official[0].owner == DISHUB
    assert str(remark.message) == (
        "Nomor 0821-3193-9177 tercatat sebagai kanal resmi Dinas Perhubungan."
    )


def test_a_number_one_digit_off_an_official_one_is_a_look_alike():
    remark = only("Laporkan ke nomor pengaduan 0821-3193-9178")
    assert (remark.status, remark.reason) == (LOOKALIKE, "similar")
    assert remark.official[0].shown == "082131939177"


def test_an_unknown_number_gets_the_city_service_number_beside_it():
    remark = only("Hubungi WA 0812-3456-7890 untuk info")
    assert (remark.status, remark.kind) == (UNKNOWN, "whatsapp")
    assert remark.official[0].value == "112"


def test_an_unknown_number_for_a_named_agency_gets_that_agency_beside_it():
    remark = only("Pengaduan parkir Dishub sekarang lewat 0812-3456-7890")
    assert remark.official[0].owner == DISHUB


def test_hosts_and_addresses_under_an_official_domain_are_official():
    site, address, registered = remarks(
        "Cek sambat.malangkota.go.id, tulis ke humas@malangkota.go.id atau "
        "pengaduan@dishub.malangkota.go.id"
    )
    assert site.status == OFFICIAL and site.official[0].value == "malangkota.go.id"
    assert address.status == OFFICIAL and address.reason == "official_domain"
    assert registered.status == OFFICIAL and registered.reason == ""
    assert registered.official[0].owner == DISHUB


def test_a_free_mail_address_with_an_agency_name_is_a_look_alike():
    remark = only("Kirim berkas ke dinsos.kotamalang@gmail.com paling lambat besok")
    assert (remark.status, remark.kind, remark.reason) == (LOOKALIKE, "email", "freemail")
    assert remark.message.params["name"] == "Dinsos"
    assert "layanan e-mail gratis gmail.com" in remark.message
    assert remark.official  # the city's site at least


def test_a_free_mail_address_without_a_name_is_only_unknown():
    remark = only("kirim ke budi.santoso99@gmail.com")
    assert (remark.status, remark.reason) == (UNKNOWN, "freemail")


def test_accounts_official_imitating_and_using_an_officials_name():
    official, lookalike, other_platform, named, unknown = remarks(
        "Ikuti IG @pemkotmalang, bukan IG @pemkot_malang. Di TikTok @dishubmalangkota ada "
        "juga. Awas akun @wahyuhidayat.official dan @warga_sukun"
    )
    assert official.status == OFFICIAL and official.official[0].kind == "instagram"
    assert (lookalike.status, lookalike.reason) == (LOOKALIKE, "account")
    assert lookalike.official[0].value == "pemkotmalang"
    # "social" (platform not named) fits any platform: the same name is the same account
    assert other_platform.status == OFFICIAL
    assert (named.status, named.reason) == (LOOKALIKE, "official_name")
    assert named.message.params["name"] == "Wahyu Hidayat"
    assert unknown.status == UNKNOWN


@pytest.mark.parametrize(
    "name, expected",
    [
        ("dinsos.kotamalang", "Dinsos"),
        ("walikota.malang", "Wali Kota"),
        ("erik_setyo_santoso", "Erik Setyo Santoso"),
        ("pemkotbatu", None),  # another city's government
        ("walikotabatu", None),
        ("budi99", None),
    ],
)
def test_official_and_agency_names_in_account_names(name, expected):
    found = official_name(name)
    assert (found[0] if found else None) == expected


def test_money_on_behalf_of_the_mayor_through_an_unknown_number_is_the_known_pattern():
    pattern, number = remarks(
        "Pak Wali Kota sedang menggalang donasi untuk korban banjir, transfer ke rekening a.n. "
        "Budi, konfirmasi ke WA 0812-3456-7890"
    )
    assert (pattern.status, pattern.kind, pattern.found) == (IMPERSONATION, "request", "Wali Kota")
    assert "pola penipuan yang dikenal" in pattern.message
    assert pattern.warnings == []  # no archive given: no warnings to cite
    assert "pernah memperingatkan" not in pattern.message
    assert pattern.official[0].value == "112"
    assert (number.status, number.kind) == (UNKNOWN, "whatsapp")


def test_money_through_an_unknown_number_alone_is_the_pattern_too():
    pattern, _ = remarks("Bantu donasi untuk warga terdampak ya, kirim ke 081234567890")
    assert pattern.status == IMPERSONATION and pattern.found == "081234567890"


@pytest.mark.parametrize(
    "text",
    [
        "Wali Kota menyerahkan bantuan dana RTLH Rp20 juta kepada 50 warga.",
        "Transfer ke rekening Dishub lewat nomor pengaduan 0821-3193-9177",  # official number
        "Kepala Dinas Sosial meninjau dapur umum di Kedungkandang.",
    ],
)
def test_no_pattern_without_a_request_or_without_someone_to_impersonate(text):
    assert all(r.status != IMPERSONATION for r in remarks(text))


def test_an_empty_registry_calls_nothing_official():
    (remark,) = recognise("Info di malangkota.go.id", Registry())
    assert remark.status == UNKNOWN and remark.official == []
