"""Anonymous records of residents' self-guided lesson runs, and their calls for a volunteer.

A run is written when it starts and again (a new revision) when something worth keeping changes:
the resident asks for help, finishes, rates, or leaves. Each write appends to the outbox in the
same transaction. Nothing here identifies the resident.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils

from kiosk.core.db import device_id, now_iso
from kiosk.core.ids import uuid7
from kiosk.sync import outbox

RATINGS = ("good", "ok", "bad")
_UPDATABLE = {"furthest_step", "completed", "rating", "help_requested", "ended_at", "language",
              "text_size", "practice_steps", "practice_first_try", "practice_shown"}


def start_run(db: sqlite_utils.Database, *, lesson_id: str, lesson_version: str, language: str,
              text_size: str, total_steps: int, run_id: str | None = None) -> dict:
    """Record that a resident opened a lesson; returns the new run (revision 1).

    ``run_id`` lets the caller choose the id (a UUIDv7) up front, so later updates can be queued
    before this write has finished.
    """
    now = now_iso()
    run = {
        "id": run_id or uuid7(), "device_id": device_id(db), "revision": 1, "lesson_id": lesson_id,
        "lesson_version": lesson_version, "language": language, "text_size": text_size,
        "furthest_step": 0, "total_steps": total_steps, "completed": 0, "rating": None,
        "help_requested": 0, "started_at": now, "ended_at": None, "updated_at": now,
    }
    with db.atomic():
        db["lesson_runs"].insert(run)
        outbox.append(db, "lesson_run", run)
    return run


def update_run(db: sqlite_utils.Database, run_id: str, **changes) -> dict:
    """Write a new revision of a run with ``changes``; returns the run as stored.

    ``furthest_step`` never goes backwards. Raises ``KeyError`` for an unknown run and
    ``ValueError`` for a field that may not change or a rating that is not one of ``RATINGS``.
    """
    unknown = set(changes) - _UPDATABLE
    if unknown:
        raise ValueError(f"lesson run fields cannot change: {', '.join(sorted(unknown))}")
    if changes.get("rating") not in (None, *RATINGS):
        raise ValueError(f"rating must be one of {', '.join(RATINGS)}")
    with db.atomic():
        run = dict(db["lesson_runs"].get(run_id))
        if "furthest_step" in changes:
            changes["furthest_step"] = max(run["furthest_step"], changes["furthest_step"])
        if all(run.get(k) == v for k, v in changes.items()):
            return run
        run.update(changes, revision=run["revision"] + 1, updated_at=now_iso())
        db["lesson_runs"].update(run_id, run)
        outbox.append(db, "lesson_run", run)
    return run


def request_help(db: sqlite_utils.Database, *, lesson_run_id: str | None, lesson_id: str | None,
                 step: int | None) -> dict:
    """Record that a resident pressed "Cần người giúp"; marks the run too. Returns the request."""
    now = now_iso()
    request = {
        "id": uuid7(), "device_id": device_id(db), "revision": 1, "lesson_run_id": lesson_run_id,
        "lesson_id": lesson_id, "step": step, "status": "open", "created_at": now,
        "taken_at": None, "updated_at": now,
    }
    with db.atomic():
        db["help_requests"].insert(request)
        outbox.append(db, "help_request", request)
        if lesson_run_id:
            update_run(db, lesson_run_id, help_requested=1)
    return request


def open_help_requests(db: sqlite_utils.Database) -> list[dict]:
    return list(db["help_requests"].rows_where("status = 'open'", order_by="created_at"))
