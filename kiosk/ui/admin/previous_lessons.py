""""Dùng bài học trước đó / Use the previous lessons", in the admin's Diagnostics beside the
lesson pack version: when a lesson pack from the hub turns out wrong, the admin goes back to the
pack kept before it (DESIGN.md invariant 6). It asks to confirm first, runs on the database
queue, and then says which lessons are in use; without a kept pack it is disabled and says why.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QWidget

from kiosk.locale import ui_text
from kiosk.ui.admin import operations
from kiosk.ui.admin.section import set_role
from kiosk.ui.widgets import button, column, label

if TYPE_CHECKING:
    from kiosk.ui.tasks import TaskManager


def version_text(version: int | None, language: str) -> str:
    """"phiên bản 3", or the bundled lessons' name when no pack is in use."""
    if version is None:
        return ui_text("admin.diagnostics.bundled", language)
    return ui_text("admin.lessons.version", language, n=version)


class PreviousLessons(QWidget):
    """The lessons in use, the button, its confirmation and the outcome.

    ``lessons_did_change`` fires once another pack is current (the window reads the lessons
    again); ``rollback_did_finish(outcome)`` with "done", "no_previous" or "failed".
    """

    lessons_did_change = Signal()
    rollback_did_finish = Signal(str)

    def __init__(self, tasks: TaskManager, data_dir: Path, parent: QWidget | None = None, *,
                 between_rounds: Callable[[Callable], None] = lambda fn: fn()):
        """``between_rounds(fn)`` calls ``fn`` when no sync round is installing a pack
        (``SyncService.after_round``)."""
        super().__init__(parent)
        self._tasks, self._data_dir, self._between_rounds = tasks, data_dir, between_rounds
        self.language = "vi"
        self.versions: dict | None = None  # {"current", "previous"} once read
        self.busy = False
        self.heading = label("", self, "heading")
        self.in_use = label("", self)
        self.use_previous = button("", self, "primary")
        self.reason = label("", self, "muted")  # why the button is disabled
        self.question = label("", self, "warning")
        self.confirm = button("", self, "go")
        self.cancel = button("", self)
        self.result = label("", self, "success")
        self._lay_out()

        self.use_previous.clicked.connect(self.ask_to_confirm)
        self.confirm.clicked.connect(self.roll_back)
        self.cancel.clicked.connect(lambda: self._show_question(False))

    def _lay_out(self) -> None:
        answers = QHBoxLayout()
        answers.setSpacing(12)
        answers.addWidget(self.confirm)
        answers.addWidget(self.cancel)
        answers.addStretch(1)
        layout = column(self, margins=0, spacing=10)
        layout.addWidget(self.heading)
        layout.addWidget(self.in_use)
        layout.addWidget(self.use_previous, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.reason)
        layout.addWidget(self.question)
        layout.addLayout(answers)
        layout.addWidget(self.result)
        self._show_question(False)
        self.result.setVisible(False)

    def reload(self) -> None:
        """Read which packs are in use and kept (on the database queue)."""
        self._tasks.run_on_database(partial(operations.lesson_versions, data_dir=self._data_dir),
                                    on_done=self._on_versions)

    def _on_versions(self, versions: dict) -> None:
        self.versions = versions
        self.refresh(self.language)

    def ask_to_confirm(self) -> None:
        """First tap: say what will happen, and wait for "Yes" or "No"."""
        self.result.setVisible(False)
        self._show_question(True)
        self.confirm.setFocus()

    def roll_back(self) -> None:
        """"Yes": make the kept pack current, on the database queue."""
        if self.busy:
            return
        self.busy = True
        self._show_question(False)
        self._update_button()
        self._between_rounds(lambda: self._tasks.run_on_database(
            partial(operations.use_previous_lessons, data_dir=self._data_dir), changes=True,
            on_done=self._on_rolled_back,
            on_error=lambda _reason: self._on_rolled_back({"error": "failed"})))

    def _on_rolled_back(self, outcome: dict) -> None:
        self.busy = False
        if "error" in outcome:
            self._say(ui_text(f"admin.lessons.{outcome['error']}", self.language), "warning")
            self.reload()
            self.rollback_did_finish.emit(outcome["error"])
            return
        self._say(ui_text("admin.lessons.done", self.language,
                          version=version_text(outcome["version"], self.language)), "success")
        self.reload()
        self.lessons_did_change.emit()
        self.rollback_did_finish.emit("done")

    def _say(self, text: str, role: str) -> None:
        set_role(self.result, role)
        self.result.setText(text)
        self.result.setVisible(True)

    def _show_question(self, shown: bool) -> None:
        for widget in (self.question, self.confirm, self.cancel):
            widget.setVisible(shown)

    def _update_button(self) -> None:
        previous = (self.versions or {}).get("previous")
        self.use_previous.setEnabled(previous is not None and not self.busy)
        self.reason.setVisible(self.versions is not None and previous is None)

    def refresh(self, language: str) -> None:
        self.language = language
        self.heading.setText(ui_text("admin.lessons.heading", language))
        current = "…" if self.versions is None else version_text(self.versions["current"],
                                                                  language)
        self.in_use.setText(ui_text("admin.lessons.in_use", language, version=current))
        self.use_previous.setText(ui_text("admin.lessons.use_previous", language))
        self.reason.setText(ui_text("admin.lessons.no_previous", language))
        previous = (self.versions or {}).get("previous")
        self.question.setText(ui_text("admin.lessons.confirm", language,
                                      version=version_text(previous, language)))
        self.confirm.setText(ui_text("admin.lessons.confirm_yes", language))
        self.cancel.setText(ui_text("admin.lessons.confirm_no", language))
        self._update_button()
