"""What the kiosk knows about the resident in front of it, and the record of her lesson run.

Everything here is forgotten by ``reset()`` (idle timeout, "Home" from the welcome screen): the
next person starts fresh. Writes go through the database worker, never on the UI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from kiosk.core.config import Config
from kiosk.core.ids import uuid7
from kiosk.lessons.practice import PracticeTally
from kiosk.ui.database_worker import DatabaseWorker

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the lesson modules load after the first paint
    from kiosk.lessons.library import Library
    from kiosk.lessons.model import Lesson

TEXT_SIZES = ("normal", "large", "larger")


class ResidentSession(QObject):
    appearance_did_change = Signal()  # text size or contrast
    language_did_change = Signal()
    help_did_record = Signal(object)  # the help request as stored
    save_did_fail = Signal(str)

    def __init__(self, config: Config, worker: DatabaseWorker, parent: QObject | None = None):
        super().__init__(parent)
        self._config = config
        self._worker = worker
        self.language = config.language
        self.text_size = config.text_size
        self.high_contrast = config.high_contrast
        self.lesson: Lesson | None = None
        self.run_id: str | None = None
        self.step = 0
        self.furthest = 0
        self.practice = PracticeTally()

    # appearance ---------------------------------------------------------------------------
    def toggle_language(self) -> None:
        self.language = "en" if self.language == "vi" else "vi"
        self.language_did_change.emit()

    def cycle_text_size(self) -> None:
        index = (TEXT_SIZES.index(self.text_size) + 1) % len(TEXT_SIZES)
        self.text_size = TEXT_SIZES[index]
        self.appearance_did_change.emit()

    def toggle_contrast(self) -> None:
        self.high_contrast = not self.high_contrast
        self.appearance_did_change.emit()

    # the lesson run -------------------------------------------------------------------------
    def start_lesson(self, lesson: Lesson) -> None:
        """Begin a run of ``lesson`` at step 0 and record it (asynchronously)."""
        self.end_lesson()
        self.lesson, self.run_id, self.step, self.furthest = lesson, uuid7(), 0, 0
        self.practice = PracticeTally()
        fields = dict(run_id=self.run_id, lesson_id=lesson.id, lesson_version=lesson.version,
                      language=self.language, text_size=self.text_size,
                      total_steps=len(lesson.steps))
        self._submit(lambda db: _lesson_runs().start_run(db, **fields))

    def go_to_step(self, index: int) -> None:
        """Show step ``index`` (0-based). Progress is kept in memory and written at the end."""
        assert self.lesson is not None
        self.step = max(0, min(index, len(self.lesson.steps) - 1))
        self.furthest = max(self.furthest, self.step + 1)

    def complete_lesson(self) -> None:
        """The resident reached the end of the lesson."""
        if self.run_id:
            self.furthest = len(self.lesson.steps)
            self._update(furthest_step=self.furthest, completed=1, ended_at=now_iso(),
                         language=self.language, text_size=self.text_size,
                         **self.practice.as_fields())

    def record_practice(self, index: int, practice_round) -> None:
        """A practice round on step ``index`` ended; written with the run's next update."""
        self.practice.rounds[index] = practice_round

    def rate(self, rating: str) -> None:
        if self.run_id:
            self._update(rating=rating)

    def request_help(self) -> None:
        """Record a call for a volunteer; ``help_did_record`` fires once it is saved."""
        run_id, lesson = self.run_id, self.lesson
        step = self.step + 1 if lesson else None
        if run_id:
            self._update(furthest_step=self.furthest)
        self._submit(lambda db: _lesson_runs().request_help(
            db, lesson_run_id=run_id, lesson_id=lesson.id if lesson else None, step=step),
            on_done=self.help_did_record.emit)

    def end_lesson(self) -> None:
        """The resident left the lesson (Home, timeout, or finished): write where she got to."""
        if self.run_id:
            self._update(furthest_step=self.furthest, ended_at=now_iso(),
                         **self.practice.as_fields())
        self.lesson, self.run_id, self.step, self.furthest = None, None, 0, 0

    def reset(self) -> None:
        """Forget everything about the current resident (idle timeout)."""
        self.end_lesson()
        changed_language = self.language != self._config.language
        changed_look = (self.text_size, self.high_contrast) != (self._config.text_size,
                                                                 self._config.high_contrast)
        self.language = self._config.language
        self.text_size = self._config.text_size
        self.high_contrast = self._config.high_contrast
        if changed_language:
            self.language_did_change.emit()
        if changed_look:
            self.appearance_did_change.emit()

    def _update(self, **changes) -> None:
        run_id = self.run_id
        self._submit(lambda db: _update_unless_ended(db, run_id, changes))

    def _submit(self, fn, on_done=None) -> None:
        self._worker.submit(fn, on_done=on_done, changes=True, on_error=self.save_did_fail.emit)


def _update_unless_ended(db, run_id: str, changes: dict) -> dict:
    """Apply ``changes`` to a run, but never move an end time that was already written."""
    current = db["lesson_runs"].get(run_id)
    if current["ended_at"] and "ended_at" in changes:
        changes = {k: v for k, v in changes.items() if k != "ended_at"}
    return _lesson_runs().update_run(db, run_id, **changes)


def _lesson_runs():
    """The lesson-run module, imported on the database worker rather than at start-up."""
    from kiosk.core import lesson_runs

    return lesson_runs


def now_iso() -> str:
    from kiosk.core.db import now_iso as db_now

    return db_now()
