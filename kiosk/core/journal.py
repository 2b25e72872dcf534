"""The assistance journal: one anonymous record per person a volunteer helped.

A session records who was helped only as an age band (and, if offered, gender, disability and
neighbourhood), which services they were helped with, what each achieved, how satisfied they were
and how long it took. The free-text note is scrubbed (``kiosk.core.scrubber``) before it is stored.

Every write is one transaction that also appends the new revision to the outbox (DESIGN.md
invariants 1 and 2); an edit is a new revision of the same record, never a new record. All
functions here do database work: call them from the database worker, never the UI thread.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Iterable, Mapping

if TYPE_CHECKING:
    import sqlite_utils

from kiosk.core.db import device_id, now_iso
from kiosk.core.ids import uuid7
from kiosk.core.scrubber import scrub
from kiosk.sync import outbox

# Each tuple is in the order a screen shows it; catalogue has a label "<prefix>.<value>" for each.
AGE_BANDS = ("<18", "18-39", "40-59", "60-74", "75+")
GENDERS = ("female", "male", "other")
DISABILITIES = ("none", "vision", "hearing", "mobility", "other")
SERVICES = ("vneid", "dichvucong", "vssid", "etax", "ihanoi", "safety", "bank", "hocvuso", "other")
OUTCOMES = ("installed", "account_activated", "logged_in", "document_added", "lookup_done",
            "dossier_submitted", "payment_done", "referred", "not_solved")
UNSOLVED_REASONS = ("no_smartphone", "phone_not_own_name", "otp_not_received", "service_down",
                    "other")
SATISFACTION = ("good", "ok", "bad")
LABEL_PREFIXES = {"age_band": "age", "gender": "gender", "disability": "disability",
                  "service": "service", "outcome": "outcome", "unsolved_reason": "reason",
                  "satisfaction": "satisfaction"}

RECORD_TYPE = "assistance_session"
NOTE_MAX_CHARS = 1000
NEIGHBOURHOOD_MAX_CHARS = 80
REVISABLE = ("age_band", "gender", "disability", "neighbourhood", "services", "satisfaction",
             "note")
_COLUMNS = ("id", "device_id", "revision", "volunteer_id", "age_band", "gender", "disability",
            "neighbourhood", "services", "satisfaction", "duration_s", "note", "started_at",
            "ended_at", "updated_at")
_INSERT = (f"INSERT INTO assistance_sessions ({', '.join(_COLUMNS)}) "
           f"VALUES ({', '.join('?' * len(_COLUMNS))})")
_UPDATE = (f"UPDATE assistance_sessions SET {', '.join(f'{c} = ?' for c in _COLUMNS[1:])} "
           f"WHERE id = ?")


def label_key(field: str, value: str) -> str:
    """The catalogue key of a constant's label, e.g. ``label_key("age_band", "60-74")`` is
    ``"age.60-74"``. Raises ``KeyError`` for a field that has no labels."""
    return f"{LABEL_PREFIXES[field]}.{value}"


def stored_time(value: datetime | str) -> str:
    """``value`` (an aware datetime or ISO 8601 text with an offset) as stored: UTC ISO 8601 with
    milliseconds, the same form as ``kiosk.core.db.now_iso``, so stored times compare as text.

    Raises ``ValueError`` for text that is not a time, or a time without an offset."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        raise ValueError(f"time without a UTC offset: {value}")
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds")


def record_session(db: sqlite_utils.Database, *, volunteer_id: str, age_band: str,
                   services: Iterable[Mapping[str, Any]], started_at: datetime | str,
                   ended_at: datetime | str | None = None, gender: str | None = None,
                   disability: str | None = None, neighbourhood: str | None = None,
                   satisfaction: str | None = None, note: str | None = None,
                   session_id: str | None = None) -> dict:
    """Store a new session (revision 1) and its outbox entry in one transaction.

    ``services`` is a list of ``{"service", "outcomes", "unsolved_reason"}`` (see
    ``normalise_services``). ``ended_at`` defaults to now; ``duration_s`` is worked out from the
    two times. ``session_id`` lets the caller choose the UUIDv7 up front.

    Returns ``{"record": <the session as stored, services as a list>, "masked": [Masked(kind,
    original), ...]}``, the second being what the scrubber took out of the note, for the
    volunteer to see. Raises ``ValueError`` (nothing written) for a value outside the constants,
    a service without outcome, ``ended_at`` before ``started_at``, or an unknown or inactive
    volunteer.
    """
    started, ended = stored_time(started_at), stored_time(ended_at or now_iso())
    if ended < started:
        raise ValueError("ended_at is before started_at")
    fields, masked = _validated({"age_band": age_band, "gender": gender,
                                 "disability": disability, "neighbourhood": neighbourhood,
                                 "services": services, "satisfaction": satisfaction,
                                 "note": note})
    record = {"id": session_id or uuid7(), "device_id": device_id(db), "revision": 1,
              "volunteer_id": volunteer_id, **fields,
              "duration_s": _seconds_between(started, ended), "started_at": started,
              "ended_at": ended, "updated_at": now_iso()}
    with db.atomic():
        _require_active_volunteer(db, volunteer_id)
        db.execute(_INSERT, _row(record))
        outbox.append(db, RECORD_TYPE, record)
    return {"record": record, "masked": masked}


def revise_session(db: sqlite_utils.Database, session_id: str, **changes) -> dict:
    """Store a corrected revision of a session, with its outbox entry, in one transaction.

    ``changes`` may name any of ``REVISABLE``; the note, if given, is scrubbed again. Returns the
    same shape as ``record_session``. A change that changes nothing writes nothing and returns
    the stored record. Raises ``KeyError`` for an unknown session and ``ValueError`` (nothing
    written) for a field that may not change, a bad value, or a session of another device.
    """
    unknown = set(changes) - set(REVISABLE)
    if unknown:
        raise ValueError(f"session fields cannot change: {', '.join(sorted(unknown))}")
    with db.atomic():
        record = get_session(db, session_id)
        if record["device_id"] != device_id(db):
            raise ValueError("only the device that made a session may revise it")
        fields, masked = _validated({**{k: record[k] for k in REVISABLE}, **changes})
        if all(record[k] == v for k, v in fields.items()):
            return {"record": record, "masked": masked}
        record.update(fields, revision=record["revision"] + 1, updated_at=now_iso())
        db.execute(_UPDATE, _row(record)[1:] + [session_id])
        outbox.append(db, RECORD_TYPE, record)
    return {"record": record, "masked": masked}


def get_session(db: sqlite_utils.Database, session_id: str) -> dict:
    """The latest revision of a session, services as a list. Raises ``KeyError`` if unknown."""
    row = db.execute(f"SELECT {', '.join(_COLUMNS)} FROM assistance_sessions WHERE id = ?",
                     [session_id]).fetchone()
    if row is None:
        raise KeyError(session_id)
    return _record(row)


def sessions_between(db: sqlite_utils.Database, start: datetime | str, end: datetime | str, *,
                     newest_first: bool = True) -> list[dict]:
    """Sessions that started in ``[start, end)`` (latest revisions), e.g. today's list with
    ``sessions_between(db, *kiosk.core.reports.today())``. Read-only."""
    order = "DESC" if newest_first else "ASC"
    rows = db.execute(f"SELECT {', '.join(_COLUMNS)} FROM assistance_sessions "
                      f"WHERE started_at >= ? AND started_at < ? ORDER BY started_at {order}",
                      [stored_time(start), stored_time(end)]).fetchall()
    return [_record(row) for row in rows]


def take_help_request(db: sqlite_utils.Database, request_id: str, *, volunteer_id: str) -> dict:
    """Mark a resident's help request as taken by ``volunteer_id``: a new revision with its outbox
    entry, in one transaction. Returns the request as stored.

    Taking a request that is already taken changes nothing and returns it as it is (look at
    ``taken_by``). Raises ``KeyError`` for an unknown request and ``ValueError`` for an unknown
    or inactive volunteer.
    """
    with db.atomic():
        _require_active_volunteer(db, volunteer_id)
        found = db.execute("SELECT * FROM help_requests WHERE id = ?", [request_id])
        row = found.fetchone()
        if row is None:
            raise KeyError(request_id)
        request = dict(zip([c[0] for c in found.description], row))
        if request["status"] == "taken":
            return request
        now = now_iso()
        request.update(status="taken", taken_at=now, taken_by=volunteer_id, updated_at=now,
                       revision=request["revision"] + 1)
        db.execute("UPDATE help_requests SET status = ?, taken_at = ?, taken_by = ?, "
                   "updated_at = ?, revision = ? WHERE id = ?",
                   ["taken", now, volunteer_id, now, request["revision"], request_id])
        outbox.append(db, "help_request", request)
    return request


def normalise_services(services: Iterable[Mapping[str, Any]]) -> list[dict]:
    """Services as stored: each ``{"service", "outcomes", "unsolved_reason"}``, in ``SERVICES``
    order, outcomes in ``OUTCOMES`` order without repeats.

    Raises ``ValueError`` for: no service, a service twice, an unknown service, outcome, reason
    or key, a service without outcome, ``not_solved`` without a reason or a reason without
    ``not_solved``.
    """
    if isinstance(services, (str, bytes, Mapping)):
        raise ValueError("services must be a list of {service, outcomes, unsolved_reason}")
    entries = [_normalise_service(entry) for entry in services]
    names = [entry["service"] for entry in entries]
    if not entries or len(set(names)) != len(names):
        raise ValueError("services must name at least one service, each once")
    return sorted(entries, key=lambda entry: SERVICES.index(entry["service"]))


def _normalise_service(entry: Mapping[str, Any]) -> dict:
    extra = set(entry) - {"service", "outcomes", "unsolved_reason"}
    if extra:
        raise ValueError(f"unknown service keys: {', '.join(sorted(extra))}")
    service = _one_of("service", entry.get("service"), SERVICES)
    outcomes = entry.get("outcomes") or ()
    if isinstance(outcomes, str) or not outcomes:
        raise ValueError(f"{service}: choose at least one outcome")
    outcomes = sorted({_one_of("outcome", o, OUTCOMES) for o in outcomes}, key=OUTCOMES.index)
    reason = entry.get("unsolved_reason")
    if ("not_solved" in outcomes) != (reason is not None):
        raise ValueError(f"{service}: 'not_solved' and a reason go together")
    if reason is not None:
        _one_of("unsolved_reason", reason, UNSOLVED_REASONS)
    return {"service": service, "outcomes": outcomes, "unsolved_reason": reason}


def _validated(fields: dict) -> tuple[dict, list]:
    """The revisable fields as stored, and what the scrubber masked in the note."""
    _one_of("age_band", fields["age_band"], AGE_BANDS)
    for name, allowed in (("gender", GENDERS), ("disability", DISABILITIES),
                          ("satisfaction", SATISFACTION)):
        if fields[name] is not None:
            _one_of(name, fields[name], allowed)
    fields["services"] = normalise_services(fields["services"])
    fields["neighbourhood"] = _neighbourhood(fields["neighbourhood"])
    note = (fields["note"] or "").strip()
    if len(note) > NOTE_MAX_CHARS:
        raise ValueError(f"the note is longer than {NOTE_MAX_CHARS} characters")
    scrubbed = scrub(note)
    fields["note"] = scrubbed.text or None
    return fields, scrubbed.masked


def _neighbourhood(value: str | None) -> str | None:
    """A neighbourhood name from the config's list: short, and never a number worth masking."""
    value = (value or "").strip() or None
    if value is not None and (len(value) > NEIGHBOURHOOD_MAX_CHARS or scrub(value).masked):
        raise ValueError("neighbourhood must be a short name from the list")
    return value


def _one_of(name: str, value: Any, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def _require_active_volunteer(db: sqlite_utils.Database, volunteer_id: str) -> None:
    row = db.execute("SELECT active FROM accounts WHERE id = ?", [volunteer_id]).fetchone()
    if row is None or not row[0]:
        raise ValueError("unknown or inactive volunteer account")


def _seconds_between(started: str, ended: str) -> int:
    elapsed = datetime.fromisoformat(ended) - datetime.fromisoformat(started)
    return round(elapsed.total_seconds())


def _row(record: dict) -> list:
    values = [record[column] for column in _COLUMNS]
    values[_COLUMNS.index("services")] = json.dumps(record["services"], ensure_ascii=False,
                                                    separators=(",", ":"))
    return values


def _record(row: tuple) -> dict:
    record = dict(zip(_COLUMNS, row))
    record["services"] = json.loads(record["services"])
    return record
