"""``kiosk status``: the kiosk's state in one dictionary (also shown in the admin screen)."""

from __future__ import annotations

from pathlib import Path

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils

from kiosk.db import device_id, get_setting
from kiosk.sync.outbox import unsent_count


def kiosk_status(db: sqlite_utils.Database, data_dir: Path, db_path: Path) -> dict:
    """Counts and identity of this kiosk. Read-only."""
    count = lambda table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return {
        "device_id": device_id(db),
        "data_dir": str(data_dir),
        "db_path": str(db_path),
        "sessions": count("assistance_sessions") if db["assistance_sessions"].exists() else 0,
        "lesson_runs": count("lesson_runs"),
        "help_requests": count("help_requests"),
        "open_help_requests": db.execute(
            "SELECT count(*) FROM help_requests WHERE status = 'open'").fetchone()[0],
        "unsent": unsent_count(db),
        "last_sync_ok_at": get_setting(db, "last_sync_ok_at"),
        "lesson_pack_version": get_setting(db, "lesson_pack_version", "bundled"),
    }
