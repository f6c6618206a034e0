"""Cleaning what citizens paste: forwarded-message noise, emojis, shouting, chat spelling.

A rumour usually arrives as a forwarded chat message: "Info dari grup sebelah", "VIRALKAN!!",
emojis, links, ALL CAPS, repeated punctuation and informal spelling ("gak", "yg", "utk"). The
checker works on the cleaned text, so that the search index and the fact extractors see ordinary
Indonesian. Cleaning never invents content: it only removes noise and rewrites spellings listed in
the lexicon `verify/data/slang.tsv` (one ``informal<TAB>formal`` pair per line).

Phone numbers stay in the text (they are facts a claim can get wrong); links are removed and
reported in `CleanText.removed`.
"""

from __future__ import annotations

import re
import unicodedata
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

_URL = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|\b(?:[a-z0-9-]+\.)+(?:ly|com|id|net|org|co|me|io|gl|link|info|xyz|site)\b(?:/\S*)?",
    re.IGNORECASE,
)
_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff\ufe0e\ufe0f]")
_GROUP = r"(?:grup|grub|group|gc|wag|wa)"
# Phrases that only say where a message came from or beg for it to be passed on.
_BOILERPLATE = [
    re.compile(p, re.IGNORECASE)
    for p in (
        rf"\b(?:info|kabar|berita|pesan|copas|copy|salinan)\s+(?:(?:dari|dr)\s+)?{_GROUP}"
        r"(?:\s+(?:sebelah|lain|tetangga|rt|rw|alumni|keluarga|kantor|kampung|wali murid))?"
        r"\s*[:.!\-]*",
        r"\bcopas\b\s*[:.!\-]*",
        r"\b(?:pesan\s+)?(?:diteruskan|forwarded)(?:\s+(?:berkali-kali|many times|message))?"
        r"\s*[:.!\-]*",
        rf"\b(?:mohon|tolong|harap|yuk|ayo)?\s*(?:sebarkan|viralkan|bagikan|share|forward|"
        rf"teruskan|sebar)\s+(?:ke|kepada|di)\s+(?:semua\s+)?(?:{_GROUP}|keluarga|teman|"
        r"saudara|kerabat|yang lain|orang lain)(?:\s+(?:lain|lainnya|sebelah))?\s*[!.]*",
        r"\b(?:no|bukan)\s+(?:hoax|hoaks|hoak)\b\s*[!.]*",
        # a call to spread tacked on after a comma: "..., VIRALKAN!!"
        r",\s*(?:mohon\s+|tolong\s+)?(?:viralkan|sebarkan|bagikan|share|teruskan)\b\s*[!.]*"
        r"(?=\s*$|\s*\n)",
        r"\binfo\s+a1\b\s*[!.]*",
        r"\b(?:katanya|kata orang|cmiiw)\b",
        r"\b(?:lho|loh|rek|gaes|guys|sih|deh|dong|nih|wkwk\w*|hehe\w*|hihi\w*)\b",
        r"\bya\b(?=\s*(?:[.!?,]|$))",
    )
]
# A sentence made only of one of these words is a shout, not a claim ("VIRALKAN!!", "RESMI!!").
_SHOUTS = (
    "viral|viralkan|sebarkan|share|forward|teruskan|bagikan|penting|info penting|breaking news"
    "|berita penting|urgent|resmi|waspada|awas|info|update|mohon perhatian|perhatian"
)
_SHOUT_SENTENCE = re.compile(
    rf"(?:(?<=^)|(?<=[.!?:\n]))\s*(?:mohon\s+|tolong\s+)?(?:{_SHOUTS})\s*(?:[!.:]+\s*|$)",
    re.IGNORECASE,
)
_REPEATED_MARKS = re.compile(r"([!?.,:;])\1+|[!?]{2,}")
_REPEATED_LETTERS = re.compile(r"([^\W\d_])\1{2,}")
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
    """Clean a pasted message: drop noise and links, lower shouting, standardise spelling."""
    original = text
    removed: list[str] = []
    text = unicodedata.normalize("NFKC", text or "")
    text = _INVISIBLE.sub("", text)
    text = text.replace("&", " dan ").replace("\u2013", "-").replace("\u2014", " - ")
    text = _strip_symbols(text)

    def drop(match: re.Match[str]) -> str:
        piece = match.group(0).strip(" .!:-")
        if piece:
            removed.append(piece)
        return " "

    text = _URL.sub(drop, text)
    for pattern in _BOILERPLATE:
        text = pattern.sub(drop, text)
    text = _REPEATED_MARKS.sub(lambda m: m.group(0)[0], text)
    text = _SHOUT_SENTENCE.sub(drop, text)
    text = _REPEATED_LETTERS.sub(r"\1", text)
    text = _REDUPLICATION.sub(_reduplicate, text)
    text = _HYPHEN_NYA.sub(r"\1", text)  # "KTP-nya" -> "KTP"
    text = _lower_shouting(text)
    text = normalise_words(text)
    text = "\n".join(_SPACES.sub(" ", line).strip(" ,:;-") for line in text.splitlines())
    text = re.sub(r"\s+([.,!?;:])", r"\1", text)
    text = re.sub(r"\n{2,}", "\n", text).strip()
    text = re.sub(r"^[.,!?;:\s]+", "", text)
    if text[:1].islower():  # what was left after "Info dari grup sebelah:" opens a sentence
        text = text[0].upper() + text[1:]
    return CleanText(original=original, text=text, removed=removed)


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
        if (before.isdigit() and word.lower() not in _AFTER_DIGITS) or following.isdigit():
            return word  # inside a code such as "G1R1J"; "5rb" still becomes "5 ribu"
        if before.isdigit():
            return f" {formal}"
        if word.isupper() and len(word) > 1 and word.lower() not in {"yg", "utk", "dgn", "gak"}:
            return formal.upper() if len(formal) <= 3 else formal
        return formal[0].upper() + formal[1:] if word[0].isupper() else formal

    return _WORD.sub(replace, text)


def _strip_symbols(text: str) -> str:
    """Remove emojis and pictographs (symbol categories So/Sk, private use, surrogates)."""
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category in {"So", "Sk", "Co", "Cs", "Cn"} or char == "\u200d":
            kept.append(" ")
        else:
            kept.append(char)
    return "".join(kept)


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
