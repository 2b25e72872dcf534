"""Which lessons this kiosk shows: the bundled ones, overridden by any installed lesson pack."""

from pathlib import Path

from kiosk.lessons import BUNDLED_DIR
from kiosk.lessons.library import Library, load_library


def packs_dir(data_dir: Path) -> Path:
    return data_dir / "lessons"


def installed_library(data_dir: Path) -> Library:
    """Bundled lessons plus the current installed pack (which wins on the same lesson id)."""
    return load_library(BUNDLED_DIR, packs_dir(data_dir) / "current")
