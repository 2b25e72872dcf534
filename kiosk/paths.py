"""Where the kiosk keeps its data, and where its bundled assets are."""

import os
from pathlib import Path

APP_NAME = "kiosk"
ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"
FONTS_DIR = ASSETS_DIR / "fonts"


def data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The data folder: ``explicit``, else ``$KIOSK_DATA_DIR``, else the platform's user data folder.

    The folder is created if missing.
    """
    if explicit:
        path = Path(explicit)
    elif os.environ.get("KIOSK_DATA_DIR"):
        path = Path(os.environ["KIOSK_DATA_DIR"])
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path.resolve()


def db_path(data: Path) -> Path:
    return data / "kiosk.db"


def config_path(data: Path) -> Path:
    return data / "config.toml"


def cache_dir(data: Path) -> Path:
    path = data / "cache"
    path.mkdir(parents=True, exist_ok=True)
    return path
