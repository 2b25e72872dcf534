"""Printed A4 pages drawn with Pillow: text that wraps and flows from page to page, and pictures.

A document is a ``Stack`` of flowables. Each flowable knows its height for the width it was made
for and how to ``split`` itself at a given height: a paragraph between lines, a stack between (or
inside) its items, a text column beside a picture between the column's lines. ``paginate`` cuts
the stack into page-sized pieces, so long text continues on the next page and is never cut off;
a word wider than its column is broken between characters. Pictures and ``Row``s never split.
Sizes are in pixels at ``DPI``; ``pt`` and ``mm`` convert printed sizes.
"""

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from kiosk.paths import FONTS_DIR

DPI = 200
INK, PAPER = "#000000", "#ffffff"


def mm(value: float) -> int:
    return round(value / 25.4 * DPI)


def pt(value: float) -> int:
    return round(value / 72 * DPI)


PAGE_W, PAGE_H = mm(210), mm(297)
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = mm(16), mm(14), mm(22)   # the footer sits in the bottom one
FRAME_W, FRAME_H = PAGE_W - 2 * MARGIN_X, PAGE_H - MARGIN_TOP - MARGIN_BOTTOM


@lru_cache(maxsize=32)
def font(size_pt: float, bold: bool = False) -> ImageFont.FreeTypeFont:
    """The bundled Noto Sans (full Vietnamese coverage) at ``size_pt`` printed points."""
    name = "NotoSans-Bold.ttf" if bold else "NotoSans-Regular.ttf"
    return ImageFont.truetype(str(FONTS_DIR / name), pt(size_pt))


Run = tuple[str, ImageFont.FreeTypeFont]      # some text and the font it is set in


@dataclass(frozen=True)
class Line:
    """One line of words, each with its font, set left to right with single spaces."""

    words: tuple[Run, ...]
    height: int

    @property
    def text(self) -> str:
        return " ".join(word for word, _ in self.words)

    def width(self) -> float:
        return sum(f.getlength(w) for w, f in self.words) + sum(
            f.getlength(" ") for _, f in self.words[1:])

    def draw(self, draw: ImageDraw.ImageDraw, x: float, y: float, fill: str = INK) -> None:
        for index, (word, word_font) in enumerate(self.words):
            if index:
                x += word_font.getlength(" ")
            ascent, descent = word_font.getmetrics()
            draw.text((x, y + self.height - descent), word, font=word_font, fill=fill,
                      anchor="ls")
            x += word_font.getlength(word)


def _line_height(fonts) -> int:
    return max(sum(f.getmetrics()) + round(f.size * 0.12) for f in fonts)


def _pieces(word: str, word_font, width: float) -> list[str]:
    """``word`` as is if it fits ``width``, else cut into pieces that do (a long URL)."""
    pieces, current = [], ""
    for char in word:
        if current and word_font.getlength(current + char) > width:
            pieces.append(current)
            current = ""
        current += char
    return pieces + [current]


def wrap(runs: list[Run], width: float) -> list[Line]:
    """The words of ``runs`` (NFC-normalised) set in lines no wider than ``width``."""
    words = [(piece, f) for text, f in runs
             for word in unicodedata.normalize("NFC", text).split()
             for piece in _pieces(word, f, width)]
    lines, current = [], []
    for word in words:
        candidate = Line(tuple(current + [word]), 0)
        if current and candidate.width() > width:
            lines.append(Line(tuple(current), _line_height(f for _, f in current)))
            current = []
        current.append(word)
    if current:
        lines.append(Line(tuple(current), _line_height(f for _, f in current)))
    return lines


@dataclass
class Flowable:
    """Something with a height that can be placed on a page. ``split(available, force)`` returns
    (what fits in ``available`` pixels, the rest); ``force`` (the top of an empty page) asks for
    a head even if it overflows, so pagination always progresses."""

    space_before: int = field(default=0, kw_only=True)
    keep_with_next: bool = field(default=False, kw_only=True)

    def height(self) -> int:
        raise NotImplementedError

    def min_height(self) -> int:
        return self.height()

    def split(self, available: int, force: bool = False):
        return (self, None) if force or self.height() <= available else (None, self)

    def draw(self, page: Image.Image, x: int, y: int) -> None:
        raise NotImplementedError

    def lines(self) -> list[Line]:
        return []


@dataclass
class Paragraph(Flowable):
    """Wrapped lines, optionally after a bullet (hanging indent) or inside a ruled box."""

    body: list[Line]
    indent: int = 0
    bullet: str | None = None
    box: bool = False
    fill: str = INK

    PAD = pt(9)

    @classmethod
    def of(cls, runs: list[Run], width: int, **options) -> "Paragraph":
        """A paragraph of ``runs`` wrapped to fit ``width`` with its indent and box."""
        inner = width - options.get("indent", 0) - (2 * cls.PAD if options.get("box") else 0)
        return cls(wrap(runs, inner), **options)

    def _pad(self) -> int:
        return 2 * self.PAD if self.box else 0

    def height(self) -> int:
        return sum(line.height for line in self.body) + self._pad()

    def min_height(self) -> int:
        return sum(line.height for line in self.body[:2]) + self._pad()

    def split(self, available: int, force: bool = False):
        count, used = 0, self._pad()
        while count < len(self.body) and used + self.body[count].height <= available:
            used += self.body[count].height
            count += 1
        if count >= len(self.body):
            return self, None
        if count < min(2, len(self.body)) and not force:
            return None, self          # never leave a lone first line at the foot of a page
        count = max(count, 1)
        return (replace(self, body=self.body[:count]),
                replace(self, body=self.body[count:], bullet=None, space_before=0))

    def draw(self, page: Image.Image, x: int, y: int) -> None:
        draw = ImageDraw.Draw(page)
        pad = self.PAD if self.box else 0
        if self.box:
            width = max(line.width() for line in self.body) + self.indent + 2 * pad
            draw.rectangle([x, y, x + width, y + self.height()], outline=INK, width=pt(2.2))
        if self.bullet and self.body:
            first = self.body[0].words[0][1]
            Line(((self.bullet, first),), self.body[0].height).draw(draw, x + pad, y + pad)
        top = y + pad
        for line in self.body:
            line.draw(draw, x + pad + self.indent, top, self.fill)
            top += line.height

    def lines(self) -> list[Line]:
        return list(self.body)


@dataclass
class Picture(Flowable):
    """An image that is never split; ``x_offset`` places it within the frame."""

    image: Image.Image
    x_offset: int = 0

    def height(self) -> int:
        return self.image.height

    def draw(self, page: Image.Image, x: int, y: int) -> None:
        image = self.image.convert("RGBA")
        page.paste(image, (x + self.x_offset, y), image)


@dataclass
class Stack(Flowable):
    """Flowables one under another, each after its ``space_before`` (dropped at a page top)."""

    items: list[Flowable]

    def height(self) -> int:
        return sum(item.height() + (item.space_before if i else 0)
                   for i, item in enumerate(self.items))

    def min_height(self) -> int:
        if len(self.items) > 1 and self.items[0].keep_with_next:
            return self.items[0].height() + self.items[1].space_before + self.items[1].min_height()
        return self.items[0].min_height() if self.items else 0

    def split(self, available: int, force: bool = False):
        placed, used = [], 0
        for index, item in enumerate(self.items):
            gap = item.space_before if placed else 0
            following = self.items[index + 1] if index + 1 < len(self.items) else None
            need = item.height() + (following.space_before + following.min_height()
                                    if item.keep_with_next and following else 0)
            if used + gap + need <= available or (not placed and force
                                                  and used + gap + item.height() <= available):
                placed.append(item)
                used += gap + item.height()
                continue
            head, tail = ((None, item) if item.keep_with_next and (placed or not force)
                          else item.split(available - used - gap, force and not placed))
            placed += [head] if head else []
            rest = ([tail] if tail else []) + self.items[index + 1:]
            if not placed:
                return None, self
            return replace(self, items=placed), replace(self, items=rest, space_before=0)
        return self, None

    def draw(self, page: Image.Image, x: int, y: int) -> None:
        for index, item in enumerate(self.items):
            y += item.space_before if index else 0
            item.draw(page, x, y)
            y += item.height()

    def lines(self) -> list[Line]:
        return [line for item in self.items for line in item.lines()]


@dataclass
class Beside(Flowable):
    """A text ``column`` (a Stack, ``column_x`` in from the left) with a picture to its right and
    an optional ``badge`` drawn left of the column's top. Splits inside the column; the picture
    and badge stay with the first part."""

    column: Stack
    column_x: int
    picture: Image.Image | None = None
    picture_x: int = 0
    badge: Callable[[Image.Image, int, int], None] | None = None

    def height(self) -> int:
        return max(self.column.height(), self.picture.height if self.picture else 0)

    def min_height(self) -> int:
        return max(self.column.min_height(), self.picture.height if self.picture else 0)

    def split(self, available: int, force: bool = False):
        if self.height() <= available:
            return self, None
        if self.picture and self.picture.height > available and not force:
            return None, self
        head, tail = self.column.split(available, force)
        if head is None:
            return None, self
        rest = replace(self, column=tail, picture=None, badge=None, space_before=0)
        return replace(self, column=head), rest if tail else None

    def draw(self, page: Image.Image, x: int, y: int) -> None:
        if self.badge:
            self.badge(page, x, y)
        self.column.draw(page, x + self.column_x, y)
        if self.picture:
            image = self.picture.convert("RGBA")
            page.paste(image, (x + self.picture_x, y), image)

    def lines(self) -> list[Line]:
        return self.column.lines()


@dataclass
class Row(Flowable):
    """Cells side by side (each a Stack), ``cell_width`` apart; never split."""

    cells: list[Stack]
    cell_width: int

    def height(self) -> int:
        return max((cell.height() for cell in self.cells), default=0)

    def draw(self, page: Image.Image, x: int, y: int) -> None:
        for index, cell in enumerate(self.cells):
            cell.draw(page, x + index * self.cell_width, y)

    def lines(self) -> list[Line]:
        return [line for cell in self.cells for line in cell.lines()]


def paginate(document: Stack) -> list[Stack]:
    """``document`` cut into pieces of at most one page frame each, in order."""
    pages, rest = [], document
    while rest is not None and rest.items:
        head, rest = rest.split(FRAME_H, force=True)
        pages.append(head)
    return pages


def render(pages: list[Stack], footer) -> list[Image.Image]:
    """Each page drawn on white A4 at ``DPI``; ``footer(page_image, number, total)`` adds the
    footer (1-based page numbers)."""
    images = []
    for number, content in enumerate(pages, start=1):
        page = Image.new("RGB", (PAGE_W, PAGE_H), PAPER)
        content.draw(page, MARGIN_X, MARGIN_TOP)
        footer(page, number, len(pages))
        images.append(page)
    return images
