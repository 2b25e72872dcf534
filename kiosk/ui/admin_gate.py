"""The admin gate: is there an admin yet (else the first-run screen), make the first admin,
check an admin PIN, and say in plain words why a PIN was refused or how long the lockout lasts.

Its database work is three small operations (``has_admin``, ``create_admin``,
``check_admin_pin``) run as tasks on the database queue; answers come back as signals.
"""

from __future__ import annotations

from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from kiosk.locale import ui_text

if TYPE_CHECKING:
    from kiosk.ui.tasks import TaskManager


def has_admin(db) -> bool:
    """Whether any admin account exists. Read-only; database thread."""
    from kiosk.core import accounts  # imported on the worker, after the first paint

    return accounts.has_admin(db)


def create_admin(db, *, name: str, pin: str) -> None:
    """Make the kiosk's first admin account. Writes one row; database thread."""
    from kiosk.core import accounts

    accounts.create_account(db, name=name, role="admin", pin=pin)


def check_admin_pin(db, *, pin: str, data_dir: Path):
    """``kiosk status`` (a dict) when ``pin`` opens the admin screen; else ``None`` for a wrong
    PIN, or the ``datetime`` the lockout ends. Records the attempt; database thread."""
    from kiosk.core import accounts, paths
    from kiosk.core.status import kiosk_status

    try:
        accounts.check_admin_pin(db, pin)
    except accounts.PinRefused as refused:
        return refused.locked_until
    return kiosk_status(db, data_dir, paths.db_path(data_dir))


def refusal_text(outcome, language: str, now: datetime | None = None) -> str:
    """Why a PIN was refused: wrong, or locked for so many minutes (at least one)."""
    if outcome is None:
        return ui_text("gate.wrong", language)
    now = now or datetime.now(timezone.utc)
    minutes = max(1, round((outcome - now).total_seconds() / 60))
    return ui_text("gate.locked", language, minutes=minutes)


class AdminGate(QObject):
    """The PIN flow. ``first_run_is_needed`` when the kiosk has no admin yet;
    ``admin_was_created`` once the first one is stored; ``admin_did_unlock(status)`` with
    ``kiosk status`` when a PIN opens the admin screen; ``pin_was_refused(message)`` otherwise."""

    first_run_is_needed = Signal()
    admin_was_created = Signal()
    admin_did_unlock = Signal(object)
    pin_was_refused = Signal(str)

    def __init__(self, tasks: TaskManager, data_dir: Path, parent: QObject | None = None):
        super().__init__(parent)
        self._tasks, self._data_dir = tasks, data_dir

    def look_for_admin(self) -> None:
        """Ask whether an admin exists; ``first_run_is_needed`` fires if not."""
        self._tasks.run_on_database(
            has_admin, on_done=lambda found: found or self.first_run_is_needed.emit())

    def create_admin(self, pin: str) -> None:
        """Store the first admin (named "Quản trị") with ``pin``."""
        self._tasks.run_on_database(partial(create_admin, name=ui_text("admin.button", "vi"),
                                            pin=pin),
                                    on_done=lambda _: self.admin_was_created.emit(),
                                    changes=True)

    def check_pin(self, pin: str, language: str) -> None:
        """Check ``pin``; the answer is a signal (refusals in ``language``)."""
        self._tasks.run_on_database(partial(check_admin_pin, pin=pin, data_dir=self._data_dir),
                                    on_done=lambda outcome: self._on_checked(outcome, language))

    def _on_checked(self, outcome, language: str) -> None:
        if isinstance(outcome, dict):
            self.admin_did_unlock.emit(outcome)
        else:
            self.pin_was_refused.emit(refusal_text(outcome, language))
