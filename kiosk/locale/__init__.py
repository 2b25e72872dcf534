"""The user-interface text catalogue (``ui.json``): every label a screen shows, in vi and en."""

import json
from functools import cache
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parent / "ui.json"


@cache
def catalogue() -> dict[str, dict[str, str]]:
    return json.loads(CATALOGUE.read_text(encoding="utf-8"))


def ui_text(key: str, language: str, **values) -> str:
    """The label ``key`` in ``language`` (Vietnamese if missing), with ``{name}`` filled in.

    Raises ``KeyError`` for an unknown key, so a typo fails in tests rather than on screen.
    """
    entry = catalogue()[key]
    text = entry.get(language) or entry["vi"]
    return text.format(**values) if values else text
