"""The hub's tables, one SQLAlchemy Core schema for SQLite and PostgreSQL.

Records are kept generic (type, id, device, revision, JSON payload) so a new record type needs no
new table; ``records_by_type_time`` serves reports that count by type over a period. Every time is
stored as UTC ISO 8601 text with milliseconds, which sorts and compares the same on both databases.
"""

from sqlalchemy import (BigInteger, Column, Float, Index, Integer, MetaData, String, Table, Text,
                        UniqueConstraint)

metadata = MetaData()

settings = Table(
    "hub_settings", metadata,
    Column("key", String(100), primary_key=True),
    Column("value", Text, nullable=False),
)

devices = Table(
    "devices", metadata,
    Column("device_id", String(64), primary_key=True),
    Column("point", Text, nullable=False, default=""),
    Column("token_hash", String(64), unique=True),  # NULL: known only from USB bundles
    Column("enrolled_at", String(40)),
    Column("first_seen_at", String(40), nullable=False),
    Column("last_seen_at", String(40), nullable=False),
    Column("acknowledged_seq", BigInteger, nullable=False, default=0),
    Column("clock_offset_s", Float),  # hub time minus kiosk time at the last contact
)

enroll_codes = Table(
    "enroll_codes", metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("point", Text, nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("expires_at", String(40), nullable=False),
    Column("used_at", String(40)),
    Column("device_id", String(64)),
)

records = Table(
    "records", metadata,
    Column("record_type", String(40), nullable=False),
    Column("record_id", String(64), nullable=False),
    Column("device_id", String(64), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("payload", Text, nullable=False),
    Column("kiosk_time", String(40)),   # the record's own updated_at, by the kiosk's clock
    Column("received_at", String(40), nullable=False),  # by the hub's clock
    Column("clock_offset_s", Float),    # the kiosk's clock error seen with this revision
    UniqueConstraint("record_type", "record_id", name="records_type_id_unique"),
)
Index("records_by_device", records.c.device_id, records.c.record_type)
Index("records_by_type_time", records.c.record_type, records.c.kiosk_time)

lesson_packs = Table(
    "lesson_packs", metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("file_name", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("lessons", Integer, nullable=False),
    Column("published_at", String(40), nullable=False),
)

users = Table(
    "users", metadata,
    Column("name", String(100), primary_key=True),
    Column("role", String(20), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("created_at", String(40), nullable=False),
)

schema_version = Table(
    "hub_schema_version", metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("applied_at", String(40), nullable=False),
)

VERSION_1_TABLES = (settings, devices, enroll_codes, records, lesson_packs, users)
