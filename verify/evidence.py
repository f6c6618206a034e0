"""Evidence for a claim: candidate releases from the index, their sentences, and their relevance.

A release is read as a list of sentences (the title first), each with its analysed terms (the
same stems the index holds, with character offsets) and its facts; the sentences of the
documents it links to (PDFs, images, indexed after its own text) follow, each naming its
document. How well a sentence addresses a claim is the idf-weighted share of the claim's words
it contains (`coverage`); words inside the claim's facts (numbers, dates, places) weigh less,
because a claim that gets a number wrong is still about the same matter, and `verify.compare`
judges the facts themselves.

Releases are read once and cached by id and content, so repeated checks cost only the retrieval.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache, cached_property, lru_cache
from pathlib import Path

from index.analysis import term_spans
from index.retrieve import Candidate, Retrieval, idf, retrieve_weighted
from index.store import ATTACHMENT_MARK, WIB, SearchIndex, attachment_name
from verify.facts import Fact, extract_facts, extract_polarity
from verify.stance import Stance, sentence_stance

# Words that frame a rumour rather than state it; they carry no weight when matching.
FRAMING_WORDS = frozenset(
    """beredar kabar katanya info informasi isu viral berita pesan grup mohon tolong sebar
    hati-hati waspada bunda ibu bapak warga rek lur guys bener benar apakah benarkah kok
    sudah dengar denger resmi sekarang kini bilang kata ujar sebut ungkap tutur ucap""".split()
)  # the last seven: who said it ("Dinkes bilang", "kata Pak Wali"), not what was said
# Share of weight kept by a word inside one of the claim's facts.
FACT_WORD_SHARE = 0.2
# Weight of the other claims' words when the whole message gives a claim its context.
CONTEXT_SHARE = 0.3
# Weight of a word the index has never seen, as a share of the rarest word's weight.
UNSEEN_SHARE = 0.8
# Query weight of the words of an acronym's long form when the claim uses the acronym.
ACRONYM_SHARE = 0.5
# A claim with this many distinct words of its own says enough to be found without the rest of
# the message (whose words would only lengthen the query: about a third of a claim's retrieval).
SELF_SUFFICIENT_TERMS = 8
# Word weights are idf raised to this power: above 1, a claim's rare words (names, topics)
# matter more than its common ones when judging whether a release speaks about it.
IDF_POWER = 1.5

_ABBREVIATIONS = frozenset(
    """jl jln no dr drs ir h hj prof st kel kec kab tgl dsb dst dkk sdr bpk ibu s.e se m.m mm
    s.h sh m.si s.pd s.sos s.kom s.t m.t s.ip m.ap m.pd a.md pt cv tbk kh ust gg rt rw vs
    a.n u.p spt no.""".split()
)
_SENTENCE_END = re.compile(r"[.!?]+[\"”')\]]*(?=\s+|$)")
# The word a full stop ends; looked for in the characters just before it (a search over the whole
# paragraph before each full stop costs time in the square of the paragraph's length).
_WORD_BEFORE = re.compile(r"[\w.]+$")
_WORD_WINDOW = 40


@dataclass(frozen=True)
class Token:
    """One analysed term and where it sits in the text."""

    stem: str
    start: int
    end: int


@dataclass
class Sentence:
    """One official sentence: its text, analysed terms and facts. Position 0 is the title.

    Facts are extracted on first use: a release that turns out to be only loosely related is
    never read that closely.
    """

    position: int
    text: str
    tokens: list[Token]
    terms: frozenset[str] = field(default_factory=frozenset)
    reference: datetime | None = None
    document: str = ""  # the linked document (PDF, image) it comes from; "" for the release

    @cached_property
    def stance(self) -> Stance:
        """Whether the sentence relays someone else's words or denies something."""
        return sentence_stance(self.text)

    @cached_property
    def facts(self) -> list[Fact]:
        """The facts of the sentence; relative dates resolved against the release's date."""
        return extract_facts(self.text, reference=self.reference)

    @cached_property
    def modalities(self) -> frozenset[str]:
        """The sentence's modal words ("wajib", "gratis" ...): those of `facts`, read without
        extracting every other fact when they are not known yet (polarity is read apart)."""
        facts = self.__dict__.get("facts")
        if facts is None:
            facts = extract_polarity(self.text)
        return frozenset(f.value for f in facts if f.kind == "modality")


@dataclass
class ReleaseText:
    """A candidate release read as sentences, with all its terms and its lower-cased text."""

    candidate: Candidate
    sentences: list[Sentence]
    terms: frozenset[str]
    lowered: str


ACRONYMS_PATH = Path(__file__).resolve().parent / "data" / "acronyms.tsv"


@cache
def acronyms() -> tuple[tuple[str, frozenset[str]], ...]:
    """(acronym term, the terms of its long form) for each line of `verify/data/acronyms.tsv`."""
    pairs = []
    for number, line in enumerate(ACRONYMS_PATH.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        short, tab, long = line.partition("\t")
        terms = frozenset(t.stem for t in analyse(long))
        if not tab or not analyse(short) or not terms:
            raise ValueError(f"{ACRONYMS_PATH}:{number}: expected 'ACRONYM<TAB>long form'")
        pairs.append((analyse(short)[0].stem, terms))
    return tuple(pairs)


def with_acronyms(terms: frozenset[str]) -> frozenset[str]:
    """`terms` plus each acronym whose long form they hold, and each long form of an acronym."""
    extra: set[str] = set()
    for short, long in acronyms():
        if short in terms:
            extra |= long
        elif long <= terms:
            extra.add(short)
    return terms | extra if extra else terms


def analyse(text: str) -> list[Token]:
    """The index's terms of `text`, with character offsets."""
    return [Token(term, start, end) for term, start, end in term_spans(text)]


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of `text`; paragraphs always break; abbreviations and initials do not."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for paragraph in re.split(r"(\n\s*\n|\n)", text):
        if paragraph.strip() and not paragraph.isspace():
            start = 0
            for match in _SENTENCE_END.finditer(paragraph):
                if _is_abbreviation(paragraph, match.start()):
                    continue
                piece = paragraph[start : match.end()]
                if piece.strip():
                    spans.append(_trimmed(text, offset + start, offset + match.end()))
                start = match.end()
            if paragraph[start:].strip():
                spans.append(_trimmed(text, offset + start, offset + len(paragraph)))
        offset += len(paragraph)
    return spans


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_abbreviation(paragraph: str, dot: int) -> bool:
    """True when the full stop at `dot` ends an abbreviation or an initial, not a sentence."""
    if paragraph[dot] != ".":
        return False
    start = max(0, dot - _WORD_WINDOW)
    word = _WORD_BEFORE.search(paragraph, start, dot)
    if word and word.start() == start and start > 0:  # the word may begin before the window
        word = _WORD_BEFORE.search(paragraph, 0, dot)
    if not word:
        return False
    token = word.group(0).lower()
    if token in _ABBREVIATIONS or token.rstrip(".") in _ABBREVIATIONS:
        return True
    if len(token) == 1 and token.isalpha():  # an initial: "E. coli", "H. Sutiaji"
        return True
    following = paragraph[dot + 1 :].lstrip()
    return bool(following) and following[0].islower()  # "dst. dan", a lower-case word goes on


def read_release(candidate: Candidate) -> ReleaseText:
    """The release as sentences with terms and facts (cached by id, content and date)."""
    return _read(candidate.id, candidate.title, candidate.body, candidate.published, candidate)


@lru_cache(maxsize=1024)  # about 60 KB a release: some 60 MB at most
def _read_cached(
    release_id: str, title: str, body: str, published: datetime | None
) -> tuple[list[Sentence], frozenset[str], str]:
    reference = published.astimezone(WIB) if published else None
    sentences = [_sentence(0, title, reference)] if title.strip() else []
    document, heading_end = "", 0
    for start, end in split_sentences(body):
        if start < heading_end:
            continue
        if body.startswith(ATTACHMENT_MARK, start):  # the documents' text follows the release's
            line_end = body.find("\n", start)
            line_end = len(body) if line_end < 0 else line_end
            name = attachment_name(body[start:line_end])
            if name:
                document, heading_end = name, line_end
                continue
        sentence = _sentence(len(sentences), body[start:end], reference)
        sentence.document = document
        sentences.append(sentence)
    terms = with_acronyms(frozenset(t for s in sentences for t in s.terms))
    return sentences, terms, f"{title}\n{body}".lower()


def _read(
    release_id: str, title: str, body: str, published: datetime | None, candidate: Candidate
) -> ReleaseText:
    sentences, terms, lowered = _read_cached(release_id, title, body, published)
    return ReleaseText(candidate, sentences, terms, lowered)


def _sentence(position: int, text: str, reference: datetime | None) -> Sentence:
    tokens = analyse(text)
    terms = with_acronyms(frozenset(t.stem for t in tokens))
    return Sentence(position, text, tokens, terms, reference)


def claim_weights(
    tokens: Iterable[Token], facts: Iterable[Fact], retrieval: Retrieval
) -> dict[str, float]:
    """How much each word of a claim counts when matching it: idf, less inside facts.

    A word the index has never seen (a typo, or a topic no release mentions) weighs a little less
    than the rarest word the index knows.
    """
    spans = [(f.start, f.end) for f in facts if f.kind not in {"negation", "modality"}]
    rarest = idf(retrieval.documents, 1)
    weights: dict[str, float] = {}
    for token in tokens:
        if token.stem in FRAMING_WORDS:
            continue
        weight = retrieval.idf.get(token.stem, rarest)
        if weight > rarest:
            weight = rarest * UNSEEN_SHARE
        if any(a <= token.start < b for a, b in spans) or token.stem[:1].isdigit():
            weight *= FACT_WORD_SHARE
        weights[token.stem] = max(weights.get(token.stem, 0.0), weight**IDF_POWER)
    return weights


def coverage(weights: Mapping[str, float], terms: Iterable[str] | frozenset[str]) -> float:
    """The weighted share of the claim's words found in `terms` (0 to 1)."""
    total = sum(weights.values())
    if not total:
        return 0.0
    present = terms if isinstance(terms, (set, frozenset)) else set(terms)
    return sum(w for t, w in weights.items() if t in present) / total


def find_candidates(
    index: SearchIndex,
    claim_tokens: Iterable[Token],
    context_tokens: Iterable[Token] = (),
    *,
    limit: int = 8,
) -> Retrieval:
    """Candidate releases for a claim; the message's other words count for less, and only for
    a claim too short to be found on its own."""
    terms: dict[str, float] = {}
    # In the claim's order (a set's order changes from process to process, and with it which
    # of two equally rare words makes the query)
    claim_terms = dict.fromkeys(t.stem for t in claim_tokens if t.stem not in FRAMING_WORDS)
    if len(claim_terms) < SELF_SUFFICIENT_TERMS:
        for token in context_tokens:
            if token.stem not in FRAMING_WORDS:
                terms[token.stem] = CONTEXT_SHARE
    for short, long in acronyms():  # "RTLH" also looks for "rumah tidak layak huni"
        if short in claim_terms:
            for term in sorted(long - claim_terms.keys()):
                terms.setdefault(term, ACRONYM_SHARE)
    for term in claim_terms:
        terms[term] = 1.0
    return retrieve_weighted(index, terms, kind="release", limit=limit)
