"""Printed text measured and set in lines: the bundled Noto Sans's own advance widths, in points.

Widths come from the font file itself (no hinting, no kerning), the same widths a PDF viewer
uses for the embedded font, so a line that fits here fits on paper and in the page images.
"""

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kiosk.core.paths import FONTS_DIR

INK = "#000000"


def font_file(bold: bool = False) -> Path:
    """The bundled Noto Sans (full Vietnamese coverage), regular or bold."""
    return FONTS_DIR / ("NotoSans-Bold.ttf" if bold else "NotoSans-Regular.ttf")


@dataclass(frozen=True)
class FontMetrics:
    """Advance widths (font units by code point), units per em, ascent and descent (> 0)."""

    advances: dict[int, int]
    missing: int
    units: int
    ascent: int
    descent: int


@lru_cache(maxsize=2)
def metrics(bold: bool = False) -> FontMetrics:
    """The measurements of the regular or bold font, read once from the font file."""
    from fontTools.ttLib import TTFont

    with TTFont(str(font_file(bold)), lazy=True) as face:
        hmtx = face["hmtx"].metrics
        advances = {code: hmtx[glyph][0] for code, glyph in face.getBestCmap().items()}
        return FontMetrics(advances, hmtx[".notdef"][0], face["head"].unitsPerEm,
                           face["hhea"].ascent, -face["hhea"].descent)


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The printed width of ``text`` (NFC) in points at ``size`` points."""
    m = metrics(bold)
    return sum(m.advances.get(ord(char), m.missing) for char in text) * size / m.units


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@dataclass(frozen=True)
class Style:
    size: float
    bold: bool = False


def font(size: float, bold: bool = False) -> Style:
    """The bundled Noto Sans at ``size`` points, regular or bold."""
    return Style(size, bold)


Run = tuple[str, Style]          # some text and the style it is set in


def _width(text: str, style: Style) -> float:
    return text_width(text, style.size, style.bold)


@dataclass(frozen=True)
class Line:
    """One line of words, each with its style, set left to right with single spaces."""

    words: tuple[Run, ...]
    height: float

    @property
    def text(self) -> str:
        return " ".join(word for word, _ in self.words)

    def width(self) -> float:
        return sum(_width(w, s) for w, s in self.words) + sum(
            _width(" ", s) for _, s in self.words[1:])

    def draw(self, canvas, x: float, y: float, color: str = INK) -> None:
        """The words with their top at ``y``; same-style neighbours go out as one string."""
        descent = max(metrics(s.bold).descent / metrics(s.bold).units * s.size
                      for _, s in self.words)
        baseline = y + self.height - descent
        index = 0
        while index < len(self.words):
            style, end = self.words[index][1], index + 1
            while end < len(self.words) and self.words[end][1] == style:
                end += 1
            text = " ".join(word for word, _ in self.words[index:end])
            canvas.text(x, baseline, text, style.size, style.bold, color)
            x += _width(text, style) + (_width(" ", self.words[end][1])
                                         if end < len(self.words) else 0)
            index = end


def _line_height(styles) -> float:
    def one(s: Style) -> float:
        m = metrics(s.bold)
        return (m.ascent + m.descent) / m.units * s.size + 0.12 * s.size
    return max(one(s) for s in styles)


def _pieces(word: str, style: Style, width: float) -> list[str]:
    """``word`` as is if it fits ``width``, else cut into pieces that do (a long URL)."""
    if _width(word, style) <= width:
        return [word]
    pieces, current = [], ""
    for char in word:
        if current and _width(current + char, style) > width:
            pieces.append(current)
            current = ""
        current += char
    return pieces + [current]


def wrap(runs: list[Run], width: float) -> list[Line]:
    """The words of ``runs`` (NFC-normalised) set in lines no wider than ``width``."""
    words = [(piece, s) for text, s in runs for word in nfc(text).split()
             for piece in _pieces(word, s, width)]
    lines, current, used = [], [], 0.0
    for word in words:
        extra = _width(word[0], word[1]) + (_width(" ", word[1]) if current else 0)
        if current and used + extra > width:
            lines.append(Line(tuple(current), _line_height(s for _, s in current)))
            current, used, extra = [], 0.0, _width(word[0], word[1])
        current.append(word)
        used += extra
    if current:
        lines.append(Line(tuple(current), _line_height(s for _, s in current)))
    return lines


