"""Screenshots the OCR tests render themselves with Pillow (plain text, a chat bubble, dark
mode), and the rule for OCR tests: skipped with the reason where tesseract or its Indonesian
language is missing, failed instead when ``SARING_REQUIRE_OCR=1`` (set by `.ci/run`), as
``SARING_REQUIRE_BROWSER`` does for the browser tests."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import textwrap

import pytest
from PIL import Image, ImageDraw, ImageFont

REQUIRE_OCR = "SARING_REQUIRE_OCR"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def missing_ocr() -> str:
    """Why the OCR tests cannot run here ("" when tesseract reads Indonesian and a font exists)."""
    if shutil.which("tesseract") is None:
        return "tesseract not found on the PATH (Debian: apt-get install tesseract-ocr)"
    listed = subprocess.run(
        ["tesseract", "--list-langs"], capture_output=True, text=True, check=False
    ).stdout.split()
    if "ind" not in listed:
        return "tesseract has no Indonesian language (Debian: apt-get install tesseract-ocr-ind)"
    if not os.path.exists(FONT):
        return f"{FONT} not found (Debian: apt-get install fonts-dejavu-core)"
    return ""


def require_ocr() -> None:
    """Skip the calling test without OCR, or fail it when SARING_REQUIRE_OCR=1."""
    reason = missing_ocr()
    if not reason:
        return
    if os.environ.get(REQUIRE_OCR, "") == "1":
        pytest.fail(f"{reason}; {REQUIRE_OCR}=1 requires the OCR tests", pytrace=False)
    pytest.skip(reason)


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT, size)


def png_bytes(image: Image.Image, image_format: str = "PNG", **options) -> bytes:
    """The image encoded in `image_format`."""
    out = io.BytesIO()
    image.save(out, format=image_format, **options)
    return out.getvalue()


def plain_text(text: str, *, width: int = 900, size: int = 30) -> Image.Image:
    """Black text on white, wrapped to the width: a flyer or a note."""
    font = _font(size)
    lines = textwrap.wrap(text, width=int(width / (size * 0.55)))
    image = Image.new("RGB", (width, 60 + len(lines) * int(size * 1.5)), "white")
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((30, 30 + number * int(size * 1.5)), line, font=font, fill="black")
    return image


def chat_bubble(text: str, *, dark: bool = False, width: int = 720) -> Image.Image:
    """A WhatsApp-like phone screenshot: a header bar, the message in a green bubble with a
    clock time under it, on the app's patterned background (or its dark mode)."""
    colours = {
        False: {"page": "#ECE5DD", "bar": "#075E54", "bubble": "#DCF8C6", "text": "#111B21",
                "clock": "#667781", "title": "white"},
        True: {"page": "#0B141A", "bar": "#1F2C34", "bubble": "#005C4B", "text": "#E9EDEF",
               "clock": "#8696A0", "title": "#E9EDEF"},
    }[dark]  # fmt: skip
    font, small = _font(26), _font(18)
    lines = textwrap.wrap(text, width=38)
    line_height = 36
    bubble_height = 30 + len(lines) * line_height + 34
    height = 110 + 40 + bubble_height + 200
    image = Image.new("RGB", (width, height), colours["page"])
    draw = ImageDraw.Draw(image)
    for x in range(0, width, 48):  # the faint doodle pattern behind the bubbles
        for y in range(110, height, 48):
            draw.ellipse((x, y, x + 6, y + 6), outline=colours["clock"])
    draw.rectangle((0, 0, width, 110), fill=colours["bar"])
    draw.text((40, 38), "Grup RT 05 Sukun", font=_font(30), fill=colours["title"])
    top, left, right = 150, 24, width - 90
    draw.rounded_rectangle((left, top, right, top + bubble_height), 18, fill=colours["bubble"])
    for number, line in enumerate(lines):
        position = (left + 20, top + 18 + number * line_height)
        draw.text(position, line, font=font, fill=colours["text"])
    clock_top = top + bubble_height - 30
    draw.text((right - 70, clock_top), "10.42", font=small, fill=colours["clock"])
    return image
