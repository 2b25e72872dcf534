"""Mock phone screens: a lesson step's declarative ``screen`` drawn as a picture of a generic phone.

Pure Pillow, no Qt. Everything is laid out in logical units (a 360×740 phone) and multiplied by
``scale`` when drawn; the parts live in ``kiosk.lessons.phone`` (layout, painting, text fitting,
one function per element). The element whose ``id`` is the step's target gets an orange outline
and a pointing arrow; its box is returned so the caller can, e.g., zoom or announce it.
``cached_render`` keeps rendered PNGs in a cache folder keyed by everything that affects them.
"""

import hashlib
import json
import os
import tempfile
from pathlib import Path

from PIL import Image
from PIL.PngImagePlugin import PngInfo

from kiosk.lessons.phone import layout, paint
from kiosk.lessons.phone.elements import ELEMENTS, tabs as tabs_bar
from kiosk.lessons.phone.geometry import CONTENT_TOP, H, SH, SW, W, Box
from kiosk.lessons.phone.paint import BG, HIGHLIGHT, Painter
from kiosk.lessons.phone.text import SMALLEST_TEXT

RENDERER_VERSION = 3  # raise whenever the drawing changes, so cached pictures are redrawn
BOX_KEY = "kiosk-target-box"
_MISSING = object()
__all__ = ["ELEMENTS", "H", "HIGHLIGHT", "RENDERER_VERSION", "SMALLEST_TEXT", "W", "Box",
           "cache_key", "cached_render", "element_boxes", "render_screen"]


def _draw(screen: dict, *, language: str, app_color: str, target: str | None, scale: float,
          highlight: bool) -> tuple[Image.Image, dict]:
    """The framed picture and every visible id's box (screen coordinates, logical units)."""
    color = screen.get("color") or app_color
    p = Painter(Image.new("RGB", (round(SW * scale), round(SH * scale)), BG), scale, language,
                color)
    tabs = layout.tab_bar(screen)
    view_h = layout.view_height(screen)
    content, p.boxes, extents, taps = layout.content(screen, target, view_h, scale, language,
                                                     color)
    p.image.paste(content, (0, p.s(CONTENT_TOP)))
    paint.status_bar(p, color)
    paint.top_bar(p, screen, color)
    if tabs:
        tabs_bar(p, tabs)
    paint.home_indicator(p)
    box = p.boxes.get(target) if target else None
    if box and highlight:
        tap = taps.get(target) or p.taps.get(target)
        spot = layout.arrow_spot(box, tap, extents + list(p.boxes.values()),
                                 CONTENT_TOP + view_h)
        paint.highlight(p, box, tap, spot)
    return paint.frame(p.image, scale), p.boxes


def render_screen(screen: dict, *, language: str, app_color: str, target: str | None,
                  scale: float = 1.0, highlight: bool = True) -> tuple[Image.Image, Box | None]:
    """Draw ``screen`` as an RGBA phone picture (360×740 times ``scale``, transparent corners).

    Returns the picture and the target's visible box ``(left, top, right, bottom)`` in image
    pixels, or ``None`` if there is no target or no visible element or item has that id. With
    ``highlight=False`` the target is not marked (for practice) but the layout and box are the
    same as with it.
    """
    image, boxes = _draw(screen, language=language, app_color=app_color, target=target,
                         scale=scale, highlight=highlight)
    box = boxes.get(target) if target else None
    return image, layout.to_pixels(box, scale) if box else None


def element_boxes(screen: dict, *, language: str, scale: float = 1.0,
                  target: str | None = None) -> dict[str, Box]:
    """``{id: (left, top, right, bottom)}`` in the pixels of the picture ``render_screen`` draws
    with the same arguments, for every element and item with an id that is in view.

    The hub's studio uses it to turn a click on the picture into a target. ``target`` scrolls
    the screen as the step's picture does (an element far down comes into view). Draws the
    picture to measure it, so it costs as much as one render."""
    _, boxes = _draw(screen, language=language, app_color="#000000", target=target,
                     scale=scale, highlight=False)
    return {ident: layout.to_pixels(box, scale) for ident, box in boxes.items()}


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
