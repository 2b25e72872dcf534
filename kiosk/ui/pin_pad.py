"""A large on-screen number pad for PINs, and the screens that use it."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QSizePolicy, QWidget

from kiosk.core.accounts import valid_pin
from kiosk.locale import ui_text
from kiosk.ui.widgets import Screen, button, column, label

MAX_PIN = 6


class PinPad(QWidget):
    """Digits 0–9, Clear and OK. ``pin_was_entered`` fires with the digits when OK is tapped;
    ``typing_did_start`` when the first digit of a new PIN is typed (a message about the last
    PIN no longer applies then)."""

    pin_was_entered = Signal(str)
    typing_did_start = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.digits = ""
        self.display = label(" ", self, "pin", wrap=False)
        self.display.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # digits can be typed on a keyboard
        self.keys = {str(d): button(str(d), self) for d in range(10)}
        self.clear = button("", self)
        self.ok = button("", self, "go")
        grid = QGridLayout()
        grid.setSpacing(10)
        for index, digit in enumerate("123456789"):
            grid.addWidget(self.keys[digit], index // 3, index % 3)
        grid.addWidget(self.clear, 3, 0)
        grid.addWidget(self.keys["0"], 3, 1)
        grid.addWidget(self.ok, 3, 2)
        layout = column(self, margins=0, spacing=8)
        layout.addWidget(self.display)
        layout.addLayout(grid)

        for digit, key in self.keys.items():
            key.clicked.connect(lambda _=False, d=digit: self.press(d))
        self.clear.clicked.connect(self.reset)
        self.ok.clicked.connect(lambda: self.pin_was_entered.emit(self.digits))

    def press(self, digit: str) -> None:
        if len(self.digits) < MAX_PIN:
            if not self.digits:
                self.typing_did_start.emit()
            self.digits += digit
            self.display.setText("•" * len(self.digits))

    def keyPressEvent(self, event) -> None:
        text = event.text()
        if text.isdigit():
            self.press(text)
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.ok.click()
        elif event.key() == Qt.Key.Key_Backspace:
            self.reset()
        else:
            super().keyPressEvent(event)

    def reset(self) -> None:
        self.digits = ""
        self.display.setText(" ")

    def refresh(self, language: str) -> None:
        self.clear.setText(ui_text("gate.clear", language))
        self.ok.setText(ui_text("gate.ok", language))


class AdminGateScreen(Screen):
    """Asks for the admin PIN. The check itself runs on the database worker."""

    pin_was_entered = Signal(str)
    cancel_was_tapped = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = label("", self, "heading")
        self.message = label("", self, "error")
        self.pad = PinPad(self)
        self.cancel = button("", self)
        self.pad.setMaximumWidth(560)
        top = QHBoxLayout()  # "cancel" beside the title, so the pad is centred in the screen
        top.setSpacing(16)
        top.addWidget(self.cancel)
        top.addWidget(self.title, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.pad)
        row.addStretch(1)
        layout = column(self, margins=20, spacing=8)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addLayout(row, 1)

        self.pad.pin_was_entered.connect(self.pin_was_entered)
        self.pad.typing_did_start.connect(lambda: self.message.setText(""))
        self.cancel.clicked.connect(self.cancel_was_tapped)

    def start(self, language: str) -> None:
        self.pad.reset()
        self.message.setText("")
        self.refresh(language)
        self.pad.setFocus()

    def show_refusal(self, message: str) -> None:
        self.pad.reset()
        self.message.setText(message)

    def refresh(self, language: str) -> None:
        self.title.setText(ui_text("gate.title", language))
        self.cancel.setText(ui_text("gate.cancel", language))
        self.pad.refresh(language)


class FirstRunScreen(Screen):
    """On the very first start: the admin chooses a PIN, typed twice."""

    pin_was_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._first: str | None = None
        self._language = "vi"
        self.title = label("", self, "heading")
        self.body = label("", self)
        self.message = label("", self, "error")
        self.pad = PinPad(self)
        self.pad.setMaximumWidth(560)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.pad)
        row.addStretch(1)
        layout = column(self, margins=20, spacing=8)
        for widget in (self.title, self.body, self.message):
            layout.addWidget(widget)
        layout.addLayout(row, 1)

        self.pad.pin_was_entered.connect(self._on_pin)
        self.pad.typing_did_start.connect(lambda: self.message.setText(""))

    @property
    def default_focus(self):
        return self.pad

    def _on_pin(self, pin: str) -> None:
        self.pad.reset()
        if not valid_pin(pin):
            self.message.setText(ui_text("setup.too_short", self._language))
        elif self._first is None:
            self._first = pin
            self.message.setText("")
            self.body.setText(ui_text("setup.repeat", self._language))
        elif pin != self._first:
            self._first = None
            self.message.setText(ui_text("setup.mismatch", self._language))
            self.body.setText(ui_text("setup.body", self._language))
        else:
            self.pin_was_chosen.emit(pin)

    def refresh(self, language: str) -> None:
        self._language = language
        self.title.setText(ui_text("setup.title", language))
        self.body.setText(ui_text("setup.repeat" if self._first else "setup.body", language))
        self.pad.refresh(language)
