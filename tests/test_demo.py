"""``kiosk demo``: realistic, reproducible sessions, each committed before its id is printed."""

import json
import subprocess
import sys
import uuid

from kiosk.core import accounts
from kiosk.core.demo import DEMO_VOLUNTEER, record_demo_sessions
from kiosk.core.scrubber import scrub


def content(db):
    rows = db.execute("SELECT age_band, gender, services, satisfaction, note FROM "
                      "assistance_sessions ORDER BY id").fetchall()
    return [row[:2] + (json.loads(row[2]),) + row[3:] for row in rows]


def test_the_same_seed_gives_the_same_sessions(db, tmp_path):
    from kiosk.core.db import connect

    other = connect(tmp_path / "other.db")
    assert len(list(record_demo_sessions(db, 50, seed=11))) == 50
    list(record_demo_sessions(other, 50, seed=11))
    assert content(db) == content(other)
    other.conn.close()


def test_demo_sessions_look_real_and_keep_nothing_personal(db):
    list(record_demo_sessions(db, 400, seed=5, neighbourhoods=["Tổ 1", "Tổ 2"]))
    [volunteer] = accounts.list_accounts(db)
    assert volunteer["name"] == DEMO_VOLUNTEER
    ages = dict(db.execute("SELECT age_band, count(*) FROM assistance_sessions GROUP BY 1"))
    assert ages["60-74"] > ages["18-39"] > ages.get("<18", 0)
    notes = [n for (n,) in db.execute(
        "SELECT note FROM assistance_sessions WHERE note IS NOT NULL")]
    assert notes and all(scrub(note).masked == [] for note in notes)
    assert {n for (n,) in db.execute("SELECT DISTINCT neighbourhood FROM assistance_sessions")} \
        == {"Tổ 1", "Tổ 2"}


def test_an_existing_volunteer_is_used_rather_than_a_demo_one(db):
    lan = accounts.create_account(db, name="Lan", role="volunteer", pin="2468")["id"]
    list(record_demo_sessions(db, 5, seed=1))
    assert {v for (v,) in db.execute("SELECT volunteer_id FROM assistance_sessions")} == {lan}


def test_demo_command_prints_one_id_per_line(tmp_path):
    done = subprocess.run([sys.executable, "-m", "kiosk", "--data-dir", str(tmp_path), "demo",
                           "--sessions", "4", "--seed", "2"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    ids = done.stdout.split()
    assert len(ids) == 4 and all(uuid.UUID(value).version == 7 for value in ids)


def test_demo_sessions_include_the_bank_and_digital_learning_apps(db):
    list(record_demo_sessions(db, 400, seed=3))
    services = {entry["service"] for (raw,) in db.execute("SELECT services FROM "
                                                          "assistance_sessions")
                for entry in json.loads(raw)}
    assert {"bank", "hocvuso"} <= services


def test_demo_lesson_runs_carry_the_funnel_fields(db):
    from kiosk.core.demo import bundled_lessons, record_demo_lesson_runs
    from kiosk.core.integrity import check_database
    from kiosk.core.lesson_run_format import format_problem

    ids = list(record_demo_lesson_runs(db, 300, seed=4))
    runs = [dict(row) for row in db["lesson_runs"].rows]
    assert len(ids) == len(runs) == 300
    assert {run["lesson_id"] for run in runs} >= {"bank-qr-payment", "binhdanhocvuso-platform"}
    steps = {lesson["id"]: lesson["steps"] for lesson in bundled_lessons()}
    finished = [run for run in runs if run["completed"]]
    assert 0 < len(finished) < len(runs)
    assert all(run["furthest_step"] == steps[run["lesson_id"]] for run in finished)
    assert all(run["record_format"] == 2 and run["duration_s"] > 0 for run in runs)
    assert any(json.loads(run["help_steps"]) for run in runs)
    assert any(json.loads(run["practice_results"]) for run in runs)
    sent = [json.loads(p) for (p,) in db.execute(
        "SELECT payload FROM outbox WHERE record_type = 'lesson_run'")]
    assert all(format_problem(record) is None for record in sent)
    assert check_database(db) == []


def test_demo_command_records_lesson_runs_when_asked(tmp_path):
    from kiosk.core.db import connect
    from kiosk.core.paths import db_path

    done = subprocess.run([sys.executable, "-m", "kiosk", "--data-dir", str(tmp_path), "demo",
                           "--sessions", "2", "--lesson-runs", "5", "--seed", "2"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.split()) == 2  # one line per session, as before
    db = connect(db_path(tmp_path))
    assert db.execute("SELECT count(*) FROM lesson_runs").fetchone()[0] == 5
    db.conn.close()
