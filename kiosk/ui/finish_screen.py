"""The end of a lesson: QR codes of the official pages, what to do if stuck, and a rating.

Only the finished lesson's own verified links get QR codes (none: no QR area at all). "In / Lưu
hướng dẫn" sits under the scrolling part, so it is always on screen.
"""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.core.lesson_runs import RATINGS
from kiosk.lessons.model import Lesson, tr
from kiosk.locale import ui_text
from kiosk.ui.painted import FaceButton, QrCodeView
from kiosk.ui.widgets import Screen, ScrollWithCue, TopBar, button, column, label


class FinishScreen(Screen):
    rating_was_chosen = Signal(str)
    handout_was_tapped = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.lesson: Lesson | None = None
        self.bar = TopBar(self)
        content = QWidget(self)
        self.title = label("", content, "title")
        rating = QWidget(self)
        self.rate_heading = label("", rating, "heading")
        self.faces = {mood: FaceButton(mood, rating) for mood in RATINGS}
        self.qr_heading = label("", content, "heading")
        self._qr_holder = QWidget(content)
        self._qr_grid = QGridLayout(self._qr_holder)
        self._qr_grid.setContentsMargins(0, 0, 0, 0)
        self.unverified = label("", content, "tip")
        self.handout = button("", self, "primary")
        self.problems_heading = label("", content, "heading")
        self.problems = label("", content)
        self.qr_codes: list[QrCodeView] = []

        faces = QVBoxLayout()
        faces.setSpacing(16)
        for face in self.faces.values():
            faces.addWidget(face)
        rating_column = column(rating, margins=0, spacing=16)
        rating_column.addWidget(self.rate_heading)
        rating_column.addLayout(faces)
        rating_column.addStretch(1)
        text = column(content, margins=0, spacing=16)
        text.addWidget(self.title)
        for widget in (self.qr_heading, self._qr_holder, self.unverified):
            text.addWidget(widget)
        for widget in (self.problems_heading, self.problems):
            text.addWidget(widget)
        text.addStretch(1)
        layout = column(self, margins=0, spacing=0)
        layout.addWidget(self.bar)
        body = QHBoxLayout()
        body.setContentsMargins(28, 20, 28, 20)
        body.setSpacing(32)
        self.more = ScrollWithCue(content, self)
        left = column(margins=0, spacing=12)
        left.addWidget(self.more, 1)
        left.addWidget(self.handout, 0, Qt.AlignmentFlag.AlignLeft)
        body.addLayout(left, 3)
        body.addWidget(rating, 2)
        layout.addLayout(body, 1)

        for mood, face in self.faces.items():
            face.clicked.connect(lambda _=False, m=mood: self.rating_was_chosen.emit(m))
        self.handout.clicked.connect(self.handout_was_tapped)

    @property
    def default_focus(self):
        return self.faces["good"]

    def show_lesson(self, lesson: Lesson, language: str) -> None:
        self.lesson = lesson
        for old in self.qr_codes:  # gone now, not at the next turn of the event loop
            self._qr_grid.removeWidget(old)
            old.hide()
            old.setParent(None)
            old.deleteLater()
        self.qr_codes = []
        for column_index, link in enumerate(lesson.verified_links):
            code = QrCodeView(link.url, self._qr_holder)
            caption = label("", self._qr_holder, "small")
            caption.setProperty("link_id", link.id)
            self._qr_grid.addWidget(code, 0, column_index, Qt.AlignmentFlag.AlignLeft)
            self._qr_grid.addWidget(caption, 1, column_index)
            self.qr_codes.append(code)
            self.qr_codes.append(caption)
        self._qr_holder.setVisible(bool(self.qr_codes))
        self.more.to_top()
        self.refresh(language)

    def refresh(self, language: str) -> None:
        lesson = self.lesson
        if lesson is None:
            return
        self.bar.refresh(language, tr(lesson.title, language))
        self.more.refresh(language)
        self.title.setText(ui_text("finish.title", language))
        self.handout.setText(ui_text("handout.button", language))
        self.rate_heading.setText(ui_text("finish.rate", language))
        for mood, face in self.faces.items():
            face.set_label(ui_text(f"rating.{mood}", language))
        links = {link.id: link for link in lesson.links}
        for widget in self.qr_codes:
            if widget.property("link_id"):
                link = links[widget.property("link_id")]
                widget.setText(f"{tr(link.label, language)}\n{link.url}")
        verified = lesson.verified_links
        self.qr_heading.setVisible(bool(verified))
        self.qr_heading.setText(ui_text("finish.qr", language))
        unverified = [link for link in lesson.links if not link.verified]
        self.unverified.setVisible(bool(unverified))
        self.unverified.setText(ui_text("finish.unverified", language) + "\n" + "\n".join(
            tr(link.label, language) for link in unverified))
        self.problems_heading.setVisible(bool(lesson.problems))
        self.problems_heading.setText(ui_text("finish.problems", language))
        self.problems.setText("\n".join(
            f"•  {tr(p['problem'], language)}: {tr(p['solution'], language)}"
            for p in lesson.problems))

    @property
    def qr_urls(self) -> list[str]:
        return [w.url for w in self.qr_codes if isinstance(w, QrCodeView)]


class ThanksScreen(Screen):
    """Shown after the rating; the kiosk returns to the welcome screen (and forgets this
    resident's text size, language and contrast) when "Xong" is tapped or a few seconds later."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = label("", self, "title")
        self.body = label("", self)
        self.home = button("", self, "go")
        self.home.setMinimumHeight(110)
        for widget in (self.title, self.body):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = column(self, margins=60, spacing=30)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        layout.addWidget(self.home)
        layout.addStretch(1)

    @property
    def default_focus(self):
        return self.home

    def refresh(self, language: str) -> None:
        self.title.setText(ui_text("thanks.title", language))
        self.body.setText(ui_text("thanks.body", language))
        self.home.setText(ui_text("thanks.done", language))
