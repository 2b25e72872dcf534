"""One drawing function per mock-screen element type.

Each draws its element at top ``y`` (content coordinates, logical units), marks the boxes of the
ids it holds on the painter, and returns its bottom, so the layout knows where the next goes.
The tab bar is not in the flow: ``tabs`` draws it fixed at the bottom of the screen.
"""

import zlib
from functools import lru_cache

from kiosk.lessons.phone.geometry import CW, HOME_H, PAD, SH, SW, TABS_H
from kiosk.lessons.phone.paint import INK, LINE, MUTED, PANEL, Painter, on_color
from kiosk.lessons.phone.text import SMALLEST_TEXT

TONES = {"danger": ("#fdecea", "#c62828", "#7f1d1d", "!"),   # fill, edge, text, sign
         "info": ("#e6f0fc", "#1565c0", "#0d3c75", "i")}
ICON_COLORS = ("#1e88e5", "#43a047", "#8e24aa", "#f4511e", "#00897b", "#5e35b1", "#6d4c41")


@lru_cache(maxsize=1)
def _app_colors() -> dict[str, str]:
    """App id → colour from ``apps.json`` (so a grid tile with an app's id wears its colour)."""
    try:
        from kiosk.lessons.library import load_apps
        return {app_id: app.color for app_id, app in load_apps().items()}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _heading(p: Painter, el: dict, y: float) -> float:
    bottom = p.paragraph(PAD, y, p.t(el.get("text")), 23, CW, bold=True)
    p.mark(el.get("id"), (PAD, y, SW - PAD, bottom))
    return bottom


def _text(p: Painter, el: dict, y: float) -> float:
    bottom = p.paragraph(PAD, y, p.t(el.get("text")), 17, CW, fill=MUTED)
    p.mark(el.get("id"), (PAD, y, SW - PAD, bottom))
    return bottom


def _field(p: Painter, el: dict, y: float) -> float:
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


def _button(p: Painter, el: dict, y: float) -> float:
    lines = p.wrap(p.t(el.get("label")), 18, CW - 44, bold=True)
    box = (PAD, y, SW - PAD, y + max(54, len(lines) * 24.3 + 26))
    if el.get("style") == "secondary":
        p.rect(box, fill=PANEL, outline=p.accent, width=2, radius=27)
        ink = p.accent
    else:
        p.rect(box, fill=p.accent, radius=27)
        ink = on_color(p.accent)
    first = (box[1] + box[3]) / 2 - (len(lines) - 1) * 12.15
    for i, line in enumerate(lines):
        p.text(SW / 2, first + i * 24.3, line, 18, bold=True, fill=ink, anchor="mm")
    text_right = SW / 2 + max(p.width(line, 18, True) for line in lines) / 2
    tap_x = min(SW - PAD - 26, max(SW - PAD - 43, text_right + 22))   # beside the label if it can
    p.mark(el.get("id"), box, (tap_x, (box[1] + box[3]) / 2))
    return box[3]


def _link(p: Painter, el: dict, y: float) -> float:
    lines = p.wrap(p.t(el.get("label")), 17, CW)
    for i, line in enumerate(lines):
        top = y + i * 23
        p.text(PAD, top, line, 17, fill=p.accent)
        p.line([(PAD, top + 21), (PAD + p.width(line, 17), top + 21)], p.accent, 1.3)
    right = PAD + max(p.width(line, 17) for line in lines)
    p.mark(el.get("id"), (PAD - 4, y - 4, right + 4, y + len(lines) * 23 + 2))
    return y + len(lines) * 23


def _rows(p: Painter, el: dict, y: float, extra: int, draw_end) -> float:
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


def _menu(p: Painter, el: dict, y: float) -> float:
    chevron = lambda item, cy: p.text(SW - PAD - 16, cy, "›", 28, fill=MUTED, anchor="rm")
    return _rows(p, el, y, 56, chevron)


def _toggle(p: Painter, el: dict, y: float) -> float:
    def switch(item, cy):
        on = bool(item.get("on"))
        x0 = SW - PAD - 16 - 54
        p.rect((x0, cy - 16, x0 + 54, cy + 16), fill=p.accent if on else "#b7bec8", radius=16)
        p.circle(x0 + (38 if on else 16), cy, 12, fill="#ffffff")
    return _rows(p, el, y, 100, switch)


def _grid(p: Painter, el: dict, y: float) -> float:
    cell, colors = CW / 3, _app_colors()
    items = el.get("items") or []
    for row in range(0, len(items), 3):
        for col, item in enumerate(items[row:row + 3]):
            cx, ident = PAD + cell * (col + 0.5), str(item.get("id", ""))
            color = colors.get(ident) or ICON_COLORS[zlib.crc32(ident.encode()) % len(ICON_COLORS)]
            p.rect((cx - 34, y + 6, cx + 34, y + 74), fill=color, radius=18)
            label = p.t(item.get("label"))
            letter = next((c for c in label if c.isalnum()), "?").upper()
            p.text(cx, y + 40, letter, 32, bold=True, fill=on_color(color), anchor="mm")
            bottom = p.paragraph(cx, y + 80, label, 14, cell - 8, center=True, max_lines=2)
            p.mark(item.get("id"), (cx - cell / 2 + 4, y, cx + cell / 2 - 4, bottom + 4))
        y += 80 + 2 * 14 * 1.35 + 12
    return y


def _code(p: Painter, el: dict, y: float) -> float:
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


def _message(p: Painter, el: dict, y: float) -> float:
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


def _card(p: Painter, el: dict, y: float) -> float:
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
        p.text(PAD + 18, y + 11 + i * 24.3, line, 18, bold=True, fill=on_color(p.accent))
    for i, line in enumerate(lines):
        p.text(PAD + 18, band + 12 + i * step, line, 16, fill=INK if i == 0 else MUTED)
    p.mark(el.get("id"), box)
    return box[3]


def _photo(p: Painter, el: dict, y: float) -> float:
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


def _alert(p: Painter, el: dict, y: float) -> float:
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
            "toggle": _toggle, "photo": _photo, "alert": _alert}  # "tabs" is fixed: see tabs


def tabs(p: Painter, el: dict) -> None:
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
