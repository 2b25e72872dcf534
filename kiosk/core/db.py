"""Opening the kiosk database: WAL, foreign keys, a busy timeout, and the schema migrations.

One process writes through one connection (the UI's database worker, or a command-line command);
readers may open their own connections, which WAL lets run beside the writer.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.core.ids import uuid7
from kiosk.core.paths import private_file

if TYPE_CHECKING:  # imported when a connection opens, to keep the kiosk's start quick
    import sqlite_utils

BUSY_TIMEOUT_MS = 10_000


def connect(path: Path | str) -> sqlite_utils.Database:
    """Open (creating if needed) and migrate the database at ``path``.

    The connection has WAL, ``synchronous=FULL`` (a commit survives power loss), foreign keys and a
    busy timeout. Raises ``sqlite3.DatabaseError`` if the file is not a database.
    """
    import sqlite_utils

    from kiosk.core.migrations import migrations

    if str(path) != ":memory:":
        private_file(Path(path))  # it holds the device token: owner-only on POSIX
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                           check_same_thread=False)
    db = sqlite_utils.Database(conn)
    configure(conn)
    migrations.apply(db)
    ensure_device_id(db)
    return db


def configure(conn: sqlite3.Connection) -> None:
    """Apply the pragmas every kiosk connection uses."""
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def now_iso() -> str:
    """The current UTC time as ISO 8601 with milliseconds, the form every timestamp is stored in."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def get_setting(db: sqlite_utils.Database, key: str, default: str | None = None) -> str | None:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return row[0] if row else default


def set_setting(db: sqlite_utils.Database, key: str, value: str) -> None:
    """Store a setting; call inside ``db.atomic()`` when it belongs to a larger change."""
    db.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
               "ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, value])


def ensure_device_id(db: sqlite_utils.Database) -> str:
    """This kiosk's device id, made (a UUID) on first use and never changed afterwards."""
    device = get_setting(db, "device_id")
    if device is None:
        with db.atomic():
            db.execute("INSERT OR IGNORE INTO settings (key, value) VALUES ('device_id', ?)",
                       [uuid7()])
        device = get_setting(db, "device_id")
    return device


def device_id(db: sqlite_utils.Database) -> str:
    return get_setting(db, "device_id")
