"""Volunteer and admin accounts: PINs kept as salted scrypt hashes, lockout after wrong PINs."""

from __future__ import annotations

import hashlib
import hmac
import os
from datetime import datetime, timedelta, timezone

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils

from kiosk.db import now_iso
from kiosk.ids import uuid7

ROLES = ("volunteer", "admin")
MAX_WRONG_PINS = 5
LOCKOUT = timedelta(minutes=5)
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


class PinRefused(Exception):
    """A PIN was not accepted; ``str()`` is a plain message, ``locked_until`` set when locked."""

    def __init__(self, message: str, locked_until: datetime | None = None):
        super().__init__(message)
        self.locked_until = locked_until


def valid_pin(pin: str) -> bool:
    return pin.isdigit() and 4 <= len(pin) <= 6


def hash_pin(pin: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${salt.hex()}${digest.hex()}"


def pin_matches(pin: str, stored: str) -> bool:
    _, n, salt, digest = stored.split("$")
    candidate = hashlib.scrypt(pin.encode(), salt=bytes.fromhex(salt), n=int(n), r=8, p=1)
    return hmac.compare_digest(candidate.hex(), digest)


def create_account(db: sqlite_utils.Database, *, name: str, role: str, pin: str) -> dict:
    """Create an account. Raises ``ValueError`` for an empty name, unknown role or bad PIN."""
    if not name.strip():
        raise ValueError("name is empty")
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if not valid_pin(pin):
        raise ValueError("PIN must be 4 to 6 digits")
    account = {"id": uuid7(), "name": name.strip(), "role": role, "pin_hash": hash_pin(pin),
               "active": 1, "failed_pins": 0, "locked_until": None, "created_at": now_iso()}
    with db.atomic():
        db["accounts"].insert(account)
    return account


def has_admin(db: sqlite_utils.Database) -> bool:
    return db.execute(
        "SELECT 1 FROM accounts WHERE role = 'admin' AND active = 1 LIMIT 1").fetchone() is not None


def check_admin_pin(db: sqlite_utils.Database, pin: str, now: datetime | None = None) -> dict:
    """The active admin account whose PIN this is; raises ``PinRefused`` otherwise.

    Counts wrong PINs against every admin account; five in a row lock them for five minutes.
    """
    now = now or datetime.now(timezone.utc)
    admins = list(db["accounts"].rows_where("role = 'admin' AND active = 1", order_by="created_at"))
    for account in admins:
        try:
            return check_pin(db, account["id"], pin, now=now)
        except PinRefused as refused:
            if refused.locked_until:
                raise
    raise PinRefused("wrong PIN")


def check_pin(db: sqlite_utils.Database, account_id: str, pin: str,
              now: datetime | None = None) -> dict:
    """The account, if ``pin`` is its PIN and it is not locked; raises ``PinRefused`` otherwise.

    A wrong PIN is counted; the fifth in a row locks the account for ``LOCKOUT``.
    """
    now = now or datetime.now(timezone.utc)
    with db.atomic():
        account = db["accounts"].get(account_id)
        locked_until = account["locked_until"] and datetime.fromisoformat(account["locked_until"])
        if locked_until and locked_until > now:
            raise PinRefused("locked", locked_until)
        if pin_matches(pin, account["pin_hash"]):
            db["accounts"].update(account_id, {"failed_pins": 0, "locked_until": None})
            return account
        failed = account["failed_pins"] + 1
        locked_until = now + LOCKOUT if failed >= MAX_WRONG_PINS else None
        db["accounts"].update(account_id, {
            "failed_pins": 0 if locked_until else failed,
            "locked_until": locked_until.isoformat() if locked_until else None})
    raise PinRefused("locked" if locked_until else "wrong PIN", locked_until)
