"""What changed between two versions of a lesson, field by field, with the same paths as
validation problems (``steps[2].screen.elements[1].label.en``)."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.lessons.validation import path_text

_ABSENT = None


@dataclass(frozen=True)
class Change:
    """One field that differs: ``old`` is ``None`` where it was added, ``new`` where removed."""
    path: str
    old: object
    new: object


def diff(old: dict, new: dict) -> list[Change]:
    """Every leaf value (a text in one language, a number…) that differs between ``old`` and
    ``new``, in document order (the new lesson's order, then what only the old one had). Lists are compared item by item, so a step
    inserted in the middle shows as changes to the steps after it and one step added at the end."""
    changes: list[Change] = []
    _walk(old, new, [], changes)
    return changes


def _walk(old, new, where: list, changes: list[Change]) -> None:
    if old is _ABSENT and isinstance(new, (dict, list)):     # added: each leaf shows as added
        old = type(new)()
    elif new is _ABSENT and isinstance(old, (dict, list)):   # removed: each leaf as removed
        new = type(old)()
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*new, *(k for k in old if k not in new)]:
            _walk(old.get(key, _ABSENT), new.get(key, _ABSENT), where + [key], changes)
    elif isinstance(old, list) and isinstance(new, list):
        for index in range(max(len(old), len(new))):
            _walk(old[index] if index < len(old) else _ABSENT,
                  new[index] if index < len(new) else _ABSENT, where + [index], changes)
    elif old != new or type(old) is not type(new):
        changes.append(Change(path_text(where), old, new))
