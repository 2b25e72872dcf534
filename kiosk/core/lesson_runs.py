"""Anonymous records of residents' self-guided lesson runs, and their calls for a volunteer.

A run is written when it starts and again (a new revision) when something worth keeping changes:
the resident asks for help, finishes, rates, or leaves. Each write appends to the outbox in the
same transaction. Nothing here identifies the resident. The record's fields and their format
revisions are in ``kiosk.core.lesson_run_format``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils

from kiosk.core.db import device_id, now_iso
from kiosk.core.ids import uuid7
from kiosk.core.lesson_run_format import (MAX_HELP_PRESSES, MAX_STEP, RECORD_FORMAT,
                                          format_problem, seconds_between)
from kiosk.sync import outbox

RATINGS = ("good", "ok", "bad")
_UPDATABLE = {"furthest_step", "completed", "rating", "help_requested", "ended_at", "language",
              "text_size", "practice_steps", "practice_first_try", "practice_shown",
              "practice_results", "duration_s"}
_JSON_FIELDS = ("help_steps", "practice_results")  # stored as JSON text, sent as JSON


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
        "record_format": RECORD_FORMAT, "help_steps": [], "practice_results": {},
        "duration_s": None,
    }
    with db.atomic():
        db["lesson_runs"].insert(_row(run))
        outbox.append(db, "lesson_run", run)
    return run


def update_run(db: sqlite_utils.Database, run_id: str, **changes) -> dict:
    """Write a new revision of a run with ``changes``; returns the run as stored.

    ``furthest_step`` never goes backwards. When ``ended_at`` is first written without
    ``duration_s``, the duration is worked out from the start and end times. Raises ``KeyError``
    for an unknown run and ``ValueError`` for a field that may not change, a rating that is not
    one of ``RATINGS``, or a value the record format refuses (``format_problem``).
    """
    unknown = set(changes) - _UPDATABLE
    if unknown:
        raise ValueError(f"lesson run fields cannot change: {', '.join(sorted(unknown))}")
    if changes.get("rating") not in (None, *RATINGS):
        raise ValueError(f"rating must be one of {', '.join(RATINGS)}")
    with db.atomic():
        return _revise(db, stored_run(db, run_id), changes)


def _revise(db: sqlite_utils.Database, run: dict, changes: dict) -> dict:
    """Write ``changes`` to ``run`` as its next revision, unless they change nothing."""
    if "furthest_step" in changes:
        changes["furthest_step"] = max(run["furthest_step"], changes["furthest_step"])
    if changes.get("ended_at") and run.get("duration_s") is None and "duration_s" not in changes:
        changes["duration_s"] = seconds_between(run["started_at"], changes["ended_at"])
    if all(run.get(k) == v for k, v in changes.items()):
        return run
    run = {**run, **changes, "revision": run["revision"] + 1, "updated_at": now_iso()}
    problem = format_problem(run)
    if problem:
        raise ValueError(problem)
    db["lesson_runs"].update(run["id"], _row(run))
    outbox.append(db, "lesson_run", run)
    return run


def stored_run(db: sqlite_utils.Database, run_id: str) -> dict:
    """The newest revision of a run as the outbox sends it (JSON fields as lists and objects).
    Raises ``KeyError`` for an unknown run."""
    run = dict(db["lesson_runs"].get(run_id))
    for name in _JSON_FIELDS:
        run[name] = json.loads(run[name])
    return run


def _row(run: dict) -> dict:
    """``run`` as its table row: the JSON fields as compact text."""
    return {**run, **{name: json.dumps(run[name], separators=(",", ":"), sort_keys=True)
                      for name in _JSON_FIELDS}}


def request_help(db: sqlite_utils.Database, *, lesson_run_id: str | None, lesson_id: str | None,
                 step: int | None) -> dict:
    """Record that a resident pressed "Cần người giúp"; marks the run too, adding ``step`` to
    its ``help_steps``. Returns the request."""
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
            run = stored_run(db, lesson_run_id)
            _revise(db, run, {"help_requested": 1,
                              "help_steps": _pressed(run["help_steps"], step)})
    return request


def _pressed(steps: list, step) -> list:
    """``steps`` with ``step`` added, unless it is no step number or the list is full (a help
    request is never refused for the sake of a figure)."""
    if isinstance(step, int) and 1 <= step <= MAX_STEP and len(steps) < MAX_HELP_PRESSES:
        return [*steps, step]
    return steps


def open_help_requests(db: sqlite_utils.Database) -> list[dict]:
    return list(db["help_requests"].rows_where("status = 'open'", order_by="created_at"))
