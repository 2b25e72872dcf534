"""One hub installation: its data folder, database, keys and lesson packs, opened together.

The data folder is ``--data-dir``, else ``$KIOSK_HUB_DATA_DIR``, else the platform's user data
folder for "kiosk-hub". The database is ``--db``, else ``$KIOSK_HUB_DB``, else an SQLite file in
the data folder. The keys live in ``keys/`` and published packs in ``packs/``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from kiosk.hub import HUB_NAME
from kiosk.hub.database import open_engine
from kiosk.hub.keys import HubKeys, load_or_create
from kiosk.core.paths import resolve_data_dir


def hub_data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The hub's data folder: ``explicit``, else ``$KIOSK_HUB_DATA_DIR``, else the platform's
    user data folder (created if missing)."""
    return resolve_data_dir(explicit, "KIOSK_HUB_DATA_DIR", HUB_NAME)


def database_url(data_dir: Path, explicit: str | None = None) -> str:
    return explicit or os.environ.get("KIOSK_HUB_DB") or f"sqlite:///{data_dir / 'hub.db'}"


@dataclass
class Hub:
    data_dir: Path
    engine: Engine
    keys: HubKeys

    @property
    def packs_dir(self) -> Path:
        return self.data_dir / "packs"

    def close(self) -> None:
        self.engine.dispose()


def open_hub(db: str | None = None, data_dir: str | os.PathLike | None = None) -> Hub:
    """Open (creating and migrating as needed) the hub's database and keys.

    Raises ``kiosk.hub.database.DatabaseUrlError``, SQLAlchemy's ``OperationalError`` (database
    unreachable) or ``OSError`` (data folder not writable).
    """
    folder = hub_data_dir(data_dir)
    engine = open_engine(database_url(folder, db))
    return Hub(folder, engine, load_or_create(folder / "keys"))
