"""What the admin panel asks the database worker to do: small, keyword-only functions of
``db`` that run on the worker thread, never on the UI thread.

Each returns plain Python data (dicts, lists, strings, ints) for the UI thread to draw, and
turns an expected refusal into a plain reason rather than raising, so the screen can say it in
plain words. Nothing here imports Qt.
"""

from __future__ import annotations

import shutil
from dataclasses import asdict
from pathlib import Path
from typing import Callable

from kiosk.core import accounts, reports
from kiosk.core.config import Config, save
from kiosk.core.paths import config_path


def read_counts(db, *, period: str) -> dict:
    """``reports.local_counts`` for "today" or "week" (this calendar week). Read-only."""
    chosen = reports.today() if period == "today" else reports.this_week()
    return reports.local_counts(db, chosen)


def read_accounts(db) -> list[dict]:
    """Every account's public fields (never the PIN hash), by name. Read-only."""
    return accounts.list_accounts(db)


def add_account(db, *, name: str, role: str, pin: str) -> dict:
    """Create an account; returns ``{"id", "name"}`` or ``{"error": reason}`` for a name, role
    or PIN that ``accounts.create_account`` refuses. Writes one row."""
    try:
        account = accounts.create_account(db, name=name, role=role, pin=pin)
    except ValueError:
        return {"error": "invalid"}
    return {"id": account["id"], "name": account["name"]}


def switch_active(db, *, account_id: str, active: bool) -> str | None:
    """Switch an account on or off; ``None`` when done, ``"last_admin"`` when it would leave the
    kiosk with no active admin (nothing changed)."""
    try:
        accounts.set_active(db, account_id, active=active)
    except ValueError:
        return "last_admin"
    return None


def reset_pin(db, *, account_id: str, pin: str) -> None:
    """Give an account a new PIN and lift any lockout."""
    accounts.change_pin(db, account_id, new_pin=pin)


def save_config(db, *, data_dir: Path, config: Config) -> dict:
    """Write ``config`` to the kiosk's config.toml (atomically); returns it as a dict.
    ``db`` is unused: the worker is where the kiosk waits on its disk."""
    save(config_path(data_dir), config)
    return asdict(config)


def read_overview(db, *, data_dir: Path) -> dict:
    """The diagnostics that are quick to read: ``kiosk status`` plus ``free_bytes`` on the data
    folder's disk and the last USB export (``None`` if never). Read-only."""
    from kiosk.core.paths import db_path
    from kiosk.core.status import kiosk_status
    from kiosk.sync.bundle import recent_exports

    exports = recent_exports(db, limit=1)
    return {**kiosk_status(db, data_dir, db_path(data_dir)),
            "free_bytes": shutil.disk_usage(data_dir).free,
            "last_export": exports[0] if exports else None}


def check_database(db) -> list[str]:
    """``kiosk check``: the database's problems in plain words, empty when it is sound. Reads
    the whole file, so it can take a while on a big database."""
    from kiosk.core.integrity import check_database as check

    return check(db)


def unsent(db) -> int:
    """How many records the hub has not yet acknowledged. Read-only."""
    from kiosk.sync.outbox import unsent_count

    return unsent_count(db)


def export_bundle(db, *, target: Path, help_point: str,
                  progress: Callable[[int, int], None]) -> dict:
    """Write a USB bundle of the unsent records to ``target`` (``kiosk.sync.bundle``: temporary
    name, flush, rename, read back, verify). Returns ``{"records", "file"}`` (``file`` is
    ``None`` when there was nothing to write) or ``{"error": reason}`` with the ``ExportError``
    reason, in which case nothing was left on the drive and nothing was recorded."""
    from kiosk.sync.bundle import ExportError, write_bundle

    try:
        result = write_bundle(db, target, progress=progress, help_point=help_point)
    except ExportError as error:
        return {"error": error.reason}
    return {"records": result.records, "file": result.path.name if result.path else None}


def lesson_versions(db, *, data_dir: Path) -> dict:
    """The lesson pack in use and the one kept to fall back to: ``{"current", "previous"}``,
    each a pack version or ``None`` (``current``: the bundled lessons; ``previous``: none kept).
    ``db`` is unused: it reads the data folder, on the worker."""
    from kiosk.sync.lesson_update import installed_version

    return {"current": installed_version(data_dir),
            "previous": installed_version(data_dir, "previous")}


def use_previous_lessons(db, *, data_dir: Path) -> dict:
    """"Use the previous lessons": make the kept pack current again
    (``kiosk.sync.lesson_update.roll_back``, which also stops syncs from installing the one left
    again). Returns ``{"version": N or None}`` (None: the bundled lessons) or
    ``{"error": "no_previous"}`` when no pack was kept (nothing changed)."""
    from kiosk.sync.lesson_update import roll_back
    from kiosk.sync.pack_format import PackError

    try:
        return {"version": roll_back(db, data_dir)}
    except PackError:
        return {"error": "no_previous"}
