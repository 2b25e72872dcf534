"""Sync through a network that fails in every way we know, and many kiosks at once.

Done when (the issue): thousands of records from several kiosks arrive exactly once — hub counts
equal kiosk counts, each record at its newest revision — and every kiosk ends with nothing unsent.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text

from kiosk.core.db import device_id
from kiosk.hub.stats import device_stats
from kiosk.sync.push import sync_round

from tests.hub.conftest import add_records, client_via, enrolled
from tests.hub.fault_proxy import FAULTS, FaultProxy

KIOSKS = 3
RUNS, REVISIONS = 500, 2  # 1000 outbox rows per kiosk, 3000 in all
MAX_ROUNDS = 300
# The kiosk's own patience: a reply held back by the proxy is given up on after this long. The
# proxy holds such a reply until the kiosk hangs up, so no guess at timings decides a fault.
CLIENT_TIMEOUT_S = 2.0


def _sync_until_done(db, client) -> list:
    """Rounds until nothing is unsent, at most ``MAX_ROUNDS`` (the test's timeout bounds the
    time)."""
    results = []
    for _ in range(MAX_ROUNDS):
        result = sync_round(db, client, batch_rows=100)
        results.append(result)
        if result.unsent == 0:
            break
    return results


def _hub_matches_kiosk(engine, db) -> None:
    device = device_id(db)
    kiosk = dict(db.execute("SELECT id, revision FROM lesson_runs").fetchall())
    with engine.connect() as connection:
        hub = dict(connection.execute(text(
            "SELECT record_id, revision FROM records WHERE device_id = :d"), {"d": device}).all())
    assert hub == kiosk
    assert device_stats(engine)["devices"][device]["lesson_runs"] == len(kiosk)


@pytest.mark.timeout(600)
def test_records_arrive_exactly_once_through_a_faulty_network(live_hub, make_kiosk):
    kiosks = []
    for index in range(KIOSKS):
        db, _ = make_kiosk(f"kiosk-{index}")
        enrolled(db, live_hub, f"Tổ {index}")
        add_records(db, RUNS, revisions=REVISIONS)
        kiosks.append(db)
    with FaultProxy(live_hub.port, seed=20261123) as proxy:
        def work(db):
            with client_via(db, proxy.url, timeout=CLIENT_TIMEOUT_S) as client:
                return _sync_until_done(db, client)
        with ThreadPoolExecutor(KIOSKS) as pool:
            histories = list(pool.map(work, kiosks))
    assert set(proxy.counts) == set(FAULTS), proxy.counts  # every fault happened
    errors = {result.last_error for history in histories for result in history} - {None}
    assert "the network answered but it is not the hub (a Wi-Fi login page?)" in errors
    for db, history in zip(kiosks, histories):
        assert history[-1].unsent == 0, (history[-1], proxy.counts)
        _hub_matches_kiosk(live_hub.engine, db)
    with live_hub.engine.connect() as connection:
        total = connection.execute(text("SELECT count(*) FROM records")).scalar_one()
    assert total == KIOSKS * RUNS


def test_fifty_kiosks_pushing_at_once(live_hub, make_kiosk):
    kiosks = []
    for index in range(50):
        db, _ = make_kiosk(f"k{index}")
        enrolled(db, live_hub, f"Điểm {index}")
        add_records(db, 40, revisions=2)
        kiosks.append(db)
    start = threading.Barrier(50)

    def push(db):
        with client_via(db, live_hub.url, timeout=60) as client:
            start.wait(30)
            return sync_round(db, client, batch_rows=20)

    with ThreadPoolExecutor(50) as pool:
        results = list(pool.map(push, kiosks))
    assert [r.last_error for r in results] == [None] * 50
    assert all(r.ok and r.unsent == 0 and r.sent == 80 for r in results)
    for db in kiosks:
        _hub_matches_kiosk(live_hub.engine, db)
