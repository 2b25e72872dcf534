"""The reassurance shown after a resident asks for a volunteer."""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from kiosk.locale import ui_text
from kiosk.ui.kiosk_dialog import KioskDialog
from kiosk.ui.widgets import button, label


class HelpCalledDialog(KioskDialog):
    """Large, plain, one button. Opened with ``open()`` so nothing waits on it."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.title = label("", self, "title")
        self.text = label("", self)
        self.ok = button("", self, "go")
        self.ok.setMinimumHeight(100)
        for widget in (self.title, self.text, self.ok):
            self.body.addWidget(widget)
        self.ok.clicked.connect(self.accept)

    def show_for(self, language: str) -> None:
        self.setWindowTitle(ui_text("app.name", language))
        self.title.setText(ui_text("help.title", language))
        self.text.setText(ui_text("help.body", language))
        self.ok.setText(ui_text("help.ok", language))
        self.open()


class StillThereDialog(KioskDialog):
    """"Are you still there?" with a big "Tôi vẫn đang dùng" and a countdown. ``time_did_run_out``
    fires when the countdown ends untouched; tapping the button just closes it."""

    time_did_run_out = Signal()
    SECONDS = 30

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        from PySide6.QtCore import QTimer

        self.title = label("", self, "title")
        self.text = label("", self)
        self.stay = button("", self, "go")
        self.stay.setMinimumHeight(120)
        for widget in (self.title, self.text, self.stay):
            self.body.addWidget(widget)
        self.left = 0
        self._language = "vi"
        self._tick = QTimer(self)
        self._tick.setInterval(1000)

        self.stay.clicked.connect(self.accept)
        self._tick.timeout.connect(self._on_tick)
        self.finished.connect(lambda _: self._tick.stop())

    def ask(self, language: str, seconds: int | None = None) -> None:
        """Open, counting down from ``seconds`` (``SECONDS`` by default)."""
        self._language = language
        self.left = self.SECONDS if seconds is None else seconds
        self.setWindowTitle(ui_text("app.name", language))
        self.title.setText(ui_text("still_there.title", language))
        self.stay.setText(ui_text("still_there.stay", language))
        self._show_left()
        self._tick.start()
        self.open()

    def _on_tick(self) -> None:
        self.left -= 1
        if self.left <= 0:
            self._tick.stop()
            self.reject()
            self.time_did_run_out.emit()
        else:
            self._show_left()

    def _show_left(self) -> None:
        self.text.setText(ui_text("still_there.body", self._language, count=self.left))
