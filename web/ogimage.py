"""The preview card of a clarification (og:image): a 1200x630 PNG with the label and headline,
drawn on the server with Pillow, so a link shared in WhatsApp shows the answer before it is
opened.

Cards are cached in memory by clarification id and update time: an edit makes a new card, and a
card is drawn once per process however often it is asked for. The font is DejaVu Sans where the
system has it (Debian: fonts-dejavu-core), else Pillow's own default font.
"""

from __future__ import annotations

import io
import textwrap
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from archive.editorial import Clarification

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
HEADLINE_LINES = 4
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
INK = (29, 36, 48)
MUTED = (90, 100, 117)
PAPER = (250, 251, 252)
# The colour of each label, as on the site's badges (static/style.css).
LABEL_COLOURS = {
    "HOAKS": (185, 28, 28),
    "DISINFORMASI": (185, 28, 28),
    "MISINFORMASI": (180, 83, 9),
    "MENYESATKAN": (180, 83, 9),
    "FAKTA": (4, 120, 87),
}
OTHER_COLOUR = (107, 114, 128)
FOOTER = "Klarifikasi Diskominfo Kota Malang · Saring"
CACHED_CARDS = 128

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


def card_png(item: Clarification) -> bytes:
    """The PNG card of a clarification (cached by id and update time)."""
    return _card(item.id, item.updated_at, item.verdict, item.title)


@lru_cache(maxsize=CACHED_CARDS)
def _card(clarification_id: int, updated_at: datetime, verdict: str, title: str) -> bytes:
    return render_card(verdict, title)


def render_card(verdict: str, title: str) -> bytes:
    """A 1200x630 PNG: a band in the label's colour, the label, the headline and the source."""
    colour = LABEL_COLOURS.get(verdict, OTHER_COLOUR)
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 24), fill=colour)

    label_font = _font(64, bold=True)
    left, top, right, bottom = draw.textbbox((0, 0), verdict, font=label_font)
    pad = 22
    box = (MARGIN, 80, MARGIN + right - left + 2 * pad, 80 + bottom - top + 2 * pad)
    draw.rounded_rectangle(box, radius=12, fill=colour)
    draw.text((MARGIN + pad - left, 80 + pad - top), verdict, font=label_font, fill="white")

    headline_font = _font(54, bold=True)
    y = box[3] + 48
    for line in _wrap(draw, title, headline_font, WIDTH - 2 * MARGIN):
        draw.text((MARGIN, y), line, font=headline_font, fill=INK)
        y += 68

    draw.line((MARGIN, HEIGHT - 110, WIDTH - MARGIN, HEIGHT - 110), fill=(221, 226, 234), width=3)
    draw.text((MARGIN, HEIGHT - 86), FOOTER, font=_font(34), fill=MUTED)
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: Font, width: int) -> list[str]:
    """`text` in lines no wider than `width`, at most HEADLINE_LINES (the last ends in "…")."""
    lines: list[str] = []
    for word in " ".join(text.split()).split(" "):
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=font) <= width:
            lines[-1] = candidate
        else:
            lines.extend(_split_long_word(draw, word, font, width))
    if len(lines) > HEADLINE_LINES:
        last = lines[HEADLINE_LINES - 1]
        while last and draw.textlength(last + " …", font=font) > width:
            last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        lines = [*lines[: HEADLINE_LINES - 1], last + " …"]
    return lines


def _split_long_word(draw: ImageDraw.ImageDraw, word: str, font: Font, width: int) -> list[str]:
    """A word wider than a line (a long URL, say), cut into pieces that fit."""
    if draw.textlength(word, font=font) <= width:
        return [word]
    per_line = max(1, int(len(word) * width / draw.textlength(word, font=font)))
    return textwrap.wrap(word, per_line, break_long_words=True) or [word]


@lru_cache(maxsize=8)
def _font(size: int, *, bold: bool = False) -> Font:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_DIRS:
        if (folder / name).is_file():
            return ImageFont.truetype(str(folder / name), size)
    return ImageFont.load_default(size=size)
