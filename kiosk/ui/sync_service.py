"""Keeping the hub up to date from the running kiosk: the sync worker on its own thread (the
network worker), database steps on the one database writer, results back on the UI thread.

Started after the first paint. It runs only once the kiosk is enrolled; "Sync now" and the
platform's network-reachability hint (``QNetworkInformation``) make it try sooner.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QThreadPool, Signal

from kiosk.ui.database_worker import DatabaseWorker
from kiosk.ui.illustrations import _Job

log = logging.getLogger(__name__)


def _sync_state(db) -> dict:
    from kiosk.sync.enroll import enrollment
    from kiosk.sync.push import set_aside_rows, sync_state

    found = enrollment(db)
    return {**sync_state(db), "enrollment": found.public() if found else None,
            "set_aside_rows": set_aside_rows(db, limit=50)}


ENROLL_REFUSALS = {"code_unknown", "code_used", "code_expired"}


def enroll_failure_key(failed: BaseException) -> str:
    """The catalogue key (``hub.enroll.*`` or ``hub.error.*``) that says in plain words why an
    enrollment failed: the ``key`` ``EnrollFailed`` carries when it knows one, else the exception it was
    raised from (``NotConnected`` with its ``kind``, ``HubRefused`` with the hub's error code)
    tells which."""
    import httpx

    from kiosk.sync.client import HubRefused

    if isinstance(getattr(failed, "key", None), str) and failed.key in _catalogue():
        return failed.key
    cause = failed.__cause__ or failed.__context__
    for error in (failed, cause):
        kind = getattr(error, "kind", None)
        if isinstance(kind, str) and f"hub.error.{kind}" in _catalogue():
            return f"hub.error.{kind}"
    if isinstance(cause, HubRefused):
        return f"hub.enroll.{cause.error}" if cause.error in ENROLL_REFUSALS else "hub.error.refused"
    if isinstance(cause, (ValueError, httpx.InvalidURL)):
        return "hub.error.bad_address"
    if isinstance(cause, KeyError):
        return "hub.enroll.incomplete"
    return "hub.enroll.failed"


def sync_error_key(kind: str | None) -> str:
    """The catalogue key for the last sync round's error kind (a generic one if unknown)."""
    return f"hub.error.{kind}" if kind and f"hub.error.{kind}" in _catalogue() else "hub.error.other"


def _catalogue() -> dict:
    from kiosk.locale import catalogue

    return catalogue()


class SyncService(QObject):
    state_did_change = Signal()  # read ``state`` (and ``last_error_kind``)
    enroll_did_finish = Signal(str)  # "" on success, else the catalogue key of the reason
    _round_did_finish = Signal()  # from the sync thread; the result waits in ``_arrived``
    _enroll_did_answer = Signal()

    def __init__(self, worker: DatabaseWorker, data_dir: Path, parent: QObject | None = None):
        super().__init__(parent)
        self._worker = worker
        self._data_dir = data_dir
        self._sync = None
        self._lock = threading.Lock()
        self._arrived = None
        self._enroll_answer = None
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._network = None
        self.state: dict = {}
        self.last_error_kind: str | None = None
        self._round_did_finish.connect(self._on_round_did_finish)
        self._enroll_did_answer.connect(self._on_enroll_did_answer)

    # lifecycle --------------------------------------------------------------------------------
    def start(self) -> None:
        """Read the state; start syncing if the kiosk is enrolled. UI thread."""
        self.reload()
        self._worker.submit(_is_enrolled, on_done=lambda yes: yes and self._start_worker())

    def stop(self) -> None:
        """Stop the sync thread (waits a little for a round in progress)."""
        if self._sync is not None:
            self._sync.stop(timeout=3.0)
            self._sync = None
        self._pool.clear()
        self._pool.waitForDone(3000)

    @property
    def running(self) -> bool:
        return self._sync is not None and self._sync.running

    def sync_now(self) -> None:
        """Try at once ("Gửi ngay")."""
        if self._sync is not None:
            self._sync.sync_now()

    def reload(self) -> None:
        self._worker.submit(_sync_state, on_done=self._set_state)

    def retry_set_aside(self) -> None:
        """Put the records the hub refused back in the queue, then try."""
        from kiosk.sync.push import retry_set_aside

        self._worker.submit(lambda db: retry_set_aside(db), changes=True,
                            on_done=lambda _: (self.reload(), self.sync_now()))

    # enrollment -------------------------------------------------------------------------------
    def enroll(self, hub_url: str, code: str) -> None:
        """Exchange ``code`` with the hub (on the network thread), then store the enrollment
        (on the database writer); ``enroll_did_finish`` says how it went."""
        from kiosk.core.db import device_id

        self._worker.submit(device_id, on_done=lambda device: self._pool.start(
            _Job(lambda: self._request(hub_url, code, device))))

    def _request(self, hub_url: str, code: str, device: str) -> None:
        from kiosk.sync.enroll import EnrollFailed, request_enrollment

        try:
            answer = request_enrollment(hub_url, code, device)
        except EnrollFailed as failed:
            answer = enroll_failure_key(failed)
        except Exception:  # never leave the admin waiting: say it failed, keep the details
            log.exception("enrollment failed unexpectedly")
            answer = "hub.enroll.failed"
        with self._lock:
            self._enroll_answer = answer
        self._enroll_did_answer.emit()

    def _on_enroll_did_answer(self) -> None:
        with self._lock:
            answer, self._enroll_answer = self._enroll_answer, None
        if isinstance(answer, str):
            self.enroll_did_finish.emit(answer or "hub.enroll.failed")
            return
        from kiosk.sync.enroll import store_enrollment

        self._worker.submit(lambda db: store_enrollment(db, answer), changes=True,
                            on_done=lambda _: self._on_enrolled(),
                            on_error=lambda _reason: self.enroll_did_finish.emit(
                                "hub.enroll.store_failed"))

    def _on_enrolled(self) -> None:
        self.enroll_did_finish.emit("")
        self.reload()
        if self._sync is None:
            self._start_worker()
        self.sync_now()

    # the sync thread --------------------------------------------------------------------------
    def _start_worker(self) -> None:
        from kiosk.sync.schedule import SyncWorker

        self._sync = SyncWorker(self._round, on_result=self._on_result)
        self._sync.start()
        self._watch_network()

    def _round(self):
        """On the sync thread: one round, every database step on the writer."""
        from kiosk.sync.enroll import client_for
        from kiosk.sync.push import sync_round

        db = self._worker.call(lambda db: db)
        run_db = lambda step: self._worker.call(lambda _db: step())  # noqa: E731
        client = run_db(lambda: client_for(db))
        with client:
            return sync_round(db, client, run_db=run_db, data_dir=self._data_dir)

    def _on_result(self, result) -> None:
        with self._lock:
            self._arrived = result
        self._round_did_finish.emit()

    def _on_round_did_finish(self) -> None:
        with self._lock:
            result, self._arrived = self._arrived, None
        if result is not None:
            self.last_error_kind = result.error_kind
        self.reload()

    def _set_state(self, state: dict) -> None:
        self.state = state
        self.state_did_change.emit()

    def _watch_network(self) -> None:
        """Ask the platform to tell us when the network comes back (a hint only)."""
        try:
            from PySide6.QtNetwork import QNetworkInformation

            if not QNetworkInformation.loadDefaultBackend():
                return
            self._network = QNetworkInformation.instance()
            online = QNetworkInformation.Reachability.Online
            self._network.reachabilityChanged.connect(
                lambda reach: self._sync and self._sync.network_changed(reach == online))
        except Exception:  # no backend on this platform: the schedule alone will do
            log.info("no network reachability information; syncing on the schedule only")


def _is_enrolled(db) -> bool:
    from kiosk.sync.enroll import enrollment

    return enrollment(db) is not None
