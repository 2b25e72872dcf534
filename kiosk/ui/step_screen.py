"""One lesson step: the phone picture on the left, the one instruction on the right."""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QWidget

from kiosk.lessons.model import Lesson, tr
from kiosk.locale import ui_text
from kiosk.ui.illustrations import IllustrationStore, illustration_key
from kiosk.ui.painted import PhoneView
from kiosk.ui.widgets import Screen, TopBar, button, column, label, scroll_area


class StepScreen(Screen):
    next_was_tapped = Signal()
    back_was_tapped = Signal()

    def __init__(self, illustrations: IllustrationStore, parent: QWidget | None = None):
        super().__init__(parent)
        self._illustrations = illustrations
        self.lesson: Lesson | None = None
        self.index = 0
        self.bar = TopBar(self)
        self.phone = PhoneView(self)
        text_holder = QWidget(self)
        self.instruction = label("", text_holder, "heading")
        self.detail = label("", text_holder)
        self.tip = label("", text_holder, "tip")
        self.warning = label("", text_holder, "warning")
        self.tap_hint = label("", text_holder, "muted")
        self.back = button("", self)
        self.next = button("", self, "go")
        self.back.setMinimumWidth(260)
        self.next.setMinimumWidth(320)

        text = column(text_holder, margins=0, spacing=18)
        for widget in (self.instruction, self.detail, self.warning, self.tip, self.tap_hint):
            text.addWidget(widget)
        text.addStretch(1)
        middle = QHBoxLayout()
        middle.setSpacing(28)
        middle.addWidget(self.phone, 2)
        middle.addWidget(scroll_area(text_holder, self), 3)
        nav = QHBoxLayout()
        nav.addWidget(self.back)
        nav.addStretch(1)
        nav.addWidget(self.next)
        layout = column(self, margins=0, spacing=0)
        layout.addWidget(self.bar)
        body = column(margins=20, spacing=16)
        body.addLayout(middle, 1)
        body.addLayout(nav)
        layout.addLayout(body, 1)

        self.next.clicked.connect(self.next_was_tapped)
        self.back.clicked.connect(self.back_was_tapped)
        illustrations.illustration_did_load.connect(self._on_illustration_did_load)

    @property
    def default_focus(self):
        return self.next

    def show_step(self, lesson: Lesson, index: int, language: str) -> None:
        self.lesson, self.index = lesson, index
        self.refresh(language)

    def refresh(self, language: str) -> None:
        lesson, index = self.lesson, self.index
        if lesson is None:
            return
        step = lesson.steps[index]
        self._language = language
        counter = ui_text("step.counter", language, n=index + 1, total=len(lesson.steps))
        self.bar.refresh(language, counter)
        self.instruction.setText(tr(step.instruction, language))
        self._set_optional(self.detail, step.detail, language)
        self._set_optional(self.tip, step.tip, language, ui_text("step.tip", language))
        self._set_optional(self.warning, step.warning, language,
                           ui_text("step.warning", language))
        self.tap_hint.setVisible(bool(step.target))
        self.tap_hint.setText(ui_text("step.tap_here", language))
        self.back.setText(ui_text("nav.back", language))
        last = index == len(lesson.steps) - 1
        self.next.setText(ui_text("nav.finish" if last else "nav.next", language))
        self.phone.set_image(self._illustrations.image(illustration_key(lesson, index, language)))

    @staticmethod
    def _set_optional(widget, text, language: str, prefix: str = "") -> None:
        widget.setVisible(bool(text))
        if text:
            widget.setText(f"{prefix}: {tr(text, language)}" if prefix else tr(text, language))

    def _on_illustration_did_load(self, key: str) -> None:
        if self.lesson is not None and self.isVisible() and key == illustration_key(
                self.lesson, self.index, self._language):
            self.phone.set_image(self._illustrations.image(key))
