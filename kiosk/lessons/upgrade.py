"""Upgrading lesson files written in older formats to the current one.

Each format version ``n`` that is no longer current has a function in ``UPGRADES`` that turns a
version-``n`` document into a version-``n+1`` one. Format 1 is the first and current format.
"""

CURRENT_FORMAT = 1
UPGRADES: dict[int, callable] = {}


class UnknownFormat(ValueError):
    pass


def upgrade(document: dict) -> dict:
    """Return ``document`` in the current format; raises ``UnknownFormat`` if it cannot."""
    version = document.get("format")
    if not isinstance(version, int) or version < 1 or version > CURRENT_FORMAT:
        raise UnknownFormat(f"unknown format {version!r}; this kiosk reads 1 to {CURRENT_FORMAT}")
    while version < CURRENT_FORMAT:
        document = UPGRADES[version](document)
        version = document["format"]
    return document
