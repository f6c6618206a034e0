"""Forwarding wrappers do not change what is checked: greetings, hearsay frames, calls to share.

The metamorphic rule: for a plain claim X and a wrapper W, `normalise_message(W(X)).text` equals
`normalise_message(X).text`. The claims below were written for this test (they are not the
development corpus's claims): formal sentences with amounts, dates, places and people, and a few
chatty ones. The other tests pin both sides of each rule: the wrapper goes, and the same words
inside an ordinary sentence stay.
"""

from __future__ import annotations

import pytest

from verify.claims import split_claims
from verify.facts import extract_facts
from verify.normalise import normalise_message

CLAIMS = [
    "Pendaftaran PPPK 2024 di Kota Malang dibuka sampai 20 November dengan 850 formasi.",
    "Tarif parkir di Alun-alun Tugu naik jadi Rp5.000 mulai 1 Januari 2026.",
    "Wali Kota Wahyu Hidayat meresmikan Pasar Besar setelah direnovasi selama 14 bulan.",
    "Jalan Ijen ditutup total setiap Minggu pagi untuk car free day.",
    "Pemkot Malang membagikan 12 ribu paket sembako kepada warga terdampak banjir di Sukun.",
    "Fogging DBD di Kelurahan Sawojajar dijadwalkan hari Sabtu pukul 07.00 WIB.",
    "PDAM mematikan aliran air di Lowokwaru selama 2 hari karena perbaikan pipa.",
    "Bantuan BLT sebesar Rp600 ribu cair bulan depan untuk 5.000 KPM.",
    "Stadion Gajayana tidak boleh dipakai untuk konser sampai akhir tahun.",
    "Pemutihan denda PBB berlaku sampai 31 Desember 2025.",
    "Siswa SD negeri wajib memakai seragam batik khas Malang setiap Kamis.",
    "Vaksin HPV gratis untuk anak perempuan kelas 5 di puskesmas.",
    "Dispendukcapil membuka layanan KTP elektronik di Mal Pelayanan Publik sampai pukul 20.00.",
    "Kayutangan Heritage akan dijadikan kawasan bebas kendaraan bermotor mulai Maret.",
    "Ada pemadaman listrik bergilir di Blimbing tanggal 3 sampai 5 Juni.",
    "Tinggi badan minimal pendaftar Satpol PP 160 cm dan berat badan 50 kg.",
    "Pembangunan jembatan Kedungkandang menelan biaya Rp25 miliar dari APBD.",
    "Sekolah di Kota Malang diliburkan tiga hari karena banjir.",
    "UMK Kota Malang 2026 naik menjadi Rp3,6 juta.",
    "Mulai besok angkot jalur AL tidak beroperasi lagi",
    "gak ada kenaikan tarif TPS sampai thn depan",
    "air PDAM di Klojen keruh, jangan diminum dulu",
    "parkir di Stadion Gajayana skrg bayar pakai QRIS",
    "Pendaftaran PPDB SMP jalur zonasi ditutup 15 Juni pukul 16.00.",
    "Dinkes menemukan 37 kasus DBD baru di Kedungkandang minggu ini.",
    "Car free day di Jalan Ijen dipindah ke Jalan Semeru.",
    "RSUD Kota Malang membuka poli jantung dengan 20 tempat tidur.",
    "Warga yang belum punya KTP elektronik tidak bisa menerima bantuan sosial.",
    "Gedung Kesenian Gajayana dibongkar dan diganti mal",
    "Jalan Soekarno-Hatta ditutup sebagian. Kendaraan dialihkan lewat Jalan Borobudur.",
]
# First words that are names: a wrapper before them leaves their capital alone.
NAMES = {"Wali", "Jalan", "Pemkot", "Stadion", "Dispendukcapil", "Kayutangan", "Dinkes", "Gedung"}


def mid_sentence(claim: str) -> str:
    """The claim as it reads after a frame ("Katanya ..."): a common first word in lower case."""
    first = claim.split()[0]
    return claim if first in NAMES or first.isupper() else claim[0].lower() + claim[1:]


def sprinkle(claim: str) -> str:
    """Emojis between the words: skin tones, flags, keycaps, a ZWJ sequence."""
    emojis = ["🙏🏽", "🇮🇩", "1️⃣", "👨‍👩‍👧", "⚠️", "🏴󠁧󠁢󠁥󠁮󠁧󠁿"]
    words = claim.split(" ")
    for i in range(len(words) - 1, 0, -3):
        words.insert(i, emojis[i % len(emojis)])
    return " ".join(words)


WRAPPERS = {
    # reported-speech frames at the start
    "katanya": lambda x: f"Katanya {mid_sentence(x)}",
    "kata pak wali": lambda x: f"Kata Pak Wali {mid_sentence(x)}",
    "kata bu lurah,": lambda x: f"kata Bu Lurah, {x}",
    "info dari pak rt": lambda x: f"Info dari Pak RT: {x}",
    "barusan dapat info": lambda x: f"Barusan dapat info:\n{x}",
    "mohon dicek": lambda x: f"Mohon dicek kebenarannya: {x}",
    "denger2": lambda x: f"Denger2 {mid_sentence(x)}",
    "konon": lambda x: f"Konon {mid_sentence(x)}",
    "kata orang": lambda x: f"Kata orang {mid_sentence(x)}",
    "menurut info": lambda x: f"Menurut info yang beredar, {mid_sentence(x)}",
    "info a1": lambda x: f"INFO A1!!! {x}",
    "dari grup sebelah": lambda x: f"Dari grup sebelah 👇👇\n{x}",
    # calls to share and closing noise
    "sebarkan": lambda x: f"{x} Sebarkan ke teman2 biar pada tahu!",
    "mohon dibagikan": lambda x: f"{x}\nMohon dibagikan ke grup lain ya 🙏",
    "semoga bermanfaat": lambda x: f"{x} Semoga bermanfaat 🙏",
    "hati-hati ya": lambda x: f"{x} Hati-hati ya bapak ibu.",
    "cmiiw": lambda x: f"{x} CMIIW wkwk",
    "jangan sampai ketinggalan": lambda x: f"{x} Jangan sampai ketinggalan!!",
    "buruan": lambda x: f"{x} Buruan daftar, sebarkan ke keluarga!!",
    "gercep": lambda x: f"{x} Gercep!",
    "cek dulu": lambda x: f"{x}\nCek dulu ya, mohon maaf kalau hoaks.",
    "viralkan": lambda x: f"{x} VIRALKAN!!!",
    "forward": lambda x: f"{x}\nForward ke semua keluarga 🙏",
    "bener gak": lambda x: f"{x} Bener gak sih??",
    # greetings and politeness
    "assalamualaikum": lambda x: f"Assalamualaikum wr wb. {x}",
    "assalamu'alaikum bapak ibu": lambda x: f"Assalamu'alaikum bapak ibu sekalian,\n{x}",
    "selamat pagi": lambda x: f"Selamat pagi warga semua 🙏 {x}",
    "halo lur": lambda x: f"Halo lur, {mid_sentence(x)}",
    "permisi": lambda x: f"Permisi, nuwun sewu. {x}",
    "monggo": lambda x: f"Monggo dicek rek! {x}",
    "askum": lambda x: f"Askum. {x}",
    "sugeng enjing": lambda x: f"Sugeng enjing sedulur, {x}",
    # emojis and emoticons
    "emoji frame": lambda x: f"🚨🚨 {x} 😱😱",
    "emoji sprinkle": sprinkle,
    "emoticons": lambda x: f"{x} :( ^^ :v",
    # combinations
    "greeting + frame + call": lambda x: f"Assalamualaikum. Katanya {mid_sentence(x)} Sebarkan!!",
    "emoji + greeting + source + closing": lambda x: (
        f"🙏 Selamat siang bapak ibu, info dari Pak RT: {x} Semoga bermanfaat 🙏🏽"
    ),
    "shout + hearsay + share": lambda x: (
        f"PENTING!!! Kata orang {mid_sentence(x)}\n\nShare ke grup WA keluarga ya biar pada tahu 🙏"
    ),
}


def clean(text: str) -> str:
    return normalise_message(text).text


@pytest.mark.parametrize("claim", CLAIMS)
def test_a_plain_claim_loses_nothing(claim):
    assert normalise_message(claim).removed == []


@pytest.mark.parametrize("wrapper", WRAPPERS.values(), ids=WRAPPERS.keys())
@pytest.mark.parametrize("claim", CLAIMS)
def test_a_wrapped_claim_cleans_to_the_plain_claim(claim, wrapper):
    assert clean(wrapper(claim)) == clean(claim)


def test_removed_wrappers_are_reported():
    cleaned = normalise_message(
        "Assalamualaikum bapak ibu, katanya tarif parkir naik. Sebarkan ke teman2 biar pada tahu!"
    )
    assert cleaned.text == "Tarif parkir naik."
    assert cleaned.removed == [
        "Assalamualaikum bapak ibu",
        "katanya",
        "Sebarkan ke teman2 biar pada tahu",
    ]


@pytest.mark.parametrize(
    "message",
    [
        "Assalamualaikum wr wb\nKatanya jembatan Kedungkandang ditutup 3 bulan.\n"
        "Sebarkan ke teman2!\nSemoga bermanfaat 🙏",
        "Selamat pagi bapak ibu. Info dari Pak RT:\nJembatan Kedungkandang ditutup 3 bulan.\n"
        "Mohon dicek kebenarannya ya. Hati-hati ya bapak ibu.\nCMIIW",
    ],
)
def test_a_wrapper_on_its_own_line_is_not_a_claim(message):
    assert split_claims(clean(message)) == ["Jembatan Kedungkandang ditutup 3 bulan."]


def test_a_message_that_is_only_a_wrapper_leaves_nothing_to_check():
    for message in ("Katanya.", "Katanya bener gak sih? 🙏", "Assalamualaikum, sebarkan!!"):
        assert clean(message) == ""
        assert split_claims(clean(message)) == []


# -- attribution frames: hearsay goes, a named source stays ---------------------------------


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("Kata Pak Wali parkir gratis.", "Parkir gratis."),
        ("Kata Pak Wali Kota Malang, parkir gratis.", "Parkir gratis."),
        ("kata Bu Lurah besok ada fogging.", "Besok ada fogging."),
        ("Kata Pak RT 05, iuran sampah naik.", "Iuran sampah naik."),
        ("Kata teman saya yang kerja di Dinkes, besok ada fogging.", "Besok ada fogging."),
        ("Menurut sumber terpercaya, PBB naik.", "PBB naik."),
        ("Kata dokter, vaksin HPV gratis.", "Vaksin HPV gratis."),
        # a capitalised run that no comma closes starts the assertion
        ("Kata Pak Wali Jalan Ijen ditutup besok.", "Jalan Ijen ditutup besok."),
        # shouted: capitals say nothing, so the frame names no one
        (
            "KATA PAK WALI, PARKIR GRATIS DI STADION GAJAYANA!!",
            "Parkir gratis di Stadion Gajayana!",
        ),
        # closing a clause
        ("Parkir naik jadi Rp5 ribu, kata Pak RT.", "Parkir naik jadi Rp5 ribu."),
        ("Besok, kata orang, parkir gratis.", "Besok, parkir gratis."),
    ],
)
def test_a_frame_that_names_no_one_is_removed(message, expected):
    assert clean(message) == expected


@pytest.mark.parametrize(
    "message",
    [
        "Kata Wali Kota Wahyu Hidayat, parkir di Alun-alun Tugu gratis mulai besok.",
        "Kata Wali Kota Malang Wahyu Hidayat: parkir gratis mulai besok.",
        "Menurut Kepala Dinkes Husnul Muarif, fogging di Sawojajar besok.",
        "Menurut Dinkes, fogging di Sawojajar besok.",
        "Kata Lurah Sawojajar, fogging dijadwalkan besok.",
        "Kata Pak Budi parkir gratis mulai besok.",
        "Info dari Dinkes: fogging di Sawojajar besok.",
        "Parkir gratis mulai besok, kata Wali Kota Wahyu Hidayat.",
        "Wali Kota mengatakan parkir gratis mulai besok.",
        "Wali Kota Wahyu Hidayat menyampaikan bahwa parkir gratis mulai besok.",
    ],
)
def test_a_frame_that_names_its_source_stays(message):
    assert clean(message) == message
    assert normalise_message(message).removed == []


# -- ordinary sentences keep their words --------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Dalam kata sambutannya, Wali Kota meminta warga tertib.",
        "Kata sandi akun pajak daerah wajib diganti setiap tahun.",
        "Menurut data BPS, angka kemiskinan turun 0,4 persen.",
        "Info grafis jadwal vaksinasi dipasang di setiap puskesmas.",
        "Petani diminta sebar benih jagung sebelum hujan turun.",
        "Pemkot akan share saham Tugu Tirta ke investor daerah.",
        "Jangan sebarkan data pribadi ke orang lain.",
        "Warga diminta waspada DBD selama musim hujan.",
        "Hati-hati terhadap penipuan yang mengatasnamakan Dispendukcapil.",
        "Bantuan dibagikan ke keluarga penerima manfaat di Sukun.",
        "Pemkot bagikan ke semua kelurahan 500 paket sembako.",
        "Transfer retribusi ke no rek Bank Jatim milik Bapenda.",
        "Selamat Hari Jadi Kota Malang ke-112 dirayakan di Balai Kota.",
        "Ibu-ibu, bapak-bapak dan lansia wajib ikut cek kesehatan gratis.",
        "Ada pemadaman listrik bergilir di Blimbing besok.",
        "Info lengkap pendaftaran ada di kantor kelurahan.",
        "Warga yang ingin tahu jadwalnya bisa bertanya ke kelurahan.",
        "Pemkot membuat posko agar warga tidak tertipu calo.",
        "Juara III lomba kampung bersih diraih RW 05 Sawojajar.",
        "Suhu di Kota Malang mencapai 32°C siang ini.",
    ],
)
def test_ordinary_sentences_are_not_mangled(sentence):
    assert clean(sentence) == sentence
    assert normalise_message(sentence).removed == []


# -- units, emojis, greetings -------------------------------------------------------------------


@pytest.mark.parametrize(
    "measure",
    ["160 cm", "160cm", "2 km", "50 kg", "500 g", "3 ha", "200 m2", "15 mm", "20 kl", "1,5 m"],
)
def test_units_after_a_number_survive(measure):
    assert clean(f"Syaratnya minimal {measure}") == f"Syaratnya minimal {measure}"


def test_square_metres_keep_their_meaning():
    assert clean("Lahan seluas 200 m² dijual") == "Lahan seluas 200 m2 dijual"


def test_a_lone_cm_is_still_chat_for_cuma():
    assert clean("bantuannya cm 100 ribu") == "Bantuannya cuma 100 ribu"


@pytest.mark.parametrize(
    "greeting",
    [
        "Assalamualaikum",
        "Assalamu'alaikum",
        "Assalamu’alaikum warahmatullahi wabarakatuh",
        "Asalamualaikum wr. wb.",
        "Askum",
        "Ass.",
        "Selamat malam bapak ibu",
        "Selamat siang semuanya",
        "Halo para warga",
        "Hallo gaes",
        "Permisi",
        "Nuwun sewu",
        "Monggo",
        "Punten",
        "Bapak ibu sekalian",
        "Lur",
        "Rek",
        "Bun",
        "Sedulur",
    ],
)
def test_greetings_and_vocatives_opening_a_message_are_removed(greeting):
    assert clean(f"{greeting}, jembatan Kedungkandang ditutup.") == (
        "Jembatan Kedungkandang ditutup."
    )


def test_monggo_is_never_left_to_be_read_as_a_name():
    for message in (
        "Ada razia di jalan\nMonggo dicek",
        "Ada razia di jalan. Monggo bapak ibu.",
        "Kata Pak Camat Monggo warga daftar vaksin.",
    ):
        cleaned = clean(message)
        assert "onggo" not in cleaned
        assert all("monggo" not in str(f.value) for f in extract_facts(cleaned))


def test_emojis_and_emoticons_leave_no_trace():
    assert clean("🔥🔥 Parkir 🅿️ gratis 👍🏿 :) ^_^ xD <3 😂 🇮🇩 #️⃣") == "Parkir gratis"


def test_acronyms_and_roman_numerals_keep_their_repeated_letters():
    assert clean("Pendaftaran PPPK dibuka, Juara III dapat hadiah, GRATISSS") == (
        "Pendaftaran PPPK dibuka, Juara III dapat hadiah, gratis"
    )
