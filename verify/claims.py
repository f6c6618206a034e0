"""Splitting a cleaned message into the claims it makes, one check each.

A forwarded message often strings several statements together ("Tarif naik jadi Rp15 ribu.
Mulai besok parkir wajib QRIS."). Each sentence with enough content is a claim of its own; a
fragment too short to check on its own ("siap-siap", "Benar ini") stays with its neighbour.
"""

from __future__ import annotations

from verify.evidence import FRAMING_WORDS, analyse, split_sentences

MAX_CLAIMS = 8
# A sentence needs this many meaningful words to be checked on its own.
MIN_CLAIM_WORDS = 3


def split_claims(text: str, *, max_claims: int = MAX_CLAIMS) -> list[str]:
    """The claims in a cleaned message, in order; short fragments join their neighbour."""
    pieces = [text[a:b].strip() for a, b in split_sentences(text)]
    pieces = [p for p in pieces if p]
    claims: list[str] = []
    pending = ""
    for piece in pieces:
        if _content_words(piece) < MIN_CLAIM_WORDS:
            if claims:
                claims[-1] = f"{claims[-1]} {piece}"
            else:
                pending = f"{pending} {piece}".strip()
            continue
        claims.append(f"{pending} {piece}".strip())
        pending = ""
    if pending:
        if claims:
            claims[-1] = f"{claims[-1]} {pending}"
        elif _content_words(pending):
            claims.append(pending)
    if len(claims) > max_claims:  # keep the check bounded: the rest goes with the last claim
        claims = claims[: max_claims - 1] + [" ".join(claims[max_claims - 1 :])]
    return claims


def _content_words(text: str) -> int:
    return sum(1 for t in analyse(text) if t.stem not in FRAMING_WORDS)
