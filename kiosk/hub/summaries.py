"""Report summaries: per (day, help point) and per (month, help point) counts, kept exact.

The report rows (``kiosk.hub.projections``) hold one row per record; the summaries
(``schema.report_summary_days``, ``report_summary_months``, ``report_summary_extras``) add them
up, so a report reads ~2,000 points × 12 months of rows however many records there are.

They are kept by difference: ``project`` reads what the records of a chunk contribute before it
writes their report rows (``contributions``) and after, and ``apply`` adds the difference in the
same transaction. A new record adds its counts, a correction moves them (old revision out, new
in, even to another day or point), a resend or a late older revision changes nothing. That
holds with several hub processes on PostgreSQL too: the ingest has already written (so locked)
each record's row in ``records`` before its report rows are touched, so no other transaction can
change the same record's rows between the two reads. ``fill`` recounts them from the report rows
(the migration that adds them, and the tests' recount).
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache

import orjson
from sqlalchemy import Connection

from kiosk.hub.schema import (REPORT_OUTCOMES, SUMMARY_APP_COLUMNS, SUMMARY_COUNTS,
                              SUMMARY_FIELDS, SUMMARY_REASONS, SUMMARY_SERVICES,
                              summary_column)

POINT_LOCK = 7150002  # PostgreSQL advisory lock class: one help point's summary rows
Counts = dict  # {(day, point): {column name or (field, value) of an extra: n}}
_SESSION_FIELDS = tuple(SUMMARY_FIELDS)
_KINDS = {"assistance_session": "report_sessions", "lesson_run": "report_lesson_runs",
          "help_request": "report_help_requests"}


def contributions(connection: Connection, ids: dict[str, list[str]]) -> Counts:
    """What the report rows of these records (``{record_type: [record_id, …]}``) add to the
    summaries now. Read-only."""
    counts: Counts = defaultdict(lambda: defaultdict(int))
    for kind, record_ids in ids.items():
        if record_ids and kind in _KINDS:
            for row in _select(connection, _READS[kind], record_ids):
                _COUNTERS[kind](counts[(row[0], row[1])], row[2:])
    return counts


def apply(connection: Connection, before: Counts, after: Counts) -> None:
    """Add ``after`` minus ``before`` to the summary tables, in the caller's transaction. On
    PostgreSQL it first takes a transaction lock per help point (``POINT_LOCK``): an ingest
    is one device's, so of one point, and its chunks may touch that point's days in any order;
    with the point's lock held no other transaction waits on those rows while holding one of
    them, so no deadlock. Rows go in key order."""
    days: dict[tuple, dict] = {}
    extras: dict[tuple, int] = {}
    for key in set(before) | set(after):
        old, new = before.get(key, {}), after.get(key, {})
        for name in set(old) | set(new):
            change = new.get(name, 0) - old.get(name, 0)
            if change and isinstance(name, tuple):
                extras[(*key, *name)] = extras.get((*key, *name), 0) + change
            elif change:
                days.setdefault(key, {})[name] = change
    months: dict[tuple, dict] = {}
    for (day, point), changes in days.items():
        month = months.setdefault((day[:7], point), {})
        for name, change in changes.items():
            month[name] = month.get(name, 0) + change
    if connection.dialect.name == "postgresql" and (days or extras):
        for point in sorted({key[1] for key in days} | {key[1] for key in extras}):
            connection.exec_driver_sql("SELECT pg_advisory_xact_lock(%s, hashtext(%s))",
                                       (POINT_LOCK, point))
    sql = _statements(connection.dialect.name)
    for table, found in (("days", days), ("months", months)):
        if found:
            connection.exec_driver_sql(sql[table], [
                (*key, *(changes.get(name, 0) for name in SUMMARY_COUNTS))
                for key, changes in sorted(found.items())])
    if extras:
        connection.exec_driver_sql(sql["extras"], sorted((*key, n) for key, n in extras.items()))


def fill(connection: Connection) -> None:
    """Recount every summary from the report rows, into empty summary tables."""
    columns = ", ".join(SUMMARY_COUNTS)
    sums = ", ".join(f"SUM({name})" for name in SUMMARY_COUNTS)
    parts = " UNION ALL ".join(f"SELECT day, point, {', '.join(_fill_columns(kind))} FROM {table}"
                               for kind, table in (*_KINDS.items(), ("service", "report_services")))
    connection.exec_driver_sql(
        f"INSERT INTO report_summary_days (day, point, {columns}) SELECT day, point, {sums} "
        f"FROM ({parts}) AS parts GROUP BY day, point")
    connection.exec_driver_sql(
        f"INSERT INTO report_summary_months (month, point, {columns}) SELECT substr(day, 1, 7), "
        f"point, {sums} FROM report_summary_days GROUP BY substr(day, 1, 7), point")
    for field, table, column, count in _extra_sources():
        connection.exec_driver_sql(
            f"INSERT INTO report_summary_extras (day, point, field, value, n) SELECT day, point, "
            f"'{field}', {column}, {count} FROM {table} WHERE {column} IS NOT NULL AND {column} "
            f"NOT IN ({_literals(_known(field))}) GROUP BY day, point, {column} "
            f"HAVING {count} <> 0")


# -- counting one record's report rows ------------------------------------------------------

def _count_session(counts: dict, row: tuple) -> None:
    counts["sessions"] += 1
    for field, value in zip(_SESSION_FIELDS, row):
        counts[summary_column(field, value) or (field, value)] += 1


def _count_service(counts: dict, row: tuple) -> None:
    service, reason, flags = row[0], row[1], row[2:]
    counts[summary_column("app", "services", service) or ("app.services", service)] += 1
    for outcome, flag in zip(REPORT_OUTCOMES, flags):
        if flag:
            counts[summary_column("app", outcome, service) or (f"app.{outcome}", service)] += flag
    if reason is not None:
        counts[summary_column("reason", reason) or ("reason", reason)] += 1


def _count_lesson_run(counts: dict, row: tuple) -> None:
    counts["lesson_runs"] += 1
    counts["lesson_completions"] += row[0]


def _count_help_request(counts: dict, row: tuple) -> None:
    counts["help_requests"] += 1


def _count_session_and_services(counts: dict, row: tuple) -> None:
    """A session row joined with its services: ``row[:4]`` its fields, then as JSON the list
    of its services' ``[service, reason, *outcome flags]`` (none: ``None``)."""
    _count_session(counts, row[:4])
    for service in orjson.loads(row[4]) if row[4] else ():
        _count_service(counts, service)


_COUNTERS = {"assistance_session": _count_session_and_services,
             "lesson_run": _count_lesson_run, "help_request": _count_help_request}
_SERVICE_FIELDS = ", ".join(("v.service", "v.unsolved_reason",
                             *(f"v.{outcome}" for outcome in REPORT_OUTCOMES)))
_READS = {  # {ids} is filled per dialect; every read starts with day, point
    "assistance_session": (
        "SELECT s.day, s.point, s.age_band, s.gender, s.disability, s.satisfaction, "
        "(SELECT {array} FROM report_services v WHERE v.record_id = s.record_id) "
        "FROM report_sessions s WHERE s.record_id {ids}"),
    "lesson_run": "SELECT day, point, completed FROM report_lesson_runs WHERE record_id {ids}",
    "help_request": "SELECT day, point FROM report_help_requests WHERE record_id {ids}",
}


def _select(connection: Connection, sql: str, record_ids: list[str]):
    if connection.dialect.name == "sqlite":
        sql = sql.format(ids="IN (SELECT value FROM json_each(?))",
                         array=f"json_group_array(json_array({_SERVICE_FIELDS}))")
        return connection.exec_driver_sql(sql, (orjson.dumps(record_ids).decode(),))
    sql = sql.format(ids="= ANY(%(ids)b::varchar[])",
                     array=f"json_agg(json_build_array({_SERVICE_FIELDS}))::text")
    return connection.exec_driver_sql(sql, {"ids": record_ids})


# -- SQL --------------------------------------------------------------------------------------

@cache
def _statements(dialect: str) -> dict[str, str]:
    """The upserts that add changes to each summary table (positional parameters)."""
    mark = "?" if dialect == "sqlite" else "%s"
    statements = {}
    for name, period in (("days", "day"), ("months", "month")):
        table = f"report_summary_{name}"
        statements[name] = (
            f"INSERT INTO {table} ({period}, point, {', '.join(SUMMARY_COUNTS)}) VALUES "
            f"({', '.join([mark] * (len(SUMMARY_COUNTS) + 2))}) ON CONFLICT ({period}, point) "
            "DO UPDATE SET " + ", ".join(f"{c} = {table}.{c} + excluded.{c}"
                                         for c in SUMMARY_COUNTS))
    statements["extras"] = (
        f"INSERT INTO report_summary_extras (day, point, field, value, n) VALUES "
        f"({', '.join([mark] * 5)}) ON CONFLICT (day, point, field, value) "
        "DO UPDATE SET n = report_summary_extras.n + excluded.n")
    return statements


def _fill_columns(kind: str) -> list[str]:
    """For ``fill``: each summary column as an expression over one report table's row."""
    found = dict.fromkeys(SUMMARY_COUNTS, "0")
    if kind == "assistance_session":
        found["sessions"] = "1"
        for field, values in SUMMARY_FIELDS.items():
            for value in values:
                found[summary_column(field, value)] = _case(f"{field} = '{value}'", "1")
            found[summary_column(field, None)] = _case(f"{field} IS NULL", "1")
    elif kind == "service":
        for reason in SUMMARY_REASONS:
            found[summary_column("reason", reason)] = _case(f"unsolved_reason = '{reason}'", "1")
        for service in SUMMARY_SERVICES:
            for column in SUMMARY_APP_COLUMNS:
                found[summary_column("app", column, service)] = _case(
                    f"service = '{service}'", "1" if column == "services" else column)
    elif kind == "lesson_run":
        found["lesson_runs"], found["lesson_completions"] = "1", "completed"
    else:
        found["help_requests"] = "1"
    return [f"{expression} AS {name}" for name, expression in found.items()]


def _case(condition: str, value: str) -> str:
    return f"CASE WHEN {condition} THEN {value} ELSE 0 END"


def _extra_sources():
    """For ``fill``: (extra field, table, value column, count expression) of every extra."""
    for field in SUMMARY_FIELDS:
        yield field, "report_sessions", field, "COUNT(*)"
    yield "reason", "report_services", "unsolved_reason", "COUNT(*)"
    for column in SUMMARY_APP_COLUMNS:
        yield (f"app.{column}", "report_services", "service",
               "COUNT(*)" if column == "services" else f"SUM({column})")


def _known(field: str) -> tuple[str, ...]:
    if field == "reason":
        return SUMMARY_REASONS
    return SUMMARY_SERVICES if field.startswith("app.") else SUMMARY_FIELDS[field]


def _literals(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{value}'" for value in values)
