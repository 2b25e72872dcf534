"""The hub's schema, brought up to date by Alembic on SQLite and PostgreSQL alike.

The revision scripts ship inside the package (``kiosk/hub/alembic/versions``, found with
``importlib.resources``) and run programmatically: no ``alembic.ini`` is needed at run time. Once
shipped a revision is never edited, only followed by a new one. ``0001_baseline`` builds the
schema of the last release before Alembic and adopts a database made by that release (which kept
its version in ``hub_schema_version``) in place.

``upgrade`` is safe at every start and by several processes at once: it runs every pending
revision in one transaction that first takes the database's write lock (SQLite ``BEGIN
IMMEDIATE``) or a migration advisory lock (PostgreSQL), so a second process waits, then finds
nothing to do. This module imports nothing from ``kiosk.hub.database`` (which calls it).
"""

from __future__ import annotations

import contextlib
from importlib.resources import files
from typing import Iterator

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

MIGRATION_LOCK = 7150001  # PostgreSQL advisory lock key, the same as before Alembic


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(files("kiosk.hub") / "alembic"))
    config.attributes["connection"] = connection
    return config


def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(_config())


def head() -> str:
    """The newest revision this program knows."""
    return _scripts().get_current_head()


LATEST = head()


def current_version(connection: Connection) -> str | None:
    """The revision the database behind ``connection`` is at (``None``: not yet under Alembic)."""
    return MigrationContext.configure(connection).get_current_revision()


@contextlib.contextmanager
def _migration_transaction(engine: Engine) -> Iterator[Connection]:
    """One transaction holding the lock that lets only one process migrate at a time."""
    if engine.dialect.name == "sqlite":  # the "immediate" option: see kiosk.hub.database
        with engine.connect().execution_options(immediate=True) as connection:
            with connection.begin():
                yield connection
        return
    with engine.begin() as connection:
        connection.execute(text(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
        yield connection


def upgrade(engine: Engine, *, to: str = "head") -> str:
    """Apply every revision the database lacks up to ``to`` (the newest by default), all in one
    transaction; returns the revision the database is then at.

    Raises ``RuntimeError`` when the database is at a revision this program does not know (made
    by a newer kiosk-hub: going on would misread it, a downgrade would lose data).
    """
    scripts = _scripts()
    with _migration_transaction(engine) as connection:
        current = current_version(connection)
        if current is not None and current not in {script.revision
                                                   for script in scripts.walk_revisions()}:
            raise RuntimeError(f"the hub database is at revision {current}, newer than this "
                               f"program ({scripts.get_current_head()}): install the newer "
                               "kiosk-hub")
        command.upgrade(_config(connection), to)
        return current_version(connection)
