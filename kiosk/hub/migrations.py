"""The hub's schema versions, applied in order on SQLite and PostgreSQL alike.

Each entry of ``UPGRADES`` brings the schema from the version before it to its own; once shipped
an upgrade is never edited, only followed by a new one. The version table records what has been
applied, so ``upgrade`` is safe to run at every start, and by two processes at once.
"""

from __future__ import annotations

from typing import Callable

from sqlalchemy import Connection, Engine, func, inspect, select, text
from sqlalchemy.exc import IntegrityError

from kiosk.hub import schema
from kiosk.hub.database import now_iso, write_transaction


def _v1_foundation(connection: Connection) -> None:
    """Devices, enrollment codes, records, lesson packs, settings and dashboard users."""
    schema.metadata.create_all(connection, tables=list(schema.VERSION_1_TABLES))


def _v2_report_tables(connection: Connection) -> None:
    """Report projections (one row per record at its newest revision, by Vietnam day and help
    point, filled from the records already stored) and each kiosk's newest outbox sequence."""
    from kiosk.hub.projections import backfill

    # version 1 creates ``devices`` from the current schema, so a new hub already has the column
    if "kiosk_last_seq" not in {column["name"] for column in
                                inspect(connection).get_columns("devices")}:
        connection.execute(text("ALTER TABLE devices ADD COLUMN kiosk_last_seq BIGINT"))
    schema.metadata.create_all(connection, tables=list(schema.REPORT_TABLES))
    backfill(connection)


UPGRADES: list[Callable[[Connection], None]] = [_v1_foundation, _v2_report_tables]
LATEST = len(UPGRADES)


def current_version(connection: Connection) -> int:
    """The schema version of the database behind ``connection`` (0 when empty)."""
    schema.schema_version.create(connection, checkfirst=True)
    return connection.execute(select(func.coalesce(func.max(schema.schema_version.c.version),
                                                   0))).scalar_one()


def upgrade(engine: Engine) -> int:
    """Apply every upgrade the database lacks, each in its own transaction; returns the version.

    Raises ``RuntimeError`` when the database is newer than this hub (a downgrade would lose data).
    """
    for _ in range(LATEST + 1):
        try:
            with write_transaction(engine) as connection:
                if connection.dialect.name == "postgresql":  # one migrating process at a time
                    connection.execute(text("SELECT pg_advisory_xact_lock(7150001)"))
                version = current_version(connection)
                if version > LATEST:
                    raise RuntimeError(f"the hub database is version {version}, newer than this "
                                       f"program ({LATEST}): install the newer kiosk-hub")
                if version == LATEST:
                    return version
                UPGRADES[version](connection)
                connection.execute(schema.schema_version.insert().values(
                    version=version + 1, applied_at=now_iso()))
        except IntegrityError:  # another process applied the same upgrade first
            continue
    return LATEST
