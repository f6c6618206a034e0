"""Gazetteer of Kota Malang: kecamatan and kelurahan, well-known venues and OPD abbreviations.

Plain data plus one helper, `protected_words()`, which lists the single tokens of these names that
the Indonesian stemmer must leave alone (Sastrawi would turn "Samaan" into "sama" and "Bandulan"
into "bandul"). The search analyzer and the claim checker both read this module, so keep it free of
imports from the rest of the project.

Editing any list here changes how text is analysed: rebuild the search index afterwards.
"""

from __future__ import annotations

import re
from functools import cache

CITY = "Malang"

# Kecamatan -> kelurahan of Kota Malang (5 kecamatan, 57 kelurahan), current official spelling.
KECAMATAN: dict[str, list[str]] = {
    "Blimbing": [
        "Arjosari",
        "Balearjosari",
        "Blimbing",
        "Bunulrejo",
        "Jodipan",
        "Kesatrian",
        "Pandanwangi",
        "Polehan",
        "Polowijen",
        "Purwantoro",
        "Purwodadi",
    ],
    "Kedungkandang": [
        "Arjowinangun",
        "Bumiayu",
        "Buring",
        "Cemorokandang",
        "Kedungkandang",
        "Kotalama",
        "Lesanpuro",
        "Madyopuro",
        "Mergosono",
        "Sawojajar",
        "Tlogowaru",
        "Wonokoyo",
    ],
    "Klojen": [
        "Bareng",
        "Gadingkasri",
        "Kasin",
        "Kauman",
        "Kiduldalem",
        "Klojen",
        "Oro-oro Dowo",
        "Penanggungan",
        "Rampal Celaket",
        "Samaan",
        "Sukoharjo",
    ],
    "Lowokwaru": [
        "Dinoyo",
        "Jatimulyo",
        "Ketawanggede",
        "Lowokwaru",
        "Merjosari",
        "Mojolangu",
        "Sumbersari",
        "Tasikmadu",
        "Tlogomas",
        "Tulusrejo",
        "Tunggulwulung",
        "Tunjungsekar",
    ],
    "Sukun": [
        "Bakalankrajan",
        "Bandulan",
        "Bandungrejosari",
        "Ciptomulyo",
        "Gadang",
        "Karangbesuki",
        "Kebonsari",
        "Mulyorejo",
        "Pisangcandi",
        "Sukun",
        "Tanjungrejo",
    ],
}

# Spellings seen in messages and older pages -> the official kelurahan name.
ALIASES: dict[str, str] = {
    "Kidul Dalem": "Kiduldalem",
    "Oro Oro Dowo": "Oro-oro Dowo",
    "Rampalcelaket": "Rampal Celaket",
    "Gading Kasri": "Gadingkasri",
    "Bale Arjosari": "Balearjosari",
    "Pandan Wangi": "Pandanwangi",
    "Kota Lama": "Kotalama",
    "Cemoro Kandang": "Cemorokandang",
    "Ketawang Gede": "Ketawanggede",
    "Tunggul Wulung": "Tunggulwulung",
    "Tunjung Sekar": "Tunjungsekar",
    "Bakalan Krajan": "Bakalankrajan",
    "Bandung Rejosari": "Bandungrejosari",
    "Karang Besuki": "Karangbesuki",
    "Pisang Candi": "Pisangcandi",
}

# Places that releases and rumours name often. All inside Kota Malang.
VENUES: list[str] = [
    "Alun-alun Merdeka",
    "Alun-alun Tugu",
    "Balai Kota Malang",
    "Perkantoran Terpadu",
    "Stadion Gajayana",
    "Gedung Kesenian Gajayana",
    "Kayutangan Heritage",
    "Jalan Basuki Rahmat",
    "Jalan Ijen",
    "Ijen Boulevard",
    "Jalan Soekarno-Hatta",
    "Pasar Besar",
    "Pasar Blimbing",
    "Pasar Bunul",
    "Pasar Comboran",
    "Pasar Dinoyo",
    "Pasar Gadang",
    "Pasar Klojen",
    "Pasar Oro-oro Dowo",
    "Pasar Bunga Splendid",
    "TPA Supit Urang",
    "Terminal Arjosari",
    "Terminal Hamid Rusdi",
    "Terminal Landungsari",
    "Stasiun Malang",
    "Stasiun Malang Kotalama",
    "Mal Pelayanan Publik",
    "Malang Creative Center",
    "Hutan Kota Malabar",
    "Taman Merbabu",
    "Taman Trunojoyo",
    "Taman Singha Merjosari",
    "Kampung Warna-warni Jodipan",
    "Kampung Biru Arema",
    "Kampung Tridi",
    "Museum Mpu Purwa",
    "RSUD Kota Malang",
    "RSUD Dr. Saiful Anwar",
]

# Abbreviation -> full name of the city's OPD (regional government units) and related bodies.
# Full names follow the spelling the city's own pages use, so `opd` values can be matched exactly.
AGENCIES: dict[str, str] = {
    "Pemkot": "Pemerintah Kota Malang",
    "Setda": "Sekretariat Daerah",
    "DPRD": "Dewan Perwakilan Rakyat Daerah Kota Malang",
    "Prokompim": "Bagian Protokol dan Komunikasi Pimpinan",
    "Kesra": "Bagian Kesejahteraan Rakyat",
    "Diskominfo": "Dinas Komunikasi dan Informatika",
    "Kominfo": "Dinas Komunikasi dan Informatika",
    "Dispendukcapil": "Dinas Kependudukan dan Pencatatan Sipil",
    "Bapenda": "Badan Pendapatan Daerah",
    "DPUPRPKP": "Dinas Pekerjaan Umum, Penataan Ruang, Perumahan dan Kawasan Permukiman",
    "Dinkes": "Dinas Kesehatan",
    "Dishub": "Dinas Perhubungan",
    "DLH": "Dinas Lingkungan Hidup",
    "Satpol PP": "Satuan Polisi Pamong Praja",
    "Damkar": "UPT Pemadam Kebakaran",
    "BPBD": "Badan Penanggulangan Bencana Daerah",
    "Dinsos-P3AP2KB": (
        "Dinas Sosial, Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk "
        "dan Keluarga Berencana"
    ),
    "Disdikbud": "Dinas Pendidikan dan Kebudayaan",
    "Disporapar": "Dinas Kepemudaan, Olahraga dan Pariwisata",
    "Diskopindag": "Dinas Koperasi, Perindustrian dan Perdagangan",
    "Dispangtan": "Dinas Ketahanan Pangan dan Pertanian",
    "Disnaker-PMPTSP": "Dinas Tenaga Kerja, Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
    "Dispussipda": "Dinas Perpustakaan Umum dan Arsip Daerah",
    "Bakesbangpol": "Badan Kesatuan Bangsa dan Politik",
    "BKPSDM": "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
    "Bappeda": "Badan Perencanaan Pembangunan Daerah",
    "BKAD": "Badan Keuangan dan Aset Daerah",
    "PPID": "Pejabat Pengelola Informasi dan Dokumentasi",
    "Tugu Tirta": "Perumda Air Minum Tugu Tirta",
    "PDAM": "Perumda Air Minum Tugu Tirta",
}

# Ordinary words inside venue names. They must keep being stemmed like any other word
# ("pelayanan" -> "layan"), so they are not protected.
_DESCRIPTORS = frozenset(
    """alun-alun balai kota perkantoran terpadu stadion gedung kesenian heritage jalan boulevard
    pasar besar bunga tpa terminal stasiun mal pelayanan publik creative center hutan taman
    kampung warna-warni biru museum rsud dr lama""".split()
)

# Same shape as the search tokenizer's words: letters and digits, hyphen-joined parts kept whole.
_NAME_TOKEN = re.compile(r"[^\W_]+(?:-[^\W_]+)*")


def _name_tokens(name: str) -> set[str]:
    """Lower-cased tokens of one name, minus descriptors; hyphenated ones also give their parts."""
    found: set[str] = set()
    for token in _NAME_TOKEN.findall(name.lower()):
        if token in _DESCRIPTORS:
            continue
        found.add(token)
        found.update(token.split("-"))
    return found


@cache
def protected_words() -> frozenset[str]:
    """Return the lower-cased tokens of Malang's place, venue and agency-abbreviation names."""
    names = [CITY, *KECAMATAN]
    for kelurahan in KECAMATAN.values():
        names.extend(kelurahan)
    names.extend(ALIASES)
    names.extend(VENUES)
    names.extend(AGENCIES)  # abbreviations only: full names are ordinary, stemmable words
    words: set[str] = set()
    for name in names:
        words |= _name_tokens(name)
    return frozenset(words)
