"""The ward hub: enroll this kiosk, see what is not yet sent and the last error in plain words,
send now, and put records the hub refused back in the queue."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QWidget

from kiosk.locale import ui_text
from kiosk.ui import keyboard
from kiosk.ui.admin.section import CountTable, Section, format_number, set_role
from kiosk.ui.sync_service import SyncService, sync_error_key
from kiosk.ui.widgets import button, column, label, scroll_area


def _when(moment: str | None, language: str) -> str:
    if not moment:
        return ui_text("hub.never", language)
    return datetime.fromisoformat(moment).astimezone().strftime("%d/%m/%Y %H:%M")


class HubSection(Section):
    title_key = "admin.section.hub"

    def __init__(self, sync: SyncService, parent: QWidget | None = None):
        super().__init__(parent)
        self._sync = sync
        content = QWidget(self)
        self.status = label("", content, "heading")
        self.address = QLineEdit(content)
        self.code = QLineEdit(content)
        self.enroll = button("", content, "go")
        self.message = label("", content, "tip")
        self.facts = CountTable(content)
        self.error = label("", content, "warning")
        self.sync_now = button("", content, "go")
        self.refused_heading = label("", content, "heading")
        self.refused = label("", content, "small")
        self.retry = button("", content)
        text = column(content, margins=0, spacing=12)
        text.setContentsMargins(0, 0, 16, 0)
        for widget in (self.status, self.address, self.code, self.enroll, self.message,
                       self.facts, self.error, self.sync_now, self.refused_heading,
                       self.refused, self.retry):
            if widget in (self.enroll, self.sync_now, self.retry):
                text.addWidget(widget, 0, Qt.AlignmentFlag.AlignLeft)
            else:
                text.addWidget(widget)
        text.addStretch(1)
        self.message.hide()
        column(self, margins=0, spacing=0).addWidget(scroll_area(content, self))

        for field in (self.address, self.code):
            keyboard.attach(field)
            field.textChanged.connect(self._forget_failure)
        self.enroll.clicked.connect(self._on_enroll)
        self.sync_now.clicked.connect(sync.sync_now)
        self.retry.clicked.connect(sync.retry_set_aside)
        sync.state_did_change.connect(self._draw)
        sync.enroll_did_finish.connect(self._on_enroll_did_finish)

    @property
    def default_focus(self):
        return self.sync_now if self._sync.state.get("enrollment") else self.address

    def reload(self) -> None:
        self._sync.reload()

    def refresh(self, language: str) -> None:
        super().refresh(language)
        self.address.setPlaceholderText(ui_text("hub.address", language))
        self.code.setPlaceholderText(ui_text("hub.code", language))
        self.enroll.setText(ui_text("hub.enroll", language))
        self.sync_now.setText(ui_text("hub.sync_now", language))
        self.retry.setText(ui_text("hub.retry", language))
        self.refused_heading.setText(ui_text("hub.refused_heading", language))
        self._draw()

    def _on_enroll(self) -> None:
        self.enroll.setEnabled(False)
        self._say(ui_text("hub.enrolling", self.language))
        self._sync.enroll(self.address.text(), self.code.text())

    def _forget_failure(self) -> None:
        """A new address or code: the last failure no longer applies."""
        if self.enroll.isEnabled():
            self.message.hide()

    def _on_enroll_did_finish(self, reason_key: str) -> None:
        """``reason_key``: "" when enrolled, else the catalogue key of why not."""
        self.enroll.setEnabled(True)
        if reason_key:
            reason = ui_text(reason_key, self.language)
            self._say(ui_text("hub.enroll_failed", self.language, reason=reason))
        else:
            self.code.clear()
            self.message.hide()

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _draw(self) -> None:
        state, language = self._sync.state, self.language
        enrolled = state.get("enrollment")
        for widget in (self.address, self.code, self.enroll):
            widget.setVisible(not enrolled)
        self.status.setText(ui_text("hub.enrolled", language, point=enrolled["point"] or
                                    enrolled["hub_url"]) if enrolled
                            else ui_text("hub.not_enrolled", language))
        self.facts.set_rows([
            ("unsent", ui_text("hub.unsent", language), format_number(state.get("unsent", 0), language)),
            ("set_aside", ui_text("hub.set_aside", language),
             format_number(state.get("set_aside", 0), language)),
            ("last_ok", ui_text("hub.last_ok", language), _when(state.get("last_ok_at"), language)),
            ("last_attempt", ui_text("hub.last_attempt", language),
             _when(state.get("last_attempt_at"), language))])
        self._draw_error(state, language)
        self.sync_now.setVisible(bool(enrolled))
        rows = state.get("set_aside_rows") or []
        for widget in (self.refused_heading, self.refused, self.retry):
            widget.setVisible(bool(rows))
        self.refused.setText("\n".join(f"#{row['seq']} {row['record_type']}: {row['reason']}"
                                       for row in rows))

    def _draw_error(self, state: dict, language: str) -> None:
        kind = self._sync.last_error_kind
        if state.get("last_error"):
            text = ui_text(sync_error_key(kind), language)
        elif state.get("enrollment") and not state.get("unsent"):
            text = ui_text("hub.all_sent", language)
        else:
            text = ""
        set_role(self.error, "warning" if state.get("last_error") else "success")
        self.error.setText(text)
        self.error.setVisible(bool(text))
