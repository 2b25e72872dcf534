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
