"""Enrollment codes, redeeming them, and re-enrolling a kiosk: who may become which device.

A code is ``RANDOM_CHARS`` random characters followed by the hub's key fingerprint
(``kiosk.sync.identity.hub_fingerprint``), shown in groups of four, so a kiosk can refuse an
impostor hub before it sends the code. Codes and tokens are kept only as SHA-256 hashes.

An enrollment code never takes over an enrolled device (DESIGN.md invariant 9): an ordinary code
makes a *new* device, and is refused for a device id the hub already knows. Bringing a known
device back (a reinstall, a lost key) is an admin's act at the hub, ``reenroll``: it revokes the
device's token and key and makes a code that only that device id can redeem. Every step is one
guarded statement inside one transaction, so two kiosks racing for one code or one device id
cannot both win, and a refusal leaves the code unused.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta, timezone

from sqlalchemy import Connection, Engine, select, update
from sqlalchemy.dialects import postgresql, sqlite

from kiosk.hub.database import now_iso, write_transaction
from kiosk.hub.schema import devices, enroll_codes
from kiosk.hub.wards import WardError, place_point, ward_of_point
from kiosk.sync.identity import (CODE_ALPHABET, CODE_CHARS, FINGERPRINT_CHARS, hub_fingerprint, is_device_id, is_public_key,
                                 normalise_code)

CODE_LIFETIME = timedelta(hours=24)
RANDOM_CHARS = CODE_CHARS - FINGERPRINT_CHARS  # 50 bits: one-time, expiring within a day
MAX_POINT_CHARS = 120


class EnrollError(Exception):
    """Enrollment was refused; ``reason`` names why (``MESSAGES``), ``str()`` in plain words."""

    MESSAGES = {"unknown": "this enrollment code is not known to the hub",
                "used": "this enrollment code has already been used",
                "expired": "this enrollment code has expired: ask for a new one",
                "device_enrolled": "this kiosk is already enrolled with the hub; to enroll it "
                                   "again an admin re-enrolls it at the hub (kiosk-hub device "
                                   "reenroll)",
                "other_device": "this enrollment code was made for another kiosk",
                "bad_device": "the kiosk's device id is not a valid UUID",
                "bad_key": "the kiosk's public key is not a valid Ed25519 key",
                "unknown_device": "the hub does not know this device",
                "bad_point": f"a help point needs a name of 1 to {MAX_POINT_CHARS} characters",
                **WardError.MESSAGES}

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(self.MESSAGES[reason])


def digest(secret: str) -> str:
    """The stored form of a code: SHA-256 of its normalised text."""
    return hashlib.sha256(normalise_code(secret).encode("utf-8")).hexdigest()


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def point_name(name) -> str:
    """A help point's name as the hub keeps it: trimmed, control characters removed, 1 to
    ``MAX_POINT_CHARS`` characters. Raises ``EnrollError("bad_point")``."""
    text = " ".join("".join(c if c.isprintable() else " " for c in str(name or "")).split())
    if not 1 <= len(text) <= MAX_POINT_CHARS:
        raise EnrollError("bad_point")
    return text


def make_code(engine: Engine, point: str, *, keys=None, lifetime: timedelta = CODE_LIFETIME,
              device_id: str | None = None, ward: str | None = None) -> dict:
    """A new one-time code for help point ``point``: ``{"code", "expires_at", "point", "ward"}``.
    A new point is placed in ``ward`` (``kiosk.hub.wards.place_point``); a point of another
    ward is refused (``EnrollError("other_ward")``), so a ward's admin makes codes only for
    their ward's points.

    With ``keys`` (the hub's ``HubKeys``) the code ends with the hub's fingerprint, which a kiosk
    checks; without, with random characters (tests that redeem at the hub directly). With
    ``device_id`` only that device may redeem it (``reenroll``). Raises ``EnrollError`` for a
    bad point name."""
    point = point_name(point)
    tail = (hub_fingerprint(keys.public()["signing_key"]) if keys is not None
            else _random(FINGERPRINT_CHARS))
    raw = _random(RANDOM_CHARS) + tail
    code = "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))
    now = datetime.now(timezone.utc)
    expires = (now + lifetime).isoformat(timespec="milliseconds")
    with write_transaction(engine) as connection:
        try:
            placed = place_point(connection, point, ward)
        except WardError as error:
            raise EnrollError(error.reason) from None
        connection.execute(enroll_codes.insert().values(
            code_hash=digest(code), point=point, created_at=now.isoformat(timespec="milliseconds"),
            expires_at=expires, for_device=device_id))
    return {"code": code, "expires_at": expires, "point": point, "ward": placed}


def _random(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def redeem_code(engine: Engine, code: str, device_id: str, public_key: str | None = None) -> dict:
    """Use up ``code`` for ``device_id`` with its Ed25519 ``public_key`` (base64) and give the
    device a new token: ``{"device_id", "point", "token", "public_key"}``; the token is shown only
    here. A device enrolled without a key (a kiosk before keys existed; tests) registers one at its
    first signed batch.

    Raises ``EnrollError`` and changes nothing when the code is unknown, used or expired, made for
    another device, or when ``device_id`` is already known and the code was not made for it.
    """
    if not is_device_id(device_id):
        raise EnrollError("bad_device")
    if public_key is not None and not is_public_key(public_key):
        raise EnrollError("bad_key")
    now, hashed = now_iso(), digest(code)
    token = secrets.token_urlsafe(32)
    with write_transaction(engine) as connection:
        used = connection.execute(
            update(enroll_codes).where(enroll_codes.c.code_hash == hashed,
                                       enroll_codes.c.used_at.is_(None),
                                       enroll_codes.c.expires_at > now)
            .values(used_at=now, device_id=device_id)
            .returning(enroll_codes.c.point, enroll_codes.c.for_device)).first()
        if used is None:
            raise EnrollError(_why_refused(connection, hashed, now))
        values = {"token_hash": token_digest(token), "public_key": public_key,
                  "key_registered_at": now if public_key else None, "enrolled_at": now,
                  "point": used.point, "last_seen_at": now}
        if used.for_device is None:
            _add_new_device(connection, device_id, values)
        elif used.for_device != device_id:
            raise EnrollError("other_device")
        else:
            connection.execute(update(devices).where(devices.c.device_id == device_id)
                               .values(**values))
    return {"device_id": device_id, "point": used.point, "token": token, "public_key": public_key}


def _add_new_device(connection: Connection, device_id: str, values: dict) -> None:
    """Insert the device, or raise ``EnrollError("device_enrolled")`` (rolling the code back)
    when the hub already has a device of that id: decided by the primary key, not a look-up."""
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(devices).values(
        device_id=device_id, first_seen_at=values["last_seen_at"], acknowledged_seq=0, **values)
    added = connection.execute(statement.on_conflict_do_nothing(
        index_elements=[devices.c.device_id]).returning(devices.c.device_id)).first()
    if added is None:
        raise EnrollError("device_enrolled")


def _why_refused(connection: Connection, hashed: str, now: str) -> str:
    row = connection.execute(select(enroll_codes.c.used_at, enroll_codes.c.expires_at)
                             .where(enroll_codes.c.code_hash == hashed)).first()
    if row is None:
        return "unknown"
    return "used" if row.used_at else "expired"


def reenroll(engine: Engine, device_id: str, *, keys=None, point: str | None = None,
             lifetime: timedelta = CODE_LIFETIME, ward: str | None = None) -> dict:
    """Revoke ``device_id``'s token and key at once (the kiosk holding them is locked out from
    this moment), void any earlier code made for it, and make a code only it can redeem, for
    ``point`` (default: its current help point). With ``ward`` (a ward admin's) a device of
    another ward is unknown, and the point must be of that ward. Returns ``make_code``'s answer.
    Raises ``EnrollError`` for an unknown device or a bad point name."""
    if not is_device_id(device_id):
        raise EnrollError("bad_device")
    with write_transaction(engine) as connection:
        current = connection.execute(select(devices.c.point).where(
            devices.c.device_id == device_id)).first()
        if current is None or (ward is not None
                               and ward_of_point(connection, current.point) != ward):
            raise EnrollError("unknown_device")
        name = point_name(point if point is not None else current.point)
        if ward is not None and ward_of_point(connection, name) not in (None, ward):
            raise EnrollError("other_ward")
        connection.execute(update(devices).where(devices.c.device_id == device_id).values(
            token_hash=None, public_key=None, key_registered_at=None, point=name))
        connection.execute(update(enroll_codes).where(
            enroll_codes.c.for_device == device_id, enroll_codes.c.used_at.is_(None))
            .values(used_at=now_iso()))
    return make_code(engine, name, keys=keys, lifetime=lifetime, device_id=device_id, ward=ward)

