"""Where the kiosk keeps its data, and where its bundled assets are.

Everything read at run time (fonts, lessons, catalogues, styles) ships inside the ``kiosk``
package and is found through ``importlib.resources``, so an installed wheel works wherever it
lands, not only a source checkout.
"""

import atexit
import contextlib
import os
from importlib import resources
from pathlib import Path

APP_NAME = "kiosk"

# Holds the temporary copies ``as_file`` makes when the package is not on a real file system
# (a zip import); they are removed when the process exits.
_EXTRACTED = contextlib.ExitStack()
atexit.register(_EXTRACTED.close)


def package_path(*parts: str) -> Path:
    """A file or folder shipped inside the ``kiosk`` package, as a real file-system path.

    ``package_path("assets", "fonts")`` is the bundled fonts folder. Found with
    ``importlib.resources``; when the package lives in a zip, the resource is extracted to a
    temporary place that lasts until the process exits. Does not check that it exists.
    """
    resource = resources.files(__package__ or APP_NAME).joinpath(*parts)
    if isinstance(resource, Path):
        return resource
    return _EXTRACTED.enter_context(resources.as_file(resource))


ASSETS_DIR = package_path("assets")
FONTS_DIR = ASSETS_DIR / "fonts"


def font_path(name: str) -> Path:
    """The bundled font file ``name`` (e.g. ``"NotoSans-Regular.ttf"``); raises
    ``FileNotFoundError`` naming the file if the package was installed without it."""
    path = FONTS_DIR / name
    if not path.is_file():
        raise FileNotFoundError(f"bundled font missing from the installed package: {path}")
    return path


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
