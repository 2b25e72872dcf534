"""Counts the hub holds per device: ``kiosk-hub stats --json``. One query, read-only."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from kiosk.hub.schema import devices, records

STAT_NAMES = {"assistance_session": "sessions", "lesson_run": "lesson_runs",
              "help_request": "help_requests"}


def device_stats(engine: Engine) -> dict:
    """``{"devices": {DEVICE_ID: {"sessions", "lesson_runs", "help_requests", "last_seen_at"}}}``
    counting distinct records (each at its latest revision) per device."""
    counts = (select(records.c.device_id, records.c.record_type, func.count().label("n"))
              .group_by(records.c.device_id, records.c.record_type))
    with engine.connect() as connection:
        seen = dict(connection.execute(select(devices.c.device_id, devices.c.last_seen_at)).all())
        found = connection.execute(counts).all()
    result = {device: _empty(last_seen) for device, last_seen in seen.items()}
    for device, kind, n in found:
        entry = result.setdefault(device, _empty(None))
        if kind in STAT_NAMES:
            entry[STAT_NAMES[kind]] = n
    return {"devices": result}


def _empty(last_seen: str | None) -> dict:
    return {"sessions": 0, "lesson_runs": 0, "help_requests": 0, "last_seen_at": last_seen}
