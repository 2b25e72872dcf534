"""The one path by which records enter the hub, from the network and from USB bundles alike.

A batch is a list of ``{"seq", "record_type", "record"}`` rows from one device. Each row ends as
exactly one of: new, already present (an identical or older resend), updated (a newer revision
of a record the hub had), or refused (with a plain reason; the other rows go on). The UNIQUE
constraint on (record_type, record_id) decides, through one INSERT … ON CONFLICT DO UPDATE … WHERE
excluded.revision > records.revision: never check-then-insert (DESIGN.md invariant 3). So any
batch delivered twice, late, out of order or concurrently leaves the same rows as once.

One writer per record (DESIGN.md invariants 1 and 9): the conflict clause also compares the
stored record's device with the sender, so no batch or bundle of one device can ever change a
record another device wrote, whatever races; such a row is refused with its reason (and
acknowledged, so the kiosk sets it aside instead of sending it forever).

In the same transaction, the report rows of every record whose newest revision was just stored
are written (``kiosk.hub.projections``), so the ward report always matches the records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterable

import orjson
from sqlalchemy import Connection, Engine, select
from sqlalchemy.exc import IntegrityError

from kiosk.core.lesson_run_format import format_problem
from kiosk.hub.database import now_iso, write_transaction
from kiosk.hub.devices import touch_device
from kiosk.hub.projections import project
from kiosk.hub.schema import devices, records

RECORD_TYPES = ("assistance_session", "lesson_run", "help_request")
MAX_RECORD_BYTES = 64 * 1024
CHUNK = 2000  # rows per statement: well under both databases' limits on bound parameters
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_UPDATED = ("revision", "payload", "kiosk_time", "received_at", "clock_offset_s")
_COLUMNS = {"record_type": "varchar", "record_id": "varchar", "device_id": "varchar",
            "revision": "integer", "payload": "text", "kiosk_time": "varchar",
            "received_at": "varchar", "clock_offset_s": "float8"}
_PG_UPSERT = (
    f"INSERT INTO records ({', '.join(_COLUMNS)}) SELECT * FROM unnest("
    + ", ".join(f"%({name})b::{kind}[]" for name, kind in _COLUMNS.items())
    + ") ON CONFLICT (record_type, record_id) DO UPDATE SET "
    + ", ".join(f"{name} = excluded.{name}" for name in _UPDATED)
    + " WHERE excluded.revision > records.revision AND records.device_id = excluded.device_id"
    " RETURNING record_type, record_id, (xmax = 0) AS inserted")
_PG_INSERT = _PG_UPSERT.split(" ON CONFLICT")[0]
_PG_UPSERT_COUNTED = (f"WITH written AS ({_PG_UPSERT}) SELECT count(*) FILTER (WHERE inserted), "
                      "count(*) FILTER (WHERE NOT inserted) FROM written")
# look-ups by one array of ids sent in binary: one short statement whatever the chunk's size
# (an IN list of 2,000 bound parameters costs more to build and parse than the upsert itself)
_PG_FOREIGN = ("SELECT record_id FROM records WHERE record_type = %(kind)s "
               "AND record_id = ANY(%(ids)b::varchar[]) AND device_id <> %(device)s")
_PG_REVISIONS = ("SELECT record_id, revision FROM records WHERE record_type = %(kind)s "
                 "AND record_id = ANY(%(ids)b::varchar[])")
_SQLITE_UPSERT = (
    "INSERT INTO records (record_type, record_id, device_id, revision, payload, kiosk_time, "
    "received_at, clock_offset_s) VALUES (:record_type, :record_id, :device_id, :revision, "
    ":payload, :kiosk_time, :received_at, :clock_offset_s) "
    "ON CONFLICT (record_type, record_id) DO UPDATE SET "
    + ", ".join(f"{name} = excluded.{name}" for name in _UPDATED)
    + " WHERE excluded.revision > records.revision AND records.device_id = excluded.device_id")


class BatchError(ValueError):
    """The batch as a whole is malformed (not the records in it): nothing of it was stored."""


@dataclass
class IngestResult:
    """What became of each row of one or more batches."""

    new: int = 0
    already_present: int = 0
    updated: int = 0
    refused: list[dict] = field(default_factory=list)  # [{"seq", "reason"}]

    def add(self, other: IngestResult) -> None:
        self.new += other.new
        self.already_present += other.already_present
        self.updated += other.updated
        self.refused.extend(other.refused)

    def as_json(self) -> dict:
        return {"new": self.new, "already_present": self.already_present,
                "updated": self.updated, "refused": list(self.refused)}


def ingest_batch(engine: Engine, device_id: str, rows: list[dict], *,
                 kiosk_sent_at: str | None = None, last_seq: int | None = None,
                 kiosk_last_seq: int | None = None) -> IngestResult:
    """Store one batch of ``device_id``'s rows in one transaction, and note the device's contact
    (``kiosk_last_seq``: the newest sequence in the kiosk's outbox, when it said).

    Returns only after the commit: an acknowledgement built from the result is the truth.
    Raises ``BatchError`` (nothing stored) for rows that are not ``{"seq", "record_type",
    "record"}`` objects.
    """
    received = now_iso()
    offset = clock_offset(kiosk_sent_at, received)
    with write_transaction(engine) as connection:
        result = ingest_rows(connection, device_id, rows, received_at=received,
                             clock_offset_s=offset)
        touch_device(connection, device_id, seen_at=received, acknowledged_seq=last_seq,
                     clock_offset_s=offset, kiosk_last_seq=kiosk_last_seq)
    return result


def ingest_rows(connection: Connection, device_id: str, rows: Iterable[dict], *,
                received_at: str, clock_offset_s: float | None = None) -> IngestResult:
    """Store ``rows`` inside the caller's transaction (see ``ingest_batch``), CHUNK at a time,
    with their report rows under the device's help point as the hub knows it now."""
    point = connection.execute(select(devices.c.point).where(
        devices.c.device_id == device_id)).scalar_one_or_none()
    context = (device_id, received_at, clock_offset_s, {device_id: point or ""})
    result, chunk = IngestResult(), []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK:
            result.add(_ingest_chunk(connection, chunk, *context))
            chunk = []
    if chunk:
        result.add(_ingest_chunk(connection, chunk, *context))
    return result


def clock_offset(kiosk_time: str | None, hub_time: str) -> float | None:
    """Seconds the kiosk's clock is behind the hub's (negative: ahead); ``None`` if unknown."""
    try:
        kiosk = datetime.fromisoformat(kiosk_time)
        if kiosk.tzinfo is None:
            return None
        return round((datetime.fromisoformat(hub_time) - kiosk).total_seconds(), 3)
    except (TypeError, ValueError):
        return None


def _ingest_chunk(connection, chunk, device_id, received_at, clock_offset_s,
                  points) -> IngestResult:
    result = IngestResult()
    accepted: dict[tuple[str, str], list[dict]] = {}
    for row in chunk:
        entry = _entry(row, device_id, received_at, clock_offset_s)
        if isinstance(entry, str):
            result.refused.append({"seq": row["seq"], "reason": entry})
        else:
            accepted.setdefault((entry["record_type"], entry["record_id"]), []).append(entry)
    if connection.dialect.name == "sqlite":  # the write lock is held: the look-up is exact
        _refuse_foreign(result, accepted, _foreign(connection, accepted, device_id))
        written = _store_sqlite(connection, accepted, _newest(accepted), result) \
            if accepted else []
    else:
        written = _write_postgresql(connection, accepted, device_id, result) if accepted else []
    if written:
        project(connection, written, points)
    return result


def _newest(accepted: dict) -> list[dict]:
    return [max(entries, key=_revision) for entries in accepted.values()]


def _write_postgresql(connection, accepted: dict, device_id: str,
                      result: IngestResult) -> list[dict]:
    """Store ``accepted`` on PostgreSQL; returns the entries that may have been written. A first
    delivery goes in as one plain INSERT (then no record was there, so none is another device's);
    otherwise records of other devices are refused, the rest upserted."""
    if _insert_all_new(connection, accepted, _newest(accepted), result):
        return _newest(accepted)
    _refuse_foreign(result, accepted, _foreign(connection, accepted, device_id))
    if not accepted:
        return []
    written = _store_postgresql(connection, accepted, _newest(accepted), result)
    # another device's delivery may have won a record between the look-up and the upsert:
    # the upsert left it alone (counted already present); say so instead
    late = _foreign(connection, accepted, device_id)
    result.already_present -= sum(len(accepted[key]) for key in late)
    _refuse_foreign(result, accepted, late)
    return [entry for entry in written if _key(entry) not in late]


FOREIGN = "the record belongs to another device"


def _foreign(connection, accepted: dict, device_id: str) -> set[tuple[str, str]]:
    """The records among ``accepted`` that the hub holds for another device. A record's device
    never changes once stored, so this answer cannot go stale."""
    found = set()
    for kind, ids in _ids_by_kind(accepted).items():
        if connection.dialect.name == "sqlite":
            rows = connection.execute(select(records.c.record_id).where(
                records.c.record_type == kind, records.c.record_id.in_(ids),
                records.c.device_id != device_id))
        else:
            rows = connection.exec_driver_sql(_PG_FOREIGN, {"kind": kind, "ids": ids,
                                                            "device": device_id})
        found.update((kind, rid) for (rid,) in rows)
    return found


def _ids_by_kind(accepted) -> dict[str, list[str]]:
    ids: dict[str, list[str]] = {}
    for kind, record_id in accepted:
        ids.setdefault(kind, []).append(record_id)
    return ids


def _refuse_foreign(result: IngestResult, accepted: dict, foreign: set) -> None:
    """Take the rows of ``foreign`` records out of ``accepted`` as refused."""
    for key in foreign:
        for entry in accepted.pop(key):
            result.refused.append({"seq": entry["seq"], "reason": FOREIGN})


def _revision(entry: dict) -> int:
    return entry["revision"]


def _key(entry: dict) -> tuple[str, str]:
    return entry["record_type"], entry["record_id"]


def _store_sqlite(connection, accepted: dict, newest: list[dict],
                  result: IngestResult) -> list[dict]:
    """The upsert on SQLite, where this transaction has held the write lock since it began
    (``write_transaction``): nothing changes between the look-up and the write, so the outcome
    of each row follows exactly. Only records with a revision above 1 need the look-up; a
    revision-1 record the upsert wrote is new, and one it did not write was already present.
    Returns the entries that may have been written (for their report rows)."""
    revised = {key: entries for key, entries in accepted.items()
               if entries[-1]["revision"] > 1 or len(entries) > 1}
    before = _stored_revisions(connection, revised) if revised else {}
    written = connection.exec_driver_sql(_SQLITE_UPSERT, newest).rowcount
    grown = set()
    for key, entries in revised.items():
        stored = before.get(key)
        grows = max(e["revision"] for e in entries) > (stored or 0)
        _count(result, entries, stored, grows)
        written -= grows
        if grows:
            grown.add(key)
    result.new += written
    result.already_present += len(accepted) - len(revised) - written
    return [entry for entry in newest if _key(entry) in grown
            or (written and _key(entry) not in revised)]


def _entry(row, device_id: str, received_at: str, clock_offset_s) -> dict | str:
    """The stored form of one row, or the plain reason it is refused."""
    if not isinstance(row, dict) or not isinstance(row.get("seq"), int) \
            or isinstance(row.get("seq"), bool):
        raise BatchError("every row needs an integer seq, a record_type and a record")
    record, kind = row.get("record"), row.get("record_type")
    if kind not in RECORD_TYPES:
        return f"unknown record type {str(kind)[:40]!r}"
    if not isinstance(record, dict):
        return "the record is not a JSON object"
    if not _is_uuid(record.get("id")):
        return "the record has no valid id"
    if record.get("device_id") != device_id:
        return FOREIGN
    revision = record.get("revision")
    if not isinstance(revision, int) or isinstance(revision, bool) or not 1 <= revision < 2**31:
        return "the record has no valid revision"
    if kind == "lesson_run" and (problem := format_problem(record)):
        return problem  # every format, old and new, is accepted when well formed
    try:
        payload = orjson.dumps(record).decode("utf-8")
    except (TypeError, orjson.JSONEncodeError):  # e.g. an integer beyond 64 bits
        return "the record cannot be stored as JSON"
    if len(payload) > MAX_RECORD_BYTES:
        return "the record is too large"
    kiosk_time = record.get("updated_at") or record.get("created_at")
    return {"seq": row["seq"], "record_type": kind, "record_id": record["id"],
            "device_id": device_id,
            "revision": revision, "payload": payload, "record": record,
            "kiosk_time": kiosk_time if isinstance(kiosk_time, str) and len(kiosk_time) <= 40
            else None, "received_at": received_at, "clock_offset_s": clock_offset_s}


def _is_uuid(value) -> bool:
    return isinstance(value, str) and _UUID.fullmatch(value) is not None


def _stored_revisions(connection, accepted) -> dict[tuple[str, str], int]:
    """The revisions the hub holds of these records now (to tell "new" from "updated")."""
    found = {}
    for kind, ids in _ids_by_kind(accepted).items():
        if connection.dialect.name == "sqlite":
            rows = connection.execute(select(records.c.record_id, records.c.revision).where(
                records.c.record_type == kind, records.c.record_id.in_(ids)))
        else:
            rows = connection.exec_driver_sql(_PG_REVISIONS, {"kind": kind, "ids": ids})
        found.update({(kind, rid): rev for rid, rev in rows})
    return found


def _store_postgresql(connection, accepted: dict, newest: list[dict],
                      result: IngestResult) -> list[dict]:
    """The upsert on PostgreSQL, where other writers run beside this one: one statement per chunk
    (the rows travel as arrays), and the database itself reports what it did (``xmax = 0`` marks
    a row this statement inserted rather than updated). A record with one row in the chunk — the
    usual case — needs no more; one with several rows is looked up first, to tell its old rows
    from its new ones. Returns the entries that may have been written (for their report rows)."""
    several = {key: entries for key, entries in accepted.items() if len(entries) > 1}
    single = [entry for entry in newest if _key(entry) not in several]
    maybe_written = []
    if single:
        inserted, updated = connection.exec_driver_sql(_PG_UPSERT_COUNTED, _arrays(single)).one()
        result.new += inserted
        result.updated += updated
        result.already_present += len(single) - inserted - updated
        maybe_written += single if inserted + updated else []
    if several:
        before = _stored_revisions(connection, several)
        rows = [entry for entry in newest if _key(entry) in several]
        written = {(kind, rid) for kind, rid, _ in
                   connection.exec_driver_sql(_PG_UPSERT, _arrays(rows))}
        for key, entries in several.items():
            _count(result, entries, before.get(key), key in written)
        maybe_written += [entry for entry in rows if _key(entry) in written]
    return maybe_written


def _insert_all_new(connection, accepted: dict, newest: list[dict], result: IngestResult) -> bool:
    """The common case, a first delivery: a plain INSERT of every row, much cheaper than an
    upsert on PostgreSQL. The UNIQUE constraint still decides: if any record is already there
    (a resend, a correction, a delivery racing this one) the INSERT fails whole, is rolled back
    to its savepoint, and the caller takes the upsert. Returns whether it went in."""
    try:
        with connection.begin_nested():
            connection.exec_driver_sql(_PG_INSERT, _arrays(newest))
    except IntegrityError:
        return False
    for entries in accepted.values():
        _count(result, entries, None, True)
    return True


def _arrays(entries: list[dict]) -> dict:
    return {name: [entry[name] for entry in entries] for name in _COLUMNS}


def _count(result: IngestResult, entries: list[dict], before: int | None, written: bool) -> None:
    """Give each row of one record its outcome: rows at or below what the hub held (or every row,
    when another delivery won the race) are already present; above it, the lowest is new when the
    hub had nothing, and the others are updates."""
    floor = before or 0
    fresh = sorted(e["revision"] for e in entries if e["revision"] > floor) if written else []
    result.already_present += len(entries) - len(fresh)
    if fresh and before is None:
        result.new += 1
        result.updated += len(fresh) - 1
    else:
        result.updated += len(fresh)
