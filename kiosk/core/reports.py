"""Local counts: the one query layer for every number the kiosk shows about its own work.

The admin screen, ``kiosk status`` and the ward report's kiosk-side figures all read their numbers
here, so no two views of a number can disagree (DESIGN.md, lesson 12). The figures themselves are
made by ``kiosk.reporting.figures``, which the ward hub's report uses too, so a number means the same
on the kiosk and at the ward. docs/reports.md says what each number counts. Every function is
read-only.

A period is ``[start, end)`` in aware datetimes; ``None`` for either end means unbounded. Days and
weeks are the kiosk's local calendar days (the time zone of ``now``), stored times are UTC.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import sqlite_utils

from kiosk.core.journal import stored_time
from kiosk.reporting.figures import figures


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

    The figures are the hub's (``kiosk.reporting.figures.figures``): the keys of the ward report's
    ``totals`` at the top level, the same breakdowns (``by_age_band``, ``by_gender``,
    ``by_disability``, ``by_app``, ``services_by_app``, ``by_outcome``, ``unsolved_by_reason``,
    ``satisfaction``), plus ``period`` and ``help_requests_open``. Breakdowns list every known
    value, zeros included, in the constants' order.
    """
    lessons = lesson_counts(db, period)
    shared = figures(_session_groups(db, period), _app_counts(db, period),
                     _reasons(db, period), lesson_runs=lessons["lesson_runs"],
                     lesson_completions=lessons["lesson_completions"],
                     help_requests=lessons["help_requests"])
    return {"period": {"start": _bound(period.start), "end": _bound(period.end)},
            **shared.pop("totals"), "help_requests_open": lessons["help_requests_open"],
            **shared}


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


def _session_groups(db: sqlite_utils.Database, period: Period) -> list[tuple]:
    where, params = _where("started_at", period)
    return db.execute(f"SELECT age_band, gender, disability, satisfaction, count(*) "
                      f"FROM assistance_sessions WHERE {where} GROUP BY 1, 2, 3, 4",
                      params).fetchall()


def _app_counts(db: sqlite_utils.Database, period: Period) -> dict[str, dict[str, int]]:
    """Per service: services helped with, and per outcome the services that achieved it."""
    where, params = _where("a.started_at", period)
    counts: dict[str, dict[str, int]] = {}
    for service, n in db.execute(
            f"SELECT json_extract(s.value, '$.service'), count(*) FROM assistance_sessions a, "
            f"json_each(a.services) s WHERE {where} GROUP BY 1", params):
        counts.setdefault(service, {})["services"] = n
    for service, outcome, n in db.execute(
            f"SELECT json_extract(s.value, '$.service'), o.value, count(*) "
            f"FROM assistance_sessions a, json_each(a.services) s, "
            f"json_each(s.value, '$.outcomes') o WHERE {where} GROUP BY 1, 2", params):
        counts.setdefault(service, {})[outcome] = n
    return counts


def _reasons(db: sqlite_utils.Database, period: Period) -> dict[str, int]:
    where, params = _where("a.started_at", period)
    return dict(db.execute(
        f"SELECT json_extract(s.value, '$.unsolved_reason') AS reason, count(*) "
        f"FROM assistance_sessions a, json_each(a.services) s "
        f"WHERE {where} AND reason IS NOT NULL GROUP BY 1", params).fetchall())


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
