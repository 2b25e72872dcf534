"""The single database writer: operations run one at a time on a thread of their own.

The UI thread never touches the database (DESIGN.md invariant 7). A screen submits an operation,
a plain function ``fn(db) -> result``; the result comes back on the UI thread, through the
callback given to ``submit`` and the ``op_did_finish`` signal. Operations run in the order they
were submitted, so a later operation may rely on an earlier one's writes.
"""

import itertools
import threading
from collections import deque
from concurrent.futures import Future
import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot


log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OpResult:
    token: int
    result: object = None
    error: str | None = None
    changes: bool = False


class _Runner(QObject):
    """Lives on the worker thread and owns the connection.

    Requests and results travel through locked queues; the queued signals between the threads
    carry only an int, because Python objects in queued signal arguments have shown
    reference-count faults in PySide6.
    """

    did_run = Signal(int)
    wake = Signal()

    def __init__(self, db_path: Path):
        super().__init__()
        self._db_path = db_path
        self._db = None
        self.thread_id: int | None = None  # the writer thread, once the connection is open
        self.lock = threading.Lock()
        self.requests: deque[tuple] = deque()
        self.results: dict[int, OpResult] = {}

    @Slot()
    def execute(self) -> None:
        with self.lock:
            token, fn, changes = self.requests.popleft()
        if isinstance(token, Future):
            self._answer(token, fn)
            return
        try:
            outcome = OpResult(token, fn(self.database()), None, changes)
        except Exception as error:  # reported to the UI thread, never raised into Qt
            log.error("database operation failed: %s", traceback.format_exc())
            outcome = OpResult(token, None, f"{type(error).__name__}: {error}", False)
        with self.lock:
            self.results[token] = outcome
        self.did_run.emit(token)

    def database(self):
        """The connection, opened (and migrated) on first use, on this thread."""
        if self._db is None:
            from kiosk.core.db import connect  # on this thread, not during the UI's start

            self._db = connect(self._db_path)
            self.thread_id = threading.get_ident()
        return self._db

    def _answer(self, future: Future, fn) -> None:
        """A blocking ``call`` from another thread: the result or the error goes back to it."""
        try:
            future.set_result(fn(self.database()))
        except Exception as error:
            future.set_exception(error)

    @Slot()
    def close(self) -> None:
        if self._db is not None:
            self._db.conn.close()
            self._db = None
        QThread.currentThread().quit()


class WriterOnlyDatabase:
    """Stands for the connection in code written as steps that close over ``db`` (a sync round's
    ``run_db(lambda: ...(db))``): every use is forwarded to the real connection, but only on the
    writer thread. Anywhere else it raises ``RuntimeError``, so the connection never leaves it."""

    def __init__(self, runner: _Runner):
        self._runner = runner

    def _connection(self):
        if self._runner.thread_id != threading.get_ident():
            raise RuntimeError("the database is used only on the database writer's thread")
        return self._runner.database()

    def __getattr__(self, name: str):
        return getattr(self._connection(), name)

    def __getitem__(self, name: str):
        return self._connection()[name]


class DatabaseWorker(QObject):
    """Submit database operations from the UI thread; results arrive back on the UI thread."""

    op_did_finish = Signal(object)  # OpResult, after every operation
    data_did_change = Signal()  # after every operation submitted with changes=True that succeeded
    _close = Signal()

    def __init__(self, db_path: Path, parent: QObject | None = None):
        super().__init__(parent)
        self._tokens = itertools.count(1)
        self._callbacks: dict[int, tuple[Callable | None, Callable | None]] = {}
        self._thread = QThread()
        self._thread.setObjectName("database-writer")
        self._runner = _Runner(db_path)
        self._runner.moveToThread(self._thread)
        self._runner.wake.connect(self._runner.execute)
        self._close.connect(self._runner.close)
        self._runner.did_run.connect(self._on_did_run)
        self._thread.start()

    def submit(self, fn: Callable, *, on_done: Callable | None = None,
               on_error: Callable | None = None, changes: bool = False) -> int:
        """Queue ``fn(db)``; returns a token. ``on_done(result)`` or ``on_error(message)`` is
        called later on the UI thread. Must be called on the UI thread."""
        token = next(self._tokens)
        self._callbacks[token] = (on_done, on_error)
        with self._runner.lock:
            self._runner.requests.append((token, fn, changes))
        self._runner.wake.emit()
        return token

    def call(self, fn: Callable, timeout: float = 60.0):
        """Run ``fn(db)`` on the writer thread and wait for its result (or its exception).

        For background threads that are not the UI thread (a sync round), so that they, too,
        write through the one writer. Never call it on the UI thread: it blocks. Raises
        ``RuntimeError`` once the writer has stopped.
        """
        if not self._thread.isRunning():  # closing: never wait for an answer that cannot come
            raise RuntimeError("the database writer has stopped")
        future = Future()
        with self._runner.lock:
            self._runner.requests.append((future, fn, False))
        self._runner.wake.emit()
        return future.result(timeout)

    def handle(self) -> WriterOnlyDatabase:
        """A stand-in for the connection that works only inside operations on the writer."""
        return WriterOnlyDatabase(self._runner)

    @property
    def pending(self) -> int:
        return len(self._callbacks)

    def shutdown(self, timeout_ms: int = 10_000) -> None:
        """Finish every queued operation, close the connection and stop the thread. Blocks."""
        if self._thread.isRunning():
            self._close.emit()
            self._thread.wait(timeout_ms)

    @Slot(int)
    def _on_did_run(self, token: int) -> None:
        with self._runner.lock:
            outcome = self._runner.results.pop(token)
        on_done, on_error = self._callbacks.pop(outcome.token, (None, None))
        if outcome.error is None and on_done:
            on_done(outcome.result)
        elif outcome.error is not None and on_error:
            on_error(outcome.error)
        self.op_did_finish.emit(outcome)
        if outcome.changes and outcome.error is None:
            self.data_did_change.emit()
