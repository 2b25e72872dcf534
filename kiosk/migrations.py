"""The kiosk's database schema, one migration per change, applied in order and never edited.

Every table is declared here; nothing else creates tables.
"""

from sqlite_utils import Migrations

migrations = Migrations("kiosk")


@migrations()
def m001_foundation(db):
    db.execute("""
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )""")
    db.execute("""
        CREATE TABLE accounts (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('volunteer', 'admin')),
            pin_hash TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 1,
            failed_pins INTEGER NOT NULL DEFAULT 0,
            locked_until TEXT,
            created_at TEXT NOT NULL
        )""")
    db.execute("""
        CREATE TABLE lesson_runs (
            id TEXT PRIMARY KEY,
            device_id TEXT NOT NULL,
            revision INTEGER NOT NULL DEFAULT 1,
            lesson_id TEXT NOT NULL,
            lesson_version TEXT NOT NULL,
            language TEXT NOT NULL,
            text_size TEXT NOT NULL,
            furthest_step INTEGER NOT NULL DEFAULT 0,
            total_steps INTEGER NOT NULL,
            completed INTEGER NOT NULL DEFAULT 0,
            rating TEXT CHECK (rating IN ('good', 'ok', 'bad')),
            help_requested INTEGER NOT NULL DEFAULT 0,
            started_at TEXT NOT NULL,
            ended_at TEXT,
            updated_at TEXT NOT NULL
        )""")
    db.execute("""
        CREATE TABLE help_requests (
            id TEXT PRIMARY KEY,
            device_id TEXT NOT NULL,
            revision INTEGER NOT NULL DEFAULT 1,
            lesson_run_id TEXT REFERENCES lesson_runs(id),
            lesson_id TEXT,
            step INTEGER,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'taken')),
            created_at TEXT NOT NULL,
            taken_at TEXT,
            updated_at TEXT NOT NULL
        )""")
    db.execute("""
        CREATE TABLE outbox (
            seq INTEGER PRIMARY KEY,
            record_type TEXT NOT NULL,
            record_id TEXT NOT NULL,
            revision INTEGER NOT NULL,
            payload TEXT NOT NULL,
            created_at TEXT NOT NULL,
            sent_at TEXT,
            set_aside_reason TEXT,
            UNIQUE (record_type, record_id, revision)
        )""")
    db.execute("CREATE INDEX outbox_unsent ON outbox (seq) WHERE sent_at IS NULL")
    db.execute("CREATE INDEX lesson_runs_started ON lesson_runs (started_at)")
