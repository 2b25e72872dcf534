"""When to try the next sync round: exponential backoff with jitter and a cap, and a worker.

``RetrySchedule`` only does arithmetic on an injected clock and random source, so its timing is
tested with a fake clock and no sleeps (DESIGN.md lesson 6). ``SyncWorker`` runs rounds on its
own thread when they are due, at once on ``sync_now()``, and sooner on a network hint (Qt's
QNetworkInformation reports reachability; the UI passes it to ``network_changed``).
"""

from __future__ import annotations

import random
import threading
import time
from typing import Callable

from kiosk.sync.push import SyncResult


class RetrySchedule:
    """After a failure, wait ``base·factor^(n−1)`` seconds (capped at ``cap``), a random part of
    which (``jitter``, 0–1) is taken off so a ward's kiosks do not all retry together; after a
    success, wait ``interval``. ``hurry()`` brings the next try forward, never closer than
    ``min_gap`` to the last one, and spread over up to ``jitter × hurry_spread`` seconds more:
    when a ward's network comes back, its kiosks learn it at the same moment, and should not all
    knock on the hub in the same second."""

    def __init__(self, *, base: float = 10.0, factor: float = 2.0, cap: float = 900.0,
                 interval: float = 300.0, jitter: float = 0.5, min_gap: float = 5.0,
                 hurry_spread: float = 60.0,
                 clock: Callable[[], float] = time.monotonic,
                 rng: random.Random | None = None):
        self.base, self.factor, self.cap, self.interval = base, factor, cap, interval
        self.jitter, self.min_gap, self.hurry_spread = jitter, min_gap, hurry_spread
        self._clock, self._rng = clock, rng or random.Random()
        self.failures = 0
        self.last_attempt: float | None = None
        self.next_due = clock()  # the first round is due at once

    def backoff(self, failures: int) -> float:
        """The un-jittered wait after ``failures`` failures in a row (≥ 1)."""
        return min(self.cap, self.base * self.factor ** min(failures - 1, 64))

    def record_success(self) -> float:
        """Note a successful round; returns the seconds until the next one."""
        self.failures = 0
        return self._plan(self.interval)

    def record_failure(self) -> float:
        """Note a failed round; returns the (jittered, capped) seconds until the next try."""
        self.failures += 1
        return self._plan(self.backoff(self.failures))

    def _plan(self, wait: float) -> float:
        now = self._clock()
        self.last_attempt = now
        wait *= 1 - self.jitter * self._rng.random()
        self.next_due = now + wait
        return wait

    def hurry(self) -> None:
        """Try soon (the network came back, or there is something new to send)."""
        earliest = self._clock() if self.last_attempt is None else self.last_attempt + self.min_gap
        spread = self.jitter * self.hurry_spread * self._rng.random()
        self.next_due = min(self.next_due, max(earliest, self._clock()) + spread)

    def now(self) -> None:
        """Try at once ("Sync now")."""
        self.next_due = self._clock()

    def seconds_until_due(self) -> float:
        return max(0.0, self.next_due - self._clock())

    def due(self) -> bool:
        return self._clock() >= self.next_due


class SyncWorker:
    """Runs ``run_round()`` (e.g. ``lambda: sync_round(db, client, ...)``) on its own thread when
    the schedule says so, and hands each ``SyncResult`` to ``on_result`` on that thread (the UI
    turns it into a signal). ``step()`` runs one due round synchronously, for tests."""

    def __init__(self, run_round: Callable[[], SyncResult], *,
                 schedule: RetrySchedule | None = None,
                 on_result: Callable[[SyncResult], None] | None = None):
        self.schedule = schedule or RetrySchedule()
        self._run_round, self._on_result = run_round, on_result
        self._wake, self._stop = threading.Event(), threading.Event()
        self._thread: threading.Thread | None = None

    def step(self) -> SyncResult | None:
        """Run a round if one is due; returns its result, or ``None`` if none was due."""
        if not self.schedule.due():
            return None
        try:
            result = self._run_round()
        except Exception:  # a bug must not kill the worker; back off and try again later
            self.schedule.record_failure()
            raise
        if result.ok:
            self.schedule.record_success()
        else:
            self.schedule.record_failure()
        if self._on_result:
            self._on_result(result)
        return result

    def sync_now(self) -> None:
        self.schedule.now()
        self._wake.set()

    def network_changed(self, reachable: bool) -> None:
        """A hint from the platform (QNetworkInformation): try soon when the network is back."""
        if reachable:
            self.schedule.hurry()
            self._wake.set()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def join(self) -> None:
        """Wait until the worker stops (``kiosk sync`` without ``--once`` runs until Ctrl+C)."""
        while self.running:
            self._thread.join(1.0)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="kiosk-sync", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread:
            self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.schedule.seconds_until_due())
            self._wake.clear()
            if self._stop.is_set():
                break
            try:
                self.step()
            except Exception:
                import logging

                logging.getLogger(__name__).exception("sync round failed")
