"""Retry timing with a fake clock and a fixed random source: no sleeps."""

import random

from kiosk.sync.push import SyncResult
from kiosk.sync.schedule import RetrySchedule, SyncWorker


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _result(ok: bool) -> SyncResult:
    return SyncResult(ok=ok, sent=0, set_aside=0, unsent=0 if ok else 5, set_aside_total=0,
                      attempted_at="t", last_ok_at=None, last_error=None if ok else "offline")


def test_backoff_doubles_with_jitter_up_to_the_cap():
    clock = FakeClock()
    schedule = RetrySchedule(base=10, factor=2, cap=300, jitter=0.5, clock=clock,
                             rng=random.Random(7))
    waits = [schedule.record_failure() for _ in range(10)]
    for failures, wait in enumerate(waits, start=1):
        ceiling = min(300, 10 * 2 ** (failures - 1))
        assert ceiling * 0.5 <= wait <= ceiling
    assert max(waits) <= 300 and waits[-1] >= 150
    assert len({round(w, 6) for w in waits[-4:]}) > 1  # jittered, not lock-step


def test_kiosks_with_different_random_sources_spread_out():
    firsts = []
    for seed in range(20):
        schedule = RetrySchedule(base=60, clock=FakeClock(), rng=random.Random(seed))
        firsts.append(schedule.record_failure())
    assert max(firsts) - min(firsts) > 10


def test_success_resets_the_backoff_and_waits_the_interval():
    clock = FakeClock()
    schedule = RetrySchedule(base=10, interval=300, jitter=0, clock=clock)
    for _ in range(5):
        schedule.record_failure()
    assert schedule.record_success() == 300 and schedule.failures == 0
    assert schedule.record_failure() == 10


def test_due_only_when_the_clock_reaches_the_plan():
    clock = FakeClock()
    schedule = RetrySchedule(base=10, jitter=0, clock=clock)
    assert schedule.due()  # the first round at once
    schedule.record_failure()
    assert not schedule.due() and schedule.seconds_until_due() == 10
    clock.now += 9.99
    assert not schedule.due()
    clock.now += 0.01
    assert schedule.due()


def test_a_network_hint_brings_the_retry_forward_but_not_into_a_storm():
    clock = FakeClock()
    schedule = RetrySchedule(base=600, jitter=0, min_gap=5, clock=clock)
    schedule.record_failure()
    clock.now += 1
    schedule.hurry()
    assert schedule.seconds_until_due() == 4  # five seconds after the last try, not at once
    schedule.now()  # "Sync now" is at once
    assert schedule.due()


def test_the_worker_runs_rounds_when_due_and_backs_off():
    clock = FakeClock()
    outcomes, seen = [False, False, True], []
    schedule = RetrySchedule(base=10, jitter=0, interval=300, clock=clock)
    worker = SyncWorker(lambda: _result(outcomes.pop(0)), schedule=schedule,
                        on_result=seen.append)
    assert worker.step().ok is False
    assert worker.step() is None  # not due yet
    clock.now += 10
    assert worker.step().ok is False
    clock.now += 19
    assert worker.step() is None
    worker.sync_now()
    assert worker.step().ok is True and schedule.seconds_until_due() == 300
    assert [r.ok for r in seen] == [False, False, True]


def test_the_worker_thread_syncs_now_and_stops():
    import threading

    ran = threading.Event()
    schedule = RetrySchedule(interval=3600, jitter=0)
    worker = SyncWorker(lambda: (ran.set(), _result(True))[1], schedule=schedule)
    schedule.record_success()  # next round an hour away
    worker.start()
    worker.sync_now()
    assert ran.wait(10)
    worker.stop()
    assert not worker.running


def test_kiosks_hurried_by_the_same_network_return_spread_over_the_spread():
    clock = FakeClock()
    dues = []
    for seed in range(200):  # 200 kiosks of a ward see the network come back at one moment
        schedule = RetrySchedule(base=600, jitter=0.5, hurry_spread=60, min_gap=5, clock=clock,
                                 rng=random.Random(seed))
        schedule.record_failure()  # their last try failed: the network was down
        clock.now += 10
        schedule.hurry()
        dues.append(schedule.seconds_until_due())
        clock.now -= 10
    assert all(0 <= due <= 30 for due in dues)  # soon: within jitter × spread
    assert max(dues) - min(dues) > 20  # not in lock-step
    assert len({round(due, 3) for due in dues}) > 150
