"""The ward report: the one query layer behind the dashboard, ``kiosk-hub report`` and every export.

``ward_report`` adds up the report summaries (``kiosk.hub.summaries``, read by
``kiosk.hub.summary_reads``) for a period and help point and hands the tallies to
``kiosk.reporting.figures.figures``, the same function the kiosk's own
counts use, so a figure means the same on a kiosk's admin screen, on the dashboard, in the CSV, the
workbook and the JSON (DESIGN.md lesson 12; docs/reports.md says what each counts).
``report_rows`` streams the anonymous per-session rows for the detailed exports.

Days are calendar days in Vietnam (UTC+7) of the record's own start (a session's or lesson run's
``started_at``, a help request's ``created_at``), both ends included; ``None`` is unbounded.
Read-only; safe on any thread with its own connection.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Iterator, NamedTuple

from sqlalchemy import Connection, Table, select

from kiosk.core.journal import SERVICES
from kiosk.hub.devices import unsent_estimate
from kiosk.hub.schema import (REPORT_OUTCOMES, devices, help_points, report_services,
                              report_sessions, wards)
from kiosk.hub.summary_reads import add_counts, day_counts, figures_of, point_counts, totals_of
from kiosk.hub.wards import points_of

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
    counts = point_counts(connection, scope)
    overall = figures_of(add_counts(counts.values()))
    known = _devices_by_point(connection, scope)
    names = [point] if point is not None else sorted({name for name in known if name} | set(counts))
    return {"period": {"from": scope.start, "to": scope.end}, "point": point,
            **({"ward": ward} if ward is not None else {}),
            "totals": overall.pop("totals"), **overall,
            "by_point": {name: {**totals_of(counts.get(name, {})),
                                **known.get(name, {"devices": 0, "last_sync_at": None,
                                                   "unsent": None})} for name in names},
            "activity": _activity(connection, scope),
            "points": sorted(name for name in set(known) | set(counts) if name)}


def city_figures(connection: Connection, *, start: date | None, end: date | None) -> dict:
    """Every ward's figures and the whole city's for days ``start``..``end``, from one read of
    the summaries for every point at once (not one report per ward): ``{"wards": {NAME: entry},
    "city": entry}``, an entry being ``figures_of``'s dict plus ``"points"`` (names) and
    ``"last_sync_at"``. The same numbers as each ward's ``ward_report``. Read-only."""
    scope = Scope.of(start, end, None)
    counts = point_counts(connection, scope)
    known = _devices_by_point(connection, scope)
    ward_of = dict(connection.execute(select(help_points.c.name, help_points.c.ward)).all())
    members: dict[str | None, set] = {name: set() for name in
                                      connection.execute(select(wards.c.name)).scalars()}
    for name in (set(known) | set(counts)) - {""}:
        members.setdefault(ward_of.get(name), set()).add(name)
    everyone = set().union(*members.values()) | set(counts)

    def entry(points: set) -> dict:
        return {**figures_of(add_counts(counts[p] for p in points if p in counts)),
                "points": sorted(p for p in points if p),
                "last_sync_at": max((known[p]["last_sync_at"] for p in points
                                     if p in known and known[p]["last_sync_at"]), default=None)}

    return {"wards": {name: entry(points) for name, points in members.items()
                      if name is not None}, "city": entry(everyone)}


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
    counts = day_counts(connection, scope)
    days = sorted(counts)
    if scope.start is not None and scope.end is not None:
        first, last = date.fromisoformat(scope.start), date.fromisoformat(scope.end)
        if (last - first).days < EVERY_DAY_LIMIT:
            days = [(first + timedelta(days=n)).isoformat()
                    for n in range(max(0, (last - first).days + 1))]
    return [{"date": day, "sessions": counts.get(day, (0, 0))[0],
             "lesson_runs": counts.get(day, (0, 0))[1]} for day in days]


def _day_text(value: date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date()
    return value.isoformat()
