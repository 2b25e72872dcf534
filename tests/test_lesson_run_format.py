"""Lesson-run record format 2 on the kiosk: what a run records for the funnel, and the checks
and upgrade the hub shares (kiosk.core.lesson_run_format)."""

import json

import pytest

from kiosk.core import lesson_runs
from kiosk.core.integrity import check_database
from kiosk.core.lesson_run_format import RECORD_FORMAT, format_problem, upgrade


def _start(db):
    return lesson_runs.start_run(db, lesson_id="vneid-activate", lesson_version="3",
                                 language="vi", text_size="normal", total_steps=5)


def _sent(db, run_id) -> dict:
    """The newest revision of the run as its outbox row will send it."""
    payload = db.execute("SELECT payload FROM outbox WHERE record_id = ? ORDER BY seq DESC "
                         "LIMIT 1", [run_id]).fetchone()[0]
    return json.loads(payload)


def test_a_run_records_help_steps_practice_and_time(db):
    run = _start(db)
    assert (run["record_format"], run["help_steps"], run["practice_results"]) == (2, [], {})
    lesson_runs.request_help(db, lesson_run_id=run["id"], lesson_id="vneid-activate", step=2)
    lesson_runs.request_help(db, lesson_run_id=run["id"], lesson_id="vneid-activate", step=4)
    lesson_runs.update_run(db, run["id"], practice_results={"1": "first_try", "3": "shown"},
                           furthest_step=5, completed=1,
                           ended_at=_later(run["started_at"], seconds=75))
    sent = _sent(db, run["id"])
    assert sent["record_format"] == RECORD_FORMAT
    assert sent["help_steps"] == [2, 4] and sent["help_requested"] == 1
    assert sent["practice_results"] == {"1": "first_try", "3": "shown"}
    assert sent["duration_s"] == 75  # worked out from the start and end when not given
    assert lesson_runs.stored_run(db, run["id"]) == sent
    assert format_problem(sent) is None and check_database(db) == []


def test_an_end_time_given_again_keeps_the_first_duration(db):
    run = _start(db)
    lesson_runs.update_run(db, run["id"], ended_at=_later(run["started_at"], 30), duration_s=29)
    lesson_runs.update_run(db, run["id"], rating="good")
    assert _sent(db, run["id"])["duration_s"] == 29


def test_help_is_recorded_even_when_its_step_cannot_be(db):
    run = _start(db)
    for step in (None, 0, 10**6):
        lesson_runs.request_help(db, lesson_run_id=run["id"], lesson_id="x", step=step)
    assert db.execute("SELECT count(*) FROM help_requests").fetchone()[0] == 3
    assert _sent(db, run["id"])["help_steps"] == []


def test_a_bad_practice_result_is_refused_before_anything_is_written(db):
    run = _start(db)
    with pytest.raises(ValueError, match="practice_results"):
        lesson_runs.update_run(db, run["id"], practice_results={"1": "guessed"})
    assert lesson_runs.stored_run(db, run["id"])["revision"] == 1


@pytest.mark.parametrize("change, problem", [
    ({"record_format": 0}, "record_format"), ({"record_format": True}, "record_format"),
    ({"help_steps": "2"}, "help_steps"), ({"help_steps": [0]}, "help_steps"),
    ({"help_steps": [1] * 201}, "help_steps"), ({"practice_results": []}, "practice_results"),
    ({"practice_results": {"x": "shown"}}, "practice_results"),
    ({"duration_s": -1}, "duration_s"), ({"duration_s": 1.5}, "duration_s")])
def test_malformed_format_2_fields_are_named(change, problem):
    record = {"record_format": 2, "help_steps": [], "practice_results": {}, "duration_s": None}
    assert problem in format_problem({**record, **change})


def test_older_and_newer_formats_are_accepted_and_upgraded():
    old = {"id": "x", "started_at": "2026-03-02T10:00:00+07:00",
           "ended_at": "2026-03-02T10:08:00+07:00", "help_steps": "junk from nowhere"}
    assert format_problem(old) is None  # format 1: no format-2 field is read
    assert upgrade(old) == {**old, "help_steps": None, "practice_results": None,
                            "duration_s": 480}
    assert upgrade({**old, "ended_at": "2026-03-02T09:00:00+07:00"})["duration_s"] is None
    newer = {"record_format": 3, "help_steps": [1], "practice_results": {}, "duration_s": 5,
             "a_field_from_later": 1}
    assert format_problem(newer) is None and upgrade(newer) == newer


def _later(iso: str, seconds: int) -> str:
    from datetime import datetime, timedelta

    return (datetime.fromisoformat(iso) + timedelta(seconds=seconds)).isoformat(
        timespec="milliseconds")
