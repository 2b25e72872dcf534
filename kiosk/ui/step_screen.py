"""One lesson step: the phone picture on the left, the one instruction on the right.

The instruction, its warning, the "tap where the orange ring is" line and the main buttons are
always on screen, at every text size; only the details and the tip scroll, with a "more below"
cue when they do.

A step whose picture has a target can be practised: the ring disappears, the resident taps the
picture where she would tap her phone, and is told kindly whether she found it; after a second
miss the ring is shown again. She can then try again ("Tập lại") or stop ("Thôi tập") at any
time.
"""

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QWidget

from kiosk.lessons.model import Lesson, tr
from kiosk.lessons.practice import HIT, MISS, PracticeRound
from kiosk.locale import ui_text
from kiosk.ui.illustrations import IllustrationStore, illustration_key
from kiosk.ui.narrator import Narrator
from kiosk.ui.painted import PhoneView
from kiosk.ui.widgets import (Screen, ScrollWithCue, TopBar, button, column, label, set_role,
                               whole_label)

FEEDBACK_ROLE = {HIT: "success", MISS: "tip"}


def highlight_sentence(widget, sentence: str) -> None:
    """Show ``widget``'s text with ``sentence`` marked (as rich text, everything escaped)."""
    text = widget.text()
    at = text.find(sentence)
    if at < 0:
        return
    before, after = html.escape(text[:at]), html.escape(text[at + len(sentence):])
    widget.setTextFormat(Qt.TextFormat.RichText)
    widget.setText(f'{before}<span style="background-color:#ffe066; color:#000000;">'
                   f"{html.escape(sentence)}</span>{after}")


class StepScreen(Screen):
    next_was_tapped = Signal()
    back_was_tapped = Signal()
    practice_did_finish = Signal(int, object)  # step index, the PracticeRound

    def __init__(self, illustrations: IllustrationStore, narrator: Narrator | None = None,
                 parent: QWidget | None = None):
        """``narrator`` is None where no speech engine is installed: no listen buttons then."""
        super().__init__(parent)
        self._illustrations = illustrations
        self._narrator = narrator
        self._sentences: list = []
        self._language = "vi"
        self.lesson: Lesson | None = None
        self.index = 0
        self.round: PracticeRound | None = None
        self.highlighted: str | None = None
        self.bar = TopBar(self)
        self.phone = PhoneView(self)
        text_holder = QWidget(self)
        self.instruction = whole_label("", self, "instruction")
        self.detail = label("", text_holder)
        self.tip = label("", text_holder, "tip")
        self.warning = whole_label("", self, "warning")
        self.tap_hint = label("", text_holder, "muted")
        self.feedback = whole_label("", self, "tip")
        self.more = ScrollWithCue(text_holder, self)
        self.back = button("", self)
        self.practice = button("", self)
        self.leave_practice = button("", self)
        self.listen = button("", self, "primary")
        self.listen_slow = button("", self)
        self.next = button("", self, "go")
        self.back.setMinimumWidth(220)
        self.next.setMinimumWidth(280)
        self._lay_out(text_holder)

        self.next.clicked.connect(self.next_was_tapped)
        self.back.clicked.connect(self.back_was_tapped)
        self.practice.clicked.connect(self.start_practice)
        self.leave_practice.clicked.connect(self.stop_practice)
        self.listen.clicked.connect(lambda: self.toggle_listening("normal"))
        self.listen_slow.clicked.connect(lambda: self.toggle_listening("slow"))
        if narrator is not None:
            narrator.sentence_did_start.connect(self._on_sentence_did_start)
            narrator.narration_did_end.connect(self._on_narration_did_end)
            narrator.playback_did_fail.connect(self._on_playback_did_fail)
        self.phone.was_tapped.connect(self._on_phone_tapped)
        illustrations.illustration_did_load.connect(self._on_illustration_did_load)

    def _lay_out(self, text_holder: QWidget) -> None:
        """The phone down the whole left side; on the right, from the top: instruction,
        warning, practice feedback, the scrolling rest (details, tip, tap hint), the listen and
        practice buttons, then Back and Next."""
        text = column(text_holder, margins=0, spacing=18)
        for widget in (self.tap_hint, self.detail, self.tip):
            text.addWidget(widget)
        text.addStretch(1)
        tools = QHBoxLayout()
        tools.setSpacing(10)
        for widget in (self.listen, self.listen_slow, self.practice, self.leave_practice):
            tools.addWidget(widget)
        tools.addStretch(1)
        nav = QHBoxLayout()
        nav.addWidget(self.back)
        nav.addStretch(1)
        nav.addWidget(self.next)
        right = column(margins=0, spacing=8)
        for widget in (self.instruction, self.warning, self.feedback):
            right.addWidget(widget)
        right.addWidget(self.more, 1)
        right.addLayout(tools)
        right.addLayout(nav)
        body = QHBoxLayout()
        body.setContentsMargins(20, 10, 20, 10)
        body.setSpacing(28)
        body.addWidget(self.phone)
        body.addLayout(right, 1)
        layout = column(self, margins=0, spacing=0)
        layout.addWidget(self.bar)
        layout.addLayout(body, 1)

    @property
    def default_focus(self):
        return self.next

    def show_step(self, lesson: Lesson, index: int, language: str) -> None:
        self.stop_listening()
        self.lesson, self.index, self.round = lesson, index, None
        self.feedback.hide()
        self.more.to_top()
        self.refresh(language)

    def refresh(self, language: str) -> None:
        lesson, index = self.lesson, self.index
        if lesson is None:
            return
        step = lesson.steps[index]
        self._language = language
        self.bar.refresh(language, ui_text("step.counter", language, n=index + 1,
                                           total=len(lesson.steps)))
        self.instruction.setTextFormat(Qt.TextFormat.PlainText)
        self.instruction.setText(tr(step.instruction, language))
        self._set_optional(self.detail, step.detail, language)
        self._set_optional(self.tip, step.tip, language, ui_text("step.tip", language))
        self._set_optional(self.warning, step.warning, language,
                           ui_text("step.warning", language))
        self.tap_hint.setVisible(bool(step.target) and self.round is None)
        self.tap_hint.setText(ui_text("step.tap_here", language))
        self.more.refresh(language)
        self.back.setText(ui_text("nav.back", language))
        self._refresh_practice(language)
        speaking = self._narrator is not None and self._narrator.speaking
        self.listen.setText(ui_text("listen.stop" if speaking else "listen.normal", language))
        self.listen_slow.setText(ui_text("listen.slow", language))
        self.listen.setVisible(self._narrator is not None)
        self.listen_slow.setVisible(self._narrator is not None and not speaking)
        last = index == len(lesson.steps) - 1
        self.next.setText(ui_text("nav.finish" if last else "nav.next", language))
        self.phone.set_image(self._illustrations.image(self._picture_key()))

    @staticmethod
    def _set_optional(widget, text, language: str, prefix: str = "") -> None:
        widget.setTextFormat(Qt.TextFormat.PlainText)
        widget.setVisible(bool(text))
        if text:
            widget.setText(f"{prefix}: {tr(text, language)}" if prefix else tr(text, language))

    # listening --------------------------------------------------------------------------------
    def toggle_listening(self, speed: str) -> None:
        """Read the step aloud at ``speed``, or stop if it is being read."""
        if self._narrator is None or self.lesson is None:
            return
        if self._narrator.speaking:
            self.stop_listening()
            return
        from kiosk.lessons.narration import spoken_sentences

        self._sentences = spoken_sentences(self.lesson.steps[self.index], self._language)
        self._narrator.speak(self.lesson, self.index, self._language, speed)

    def stop_listening(self) -> None:
        if self._narrator is not None:
            self._narrator.stop()

    def _part_labels(self) -> dict:
        return {"instruction": self.instruction, "detail": self.detail, "tip": self.tip,
                "warning": self.warning}

    def _on_sentence_did_start(self, position: int) -> None:
        if not self.isVisible() or position >= len(self._sentences):
            return
        self.refresh(self._language)  # clears the previous highlight
        sentence = self._sentences[position]
        widget = self._part_labels()[sentence.part]
        highlight_sentence(widget, sentence.text)
        self.highlighted = sentence.text

    def _on_narration_did_end(self) -> None:
        self.highlighted = None
        if self.lesson is not None:
            self.refresh(self._language)

    def _on_playback_did_fail(self) -> None:
        """No sound came out: say so plainly and point to a volunteer."""
        if self.isVisible():
            self._show_feedback(ui_text("listen.no_sound", self._language), "warning")

    # practice ---------------------------------------------------------------------------------
    def _refresh_practice(self, language: str) -> None:
        """"Tập bấm thử" before a round, "Thôi tập" during one, "Tập lại" and "Thôi tập" after."""
        can = self._practice_box() is not None
        practising, done = self.round is not None, self.round is not None and self.round.outcome
        self.practice.setText(ui_text("practice.retry" if done else "practice.start", language))
        self.practice.setVisible(can and (not practising or bool(done)))
        self.leave_practice.setText(ui_text("practice.leave", language))
        self.leave_practice.setVisible(practising)

    def stop_practice(self) -> None:
        """Leave practice: the ring and the step's own text come back."""
        self.round = None
        self.feedback.hide()
        self.refresh(self._language)

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
        if self.round is None:
            return
        if self.round.outcome is not None:  # the ring is shown: tapping it is still right
            if self.round.on_target(x, y):
                self._show_feedback(ui_text("practice.found", self._language), "success")
            return
        result = self.round.tap(x, y)
        self._show_feedback(ui_text(f"practice.{result}", self._language),
                            FEEDBACK_ROLE.get(result, "warning"))
        if self.round.outcome:
            self.refresh(self._language)
            self.practice_did_finish.emit(self.index, self.round)

    def _show_feedback(self, text: str, role: str) -> None:
        set_role(self.feedback, role)
        self.feedback.setText(text)
        self.feedback.show()

    def _on_illustration_did_load(self, key: str) -> None:
        if self.lesson is None:
            return
        if key == self._picture_key():
            self.phone.set_image(self._illustrations.image(key))
        if key == illustration_key(self.lesson, self.index, self._language):
            self._refresh_practice(self._language)
