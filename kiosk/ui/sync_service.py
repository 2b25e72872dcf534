"""Keeping the hub up to date from the running kiosk: each sync round is a task on the task
manager's background queue, its database steps go through the database queue, and the result
comes back on the UI thread.

Started after the first paint. It runs only once the kiosk is enrolled; "Sync now" and the
platform's network-reachability hint (``QNetworkInformation``) make it try sooner.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

if TYPE_CHECKING:
    from kiosk.ui.tasks import TaskManager

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
    """Sync rounds as tasks: each round runs on the background queue, every database step of
    it on the database queue; ``RetrySchedule`` (on the UI thread, with a timer) says when the
    next round is due."""

    state_did_change = Signal()  # read ``state`` (and ``last_error_kind``)
    enroll_did_finish = Signal(str)  # "" on success, else the catalogue key of the reason

    def __init__(self, tasks: TaskManager, data_dir: Path, parent: QObject | None = None):
        super().__init__(parent)
        self._tasks = tasks
        self._data_dir = data_dir
        self._schedule = None  # a RetrySchedule once the kiosk is enrolled and syncing
        self._round_running = False
        self._again = False  # "send now" was asked while a round ran
        self._after_round: list = []  # work that waits for the round in progress to end
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._network = None
        self.state: dict = {}
        self.last_error_kind: str | None = None
        self._timer.timeout.connect(self._run_round)

    # lifecycle --------------------------------------------------------------------------------
    def start(self) -> None:
        """Read the state; start syncing if the kiosk is enrolled. UI thread."""
        self.reload()
        self._tasks.run_on_database(_is_enrolled,
                                    on_done=lambda yes: yes and self._start_rounds())

    def stop(self) -> None:
        """No further rounds (one in progress ends on its own; the task manager waits for it)."""
        self._timer.stop()
        self._schedule = None

    @property
    def running(self) -> bool:
        return self._schedule is not None

    def sync_now(self) -> None:
        """Try at once ("Gửi ngay")."""
        if self._schedule is not None:
            self._again = self._round_running
            self._schedule.now()
            self._plan()

    def reload(self) -> None:
        self._tasks.run_on_database(_sync_state, on_done=self._set_state)

    def after_round(self, fn) -> None:
        """Call ``fn()`` now, or once the round in progress has ended (a round installs lesson
        packs off the database queue: going back to the previous lessons must not meet it)."""
        if self._round_running:
            self._after_round.append(fn)
        else:
            fn()

    def retry_set_aside(self) -> None:
        """Put the records the hub refused back in the queue, then try."""
        from kiosk.sync.push import retry_set_aside

        self._tasks.run_on_database(lambda db: retry_set_aside(db), changes=True,
                                    on_done=lambda _: (self.reload(), self.sync_now()))

    # enrollment -------------------------------------------------------------------------------
    def enroll(self, hub_url: str, code: str) -> None:
        """Exchange ``code`` with the hub (on the background queue), then store the enrollment
        (on the database queue); ``enroll_did_finish`` says how it went."""
        from kiosk.core.db import device_id

        self._tasks.run_on_database(device_id, on_done=lambda device: self._ask_hub(
            hub_url, code, device))

    def _ask_hub(self, hub_url: str, code: str, device: str) -> None:
        self._tasks.run_in_background(
            lambda: _request_enrollment(hub_url, code, device), on_done=self._on_enroll_answer,
            on_error=lambda _reason: self._on_enroll_answer("hub.enroll.failed"))

    def _on_enroll_answer(self, answer) -> None:
        if isinstance(answer, str):
            self.enroll_did_finish.emit(answer or "hub.enroll.failed")
            return
        from kiosk.sync.enroll import store_enrollment

        self._tasks.run_on_database(lambda db: store_enrollment(db, answer), changes=True,
                                    on_done=lambda _: self._on_enrolled(),
                                    on_error=lambda _reason: self.enroll_did_finish.emit(
                                        "hub.enroll.store_failed"))

    def _on_enrolled(self) -> None:
        self.enroll_did_finish.emit("")
        self.reload()
        if self._schedule is None:
            self._start_rounds()
        self.sync_now()

    # rounds -----------------------------------------------------------------------------------
    def _start_rounds(self) -> None:
        from kiosk.sync.schedule import RetrySchedule

        self._schedule = RetrySchedule()
        self._plan()
        self._watch_network()

    def _plan(self) -> None:
        """Set the timer for the next due round (none while one runs, or once stopped)."""
        if self._schedule is not None and not self._round_running:
            self._timer.start(int(self._schedule.seconds_until_due() * 1000))

    def _run_round(self) -> None:
        if self._schedule is None or self._round_running:
            return
        self._round_running = True
        self._tasks.run_in_background(self._round, on_done=self._on_round_did_finish,
                                      on_error=lambda _reason: self._on_round_did_finish(None))

    def _round(self):
        """On a background thread: one round, every database step on the database queue
        (the round's ``db`` is a stand-in that works only there)."""
        from kiosk.sync.enroll import client_for
        from kiosk.sync.push import sync_round

        db = self._tasks.database.handle()
        run_db = lambda step: self._tasks.call_database(lambda _db: step())  # noqa: E731
        client = run_db(lambda: client_for(db))
        with client:
            return sync_round(db, client, run_db=run_db, data_dir=self._data_dir)

    def _on_round_did_finish(self, result) -> None:
        """``result`` is the round's ``SyncResult``, or None when the round broke (a bug: it is
        logged, and the schedule backs off as for a failure)."""
        self._round_running = False
        waiting, self._after_round = self._after_round, []
        for fn in waiting:
            fn()
        if result is not None:
            self.last_error_kind = result.error_kind
        if self._schedule is not None:
            if result is not None and result.ok:
                self._schedule.record_success()
            else:
                self._schedule.record_failure()
            if self._again:
                self._again = False
                self._schedule.now()
        self.reload()
        self._plan()

    def _set_state(self, state: dict) -> None:
        self.state = state
        self.state_did_change.emit()

    def _network_changed(self, reachable: bool) -> None:
        """A hint from the platform: try soon when the network is back."""
        if reachable and self._schedule is not None:
            self._schedule.hurry()
            self._plan()

    def _watch_network(self) -> None:
        """Ask the platform to tell us when the network comes back (a hint only)."""
        if self._network is not None:
            return
        try:
            from PySide6.QtNetwork import QNetworkInformation

            if not QNetworkInformation.loadDefaultBackend():
                return
            self._network = QNetworkInformation.instance()
            online = QNetworkInformation.Reachability.Online
            self._network.reachabilityChanged.connect(
                lambda reach: self._network_changed(reach == online))
        except Exception:  # no backend on this platform: the schedule alone will do
            log.info("no network reachability information; syncing on the schedule only")


def _request_enrollment(hub_url: str, code: str, device: str):
    """On a background thread: the hub's answer, or the catalogue key of why it failed."""
    from kiosk.sync.enroll import EnrollFailed, request_enrollment

    try:
        return request_enrollment(hub_url, code, device)
    except EnrollFailed as failed:
        return enroll_failure_key(failed)
    except Exception:  # never leave the admin waiting: say it failed, keep the details
        log.exception("enrollment failed unexpectedly")
        return "hub.enroll.failed"


def _is_enrolled(db) -> bool:
    from kiosk.sync.enroll import enrollment

    return enrollment(db) is not None
