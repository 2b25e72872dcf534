"""The hub's schema as the last release before Alembic made it (its "version 2"), frozen here.

A new database gets every table below. A database made by that release, which recorded its
version in ``hub_schema_version``, is adopted as it stands: at version 2 nothing changes (this
revision is only stamped), at version 1 the report tables and ``devices.kiosk_last_seq`` are added
and filled from the stored records, as that release's own upgrade did. The definitions are copied,
not imported from ``kiosk.hub.schema``, so later revisions can change the current schema without
changing what this one builds.

Revision ID: 0001_baseline
Revises: (none)
"""

from __future__ import annotations

from datetime import datetime, timezone

from alembic import op
from sqlalchemy import (BigInteger, Column, Connection, Float, Index, Integer, MetaData,
                        PrimaryKeyConstraint, SmallInteger, String, Table, Text, UniqueConstraint,
                        func, inspect, select, text)

revision = "0001_baseline"
down_revision = None
branch_labels = None
depends_on = None

LEGACY_VERSION = 2  # what the release before Alembic called its newest schema

metadata = MetaData()

Table("hub_settings", metadata,
      Column("key", String(100), primary_key=True),
      Column("value", Text, nullable=False))

Table("devices", metadata,
      Column("device_id", String(64), primary_key=True),
      Column("point", Text, nullable=False, default=""),
      Column("token_hash", String(64), unique=True),
      Column("enrolled_at", String(40)),
      Column("first_seen_at", String(40), nullable=False),
      Column("last_seen_at", String(40), nullable=False),
      Column("acknowledged_seq", BigInteger, nullable=False, default=0),
      Column("clock_offset_s", Float),
      Column("kiosk_last_seq", BigInteger))

Table("enroll_codes", metadata,
      Column("code_hash", String(64), primary_key=True),
      Column("point", Text, nullable=False),
      Column("created_at", String(40), nullable=False),
      Column("expires_at", String(40), nullable=False),
      Column("used_at", String(40)),
      Column("device_id", String(64)))

_records = Table(
    "records", metadata,
    Column("record_type", String(40), nullable=False),
    Column("record_id", String(64), nullable=False),
    Column("device_id", String(64), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("payload", Text, nullable=False),
    Column("kiosk_time", String(40)),
    Column("received_at", String(40), nullable=False),
    Column("clock_offset_s", Float),
    UniqueConstraint("record_type", "record_id", name="records_type_id_unique"))
Index("records_by_device", _records.c.device_id, _records.c.record_type)
Index("records_by_type_time", _records.c.record_type, _records.c.kiosk_time)

Table("lesson_packs", metadata,
      Column("version", Integer, primary_key=True, autoincrement=False),
      Column("file_name", Text, nullable=False),
      Column("sha256", String(64), nullable=False),
      Column("size", BigInteger, nullable=False),
      Column("lessons", Integer, nullable=False),
      Column("published_at", String(40), nullable=False))

Table("users", metadata,
      Column("name", String(100), primary_key=True),
      Column("role", String(20), nullable=False),
      Column("password_hash", Text, nullable=False),
      Column("created_at", String(40), nullable=False))

# Kept so that a release from before Alembic refuses a database made after it, instead of
# misreading it (later revisions record a version newer than it knows).
_legacy_versions = Table(
    "hub_schema_version", metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("applied_at", String(40), nullable=False))

OUTCOMES = ("installed", "account_activated", "logged_in", "document_added", "lookup_done",
            "dossier_submitted", "payment_done", "referred", "not_solved")


def _report_table(name: str, *columns, key=("record_id",)) -> Table:
    table = Table(
        name, metadata,
        Column("record_id", String(64), nullable=False),
        Column("revision", Integer, nullable=False),
        Column("device_id", String(64), nullable=False),
        Column("point", Text, nullable=False),
        Column("day", String(10), nullable=False),
        *columns,
        PrimaryKeyConstraint("day", *key, name=f"{name}_pk"),
        UniqueConstraint(*key, name=f"{name}_record"),
        sqlite_with_rowid=False)
    Index(f"{name}_by_point_day", table.c.point, table.c.day)
    return table


REPORT_TABLES = (
    _report_table("report_sessions",
                  Column("started_at", String(40)),
                  Column("age_band", String(40)),
                  Column("gender", String(40)),
                  Column("disability", String(40)),
                  Column("satisfaction", String(40)),
                  Column("duration_s", Integer),
                  Column("services_count", Integer, nullable=False)),
    _report_table("report_services",
                  Column("service", String(40), nullable=False),
                  *(Column(outcome, SmallInteger, nullable=False) for outcome in OUTCOMES),
                  Column("unsolved_reason", String(40)),
                  key=("record_id", "service")),
    _report_table("report_lesson_runs",
                  Column("lesson_id", String(100)),
                  Column("completed", SmallInteger, nullable=False),
                  Column("rating", String(40)),
                  Column("help_requested", SmallInteger, nullable=False)),
    _report_table("report_help_requests",
                  Column("status", String(40))),
)


def _legacy_version(connection: Connection) -> int:
    """The version the release before Alembic recorded (0: a database it never touched)."""
    if not inspect(connection).has_table("hub_schema_version"):
        return 0
    return connection.execute(select(func.coalesce(func.max(_legacy_versions.c.version),
                                                   0))).scalar_one()


def _record_legacy_versions(connection: Connection, versions) -> None:
    now = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
    connection.execute(_legacy_versions.insert(),
                       [{"version": version, "applied_at": now} for version in versions])


def _add_report_tables(connection: Connection) -> None:
    """What that release's version 2 did to a version 1 database: the column, the report tables
    and their rows made from the records already stored."""
    from kiosk.hub.projections import backfill

    if "kiosk_last_seq" not in {column["name"] for column in
                                inspect(connection).get_columns("devices")}:
        connection.execute(text("ALTER TABLE devices ADD COLUMN kiosk_last_seq BIGINT"))
    metadata.create_all(connection, tables=list(REPORT_TABLES))
    backfill(connection)


def upgrade() -> None:
    connection = op.get_bind()
    version = _legacy_version(connection)
    if version > LEGACY_VERSION:
        raise RuntimeError(f"the hub database says version {version}, which this program "
                           "does not know: install the newer kiosk-hub")
    if version == 0:
        metadata.create_all(connection)
        _record_legacy_versions(connection, range(1, LEGACY_VERSION + 1))
    elif version == 1:
        _add_report_tables(connection)
        _record_legacy_versions(connection, [2])


def downgrade() -> None:
    raise RuntimeError("the hub's schema is never downgraded: restore a backup instead")
