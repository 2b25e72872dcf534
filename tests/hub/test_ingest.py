"""The one ingest path: identical resends, corrections, races, refusals (SQLite and PostgreSQL)."""

import threading

from hypothesis import given, settings, strategies as st
from sqlalchemy import text

from kiosk.hub.database import open_engine
from kiosk.hub.ingest import ingest_batch
from kiosk.core.ids import uuid7

DEVICE = "01a20000-0000-7000-8000-000000000001"


def _row(seq, record_id, revision, kind="lesson_run", device=DEVICE):
    return {"seq": seq, "record_type": kind,
            "record": {"id": record_id, "device_id": device, "revision": revision,
                       "updated_at": "2026-11-23T08:00:00.000+00:00", "note": f"r{revision}"}}


def _stored(engine) -> dict:
    with engine.connect() as connection:
        return dict(connection.execute(text("SELECT record_id, revision FROM records")).all())


def _counts(result):
    return result.new, result.already_present, result.updated, len(result.refused)


def test_a_resend_is_already_present_and_a_correction_wins(hub_engine):
    a, b = uuid7(), uuid7()
    first = ingest_batch(hub_engine, DEVICE, [_row(1, a, 1), _row(2, b, 1)])
    assert _counts(first) == (2, 0, 0, 0)
    assert _counts(ingest_batch(hub_engine, DEVICE, [_row(1, a, 1), _row(2, b, 1)])) == \
        (0, 2, 0, 0)
    assert _counts(ingest_batch(hub_engine, DEVICE, [_row(3, a, 2)])) == (0, 0, 1, 0)
    assert _counts(ingest_batch(hub_engine, DEVICE, [_row(1, a, 1)])) == (0, 1, 0, 0)  # late
    assert _stored(hub_engine) == {a: 2, b: 1}


def test_several_revisions_in_one_batch(hub_engine):
    a = uuid7()
    result = ingest_batch(hub_engine, DEVICE, [_row(1, a, 1), _row(2, a, 2), _row(3, a, 3)])
    assert _counts(result) == (1, 0, 2, 0)
    result = ingest_batch(hub_engine, DEVICE, [_row(2, a, 2), _row(3, a, 3), _row(4, a, 4)])
    assert _counts(result) == (0, 2, 1, 0)
    assert _stored(hub_engine) == {a: 4}


def test_bad_records_are_refused_one_by_one(hub_engine):
    good = uuid7()
    rows = [_row(1, "not-a-uuid", 1), _row(2, uuid7(), 0), _row(3, uuid7(), 1, kind="x"),
            _row(4, uuid7(), 1, device="01a20000-0000-7000-8000-000000000002"),
            {"seq": 5, "record_type": "lesson_run", "record": [1, 2]}, _row(6, good, 1)]
    result = ingest_batch(hub_engine, DEVICE, rows)
    assert result.new == 1 and [r["seq"] for r in result.refused] == [1, 2, 3, 4, 5]
    assert _stored(hub_engine) == {good: 1}


def test_two_deliveries_racing_store_each_record_once(hub_engine):
    rows = [_row(i, uuid7(), 1 + i % 3) for i in range(1, 401)]
    results, start = [], threading.Barrier(4)

    def deliver():
        start.wait(10)
        results.append(ingest_batch(hub_engine, DEVICE, rows))

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sum(r.new + r.updated for r in results) == 400
    assert sum(r.already_present for r in results) == 3 * 400
    assert _stored(hub_engine) == {r["record"]["id"]: r["record"]["revision"] for r in rows}


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(1, 4)), min_size=1, max_size=30),
       st.randoms(use_true_random=False))
def test_any_order_and_any_repetition_gives_the_same_result(tmp_path_factory, deliveries, rnd):
    """Deliver the rows in one order, and again shuffled, cut and repeated: same records."""
    ids = [f"01a20000-0000-7000-8000-00000000010{n}" for n in range(6)]
    rows = [_row(seq, ids[n], revision) for seq, (n, revision) in enumerate(deliveries, 1)]
    expected = {}
    for row in rows:
        rid, revision = row["record"]["id"], row["record"]["revision"]
        expected[rid] = max(expected.get(rid, 0), revision)
    engine = open_engine(f"sqlite:///{tmp_path_factory.mktemp('h') / 'hub.db'}")
    shuffled = rows * 2
    rnd.shuffle(shuffled)
    cut = rnd.randint(0, len(shuffled))
    for part in (shuffled[:cut], shuffled[cut:]):
        if part:
            ingest_batch(engine, DEVICE, sorted(part, key=lambda r: r["seq"]))
    assert _stored(engine) == expected
    engine.dispose()
