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
    return resolve_data_dir(explicit, "KIOSK_DATA_DIR", APP_NAME)


def resolve_data_dir(explicit: str | os.PathLike | None, env_var: str, app_name: str) -> Path:
    """``explicit``, else ``$env_var``, else the platform's user data folder for ``app_name``;
    created if missing, returned absolute. Shared by the kiosk and the hub."""
    if explicit:
        path = Path(explicit)
    elif os.environ.get(env_var):
        path = Path(os.environ[env_var])
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir(app_name, appauthor=False))
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
