"""Printed A4 pages laid out once, in points: text that wraps and flows, pictures, drawings.

A document is a ``Stack`` of flowables. Each flowable knows its height for the width it was made
for and how to ``split`` itself at a given height: a paragraph between lines, a stack between (or
inside) its items, a text column beside a picture between the column's lines. ``paginate`` cuts
the stack into page-sized pieces. What belongs together stays together: a step (text beside its
picture), a boxed warning, a picture and a row of QR codes move whole to the next page; only
something taller than a whole page is ever split, so long text is never cut off. A word wider
than its column is broken between characters. ``render`` draws the pages on a canvas of
``kiosk.guide.canvas`` (a PDF or page images).
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from PIL import Image

from kiosk.guide.canvas import PAGE_H, PAGE_W
from kiosk.guide.text import INK, Line, Run, Style, font, text_width, wrap  # noqa: F401 (API)


def mm(value: float) -> float:
    return value / 25.4 * 72


def pt(value: float) -> float:
    return float(value)


MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = mm(16), mm(14), mm(22)   # the footer sits in the bottom one
FRAME_W, FRAME_H = PAGE_W - 2 * MARGIN_X, PAGE_H - MARGIN_TOP - MARGIN_BOTTOM


@dataclass
class Flowable:
    """Something with a height that can be placed on a page. ``split(available, force)`` returns
    (what fits in ``available`` points, the rest); ``force`` (the top of an empty page) asks for
    a head even if it overflows, so pagination always progresses. Whatever fits on one page is
    kept whole (moved to the next page if need be); only something taller than a page frame is
    split, by its ``_split``."""

    space_before: float = field(default=0, kw_only=True)
    keep_with_next: bool = field(default=False, kw_only=True)
    bookmark: tuple[str, int] | None = field(default=None, kw_only=True)  # outline name, level

    def height(self) -> float:
        raise NotImplementedError

    def min_height(self) -> float:
        """The least height of a first part of this on a page."""
        return self.height() if self.height() <= FRAME_H else 0

    def split(self, available: float, force: bool = False):
        if self.height() <= available:
            return self, None
        head, tail = (None, self) if self.height() <= FRAME_H else self._split(available, force)
        if head is None and force:
            return self, None
        return head, tail

    def _split(self, available: float, force: bool):
        """(head, rest) of something taller than a page; (None, self) if no head fits."""
        return None, self

    def draw(self, canvas, x: float, y: float) -> None:
        raise NotImplementedError

    def place(self, canvas, x: float, y: float) -> None:
        """Draw at ``(x, y)`` (top left) and mark the place in the outline if it has a name."""
        if self.bookmark:
            canvas.bookmark(*self.bookmark, y)
        self.draw(canvas, x, y)

    def lines(self) -> list[Line]:
        return []


@dataclass
class Paragraph(Flowable):
    """Wrapped lines, optionally after a bullet (hanging indent) or inside a ruled box; kept
    whole on one page unless it is taller than a page."""

    body: list[Line]
    indent: float = 0
    bullet: str | None = None
    box: bool = False
    color: str = INK

    PAD = 9.0

    @classmethod
    def of(cls, runs: list[Run], width: float, **options) -> "Paragraph":
        """A paragraph of ``runs`` wrapped to fit ``width`` with its indent and box."""
        inner = width - options.get("indent", 0) - (2 * cls.PAD if options.get("box") else 0)
        return cls(wrap(runs, inner), **options)

    def _pad(self) -> float:
        return 2 * self.PAD if self.box else 0

    def height(self) -> float:
        return sum(line.height for line in self.body) + self._pad()

    def min_height(self) -> float:
        return self.height() if self.height() <= FRAME_H else self.body[0].height + self._pad()

    def _split(self, available: float, force: bool):
        """Between lines: as many as fit (one at least if ``force``), the rest without its
        bullet."""
        count, used = 0, self._pad()
        while count < len(self.body) and used + self.body[count].height <= available:
            used += self.body[count].height
            count += 1
        count = max(count, 1 if force else 0)
        if count == 0:
            return None, self
        return (replace(self, body=self.body[:count]),
                replace(self, body=self.body[count:], bullet=None, space_before=0,
                        bookmark=None))

    def draw(self, canvas, x: float, y: float) -> None:
        pad = self.PAD if self.box else 0
        if self.box:
            width = max(line.width() for line in self.body) + self.indent + 2 * pad
            canvas.rect(x, y, width, self.height(), stroke=INK, width=2.2)
        if self.bullet and self.body:
            first = self.body[0].words[0][1]
            Line(((self.bullet, first),), self.body[0].height).draw(canvas, x + pad, y + pad)
        top = y + pad
        for line in self.body:
            line.draw(canvas, x + pad + self.indent, top, self.color)
            top += line.height

    def lines(self) -> list[Line]:
        return list(self.body)


@dataclass
class Picture(Flowable):
    """An image placed ``width``×``picture_h`` points, ``x_offset`` in; ``alt`` describes it."""

    image: Image.Image
    width: float
    picture_h: float
    alt: str = ""
    x_offset: float = 0

    def height(self) -> float:
        return self.picture_h

    def draw(self, canvas, x: float, y: float) -> None:
        canvas.image(self.image, x + self.x_offset, y, self.width, self.picture_h, self.alt)


@dataclass
class Drawing(Flowable):
    """Vector shapes ``paint(canvas, x, y)`` within ``size`` points square; never split."""

    size: float
    paint: Callable = None

    def height(self) -> float:
        return self.size

    def draw(self, canvas, x: float, y: float) -> None:
        self.paint(canvas, x, y)


@dataclass
class Stack(Flowable):
    """Flowables one under another, each after its ``space_before`` (dropped at a page top)."""

    items: list[Flowable]

    def height(self) -> float:
        return sum(item.height() + (item.space_before if i else 0)
                   for i, item in enumerate(self.items))

    def min_height(self) -> float:
        if len(self.items) > 1 and self.items[0].keep_with_next:
            return self.items[0].height() + self.items[1].space_before + self.items[1].min_height()
        return self.items[0].min_height() if self.items else 0

    def split(self, available: float, force: bool = False):
        placed, used = [], 0.0
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
            if not rest:
                return replace(self, items=placed), None
            return (replace(self, items=placed),
                    replace(self, items=rest, space_before=0, bookmark=None))
        return self, None

    def draw(self, canvas, x: float, y: float) -> None:
        for index, item in enumerate(self.items):
            y += item.space_before if index else 0
            item.place(canvas, x, y)
            y += item.height()

    def lines(self) -> list[Line]:
        return [line for item in self.items for line in item.lines()]


@dataclass
class Beside(Flowable):
    """A text ``column`` (a Stack, ``column_x`` in from the left) with a ``picture`` to its right
    and an optional ``badge(canvas, x, y)`` drawn left of the column's top. Kept whole on one
    page; only a step taller than a page splits inside its column (picture and badge stay with
    the first part)."""

    column: Stack
    column_x: float
    picture: Picture | None = None
    picture_x: float = 0
    badge: Callable | None = None

    def height(self) -> float:
        return max(self.column.height(), self.picture.height() if self.picture else 0)

    def min_height(self) -> float:
        picture = self.picture.height() if self.picture else 0
        return super().min_height() or max(picture, self.column.min_height())

    def _split(self, available: float, force: bool):
        if self.picture and self.picture.height() > available and not force:
            return None, self
        head, tail = self.column.split(available, force)
        if head is None:
            return None, self
        rest = replace(self, column=tail, picture=None, badge=None, space_before=0,
                       bookmark=None)
        return replace(self, column=head), rest if tail else None

    def draw(self, canvas, x: float, y: float) -> None:
        if self.badge:
            self.badge(canvas, x, y)
        self.column.place(canvas, x + self.column_x, y)
        if self.picture:
            self.picture.place(canvas, x + self.picture_x, y)

    def lines(self) -> list[Line]:
        return self.column.lines()


@dataclass
class Row(Flowable):
    """Cells side by side (each a Stack), ``cell_width`` apart; never split."""

    cells: list[Stack]
    cell_width: float

    def height(self) -> float:
        return max((cell.height() for cell in self.cells), default=0)

    def draw(self, canvas, x: float, y: float) -> None:
        for index, cell in enumerate(self.cells):
            cell.place(canvas, x + index * self.cell_width, y)

    def lines(self) -> list[Line]:
        return [line for cell in self.cells for line in cell.lines()]


def paginate(document: Stack) -> list[Stack]:
    """``document`` cut into pieces of at most one page frame each, in order."""
    pages, rest = [], document
    while rest is not None and rest.items:
        head, rest = rest.split(FRAME_H, force=True)
        pages.append(head)
    return pages


def render(pages: list[Stack], canvas, footer) -> None:
    """Each page drawn on ``canvas`` (a new page each); ``footer(canvas, number, total)`` adds
    the footer (1-based page numbers)."""
    for number, content in enumerate(pages, start=1):
        canvas.start_page()
        content.place(canvas, MARGIN_X, MARGIN_TOP)
        footer(canvas, number, len(pages))
