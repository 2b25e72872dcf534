"""Local counts: the one query layer for every number the kiosk shows about its own work.

The admin screen, ``kiosk status`` and the ward report's kiosk-side figures all read their numbers
here, so no two views of a number can disagree (DESIGN.md, lesson 12). docs/reports.md says what
each number counts. Every function is read-only.

A period is ``[start, end)`` in aware datetimes; ``None`` for either end means unbounded. Days and
weeks are the kiosk's local calendar days (the time zone of ``now``), stored times are UTC.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import sqlite_utils

from kiosk.journal import (AGE_BANDS, OUTCOMES, SATISFACTION, SERVICES, UNSOLVED_REASONS,
                           stored_time)


class Period(NamedTuple):
    """``[start, end)``; ``None`` is unbounded. Unpacks as ``start, end``."""

    start: datetime | None = None
    end: datetime | None = None


ALL_TIME = Period()


def today(now: datetime | None = None) -> Period:
    """The local calendar day of ``now`` (default: now, in the computer's time zone)."""
    now = now or datetime.now().astimezone()
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return Period(start, start + timedelta(days=1))


def this_week(now: datetime | None = None) -> Period:
    """The local calendar week of ``now``, Monday to Sunday."""
    day = today(now).start
    start = day - timedelta(days=day.weekday())
    return Period(start, start + timedelta(days=7))


def local_counts(db: sqlite_utils.Database, period: Period = ALL_TIME) -> dict:
    """Every count for ``period``, as described in docs/reports.md. Read-only.

    Breakdowns list every known value, zeros included, in the constants' order.
    """
    sessions = session_count(db, period)
    satisfaction = _grouped(db, "satisfaction", period, SATISFACTION)
    rated = sum(satisfaction.values())
    return {
        "period": {"start": _bound(period.start), "end": _bound(period.end)},
        "sessions": sessions,
        "people_helped": sessions,
        "services": _services_count(db, period),
        "by_app": _by_service(db, period),
        "by_outcome": _by_outcome(db, period),
        "unsolved_by_reason": _by_reason(db, period),
        "satisfaction": {**satisfaction, "unrated": sessions - rated},
        "satisfaction_rate": round(satisfaction["good"] / rated, 4) if rated else None,
        "age_bands": _grouped(db, "age_band", period, AGE_BANDS),
        **lesson_counts(db, period),
    }


def session_count(db: sqlite_utils.Database, period: Period = ALL_TIME) -> int:
    """People helped: assistance sessions that started in ``period`` (each counted once, at its
    latest revision)."""
    where, params = _where("started_at", period)
    return db.execute(f"SELECT count(*) FROM assistance_sessions WHERE {where}",
                      params).fetchone()[0]


def lesson_counts(db: sqlite_utils.Database, period: Period = ALL_TIME) -> dict:
    """Residents' self-guided lesson runs started in ``period``, those completed, and help
    requests raised in ``period`` (with how many are still open)."""
    where, params = _where("started_at", period)
    runs, completed = db.execute(
        f"SELECT count(*), coalesce(sum(completed), 0) FROM lesson_runs WHERE {where}",
        params).fetchone()
    where, params = _where("created_at", period)
    requests, still_open = db.execute(
        f"SELECT count(*), coalesce(sum(status = 'open'), 0) FROM help_requests WHERE {where}",
        params).fetchone()
    return {"lesson_runs": runs, "lesson_completions": completed, "help_requests": requests,
            "help_requests_open": still_open}


def _services_count(db: sqlite_utils.Database, period: Period) -> int:
    where, params = _where("a.started_at", period)
    return db.execute(f"SELECT coalesce(sum(json_array_length(a.services)), 0) "
                      f"FROM assistance_sessions a WHERE {where}", params).fetchone()[0]


def _by_service(db: sqlite_utils.Database, period: Period) -> dict[str, int]:
    where, params = _where("a.started_at", period)
    rows = db.execute(
        f"SELECT json_extract(s.value, '$.service'), count(*) FROM assistance_sessions a, "
        f"json_each(a.services) s WHERE {where} GROUP BY 1", params).fetchall()
    return _in_order(rows, SERVICES)


def _by_outcome(db: sqlite_utils.Database, period: Period) -> dict[str, int]:
    where, params = _where("a.started_at", period)
    rows = db.execute(
        f"SELECT o.value, count(*) FROM assistance_sessions a, json_each(a.services) s, "
        f"json_each(s.value, '$.outcomes') o WHERE {where} GROUP BY 1", params).fetchall()
    return _in_order(rows, OUTCOMES)


def _by_reason(db: sqlite_utils.Database, period: Period) -> dict[str, int]:
    where, params = _where("a.started_at", period)
    rows = db.execute(
        f"SELECT json_extract(s.value, '$.unsolved_reason') AS reason, count(*) "
        f"FROM assistance_sessions a, json_each(a.services) s "
        f"WHERE {where} AND reason IS NOT NULL GROUP BY 1", params).fetchall()
    return _in_order(rows, UNSOLVED_REASONS)


def _grouped(db: sqlite_utils.Database, column: str, period: Period,
             order: tuple[str, ...]) -> dict[str, int]:
    where, params = _where("started_at", period)
    rows = db.execute(f"SELECT {column}, count(*) FROM assistance_sessions "
                      f"WHERE {where} AND {column} IS NOT NULL GROUP BY 1", params).fetchall()
    return _in_order(rows, order)


def _in_order(rows: list[tuple], order: tuple[str, ...]) -> dict[str, int]:
    """Counts for every value of ``order``, zeros included; values outside it (from a newer
    version's records) are kept after them rather than dropped."""
    found = dict(rows)
    counts = {value: found.pop(value, 0) for value in order}
    return {**counts, **{str(k): v for k, v in sorted(found.items(), key=str)}}


def _where(column: str, period: Period) -> tuple[str, list]:
    clauses, params = ["1"], []
    if period.start is not None:
        clauses.append(f"{column} >= ?")
        params.append(stored_time(period.start))
    if period.end is not None:
        clauses.append(f"{column} < ?")
        params.append(stored_time(period.end))
    return " AND ".join(clauses), params


def _bound(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment is not None else None
