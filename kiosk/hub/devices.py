"""Devices (kiosks) the hub knows: their tokens, signing keys, contacts and sequences.

Tokens are kept only as SHA-256 hashes: they are long random strings, so a stolen database gives
no way to act as a kiosk. A device's public key (Ed25519) proves what it writes (DESIGN.md
invariant 9); enrollment codes and re-enrollment are in ``kiosk.hub.enrollment``.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, case, select, update
from sqlalchemy.dialects import postgresql, sqlite

from kiosk.hub.enrollment import (EnrollError, make_code, redeem_code,  # noqa: F401 (API)
                                  reenroll, token_digest)
from kiosk.hub.schema import devices
from kiosk.hub.wards import points_of, ward_of_point

CLOCK_TOLERANCE_S = 300  # a kiosk clock further off than this is flagged


def device_for_token(connection: Connection, token: str) -> str | None:
    """The device a bearer token belongs to, or ``None``."""
    found = device_identity(connection, token)
    return found[0] if found else None


def device_identity(connection: Connection, token: str) -> tuple[str, str | None] | None:
    """``(device_id, public key or None)`` of the device a bearer token belongs to, or
    ``None`` for a token the hub does not know (or has revoked)."""
    row = connection.execute(select(devices.c.device_id, devices.c.public_key).where(
        devices.c.token_hash == token_digest(token))).first()
    return (row.device_id, row.public_key) if row else None


def register_key(connection: Connection, device_id: str, public_key: str, now: str) -> bool:
    """Give an enrolled device that has no key yet (one enrolled before keys existed) its
    ``public_key``, once: a guarded UPDATE, so of two racing registrations only one wins.
    Returns whether the device's key is now ``public_key`` (registered here or before)."""
    connection.execute(update(devices).where(
        devices.c.device_id == device_id, devices.c.public_key.is_(None),
        devices.c.token_hash.is_not(None)).values(public_key=public_key, key_registered_at=now))
    return connection.execute(select(devices.c.public_key).where(
        devices.c.device_id == device_id)).scalar_one_or_none() == public_key


def device_key(connection: Connection, device_id: str) -> tuple[bool, str | None]:
    """``(enrolled, public key or None)`` of ``device_id``: enrolled means it holds a live
    token (a revoked or USB-only device is not)."""
    row = connection.execute(select(devices.c.token_hash, devices.c.public_key).where(
        devices.c.device_id == device_id)).first()
    return (False, None) if row is None else (row.token_hash is not None, row.public_key)


def device_ward(connection: Connection, device_id: str) -> str | None:
    """The ward of the help point ``device_id`` was enrolled at (``None``: none, or unknown)."""
    point = connection.execute(select(devices.c.point).where(
        devices.c.device_id == device_id)).scalar_one_or_none()
    return ward_of_point(connection, point)


def touch_device(connection: Connection, device_id: str, *, seen_at: str,
                 acknowledged_seq: int | None = None, clock_offset_s: float | None = None,
                 kiosk_last_seq: int | None = None) -> None:
    """Create or update the device's row in the caller's transaction: last contact, highest
    acknowledged sequence (never lowered), clock offset, and the kiosk's newest outbox sequence
    (never lowered: a kiosk's sequence only grows) when given. Never changes a device's help
    point, token or key: those are set at the hub (``kiosk.hub.enrollment``)."""
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    values = {"device_id": device_id, "point": "", "first_seen_at": seen_at,
              "last_seen_at": seen_at, "acknowledged_seq": acknowledged_seq or 0,
              "clock_offset_s": clock_offset_s, "kiosk_last_seq": kiosk_last_seq}
    statement = dialect.insert(devices).values(**values)
    current = devices.c.acknowledged_seq
    changes = {"last_seen_at": statement.excluded.last_seen_at,
               "acknowledged_seq": case((statement.excluded.acknowledged_seq > current,
                                         statement.excluded.acknowledged_seq), else_=current)}
    if clock_offset_s is not None:
        changes["clock_offset_s"] = statement.excluded.clock_offset_s
    if kiosk_last_seq is not None:
        newest = devices.c.kiosk_last_seq
        changes["kiosk_last_seq"] = case(
            (newest.is_(None), statement.excluded.kiosk_last_seq),
            (statement.excluded.kiosk_last_seq > newest, statement.excluded.kiosk_last_seq),
            else_=newest)
    connection.execute(statement.on_conflict_do_update(index_elements=[devices.c.device_id],
                                                       set_=changes))


def device_rows(engine: Engine, *, ward: str | None = None) -> list[dict]:
    """Every device (of ``ward``'s help points; ``None``: the city's) with its help point,
    contacts, clock offset and whether it is flagged."""
    query = select(devices).order_by(devices.c.point, devices.c.device_id)
    if ward is not None:
        query = query.where(devices.c.point.in_(points_of(ward)))
    with engine.connect() as connection:
        rows = connection.execute(query).mappings()
        return [{**{k: v for k, v in row.items() if k not in ("token_hash", "public_key")},
                 "enrolled": row["token_hash"] is not None,
                 "signing_key": row["public_key"] is not None,
                 "clock_off": abs(row["clock_offset_s"] or 0) > CLOCK_TOLERANCE_S,
                 "unsent": unsent_estimate(row["kiosk_last_seq"], row["acknowledged_seq"])}
                for row in rows]


def unsent_estimate(kiosk_last_seq: int | None, acknowledged_seq: int | None) -> int | None:
    """Roughly how many outbox rows a kiosk still held unsent at its last contact: its newest
    sequence then, less the highest the hub acknowledged (never below 0). Rows the hub refused
    and the kiosk set aside are not counted. ``None`` when the kiosk never said (an older
    version)."""
    if kiosk_last_seq is None:
        return None
    return max(0, kiosk_last_seq - (acknowledged_seq or 0))
