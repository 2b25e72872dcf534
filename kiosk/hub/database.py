"""Opening the hub's database: an SQLAlchemy engine for SQLite or PostgreSQL, migrated.

``open_engine`` accepts the URL an admin types (``sqlite:///PATH``, ``postgresql://…``) and
chooses the drivers this project installs (the standard ``sqlite3``, ``psycopg`` 3). SQLite gets
WAL, ``synchronous=FULL`` (an acknowledged batch survives power loss) and a busy timeout; its
writes go through ``write_transaction``, which takes the write lock up front (``BEGIN IMMEDIATE``)
and serialises writers of this process, so a writer never fails half-way with "database is
locked" (DESIGN.md lesson 11).
"""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path
from typing import Iterator

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from kiosk.core.db import now_iso  # noqa: F401 (the one clock of stored times, re-exported)
from kiosk.hub.migrations import upgrade
from kiosk.core.paths import private_file

BUSY_TIMEOUT_S = 30
_sqlite_writer = threading.Lock()


class DatabaseUrlError(ValueError):
    """The ``--db`` value is not a database address this hub can use."""


def normalise_url(url: str):
    """``url`` as an SQLAlchemy URL with this project's drivers. Raises ``DatabaseUrlError``."""
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise DatabaseUrlError(f"not a database address: {url!r} "
                               "(expected sqlite:///PATH or postgresql://USER@HOST/NAME)") from error
    backend = parsed.get_backend_name()
    if backend == "postgresql" and parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    elif backend not in ("sqlite", "postgresql"):
        raise DatabaseUrlError(f"unsupported database {backend!r}: use sqlite or postgresql")
    return parsed


def open_engine(url: str, *, migrate: bool = True) -> Engine:
    """An engine for ``url``, its schema brought up to date when ``migrate`` (the default).

    Raises ``DatabaseUrlError`` for a bad address and SQLAlchemy's ``OperationalError`` when the
    database cannot be reached.
    """
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            private_file(Path(parsed.database))  # password and token hashes: owner-only
        engine = create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_S,
                                                     "check_same_thread": False})
        _configure_sqlite(engine)
    else:
        engine = create_engine(parsed, pool_size=10, max_overflow=20, pool_pre_ping=True)
    if migrate:
        upgrade(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" event below starts them
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON",
                       f"busy_timeout={BUSY_TIMEOUT_S * 1000}"):
            dbapi_connection.execute(f"PRAGMA {pragma}")

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        immediate = connection.get_execution_options().get("immediate")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


@contextlib.contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A connection inside one write transaction, committed on leaving (rolled back on error).

    On SQLite the writers of this process take turns and the transaction holds the write lock
    from its start; on PostgreSQL they run side by side (the UNIQUE constraints decide).
    """
    if not is_sqlite(engine):
        with engine.begin() as connection:
            yield connection
        return
    with _sqlite_writer, engine.connect().execution_options(immediate=True) as connection:
        with connection.begin():
            yield connection
