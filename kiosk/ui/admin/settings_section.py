"""Kiosk settings: help point, ward, neighbourhoods, idle timeout, default language and the
on-screen keyboard, saved to config.toml on the worker."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPlainTextEdit, QWidget

from kiosk.core.config import KEYBOARD_MODES, LANGUAGES, Config
from kiosk.core.journal import NEIGHBOURHOOD_MAX_CHARS
from kiosk.locale import ui_text
from kiosk.ui import keyboard
from kiosk.ui.admin import operations
from kiosk.ui.admin.section import ChoiceButtons, Section, set_role
from kiosk.ui.database_worker import DatabaseWorker
from kiosk.ui.widgets import button, column, label, scroll_area

IDLE_MINUTES = (1, 2, 5, 10)
TEXT_MAX_CHARS = 80


def neighbourhood_list(text: str) -> list[str]:
    """One neighbourhood per line: spaces tidied, empty lines and repeats dropped, each cut to
    the journal's limit."""
    names: list[str] = []
    for line in text.splitlines():
        name = " ".join(line.split())[:NEIGHBOURHOOD_MAX_CHARS]
        if name and name not in names:
            names.append(name)
    return names


class SettingsSection(Section):
    """The settings form, filled from the kiosk's ``Config`` each time it is shown.

    "Save" writes config.toml on the database worker (the UI thread never waits on the disk);
    once it is written, ``config_did_change(config)`` fires with the new ``Config``.
    """

    title_key = "admin.section.settings"
    config_did_change = Signal(object)

    def __init__(self, worker: DatabaseWorker, data_dir: Path, config: Config,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._worker, self._data_dir, self.config = worker, data_dir, config
        content = QWidget(self)
        self.help_point_label = label("", content)
        self.help_point = QLineEdit(content)
        self.ward_label = label("", content)
        self.ward = QLineEdit(content)
        self.neighbourhoods_label = label("", content)
        self.neighbourhoods = QPlainTextEdit(content)
        self.idle_label = label("", content)
        self.idle = ChoiceButtons(content, columns=2)
        self.language_label = label("", content)
        self.languages = ChoiceButtons(content, columns=1)
        self.keyboard_label = label("", content)
        self.keyboards = ChoiceButtons(content, columns=3)
        self.message = label("", self, "success")
        self.save = button("", self, "go")
        self._lay_out(content)

        for field in (self.help_point, self.ward, self.neighbourhoods):
            keyboard.attach(field)
        self.save.clicked.connect(self.save_settings)
        for field in (self.help_point, self.ward, self.neighbourhoods):
            field.textChanged.connect(lambda *_: self._say(""))
        self.idle.value_was_chosen.connect(lambda _: self._say(""))
        self.languages.value_was_chosen.connect(lambda _: self._say(""))
        self.keyboards.value_was_chosen.connect(lambda _: self._say(""))

    def _lay_out(self, content: QWidget) -> None:
        """Names on the left, the idle timeout and language on the right; "Save" always in
        view under them."""
        for field in (self.help_point, self.ward):
            field.setMaxLength(TEXT_MAX_CHARS)
            field.setMinimumHeight(72)
        self.neighbourhoods.setMinimumHeight(150)
        self.neighbourhoods.setMaximumHeight(260)  # room above or below it for the keyboard
        left = column(margins=0, spacing=10)
        for widget in (self.help_point_label, self.help_point, self.ward_label, self.ward,
                       self.neighbourhoods_label, self.neighbourhoods):
            left.addWidget(widget)
        right = column(margins=0, spacing=10)
        right.addWidget(self.idle_label)
        right.addWidget(self.idle)
        right.addSpacing(12)
        right.addWidget(self.language_label)
        right.addWidget(self.languages)
        right.addSpacing(12)
        right.addWidget(self.keyboard_label)
        right.addWidget(self.keyboards)
        right.addStretch(1)
        columns = QHBoxLayout(content)
        columns.setContentsMargins(0, 0, 16, 0)  # clear of the scroll bar
        columns.setSpacing(28)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        bottom = QHBoxLayout()
        bottom.setSpacing(16)
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.save, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom)
        layout = column(self, margins=0, spacing=12)
        layout.addWidget(scroll_area(content, self), 1)
        layout.addLayout(bottom)
        self.message.setVisible(False)

    @property
    def default_focus(self):
        return self.help_point

    def reload(self) -> None:
        """Show the settings in use (read from memory: the kiosk loaded them at start)."""
        config = self.config
        self.help_point.setText(config.help_point)
        self.ward.setText(config.ward)
        self.neighbourhoods.setPlainText("\n".join(config.neighbourhoods))
        self.idle.select(str(config.idle_timeout_s))
        self.languages.select(config.language)
        self.keyboards.select(config.onscreen_keyboard)
        self._say("")

    def edited_config(self) -> Config:
        """The config as the form now shows it (the current one where nothing is chosen)."""
        return replace(
            self.config,
            help_point=" ".join(self.help_point.text().split()),
            ward=" ".join(self.ward.text().split()),
            neighbourhoods=neighbourhood_list(self.neighbourhoods.toPlainText()),
            idle_timeout_s=int(self.idle.value or self.config.idle_timeout_s),
            language=self.languages.value or self.config.language,
            onscreen_keyboard=self.keyboards.value or self.config.onscreen_keyboard)

    def save_settings(self) -> None:
        """Write the form to config.toml on the worker; buttons wait until it is written."""
        config, data_dir = self.edited_config(), self._data_dir
        problems = config.problems()
        if problems:
            self._say("\n".join(problems), "warning")
            return
        self.save.setEnabled(False)
        self._worker.submit(lambda db: operations.save_config(db, data_dir=data_dir,
                                                              config=config),
                            on_done=lambda _: self._on_saved(config), on_error=self._on_failed)

    def _on_saved(self, config: Config) -> None:
        self.config = config
        self.save.setEnabled(True)
        self._say(ui_text("admin.settings.saved", self.language), "success")
        self.config_did_change.emit(config)

    def _on_failed(self, _error: str) -> None:
        self.save.setEnabled(True)
        self._say(ui_text("admin.settings.failed", self.language), "warning")

    def _say(self, text: str, role: str = "success") -> None:
        set_role(self.message, role)
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def refresh(self, language: str) -> None:
        super().refresh(language)
        self.help_point_label.setText(ui_text("admin.settings.help_point", language))
        self.ward_label.setText(ui_text("admin.settings.ward", language))
        self.neighbourhoods_label.setText(ui_text("admin.settings.neighbourhoods", language))
        self.idle_label.setText(ui_text("admin.settings.idle", language))
        self.idle.set_choices([(str(m * 60), ui_text("admin.settings.minutes", language, n=m))
                               for m in IDLE_MINUTES])
        self.language_label.setText(ui_text("admin.settings.language", language))
        self.languages.set_choices([(code, ui_text(f"admin.settings.language.{code}", language))
                                    for code in LANGUAGES])
        self.keyboard_label.setText(ui_text("admin.settings.keyboard", language))
        self.keyboards.set_choices([(mode, ui_text(f"admin.settings.keyboard.{mode}", language))
                                    for mode in KEYBOARD_MODES])
        self.save.setText(ui_text("admin.settings.save", language))
