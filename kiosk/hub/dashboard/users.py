"""Ward staff accounts for the dashboard: names, roles and slow salted password hashes.

A password is kept only as a salted Argon2id hash tagged with its algorithm and cost
(``kiosk.core.passwords``, shared with the kiosk's PINs), so a copied database gives no password
back and two equal passwords give different hashes; an older scrypt hash still verifies and is
rewritten at the next successful sign-in. A name that does not exist costs the same check, so
timing does not tell which names exist.

Repeated wrong passwords lock a name from one client address, or the address, for a while:
see ``kiosk.hub.dashboard.sign_in_throttle`` (counts kept in the hub database).
"""

from __future__ import annotations

import logging
import secrets
import time
from dataclasses import dataclass

from sqlalchemy import Engine, select, update
from sqlalchemy.dialects import postgresql, sqlite

from kiosk.core import passwords
from kiosk.hub.database import now_iso, write_transaction
from kiosk.hub.dashboard.sign_in_throttle import Locked, Throttle  # noqa: F401 (re-exported)
from kiosk.hub.schema import settings, users
from kiosk.hub.wards import WardError, ward_exists, ward_name

log = logging.getLogger(__name__)

ROLES = ("viewer", "admin")
MIN_PASSWORD = 8
MAX_PASSWORD = 1024
NAME_MAX = 100
_ENDED = "dashboard.sessions_ended:"  # hub_settings key prefix, + user name


class UserError(ValueError):
    """A user could not be added or changed; ``str()`` says why in plain words."""


@dataclass(frozen=True)
class User:
    """A staff account: ``ward`` is the ward whose numbers alone it sees, ``None`` the city."""

    name: str
    role: str
    ward: str | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def hash_password(password: str) -> str:
    """A new salted hash of ``password`` (``passwords.hash_secret``, slow on purpose)."""
    return passwords.hash_secret(password)


def password_matches(password: str, stored: str) -> bool:
    """Whether ``password`` is the one ``stored`` was made from; ``False`` for a damaged hash."""
    return passwords.verify(password, stored)


_DUMMY_HASH = None


def _dummy_hash() -> str:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password(secrets.token_urlsafe(16))
    return _DUMMY_HASH


def add_user(engine: Engine, name: str, role: str, password: str, *,
             replace: bool = False, ward: str | None = None) -> User:
    """Store a user ``name`` with ``role`` and ``password`` (hashed), of ``ward`` (which must
    exist: made by its first enrollment code) or, ``None``, of the city; with ``replace`` an
    existing user gets the new role, ward and password instead.

    Raises ``UserError`` (nothing stored) for an empty or too long name, an unknown role, a
    password shorter than ``MIN_PASSWORD`` characters, or a name already taken without
    ``replace``.
    """
    name = name.strip()
    if not name or len(name) > NAME_MAX or any(ord(c) < 32 for c in name):
        raise UserError(f"the user name must be 1 to {NAME_MAX} printable characters")
    if role not in ROLES:
        raise UserError(f"the role must be one of: {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password must have at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise UserError(f"the password must have at most {MAX_PASSWORD} characters")
    if ward is not None:
        ward = ward_name_or_error(ward)
        if not ward_exists(engine, ward):
            raise UserError(f"there is no ward named {ward!r} (a ward is made by its first "
                            "enrollment code: kiosk-hub enroll-code --point NAME --ward NAME)")
    hashed = hash_password(password)
    with write_transaction(engine) as connection:
        exists = connection.execute(select(users.c.name).where(users.c.name == name)).first()
        if exists and not replace:
            raise UserError(f"a user named {name!r} already exists "
                            "(add --replace to set a new password and role)")
        if exists:
            connection.execute(update(users).where(users.c.name == name)
                               .values(role=role, password_hash=hashed, ward=ward))
        else:
            connection.execute(users.insert().values(name=name, role=role, ward=ward,
                                                     password_hash=hashed, created_at=now_iso()))
    return User(name, role, ward)


def ward_name_or_error(ward: str) -> str:
    try:
        return ward_name(ward)
    except WardError as error:
        raise UserError(str(error)) from None


def get_user(engine: Engine, name: str) -> tuple[User, str] | None:
    """The user called ``name`` and their stored hash, or ``None``."""
    with engine.connect() as connection:
        row = connection.execute(select(users.c.name, users.c.role, users.c.ward,
                                        users.c.password_hash)
                                 .where(users.c.name == name)).first()
    return (User(row.name, row.role, row.ward), row.password_hash) if row else None


def end_sessions(engine: Engine, name: str, *, now_ms: int | None = None) -> None:
    """End every session of user ``name`` begun before now (signing out ends the session in
    every browser, so a copied cookie is no use either). Kept in ``hub_settings``."""
    dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
    value = str(now_ms if now_ms is not None else time.time_ns() // 1_000_000)
    statement = dialect.insert(settings).values(key=_ENDED + name, value=value)
    with write_transaction(engine) as connection:
        connection.execute(statement.on_conflict_do_update(
            index_elements=[settings.c.key], set_={"value": statement.excluded.value}))


def sessions_ended_at(engine: Engine, name: str) -> int:
    """When ``end_sessions`` last ran for ``name`` (milliseconds since 1970; 0: never)."""
    with engine.connect() as connection:
        value = connection.execute(select(settings.c.value).where(
            settings.c.key == _ENDED + name)).scalar_one_or_none()
    return int(value) if value and value.isdigit() else 0


def authenticate(engine: Engine, throttle: Throttle, name: str, password: str, *,
                 address: str = "") -> User | None:
    """The user if ``password`` is theirs, else ``None`` (counted as a failure of ``name`` from
    client ``address``, and logged without the password).

    Raises ``Locked`` (without checking the password) while the name from this address, or the
    address, is locked.
    """
    name = name.strip()[:NAME_MAX]
    try:
        throttle.check(engine, name, address)
    except Locked:
        log.warning("dashboard sign-in refused while locked, from %s", address or "unknown")
        raise
    found = get_user(engine, name) if name else None
    stored = found[1] if found else _dummy_hash()
    matches, rehashed = passwords.check(password[:MAX_PASSWORD], stored)
    if matches and found:
        throttle.succeeded(engine, name, address)
        if rehashed:
            _rewrite_hash(engine, name, stored, rehashed)
        return found[0]
    in_a_row = throttle.failed(engine, name, address)
    # an unknown name may be a password typed in the wrong field: it is not logged
    log.warning("dashboard sign-in failed for %s from %s (%d in a row)",
                repr(name) if found else "an unknown name", address or "unknown", in_a_row)
    return None


def _rewrite_hash(engine: Engine, name: str, old: str, new: str) -> None:
    """Store ``new`` for ``name`` in place of the older or weaker ``old`` (only if it is still
    ``old``: a password changed meanwhile is kept)."""
    with write_transaction(engine) as connection:
        connection.execute(update(users).where(users.c.name == name,
                                               users.c.password_hash == old)
                           .values(password_hash=new))
