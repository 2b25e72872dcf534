"""Where the kiosk keeps its data, and where its bundled assets are.

Everything read at run time (fonts, lessons, catalogues, styles) ships inside the ``kiosk``
package and is found through ``importlib.resources``, so an installed wheel works wherever it
lands, not only a source checkout.

Data folders and the files holding secrets (the kiosk's database with its device token, the
hub's database and keys) are readable by their owner only on POSIX: folders 0700, files 0600
(``private_folder``, ``private_file``). On Windows the user profile's access rules protect them
(README, "Security").
"""

import atexit
import contextlib
import logging
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
    resource = resources.files(APP_NAME).joinpath(*parts)
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
    return private_folder(path).resolve()


def private_folder(path: Path) -> Path:
    """``path``, created if missing, readable by its owner only on POSIX (0700, also when it
    already existed more open). Returns ``path``. Raises ``OSError`` if it cannot be created."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    _restrict(path, 0o700)
    return path


def private_file(path: Path) -> None:
    """On POSIX, create ``path`` if missing and make it, and SQLite's ``-wal`` and ``-shm``
    files beside it, readable and writable by their owner only (0600). SQLite gives a new
    ``-wal``/``-shm`` the mode of its database, so calling this before opening the database
    covers them too. Nothing on Windows."""
    if os.name != "posix":
        return
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    for each in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if each.exists():
            _restrict(each, 0o600)


def _restrict(path: Path, mode: int) -> None:
    if os.name != "posix":
        return
    try:
        if path.stat().st_mode & 0o777 != mode:
            os.chmod(path, mode)
    except PermissionError:  # not ours (a shared folder given on purpose): say so, go on
        logging.getLogger(__name__).warning("cannot make %s private (mode %o)", path, mode)


def db_path(data: Path) -> Path:
    return data / "kiosk.db"


def config_path(data: Path) -> Path:
    return data / "config.toml"


def cache_dir(data: Path) -> Path:
    return private_folder(data / "cache")
