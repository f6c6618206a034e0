"""Readable word-level differences between two archived versions of a release.

Paragraphs are aligned first (difflib over whole paragraphs), then each run of changed
paragraphs is compared word by word, so an edit in one paragraph never smears across the text
and the work stays bounded for long releases. The result is plain data (`VersionDiff`) plus HTML
renderings in which every piece of text is escaped and changes are wrapped in <ins> and <del>.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from markupsafe import Markup, escape

from archive.store import StoredVersion

EQUAL, INSERT, DELETE = "equal", "insert", "delete"
# A word (numbers such as 1.500.000 or Rp4,2 and words such as covid-19 stay whole) or one mark.
_TOKEN = re.compile(r"\w+(?:[.,/-]\w+)*|[^\w\s]")
_WORD = re.compile(r"\w+")


@dataclass
class Piece:
    """A run of words that is unchanged, inserted or deleted."""

    op: str  # EQUAL, INSERT or DELETE
    text: str


@dataclass
class VersionDiff:
    """What changed between two versions: title, paragraphs, labels and dates."""

    old_number: int
    new_number: int
    title: list[Piece]
    paragraphs: list[list[Piece]]
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (label, old, new)
    added_words: int = 0
    removed_words: int = 0

    @property
    def changed(self) -> bool:
        """Whether the two versions differ at all in what a reader sees."""
        pieces = self.title + [p for paragraph in self.paragraphs for p in paragraph]
        return bool(self.fields) or any(piece.op != EQUAL for piece in pieces)

    def title_html(self) -> Markup:
        """The title with its changes marked."""
        return render(self.title)

    def paragraphs_html(self) -> list[Markup]:
        """Each paragraph with its changes marked."""
        return [render(paragraph) for paragraph in self.paragraphs]

    def as_dict(self) -> dict:
        """Plain data for the JSON API."""
        return {
            "from": self.old_number,
            "to": self.new_number,
            "changed": self.changed,
            "added_words": self.added_words,
            "removed_words": self.removed_words,
            "title": [{"op": p.op, "text": p.text} for p in self.title],
            "paragraphs": [
                [{"op": p.op, "text": p.text} for p in para] for para in self.paragraphs
            ],
            "fields": [{"field": f, "from": a, "to": b} for f, a, b in self.fields],
        }


def word_diff(old: str, new: str) -> list[Piece]:
    """Word-level pieces turning `old` into `new` (runs of whitespace become one space)."""
    pieces: list[Piece] = []
    for op, words in _word_ops(_tokens(old), _tokens(new)):
        _append(pieces, op, words)
    return pieces


def compare_versions(old: StoredVersion, new: StoredVersion) -> VersionDiff:
    """The differences from version `old` to version `new` of one release."""
    paragraphs: list[list[Piece]] = []
    matcher = SequenceMatcher(None, old.paragraphs, new.paragraphs, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            paragraphs.extend([Piece(EQUAL, _spaced(p))] for p in new.paragraphs[j1:j2])
        elif tag == "delete":
            paragraphs.extend([Piece(DELETE, _spaced(p))] for p in old.paragraphs[i1:i2])
        elif tag == "insert":
            paragraphs.extend([Piece(INSERT, _spaced(p))] for p in new.paragraphs[j1:j2])
        else:
            paragraphs.extend(_changed_run(old.paragraphs[i1:i2], new.paragraphs[j1:j2]))
    diff = VersionDiff(
        old_number=old.number,
        new_number=new.number,
        title=word_diff(old.title, new.title),
        paragraphs=[p for p in paragraphs if p],
        fields=_field_changes(old, new),
    )
    for piece in diff.title + [p for paragraph in diff.paragraphs for p in paragraph]:
        if piece.op == INSERT:
            diff.added_words += len(_WORD.findall(piece.text))
        elif piece.op == DELETE:
            diff.removed_words += len(_WORD.findall(piece.text))
    return diff


def render(pieces: list[Piece]) -> Markup:
    """Escaped HTML of pieces: insertions in <ins>, deletions in <del>."""
    parts = []
    for piece in pieces:
        text = piece.text.rstrip(" ")
        gap = piece.text[len(text) :]
        if piece.op == INSERT:
            parts.append(Markup("<ins>{}</ins>{}").format(text, gap))
        elif piece.op == DELETE:
            parts.append(Markup("<del>{}</del>{}").format(text, gap))
        else:
            parts.append(escape(piece.text))
    return Markup("").join(parts).rstrip()


def _changed_run(old: list[str], new: list[str]) -> list[list[Piece]]:
    """Pair each old paragraph with the next similar new one, word-diff the pairs.

    New paragraphs passed over are insertions; old paragraphs without a similar partner are
    deletions. Pairing first keeps each edit inside its own paragraph.
    """
    paragraphs: list[list[Piece]] = []
    position = 0
    for paragraph in old:
        words = _tokens(paragraph)
        partner = next(
            (
                number
                for number in range(position, len(new))
                if _similar([w for w, _ in words], [w for w, _ in _tokens(new[number])])
            ),
            None,
        )
        if partner is None:
            paragraphs.append([Piece(DELETE, _spaced(paragraph))])
            continue
        paragraphs.extend([Piece(INSERT, _spaced(p))] for p in new[position:partner])
        pieces: list[Piece] = []
        for op, run in _word_ops(words, _tokens(new[partner])):
            _append(pieces, op, run)
        paragraphs.append(pieces)
        position = partner + 1
    paragraphs.extend([Piece(INSERT, _spaced(p))] for p in new[position:])
    return paragraphs


def _similar(old: list[str], new: list[str]) -> bool:
    """Whether two paragraphs share at least half their words (in order)."""
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    return matcher.quick_ratio() >= 0.5 and matcher.ratio() >= 0.5


def _tokens(text: str) -> list[tuple[str, str]]:
    """Words and marks of `text`, each with the space that followed it ("" or " ")."""
    found = list(_TOKEN.finditer(text))
    return [
        (match.group(), " " if after < len(text) and text[after].isspace() else "")
        for match, after in ((m, m.end()) for m in found)
    ]


def _word_ops(
    old: list[tuple[str, str]], new: list[tuple[str, str]]
) -> list[tuple[str, list[tuple[str, str]]]]:
    """Opcodes over the word texts (spacing is carried along but never compared)."""
    ops: list[tuple[str, list[tuple[str, str]]]] = []
    matcher = SequenceMatcher(
        None, [word for word, _ in old], [word for word, _ in new], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append((EQUAL, new[j1:j2]))
            continue
        if tag in ("delete", "replace"):
            ops.append((DELETE, old[i1:i2]))
        if tag in ("insert", "replace"):
            ops.append((INSERT, new[j1:j2]))
    return ops


def _append(pieces: list[Piece], op: str, words: list[tuple[str, str]]) -> None:
    if not words:
        return
    text = "".join(word + gap for word, gap in words)
    if pieces and pieces[-1].op == op:
        pieces[-1].text += text
    else:
        pieces.append(Piece(op, text))


def _spaced(text: str) -> str:
    return " ".join(text.split())


def _field_changes(old: StoredVersion, new: StoredVersion) -> list[tuple[str, str, str]]:
    """Changes in labels and dates, as (Indonesian label, old, new) text; the versions page
    shows each label in the chosen language (templates/public/versions.html)."""
    pairs = [
        ("Kategori", ", ".join(old.categories), ", ".join(new.categories)),
        ("Tag", ", ".join(old.tags), ", ".join(new.tags)),
        ("Penulis", old.author, new.author),
        ("Tanggal terbit", _moment(old.published), _moment(new.published)),
    ]
    return [(label, a, b) for label, a, b in pairs if a != b]


def _moment(value) -> str:
    return value.isoformat() if value else ""
