"""Upgrading lesson files written in older formats to the current one.

Each format version ``n`` that is no longer current has a function in ``UPGRADES`` that turns a
version-``n`` document into a version-``n+1`` one.

Format 2 added the lesson's ``sources`` and the date it was ``checked_on`` (and optional
``sources`` on each step). An old lesson cannot cite what it never named, so the upgrade gives it
an empty list: the validator then asks for at least one source, and such a lesson is not shown
until someone checks it and cites its sources.
"""

import copy

CURRENT_FORMAT = 2


class UnknownFormat(ValueError):
    pass


def _format_1_to_2(document: dict) -> dict:
    """Format 1 → 2: same content, an empty ``sources`` list; ``checked_on`` stays missing."""
    upgraded = copy.deepcopy(document)
    upgraded["format"] = 2
    upgraded.setdefault("sources", [])
    return upgraded


UPGRADES: dict[int, callable] = {1: _format_1_to_2}


def upgrade(document: dict) -> dict:
    """Return ``document`` in the current format (the argument is not changed); raises
    ``UnknownFormat`` if it cannot."""
    version = document.get("format")
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= CURRENT_FORMAT:
        raise UnknownFormat(f"unknown format {version!r}; this kiosk reads 1 to {CURRENT_FORMAT}")
    while version < CURRENT_FORMAT:
        document = UPGRADES[version](document)
        version = document["format"]
    return document
