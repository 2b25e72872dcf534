"""Sign-in: tap your name, type your PIN. Five wrong PINs lock that account for five minutes, and
each further five for longer (``kiosk.core.accounts.lockout_for``). Only volunteer accounts are listed:
the admin opens the admin screen through its own PIN gate."""

from datetime import datetime, timezone

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QStackedWidget, QWidget

from kiosk.locale import ui_text
from kiosk.ui.database_worker import DatabaseWorker
from kiosk.ui.pin_pad import PinPad
from kiosk.ui.widgets import Screen, button, column, label, scroll_area


def _sign_in(account_id: str, pin: str):
    """On the worker: the account, or the refusal (kept as data, not raised into Qt)."""
    from kiosk.core import accounts

    def run(db):
        try:
            return {"account": accounts.sign_in(db, account_id, pin)}
        except accounts.PinRefused as refused:
            account = db["accounts"].get(account_id)
            left = accounts.pins_left(account["failed_pins"])
            return {"refused": str(refused), "locked_until": refused.locked_until,
                    "left": left, "active": bool(account["active"])}
    return run


def _active_accounts(db):
    from kiosk.core import accounts

    return accounts.list_accounts(db, active_only=True, role="volunteer")


class SignInScreen(Screen):
    did_sign_in = Signal(object)  # the account's public fields
    back_was_tapped = Signal()

    def __init__(self, worker: DatabaseWorker, parent: QWidget | None = None):
        super().__init__(parent)
        self._worker = worker
        self._language = "vi"
        self._account: dict | None = None
        self.title = label("", self, "title")
        self.message = label("", self, "error")
        self.pages = QStackedWidget(self)
        self._names_holder = QWidget(self)
        self._names = column(self._names_holder, margins=0, spacing=14)
        self.name_buttons: dict[str, object] = {}
        self.pad = PinPad(self)
        self.pad.setMaximumWidth(560)
        pad_page = QWidget(self)
        pad_row = QHBoxLayout(pad_page)
        pad_row.addStretch(1)
        pad_row.addWidget(self.pad)
        pad_row.addStretch(1)
        self.pages.addWidget(scroll_area(self._names_holder, self))
        self.pages.addWidget(pad_page)
        self.back = button("", self)
        top = QHBoxLayout()  # "back" beside the title leaves the pad the whole height
        top.setSpacing(16)
        top.addWidget(self.back)
        top.addWidget(self.title, 1)
        layout = column(self, margins=16, spacing=10)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.pages, 1)

        self.pad.pin_was_entered.connect(self._on_pin)
        self.pad.typing_did_start.connect(lambda: self.message.setText(""))
        self.back.clicked.connect(self._on_back)

    @property
    def default_focus(self):
        return next(iter(self.name_buttons.values()), self.back)

    def start(self, language: str) -> None:
        """Show the list of names (read on the worker)."""
        self._language, self._account = language, None
        self.message.setText("")
        self.pages.setCurrentIndex(0)
        self.refresh(language)
        self._worker.submit(_active_accounts, on_done=self._show_names)

    def _show_names(self, accounts: list[dict]) -> None:
        while self._names.count():
            item = self._names.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.name_buttons = {}
        for account in accounts:
            name = button(account["name"], self._names_holder, "tile")
            name.clicked.connect(lambda _=False, a=account: self.choose(a))
            self._names.addWidget(name)
            self.name_buttons[account["id"]] = name
        self._names.addStretch(1)
        if not accounts:
            self.message.setText(ui_text("signin.none", self._language))

    def choose(self, account: dict) -> None:
        self._account = account
        self.pad.reset()
        self.message.setText("")
        self.pages.setCurrentIndex(1)
        self.refresh(self._language)
        self.pad.setFocus()

    def _on_pin(self, pin: str) -> None:
        account = self._account
        if account is not None:
            self._worker.submit(_sign_in(account["id"], pin), on_done=self._on_answer)

    def _on_answer(self, answer: dict) -> None:
        self.pad.reset()
        if "account" in answer:
            self.did_sign_in.emit(answer["account"])
            return
        language = self._language
        if not answer["active"]:
            self.message.setText(ui_text("signin.inactive", language))
        elif answer["locked_until"]:
            wait = answer["locked_until"] - datetime.now(timezone.utc)
            minutes = max(1, round(wait.total_seconds() / 60))
            self.message.setText(ui_text("signin.locked", language, count=minutes))
        else:
            self.message.setText(ui_text("signin.wrong", language, count=answer["left"]))

    def _on_back(self) -> None:
        if self.pages.currentIndex() == 1:
            self.start(self._language)
        else:
            self.back_was_tapped.emit()

    def refresh(self, language: str) -> None:
        self._language = language
        if self._account is None:
            self.title.setText(ui_text("signin.title", language))
        else:
            self.title.setText(ui_text("signin.pin", language, name=self._account["name"]))
        self.back.setText(ui_text("common.back", language))
        self.pad.refresh(language)
