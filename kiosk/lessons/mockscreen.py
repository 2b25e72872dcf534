"""Mock phone screens: a lesson step's declarative ``screen`` drawn as a picture of a generic phone.

Pure Pillow, no Qt. Everything is laid out in logical units (a 360×740 phone) and multiplied by
``scale`` when drawn. The element whose ``id`` is the step's target gets an orange outline and a
pointing arrow; its box is returned so the caller can, e.g., zoom or announce it.
``cached_render`` keeps rendered PNGs in a cache folder keyed by everything that affects them.
"""

import hashlib
import json
import os
import tempfile
import unicodedata
import zlib
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageColor, ImageDraw, ImageFont
from PIL.PngImagePlugin import PngInfo

from kiosk.lessons.model import tr
from kiosk.core.paths import FONTS_DIR

RENDERER_VERSION = 3  # raise whenever the drawing changes, so cached pictures are redrawn
# No text on the phone is drawn smaller than this (logical units). The kiosk shows the phone
# about 640 px tall on a 1366×768 screen (0.86 px per unit), so 19 units is over 16 px there:
# a status time or a tab label as readable as the rest, not 7–9 px.
SMALLEST_TEXT = 19
Box = tuple[int, int, int, int]

W, H, BEZEL = 360, 740, 10                       # the phone, and its dark frame
SW, SH = W - 2 * BEZEL, H - 2 * BEZEL            # the screen inside the frame
STATUS_H, BAR_H, TABS_H, HOME_H = 30, 56, 62, 20
CONTENT_TOP = STATUS_H + BAR_H
PAD, GAP = 18, 14                                # side margin, space between elements
CW = SW - 2 * PAD                                # content width
BG, PANEL, INK, MUTED, LINE = "#f4f5f7", "#ffffff", "#1f2328", "#5b6470", "#c9ced6"
HIGHLIGHT = "#ff6d00"
TONES = {"danger": ("#fdecea", "#c62828", "#7f1d1d", "!"),   # fill, edge, text, sign
         "info": ("#e6f0fc", "#1565c0", "#0d3c75", "i")}
ICON_COLORS = ("#1e88e5", "#43a047", "#8e24aa", "#f4511e", "#00897b", "#5e35b1", "#6d4c41")
BOX_KEY = "kiosk-target-box"
_MISSING = object()


@lru_cache(maxsize=64)
def _font(size_px: int, bold: bool) -> ImageFont.FreeTypeFont:
    """The bundled Noto Sans at ``size_px`` pixels, loaded once per size."""
    name = "NotoSans-Bold.ttf" if bold else "NotoSans-Regular.ttf"
    return ImageFont.truetype(str(FONTS_DIR / name), max(1, size_px))


@lru_cache(maxsize=1)
def _app_colors() -> dict[str, str]:
    """App id → colour from ``apps.json`` (so a grid tile with an app's id wears its colour)."""
    try:
        from kiosk.lessons.library import load_apps
        return {app_id: app.color for app_id, app in load_apps().items()}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _rgb(color: str) -> tuple[int, int, int]:
    return ImageColor.getrgb(color)[:3]


def _on_color(color: str) -> str:
    """White or ink: whichever reads better on ``color``."""
    r, g, b = _rgb(color)
    return INK if (0.299 * r + 0.587 * g + 0.114 * b) > 170 else "#ffffff"


def _shade(color: str, factor: float) -> tuple[int, int, int]:
    return tuple(round(c * factor) for c in _rgb(color))


class _Painter:
    """Draws on ``image`` in logical units (times ``scale``) and remembers the boxes of ids."""

    def __init__(self, image: Image.Image, scale: float, language: str, accent: str):
        self.image, self.scale, self.language, self.accent = image, scale, language, accent
        self.draw = ImageDraw.Draw(image)
        self.boxes: dict[str, tuple[float, float, float, float]] = {}
        self.taps: dict[str, tuple[float, float]] = {}   # where a finger goes, if not the default

    def s(self, value: float) -> int:
        return round(value * self.scale)

    def t(self, text) -> str:
        """A text object in the painter's language, NFC-normalised so diacritics stack right."""
        return unicodedata.normalize("NFC", tr(text, self.language))

    def font(self, size: float, bold: bool = False) -> ImageFont.FreeTypeFont:
        return _font(self.s(max(size, SMALLEST_TEXT)), bold)

    def width(self, text: str, size: float, bold: bool = False) -> float:
        return self.font(size, bold).getlength(text) / self.scale

    def mark(self, ident, box, tap: tuple[float, float] | None = None) -> None:
        """Remember the box of ``ident`` (if any), and where on it a finger would tap."""
        if ident:
            self.boxes[str(ident)] = box
            if tap:
                self.taps[str(ident)] = tap

    def rect(self, box, fill=None, outline=None, width: float = 1, radius: float = 0) -> None:
        self.draw.rounded_rectangle([self.s(v) for v in box], radius=self.s(radius), fill=fill,
                                    outline=outline, width=max(1, self.s(width)))

    def circle(self, cx, cy, r, fill=None, outline=None, width: float = 1) -> None:
        self.draw.ellipse([self.s(cx - r), self.s(cy - r), self.s(cx + r), self.s(cy + r)],
                          fill=fill, outline=outline, width=max(1, self.s(width)))

    def line(self, points, fill, width: float) -> None:
        self.draw.line([(self.s(x), self.s(y)) for x, y in points], fill=fill,
                       width=max(1, self.s(width)), joint="curve")

    def text(self, x, y, text, size, *, bold=False, fill=INK, anchor="la") -> None:
        self.draw.text((self.s(x), self.s(y)), text, font=self.font(size, bold), fill=fill,
                       anchor=anchor)

    def wrap(self, text: str, size: float, width: float, bold: bool = False) -> list[str]:
        """``text`` broken into lines no wider than ``width`` (a too-long word is cut)."""
        lines: list[str] = []
        for word in text.split():
            candidate = f"{lines[-1]} {word}" if lines else word
            if lines and self.width(candidate, size, bold) <= width:
                lines[-1] = candidate
                continue
            while self.width(word, size, bold) > width and len(word) > 1:
                cut = next(i for i in range(len(word), 0, -1)
                           if self.width(word[:i], size, bold) <= width or i == 1)
                lines.append(word[:cut])
                word = word[cut:]
            lines.append(word)
        return lines or [""]

    def fit(self, text: str, size: float, width: float, bold: bool = False) -> str:
        """``text`` on one line, shortened with an ellipsis if it is wider than ``width``."""
        while text and self.width(text, size, bold) > width:
            text = text[:-2] + "…" if len(text) > 1 else ""
        return text

    def paragraph(self, x, y, text, size, width, *, bold=False, fill=INK, center=False,
                  max_lines: int = 99) -> float:
        """Draw wrapped ``text`` from top ``y`` (centred on ``x`` if ``center``); return bottom."""
        lines = self.wrap(text, size, width, bold)[:max_lines]
        step = max(size, SMALLEST_TEXT) * 1.35
        for i, line in enumerate(lines):
            anchor = "ma" if center else "la"
            self.text(x, y + i * step, line, size, bold=bold, fill=fill, anchor=anchor)
        return y + len(lines) * step


# --- one function per element type: draw at top ``y`` (content coordinates), return the bottom ---

def _heading(p: _Painter, el: dict, y: float) -> float:
    bottom = p.paragraph(PAD, y, p.t(el.get("text")), 23, CW, bold=True)
    p.mark(el.get("id"), (PAD, y, SW - PAD, bottom))
    return bottom


def _text(p: _Painter, el: dict, y: float) -> float:
    bottom = p.paragraph(PAD, y, p.t(el.get("text")), 17, CW, fill=MUTED)
    p.mark(el.get("id"), (PAD, y, SW - PAD, bottom))
    return bottom


def _field(p: _Painter, el: dict, y: float) -> float:
    top = p.paragraph(PAD, y, p.t(el.get("label")), 15, CW, fill=MUTED) + 6
    box = (PAD, top, SW - PAD, top + 52)
    p.rect(box, fill=PANEL, outline=LINE, width=1.5, radius=10)
    value = p.t(el.get("value"))
    if el.get("secret"):
        for i in range(min(len(value), 20)):
            p.circle(PAD + 22 + i * 18, top + 26, 5, fill=INK)
    else:
        p.text(PAD + 16, top + 26, p.fit(value, 18, CW - 32), 18, anchor="lm")
    p.mark(el.get("id"), box)
    return box[3]


def _button(p: _Painter, el: dict, y: float) -> float:
    lines = p.wrap(p.t(el.get("label")), 18, CW - 44, bold=True)
    box = (PAD, y, SW - PAD, y + max(54, len(lines) * 24.3 + 26))
    if el.get("style") == "secondary":
        p.rect(box, fill=PANEL, outline=p.accent, width=2, radius=27)
        ink = p.accent
    else:
        p.rect(box, fill=p.accent, radius=27)
        ink = _on_color(p.accent)
    first = (box[1] + box[3]) / 2 - (len(lines) - 1) * 12.15
    for i, line in enumerate(lines):
        p.text(SW / 2, first + i * 24.3, line, 18, bold=True, fill=ink, anchor="mm")
    text_right = SW / 2 + max(p.width(line, 18, True) for line in lines) / 2
    tap_x = min(SW - PAD - 26, max(SW - PAD - 43, text_right + 22))   # beside the label if it can
    p.mark(el.get("id"), box, (tap_x, (box[1] + box[3]) / 2))
    return box[3]


def _link(p: _Painter, el: dict, y: float) -> float:
    lines = p.wrap(p.t(el.get("label")), 17, CW)
    for i, line in enumerate(lines):
        top = y + i * 23
        p.text(PAD, top, line, 17, fill=p.accent)
        p.line([(PAD, top + 21), (PAD + p.width(line, 17), top + 21)], p.accent, 1.3)
    right = PAD + max(p.width(line, 17) for line in lines)
    p.mark(el.get("id"), (PAD - 4, y - 4, right + 4, y + len(lines) * 23 + 2))
    return y + len(lines) * 23


def _rows(p: _Painter, el: dict, y: float, extra: int, draw_end) -> float:
    """A white panel of rows (menu items, a toggle); ``draw_end`` draws each row's right end."""
    items = el.get("items") or [el]
    heights = [max(56, len(p.wrap(p.t(item.get("label")), 17, CW - extra)) * 23 + 26)
               for item in items]
    p.rect((PAD, y, SW - PAD, y + sum(heights)), fill=PANEL, outline=LINE, radius=12)
    for item, height in zip(items, heights):
        lines = p.wrap(p.t(item.get("label")), 17, CW - extra)
        first = y + height / 2 - (len(lines) - 1) * 11.5
        for i, line in enumerate(lines):
            p.text(PAD + 16, first + i * 23, line, 17, anchor="lm")
        draw_end(item, y + height / 2)
        tap = (SW - PAD - 43, y + height / 2)
        if item is not items[-1]:
            p.line([(PAD + 16, y + height), (SW - PAD, y + height)], LINE, 1)
        p.mark(item.get("id"), (PAD, y, SW - PAD, y + height), tap)
        y += height
    return y


def _menu(p: _Painter, el: dict, y: float) -> float:
    chevron = lambda item, cy: p.text(SW - PAD - 16, cy, "›", 28, fill=MUTED, anchor="rm")
    return _rows(p, el, y, 56, chevron)


def _toggle(p: _Painter, el: dict, y: float) -> float:
    def switch(item, cy):
        on = bool(item.get("on"))
        x0 = SW - PAD - 16 - 54
        p.rect((x0, cy - 16, x0 + 54, cy + 16), fill=p.accent if on else "#b7bec8", radius=16)
        p.circle(x0 + (38 if on else 16), cy, 12, fill="#ffffff")
    return _rows(p, el, y, 100, switch)


def _grid(p: _Painter, el: dict, y: float) -> float:
    cell, colors = CW / 3, _app_colors()
    items = el.get("items") or []
    for row in range(0, len(items), 3):
        for col, item in enumerate(items[row:row + 3]):
            cx, ident = PAD + cell * (col + 0.5), str(item.get("id", ""))
            color = colors.get(ident) or ICON_COLORS[zlib.crc32(ident.encode()) % len(ICON_COLORS)]
            p.rect((cx - 34, y + 6, cx + 34, y + 74), fill=color, radius=18)
            label = p.t(item.get("label"))
            letter = next((c for c in label if c.isalnum()), "?").upper()
            p.text(cx, y + 40, letter, 32, bold=True, fill=_on_color(color), anchor="mm")
            bottom = p.paragraph(cx, y + 80, label, 14, cell - 8, center=True, max_lines=2)
            p.mark(item.get("id"), (cx - cell / 2 + 4, y, cx + cell / 2 - 4, bottom + 4))
        y += 80 + 2 * 14 * 1.35 + 12
    return y


def _code(p: _Painter, el: dict, y: float) -> float:
    digits = min(8, max(1, int(el.get("digits", 6))))
    filled = min(digits, max(0, int(el.get("filled", 0))))
    size = min(46, (CW - 8 * (digits - 1)) / digits)
    x = SW / 2 - (digits * size + 8 * (digits - 1)) / 2
    for i in range(digits):
        box = (x + i * (size + 8), y, x + i * (size + 8) + size, y + 58)
        current = i == filled
        p.rect(box, fill=PANEL, outline=p.accent if current else LINE,
               width=2.5 if current else 1.5, radius=10)
        if i < filled:
            p.text((box[0] + box[2]) / 2, y + 29, "1234567890"[i % 10], 26, bold=True, anchor="mm")
    tap_x = x + min(filled, digits - 1) * (size + 8) + size / 2
    p.mark(el.get("id"), (x, y, SW - x, y + 58), (tap_x, y + 29))
    return y + 58


def _message(p: _Painter, el: dict, y: float) -> float:
    p.text(PAD + 4, y, p.t(el.get("sender")), 14, bold=True, fill=MUTED)
    lines = p.wrap(p.t(el.get("text")), 17, CW * 0.8 - 32)
    width = max(p.width(line, 17) for line in lines) + 32
    top = y + 24
    bottom = top + len(lines) * 23 + 22
    p.rect((PAD, top, PAD + width, bottom), fill="#e3e7ed", radius=18)
    for i, line in enumerate(lines):
        p.text(PAD + 16, top + 11 + i * 23, line, 17)
    p.mark(el.get("id"), (PAD, y, PAD + width, bottom))
    return bottom


def _card(p: _Painter, el: dict, y: float) -> float:
    """A white card with a coloured header band holding the title, and its lines below."""
    title = p.wrap(p.t(el.get("title")), 18, CW - 36, bold=True)
    band = y + len(title) * 24.3 + 22
    lines = [line for text in el.get("lines") or [] for line in p.wrap(p.t(text), 16, CW - 36)]
    step = SMALLEST_TEXT * 1.35  # the lines are drawn at the smallest size, 19 not 16
    box = (PAD, y, SW - PAD, band + len(lines) * step + (24 if lines else 4))
    p.rect(box, fill=PANEL, outline=LINE, radius=14)
    p.rect((PAD, y, SW - PAD, band), fill=p.accent, radius=14)
    p.rect((PAD, band - 14, SW - PAD, band), fill=p.accent)
    for i, line in enumerate(title):
        p.text(PAD + 18, y + 11 + i * 24.3, line, 18, bold=True, fill=_on_color(p.accent))
    for i, line in enumerate(lines):
        p.text(PAD + 18, band + 12 + i * step, line, 16, fill=INK if i == 0 else MUTED)
    p.mark(el.get("id"), box)
    return box[3]


def _photo(p: _Painter, el: dict, y: float) -> float:
    """A dark camera viewfinder with corner marks and a camera sign, its caption below."""
    box = (PAD, y, SW - PAD, y + 170)
    p.rect(box, fill="#263238", radius=14)
    for (cx, cy), (dx, dy) in zip([(box[0] + 18, y + 18), (box[2] - 18, y + 18),
                                   (box[0] + 18, y + 152), (box[2] - 18, y + 152)],
                                  [(1, 1), (-1, 1), (1, -1), (-1, -1)]):
        p.line([(cx, cy + 24 * dy), (cx, cy), (cx + 24 * dx, cy)], "#ffffff", 4)
    p.rect((SW / 2 - 26, y + 68, SW / 2 + 26, y + 106), outline="#90a4ae", width=3, radius=7)
    p.rect((SW / 2 - 10, y + 61, SW / 2 + 10, y + 68), fill="#90a4ae", radius=2)
    p.circle(SW / 2, y + 87, 10, outline="#90a4ae", width=3)
    bottom = p.paragraph(SW / 2, y + 178, p.t(el.get("label")), 15, CW, fill=MUTED, center=True)
    p.mark(el.get("id"), (PAD, y, SW - PAD, bottom + 2), (SW / 2, y + 87))
    return bottom


def _alert(p: _Painter, el: dict, y: float) -> float:
    fill, edge, ink, sign = TONES.get(el.get("tone"), TONES["danger"])
    lines = p.wrap(p.t(el.get("text")), 16, CW - 68)
    box = (PAD, y, SW - PAD, y + max(60, len(lines) * 21.6 + 26))
    p.rect(box, fill=fill, outline=edge, width=1.5, radius=12)
    p.circle(PAD + 26, y + 28, 13, fill=edge)
    p.text(PAD + 26, y + 28, sign, 18, bold=True, fill="#ffffff", anchor="mm")
    p.paragraph(PAD + 52, y + 13, p.t(el.get("text")), 16, CW - 68, fill=ink)
    p.mark(el.get("id"), box)
    return box[3]


ELEMENTS = {"heading": _heading, "text": _text, "field": _field, "button": _button, "link": _link,
            "menu": _menu, "grid": _grid, "code": _code, "message": _message, "card": _card,
            "toggle": _toggle, "photo": _photo, "alert": _alert}  # "tabs" is fixed: see _tabs


# --- the fixed parts of the screen, in screen coordinates ---

def _status_bar(p: _Painter, color: str) -> None:
    """Time, a camera hole, signal bars and a battery on a darker shade of the bar colour."""
    ink = _on_color(color)
    p.rect((0, 0, SW, STATUS_H), fill=_shade(color, 0.8))
    p.text(24, 15, "9:41", 14, bold=True, fill=ink, anchor="lm")
    p.circle(SW / 2, 15, 6, fill="#0d0f12")
    for i in range(4):
        p.rect((SW - 84 + i * 6, 21 - 3 * (i + 1), SW - 80 + i * 6, 21), fill=ink)
    p.rect((SW - 54, 9, SW - 30, 21), outline=ink, width=1.5, radius=3)
    p.rect((SW - 51, 12, SW - 38, 18), fill=ink)
    p.rect((SW - 29, 13, SW - 27, 17), fill=ink)


def _top_bar(p: _Painter, screen: dict, color: str) -> None:
    """The coloured bar with the screen's title and, if ``back``, a back arrow."""
    ink, mid = _on_color(color), STATUS_H + BAR_H / 2
    p.rect((0, STATUS_H, SW, CONTENT_TOP), fill=color)
    x = 20
    if screen.get("back"):
        p.line([(20, mid), (40, mid)], ink, 3)
        p.line([(29, mid - 9), (20, mid), (29, mid + 9)], ink, 3)
        x = 56
    p.text(x, mid, p.fit(p.t(screen.get("title")), 20, SW - x - 16, True), 20, bold=True,
           fill=ink, anchor="lm")


def _tabs(p: _Painter, el: dict) -> None:
    """The tab bar fixed above the home indicator; the first tab is the current one."""
    items, top = el.get("items") or [], SH - HOME_H - TABS_H
    p.rect((0, top, SW, SH), fill=PANEL)
    p.line([(0, top), (SW, top)], LINE, 1)
    cell = SW / max(1, len(items))
    for i, item in enumerate(items):
        cx, ink = cell * (i + 0.5), p.accent if i == 0 else MUTED
        p.rect((cx - 11, top + 10, cx + 11, top + 30), outline=ink, width=2, radius=6)
        p.text(cx, top + 36, p.fit(p.t(item.get("label")), 13, cell - 6), 13, fill=ink,
               anchor="ma")
        p.mark(item.get("id"), (cx - cell / 2 + 2, top + 4, cx + cell / 2 - 2, top + TABS_H - 4))


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _arrow_spot(box, tap, obstacles, floor: float):
    """Where a 56-long arrow can point at ``box`` (below, else above; under ``tap`` if given)
    covering nothing else: ``(tip x, tip y, 1 up / -1 down)``, or ``None`` if there is no room."""
    x0, y0, x1, y1 = box[0] - 7, box[1] - 7, box[2] + 7, box[3] + 7
    blockers = [b for b in obstacles if not _overlaps(b, box)]
    first = tap[0] if tap else min(max(x1 - 40, (x0 + x1) / 2), SW - 30)
    for tip_x in (min(max(first, 30), SW - 30), (x0 + x1) / 2):
        for sign, tip_y in ((1, y1 + 2), (-1, y0 - 2)):
            area = (tip_x - 22, min(tip_y, tip_y + sign * 56), tip_x + 22,
                    max(tip_y, tip_y + sign * 56))
            if CONTENT_TOP <= area[1] and area[3] <= floor and \
                    not any(_overlaps(area, b) for b in blockers):
                return tip_x, tip_y, sign
    return None


def _highlight(p: _Painter, box, tap, obstacles, floor: float) -> None:
    """A thick orange outline (white-edged, visible on any colour) around ``box``, and an arrow
    pointing at it where there is room, else a "tap here" fingertip at ``tap`` (default: on its
    right-hand part)."""
    x0, y0, x1, y1 = box[0] - 7, box[1] - 7, box[2] + 7, box[3] + 7
    p.rect((x0, y0, x1, y1), outline="#ffffff", width=9, radius=16)
    p.rect((x0 + 1.5, y0 + 1.5, x1 - 1.5, y1 - 1.5), outline=HIGHLIGHT, width=6, radius=15)
    spot = _arrow_spot(box, tap, obstacles, floor)
    if spot:
        tip_x, tip_y, sign = spot
        arrow = [(0, 0), (20, 24), (8, 24), (8, 54), (-8, 54), (-8, 24), (-20, 24)]
        points = [(p.s(tip_x + dx), p.s(tip_y + sign * dy)) for dx, dy in arrow]
        p.draw.polygon(points, fill=HIGHLIGHT, outline="#ffffff", width=max(1, p.s(2.5)))
        return
    _touch(p, *(tap or (box[2] - 30 if box[2] - box[0] > 120 else (box[0] + box[2]) / 2,
                        (box[1] + box[3]) / 2)))


def _touch(p: _Painter, cx: float, cy: float) -> None:
    """A see-through orange fingertip with a solid rim: "tap here", without hiding what is under."""
    overlay = Image.new("RGBA", p.image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for r, fill, rim, width in ((23.5, None, (255, 255, 255, 255), 2.5),
                                (21, (255, 109, 0, 120), (255, 109, 0, 255), 4)):
        draw.ellipse([p.s(cx - r), p.s(cy - r), p.s(cx + r), p.s(cy + r)], fill=fill,
                     outline=rim, width=max(1, p.s(width)))
    p.image.paste(overlay, (0, 0), overlay)


def _layout(screen: dict, p: _Painter) -> list:
    """Draw the flowing elements top to bottom on ``p``; return each one's extent."""
    y, extents = 18.0, []
    for el in screen.get("elements") or []:
        draw = ELEMENTS.get(el.get("type")) if isinstance(el, dict) else None
        if draw:
            bottom = draw(p, el, y)
            extents.append((PAD, y, SW - PAD, bottom))
            y = bottom + GAP
    return extents


def _shift(box, scroll: float, view_h: float):
    """A content box in screen coordinates, clipped to the view; ``None`` if out of view."""
    top, bottom = box[1] - scroll, box[3] - scroll
    if bottom <= 0 or top >= view_h:
        return None
    return box[0], max(top, 0) + CONTENT_TOP, box[2], min(bottom, view_h) + CONTENT_TOP


def _content(screen: dict, target, view_h: float, scale, language, accent):
    """The content area as an image, scrolled so the target shows; its id boxes and element
    extents (only those in view) and tap points, in screen coordinates."""
    tall = _Painter(Image.new("RGB", (round(SW * scale), round(view_h * 3 * scale)), BG),
                    scale, language, accent)
    extents = _layout(screen, tall)
    scroll = 0.0
    if target in tall.boxes and tall.boxes[target][3] > view_h - 24:
        top, bottom = tall.boxes[target][1], tall.boxes[target][3]
        scroll = max(0.0, min(top - 24, bottom - view_h + 24, view_h * 2))
    top_px = min(tall.s(scroll), tall.image.height - tall.s(view_h))
    image = tall.image.crop((0, top_px, tall.image.width, top_px + tall.s(view_h)))
    boxes = {k: _shift(b, scroll, view_h) for k, b in tall.boxes.items()}
    shown = [_shift(b, scroll, view_h) for b in extents]
    taps = {k: (x, y - scroll + CONTENT_TOP) for k, (x, y) in tall.taps.items()}
    return image, {k: b for k, b in boxes.items() if b}, [b for b in shown if b], taps


def render_screen(screen: dict, *, language: str, app_color: str, target: str | None,
                  scale: float = 1.0, highlight: bool = True) -> tuple[Image.Image, Box | None]:
    """Draw ``screen`` as an RGBA phone picture (360×740 times ``scale``, transparent corners).

    Returns the picture and the target's visible box ``(left, top, right, bottom)`` in image
    pixels, or ``None`` if there is no target or no visible element or item has that id. With
    ``highlight=False`` the target is not marked (for practice) but the layout and box are the
    same as with it.
    """
    color = screen.get("color") or app_color
    p = _Painter(Image.new("RGB", (round(SW * scale), round(SH * scale)), BG), scale, language,
                 color)
    tabs = next((el for el in screen.get("elements") or [] if isinstance(el, dict)
                 and el.get("type") == "tabs"), None)
    view_h = SH - HOME_H - CONTENT_TOP - (TABS_H if tabs else 0)
    content, p.boxes, extents, taps = _content(screen, target, view_h, scale, language, color)
    p.image.paste(content, (0, p.s(CONTENT_TOP)))
    _status_bar(p, color)
    _top_bar(p, screen, color)
    if tabs:
        _tabs(p, tabs)
    p.rect((SW / 2 - 55, SH - 11, SW / 2 + 55, SH - 6), fill="#9aa1ab", radius=3)
    box = p.boxes.get(target) if target else None
    if box and highlight:
        tap = taps.get(target) or p.taps.get(target)
        _highlight(p, box, tap, extents + list(p.boxes.values()), CONTENT_TOP + view_h)
    return _frame(p.image, scale), _pixels(box, scale) if box else None


def _frame(screen_image: Image.Image, scale: float) -> Image.Image:
    """The screen set into a dark rounded phone body on a transparent background."""
    image = Image.new("RGBA", (round(W * scale), round(H * scale)), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle([0, 0, image.width - 1, image.height - 1], radius=round(50 * scale),
                           fill="#1b1e23", outline="#3b414b", width=max(1, round(2 * scale)))
    mask = Image.new("L", screen_image.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle([0, 0, mask.width - 1, mask.height - 1],
                                           radius=round(40 * scale), fill=255)
    image.paste(screen_image, (round(BEZEL * scale), round(BEZEL * scale)), mask)
    return image


def _pixels(box, scale: float) -> Box:
    return tuple(round((v + BEZEL) * scale) for v in box)


# --- the cache ---

def cache_key(screen: dict, *, language: str, app_color: str, target: str | None,
              scale: float, highlight: bool = True) -> str:
    """SHA-256 of everything that changes the picture, including ``RENDERER_VERSION``."""
    blob = json.dumps({"screen": screen, "language": language, "app_color": app_color,
                       "target": target, "scale": float(scale), "renderer": RENDERER_VERSION,
                       **({} if highlight else {"highlight": False})},
                      sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def cached_render(cache_dir: Path, screen: dict, *, language: str, app_color: str,
                  target: str | None, scale: float = 1.0,
                  highlight: bool = True) -> tuple[Path, Box | None]:
    """The PNG of ``render_screen(...)`` in ``cache_dir`` and the target's box.

    Renders only if no complete PNG with that key exists; the box is kept in the PNG itself.
    """
    key = cache_key(screen, language=language, app_color=app_color, target=target, scale=scale,
                    highlight=highlight)
    path = Path(cache_dir) / f"{key}.png"
    box = _read_box(path)
    if box is _MISSING:
        image, box = render_screen(screen, language=language, app_color=app_color,
                                   target=target, scale=scale, highlight=highlight)
        _write_png(path, image, box)
    return path, box


def _read_box(path: Path):
    """The box stored in a cached PNG, or ``_MISSING`` if the file is absent or unreadable."""
    try:
        with Image.open(path) as image:
            raw = image.info.get(BOX_KEY) if image.format == "PNG" else None
        if raw is None:
            return _MISSING
        box = json.loads(raw)
        return tuple(int(v) for v in box) if box is not None else None
    except (OSError, ValueError, TypeError):
        return _MISSING


def _write_png(path: Path, image: Image.Image, box: Box | None) -> None:
    """Write ``image`` with ``box`` in a text chunk; via a temporary file, so never half-written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    info = PngInfo()
    info.add_text(BOX_KEY, json.dumps(list(box) if box else None))
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".render-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            image.save(file, "PNG", pnginfo=info)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
