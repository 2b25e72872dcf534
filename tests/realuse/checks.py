"""What is checked on every screen and dialog the real-use journeys reach.

Each check reads one inspection dump (see ``kiosk.ui.inspector``) and returns plain-words
problems; an empty list means the screen is fine. Measurements come from the kiosk itself (its
fonts, its layout), so what is judged is what was drawn.
"""

from __future__ import annotations

PRIMARY_ROLES = ("go", "primary")
# Push buttons of every kind the kiosk draws (the home tiles wrap their words themselves).
BUTTON_CLASSES = ("QPushButton", "TallButton", "WrappingTile")
CUE = "more_below"  # object name of the "more below" cue a screen shows when it scrolls
OVERLAP_PX = 4


def problems(dump: dict) -> list[str]:
    """Every problem found on the screen described by ``dump``."""
    found = []
    for window in dump["windows"]:
        widgets = window["widgets"]
        found += _window_off_screen(dump["screen"], window)
        found += _clipped_text(widgets)
        found += _cut_text(widgets)
        found += _hidden_without_cue(widgets)
        found += _overlaps(widgets)
        if window["dialog"]:
            found += _dialog_problems(window, dump["windows"])
    return found


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "…"


def _window_off_screen(screen, window) -> list[str]:
    sx, sy, sw, sh = screen
    # The window itself, not Qt's frame estimate: that keeps stale decoration extents after
    # the window manager makes a window full screen.
    x, y, w, h = window["rect"]
    if x < sx or y < sy or x + w > sx + sw or y + h > sy + sh:
        return [f"window {window['class']} {w}×{h} at ({x},{y}) goes past the screen"]
    return []


def _clipped_text(widgets) -> list[str]:
    return [f"text clipped by its {w['class']}: '{_short(w['text'])}' needs "
            f"{w['needed'][0]}×{w['needed'][1]} px, has {w['room'][0]}×{w['room'][1]}"
            for w in widgets if w.get("clipped") and w["visible"]]


def _cut_text(widgets) -> list[str]:
    """Text partly hidden by its parent or window, outside any scroll area."""
    found = []
    for w in widgets:
        if not w.get("text") or w["in_scroll"] or w["visible"] is None:
            continue
        if _area(w["visible"]) + 2 * max(w["rect"][2], w["rect"][3]) < _area(w["rect"]):
            found.append(f"text cut by its window: '{_short(w['text'])}' shows "
                         f"{w['visible'][2]}×{w['visible'][3]} of {w['rect'][2]}×{w['rect'][3]}")
    return found


def _hidden_without_cue(widgets) -> list[str]:
    """Content below the fold (or a primary button out of view) needs a "more below" cue."""
    cue = any(w["name"] == CUE for w in widgets)
    if cue:
        return []
    found = []
    for w in widgets:
        scroll = w.get("scroll")
        if scroll and scroll.get("area") and scroll["value"] < scroll["max"]:
            found.append(f"content below the fold ({scroll['max'] - scroll['value']} px) "
                         "with no 'more below' cue")
        if (w["class"] in BUTTON_CLASSES and w["role"] in PRIMARY_ROLES
                and w.get("text") and _fully_visible(w) is False):
            found.append(f"primary button '{_short(w['text'])}' is out of view, unannounced")
    return found


def _fully_visible(w) -> bool:
    return w["visible"] is not None and _area(w["visible"]) >= _area(w["rect"]) - 4


def _overlaps(widgets) -> list[str]:
    """Two texts drawn on top of each other (neither inside the other). The "more below" cue
    is laid over the bottom of its scroll area on purpose, and is left out; so are the keys of
    the on-screen keyboard, laid over the window's edge away from the field being typed into."""
    parents = {w["id"]: w["parent"] for w in widgets}
    keyboards = {w["id"] for w in widgets if w["class"] == "OnScreenKeyboard"}
    texts = [w for w in widgets if w.get("text") and w["visible"] and w["name"] != CUE
             and not any(_related(w["id"], board, parents) for board in keyboards)]
    found = []
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            if _related(a["id"], b["id"], parents):
                continue
            x, y = _intersection(a["visible"], b["visible"])
            if x > OVERLAP_PX and y > OVERLAP_PX:
                found.append(f"'{_short(a['text'])}' and '{_short(b['text'])}' overlap")
    return found


def _dialog_problems(window, windows) -> list[str]:
    found = []
    if window["title"].strip().lower() in ("", "kiosk", "python", "python3"):
        found.append(f"dialog {window['class']} has no title of its own "
                     f"({window['title']!r}: the window manager shows the program's name)")
    main = [w for w in windows if not w["dialog"]]
    if main and not any(w["name"] == "dimmer" for m in main for w in m["widgets"]):
        found.append(f"dialog {window['class']} does not dim the screen behind it")
    return found


def _area(rect) -> int:
    return max(0, rect[2]) * max(0, rect[3])


def _intersection(a, b) -> tuple[int, int]:
    x = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    y = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    return x, y


def _related(a: int, b: int, parents: dict) -> bool:
    return _is_ancestor(a, b, parents) or _is_ancestor(b, a, parents)


def _is_ancestor(ancestor: int, child: int, parents: dict) -> bool:
    node = parents.get(child)
    while node is not None:
        if node == ancestor:
            return True
        node = parents.get(node)
    return False
