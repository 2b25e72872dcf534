"""Volunteer and admin accounts: PINs kept as salted hashes (``kiosk.core.passwords``), lockout
after wrong PINs.

The lockout grows with repeated failures: every ``MAX_WRONG_PINS`` wrong PINs in a row lock the
account, for ``LOCKOUT`` the first time, then twice as long each further time, at most
``LOCKOUT_CAP``. The count of wrong PINs lives in the database, so a restart forgets nothing; only
the right PIN (or an admin's PIN reset) sets it back to zero. With the cap of a day, a
guesser gets through about 50 four-digit PINs on the first day and 5 a day after that.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils

from kiosk.core import passwords
from kiosk.core.db import now_iso
from kiosk.core.ids import uuid7

ROLES = ("volunteer", "admin")
MAX_WRONG_PINS = 5
LOCKOUT = timedelta(minutes=5)
LOCKOUT_CAP = timedelta(hours=24)


class PinRefused(Exception):
    """A PIN was not accepted; ``str()`` is a plain message, ``locked_until`` set when locked."""

    def __init__(self, message: str, locked_until: datetime | None = None):
        super().__init__(message)
        self.locked_until = locked_until


def valid_pin(pin: str) -> bool:
    return pin.isdigit() and 4 <= len(pin) <= 6


def hash_pin(pin: str) -> str:
    """A new salted hash of ``pin`` (``passwords.hash_secret``: the algorithm tag included)."""
    return passwords.hash_secret(pin)


def pin_matches(pin: str, stored: str) -> bool:
    """Whether ``pin`` is the one ``stored`` was made from (today's or an older format)."""
    return passwords.verify(pin, stored)


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


def lockout_for(failed_pins: int) -> timedelta | None:
    """How long ``failed_pins`` wrong PINs in a row lock an account: None unless it is a multiple
    of ``MAX_WRONG_PINS``; ``LOCKOUT`` for the first, doubling for each further one, capped."""
    if failed_pins <= 0 or failed_pins % MAX_WRONG_PINS:
        return None
    doublings = min(failed_pins // MAX_WRONG_PINS - 1, 16)
    return min(LOCKOUT * 2**doublings, LOCKOUT_CAP)


def pins_left(failed_pins: int) -> int:
    """Wrong PINs still allowed before the next lockout (1 to ``MAX_WRONG_PINS``)."""
    return MAX_WRONG_PINS - failed_pins % MAX_WRONG_PINS


def has_admin(db: sqlite_utils.Database) -> bool:
    return db.execute(
        "SELECT 1 FROM accounts WHERE role = 'admin' AND active = 1 LIMIT 1").fetchone() is not None


def check_admin_pin(db: sqlite_utils.Database, pin: str, now: datetime | None = None) -> dict:
    """The active admin account whose PIN this is; raises ``PinRefused`` otherwise.

    Counts wrong PINs against every admin account; five in a row lock them for five minutes,
    each further five for twice as long as the last (``lockout_for``).
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

    A wrong PIN is counted; every fifth in a row locks the account (``lockout_for``): the
    count is kept through the lockout, so the next lockout is longer. The right PIN resets it.
    A PIN tried while the account is locked is refused without being checked or counted.
    The right PIN also rewrites a hash of an older format or cost (``passwords.needs_rehash``).
    """
    now = now or datetime.now(timezone.utc)
    with db.atomic():
        account = db["accounts"].get(account_id)
        locked_until = account["locked_until"] and datetime.fromisoformat(account["locked_until"])
        if locked_until and locked_until > now:
            raise PinRefused("locked", locked_until)
        matches, rehashed = passwords.check(pin, account["pin_hash"])
        if matches:
            changes = {"failed_pins": 0, "locked_until": None}
            if rehashed:  # an older or weaker hash: rewritten now that the PIN is known
                changes["pin_hash"] = rehashed
            db["accounts"].update(account_id, changes)
            return {**account, **changes}
        failed = account["failed_pins"] + 1
        lockout = lockout_for(failed)
        locked_until = now + lockout if lockout else None
        db["accounts"].update(account_id, {
            "failed_pins": failed,
            "locked_until": locked_until.isoformat() if locked_until else None})
    raise PinRefused("locked" if locked_until else "wrong PIN", locked_until)


PUBLIC_FIELDS = ("id", "name", "role", "active", "locked_until", "created_at")


def list_accounts(db: sqlite_utils.Database, *, active_only: bool = False,
                  role: str | None = None) -> list[dict]:
    """Accounts for the sign-in list and the admin screen, by name; never the PIN hashes.

    Each has ``PUBLIC_FIELDS``. Read-only.
    """
    where, params = ["1"], []
    if active_only:
        where.append("active = 1")
    if role is not None:
        where.append("role = ?")
        params.append(role)
    rows = db.execute(f"SELECT {', '.join(PUBLIC_FIELDS)} FROM accounts "
                      f"WHERE {' AND '.join(where)}", params).fetchall()
    accounts = [dict(zip(PUBLIC_FIELDS, row)) for row in rows]
    return sorted(accounts, key=lambda account: (account["name"].casefold(), account["id"]))


def sign_in(db: sqlite_utils.Database, account_id: str, pin: str, *,
            now: datetime | None = None) -> dict:
    """Sign in by tapping a name and typing its PIN; returns the account's ``PUBLIC_FIELDS``.

    Only volunteer accounts sign in here: an admin account is refused as "not a volunteer"
    before its PIN is looked at, so wrong PINs on the volunteer side never count against the
    admin lockout (the admin opens the admin screen through ``check_admin_pin``).

    Raises ``PinRefused`` for a wrong PIN (counted: see ``check_pin``), a locked account
    (``locked_until`` set), an inactive or non-volunteer one, and ``KeyError`` for an unknown
    account.
    """
    account = _get(db, account_id)
    if account["role"] != "volunteer":
        raise PinRefused("not a volunteer")
    if not account["active"]:
        raise PinRefused("inactive")
    account = check_pin(db, account_id, pin, now=now)
    return {field: account[field] for field in PUBLIC_FIELDS}


def set_active(db: sqlite_utils.Database, account_id: str, *, active: bool) -> None:
    """Switch an account on or off; accounts are never deleted, as sessions refer to them.

    Raises ``KeyError`` for an unknown account and ``ValueError`` when it would leave no active
    admin.
    """
    with db.atomic():
        account = _get(db, account_id)
        if not active and account["role"] == "admin" and account["active"]:
            others = db.execute("SELECT count(*) FROM accounts WHERE role = 'admin' "
                                "AND active = 1 AND id != ?", [account_id]).fetchone()[0]
            if not others:
                raise ValueError("the last active admin cannot be switched off")
        db.execute("UPDATE accounts SET active = ? WHERE id = ?", [int(bool(active)), account_id])


def change_pin(db: sqlite_utils.Database, account_id: str, *, new_pin: str) -> None:
    """Give an account a new PIN (an admin's reset); also lifts a lockout.

    Raises ``ValueError`` for a PIN that is not 4 to 6 digits and ``KeyError`` for an unknown
    account.
    """
    if not valid_pin(new_pin):
        raise ValueError("PIN must be 4 to 6 digits")
    pin_hash = hash_pin(new_pin)
    with db.atomic():
        _get(db, account_id)
        db.execute("UPDATE accounts SET pin_hash = ?, failed_pins = 0, locked_until = NULL "
                   "WHERE id = ?", [pin_hash, account_id])


def _get(db: sqlite_utils.Database, account_id: str) -> dict:
    found = db.execute("SELECT * FROM accounts WHERE id = ?", [account_id])
    row = found.fetchone()
    if row is None:
        raise KeyError(account_id)
    return dict(zip([column[0] for column in found.description], row))
