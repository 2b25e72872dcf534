"""The two steps of adding a volunteer: a name and a role, then a PIN typed twice (the PIN step
also serves to reset a PIN). Pages only report what was entered; the section saves it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QWidget

from kiosk.core.accounts import ROLES, valid_pin
from kiosk.locale import ui_text
from kiosk.ui import keyboard
from kiosk.ui.admin.section import ChoiceButtons
from kiosk.ui.pin_pad import PinPad
from kiosk.ui.widgets import button, column, label

NAME_MAX_CHARS = 60


class NamePage(QWidget):
    """The new volunteer's name and role. ``name_was_given(name, role)`` fires on "Next" once
    the name is not empty."""

    name_was_given = Signal(str, str)
    cancel_was_tapped = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.language = "vi"
        self.name_label = label("", self)
        self.name = QLineEdit(self)
        self.name.setMaxLength(NAME_MAX_CHARS)
        self.name.setMinimumHeight(72)
        self.role_label = label("", self)
        self.roles = ChoiceButtons(self)
        self.message = label("", self, "error")
        self.cancel = button("", self)
        self.next = button("", self, "go")
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel)
        buttons.addStretch(1)
        buttons.addWidget(self.next)
        layout = column(self, margins=0, spacing=14)
        layout.addWidget(self.name_label)
        layout.addWidget(self.name)
        layout.addWidget(self.role_label)
        layout.addWidget(self.roles, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addLayout(buttons)

        keyboard.attach(self.name)
        self.next.clicked.connect(self._on_next)
        self.name.returnPressed.connect(self._on_next)
        self.cancel.clicked.connect(self.cancel_was_tapped)

    def start(self) -> None:
        """Empty form, role "volunteer", the cursor in the name and the keyboard open (call it
        once the page is on screen)."""
        self.clear()
        self.name.setFocus()
        keyboard.show_for(self.name)

    def clear(self) -> None:
        self.name.clear()
        self.roles.select("volunteer")
        self.message.setText("")

    def _on_next(self) -> None:
        name = " ".join(self.name.text().split())
        if not name:
            self.message.setText(ui_text("admin.volunteers.name_missing", self.language))
            return
        self.message.setText("")
        self.name_was_given.emit(name, self.roles.value or "volunteer")

    def refresh(self, language: str) -> None:
        self.language = language
        self.name_label.setText(ui_text("admin.volunteers.name", language))
        self.role_label.setText(ui_text("admin.volunteers.role", language))
        self.roles.set_choices([(role, ui_text(f"admin.role.{role}", language))
                                for role in ROLES])
        self.cancel.setText(ui_text("gate.cancel", language))
        self.next.setText(ui_text("admin.volunteers.next", language))


class PinTwicePage(QWidget):
    """A PIN of 4 to 6 digits typed twice; ``pin_was_chosen(pin)`` fires when both agree."""

    pin_was_chosen = Signal(str)
    cancel_was_tapped = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.language = "vi"
        self.who = ""
        self._first: str | None = None
        self.instruction = label("", self, "heading")
        self.message = label("", self, "error")
        self.pad = PinPad(self)
        self.pad.setMaximumWidth(460)
        self.cancel = button("", self)
        side = column(margins=0, spacing=14)
        side.addWidget(self.instruction)
        side.addWidget(self.message)
        side.addStretch(1)
        side.addWidget(self.cancel, 0, Qt.AlignmentFlag.AlignLeft)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(28)
        layout.addLayout(side, 1)
        layout.addWidget(self.pad, 1)

        self.pad.pin_was_entered.connect(self._on_pin)
        self.pad.typing_did_start.connect(lambda: self.message.setText(""))
        self.cancel.clicked.connect(self.cancel_was_tapped)

    @property
    def repeating(self) -> bool:
        return self._first is not None

    def start(self, who: str) -> None:
        """Ask for a new PIN for the account named ``who``."""
        self.clear(who)
        self.pad.setFocus()

    def clear(self, who: str = "") -> None:
        """Forget the digits typed so far (and whose PIN it was)."""
        self.who, self._first = who, None
        self.pad.reset()
        self.message.setText("")
        self.refresh(self.language)

    def _on_pin(self, pin: str) -> None:
        self.pad.reset()
        if not valid_pin(pin):
            self.message.setText(ui_text("setup.too_short", self.language))
        elif self._first is None:
            self._first = pin
            self.message.setText("")
        elif pin != self._first:
            self._first = None
            self.message.setText(ui_text("setup.mismatch", self.language))
        else:
            self._first = None
            self.pin_was_chosen.emit(pin)
        self.refresh(self.language)

    def refresh(self, language: str) -> None:
        self.language = language
        key = "admin.volunteers.pin_repeat" if self.repeating else "admin.volunteers.pin_new"
        self.instruction.setText(ui_text(key, language, name=self.who))
        self.cancel.setText(ui_text("gate.cancel", language))
        self.pad.refresh(language)
