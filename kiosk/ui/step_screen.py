"""One lesson step: the phone picture on the left, the one instruction on the right.

A step whose picture has a target can be practised: the ring disappears, the resident taps the
picture where she would tap her phone, and is told kindly whether she found it; after a second
miss the ring is shown again.
"""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QWidget

from kiosk.lessons.model import Lesson, tr
from kiosk.lessons.practice import HIT, MISS, PracticeRound
from kiosk.locale import ui_text
from kiosk.ui.illustrations import IllustrationStore, illustration_key
from kiosk.ui.painted import PhoneView
from kiosk.ui.widgets import Screen, TopBar, button, column, label, scroll_area

FEEDBACK_ROLE = {HIT: "success", MISS: "tip"}


class StepScreen(Screen):
    next_was_tapped = Signal()
    back_was_tapped = Signal()
    practice_did_finish = Signal(int, object)  # step index, the PracticeRound

    def __init__(self, illustrations: IllustrationStore, parent: QWidget | None = None):
        super().__init__(parent)
        self._illustrations = illustrations
        self._language = "vi"
        self.lesson: Lesson | None = None
        self.index = 0
        self.round: PracticeRound | None = None
        self.bar = TopBar(self)
        self.phone = PhoneView(self)
        text_holder = QWidget(self)
        self.instruction = label("", text_holder, "heading")
        self.detail = label("", text_holder)
        self.tip = label("", text_holder, "tip")
        self.warning = label("", text_holder, "warning")
        self.tap_hint = label("", text_holder, "muted")
        self.feedback = label("", text_holder, "tip")
        self.back = button("", self)
        self.practice = button("", self)
        self.next = button("", self, "go")
        self.back.setMinimumWidth(260)
        self.next.setMinimumWidth(320)

        text = column(text_holder, margins=0, spacing=18)
        for widget in (self.instruction, self.detail, self.warning, self.tip, self.tap_hint,
                       self.feedback):
            text.addWidget(widget)
        text.addStretch(1)
        middle = QHBoxLayout()
        middle.setSpacing(28)
        middle.addWidget(self.phone, 2)
        middle.addWidget(scroll_area(text_holder, self), 3)
        nav = QHBoxLayout()
        nav.addWidget(self.back)
        nav.addStretch(1)
        nav.addWidget(self.practice)
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
        self.practice.clicked.connect(self.start_practice)
        self.phone.was_tapped.connect(self._on_phone_tapped)
        illustrations.illustration_did_load.connect(self._on_illustration_did_load)

    @property
    def default_focus(self):
        return self.next

    def show_step(self, lesson: Lesson, index: int, language: str) -> None:
        self.lesson, self.index, self.round = lesson, index, None
        self.feedback.hide()
        self.refresh(language)

    def refresh(self, language: str) -> None:
        lesson, index = self.lesson, self.index
        if lesson is None:
            return
        step = lesson.steps[index]
        self._language = language
        self.bar.refresh(language, ui_text("step.counter", language, n=index + 1,
                                           total=len(lesson.steps)))
        self.instruction.setText(tr(step.instruction, language))
        self._set_optional(self.detail, step.detail, language)
        self._set_optional(self.tip, step.tip, language, ui_text("step.tip", language))
        self._set_optional(self.warning, step.warning, language,
                           ui_text("step.warning", language))
        self.tap_hint.setVisible(bool(step.target) and self.round is None)
        self.tap_hint.setText(ui_text("step.tap_here", language))
        self.back.setText(ui_text("nav.back", language))
        self.practice.setText(ui_text("practice.start", language))
        self.practice.setVisible(self._practice_box() is not None and self.round is None)
        last = index == len(lesson.steps) - 1
        self.next.setText(ui_text("nav.finish" if last else "nav.next", language))
        self.phone.set_image(self._illustrations.image(self._picture_key()))

    @staticmethod
    def _set_optional(widget, text, language: str, prefix: str = "") -> None:
        widget.setVisible(bool(text))
        if text:
            widget.setText(f"{prefix}: {tr(text, language)}" if prefix else tr(text, language))

    # practice ---------------------------------------------------------------------------------
    def _practice_box(self):
        if self.lesson is None or not self.lesson.steps[self.index].target:
            return None
        return self._illustrations.target_box(
            illustration_key(self.lesson, self.index, self._language))

    def _picture_key(self) -> str:
        practising = self.round is not None and self.round.outcome is None
        return illustration_key(self.lesson, self.index, self._language, practice=practising)

    def start_practice(self) -> None:
        """Hide the ring and wait for the resident's tap on the picture."""
        box = self._practice_box()
        image = self._illustrations.image(illustration_key(self.lesson, self.index,
                                                           self._language))
        if box is None or image is None:
            return
        self.round = PracticeRound(box, image.width())
        self._illustrations.request(self.lesson, self.index, self._language, practice=True)
        self._show_feedback(ui_text("practice.prompt", self._language), "tip")
        self.refresh(self._language)

    def _on_phone_tapped(self, x: float, y: float) -> None:
        if self.round is None or self.round.outcome is not None:
            return
        result = self.round.tap(x, y)
        self._show_feedback(ui_text(f"practice.{result}", self._language),
                            FEEDBACK_ROLE.get(result, "warning"))
        if self.round.outcome:
            self.refresh(self._language)
            self.practice_did_finish.emit(self.index, self.round)

    def _show_feedback(self, text: str, role: str) -> None:
        self.feedback.setProperty("role", role)
        self.feedback.style().unpolish(self.feedback)
        self.feedback.style().polish(self.feedback)
        self.feedback.setText(text)
        self.feedback.show()

    def _on_illustration_did_load(self, key: str) -> None:
        if self.lesson is None:
            return
        if key == self._picture_key():
            self.phone.set_image(self._illustrations.image(key))
        if key == illustration_key(self.lesson, self.index, self._language):
            self.practice.setVisible(self._practice_box() is not None and self.round is None)
