"""Devices (kiosks) the hub knows, their tokens, and their enrollment codes.

Tokens and codes are kept only as SHA-256 hashes: both are long random strings, so a stolen
database gives no way to act as a kiosk. A code is used up by one UPDATE … WHERE used_at IS NULL
AND expires_at > now, so two kiosks racing for one code cannot both win.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta, timezone

from sqlalchemy import Connection, Engine, case, select, update
from sqlalchemy.dialects import postgresql, sqlite

from kiosk.hub.database import now_iso, write_transaction
from kiosk.hub.schema import devices, enroll_codes

CODE_LIFETIME = timedelta(hours=24)
CLOCK_TOLERANCE_S = 300  # a kiosk clock further off than this is flagged
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone


class EnrollError(Exception):
    """An enrollment code was refused. ``reason`` is ``unknown``, ``used`` or ``expired``."""

    MESSAGES = {"unknown": "this enrollment code is not known to the hub",
                "used": "this enrollment code has already been used",
                "expired": "this enrollment code has expired: ask for a new one"}

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(self.MESSAGES[reason])


def digest(secret: str) -> str:
    return hashlib.sha256(secret.strip().upper().encode("utf-8")).hexdigest()


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def make_code(engine: Engine, point: str, *, lifetime: timedelta = CODE_LIFETIME) -> dict:
    """A new one-time code for help point ``point``: ``{"code", "expires_at", "point"}``."""
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
    code = "-".join(raw[i:i + 4] for i in range(0, 12, 4))
    now = datetime.now(timezone.utc)
    expires = (now + lifetime).isoformat(timespec="milliseconds")
    with write_transaction(engine) as connection:
        connection.execute(enroll_codes.insert().values(
            code_hash=digest(code), point=point, created_at=now.isoformat(timespec="milliseconds"),
            expires_at=expires))
    return {"code": code, "expires_at": expires, "point": point}


def redeem_code(engine: Engine, code: str, device_id: str) -> dict:
    """Use up ``code`` for ``device_id`` and give the device a new token (replacing any earlier).

    Returns ``{"device_id", "point", "token"}``; the token is shown only here. Raises
    ``EnrollError`` and changes nothing when the code is unknown, used or expired.
    """
    now, hashed = now_iso(), digest(code)
    token = secrets.token_urlsafe(32)
    with write_transaction(engine) as connection:
        used = connection.execute(
            update(enroll_codes).where(enroll_codes.c.code_hash == hashed,
                                       enroll_codes.c.used_at.is_(None),
                                       enroll_codes.c.expires_at > now)
            .values(used_at=now, device_id=device_id).returning(enroll_codes.c.point)).first()
        if used is None:
            raise EnrollError(_why_refused(connection, hashed, now))
        touch_device(connection, device_id, seen_at=now, point=used.point,
                     token_hash=token_digest(token))
    return {"device_id": device_id, "point": used.point, "token": token}


def _why_refused(connection: Connection, hashed: str, now: str) -> str:
    row = connection.execute(select(enroll_codes.c.used_at, enroll_codes.c.expires_at)
                             .where(enroll_codes.c.code_hash == hashed)).first()
    if row is None:
        return "unknown"
    return "used" if row.used_at else "expired"


def device_for_token(connection: Connection, token: str) -> str | None:
    """The device a bearer token belongs to, or ``None``."""
    return connection.execute(select(devices.c.device_id).where(
        devices.c.token_hash == token_digest(token))).scalar_one_or_none()


def touch_device(connection: Connection, device_id: str, *, seen_at: str,
                 acknowledged_seq: int | None = None, clock_offset_s: float | None = None,
                 point: str | None = None, token_hash: str | None = None,
                 kiosk_last_seq: int | None = None) -> None:
    """Create or update the device's row in the caller's transaction: last contact, highest
    acknowledged sequence (never lowered), clock offset; point, token and the kiosk's newest
    outbox sequence (never lowered: a kiosk's sequence only grows) when given."""
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    values = {"device_id": device_id, "point": point or "", "first_seen_at": seen_at,
              "last_seen_at": seen_at, "acknowledged_seq": acknowledged_seq or 0,
              "clock_offset_s": clock_offset_s, "token_hash": token_hash,
              "enrolled_at": seen_at if token_hash else None, "kiosk_last_seq": kiosk_last_seq}
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
    if point is not None:
        changes["point"] = statement.excluded.point
    if token_hash is not None:
        changes.update(token_hash=statement.excluded.token_hash,
                       enrolled_at=statement.excluded.enrolled_at)
    connection.execute(statement.on_conflict_do_update(index_elements=[devices.c.device_id],
                                                       set_=changes))


def device_rows(engine: Engine) -> list[dict]:
    """Every device with its help point, contacts, clock offset and whether it is flagged."""
    with engine.connect() as connection:
        rows = connection.execute(select(devices).order_by(devices.c.point,
                                                           devices.c.device_id)).mappings()
        return [{**{k: v for k, v in row.items() if k != "token_hash"},
                 "enrolled": row["token_hash"] is not None,
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
