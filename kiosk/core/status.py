"""``kiosk status``: the kiosk's state in one dictionary (also shown in the admin screen)."""

from __future__ import annotations

from pathlib import Path

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils

from kiosk.core.db import device_id, get_setting
from kiosk.core.reports import lesson_counts, session_count
from kiosk.sync.outbox import unsent_count


def kiosk_status(db: sqlite_utils.Database, data_dir: Path, db_path: Path) -> dict:
    """Counts (all time, from ``kiosk.core.reports``) and identity of this kiosk. Read-only."""
    lessons = lesson_counts(db)
    return {
        "device_id": device_id(db),
        "data_dir": str(data_dir),
        "db_path": str(db_path),
        "sessions": session_count(db),
        "lesson_runs": lessons["lesson_runs"],
        "help_requests": lessons["help_requests"],
        "open_help_requests": lessons["help_requests_open"],
        "unsent": unsent_count(db),
        "last_sync_ok_at": get_setting(db, "last_sync_ok_at"),
        "last_sync_attempt_at": get_setting(db, "sync.last_attempt_at"),
        "last_sync_error": get_setting(db, "sync.last_error") or None,
        "hub": get_setting(db, "hub.hub_url"),
        "lesson_pack_version": get_setting(db, "lesson_pack_version", "bundled"),
    }
