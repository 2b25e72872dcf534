"""The admin's screen on the kiosk: its state, lessons that failed to load, closing the kiosk."""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QWidget

from kiosk.lessons.validation import Problem
from kiosk.locale import ui_text
from kiosk.ui.widgets import Screen, button, column, label, scroll_area


class AdminScreen(Screen):
    exit_was_tapped = Signal()
    back_was_tapped = Signal()

    def __init__(self, problems: list[Problem], parent: QWidget | None = None):
        super().__init__(parent)
        self._problems = problems
        self._status: dict = {}
        content = QWidget(self)
        self.title = label("", content, "title")
        self.status = label("", content, "muted")
        self.problems_heading = label("", content, "heading")
        self.problems = label("", content, "small")
        self.back = button("", self, "go")
        self.exit = button("", self)
        text = column(content, margins=0, spacing=14)
        for widget in (self.title, self.status, self.problems_heading, self.problems):
            text.addWidget(widget)
        text.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back)
        buttons.addStretch(1)
        buttons.addWidget(self.exit)
        layout = column(self, margins=28, spacing=16)
        layout.addWidget(scroll_area(content, self), 1)
        layout.addLayout(buttons)

        self.exit.clicked.connect(self.exit_was_tapped)
        self.back.clicked.connect(self.back_was_tapped)

    @property
    def default_focus(self):
        return self.back

    def set_status(self, status: dict) -> None:
        self._status = status

    def refresh(self, language: str) -> None:
        self.title.setText(ui_text("admin.title", language))
        status = self._status
        self.status.setText(ui_text("admin.status", language, device=status.get("device_id", "…"),
                                    runs=status.get("lesson_runs", "…"),
                                    unsent=status.get("unsent", "…")))
        if self._problems:
            self.problems_heading.setText(ui_text("admin.lesson_problems", language,
                                                  n=len(self._problems)))
            self.problems.setText("\n".join(str(p) for p in self._problems[:40]))
        else:
            self.problems_heading.setText(ui_text("admin.no_problems", language))
            self.problems.setText("")
        self.back.setText(ui_text("admin.back", language))
        self.exit.setText(ui_text("admin.exit", language))
