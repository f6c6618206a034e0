"""Indonesian text analysis for the search index: tokenizing, a short stop list and stemming.

The same analyzer runs when releases are indexed and when a query is parsed, and the claim checker
uses `tokens()` so that it compares exactly the terms the index holds.

- Tokens are runs of letters and digits. Digits stay joined across ``.`` ``,`` ``/`` when a digit
  sits on both sides ("1.500.000", "2,5", "Rp1,5", "23/09/2019"); a hyphen joins when a letter sits
  on either side ("covid-19", "berita-berita"), so "2024-2025" is two tokens.
- The stop list holds only pure function words. Words that carry meaning in a claim ("tidak",
  "bukan", "belum", "benar", "sudah", "gratis", "tahun", ...) are always kept.
- Stemming uses PySastrawi's raw `Stemmer`, corrected by `STEM_OVERRIDES` and never applied to
  Malang's names (`index.names.protected_words()`), numbers or non-Latin tokens.

Whoosh pickles the analyzer into the index, and `stem_word` is pickled by reference: keep it a
module-level function with this name in this module. Changing anything that decides terms (the
pattern, the stop list, the overrides, the gazetteer, the Sastrawi dictionary) makes existing
indexes stale; `analysis_fingerprint()` changes with them and the index reports it needs a rebuild.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache, lru_cache
from importlib import metadata

from whoosh.analysis import (
    CompositeAnalyzer,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)

from index.names import protected_words

# Bump when the analysis changes in a way the fingerprint cannot see (for example new code here).
ANALYSIS_VERSION = 1

_WORD_CHAR = r"[^\W_]"  # a letter or digit in any script; not underscore
_LETTER = r"[^\W\d_]"
TOKEN_PATTERN = re.compile(
    rf"""
    {_WORD_CHAR}+
    (?:
        (?<=\d) [.,/] (?=\d) {_WORD_CHAR}+        # 1.500.000  2,5  23/09/2019
      | (?<={_LETTER}) - {_WORD_CHAR}+            # covid-19  berita-berita
      | - (?={_LETTER}) {_WORD_CHAR}+             # 19-an
    )*
    """,
    re.VERBOSE,
)

# Pure function words only (<= 40). Never add negations, time words, numbers or modal words.
STOP_WORDS: frozenset[str] = frozenset(
    """
    yang dan di ke dari untuk dengan pada dalam kepada terhadap tentang oleh bagi
    ini itu tersebut adalah ialah merupakan yaitu yakni
    atau serta juga namun maupun sedangkan karena bahwa agar sebagai secara
    akan telah para pun
    """.split()
)

# Words PySastrawi 1.2.1 gets wrong, each checked against the raw stemmer (tests assert that every
# entry really differs from Sastrawi's answer). Keys are lower-case surface forms.
STEM_OVERRIDES: dict[str, str] = {
    # Sastrawi strips the particle "-tah"/"-lah" before the prefix: membantah -> "ban".
    "membantah": "bantah",
    "dibantah": "bantah",
    "terbantah": "bantah",
    "melangkah": "langkah",
    "belahan": "belah",  # Sastrawi: "bahan"
    "menikah": "nikah",  # Sastrawi: "meni"
    # Wrong root chosen from the dictionary.
    "berikan": "beri",  # Sastrawi: "ikan"
    "memungut": "pungut",
    "pemungutan": "pungut",
    "pengesahan": "sah",  # Sastrawi: "kesah"
    "mengesahkan": "sah",
    "perpajakan": "pajak",  # Sastrawi: "paja"
    "berserakan": "serak",  # Sastrawi: "sera"
    "pemadam": "padam",  # Sastrawi: "madam"
    "pemadaman": "padam",
    "memadamkan": "padam",
    "ketikan": "ketik",
    "undang-undang": "undang-undang",  # the law, not "undang" (to invite)
    "perwali": "perwali",  # Peraturan Wali Kota, not "wali"
    # Place names outside Malang that Sastrawi treats as affixed words.
    "bekasi": "bekasi",
    "bali": "bali",
    # Words outside Sastrawi's dictionary, left unstemmed by it.
    "hoaksnya": "hoaks",
    "hoax": "hoaks",
    "hoaxnya": "hoaks",
    "viralnya": "viral",
    "diviralkan": "viral",
    "memviralkan": "viral",
    "disebarluaskan": "sebar",
    "menyebarluaskan": "sebar",
    "penyebarluasan": "sebar",
    "tersebarluas": "sebar",
    "disalahgunakan": "salahguna",
    "menyalahgunakan": "salahguna",
    "penyalahgunaan": "salahguna",
    "pemberitahuan": "beritahu",
    "memberitahukan": "beritahu",
    "diberitahukan": "beritahu",
    # Common misspelling of "imbau" in messages and even official posts.
    "himbau": "imbau",
    "himbauan": "imbau",
    "menghimbau": "imbau",
    "dihimbau": "imbau",
    # Written together in chat messages: "disekolah" for "di sekolah".
    "disekolah": "sekolah",
}

_STEMMABLE = re.compile(r"[a-z]+(?:-[a-z]+)*")
_LONGEST_STEMMABLE = 40  # longer "words" are noise (pasted links, keyboard mashing)


@cache
def _sastrawi():
    """Load PySastrawi's raw stemmer once (the dictionary takes a moment)."""
    from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
    from Sastrawi.Stemmer.Stemmer import Stemmer
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return Stemmer(ArrayDictionary(StemmerFactory().get_words()))


def _sastrawi_stem(word: str) -> str:
    """Sastrawi's own answer for one word, without overrides or protection."""
    return _sastrawi().stem(word)


@lru_cache(maxsize=100_000)
def stem_word(word: str) -> str:
    """Return the Indonesian root of one token; names, numbers and non-Latin tokens pass as is."""
    word = word.lower()
    if word in protected_words():
        return word
    if word in STEM_OVERRIDES:
        return STEM_OVERRIDES[word]
    if len(word) > _LONGEST_STEMMABLE or not _STEMMABLE.fullmatch(word):
        return word
    head, hyphen, tail = word.partition("-")
    if hyphen and head == tail:  # plural by reduplication: berita-berita
        return stem_word(head)
    root = _sastrawi_stem(word)
    return root if root and " " not in root else word


def indonesian_analyzer() -> CompositeAnalyzer:
    """Build the Indonesian text analyzer: tokenize, lower-case, drop stop words, stem."""
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | LowercaseFilter()
        | StopFilter(stoplist=STOP_WORDS, minsize=1)
        # stem_word has its own thread-safe LRU cache, so StemFilter's cache is switched off.
        | StemFilter(stemfn=stem_word, cachesize=None)
    )


def term_spans(text: str) -> list[tuple[str, int, int]]:
    """(term, start, end) for each term the index would store for `text`, in order.

    The analyzer's steps (tokenize, lower-case, drop stop words, stem) without Whoosh's token
    stream, which costs more than the steps themselves; the claim check analyses every sentence
    of its candidate releases. Tests hold it equal to `indonesian_analyzer()`.
    """
    return [
        (stem_word(word), match.start(), match.end())
        for match in TOKEN_PATTERN.finditer(text)
        if (word := match.group().lower()) not in STOP_WORDS
    ]


def tokens(text: str) -> list[str]:
    """Return the terms the index would store for `text`, in order."""
    return [term for term, _, _ in term_spans(text)]


@cache
def analysis_fingerprint() -> str:
    """Return a short hash of everything that decides terms; it changes when a rebuild is due."""
    parts = [
        ANALYSIS_VERSION,
        TOKEN_PATTERN.pattern,
        sorted(STOP_WORDS),
        sorted(STEM_OVERRIDES.items()),
        sorted(protected_words()),
        metadata.version("PySastrawi"),
    ]
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:16]
