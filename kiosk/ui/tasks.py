"""The kiosk's one task manager: a database queue and a network/CPU queue.

Every piece of work that must not run on the UI thread (DESIGN.md invariant 7) goes through the
one ``TaskManager`` the application owns:

- ``run_on_database(fn)`` queues ``fn(db)`` on the single database writer (``DatabaseWorker``),
  in submission order; it is the only thread that ever holds the SQLite connection.
- ``run_in_background(fn)`` queues ``fn()`` on a small, bounded thread pool: network calls,
  drawing pictures, rendering speech, scanning drives, printing.

Both deliver ``on_done(result)`` or ``on_error(message)`` later, on the UI thread, through a
queued signal. A background task that needs the database calls ``call_database`` (it blocks that
task's thread, never the UI's). ``shutdown()`` drops queued background tasks, waits for the
running ones, then drains the database queue and closes the connection.
"""

from __future__ import annotations

import itertools
import logging
import threading
import traceback
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (QEventLoop, QObject, QRunnable, QThread, QThreadPool, QTimer, Signal,
                            Slot)

from kiosk.ui.database_worker import DatabaseWorker

log = logging.getLogger(__name__)
BACKGROUND_THREADS = 3  # a sync round may wait on the network while pictures are drawn


class _Task(QRunnable):
    """One background task: runs ``fn()`` and hands the outcome to the manager."""

    def __init__(self, manager: TaskManager, token: int, fn: Callable):
        super().__init__()
        self._manager, self._token, self._fn = manager, token, fn

    def run(self) -> None:
        try:
            outcome = (self._fn(), None)
        except Exception as error:  # reported to the UI thread, never raised into Qt
            log.error("background task failed: %s", traceback.format_exc())
            outcome = (None, f"{type(error).__name__}: {error}")
        self._manager._arrive(self._token, outcome)


class TaskManager(QObject):
    """Owns the database queue and the network/CPU queue. Make one per application, on the UI
    thread; every method except ``call_database`` and ``ProgressRelay.report`` must be called
    on the UI thread."""

    did_become_idle = Signal()  # both queues empty: every answer has reached the UI thread
    # The queued signal carries only the token: Python objects in queued signal arguments have
    # shown reference-count faults in PySide6, so outcomes wait in ``_arrived`` under a lock.
    _task_did_run = Signal(int)

    def __init__(self, db_path: Path, parent: QObject | None = None, *,
                 background_threads: int = BACKGROUND_THREADS):
        super().__init__(parent)
        self.database = DatabaseWorker(db_path, self)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(background_threads)
        self._tokens = itertools.count(1)
        self._callbacks: dict[int, tuple[Callable | None, Callable | None]] = {}
        self._lock = threading.Lock()
        self._arrived: dict[int, tuple] = {}
        self._closed = False
        self._task_did_run.connect(self._on_task_did_run)
        self.database.op_did_finish.connect(lambda _outcome: self._tell_if_idle())

    # the database queue -----------------------------------------------------------------------
    def run_on_database(self, fn: Callable, *, on_done: Callable | None = None,
                        on_error: Callable | None = None, changes: bool = False) -> int:
        """Queue ``fn(db)`` on the database writer (see ``DatabaseWorker.submit``)."""
        return self.database.submit(fn, on_done=on_done, on_error=on_error, changes=changes)

    def call_database(self, fn: Callable, timeout: float = 60.0):
        """From a background task only: run ``fn(db)`` on the writer and wait for its result
        (or its exception). Never on the UI thread: it blocks."""
        if QThread.currentThread() is self.thread():
            raise RuntimeError("call_database blocks: never call it on the UI thread")
        return self.database.call(fn, timeout)

    # the network/CPU queue --------------------------------------------------------------------
    def run_in_background(self, fn: Callable, *, on_done: Callable | None = None,
                          on_error: Callable | None = None, priority: int = 0) -> int:
        """Queue ``fn()`` on the background pool; returns a token. ``on_done(result)`` or
        ``on_error(message)`` runs later on the UI thread, unless ``forget(token)`` was called.
        Higher ``priority`` runs first among the queued tasks. Does nothing after shutdown."""
        token = next(self._tokens)
        if self._closed:
            return token
        self._callbacks[token] = (on_done, on_error)
        self._pool.start(_Task(self, token, fn), priority)
        return token

    def forget(self, token: int) -> None:
        """The asker went away: drop the callbacks of task ``token`` (it still runs)."""
        self._callbacks.pop(token, None)

    @property
    def pending(self) -> int:
        """Tasks submitted on either queue whose answer has not reached the UI thread yet."""
        return self.database.pending + len(self._callbacks)

    def wait_for_background(self, timeout_ms: int = 30_000) -> bool:
        """Block until no background task is running or queued (command-line tools only,
        never the running kiosk); the answers still arrive through the event loop."""
        return self._pool.waitForDone(timeout_ms)

    def wait_until_idle(self, timeout_ms: int = 30_000) -> bool:
        """Run the event loop until both queues are empty (``did_become_idle``) or the time is
        up; returns whether they are. For command-line tools that drive the window (screenshots);
        never in the running kiosk, whose slots must not block."""
        if self.pending == 0:
            return True
        loop, timer = QEventLoop(), QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(loop.quit)
        self.did_become_idle.connect(loop.quit)
        timer.start(timeout_ms)
        loop.exec()
        timer.stop()
        self.did_become_idle.disconnect(loop.quit)
        return self.pending == 0

    def shutdown(self, timeout_ms: int = 10_000) -> None:
        """Drop queued background tasks, wait for running ones, then finish every queued
        database operation and close the connection. Blocks; safe to call twice."""
        self._closed = True
        self._pool.clear()
        self._pool.waitForDone(timeout_ms)
        self._callbacks.clear()
        self.database.shutdown(timeout_ms)

    def _arrive(self, token: int, outcome: tuple) -> None:
        """On a pool thread: keep the outcome, tell the UI thread."""
        with self._lock:
            self._arrived[token] = outcome
        self._task_did_run.emit(token)

    @Slot(int)
    def _on_task_did_run(self, token: int) -> None:
        with self._lock:
            result, error = self._arrived.pop(token, (None, None))
        on_done, on_error = self._callbacks.pop(token, (None, None))
        if error is None and on_done:
            on_done(result)
        elif error is not None and on_error:
            on_error(error)
        self._tell_if_idle()

    def _tell_if_idle(self) -> None:
        if self.pending == 0:
            self.did_become_idle.emit()


class ProgressRelay(QObject):
    """Carries a task's progress from its worker thread to the UI thread.

    ``report(done, total)`` runs on the worker: it keeps the latest pair under a lock and emits
    ``progress_did_change`` with two ints (queued to the receivers on the UI thread, which read
    ``latest()`` so a burst of reports draws once with the newest numbers).
    """

    progress_did_change = Signal(int, int)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._lock = threading.Lock()
        self._latest = (0, 0)

    def report(self, done: int, total: int) -> None:
        with self._lock:
            self._latest = (int(done), int(total))
        self.progress_did_change.emit(int(done), int(total))

    def latest(self) -> tuple[int, int]:
        with self._lock:
            return self._latest
