"""The ward report: the one query layer behind the dashboard, ``kiosk-hub report`` and every export.

``ward_report`` counts the report projections (``kiosk.hub.projections``) for a period and help
point and hands the tallies to ``kiosk.reporting.figures.figures``, the same function the kiosk's own
counts use, so a figure means the same on a kiosk's admin screen, on the dashboard, in the CSV, the
workbook and the JSON (DESIGN.md lesson 12; docs/reports.md says what each counts).
``report_rows`` streams the anonymous per-session rows for the detailed exports.

Days are calendar days in Vietnam (UTC+7) of the record's own start (a session's or lesson run's
``started_at``, a help request's ``created_at``), both ends included; ``None`` is unbounded.
Read-only; safe on any thread with its own connection.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Iterator, NamedTuple

from sqlalchemy import Connection, Table, func, select

from kiosk.hub.devices import unsent_estimate
from kiosk.hub.schema import (REPORT_OUTCOMES, devices, report_help_requests, report_lesson_runs,
                              report_services, report_sessions)
from kiosk.hub.wards import points_of
from kiosk.core.journal import SERVICES
from kiosk.reporting.figures import (APP_COLUMNS, ELDERLY_BANDS, TOTAL_KEYS, UNRATED, figures,
                                  satisfaction_rate)

EVERY_DAY_LIMIT = 400  # a bounded period up to this many days lists every day in ``activity``
ROWS_PER_FETCH = 1000


class Scope(NamedTuple):
    """What a report covers: days ``start``..``end`` (YYYY-MM-DD, both included, ``None``
    unbounded) at help point ``point`` (``None``: every point) of ``ward`` (``None``: the city,
    every ward's points and those of none)."""

    start: str | None
    end: str | None
    point: str | None
    ward: str | None = None

    @classmethod
    def of(cls, start: date | None, end: date | None, point: str | None,
           ward: str | None = None) -> Scope:
        return cls(_day_text(start), _day_text(end), point, ward)

    def where(self, table: Table) -> list:
        conditions = []
        if self.start is not None:
            conditions.append(table.c.day >= self.start)
        if self.end is not None:
            conditions.append(table.c.day <= self.end)
        if self.point is not None:
            conditions.append(table.c.point == self.point)
        if self.ward is not None:
            conditions.append(table.c.point.in_(points_of(self.ward)))
        return conditions


def ward_report(connection: Connection, *, start: date | None, end: date | None,
                point: str | None, ward: str | None = None) -> dict:
    """The ward report for days ``start``..``end`` (Vietnam calendar days, both included;
    ``None``: unbounded) at help point ``point`` (``None``: all) of ``ward`` (``None``: the
    whole city). Nothing of another ward's points is counted or named. Read-only.

    Returns ``{"period": {"from", "to"}, "point", "totals", "by_age_band", "by_gender",
    "by_disability", "satisfaction", "by_app", "services_by_app", "by_outcome",
    "unsolved_by_reason", "by_point", "activity", "points"}`` as docs/reports.md describes. A
    period whose start is after its end is simply empty. Raises only what the database raises.
    """
    scope = Scope.of(start, end, point, ward)
    groups = _session_groups(connection, scope)
    apps = _app_counts(connection, scope)
    runs = _per_point(connection, report_lesson_runs, scope, report_lesson_runs.c.completed)
    requests = _per_point(connection, report_help_requests, scope)
    data_points = set(groups) | set(apps) | set(runs) | set(requests)
    overall = _figures([row for rows in groups.values() for row in rows],
                       [counts for counts in apps.values()], list(runs.values()),
                       list(requests.values()))
    known = _devices_by_point(connection, scope)
    return {"period": {"from": scope.start, "to": scope.end}, "point": point,
            **({"ward": ward} if ward is not None else {}),
            "totals": overall.pop("totals"), **overall,
            "by_point": _by_point(scope, known, data_points, groups, apps, runs, requests),
            "activity": _activity(connection, scope),
            "points": sorted(name for name in set(known) | data_points if name)}


def report_rows(connection: Connection, *, start: date | None, end: date | None,
                point: str | None, ward: str | None = None) -> Iterator[dict]:
    """The anonymous per-session rows of the same period and point, in day order (then in the
    order they were recorded: ids are time-ordered; on SQLite that is the table's own order, so
    nothing is sorted), streamed from the database ``ROWS_PER_FETCH`` at a time: each
    ``{"day", "point", "age_band", "gender", "disability", "satisfaction", "duration_s",
    "services": [{"service", "outcomes": [...], "unsolved_reason"}]}``. Nothing else: no
    record or volunteer id, note, neighbourhood or time of day. Keep ``connection`` open while
    iterating. ``ward`` limits them to that ward's points."""
    scope = Scope.of(start, end, point, ward)
    s, v = report_sessions, report_services
    query = (select(s.c.record_id, s.c.day, s.c.point, s.c.age_band, s.c.gender, s.c.disability,
                    s.c.satisfaction, s.c.duration_s, v.c.service, v.c.unsolved_reason,
                    *(v.c[outcome] for outcome in REPORT_OUTCOMES))
             .select_from(s.outerjoin(v, v.c.record_id == s.c.record_id))
             .where(*scope.where(s)).order_by(s.c.day, s.c.record_id))
    stream = connection.execute(query.execution_options(yield_per=ROWS_PER_FETCH))
    current, record_id = None, None
    for row in stream:  # a session's rows come together: one per service (or one, without)
        if row[0] != record_id:
            if current is not None:
                yield _finished(current)
            record_id, current = row[0], dict(zip(_ROW_FIELDS, row[1:8]), services=[])
        if row[8] is not None:
            current["services"].append(_service(row))
    if current is not None:
        yield _finished(current)


_ROW_FIELDS = ("day", "point", "age_band", "gender", "disability", "satisfaction", "duration_s")


def _service(row: tuple) -> dict:
    """The service of one joined row: column 8 the service, 9 its reason, then outcome flags."""
    return {"service": row[8],
            "outcomes": [outcome for outcome, flag in zip(REPORT_OUTCOMES, row[10:]) if flag],
            "unsolved_reason": row[9]}


def _finished(row: dict) -> dict:
    order = {service: index for index, service in enumerate(SERVICES)}
    row["services"].sort(key=lambda entry: (order.get(entry["service"], len(order)),
                                            entry["service"]))
    return row


def _session_groups(connection: Connection, scope: Scope) -> dict[str, list[tuple]]:
    """Per point: ``(age_band, gender, disability, satisfaction, n)`` rows."""
    s = report_sessions
    columns = (s.c.point, s.c.age_band, s.c.gender, s.c.disability, s.c.satisfaction)
    found = defaultdict(list)
    for point, *values, n in connection.execute(  # all at once: row by row costs 3× more
            select(*columns, func.count()).where(*scope.where(s)).group_by(*columns)).all():
        found[point].append((*values, n))
    return found


def _app_counts(connection: Connection, scope: Scope) -> dict[str, list[tuple]]:
    """Per point: ``(service, unsolved_reason, {column: n})`` rows."""
    v = report_services
    columns = (v.c.point, v.c.service, v.c.unsolved_reason)
    sums = [func.sum(v.c[outcome]) for outcome in REPORT_OUTCOMES]
    found = defaultdict(list)
    for point, service, reason, n, *outcomes in connection.execute(
            select(*columns, func.count(), *sums).where(*scope.where(v)).group_by(*columns)).all():
        found[point].append((service, reason, dict(zip(APP_COLUMNS, (n, *outcomes)))))
    return found


def _per_point(connection: Connection, table: Table, scope: Scope,
               flag=None) -> dict[str, tuple[int, int]]:
    """Per point: ``(rows, rows with flag set)``."""
    flagged = func.coalesce(func.sum(flag), 0) if flag is not None else func.count() * 0
    query = (select(table.c.point, func.count(), flagged).where(*scope.where(table))
             .group_by(table.c.point))
    return {point: (n, int(done)) for point, n, done in connection.execute(query)}


def _figures(groups: list[tuple], app_rows: list[list[tuple]], runs: list[tuple[int, int]],
             requests: list[tuple[int, int]]) -> dict:
    """``kiosk.reporting.figures.figures`` over the tallies of one or more points."""
    apps: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(APP_COLUMNS, 0))
    reasons: dict[str, int] = defaultdict(int)
    for rows in app_rows:
        for service, reason, counts in rows:
            for column, n in counts.items():
                apps[service][column] += int(n or 0)
            if reason is not None:
                reasons[reason] += counts["services"]
    return figures(groups, apps, reasons, lesson_runs=sum(n for n, _ in runs),
                   lesson_completions=sum(done for _, done in runs),
                   help_requests=sum(n for n, _ in requests))


def _by_point(scope: Scope, known: dict, data_points: set, groups, apps, runs,
              requests) -> dict[str, dict]:
    """Every figure per help point, with its kiosks' last contact and unsent estimate."""
    names = [scope.point] if scope.point is not None else \
        sorted({name for name in known if name} | data_points)
    result = {}
    for name in names:
        totals = _point_totals(groups.get(name, []), apps.get(name, []),
                               runs.get(name, (0, 0)), requests.get(name, (0, 0)))
        result[name] = {**totals,
                        **known.get(name, {"devices": 0, "last_sync_at": None, "unsent": None})}
    return result


def _point_totals(groups: list[tuple], app_rows: list[tuple], runs: tuple[int, int],
                  requests: tuple[int, int]) -> dict:
    """The totals of one point, the same numbers as ``_figures(...)["totals"]`` gives, without
    the breakdowns a point's line does not show (a city has 2,000 points: building every
    breakdown of each took most of a city report's time)."""
    sessions = elderly = unrated = good = 0
    named_unrated = None  # a kiosk's own "unrated" value replaces the count, as in ``breakdown``
    for age_band, _, _, satisfaction, n in groups:
        sessions += n
        elderly += n if age_band in ELDERLY_BANDS else 0
        unrated += n if satisfaction is None else 0
        good += n if satisfaction == "good" else 0
        if satisfaction == UNRATED:
            named_unrated = (named_unrated or 0) + n
    unrated = unrated if named_unrated is None else named_unrated
    services = referrals = not_solved = 0
    for _, _, counts in app_rows:
        services += int(counts["services"] or 0)
        referrals += int(counts["referred"] or 0)
        not_solved += int(counts["not_solved"] or 0)
    totals = {"sessions": sessions, "people_helped": sessions, "elderly_helped": elderly,
              "services": services, "referrals": referrals, "not_solved": not_solved,
              "rated": sessions - unrated,
              "satisfaction_rate": satisfaction_rate(good, sessions - unrated),
              "lesson_runs": runs[0], "lesson_completions": runs[1], "help_requests": requests[0]}
    return {key: totals[key] for key in TOTAL_KEYS}


def _devices_by_point(connection: Connection, scope: Scope) -> dict[str, dict]:
    """Per point (of the scope's ward): kiosks, their latest contact, and their unsent rows
    (``None``: none said)."""
    found: dict[str, dict] = {}
    query = select(devices.c.point, devices.c.last_seen_at, devices.c.kiosk_last_seq,
                   devices.c.acknowledged_seq)
    if scope.ward is not None:
        query = query.where(devices.c.point.in_(points_of(scope.ward)))
    for point, seen, newest, acknowledged in connection.execute(query):
        entry = found.setdefault(point, {"devices": 0, "last_sync_at": None, "unsent": None})
        entry["devices"] += 1
        entry["last_sync_at"] = max(filter(None, (entry["last_sync_at"], seen)), default=None)
        unsent = unsent_estimate(newest, acknowledged)
        if unsent is not None:
            entry["unsent"] = (entry["unsent"] or 0) + unsent
    return found


def _activity(connection: Connection, scope: Scope) -> list[dict]:
    """Sessions and lesson runs per day: every day of a bounded period up to
    ``EVERY_DAY_LIMIT`` days, else the days that have any."""
    counts = {}
    for name, table in (("sessions", report_sessions), ("lesson_runs", report_lesson_runs)):
        counts[name] = dict(connection.execute(
            select(table.c.day, func.count()).where(*scope.where(table))
            .group_by(table.c.day)).all())
    days = sorted(set(counts["sessions"]) | set(counts["lesson_runs"]))
    if scope.start is not None and scope.end is not None:
        first, last = date.fromisoformat(scope.start), date.fromisoformat(scope.end)
        if (last - first).days < EVERY_DAY_LIMIT:
            days = [(first + timedelta(days=n)).isoformat()
                    for n in range(max(0, (last - first).days + 1))]
    return [{"date": day, "sessions": counts["sessions"].get(day, 0),
             "lesson_runs": counts["lesson_runs"].get(day, 0)} for day in days]


def _day_text(value: date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date()
    return value.isoformat()
