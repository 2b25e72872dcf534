"""``kiosk check``: is the database whole and consistent with itself?"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils


def check_database(db: sqlite_utils.Database) -> list[str]:
    """Plain-words problems found; an empty list means the database is sound. Read-only."""
    problems = []
    result = [row[0] for row in db.execute("PRAGMA integrity_check").fetchall()]
    if result != ["ok"]:
        problems.extend(f"integrity: {line}" for line in result[:20])
    for table, row_id, parent, _ in db.execute("PRAGMA foreign_key_check").fetchall()[:20]:
        problems.append(f"{table} row {row_id} points at a missing {parent} record")
    problems.extend(_outbox_problems(db))
    return problems


def _outbox_problems(db: sqlite_utils.Database) -> list[str]:
    problems = []
    first, last, count = db.execute("SELECT min(seq), max(seq), count(*) FROM outbox").fetchone()
    if count and last - first + 1 != count:
        problems.append(f"outbox sequence has gaps: {count} rows between {first} and {last}")
    for table, record_type in (("lesson_runs", "lesson_run"), ("help_requests", "help_request"),
                               ("assistance_sessions", "assistance_session")):
        missing = db.execute(
            f"SELECT count(*) FROM {table} t WHERE NOT EXISTS (SELECT 1 FROM outbox o "
            f"WHERE o.record_type = ? AND o.record_id = t.id AND o.revision = t.revision)",
            [record_type]).fetchone()[0]
        if missing:
            problems.append(f"{missing} {table} revisions have no outbox entry")
    return problems
