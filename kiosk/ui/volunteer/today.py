"""The volunteer's home: record a new person, today's list (tap a line to correct it), and the
residents waiting for help, with a count on the button until someone takes them."""

from datetime import datetime

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QListView, QScroller, QWidget

from kiosk.core import journal
from kiosk.locale import ui_text
from kiosk.ui.volunteer.choices import WrapButton
from kiosk.ui.widgets import Screen, button, column, label, set_role


def describe_session(record: dict, language: str) -> str:
    """One line for today's list: time, age band, services and results, satisfaction."""
    local = datetime.fromisoformat(record["started_at"]).astimezone()
    parts = [local.strftime("%H:%M"), ui_text(journal.label_key("age_band", record["age_band"]),
                                               language)]
    for entry in record["services"]:
        service = ui_text(journal.label_key("service", entry["service"]), language)
        outcomes = ", ".join(ui_text(journal.label_key("outcome", o), language)
                             for o in entry["outcomes"])
        parts.append(f"{service}: {outcomes}")
    if record.get("satisfaction"):
        parts.append(ui_text(journal.label_key("satisfaction", record["satisfaction"]), language))
    return " • ".join(parts)


class TodayModel(QAbstractListModel):
    """Today's sessions, newest first; the record itself is under ``Qt.UserRole``."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._records: list[dict] = []
        self.language = "vi"

    def set_records(self, records: list[dict]) -> None:
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._records)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        record = self._records[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return describe_session(record, self.language)
        if role == Qt.ItemDataRole.UserRole:
            return record
        return None


class TodayScreen(Screen):
    new_was_tapped = Signal()
    edit_was_chosen = Signal(object)  # the record
    requests_was_tapped = Signal()
    sign_out_was_tapped = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._language = "vi"
        self._name = ""
        self.title = label("", self, "title")
        self.notice = label("", self, "success")
        self.notice.hide()
        self.new = WrapButton(self)  # both wrap rather than clip their words at large sizes
        self.new.setProperty("role", "go")
        self.requests = WrapButton(self)
        self.requests.setProperty("role", "help")
        self.count = label("", self, "heading")
        self.hint = label("", self, "muted")
        self.model = TodayModel(self)
        self.list = QListView(self)
        self.list.setModel(self.model)
        self.list.setWordWrap(True)
        self.list.setProperty("role", "journal")
        self.list.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        QScroller.grabGesture(self.list.viewport(),
                              QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        self.sign_out = button("", self)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.sign_out)
        actions = QHBoxLayout()
        actions.addWidget(self.new, 3)
        actions.addWidget(self.requests, 2)
        layout = column(self, margins=24, spacing=14)
        layout.addLayout(top)
        layout.addWidget(self.notice)
        layout.addLayout(actions)
        layout.addWidget(self.count)
        layout.addWidget(self.hint)
        layout.addWidget(self.list, 1)

        self.new.clicked.connect(self.new_was_tapped)
        self.requests.clicked.connect(self.requests_was_tapped)
        self.sign_out.clicked.connect(self.sign_out_was_tapped)
        self.list.clicked.connect(
            lambda index: self.edit_was_chosen.emit(index.data(Qt.ItemDataRole.UserRole)))

    @property
    def default_focus(self):
        return self.new

    def show_day(self, name: str, records: list[dict], open_requests: int) -> None:
        self._name = name
        self.model.set_records(records)
        self._open_requests = open_requests
        self.refresh(self._language)

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def refresh(self, language: str) -> None:
        self._language = language
        self.model.language = language
        self.title.setText(ui_text("journal.title", language, name=self._name))
        self.new.setText(ui_text("journal.new", language))
        waiting = getattr(self, "_open_requests", 0)
        self.requests.setText(ui_text("journal.requests", language, count=waiting))
        set_role(self.requests, "help" if waiting else None)
        rows = self.model.rowCount()
        self.count.setText(ui_text("journal.today", language, count=rows))
        self.hint.setText(ui_text("journal.edit_hint" if rows else "journal.empty", language))
        self.sign_out.setText(ui_text("journal.sign_out", language))
        self.model.layoutChanged.emit()


class RequestsScreen(Screen):
    """Residents who pressed "Cần người giúp", oldest first, each with "Tôi đến giúp"."""

    take_was_tapped = Signal(str)  # the request id
    back_was_tapped = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._language = "vi"
        self._requests: list[dict] = []
        self._titles: dict[str, dict] = {}
        self.title = label("", self, "title")
        self.empty = label("", self, "muted")
        self._rows_holder = QWidget(self)
        self._rows = column(self._rows_holder, margins=0, spacing=12)
        self.back = button("", self)
        layout = column(self, margins=24, spacing=14)
        layout.addWidget(self.title)
        layout.addWidget(self.empty)
        layout.addWidget(self._rows_holder)
        layout.addStretch(1)
        layout.addWidget(self.back)
        self.back.clicked.connect(self.back_was_tapped)
        self.take_buttons: dict[str, object] = {}

    @property
    def default_focus(self):
        return next(iter(self.take_buttons.values()), self.back)

    def show_requests(self, requests: list[dict], lesson_titles: dict[str, dict]) -> None:
        self._requests, self._titles = requests, lesson_titles
        self.refresh(self._language)

    def refresh(self, language: str) -> None:
        from kiosk.lessons.model import tr

        self._language = language
        while self._rows.count():
            item = self._rows.takeAt(0)
            if item.layout():
                while item.layout().count():
                    child = item.layout().takeAt(0)
                    if child.widget():
                        child.widget().deleteLater()
        self.take_buttons = {}
        for request in self._requests:
            local = datetime.fromisoformat(request["created_at"]).astimezone()
            lesson = tr(self._titles.get(request["lesson_id"]), language) or "—"
            row = QHBoxLayout()
            row.addWidget(label(ui_text("requests.item", language, time=local.strftime("%H:%M"),
                                        lesson=lesson, step=request["step"] or "—"),
                                self._rows_holder), 1)
            take = button(ui_text("requests.take", language), self._rows_holder, "go")
            take.clicked.connect(lambda _=False, rid=request["id"]: self.take_was_tapped.emit(rid))
            row.addWidget(take)
            self._rows.addLayout(row)
            self.take_buttons[request["id"]] = take
        self.title.setText(ui_text("requests.title", language))
        self.empty.setText(ui_text("requests.none", language))
        self.empty.setVisible(not self._requests)
        self.back.setText(ui_text("common.back", language))
