"""The dashboard's sign-in throttle, kept in the hub database (table ``sign_in_failures``).

Failures are counted per user name *from one client address* and per client address for any
name. The ``NAME_FREE_TRIES``-th failure in a row of one name from one address locks that pair for
``FIRST_LOCK_S``, each further failure twice as long, up to ``MAX_LOCK_S``; the
``ADDRESS_FREE_TRIES``-th failure from one address (whatever names it tries) locks that address
the same way. So a stranger elsewhere cannot lock a real user out, and one address cannot try
names without limit. Counts restart after ``QUIET_S`` without a failure; a right password clears
its pair. Rows are removed only once stale (no failure for ``FORGET_S`` and not locked): failures
on other names never push a lock out. Because the counts live in the database, a lock survives a
restart and holds for every hub process on that database.
"""

from __future__ import annotations

import time

from sqlalchemy import Engine, case, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from kiosk.hub.database import write_transaction
from kiosk.hub.schema import sign_in_failures as failures_table

NAME_FREE_TRIES = 5
ADDRESS_FREE_TRIES = 30
FIRST_LOCK_S = 30.0
MAX_LOCK_S = 15 * 60.0
QUIET_S = 3600.0
FORGET_S = 24 * 3600.0
_SCOPE_MAX = 200


class Locked(Exception):
    """Too many wrong passwords: ``seconds`` until this name (or address) may try again."""

    def __init__(self, seconds: float):
        self.seconds = max(1, int(seconds + 0.999))
        super().__init__(f"locked for {self.seconds} s")


def scopes(name: str, address: str) -> tuple[str, str]:
    """The two counters a sign-in of ``name`` from ``address`` touches: the pair, the address."""
    address = (address or "unknown")[:64]
    return (f"name:{name.casefold()[:100]}@{address}"[:_SCOPE_MAX], f"address:{address}")


def _lock_seconds(failures: int, free_tries: int) -> float:
    extra = failures - free_tries + 1
    return min(MAX_LOCK_S, FIRST_LOCK_S * 2 ** min(extra - 1, 30)) if extra > 0 else 0.0


class Throttle:
    """Sign-in failures counted in the hub database. ``clock`` gives seconds since 1970 (wall
    time: several processes and restarts must agree). Safe from any thread or process."""

    def __init__(self, clock=time.time):
        self._clock = clock

    def _now_ms(self) -> int:
        return int(self._clock() * 1000)

    def check(self, engine: Engine, name: str, address: str) -> None:
        """Raises ``Locked`` while the pair or the address is locked."""
        now = self._now_ms()
        with engine.connect() as connection:
            until = connection.execute(
                select(failures_table.c.locked_until_ms).where(
                    failures_table.c.scope.in_(scopes(name, address)))).scalars().all()
        latest = max(until, default=0)
        if latest > now:
            raise Locked((latest - now) / 1000)

    def failed(self, engine: Engine, name: str, address: str) -> int:
        """Count one failure of ``name`` from ``address``; returns the pair's failures in a
        row. Also forgets stale rows (never a locked one)."""
        now = self._now_ms()
        pair, whole = scopes(name, address)
        with write_transaction(engine) as connection:
            counts = {scope: self._count(connection, scope, now)
                      for scope in (pair, whole)}
            for scope, free in ((pair, NAME_FREE_TRIES), (whole, ADDRESS_FREE_TRIES)):
                lock_ms = int(_lock_seconds(counts[scope], free) * 1000)
                if lock_ms:
                    connection.execute(update(failures_table).where(
                        failures_table.c.scope == scope).values(locked_until_ms=now + lock_ms))
            connection.execute(delete(failures_table).where(
                failures_table.c.last_failed_ms < now - int(FORGET_S * 1000),
                failures_table.c.locked_until_ms < now))
        return counts[pair]

    def succeeded(self, engine: Engine, name: str, address: str) -> None:
        """A right password: the pair's count starts again (the address's is kept)."""
        with write_transaction(engine) as connection:
            connection.execute(delete(failures_table).where(
                failures_table.c.scope == scopes(name, address)[0]))

    @staticmethod
    def _count(connection, scope: str, now: int) -> int:
        """Add one failure to ``scope`` (a fresh count after ``QUIET_S`` of quiet), atomically
        on both databases; returns the count."""
        dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
        table = failures_table
        quiet = now - int(QUIET_S * 1000)
        statement = dialect.insert(table).values(scope=scope, failures=1, last_failed_ms=now,
                                                 locked_until_ms=0)
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.scope],
            set_={"failures": case((table.c.last_failed_ms < quiet, 1),
                                   else_=table.c.failures + 1),
                  "last_failed_ms": now})
        connection.execute(statement)
        return connection.execute(select(table.c.failures).where(
            table.c.scope == scope)).scalar_one()
