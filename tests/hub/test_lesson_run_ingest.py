"""The hub accepts lesson runs of every record format, old and new, and refuses a malformed
format-2 run with its reason (SQLite and PostgreSQL)."""

from sqlalchemy import text

from kiosk.core.ids import uuid7
from kiosk.hub.ingest import ingest_batch

DEVICE = "01a20000-0000-7000-8000-000000000002"
FORMAT_2 = {"record_format": 2, "help_steps": [2], "practice_results": {"1": "found"},
            "duration_s": 90}


def _row(seq: int, record_id: str, **fields) -> dict:
    return {"seq": seq, "record_type": "lesson_run",
            "record": {"id": record_id, "device_id": DEVICE, "revision": 1,
                       "lesson_id": "vneid-activate", **fields}}


def test_lesson_runs_of_every_format_are_stored_and_a_malformed_one_refused(hub_engine):
    old, new, newer, bad = uuid7(), uuid7(), uuid7(), uuid7()
    result = ingest_batch(hub_engine, DEVICE, [
        _row(1, old), _row(2, new, **FORMAT_2),
        _row(3, newer, **{**FORMAT_2, "record_format": 3, "a_later_field": [1]}),
        _row(4, bad, **{**FORMAT_2, "help_steps": ["2"]})])
    assert (result.new, result.already_present, result.updated) == (3, 0, 0)
    assert result.refused == [{"seq": 4, "reason": "the lesson run's help_steps is not a short "
                                                   "list of step numbers"}]
    with hub_engine.connect() as connection:
        stored = set(connection.execute(text("SELECT record_id FROM records")).scalars())
        projected = connection.execute(text("SELECT count(*) FROM report_lesson_runs")).scalar()
    assert stored == {old, new, newer} and projected == 3
