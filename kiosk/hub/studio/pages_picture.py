"""The picture of a draft step's mock screen, drawn by the kiosk's own renderer, and the box of
every element that has an id (the editor lets staff pick the tap target by clicking it).

Pictures are drawn on demand from the draft (a few tens of milliseconds each) and kept in a
small in-memory cache keyed by what changes them; the boxes are measured for the same target, so
a click on the picture lands on the element drawn there.
"""

from __future__ import annotations

import io
import json
from functools import lru_cache

from kiosk.lessons import mockscreen

SCALE = 0.8  # 288 × 592 pixels: beside the form on a ward PC's screen
DEFAULT_COLOR = "#1565c0"


def step_screen(lesson: dict, index: int) -> dict | None:
    """The mock screen of step ``index`` (from 0) of ``lesson``; ``None`` if it has none."""
    steps = lesson.get("steps") if isinstance(lesson.get("steps"), list) else []
    if not 0 <= index < len(steps) or not isinstance(steps[index], dict):
        return None
    screen = steps[index].get("screen")
    return screen if isinstance(screen, dict) else None


def step_target(lesson: dict, index: int) -> str | None:
    steps = lesson.get("steps") or []
    target = steps[index].get("target") if 0 <= index < len(steps) else None
    return target if isinstance(target, str) else None


def picture_png(screen: dict, *, language: str, color: str, target: str | None) -> bytes:
    """The PNG of ``screen`` with ``target`` marked, as the kiosk draws it."""
    return _png(_key(screen), language, color, target)


def element_boxes(screen: dict, *, language: str, target: str | None) -> dict[str, tuple]:
    """``{element id: (left, top, right, bottom)}`` in the pixels of the picture
    ``picture_png`` draws for ``target`` (scrolled the same way), for every element or list
    item with an id that is in view (``mockscreen.element_boxes``)."""
    return dict(_boxes(_key(screen), language, target))


def _key(screen: dict) -> str:
    return json.dumps(screen, sort_keys=True, ensure_ascii=False)


@lru_cache(maxsize=64)
def _png(key: str, language: str, color: str, target: str | None) -> bytes:
    image, _ = mockscreen.render_screen(json.loads(key), language=language, app_color=color,
                                        target=target, scale=SCALE)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@lru_cache(maxsize=64)
def _boxes(key: str, language: str, target: str | None) -> tuple:
    boxes = mockscreen.element_boxes(json.loads(key), language=language, scale=SCALE,
                                     target=target)
    return tuple(boxes.items())
