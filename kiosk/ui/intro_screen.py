"""Before a lesson: what it achieves, what to have in hand, how long it takes."""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from kiosk.lessons.model import Lesson, tr
from kiosk.locale import ui_text
from kiosk.ui.widgets import Screen, ScrollWithCue, TopBar, button, column, label


class IntroScreen(Screen):
    start_was_tapped = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.lesson: Lesson | None = None
        self.bar = TopBar(self)
        content = QWidget(self)
        self.purpose = label("", content)
        self.needs_heading = label("", content, "heading")
        self.needs = label("", content)
        self.minutes = label("", content, "muted")
        self.elsewhere_heading = label("", content, "heading")
        self.elsewhere = label("", content, "tip")
        self.start = button("", self, "go")
        self.start.setMinimumHeight(96)

        text = column(content, margins=0, spacing=14)
        for widget in (self.purpose, self.needs_heading, self.needs, self.minutes,
                       self.elsewhere_heading, self.elsewhere):
            text.addWidget(widget)
        text.addStretch(1)
        layout = column(self, margins=0, spacing=0)
        layout.addWidget(self.bar)
        body = column(margins=28, spacing=16)
        self.more = ScrollWithCue(content, self)
        body.addWidget(self.more, 1)
        body.addWidget(self.start)
        layout.addLayout(body, 1)

        self.start.clicked.connect(self.start_was_tapped)

    @property
    def default_focus(self):
        return self.start

    def show_lesson(self, lesson: Lesson, language: str) -> None:
        self.lesson = lesson
        self.more.to_top()
        self.refresh(language)

    def refresh(self, language: str) -> None:
        lesson = self.lesson
        if lesson is None:
            return
        self.bar.refresh(language, tr(lesson.title, language))
        self.more.refresh(language)
        self.purpose.setText(tr(lesson.purpose, language))
        self.needs_heading.setText(ui_text("intro.needs", language))
        self.needs.setText("\n".join(f"•  {tr(need, language)}" for need in lesson.needs))
        self.minutes.setText(ui_text("intro.minutes", language, count=lesson.minutes,
                                     steps=ui_text("intro.steps", language,
                                                   count=len(lesson.steps))))
        has_elsewhere = bool(lesson.elsewhere)
        self.elsewhere_heading.setVisible(has_elsewhere)
        self.elsewhere.setVisible(has_elsewhere)
        self.elsewhere_heading.setText(ui_text("intro.elsewhere", language))
        self.elsewhere.setText("\n".join(
            f"{tr(item['need'], language)}: {tr(item['where'], language)}"
            for item in lesson.elsewhere))
        self.start.setText(ui_text("intro.start", language))
