"""The list of volunteer and admin accounts, as a Qt list model.

It holds only ``kiosk.core.accounts.PUBLIC_FIELDS`` (never a PIN hash) and is filled from the
database worker's answer; it never reads the database itself.
"""

from __future__ import annotations

from datetime import datetime, timezone

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from kiosk.locale import ui_text

ID_ROLE = Qt.ItemDataRole.UserRole + 1
ACTIVE_ROLE = Qt.ItemDataRole.UserRole + 2
NAME_ROLE = Qt.ItemDataRole.UserRole + 3
ROLE_ROLE = Qt.ItemDataRole.UserRole + 4
SHOWN = ("id", "name", "role", "active", "locked_until")


class VolunteerListModel(QAbstractListModel):
    """One row per account, by name: "Name" then "role · state" on a second line."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._accounts: list[dict] = []
        self._language = "vi"

    def set_accounts(self, accounts: list[dict], now: datetime | None = None) -> None:
        """Replace the rows with ``accounts`` (dicts from ``accounts.list_accounts``)."""
        now = now or datetime.now(timezone.utc)
        self.beginResetModel()
        self._accounts = [{**{k: a.get(k) for k in SHOWN}, "locked": _locked(a, now)}
                          for a in accounts]
        self.endResetModel()

    def set_language(self, language: str) -> None:
        self._language = language
        if self._accounts:
            self.dataChanged.emit(self.index(0), self.index(len(self._accounts) - 1),
                                  [Qt.ItemDataRole.DisplayRole])

    def account(self, row: int) -> dict:
        """The account on ``row`` (a copy). Raises ``IndexError``."""
        return dict(self._accounts[row])

    def row_of(self, account_id: str) -> int:
        """The row of an account, -1 if it is not listed."""
        return next((row for row, a in enumerate(self._accounts) if a["id"] == account_id), -1)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._accounts)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._accounts):
            return None
        account = self._accounts[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{account['name']}\n{self.describe(account)}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{account['name']}, {self.describe(account)}"
        return {ID_ROLE: account["id"], ACTIVE_ROLE: bool(account["active"]),
                NAME_ROLE: account["name"], ROLE_ROLE: account["role"]}.get(role)

    def describe(self, account: dict) -> str:
        """"Tình nguyện viên · Đang dùng" and the like, in the model's language."""
        words = [ui_text(f"admin.role.{account['role']}", self._language)]
        if not account["active"]:
            words.append(ui_text("admin.volunteers.inactive", self._language))
        elif account["locked"]:
            words.append(ui_text("admin.volunteers.locked", self._language))
        else:
            words.append(ui_text("admin.volunteers.active", self._language))
        return " · ".join(words)


def _locked(account: dict, now: datetime) -> bool:
    until = account.get("locked_until")
    return bool(until) and datetime.fromisoformat(until) > now
