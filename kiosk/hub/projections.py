"""Report projections: the small rows the ward report counts, made from records as they arrive.

For each record the hub stores, one row of ``report_sessions`` (and one of ``report_services``
per service), ``report_lesson_runs`` or ``report_help_requests`` holds the anonymous fields a
report needs, its Vietnam calendar day and its help point. The ingest path writes them in the same
transaction as the record itself (``project``), so a report never sees a record without its row.

Every write is guarded by the record's revision: a correction replaces the rows of the revision
before it, while a resend or an older revision arriving late changes nothing, whichever order
they come in. So ``project`` may be given records the ingest did not in fact write, and running
it twice leaves the same rows as once. Nothing personal is copied: no note, no volunteer, no
neighbourhood (a session's start time is kept, but no report shows finer than its day).
"""

from __future__ import annotations

from functools import cache
from typing import Iterable, Mapping

import orjson
from sqlalchemy import Connection, Integer, SmallInteger, UniqueConstraint, select

from kiosk.hub import summaries
from kiosk.hub.schema import (REPORT_OUTCOMES, devices, records, report_help_requests,
                              report_lesson_runs, report_services, report_sessions)
from kiosk.reporting.figures import local_day

CHUNK = 2000
TEXT_LIMIT = 40


def project(connection: Connection, entries: Iterable[dict], points: Mapping[str, str], *,
            summarise: bool = True) -> None:
    """Write the report rows of ``entries`` in the caller's transaction, and (``summarise``)
    move the report summaries by what they change (``kiosk.hub.summaries``).

    Each entry is ``{"record_type", "record_id", "device_id", "revision", "received_at",
    "record"}`` (the record as a dict); ``points`` gives each device's help point (missing: "").
    Records of other types are ignored. Raises only what the database raises.
    """
    rows: dict[str, list] = {kind: [] for kind in _BUILDERS}
    cleaned = {device: _clean(point or "") for device, point in points.items()}
    for entry in entries:
        build = _BUILDERS.get(entry["record_type"])
        if build is not None:
            rows[entry["record_type"]].append(build(entry, cleaned.get(entry["device_id"], "")))
    ids = {kind: [row[0][0] if kind == "assistance_session" else row[0] for row in found]
           for kind, found in rows.items() if found}
    before = summaries.contributions(connection, ids) if summarise else None
    statements = _statements(connection.dialect.name)
    for kind in ("lesson_run", "help_request"):
        if rows[kind]:
            _write(connection, statements, kind, rows[kind])
    if rows["assistance_session"]:
        _project_sessions(connection, rows["assistance_session"], statements)
    if summarise:
        summaries.apply(connection, before, summaries.contributions(connection, ids))


def backfill(connection: Connection, *, summarise: bool = False) -> None:
    """Project every record already stored (the migration that adds the tables calls this,
    before the summaries exist: ``summaries.fill`` counts them once the rows are in).
    Reads the records as a stream, ``CHUNK`` at a time."""
    points = dict(connection.execute(select(devices.c.device_id, devices.c.point)).all())
    query = select(records.c.record_type, records.c.record_id, records.c.device_id,
                   records.c.revision, records.c.received_at, records.c.payload).where(
        records.c.record_type.in_(list(_BUILDERS)))
    stream = connection.execute(query.execution_options(yield_per=CHUNK))
    for part in stream.mappings().partitions():
        entries = []
        for row in part:
            try:
                record = orjson.loads(row["payload"])
            except orjson.JSONDecodeError:
                continue
            entries.append({**row, "record": record if isinstance(record, dict) else {}})
        project(connection, entries, points, summarise=summarise)


def session_services(record: Mapping) -> list[dict]:
    """The services of a session record as the report counts them: ``{"service", "outcomes":
    set, "unsolved_reason"}``, each service once (the first entry wins), malformed entries left
    out."""
    services = record.get("services")
    if isinstance(services, str):
        try:
            services = orjson.loads(services)
        except orjson.JSONDecodeError:
            services = None
    found: dict[str, dict] = {}
    for entry in services if isinstance(services, list) else ():
        name = _text(entry.get("service")) if isinstance(entry, dict) else None
        if name is None or name in found:
            continue
        outcomes = entry.get("outcomes")
        found[name] = {"service": name,
                       "outcomes": {o for o in outcomes if isinstance(o, str)}
                       & set(REPORT_OUTCOMES) if isinstance(outcomes, list) else set(),
                       "unsolved_reason": _text(entry.get("unsolved_reason"))}
    return list(found.values())


def _project_sessions(connection: Connection, sessions: list[tuple], statements: dict) -> None:
    """Sessions, then the services of those now stored at exactly the revision given: their
    rows of any older revision go, the new ones come in (a same-revision resend finds them
    there already and changes nothing)."""
    _write(connection, statements, "assistance_session", [row for row, _ in sessions])
    current = dict(connection.execute(
        select(report_sessions.c.record_id, report_sessions.c.revision)
        .where(report_sessions.c.record_id.in_([row[0] for row, _ in sessions]))).all())
    fresh = [(row, services) for row, services in sessions if current.get(row[0]) == row[1]]
    older = [row[:2] for row, _ in fresh if row[1] > 1]
    if older:
        _write(connection, statements, "delete_services", older)
    lines = [(*row[:5], service["service"],
              *(int(outcome in service["outcomes"]) for outcome in REPORT_OUTCOMES),
              service["unsolved_reason"]) for row, services in fresh for service in services]
    if lines:
        _write(connection, statements, "service", lines)


def _write(connection: Connection, statements: dict, kind: str, rows: list[tuple]) -> None:
    """Run one write over ``rows``: on SQLite row by row (``executemany``), on PostgreSQL as one
    statement whose rows travel as one array per column (``unnest``). An upsert there cannot
    touch one row twice, so of the rows of one record only the one ``executemany`` would have
    left is sent: the first of its highest revision (the others would change nothing)."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(statements[kind], rows)
        return
    if kind in _TABLES and _TABLES[kind] is not report_services:
        kept: dict = {}
        for row in rows:
            if row[0] not in kept or row[1] > kept[row[0]][1]:
                kept[row[0]] = row
        rows = list(kept.values()) if len(kept) < len(rows) else rows
    connection.exec_driver_sql(statements[kind], {f"c{index}": list(column)
                                                  for index, column in enumerate(zip(*rows))})


# Row builders: one tuple in the column order of the table (schema.py), and for a session its
# services too. The first five columns are common: record_id, revision, device_id, point, day.

def _common(entry: dict, point: str, start_field: str) -> tuple:
    record = entry["record"]
    day = (local_day(record.get(start_field)) or local_day(record.get("updated_at"))
           or local_day(entry["received_at"]))
    return entry["record_id"], entry["revision"], entry["device_id"], point, day


def _session_row(entry: dict, point: str) -> tuple[tuple, list[dict]]:
    record, services = entry["record"], session_services(entry["record"])
    return (*_common(entry, point, "started_at"), _text(record.get("started_at")),
            _text(record.get("age_band")), _text(record.get("gender")),
            _text(record.get("disability")), _text(record.get("satisfaction")),
            _int(record.get("duration_s")), len(services)), services


def _lesson_run_row(entry: dict, point: str) -> tuple:
    record = entry["record"]
    return (*_common(entry, point, "started_at"), _text(record.get("lesson_id"), 100),
            _flag(record.get("completed")), _text(record.get("rating")),
            _flag(record.get("help_requested")))


def _help_request_row(entry: dict, point: str) -> tuple:
    return *_common(entry, point, "created_at"), _text(entry["record"].get("status"))


_BUILDERS = {"assistance_session": _session_row, "lesson_run": _lesson_run_row,
             "help_request": _help_request_row}
_TABLES = {"assistance_session": report_sessions, "lesson_run": report_lesson_runs,
           "help_request": report_help_requests, "service": report_services}


@cache
def _statements(dialect: str) -> dict[str, str]:
    """The SQL of every write, keyed like ``_TABLES``: on SQLite with positional parameters,
    one row each; on PostgreSQL with one array per column (``%(c0)b``, ``%(c1)b``…, in column
    order, sent in binary so nothing is escaped), all rows at once. Both databases accept
    ``INSERT … ON CONFLICT … DO UPDATE … WHERE``."""
    sqlite = dialect == "sqlite"
    statements = {}
    for kind, table in _TABLES.items():
        names = [column.name for column in table.columns]
        keys = next(constraint.columns.keys() for constraint in table.constraints
                    if isinstance(constraint, UniqueConstraint))  # the record, not its day
        if sqlite:
            values = f"VALUES ({', '.join(['?'] * len(names))})"
        else:
            values = "SELECT * FROM unnest(" + ", ".join(
                f"%(c{index})b::{_array_type(column)}[]"
                for index, column in enumerate(table.columns)) + ")"
        head = (f"INSERT INTO {table.name} ({', '.join(names)}) {values} "
                f"ON CONFLICT ({', '.join(keys)}) ")
        if table is report_services:  # rows of one revision never change
            statements[kind] = head + "DO NOTHING"
            continue
        updates = ", ".join(f"{name} = excluded.{name}" for name in names if name not in keys)
        statements[kind] = (head + f"DO UPDATE SET {updates} "
                            f"WHERE excluded.revision > {table.name}.revision")
    if sqlite:
        statements["delete_services"] = ("DELETE FROM report_services WHERE record_id = ? "
                                         "AND revision < ?")
    else:
        statements["delete_services"] = (
            "DELETE FROM report_services USING unnest(%(c0)b::text[], %(c1)b::integer[]) "
            "AS older (record_id, revision) WHERE report_services.record_id = older.record_id "
            "AND report_services.revision < older.revision")
    return statements


def _array_type(column) -> str:
    """The PostgreSQL element type a column's array is sent as."""
    if isinstance(column.type, SmallInteger):
        return "smallint"
    if isinstance(column.type, Integer):
        return "integer"
    return "text"


def _clean(value: str) -> str:
    return value.replace("\x00", "")  # PostgreSQL text cannot hold NUL


def _text(value, limit: int = TEXT_LIMIT) -> str | None:
    """A short text field as stored: cut to ``limit``, ``None`` when missing or empty."""
    if value.__class__ is str and len(value) <= limit and "\x00" not in value:
        return value or None  # the usual case, first
    if value is None or isinstance(value, (dict, list)):
        return None
    return _clean(value if isinstance(value, str) else str(value))[:limit] or None


def _int(value) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**31:
        return None
    return value


def _flag(value) -> int:
    return 1 if value is True or value == 1 else 0
