"""The hub's tables, one SQLAlchemy Core schema for SQLite and PostgreSQL.

Records are kept generic (type, id, device, revision, JSON payload) so a new record type needs no
new table; ``records_by_type_time`` serves reports that count by type over a period. Every time is
stored as UTC ISO 8601 text with milliseconds, which sorts and compares the same on both databases.
"""

from sqlalchemy import (BigInteger, Column, Float, ForeignKey, Index, Integer, LargeBinary, MetaData,
                        PrimaryKeyConstraint, SmallInteger, String, Table, Text, UniqueConstraint)

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
    Column("kiosk_last_seq", BigInteger),  # the kiosk's newest outbox seq at the last contact
    # since revision 0003: the device's Ed25519 public key (base64); NULL for a kiosk enrolled
    # before keys existed (its first signed batch registers one) or revoked (re-enrollment)
    Column("public_key", String(64)),
    Column("key_registered_at", String(40)),
)

enroll_codes = Table(
    "enroll_codes", metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("point", Text, nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("expires_at", String(40), nullable=False),
    Column("used_at", String(40)),
    Column("device_id", String(64)),
    Column("for_device", String(64)),  # since 0003: only this device may redeem (re-enrollment)
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
    # since 0004: the pack's bytes, so every hub process on this database serves the same pack
    # (a process writes the file into its own packs folder the first time it serves it)
    Column("data", LargeBinary),
)

users = Table(
    "users", metadata,
    Column("name", String(100), primary_key=True),
    Column("role", String(20), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("ward", Text),  # since 0004: the ward whose staff this is; NULL: the city's staff
)

schema_version = Table(
    "hub_schema_version", metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("applied_at", String(40), nullable=False),
)

VERSION_1_TABLES = (settings, devices, enroll_codes, records, lesson_packs, users)

# Report projections (kiosk.hub.projections): one row per record at its newest revision, written
# by the ingest path in the same transaction as the record, so reports count with plain indexed
# GROUP BYs instead of parsing JSON. Indexed by (day) — the primary key — and (point, day).
# ``day`` is the record's calendar day in Vietnam (UTC+7) as YYYY-MM-DD text; ``point`` the
# device's help point when the record arrived.
# The outcome columns are written out, not taken from kiosk.core.journal.OUTCOMES: a table is frozen
# once shipped, and a new outcome needs a new migration (tests check the two lists agree).
REPORT_OUTCOMES = ("installed", "account_activated", "logged_in", "document_added", "lookup_done",
                   "dossier_submitted", "payment_done", "referred", "not_solved")


def _report_table(name: str, *columns, key=("record_id",)) -> Table:
    """A report table: the primary key leads with ``day``, so a period's rows lie together (on
    SQLite the table is stored in key order) and a month is one range scan; ``key`` (the record,
    for sessions' services the record and service) is unique on its own, for the upserts."""
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
        sqlite_with_rowid=False,
    )
    Index(f"{name}_by_point_day", table.c.point, table.c.day)
    return table


report_sessions = _report_table(
    "report_sessions",
    Column("started_at", String(40)),
    Column("age_band", String(40)),
    Column("gender", String(40)),
    Column("disability", String(40)),
    Column("satisfaction", String(40)),
    Column("duration_s", Integer),
    Column("services_count", Integer, nullable=False),
)

report_services = _report_table(
    "report_services",
    Column("service", String(40), nullable=False),
    *(Column(outcome, SmallInteger, nullable=False) for outcome in REPORT_OUTCOMES),
    Column("unsolved_reason", String(40)),
    key=("record_id", "service"),
)

report_lesson_runs = _report_table(
    "report_lesson_runs",
    Column("lesson_id", String(100)),
    Column("completed", SmallInteger, nullable=False),
    Column("rating", String(40)),
    Column("help_requested", SmallInteger, nullable=False),
)
# a lesson's runs for its funnel in the studio (since 0006)
Index("report_lesson_runs_by_lesson", report_lesson_runs.c.lesson_id, report_lesson_runs.c.point)

report_help_requests = _report_table(
    "report_help_requests",
    Column("status", String(40)),
)

REPORT_TABLES = (report_sessions, report_services, report_lesson_runs, report_help_requests)

# Dashboard sign-in failures (kiosk.hub.dashboard.sign_in_throttle), kept in the database so a
# lock survives a restart and holds for every hub process. ``scope`` is one user name from one
# client address (``name:…@ADDRESS``) or one address for any name (``address:ADDRESS``).
sign_in_failures = Table(
    "sign_in_failures", metadata,
    Column("scope", String(200), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("last_failed_ms", BigInteger, nullable=False),  # milliseconds since 1970
    Column("locked_until_ms", BigInteger, nullable=False),
)
Index("sign_in_failures_by_time", sign_in_failures.c.last_failed_ms)

# Wards as tenants (since 0004, DESIGN.md invariant 12): every help point belongs to one ward; a
# staff account (``users.ward``) belongs to one ward or, NULL, to the city. A point's name is
# unique across the hub, so records and devices keep naming their point as before and a ward's
# numbers are those of its points.
wards = Table(
    "wards", metadata,
    Column("name", String(200), primary_key=True),
    Column("created_at", String(40), nullable=False),
)

help_points = Table(
    "help_points", metadata,
    Column("name", Text, primary_key=True),
    Column("ward", String(200), ForeignKey("wards.name"), nullable=False),
    Column("created_at", String(40), nullable=False),
)
Index("help_points_by_ward", help_points.c.ward)

# Report summaries (since 0005, kiosk.hub.summaries): one wide row of counts per (day, help point)
# and per (month, help point), kept by the ingest path in the same transaction as the records, so
# a city's year is a sum over ~2,000 points × 12 months of rows, not over 20 M records. A value
# outside these frozen lists (from a newer kiosk) is counted in ``report_summary_extras`` instead
# of being lost. Like ``REPORT_OUTCOMES`` the lists are written out: a new value needs a migration
# (tests check they agree with kiosk.core.journal).
SUMMARY_FIELDS = {
    "age_band": ("<18", "18-39", "40-59", "60-74", "75+"),
    "gender": ("female", "male", "other"),
    "disability": ("none", "vision", "hearing", "mobility", "other"),
    "satisfaction": ("good", "ok", "bad"),
}
SUMMARY_SERVICES = ("vneid", "dichvucong", "vssid", "etax", "ihanoi", "safety", "bank", "hocvuso",
                    "other")
SUMMARY_REASONS = ("no_smartphone", "phone_not_own_name", "otp_not_received", "service_down",
                   "other")
SUMMARY_APP_COLUMNS = ("services", *REPORT_OUTCOMES)
_SLUGS = {"<18": "lt18", "18-39": "18_39", "40-59": "40_59", "60-74": "60_74", "75+": "75plus"}


def summary_column(field: str, value: str | None, service: str | None = None) -> str | None:
    """The summary column that counts ``value`` of ``field`` (a session field, ``None``: not
    given; ``"reason"``; or ``"app"`` with ``value`` one of ``SUMMARY_APP_COLUMNS`` of
    ``service``), or ``None`` for a value outside the frozen lists (counted as an extra)."""
    if field == "app":
        known = service in SUMMARY_SERVICES and value in SUMMARY_APP_COLUMNS
        return f"app_{service}_{value}" if known else None
    if field == "reason":
        return f"reason_{value}" if value in SUMMARY_REASONS else None
    if value is None:
        return f"{field}_null"
    return f"{field}_{_SLUGS.get(value, value)}" if value in SUMMARY_FIELDS[field] else None


SUMMARY_COUNTS = (
    "sessions", "lesson_runs", "lesson_completions", "help_requests",
    *(summary_column(field, value) for field, values in SUMMARY_FIELDS.items()
      for value in (*values, None)),
    *(summary_column("reason", reason) for reason in SUMMARY_REASONS),
    *(summary_column("app", column, service) for service in SUMMARY_SERVICES
      for column in SUMMARY_APP_COLUMNS),
)


def _summary_table(name: str, period: str, length: int) -> Table:
    """A summary table keyed by (``period``, point), a count column per ``SUMMARY_COUNTS``."""
    table = Table(
        name, metadata,
        Column(period, String(length), nullable=False),
        Column("point", Text, nullable=False),
        *(Column(count, Integer, nullable=False) for count in SUMMARY_COUNTS),
        PrimaryKeyConstraint(period, "point", name=f"{name}_pk"),
        sqlite_with_rowid=False,
    )
    Index(f"{name}_by_point", table.c.point, table.c[period])
    return table


report_summary_days = _summary_table("report_summary_days", "day", 10)
# the days' activity (sessions and lesson runs per day) read from the index alone
Index("report_summary_days_activity", report_summary_days.c.day, report_summary_days.c.point,
      report_summary_days.c.sessions, report_summary_days.c.lesson_runs)
report_summary_months = _summary_table("report_summary_months", "month", 7)

# ``field`` is a session field, "reason", or "app.<column>" with ``value`` the service
report_summary_extras = Table(
    "report_summary_extras", metadata,
    Column("day", String(10), nullable=False),
    Column("point", Text, nullable=False),
    Column("field", String(60), nullable=False),
    Column("value", String(100), nullable=False),
    Column("n", Integer, nullable=False),
    PrimaryKeyConstraint("day", "point", "field", "value", name="report_summary_extras_pk"),
    sqlite_with_rowid=False,
)

SUMMARY_TABLES = (report_summary_days, report_summary_months, report_summary_extras)


# The lesson studio (since 0006): the hub's own lessons and its edits of bundled ones. A row holds
# the lesson being edited (``draft``, lesson.json as JSON text) and ``revision``, raised by every
# save: a save names the revision it started from and fails if another was saved since.
studio_lessons = Table(
    "studio_lessons", metadata,
    Column("lesson_id", String(100), primary_key=True),
    Column("origin", String(20), nullable=False),  # "bundled" (edit of a packaged one) or "hub"
    Column("draft", Text, nullable=False),
    Column("revision", Integer, nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("updated_by", String(200), nullable=False),
    Column("updated_at", String(40), nullable=False),
)

# Every published version of a studio lesson, kept for history, comparison and rollback.
studio_versions = Table(
    "studio_versions", metadata,
    Column("lesson_id", String(100), ForeignKey("studio_lessons.lesson_id"), nullable=False),
    Column("number", Integer, nullable=False),      # 1, 2, 3… for each lesson
    Column("version", String(40), nullable=False),  # the lesson's own version, e.g. "2.1"
    Column("lesson", Text, nullable=False),
    Column("published_by", String(200), nullable=False),
    Column("published_at", String(40), nullable=False),
    Column("note", Text, nullable=False, default=""),
    Column("pack_version", Integer),                # the lesson pack that carried it
    PrimaryKeyConstraint("lesson_id", "number"),
    UniqueConstraint("lesson_id", "version", name="studio_versions_version"),
)

# Pictures uploaded for lesson steps, content-addressed: a step's ``image`` names
# ``images/SHA256.png`` (or ``.jpg``), so one picture is stored once whichever lessons use it.
studio_pictures = Table(
    "studio_pictures", metadata,
    Column("sha256", String(64), primary_key=True),
    Column("extension", String(8), nullable=False),  # "png" or "jpg"
    Column("width", Integer, nullable=False),
    Column("height", Integer, nullable=False),
    Column("size", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("uploaded_by", String(200), nullable=False),
    Column("uploaded_at", String(40), nullable=False),
)
