"""Diagnostics: is this kiosk healthy? Device id, lesson pack version (with "use the previous
lessons", ``previous_lessons.py``), records not yet sent,
free disk space, last sync and export, a database check on demand, lessons that failed to
load ("FILE: step N: FIELD: problem"), and how long ago each lesson was checked against its
sources (flagged after 180 days; staff only, never shown to residents)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWidget

from kiosk.lessons.check_age import CheckAge, check_ages
from kiosk.lessons.installed import installed_library
from kiosk.lessons.model import tr
from kiosk.lessons.validation import Problem
from kiosk.locale import ui_text
from kiosk.ui.admin import operations
from kiosk.ui.admin.section import CountTable, Section, format_bytes, format_number, set_role
from kiosk.ui.admin.previous_lessons import PreviousLessons
from kiosk.ui.tasks import TaskManager
from kiosk.ui.widgets import button, column, label, scroll_area

MAX_PROBLEMS_SHOWN = 40
FACTS = ("device_id", "lesson_pack_version", "unsent", "free_bytes", "last_sync_ok_at",
         "last_export")


class DiagnosticsSection(Section):
    """Facts read on the worker when shown; "Check the database" runs ``kiosk check`` there too.

    ``check_did_finish`` fires once a check's answer is drawn.
    """

    title_key = "admin.section.diagnostics"
    check_did_finish = Signal()

    def __init__(self, tasks: TaskManager, data_dir: Path, problems: list[Problem],
                 parent: QWidget | None = None, *, between_rounds=lambda fn: fn()):
        super().__init__(parent)
        self._worker, self._data_dir, self._problems = tasks.database, data_dir, problems
        self.status: dict = {}
        self.database_problems: list[str] | None = None
        self.check_ages: list[CheckAge] = []
        content = QWidget(self)
        self.facts = CountTable(content)
        self.previous_lessons = PreviousLessons(tasks, data_dir, content,
                                                between_rounds=between_rounds)
        self.check = button("", content, "primary")
        self.check_result = label("", content, "success")
        self.problems_heading = label("", content, "heading")
        self.problems = label("", content, "small")
        self.problems.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.checks_heading = label("", content, "heading")
        self.checks = label("", content, "small")
        text = column(content, margins=0, spacing=14)
        text.setContentsMargins(0, 0, 16, 0)  # clear of the scroll bar
        text.addWidget(self.facts)
        text.addWidget(self.previous_lessons)
        text.addWidget(self.check, 0, Qt.AlignmentFlag.AlignLeft)
        text.addWidget(self.check_result)
        text.addWidget(self.problems_heading)
        text.addWidget(self.problems)
        text.addWidget(self.checks_heading)
        text.addWidget(self.checks)
        text.addStretch(1)
        self.check_result.setVisible(False)
        column(self, margins=0, spacing=0).addWidget(scroll_area(content, self))

        self.check.clicked.connect(self.check_database)
        self.previous_lessons.lessons_did_change.connect(self.reload)

    @property
    def default_focus(self):
        return self.check

    def set_status(self, status: dict) -> None:
        """``kiosk status`` as read at sign-in; shown until fresher facts arrive."""
        self.status = dict(status)
        self.refresh(self.language)

    def reload(self) -> None:
        data_dir = self._data_dir
        self._worker.submit(lambda db: operations.read_overview(db, data_dir=data_dir),
                            on_done=self.set_status)
        self._worker.submit(lambda db: check_ages(installed_library(data_dir).lessons),
                            on_done=self.set_check_ages)
        self.previous_lessons.reload()

    def set_check_ages(self, ages: list[CheckAge]) -> None:
        """The lessons' check ages (read on the worker), oldest first."""
        self.check_ages = list(ages)
        self.refresh(self.language)

    def check_database(self) -> None:
        """Run ``kiosk check`` on the worker; the answer replaces the last one."""
        self.check.setEnabled(False)
        self._say(ui_text("admin.diagnostics.checking", self.language), "tip")
        self._worker.submit(operations.check_database, on_done=self._on_checked,
                            on_error=lambda error: self._on_checked([error]))

    def _on_checked(self, problems: list[str]) -> None:
        self.database_problems = problems
        self.check.setEnabled(True)
        self._draw_check()
        self.check_did_finish.emit()

    def _draw_check(self) -> None:
        problems = self.database_problems
        if problems is None:
            return
        if problems:
            self._say(ui_text("admin.diagnostics.check_problems", self.language,
                              n=len(problems)) + "\n" + "\n".join(problems[:20]), "warning")
        else:
            self._say(ui_text("admin.diagnostics.check_ok", self.language), "success")

    def _say(self, text: str, role: str) -> None:
        set_role(self.check_result, role)
        self.check_result.setText(text)
        self.check_result.setVisible(bool(text))

    def refresh(self, language: str) -> None:
        super().refresh(language)
        self.facts.set_rows([(key, ui_text(f"admin.diagnostics.{key}", language),
                              self.fact_text(key)) for key in FACTS])
        self.check.setText(ui_text("admin.diagnostics.check", language))
        self.previous_lessons.refresh(language)
        self._draw_check()
        if self._problems:
            self.problems_heading.setText(ui_text("admin.lesson_problems", language,
                                                  n=len(self._problems)))
            self.problems.setText("\n".join(str(p) for p in self._problems[:MAX_PROBLEMS_SHOWN]))
        else:
            self.problems_heading.setText(ui_text("admin.no_problems", language))
            self.problems.setText("")
        self.problems.setVisible(bool(self._problems))
        self._draw_check_ages(language)

    def _draw_check_ages(self, language: str) -> None:
        due = sum(age.stale for age in self.check_ages)
        heading = ui_text("admin.lesson_checks", language)
        if due:
            heading += "\n" + ui_text("admin.lesson_checks_due", language, n=due)
        self.checks_heading.setText(heading)
        self.checks.setText("\n".join(_check_line(age, language) for age in self.check_ages))
        self.checks_heading.setVisible(bool(self.check_ages))
        self.checks.setVisible(bool(self.check_ages))

    def fact_text(self, key: str) -> str:
        """One fact as shown; "…" until it has been read."""
        value, language = self.status.get(key), self.language
        if key not in self.status:
            return "…"
        if key == "unsent":
            return format_number(value, language)
        if key == "free_bytes":
            return format_bytes(value, language)
        if key == "lesson_pack_version" and value == "bundled":
            return ui_text("admin.diagnostics.bundled", language)
        if key == "last_export":
            return _when(value["created_at"]) if value else ui_text("admin.never", language)
        if key == "last_sync_ok_at":
            return _when(value) if value else ui_text("admin.never", language)
        return str(value)


def _check_line(age: CheckAge, language: str) -> str:
    """One lesson's line: how many days since it was checked, flagged when due."""
    title = tr(age.title, language)
    if age.checked_on is None:
        text = ui_text("admin.lesson_never_checked", language, title=title)
    else:
        text = ui_text("admin.lesson_checked", language, title=title, n=age.days,
                       date=age.checked_on.strftime("%d/%m/%Y"))
    return ui_text("admin.lesson_check_due", language, text=text) if age.stale else text


def _when(stored: str) -> str:
    """A stored UTC time in the kiosk's local time, "14:05 12/06/2025"."""
    from datetime import datetime

    return datetime.fromisoformat(stored).astimezone().strftime("%H:%M %d/%m/%Y")
