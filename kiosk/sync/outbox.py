"""The outbox: every change that must reach the hub, with a per-device sequence number.

An outbox row is appended in the same transaction as the change it describes (DESIGN.md invariant
2), so a crash can never leave a change without its row, or a row without its change. The sequence
is SQLite's INTEGER PRIMARY KEY under the single writer, so it has no gaps.
"""

from __future__ import annotations

import json

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils

from kiosk.core.db import now_iso


def append(db: sqlite_utils.Database, record_type: str, record: dict) -> int:
    """Append a snapshot of ``record`` (which has ``id`` and ``revision``); return its sequence.

    Must be called inside ``db.atomic()`` together with the write of the record itself.
    """
    payload = json.dumps(record, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    cursor = db.execute(
        "INSERT INTO outbox (record_type, record_id, revision, payload, created_at) "
        "VALUES (?, ?, ?, ?, ?)",
        [record_type, record["id"], record["revision"], payload, now_iso()])
    return cursor.lastrowid


def unsent_count(db: sqlite_utils.Database) -> int:
    """How many outbox rows the hub has not yet acknowledged (set-aside rows included)."""
    return db.execute("SELECT count(*) FROM outbox WHERE sent_at IS NULL").fetchone()[0]
