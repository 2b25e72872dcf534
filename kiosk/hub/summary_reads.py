"""Reading the report summaries (``kiosk.hub.summaries``): a period's counts per help point.

A period is read as its whole calendar months from ``report_summary_months`` and the days at its
ends from ``report_summary_days``, so a city's year is ~2,000 points × 12 rows. The counts of a
point are one dict: a summary column's name → n, and ``(field, value)`` → n for a value outside
the frozen lists, all under the key ``"extras"``. ``figures_of`` and ``totals_of`` turn counts into the shared figures
(``kiosk.reporting.figures``), exactly as counting the records one by one would.
Read-only; safe on any thread with its own connection.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from datetime import date, timedelta
from typing import Iterable

from sqlalchemy import Connection, func, select

from kiosk.hub.schema import (SUMMARY_APP_COLUMNS, SUMMARY_COUNTS,
                              SUMMARY_FIELDS, SUMMARY_REASONS, SUMMARY_SERVICES,
                              report_summary_days, report_summary_extras,
                              report_summary_months, summary_column)
from kiosk.hub.wards import points_of
from kiosk.reporting.figures import ELDERLY_BANDS, TOTAL_KEYS, UNRATED, figures, satisfaction_rate


def point_counts(connection: Connection, scope) -> dict[str, dict]:
    """Per help point of ``scope`` (a ``reports.Scope``): its counts over the period."""
    months, day_ranges = split(scope.start, scope.end)
    found: dict[str, dict] = {}
    if months is not None:
        _add_sums(connection, found, report_summary_months, "month", months, scope)
    for first, last in day_ranges:
        _add_sums(connection, found, report_summary_days, "day", (first, last), scope)
    x = report_summary_extras
    query = (select(x.c.point, x.c.field, x.c.value, func.sum(x.c.n))
             .where(*_conditions(x, "day", (scope.start, scope.end), scope))
             .group_by(x.c.point, x.c.field, x.c.value))
    for point, field, value, n in connection.execute(query):
        if n:
            extras = found.setdefault(point, {}).setdefault("extras", {})
            extras[(field, value)] = int(n)
    return {point: counts for point, counts in found.items() if any(counts.values())}


def day_counts(connection: Connection, scope) -> dict[str, tuple[int, int]]:
    """Per day of the period with any: ``(sessions, lesson runs)``."""
    d = report_summary_days
    query = (select(d.c.day, func.sum(d.c.sessions), func.sum(d.c.lesson_runs))
             .where(*_conditions(d, "day", (scope.start, scope.end), scope)).group_by(d.c.day))
    return {day: (int(s), int(r)) for day, s, r in connection.execute(query) if s or r}


def add_counts(many: Iterable[dict]) -> dict:
    """The counts of several points together."""
    many = list(many)
    columns = [[counts.get(name, 0) for name in SUMMARY_COUNTS] for counts in many]
    total = dict(zip(SUMMARY_COUNTS, map(sum, zip(*columns)))) if columns else {}
    extras: dict = defaultdict(int)
    for counts in many:
        for key, n in counts.get("extras", {}).items():
            extras[key] += n
    return {**total, "extras": dict(extras)} if extras else total


def figures_of(counts: dict) -> dict:
    """``kiosk.reporting.figures.figures`` of one or more points' counts."""
    fields = [_field_tally(counts, field) for field in SUMMARY_FIELDS]
    apps = {service: {column: counts.get(summary_column("app", column, service), 0)
                      for column in SUMMARY_APP_COLUMNS} for service in SUMMARY_SERVICES}
    reasons = {reason: counts.get(summary_column("reason", reason), 0)
               for reason in SUMMARY_REASONS}
    for key, n in counts.get("extras", {}).items():
        if n and key[0].startswith("app."):
            apps.setdefault(key[1], dict.fromkeys(SUMMARY_APP_COLUMNS, 0))[key[0][4:]] += n
        elif n and key[0] == "reason":
            reasons[key[1]] = n
    return figures(_groups(fields), apps, reasons, lesson_runs=counts.get("lesson_runs", 0),
                   lesson_completions=counts.get("lesson_completions", 0),
                   help_requests=counts.get("help_requests", 0))


def totals_of(counts: dict) -> dict:
    """The totals ``figures_of(counts)["totals"]`` gives, without the breakdowns (a city has
    2,000 points: this is what each point's line of the report needs)."""
    get = counts.get
    sessions = get("sessions", 0)
    elderly = sum(get(name, 0) for name in _ELDERLY)
    extras = get("extras", {})
    named_unrated = extras.get(("satisfaction", UNRATED), 0)  # a kiosk's own "unrated" value
    unrated = named_unrated or get(_UNRATED, 0)
    good = get(_GOOD, 0)
    sums = {column: sum(get(name, 0) for name in names) for column, names in _APP_TOTALS.items()}
    for key, n in extras.items():
        if key[0].startswith("app.") and key[0][4:] in sums:
            sums[key[0][4:]] += n  # a service this version does not know
    totals = {"sessions": sessions, "people_helped": sessions, "elderly_helped": elderly,
              "services": sums["services"], "referrals": sums["referred"],
              "not_solved": sums["not_solved"], "rated": sessions - unrated,
              "satisfaction_rate": satisfaction_rate(good, sessions - unrated),
              "lesson_runs": get("lesson_runs", 0),
              "lesson_completions": get("lesson_completions", 0),
              "help_requests": get("help_requests", 0)}
    return {key: totals[key] for key in TOTAL_KEYS}


_ELDERLY = [summary_column("age_band", band) for band in ELDERLY_BANDS]
_UNRATED, _GOOD = summary_column("satisfaction", None), summary_column("satisfaction", "good")
_APP_TOTALS = {column: [summary_column("app", column, service) for service in SUMMARY_SERVICES]
               for column in ("services", "referred", "not_solved")}


def split(start: str | None, end: str | None) -> tuple[tuple | None, list[tuple]]:
    """The days ``start``..``end`` (``YYYY-MM-DD``, ``None`` unbounded) as ``(first month,
    last month)`` of the whole months inside (``None`` for no whole month; either end ``None``
    for unbounded) and the ``(first day, last day)`` ranges left over at the ends."""
    first = None if start is None else (start[:7] if start.endswith("-01")
                                        else _month_after(start[:7]))
    last = None if end is None else (end[:7] if _month_of_day_after(end) != end[:7]
                                     else _month_before(end[:7]))
    if first is not None and last is not None and first > last:
        return None, [(start, end)]
    days = []
    if start is not None and not start.endswith("-01"):
        days.append((start, (date.fromisoformat(first + "-01") - timedelta(days=1)).isoformat()))
    if end is not None and _month_of_day_after(end) == end[:7]:
        days.append((end[:7] + "-01", end))
    return (first, last), days


def _add_sums(connection, found, table, period: str, bounds: tuple, scope) -> None:
    query = (select(table.c.point, *(func.sum(table.c[name]) for name in SUMMARY_COUNTS))
             .where(*_conditions(table, period, bounds, scope)).group_by(table.c.point))
    for point, *sums in connection.execute(query):
        if point not in found:
            found[point] = dict(zip(SUMMARY_COUNTS, sums))
            continue
        counts = found[point]
        for name, n in zip(SUMMARY_COUNTS, sums):
            counts[name] = counts.get(name, 0) + n


def _conditions(table, period: str, bounds: tuple, scope) -> list:
    column, (first, last) = table.c[period], bounds
    conditions = [] if first is None else [column >= first]
    conditions += [] if last is None else [column <= last]
    if scope.point is not None:
        conditions.append(table.c.point == scope.point)
    if scope.ward is not None:
        conditions.append(table.c.point.in_(points_of(scope.ward)))
    return conditions


def _field_tally(counts: dict, field: str) -> dict:
    """``{value: n}`` of one session field, ``None`` for "not given", odd values included."""
    tally = {value: counts.get(summary_column(field, value), 0)
             for value in (*SUMMARY_FIELDS[field], None)}
    tally.update({key[1]: n for key, n in counts.get("extras", {}).items()
                  if key[0] == field and n})
    return tally


def _groups(tallies: list[dict]) -> list[tuple]:
    """Session groups ``(age_band, gender, disability, satisfaction, n)`` with these tallies
    of each field. ``figures`` reads each field's tally on its own, never two fields together,
    so lining the sessions up field by field gives it exactly the numbers of the records."""
    spans, cuts = [], set()
    for tally in tallies:
        ends, values, total = [], [], 0
        for value, n in tally.items():
            if n > 0:
                total += n
                ends.append(total)
                values.append(value)
        spans.append((ends, values))
        cuts.update(ends)
    groups, previous = [], 0
    for cut in sorted(cuts):
        row = [values[bisect_left(ends, cut)] if bisect_left(ends, cut) < len(ends) else None
               for ends, values in spans]
        groups.append((*row, cut - previous))
        previous = cut
    return groups


def _month_after(month: str) -> str:
    year, number = int(month[:4]), int(month[5:7])
    return f"{year + number // 12:04d}-{number % 12 + 1:02d}"


def _month_before(month: str) -> str:
    year, number = int(month[:4]), int(month[5:7])
    return f"{year - (number == 1):04d}-{(number - 2) % 12 + 1:02d}"


def _month_of_day_after(day: str) -> str:
    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()[:7]

