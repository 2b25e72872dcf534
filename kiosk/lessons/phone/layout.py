"""Where each element goes: the flow from top to bottom, the scroll that brings the target into
view, the boxes in screen coordinates, and where an arrow pointing at the target fits.

All in logical units; ``to_pixels`` turns a screen box into the framed picture's pixels.
"""

from PIL import Image

from kiosk.lessons.phone.elements import ELEMENTS
from kiosk.lessons.phone.geometry import (BEZEL, CONTENT_TOP, GAP, HOME_H, PAD, SH, SW, TABS_H,
                                          Box)
from kiosk.lessons.phone.paint import BG, Painter


def tab_bar(screen: dict) -> dict | None:
    """The screen's ``tabs`` element, if it has one (drawn fixed, not in the flow)."""
    return next((el for el in screen.get("elements") or [] if isinstance(el, dict)
                 and el.get("type") == "tabs"), None)


def view_height(screen: dict) -> float:
    """The height of the scrolling content area between the top bar and the tabs or bottom."""
    return SH - HOME_H - CONTENT_TOP - (TABS_H if tab_bar(screen) else 0)


def flow(screen: dict, p: Painter) -> list:
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


def content(screen: dict, target, view_h: float, scale, language, accent):
    """The content area as an image, scrolled so the target shows; its id boxes and element
    extents (only those in view) and tap points, in screen coordinates."""
    tall = Painter(Image.new("RGB", (round(SW * scale), round(view_h * 3 * scale)), BG),
                   scale, language, accent)
    extents = flow(screen, tall)
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


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def arrow_spot(box, tap, obstacles, floor: float):
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


def to_pixels(box, scale: float) -> Box:
    """A screen box as ``(left, top, right, bottom)`` in the framed picture's pixels."""
    return tuple(round((v + BEZEL) * scale) for v in box)
