"""Volunteers: the list of accounts, adding one (name, role, PIN twice), switching one off or on
again, and resetting a forgotten PIN. Accounts are never deleted: sessions refer to them."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Signal
from PySide6.QtWidgets import QHBoxLayout, QListView, QStackedWidget, QWidget

from kiosk.locale import ui_text
from kiosk.ui.admin import operations
from kiosk.ui.admin.section import Section, set_role
from kiosk.ui.admin.volunteer_model import VolunteerListModel
from kiosk.ui.admin.volunteer_pages import NamePage, PinTwicePage
from kiosk.ui.database_worker import DatabaseWorker
from kiosk.ui.volunteer.choices import WrapButton
from kiosk.ui.widgets import column, label


class VolunteersSection(Section):
    """The account list and what an admin may do to an account.

    Every change runs on the database worker; ``accounts_did_load`` fires each time the list
    has been read again and drawn.
    """

    title_key = "admin.section.volunteers"
    accounts_did_load = Signal()

    def __init__(self, worker: DatabaseWorker, parent: QWidget | None = None):
        super().__init__(parent)
        self._worker = worker
        self.model = VolunteerListModel(self)
        self._pending: dict = {}  # what the PIN page is for: {"mode", "id"|"name", "role"}
        self._select_after_load: str | None = None
        self.pages = QStackedWidget(self)
        self.list_page = QWidget(self.pages)
        self.view = QListView(self.list_page)
        self.view.setModel(self.model)
        self.view.setWordWrap(True)
        self.view.setProperty("role", "accounts")
        self.message = label("", self.list_page, "success")
        self.message.setVisible(False)
        self.add = WrapButton(self.list_page)  # wrap their words rather than clip them
        self.add.setProperty("role", "go")
        self.toggle = WrapButton(self.list_page)
        self.reset = WrapButton(self.list_page)
        self.name_page = NamePage(self.pages)
        self.pin_page = PinTwicePage(self.pages)
        self._lay_out()

        self.view.selectionModel().currentChanged.connect(lambda *_: self._update_buttons())
        self.add.clicked.connect(self.start_adding)
        self.toggle.clicked.connect(self.toggle_selected)
        self.reset.clicked.connect(self.start_reset)
        self.name_page.name_was_given.connect(self._on_name_given)
        self.name_page.cancel_was_tapped.connect(self.show_list)
        self.pin_page.pin_was_chosen.connect(self._on_pin_chosen)
        self.pin_page.cancel_was_tapped.connect(self.show_list)

    def _lay_out(self) -> None:
        from PySide6.QtWidgets import QScroller

        self.view.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)  # follows a finger
        QScroller.grabGesture(self.view.viewport(),
                              QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        buttons = QHBoxLayout()
        buttons.setSpacing(12)
        for widget in (self.add, self.toggle, self.reset):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        page = column(self.list_page, margins=0, spacing=12)
        page.addWidget(self.view, 1)
        page.addWidget(self.message)
        page.addLayout(buttons)
        for widget in (self.list_page, self.name_page, self.pin_page):
            self.pages.addWidget(widget)
        column(self, margins=0, spacing=0).addWidget(self.pages)

    @property
    def default_focus(self):
        return self.add

    def selected(self) -> dict | None:
        """The account chosen in the list, or None."""
        row = self.view.currentIndex().row()
        return self.model.account(row) if row >= 0 else None

    def select(self, account_id: str) -> None:
        index = self.model.index(self.model.row_of(account_id))
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    # reading ----------------------------------------------------------------------------------
    def reload(self) -> None:
        self._worker.submit(operations.read_accounts, on_done=self._on_accounts)

    def _on_accounts(self, accounts: list[dict]) -> None:
        chosen = self._select_after_load or (self.selected() or {}).get("id")
        self._select_after_load = None
        self.model.set_accounts(accounts)
        if chosen and self.model.row_of(chosen) >= 0:
            self.select(chosen)
        self._update_buttons()
        self.accounts_did_load.emit()

    # changing ---------------------------------------------------------------------------------
    def show_list(self) -> None:
        self.pages.setCurrentWidget(self.list_page)

    def forget(self) -> None:
        """Back to the list with nothing half-typed: the next admin finds no name or PIN."""
        self._pending = {}
        self.name_page.clear()
        self.pin_page.clear()
        self._say("")
        self.show_list()

    def start_adding(self) -> None:
        self._say("")
        self.pages.setCurrentWidget(self.name_page)
        self.name_page.start()

    def _on_name_given(self, name: str, role: str) -> None:
        self._pending = {"mode": "add", "name": name, "role": role}
        self.pin_page.start(name)
        self.pages.setCurrentWidget(self.pin_page)

    def start_reset(self) -> None:
        account = self.selected()
        if account is None:
            return
        self._say("")
        self._pending = {"mode": "reset", "id": account["id"], "name": account["name"]}
        self.pin_page.start(account["name"])
        self.pages.setCurrentWidget(self.pin_page)

    def _on_pin_chosen(self, pin: str) -> None:
        pending, self._pending = self._pending, {}
        name = pending["name"]
        if pending["mode"] == "add":
            self._worker.submit(
                lambda db: operations.add_account(db, name=name, role=pending["role"], pin=pin),
                on_done=self._on_added, on_error=self._on_failed, changes=True)
        else:
            self._worker.submit(
                lambda db: operations.reset_pin(db, account_id=pending["id"], pin=pin),
                on_done=lambda _: self._done("admin.volunteers.pin_was_reset", name),
                on_error=self._on_failed, changes=True)
        self.show_list()

    def _on_added(self, outcome: dict) -> None:
        if "error" in outcome:
            self._on_failed(outcome["error"])
            return
        self._select_after_load = outcome["id"]
        self._done("admin.volunteers.added", outcome["name"])

    def toggle_selected(self) -> None:
        account = self.selected()
        if account is None:
            return
        active, name = not account["active"], account["name"]
        key = "admin.volunteers.switched_on" if active else "admin.volunteers.switched_off"
        self._worker.submit(
            lambda db: operations.switch_active(db, account_id=account["id"], active=active),
            on_done=lambda refused: self._on_failed(refused) if refused else self._done(key, name),
            on_error=self._on_failed, changes=True)

    def _done(self, key: str, name: str) -> None:
        self._say(ui_text(key, self.language, name=name), "success")
        self.reload()

    def _on_failed(self, reason: str) -> None:
        known = reason in ("last_admin", "invalid")
        self._say(ui_text(f"admin.volunteers.{reason if known else 'failed'}", self.language),
                  "warning")
        self.reload()

    def _say(self, text: str, role: str = "success") -> None:
        """Show the outcome of the last change under the list (hidden when ``text`` is empty)."""
        set_role(self.message, role)
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # drawing ----------------------------------------------------------------------------------
    def _update_buttons(self) -> None:
        account = self.selected()
        self.toggle.setEnabled(account is not None)
        self.reset.setEnabled(account is not None)
        active = account is None or account["active"]
        self.toggle.setText(ui_text("admin.volunteers.switch_off" if active
                                    else "admin.volunteers.switch_on", self.language))

    def refresh(self, language: str) -> None:
        super().refresh(language)
        self.model.set_language(language)
        self.add.setText(ui_text("admin.volunteers.add", language))
        self.reset.setText(ui_text("admin.volunteers.reset_pin", language))
        self.name_page.refresh(language)
        self.pin_page.refresh(language)
        self._update_buttons()
