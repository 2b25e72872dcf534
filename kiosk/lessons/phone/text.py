"""Text on the phone: the bundled font at a size, the language's text, wrapping and fitting.

Sizes are logical units; ``scale`` turns them into pixels. No text is drawn below
``SMALLEST_TEXT``.
"""

import unicodedata
from functools import lru_cache

from PIL import ImageFont

from kiosk.core.paths import FONTS_DIR
from kiosk.lessons.model import tr

# No text on the phone is drawn smaller than this (logical units). The kiosk shows the phone
# about 640 px tall on a 1366×768 screen (0.86 px per unit), so 19 units is over 16 px there:
# a status time or a tab label as readable as the rest, not 7–9 px.
SMALLEST_TEXT = 19
LINE_SPACING = 1.35


@lru_cache(maxsize=64)
def _font(size_px: int, bold: bool) -> ImageFont.FreeTypeFont:
    """The bundled Noto Sans at ``size_px`` pixels, loaded once per size."""
    name = "NotoSans-Bold.ttf" if bold else "NotoSans-Regular.ttf"
    return ImageFont.truetype(str(FONTS_DIR / name), max(1, size_px))


def font(size: float, scale: float, bold: bool = False) -> ImageFont.FreeTypeFont:
    """The font for text of logical ``size`` (at least ``SMALLEST_TEXT``) at ``scale``."""
    return _font(round(max(size, SMALLEST_TEXT) * scale), bold)


def localized(text, language: str) -> str:
    """A text object in ``language``, NFC-normalised so diacritics stack right."""
    return unicodedata.normalize("NFC", tr(text, language))


def line_step(size: float) -> float:
    """The distance between two lines of text of logical ``size``."""
    return max(size, SMALLEST_TEXT) * LINE_SPACING


def width(text: str, size: float, scale: float, bold: bool = False) -> float:
    """How wide ``text`` is, in logical units."""
    return font(size, scale, bold).getlength(text) / scale


def wrap(text: str, size: float, limit: float, scale: float, bold: bool = False) -> list[str]:
    """``text`` broken into lines no wider than ``limit`` (a too-long word is cut)."""
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and width(candidate, size, scale, bold) <= limit:
            lines[-1] = candidate
            continue
        while width(word, size, scale, bold) > limit and len(word) > 1:
            cut = next(i for i in range(len(word), 0, -1)
                       if width(word[:i], size, scale, bold) <= limit or i == 1)
            lines.append(word[:cut])
            word = word[cut:]
        lines.append(word)
    return lines or [""]


def fit(text: str, size: float, limit: float, scale: float, bold: bool = False) -> str:
    """``text`` on one line, shortened with an ellipsis if it is wider than ``limit``."""
    while text and width(text, size, scale, bold) > limit:
        text = text[:-2] + "…" if len(text) > 1 else ""
    return text
