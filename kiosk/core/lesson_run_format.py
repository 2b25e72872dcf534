"""The lesson-run record's format, its revisions, and the upgrade of older ones (no database).

A lesson-run record names its format in ``record_format``; a record without one is format 1.
Each format adds fields, none is ever removed or changes meaning (docs/bundle-format.md):

* format 1: ``lesson_id``, ``lesson_version``, ``furthest_step``, ``total_steps``, ``completed``,
  ``rating``, ``help_requested``, ``practice_steps``, ``practice_first_try``,
  ``practice_shown``, ``started_at``, ``ended_at``…
* format 2: also ``help_steps`` (the 1-based step on which "Cần người giúp" was pressed, once per
  press, in order), ``practice_results`` (per 1-based step, as text: ``first_try``, ``found`` or
  ``shown``) and ``duration_s`` (whole seconds from the lesson's start to its end, measured on
  the kiosk; ``null`` until it ends).

Both the kiosk (before it writes) and the hub (when a record arrives) check a record with
``format_problem``; readers take any record through ``upgrade`` and so see one shape. Nothing
here identifies a resident.
"""

from __future__ import annotations

from datetime import datetime
from typing import Mapping

RECORD_FORMAT = 2
PRACTICE_RESULTS = ("first_try", "found", "shown")
MAX_STEP = 500  # a lesson has far fewer steps; the bound keeps a hostile record small
MAX_HELP_PRESSES = 200


def format_of(record: Mapping) -> int:
    """The record's format: its ``record_format``, 1 when it has none. Does not check it."""
    value = record.get("record_format", 1)
    return value if _whole(value) else 0


def format_problem(record: Mapping) -> str | None:
    """Why ``record`` is not a well-formed lesson run of a format this version knows or an older
    one, in plain words; ``None`` when it is. A format newer than ``RECORD_FORMAT`` is accepted
    as it stands (a newer kiosk adds fields, never changes them), its known fields checked."""
    found = format_of(record)
    if found < 1:
        return "the lesson run's record_format is not a whole number from 1"
    if found == 1:
        return None
    steps = record.get("help_steps")
    if not isinstance(steps, list) or len(steps) > MAX_HELP_PRESSES \
            or not all(_step(value) for value in steps):
        return "the lesson run's help_steps is not a short list of step numbers"
    results = record.get("practice_results")
    if not isinstance(results, dict) or len(results) > MAX_STEP or not all(
            isinstance(key, str) and key.isdigit() and _step(int(key))
            and value in PRACTICE_RESULTS for key, value in results.items()):
        return "the lesson run's practice_results is not a step-to-result object"
    duration = record.get("duration_s")
    if duration is not None and not (_whole(duration, low=0) and duration < 2**31):
        return "the lesson run's duration_s is not a whole number of seconds"
    return None


def upgrade(record: Mapping) -> dict:
    """``record`` (any known format, already checked) in the current format's shape. Fields an
    older format never recorded are ``None``: ``help_steps`` and ``practice_results`` are
    unknown, and ``duration_s`` is worked out from ``started_at`` and ``ended_at`` when both are
    there and in order."""
    found = dict(record)
    if format_of(found) < 2:
        found.update(help_steps=None, practice_results=None,
                     duration_s=seconds_between(found.get("started_at"), found.get("ended_at")))
    return found


def seconds_between(start, end) -> int | None:
    """Whole seconds from ISO time ``start`` to ``end``; ``None`` if either is missing, not a
    time with a zone, or ``end`` comes first."""
    try:
        first, last = datetime.fromisoformat(start), datetime.fromisoformat(end)
        seconds = (last - first).total_seconds()
    except (TypeError, ValueError):
        return None
    return round(seconds) if seconds >= 0 else None


def _whole(value, low: int = 1) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= low


def _step(value) -> bool:
    return _whole(value) and value <= MAX_STEP
