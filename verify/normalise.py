"""Cleaning what citizens paste: forwarded-message wrappers, emojis, shouting, chat spelling.

A rumour usually arrives wrapped the way people forward it: "Assalamualaikum bapak ibu",
"Katanya ...", "Kata Pak Wali ...", "Info dari grup sebelah:", emojis, "Sebarkan ke teman2 biar
pada tahu!", "Semoga bermanfaat 🙏", links, ALL CAPS, repeated punctuation and informal spelling
("gak", "yg", "utk"). The checker works on the cleaned text, so that the search index and the
fact extractors see the assertion itself in ordinary Indonesian. Cleaning never invents content:
it only removes wrappers and noise (each removed piece is reported in `CleanText.removed`) and
rewrites spellings listed in the lexicon `verify/data/slang.tsv` (``informal<TAB>formal``).

Wrapper families and where they are recognised:

- greetings and politeness (Assalamualaikum in its spellings, "Selamat pagi bapak ibu", Halo,
  Permisi, Monggo, Nuwun sewu) and reported-speech frames (katanya, konon, kabarnya, infonya,
  dengar-dengar, ada info, info A1, "Barusan dapat info:", "Mohon dicek kebenarannya:", "dari
  grup sebelah") where a sentence starts; a vocative there ("Bapak ibu,", "Lur,") only with a
  separator after it;
- calls to share ("sebarkan ke teman2", "mohon dibagikan ke grup lain ya") anywhere, as long as
  they end their clause; "semoga bermanfaat", "CMIIW", "wkwk", "mohon maaf kalau hoaks",
  "biar pada tahu" anywhere;
- closing noise that is ambiguous on its own ("waspada", "hati-hati", "cek dulu", "penting",
  "info", "ya", a bare "sebarkan", "bener gak?") only as a whole clause, or at the end of a
  clause when it cannot be content ("..., hati-hati ya", "... sebarkan!");
- emojis and pictographs (skin tones, flags, keycaps, variation selectors, tags) and emoticons
  (":)", "^^", ":v"); an emoji also ends a clause ("... 😱 Waspada!").

Attribution frames ("kata"/"menurut"/"info dari" + who). The rule: a frame is removed when it
names no one, and kept word for word when it names its source. "Names no one" means the speaker
is only an honorific, a role, a relation or a vague source, possibly with "Kota Malang" or an RT
number: "Kata Pak Wali", "kata Bu Lurah", "Info dari Pak RT 05:", "kata orang", "menurut info
yang beredar", "kata teman saya". A frame names its source when a capitalised name (a person,
an agency, a place) follows it and is closed by a comma, colon, dash or "bahwa": "Kata Wali Kota
Wahyu Hidayat, ...", "Menurut Dinkes: ...", "Kata Lurah Sawojajar, ..."; an honorific right
before a capitalised word is a name too ("Kata Pak Budi ..."). Such a frame is the attribution
the claim depends on (a release can confirm or deny that this official said it). A capitalised
run that is not closed that way is the start of the assertion ("Kata Pak Wali Jalan Ijen
ditutup" -> "Jalan Ijen ditutup"). In a shouted frame capitals say nothing, so it counts as
naming no one; the words after it stay. A frame that leaves nothing behind ("Katanya.") cleans
to an empty text, which the checker reports as not checkable.

Units survive: after a number, a unit symbol the lexicon also lists as chat stays as written
("160 cm" is not "160 cuma"; "500 g" is not "500 tidak"). Phone numbers stay in the text (they
are facts a claim can get wrong); links are removed and reported in `CleanText.removed`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from index.names import AGENCIES, ALIASES, KECAMATAN, VENUES

LEXICON_PATH = Path(__file__).resolve().parent / "data" / "slang.tsv"

# Acronyms kept in capitals when a shouted message is lowered (agency abbreviations are added).
ACRONYMS = frozenset(
    """ASN PNS CPNS PPPK KTP KK IKD NIK PBB BPHTB UMK UMKM DBD TBC KLB MBG SPPG PPDB SD SMP SMA
    SMK SDN SMPN RT RW TPA TPS PDAM BMKG BPS BPJS CCTV QRIS MPP CFD BLT BLTS BBM HUT PKL RSUD
    OPD APBD RTLH PMK GOR MCC WIB WA TNI POLRI KPM PSN UHC PLN ATM""".split()
)
# Unit symbols: right after a number they are never chat spelling ("160 cm", "500 g", "20 kl").
UNITS = frozenset("mm cm m km m2 m3 km2 ha g kg mg ton l ml kl cc".split())

# A clause break left where an emoji, an emoticon or a link was: it ends a clause of noise
# ("... 😱 Waspada!") and becomes a space at the end.
_BREAK = "\u2063"
# A host name is read from its start only: "1.1.1.1…" is scanned once, not from each label.
_URL = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|(?<![\w.-])(?:[a-z0-9-]+\.)+(?:ly|com|id|net|org|co|me|io|gl|link|info|xyz|site)\b(?:/\S*)?",
    re.IGNORECASE,
)
_INVISIBLE = re.compile(
    "[\u200b-\u200f\u2060-\u2064\ufeff\ufe00-\ufe0f\U000e0000-\U000e007f\U000e0100-\U000e01ef]"
)
_KEYCAP = re.compile("[0-9#*]\u20e3")
_EMOTICON = re.compile(
    r"(?<![\w:;=])(?:[:;=][-'^]?[()\[\]DPpvV3/\\|*oO]+|\^[_.-]?\^|-_-|T[_.]T|[xX]D+|<3|\([:;])"
    r"(?![\w])"
)
_BULLETS = frozenset("•·‣◦∙")
_KEPT_SYMBOLS = frozenset("°")  # a unit ("30°C"), not a pictograph

# -- the vocabulary of wrappers -------------------------------------------------------------
_GROUP_WORD = r"(?:grup|grub|group|gc|wag|wa)(?:2|-grup)?"
_GROUP = (
    rf"{_GROUP_WORD}(?:\s+(?:wa|whatsapp))?(?:\s+(?:sebelah|lain|tetangga|rt|rw|alumni|keluarga"
    r"|kantor|kampung|wali\s+murid|ortu|sekolah|warga|perumahan|pengajian))*"
)
_PLURAL = r"(?:2|-\w+)?"
_NEWS = r"(?:info|informasi|kabar|berita|isu|pesan)"
_SHARE_VERB = r"(?:sebarkan|sebarin|viralkan|viralin|bagikan|share|forward|teruskan|broadcast)"
_SHARE_TARGET = (
    rf"(?:semua\s+)?(?:teman{_PLURAL}|temen{_PLURAL}|tmn{_PLURAL}|kawan{_PLURAL}|saudara|sodara"
    rf"|keluarga|kerabat|tetangga|kontak|{_GROUP}|orang\s+(?:lain|terdekat|tersayang)|yang\s+lain"
    r"|semua(?:nya)?|sebanyak-banyaknya|sebanyak\s+mungkin)"
    r"(?:\s+(?:lain|lainnya|kita|kamu|anda|terdekat|tercinta|tersayang|semua))*"
)
_CALL = r"(?:mohon|tolong|harap|silakan|silahkan|yuk|ayo|ayok|please)"
# The reason given for passing a message on. Only the chat form ("biar pada tahu") is noise on
# its own; "agar tidak tertipu" may be the claim's content, so it goes only with a call to share.
_AIM = (
    r"(?:biar|agar|supaya|spy)\s+(?:pada\s+|semua(?:nya)?\s+|banyak\s+yang\s+|yang\s+lain\s+)?"
    r"(?:tahu|tau|waspada|ngerti|paham|hati-hati|berhati-hati|(?:tidak|gak|nggak|ga)\s+"
    r"(?:ketinggalan|tertipu))"
)
_CHAT_AIM = r"(?:biar|spy)\s+(?:pada|semua(?:nya)?|banyak\s+yang|yang\s+lain)\s+(?:tahu|tau)"
# "Sebarkan ke teman2 biar pada tahu!", "Mohon dibagikan ke grup lain ya": a call to share ends
# its clause; a passive one ("dibagikan") needs the call word, or it is news ("dibagikan ke ...").
# At most three call words ("ayo tolong mohon sebarkan"): a bound keeps "yuk yuk yuk ..." linear.
_SHARE_CALL = (
    rf"(?:(?:{_CALL}\s+){{0,3}}{_SHARE_VERB}|(?:{_CALL}\s+){{1,3}}di(?:sebarkan|sebar|viralkan|bagikan"
    r"|share|forward|teruskan))(?:\s+(?:ya|yuk|aja|saja|dong|segera))*"
    rf"\s+(?:ke|kepada|di)\s+{_SHARE_TARGET}(?:\s*(?:,|dan)\s*(?:ke\s+)?{_SHARE_TARGET})*"
    rf"(?:\s+(?:ya|yuk|segera))*(?:\s+{_AIM})?"
)
_VOCATIVE = (
    r"(?:bapak\s*(?:/|dan)?\s*ibu(?:\s+(?:sekalian|semua(?:nya)?))?|bapak-bapak\s+ibu-ibu"
    r"|ibu-ibu|ibu2|bapak-bapak|bapak2|para\s+(?:warga|bapak|ibu|orang\s+tua|sedulur|member)"
    r"(?:\s+(?:sekalian|semua))?|warga\s+(?:sekalian|semua|grup|tercinta)|semuanya|sedulur"
    r"(?:\s+(?:kabeh|sedoyo|semua))?|dulur|lur|rek|arek-arek|gaes|gais|guys|gengs?|bunda|bun"
    r"|buibu|teman-teman|temen2|teman2|kawan-kawan|gan|agan|sis|bro|sob|cuy|all|pak|bu"
    r"|mas\s+(?:dan\s+)?mbak|kakak-kakak)"
)
# Vocatives that are never plain words may follow a greeting without a separator.
_PLAIN_VOCATIVE = r"(?:lur|gaes|gais|guys|sedulur|dulur|semuanya|bapak\s+ibu\s+sekalian)"
_GREETING = (
    r"(?:as+a?l+a?m+u?\s*['’`]?\s*a?l+a?[iy]?k+u?m+(?:\s+(?:wr\.?\s*wb\.?|warahmatullahi"
    r"(?:\s+wabarakatuh)?|wa\s*rahmatullahi\s+wa\s*barakatuh))?|aslmkm|aslm|askum"
    r"|ass(?=\s*[.,!]|\s+wr)(?:\s+wr\.?\s*wb\.?)?|salam\s+(?:sejahtera|sehat|kenal|hangat)"
    r"(?:\s+untuk\s+kita\s+semua)?|(?:selamat|slmt|met)\s+(?:pagi|siang|sore|malam|petang"
    r"|beraktivitas|berakhir\s+pekan)|sugeng\s+(?:enjing|injing|siang|sonten|ndalu|dalu)"
    r"|hal+o+|hel+o+|hai+|hi|hey+|om\s+swastiastu|namo\s+buddhaya|shalom"
    r"|bismillah(?:irrahmanirrahim)?)"
)
_MONGGO = r"monggo(?:\s+di(?:cek|simak|baca|waca|pirsani|share|sebar|perhatikan)\w*)?"
_POLITENESS = (
    rf"(?:permisi|punten|nuwun\s+sewu|{_MONGGO}|numpang\s+(?:info|share|berbagi|lewat|tanya)"
    r"|(?:mohon\s+)?(?:izin|ijin)\s+(?:share|berbagi|info|menyampaikan|sharing|forward"
    r"|meneruskan)(?:\s+info(?:rmasi)?)?|maaf\s+(?:mengganggu|ganggu|numpang)(?:\s+waktunya)?)"
)
_NOT_FROM = r"(?!\s+(?:dari|dr)\b)"  # "Dapat info dari Dinkes:" is an attribution
_RUMOUR_FRAME = (
    r"(?:katanya(?:\s+(?:sih|nih|lho))?|konon(?:\s+katanya)?|kabarnya|kabar\s+nya|infonya"
    r"|info\s+nya|(?:dengar|denger|dgr)(?:-(?:dengar|denger)|2|\s+(?:dengar|denger))"
    rf"|(?:ada|beredar|tersiar|tersebar)\s+{_NEWS}(?:\s+(?:terbaru|penting|valid|a1|nih|lagi))*"
    rf"{_NOT_FROM}|(?:(?:barusan|baru\s+saja|baru|tadi)\s+)?(?:dapat|dapet|dpt|terima)\s+{_NEWS}"
    rf"(?:\s+(?:terbaru|penting|valid|a1|nih|lagi|barusan|ini))*{_NOT_FROM}"
    rf"|{_NEWS}\s+(?:terbaru|terkini|penting|valid|a1|hari\s+ini|terupdate|akurat)(?:\s+nih)?"
    r"|breaking\s+news|(?:mohon|tolong|minta|harap)\s+(?:di)?(?:cek|check|crosscheck|crosscek"
    r"|kroscek|konfirmasi|klarifikasi|bantu\s+cek)(?:\s+(?:dulu|lagi))?(?:\s+(?:kebenarannya"
    rf"|kebenaran\s+{_NEWS}(?:\s+ini)?|infonya|beritanya|(?:benar|bener|valid)\s*(?:tidak|gak"
    r"|nggak|ga|enggak)(?:nya)?))?|(?:mohon|tolong|minta)\s+info(?:nya)?|pesan\s+berantai"
    r"|(?:pesan\s+)?(?:diteruskan|forwarded)(?:\s+(?:berkali-kali|many\s+times|message))?"
    rf"|(?:copas|copy\s*paste|salinan)(?:\s+(?:dari|dr)\s+{_GROUP})?|(?:dari|dr)\s+{_GROUP})"
)
# Noise that is also an ordinary word: removed only as a whole clause, or opening a sentence
# with a separator after it.
_WEAK = (
    rf"(?:{_SHARE_VERB}|sebar\s*luaskan|viral|penting|info\s+penting|sangat\s+penting|urgent"
    r"|berita\s+penting|resmi|update|info|informasi|pengumuman|perhatian|mohon\s+perhatian"
    r"|(?:tetap\s+)?waspada|awas|hati-hati|hati2|hati\s+hati|ati-ati|ati2|berhati-hati"
    r"|jaga\s+diri|stay\s+safe|(?:di)?cek\s+(?:dulu|lagi)|saring\s+sebelum\s+sharing"
    r"|semoga\s+(?:bermanfaat|membantu|berguna)|(?:terima\s*kasih|makasih|makasi|trims|thx"
    r"|thanks|tq|matur\s*(?:nuwun|suwun)|suwun|nuwun)(?:\s+(?:banyak|ya|semua|infonya|atas"
    r"\s+perhatiannya))*|salam(?:\s+(?:sehat|hangat))?|wassalam(?:ualaikum)?(?:\s+wr\.?\s*wb\.?)?"
    r"|aamiin|amin|cmiiw|(?:no|bukan)\s+(?:hoax|hoaks|hoak)|valid|a1|asli|real|fakta"
    r"|(?:(?:apa|apakah)\s+)?(?:ini\s+)?(?:bener|benar|beneran|betul|valid|hoaks|hoax|asli)(?:kah)?"
    r"(?:\s+(?:gak|nggak|ngga|ga|tidak|enggak|ndak|atau\s+(?:tidak|gak|bukan|hoaks|hoax)))?"
    r"(?:\s+(?:sih|ya|nih|ini))*|jangan\s+sampai\s+(?:ketinggalan|telat|terlewat)"
    # a clause that only urges haste: "Buruan daftar", "gercep", "cepetan ambil"
    r"|(?:buruan|cepetan|gercep|merapat)(?:\s+[^\W\d_]+)?"
    rf"|{_AIM}|ya|yah|yuk|ayo|oke|ok|noted|{_VOCATIVE})"
)
# At most this many more noise words follow the first in one run: a bound, so that a failed
# match does not retry an unbounded run from each of its words (quadratic on "ya ya ya ... x").
_MORE_NOISE = 8
_END_OF_CLAUSE = rf"(?=[ \t]*(?:[,.!?;:\n{_BREAK}]|$))"
# A call to share ends its clause, or more noise follows it ("... ke grup lain Semoga bermanfaat").
_CALL_ENDS = (
    rf"(?=[ \t]*(?:[,.!?;:\n{_BREAK}]|$)|[ \t]+(?:{_WEAK}|{_CALL}|{_SHARE_VERB}|semoga|cmiiw"
    r"|mohon|wkwk)\b)"
)
_SHARE_CALL_ANYWHERE = re.compile(rf"\b{_SHARE_CALL}\b[ \t]*[!.]*{_CALL_ENDS}", re.IGNORECASE)
# Phrases that are noise wherever they stand.
_ANYWHERE = [
    re.compile(p, re.IGNORECASE)
    for p in (
        rf"\b{_CHAT_AIM}\b[ \t]*[!.]*{_CALL_ENDS}",
        rf"\b(?:info|kabar|berita|pesan|copas|copy|salinan)\s+(?:(?:dari|dr)\s+{_GROUP}"
        rf"|{_GROUP_WORD}\s+(?:sebelah|lain|tetangga))[ \t]*[:.!\-]*",
        r"\bsemoga\s+(?:bermanfaat|membantu|berguna)\b[ \t]*[!.]*",
        # a request to check it, wherever it stands: "Mohon dicek kebenarannya."
        r"\b(?:mohon|tolong|minta|harap)\s+(?:di)?(?:cek|check|crosscheck|crosscek|kroscek"
        r"|konfirmasi|klarifikasi|bantu\s+cek)(?:\s+(?:dulu|lagi))?\s+(?:kebenarannya"
        r"|kebenaran\s+(?:info|kabar|berita|pesan)(?:\s+ini)?|infonya|beritanya)\b[ \t]*[!.?]*",
        r"\b(?:mohon\s+)?maaf\s+(?:kalau|jika|bila|kalo|klo|apabila)\s+(?:hoaks|hoax|hoak|salah"
        r"|keliru|tidak\s+benar|berita\s+lama|info\s+lama)\b",
        r"\b(?:cmiiw|info\s+a1|(?:no|bukan)\s+(?:hoax|hoaks|hoak))\b[ \t]*[!.]*",
        rf"\b(?:katanya|konon|{_MONGGO}|punten|nuwun\s+sewu)\b",
        r"\b(?:lho|loh|sih|deh|dong|nih|lur|gaes|gais|guys|wkwk\w*|hehe\w*|hihi\w*|haha\w*)\b",
    )
]

# -- attribution frames ("kata Pak Wali", "menurut info", "Info dari Pak RT:") ----------------
_OPENER = (
    r"(?:kata|menurut|ujar|(?:info|kabar|berita|pesan|dengar|denger|dapat|dapet|dpt)"
    r"(?:\s+(?:info|kabar))?\s+(?:dari|dr))"
)
_HONORIFIC = (
    r"(?:pak|bu|bapak|ibu|bpk|bp|mas|mbak|mba|mbk|bang|kak|cak|ning|om|tante|pakde|bude|budhe"
    r"|ustadz|ustad|ust|kyai|dr|dokter)\.?"
)
_ROLE = (
    r"(?:wakil\s+wali\s+kota|wali\s+kota|walikota|walkot|wali\s+murid|wali|wawali|sekda|camat"
    r"|lurah|kades|kepala\s+(?:desa|dinas|sekolah)|kadis|kapolresta|kapolres|kapolsek|kapolda"
    r"|dandim|danramil|babinsa|gubernur|bupati|presiden|menteri|dewan|dprd|bidan|perawat|guru"
    r"|kasek|satpam|polisi|petugas|pegawai|takmir|(?:ketua\s+)?(?:rt|rw)(?:\s+\d+)?)"
)
_RELATION = (
    rf"(?:orang{_PLURAL}|org|teman{_PLURAL}|temen{_PLURAL}|tmn{_PLURAL}|kawan|tetangga|saudara"
    r"|sodara|keluarga|kerabat|adik|adek|kakak|anak|suami|istri|mama|papa|sepupu|ortu"
    r"|orang\s+(?-i:tua|dalam|dinas|kelurahan|kecamatan|pemkot)"
    rf"|{_GROUP}|{_NEWS}|sumber|netizen|warga)(?:ku|nya)?"
)
# What may follow a source and still name no one: "Kota Malang" after a role, and in lower case
# "saya", "lain", "yang beredar", "yang kerja di Dinkes" (a capitalised word may start the claim).
_VAGUE = (
    r"(?:\s+(?:kota\s+)?malang(?![ \t]+[A-Z]))?(?:\s+(?-i:saya|aku|gue|gw|lain|terpercaya"
    r"|terbaru|valid|a1|yang\s+beredar|yang\s+(?:kerja|bekerja|tugas|bertugas|mengajar|jaga)\s+di\s+[\w-]+))*"
)
_ATTRIBUTION = re.compile(
    rf"{_OPENER}(?:\s+(?P<honorific>{_HONORIFIC}))?(?:\s+(?P<source>{_ROLE}|{_RELATION}))?"
    rf"{_VAGUE}(?![\w-])",
    re.IGNORECASE,
)
# A frame names its source when a capitalised run follows, closed by a comma, colon, dash or
# "bahwa" ("Kata Wali Kota Wahyu Hidayat, ..."); unclosed, the run starts the assertion ("Kata
# Pak Wali Wali Kota menyebut ...": the claim is what the Wali Kota said).
_NAMED = re.compile(
    r"[ \t]+[A-Z][\w'’.-]*(?:[ \t]+(?:[A-Z][\w'’.-]*|\d+))*(?:[ \t]*[,:;]|[ \t]+[-–][ \t]"
    r"|[ \t]+bahwa\b)"
)
# "..., kata Pak Wali." closing a clause.
_TAIL_ATTRIBUTION = re.compile(  # from the start of a run of blanks: linear on long runs
    rf"(?<![ \t])[ \t]*(?:,[ \t]*)?\bkata\s+(?:{_HONORIFIC}\s+)?(?:{_ROLE}|{_RELATION}){_VAGUE}"
    rf"(?=[ \t]*(?:[,.!?;\n{_BREAK}]|$))",
    re.IGNORECASE | re.MULTILINE,
)

# -- where a wrapper may stand ----------------------------------------------------------------
_SEPARATOR = r"(?:[ \t]*(?:[,.!?:;]+|[-–](?=\s)))"
_SENTENCE_START = re.compile(rf"(?:^|[.!?:;\n])[\s{_BREAK}]*")
_AFTER_LEAD = re.compile(rf"{_SEPARATOR}?(?:[ \t]+bahwa\b)?[\s{_BREAK}]*", re.IGNORECASE)
# Weak noise opens a sentence only with a separator after it: "Penting! ...", "Bapak ibu, ...".
_WEAK_LEAD = re.compile(
    rf"(?:{_WEAK})\b(?:[ \t,]+(?:{_WEAK})\b){{0,{_MORE_NOISE}}}"
    rf"(?={_SEPARATOR}|[ \t]*[\n{_BREAK}]|[ \t]*$)",
    re.IGNORECASE | re.MULTILINE,
)
_LEADS = [
    re.compile(
        rf"(?:{_GREETING}|{_POLITENESS})\b(?:[ \t,]+{_PLAIN_VOCATIVE}\b)*"
        rf"(?:[ \t,]+{_VOCATIVE}\b(?={_SEPARATOR}|[ \t]*[\n{_BREAK}]|[ \t]*$))?",
        re.IGNORECASE | re.MULTILINE,
    ),
    re.compile(rf"{_RUMOUR_FRAME}\b", re.IGNORECASE),
    _WEAK_LEAD,
]
# A vocative in a list is a plain word: "Ibu-ibu, bapak-bapak dan lansia ...".
_LIST_GOES_ON = re.compile(r"[ \t,]*(?:[\w-]+[ \t]+)?(?:dan|atau|serta)\b", re.IGNORECASE)
_CLAUSE_NOISE = re.compile(
    rf"(?:^|(?<=[,.!?;:\n{_BREAK}]))[ \t]*(?:{_WEAK})\b(?:[ \t,]+(?:{_WEAK})\b){{0,{_MORE_NOISE}}}"
    rf"[ \t]*(?P<marks>[!.?]*){_END_OF_CLAUSE}",
    re.IGNORECASE | re.MULTILINE,
)
# Noise closing a clause after its content: "... sebarkan!", "..., hati-hati ya", "... ya bun".
_TAIL = re.compile(
    r"(?<=\S)[ \t]+(?P<tail>(?P<verb>sebarkan|sebarin|viralkan|viralin|share|forward|broadcast)"
    r"|(?:hati-hati|hati2|ati-ati|ati2|waspada|(?:di)?cek\s+dulu)\s+ya"
    r"|jangan\s+sampai\s+(?:ketinggalan|telat|terlewat)|(?:buruan|cepetan|gercep)(?:\s+[^\W\d_]+)?"
    r"|(?:bener|benar|beneran)\s+(?:gak|nggak"
    rf"|ga|tidak|enggak)(?:\s+(?:sih|ya|nih))*|(?:ya|yah)(?:\s+{_VOCATIVE})?|(?P<rek>rek))\b"
    rf"(?:[ \t,]+(?:{_WEAK})\b){{0,{_MORE_NOISE}}}[ \t]*(?P<marks>[!.?]*){_END_OF_CLAUSE}",
    re.IGNORECASE | re.MULTILINE,
)
# After these words a call to share, or "rek", is content ("jangan sebarkan", "no rek BRI").
_NOT_A_CALL_AFTER = frozenset(
    """jangan tidak tak gak ga nggak asal akan kami kita mau bisa boleh dilarang untuk yang
    sudah belum sempat ingin perlu no nomor ke via""".split()
)

_REPEATED_MARKS = re.compile(r"([!?.,:;])\1+|[!?]{2,}")
_REPEATED_LETTERS = re.compile(r"([^\W\d_])\1{2,}")
# Only from the start of a word: a long word is scanned once, not again from each of its letters.
_WORD_WITH_REPEATS = re.compile(r"(?<![^\W\d_])[^\W\d_]*([^\W\d_])\1{2,}[^\W\d_]*")
_ROMAN = re.compile(r"[IVXLCDM]+")
_HYPHEN_NYA = re.compile(r"\b([^\W_]+)-nya\b", re.IGNORECASE)
_REDUPLICATION = re.compile(r"\b([A-Za-z][a-z]{2,})2\b")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_AFTER_DIGITS = frozenset({"rb", "rbu", "jt", "jta"})
_SHOUTED_WORD = re.compile(r"\b[^\W\d_a-z]{5,}\b")
_SPACES = re.compile(r"[ \t\r\f\v]+")
_SENTENCE_PIECES = re.compile(r"[^.!?\n]+[.!?]*")


@dataclass
class CleanText:
    """A message after cleaning: the text to check, and what was taken out of it."""

    original: str
    text: str
    removed: list[str] = field(default_factory=list)


@cache
def load_lexicon(path: Path = LEXICON_PATH) -> dict[str, str]:
    """Read the slang lexicon: informal word (lower case) -> standard spelling."""
    lexicon: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        informal, tab, formal = line.partition("\t")
        if not tab or not informal.strip() or not formal.strip():
            raise ValueError(f"{path}:{number}: expected 'informal<TAB>formal', got {line!r}")
        lexicon[informal.strip().lower()] = formal.strip()
    return lexicon


def normalise_message(text: str) -> CleanText:
    """Clean a pasted message: drop wrappers, noise and links, lower shouting, fix spelling."""
    original = text
    removed: list[str] = []
    text = unicodedata.normalize("NFKC", text or "")
    text = _INVISIBLE.sub("", text)
    text = text.replace("&", " dan ").replace("\u2013", "-").replace("\u2014", " - ")
    text = _EMOTICON.sub(_BREAK, text)
    text = _strip_symbols(_KEYCAP.sub(_BREAK, text))
    text = _URL.sub(_dropper(removed, _BREAK), text)
    text = _REPEATED_MARKS.sub(lambda m: m.group(0)[0], text)
    text = _WORD_WITH_REPEATS.sub(_collapse_repeats, text)
    text = _strip_wrappers(text, removed)
    text = _REDUPLICATION.sub(_reduplicate, text)
    text = _HYPHEN_NYA.sub(r"\1", text)  # "KTP-nya" -> "KTP"
    text = _lower_shouting(text)
    text = normalise_words(text)
    return CleanText(original=original, text=_tidy(text), removed=removed)


def _strip_wrappers(text: str, removed: list[str]) -> str:
    """Remove greetings, hearsay frames, calls to share and closing noise; note each removed."""
    drop = _dropper(removed)
    text = _strip_leads(text, removed)
    text = _SHARE_CALL_ANYWHERE.sub(lambda m: _drop_call(m, m.group(0), removed), text)
    for pattern in _ANYWHERE:
        text = pattern.sub(drop, text)
    text = _TAIL_ATTRIBUTION.sub(drop, text)
    text = _TAIL.sub(lambda m: _drop_call(m, m.group("tail"), removed), text)
    text = _CLAUSE_NOISE.sub(lambda m: _drop_clause(m, removed), text)
    return _strip_leads(text, removed)  # what opened a sentence behind removed noise


def normalise_words(text: str) -> str:
    """Replace the lexicon's informal words with their standard spelling, keeping capitals."""
    lexicon = load_lexicon()

    def replace(match: re.Match[str]) -> str:
        word = match.group(0)
        formal = lexicon.get(word.lower())
        if formal is None:
            return word
        following = text[match.end() : match.end() + 1]
        if following == "." and word.lower() in {"dr", "jl", "kel", "kec", "th"}:
            return word  # an abbreviation such as "dr." (dokter) or "Jl." stays as written
        before = text[max(match.start() - 1, 0) : match.start()]
        if following in {"-", "/"} or before in {"-", "/"}:
            return word  # part of a compound or a code
        if word.lower() in UNITS and text[: match.start()].rstrip(" ")[-1:].isdigit():
            return word  # a unit after a number: "160 cm", "500 g"
        if (before.isdigit() and word.lower() not in _AFTER_DIGITS) or following.isdigit():
            return word  # inside a code such as "G1R1J"; "5rb" still becomes "5 ribu"
        if before.isdigit():
            return f" {formal}"
        if word.isupper() and len(word) > 1 and word.lower() not in {"yg", "utk", "dgn", "gak"}:
            return formal.upper() if len(formal) <= 3 else formal
        return formal[0].upper() + formal[1:] if word[0].isupper() else formal

    return _WORD.sub(replace, text)


def _dropper(removed: list[str], replacement: str = " ") -> Callable[[re.Match[str]], str]:
    """A substitution that notes what it removes."""

    def drop(match: re.Match[str]) -> str:
        _note(removed, match.group(0))
        return replacement

    return drop


def _note(removed: list[str], piece: str) -> None:
    piece = " ".join(piece.replace(_BREAK, " ").split()).strip(".,!?:;- ")
    if piece:
        removed.append(piece)


def _strip_leads(text: str, removed: list[str]) -> str:
    """Remove greetings, frames and openers where sentences start; the capital moves along."""
    kept: list[str] = []
    position = 0
    for start in (m.end() for m in _SENTENCE_START.finditer(text)):
        if start < position:
            continue
        end = _lead_end(text, start, removed)
        if end == start:
            continue
        kept.append(text[position:start])
        position = end
        following = text[end : end + 1]
        if text[start].isupper() and following.islower():
            kept.append(following.upper())
            position += 1
    kept.append(text[position:])
    return "".join(kept)


def _lead_end(text: str, start: int, removed: list[str]) -> int:
    """Where the wrappers opening the sentence at `start` end (`start` when there are none)."""
    position = start
    while position < len(text):
        frame = _ATTRIBUTION.match(text, position)
        if frame and (frame.group("honorific") or frame.group("source")):
            if not _names_no_one(text, frame):
                return position  # an attribution the claim depends on stays
            lead = frame
        else:
            lead = next(filter(None, (p.match(text, position) for p in _LEADS)), None)
            if lead is None or (lead.re is _WEAK_LEAD and _LIST_GOES_ON.match(text, lead.end())):
                return position
        _note(removed, lead.group(0))
        position = _AFTER_LEAD.match(text, lead.end()).end()
    return position


def _drop_clause(match: re.Match[str], removed: list[str]) -> str:
    """Remove a clause made only of noise, unless it is an item of a list."""
    if _LIST_GOES_ON.match(match.string, match.end()):
        return match.group(0)
    _note(removed, match.group(0))
    return _mark_left(match)


def _mark_left(match: re.Match[str]) -> str:
    """What stays of removed closing noise: a space, and the sentence's own "." or "?".

    The mark is the sentence's when the noise was joined to it by a comma ("..., hati-hati ya."
    keeps its full stop); an exclamation mark, or the mark of noise standing on its own
    ("... Sebarkan!"), goes with the noise.
    """
    if "marks" not in match.re.groupindex:
        return " "
    before = match.string[: match.start()].rstrip(" \t")
    if not before.endswith(","):
        return " "
    return " " + match.group("marks").replace("!", "")[:1]


def _names_no_one(text: str, frame: re.Match[str]) -> bool:
    """Whether an attribution frame is hearsay: no name follows its honorific, role or source."""
    if frame.group(0).isupper():
        return True  # shouted: capitals say nothing
    after = text[frame.end() :]
    if not frame.group("source"):
        return not re.match(r"[ \t]+[A-Z]", after)  # "Kata Pak Budi": an honorific and a name
    return not _NAMED.match(after)


def _drop_call(match: re.Match[str], piece: str, removed: list[str]) -> str:
    """Remove a call to share or closing noise, unless the word before makes it content."""
    before = match.string[: match.start()].split()
    if before and before[-1].lower().strip(",.") in _NOT_A_CALL_AFTER:
        if match.re is _SHARE_CALL_ANYWHERE or match.group("verb") or match.group("rek"):
            return match.group(0)  # "jangan sebarkan ke grup", "no rek BRI"
    _note(removed, piece)
    return _mark_left(match)


def _tidy(text: str) -> str:
    """Spaces and punctuation left behind by removals; the text starts with a capital."""
    text = text.replace(_BREAK, " ")
    text = "\n".join(_SPACES.sub(" ", line).strip(" ,:;-") for line in text.splitlines())
    text = re.sub(r"[ \t]+([.,!?;:])", r"\1", text)
    text = re.sub(r"([,;:])(?:[ \t]*[,;:])+", r"\1", text)  # ", ," -> ","
    text = re.sub(r"[,;:]+(?=[ \t]*[.!?])", "", text)  # ",." -> "."
    text = re.sub(r"([.!?])(?:[ \t]*[.!?,;:])+", r"\1", text)  # "online! !" -> "online!"
    text = "\n".join(line.strip(" ,:;-") for line in text.splitlines())
    text = re.sub(r"^[.,!?;:\s]+", "", text, flags=re.MULTILINE)
    text = re.sub(r"\n{2,}", "\n", text).strip()
    if text[:1].islower():  # what was left after "Info dari grup sebelah:" opens a sentence
        text = text[0].upper() + text[1:]
    return text


def _strip_symbols(text: str) -> str:
    """Emojis and pictographs (symbols, private use, unassigned) become clause breaks."""
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if char in _KEPT_SYMBOLS:
            kept.append(char)
        elif category in {"So", "Sk", "Co", "Cs", "Cn", "Me"} or char in _BULLETS:
            kept.append(_BREAK)
        elif char == "\u200d":
            kept.append("")
        else:
            kept.append(char)
    return "".join(kept)


def _collapse_repeats(match: re.Match[str]) -> str:
    """ "GRATISSS" -> "GRATIS"; acronyms and Roman numerals ("PPPK", "III") stay."""
    word = match.group(0)
    if word.upper() in ACRONYMS or word.lower() in _kept_capitals() or _ROMAN.fullmatch(word):
        return word
    return _REPEATED_LETTERS.sub(r"\1", word)


def _reduplicate(match: re.Match[str]) -> str:
    """Chat plural "anak2" -> "anak-anak"; leaves codes such as "Rp2" alone."""
    word = match.group(1)
    if word.lower() in {"rp", "ke", "se"}:
        return match.group(0)
    return f"{word}-{word.lower()}"


@cache
def _kept_capitals() -> dict[str, str]:
    """Lower-cased word -> how to write it after a shouted sentence is lowered."""
    kept = {word.lower(): word for word in ACRONYMS}
    for abbreviation in AGENCIES:
        for part in re.split(r"[\s-]+", abbreviation):
            kept.setdefault(part.lower(), part)
    names = [*KECAMATAN, *ALIASES, *VENUES, "Malang", "Kota", "Batu", "Jawa", "Timur"]
    for values in KECAMATAN.values():
        names.extend(values)
    for name in names:
        for part in re.split(r"\s+", name):
            if part and part.lower() not in kept and not part.isupper():
                kept[part.lower()] = part
    kept["rp"] = "Rp"
    return kept


def _lower_shouting(text: str) -> str:
    """Lower each sentence written mostly in capitals, keeping acronyms and place names."""
    kept = _kept_capitals()

    def word(found: re.Match[str]) -> str:
        token = found.group(0)
        return kept.get(token.lower(), token.lower())

    def lower(match: re.Match[str]) -> str:
        piece = match.group(0)
        letters = [c for c in piece if c.isalpha()]
        if len(letters) < 8 or sum(c.isupper() for c in letters) / len(letters) < 0.7:
            # Not a shouted sentence, but single shouted words ("WAJIB") are lowered too.
            lowered = _SHOUTED_WORD.sub(word, piece)
            head = re.search(r"[^\W\d_]", piece)
            if head and piece[head.start()].isupper():  # keep the sentence's capital
                lowered = (
                    lowered[: head.start()] + lowered[head.start()].upper() + lowered[head.end() :]
                )
            return lowered

        lowered = re.sub(r"[^\W\d_]+", word, piece)
        head = re.search(r"[^\W\d_]", lowered)
        if head and lowered[head.start()].islower():
            lowered = (
                lowered[: head.start()] + lowered[head.start()].upper() + lowered[head.end() :]
            )
        return lowered

    return _SENTENCE_PIECES.sub(lower, text)
