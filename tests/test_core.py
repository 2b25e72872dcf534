"""The core without Qt: ids, database, lesson runs and their outbox, config, check."""

import uuid

from kiosk.core import config as kiosk_config
from kiosk.core import lesson_runs
from kiosk.core.db import connect, device_id
from kiosk.core.ids import uuid7, uuid7_time_ms
from kiosk.core.integrity import check_database
from kiosk.sync.outbox import unsent_count


def test_uuid7_is_version_7_and_strictly_increasing():
    ids = [uuid7() for _ in range(5000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    assert all(uuid.UUID(value).version == 7 for value in ids[:10])
    assert uuid7_time_ms(ids[0]) <= uuid7_time_ms(ids[-1])


def test_device_id_is_made_once_and_kept(data_dir):
    first = connect(data_dir / "k.db")
    made = device_id(first)
    first.conn.close()
    again = connect(data_dir / "k.db")
    assert device_id(again) == made
    assert uuid.UUID(made)


def test_database_uses_wal_and_foreign_keys(db):
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def _start(db, **extra):
    return lesson_runs.start_run(db, lesson_id="vneid-activate", lesson_version="1.0",
                                 language="vi", text_size="normal", total_steps=8, **extra)


def test_each_revision_of_a_run_is_in_the_outbox_in_order(db):
    run = _start(db)
    lesson_runs.update_run(db, run["id"], furthest_step=3)
    lesson_runs.update_run(db, run["id"], furthest_step=8, completed=1, rating="good")
    rows = list(db.execute("SELECT record_id, revision FROM outbox ORDER BY seq"))
    assert rows == [(run["id"], 1), (run["id"], 2), (run["id"], 3)]
    stored = db["lesson_runs"].get(run["id"])
    assert (stored["revision"], stored["completed"], stored["rating"]) == (3, 1, "good")
    assert unsent_count(db) == 3


def test_an_update_that_changes_nothing_writes_nothing(db):
    run = _start(db)
    lesson_runs.update_run(db, run["id"], furthest_step=0)
    assert db["lesson_runs"].get(run["id"])["revision"] == 1
    assert unsent_count(db) == 1


def test_furthest_step_never_goes_back(db):
    run = _start(db)
    lesson_runs.update_run(db, run["id"], furthest_step=5)
    assert lesson_runs.update_run(db, run["id"], furthest_step=2)["furthest_step"] == 5


def test_a_bad_rating_is_refused_and_nothing_is_written(db):
    run = _start(db)
    try:
        lesson_runs.update_run(db, run["id"], rating="excellent")
    except ValueError:
        pass
    else:
        raise AssertionError("a rating outside RATINGS was accepted")
    assert unsent_count(db) == 1


def test_a_help_request_marks_its_run(db):
    run = _start(db)
    request = lesson_runs.request_help(db, lesson_run_id=run["id"], lesson_id="vneid-activate",
                                       step=3)
    assert db["help_requests"].get(request["id"])["status"] == "open"
    assert db["lesson_runs"].get(run["id"])["help_requested"] == 1
    assert lesson_runs.open_help_requests(db)[0]["id"] == request["id"]


def test_check_passes_on_a_good_database_and_finds_an_outbox_gap(db):
    run = _start(db)
    lesson_runs.update_run(db, run["id"], furthest_step=2)
    lesson_runs.update_run(db, run["id"], furthest_step=4)
    assert check_database(db) == []
    db.execute("DELETE FROM outbox WHERE revision = 2")
    assert any("gaps" in p for p in check_database(db))
    db.execute("DELETE FROM outbox WHERE revision = 3")
    assert any("no outbox entry" in p for p in check_database(db))


def test_config_defaults_when_missing_or_damaged(tmp_path):
    path = tmp_path / "config.toml"
    assert kiosk_config.load(path) == kiosk_config.Config()
    path.write_text("language = [broken", encoding="utf-8")
    assert kiosk_config.load(path) == kiosk_config.Config()


def test_config_round_trips(tmp_path):
    path = tmp_path / "config.toml"
    saved = kiosk_config.Config(help_point="Nhà văn hóa tổ 5", ward="Phường Láng",
                                idle_timeout_s=90, neighbourhoods=["Tổ 1", "Tổ 2"])
    kiosk_config.save(path, saved)
    assert kiosk_config.load(path) == saved
