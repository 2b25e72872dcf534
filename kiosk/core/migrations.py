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


@migrations()
def m002_assistance_journal(db):
    """The volunteers' assistance journal, bundles written for USB, and who took a help request.

    The enumerations are repeated here on purpose: a migration is frozen once shipped, while the
    constants in ``kiosk.core.journal`` may grow in a later migration.
    """
    db.execute("""
        CREATE TABLE assistance_sessions (
            id TEXT PRIMARY KEY,
            device_id TEXT NOT NULL,
            revision INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1),
            volunteer_id TEXT NOT NULL REFERENCES accounts(id),
            age_band TEXT NOT NULL
                CHECK (age_band IN ('<18', '18-39', '40-59', '60-74', '75+')),
            gender TEXT CHECK (gender IN ('female', 'male', 'other')),
            disability TEXT
                CHECK (disability IN ('none', 'vision', 'hearing', 'mobility', 'other')),
            neighbourhood TEXT,
            services TEXT NOT NULL
                CHECK (json_valid(services) AND json_type(services) = 'array'
                       AND json_array_length(services) >= 1),
            satisfaction TEXT CHECK (satisfaction IN ('good', 'ok', 'bad')),
            duration_s INTEGER NOT NULL CHECK (duration_s >= 0),
            note TEXT,
            started_at TEXT NOT NULL,
            ended_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX assistance_sessions_started ON assistance_sessions (started_at)")
    db.execute("CREATE INDEX assistance_sessions_volunteer ON assistance_sessions (volunteer_id)")
    db.execute("""
        CREATE TABLE exports (
            id TEXT PRIMARY KEY,
            created_at TEXT NOT NULL,
            path_name TEXT NOT NULL,
            scope TEXT NOT NULL CHECK (scope IN ('unsent', 'all')),
            first_seq INTEGER NOT NULL,
            last_seq INTEGER NOT NULL,
            records INTEGER NOT NULL,
            counts TEXT NOT NULL CHECK (json_valid(counts)),
            bytes INTEGER NOT NULL,
            sha256 TEXT NOT NULL
        )""")
    db.execute("ALTER TABLE help_requests ADD COLUMN taken_by TEXT REFERENCES accounts(id)")
    db.execute("CREATE INDEX help_requests_created ON help_requests (created_at)")


@migrations()
def m003_practice_results(db):
    """What a lesson run records of tap practice on the mock phone screens."""
    for column in ("practice_steps", "practice_first_try", "practice_shown"):
        db.execute(f"ALTER TABLE lesson_runs ADD COLUMN {column} INTEGER NOT NULL DEFAULT 0")


@migrations()
def m004_lesson_funnel(db):
    """Lesson-run record format 2 (kiosk.core.lesson_run_format): where help was asked, practice
    per step, how long the run took. Runs recorded before stay format 1."""
    db.execute("ALTER TABLE lesson_runs ADD COLUMN record_format INTEGER NOT NULL DEFAULT 1")
    db.execute("ALTER TABLE lesson_runs ADD COLUMN help_steps TEXT NOT NULL DEFAULT '[]' "
               "CHECK (json_valid(help_steps))")
    db.execute("ALTER TABLE lesson_runs ADD COLUMN practice_results TEXT NOT NULL DEFAULT '{}' "
               "CHECK (json_valid(practice_results))")
    db.execute("ALTER TABLE lesson_runs ADD COLUMN duration_s INTEGER")
