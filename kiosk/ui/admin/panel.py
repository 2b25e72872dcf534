"""The admin panel (behind the admin PIN): big section buttons on the left, the chosen section
on the right, and the two ways out ("back to the welcome screen", "close the kiosk")."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QStackedWidget, QWidget

from kiosk.core.config import Config
from kiosk.lessons.validation import Problem
from kiosk.locale import ui_text
from kiosk.ui.admin.counts_section import CountsSection
from kiosk.ui.admin.diagnostics_section import DiagnosticsSection
from kiosk.ui.admin.export_section import ExportSection
from kiosk.ui.admin.hub_section import HubSection
from kiosk.ui.admin.section import Section, set_role
from kiosk.ui.admin.settings_section import SettingsSection
from kiosk.ui.admin.volunteers_section import VolunteersSection
from kiosk.ui.sync_service import SyncService
from kiosk.ui.tasks import TaskManager
from kiosk.ui.volunteer.choices import WrapButton
from kiosk.ui.widgets import Screen, button, column, label

SECTIONS = ("counts", "volunteers", "settings", "diagnostics", "export", "hub")
CHOSEN_ROLE = "primary"


class AdminPanel(Screen):
    """The admin's screen. Sections read and write only through ``tasks`` (the database queue;
    drive scans on the background queue).

    ``back_was_tapped`` and ``exit_was_tapped`` ask the window to leave; ``config_did_change``
    fires with the new ``Config`` once the settings are saved to disk; ``lessons_did_change``
    once the admin went back to the previous lessons. Both ways out are
    disabled while a USB export is being written.
    """

    exit_was_tapped = Signal()
    back_was_tapped = Signal()
    config_did_change = Signal(object)
    lessons_did_change = Signal()  # another lesson pack was made current

    def __init__(self, problems: list[Problem], parent: QWidget | None = None, *,
                 tasks: TaskManager, data_dir: Path, config: Config, sync: SyncService):
        super().__init__(parent)
        worker = tasks.database
        self.language = config.language
        self.nav = {name: button("", self) for name in SECTIONS}
        self.back = WrapButton(self)  # the ways out wrap their words rather than clip them
        self.exit = WrapButton(self)
        self.title = label("", self, "title")
        self.counts_section = CountsSection(worker, self)
        self.volunteers_section = VolunteersSection(worker, self)
        self.settings_section = SettingsSection(worker, data_dir, config, self)
        self.diagnostics_section = DiagnosticsSection(tasks, data_dir, problems, self,
                                                      between_rounds=sync.after_round)
        self.export_section = ExportSection(tasks, self)
        self.export_section.help_point = config.help_point
        self.hub_section = HubSection(sync, self)
        self.sections: dict[str, Section] = {
            "counts": self.counts_section, "volunteers": self.volunteers_section,
            "settings": self.settings_section, "diagnostics": self.diagnostics_section,
            "export": self.export_section, "hub": self.hub_section}
        self.stack = QStackedWidget(self)
        self._lay_out()

        for name, nav_button in self.nav.items():
            nav_button.clicked.connect(lambda _=False, n=name: self.show_section(n))
        self.back.clicked.connect(self.back_was_tapped)
        self.exit.clicked.connect(self.exit_was_tapped)
        self.settings_section.config_did_change.connect(self._on_config_did_change)
        self.export_section.busy_did_change.connect(self._on_export_busy)
        self.diagnostics_section.previous_lessons.lessons_did_change.connect(
            self.lessons_did_change)

    def _lay_out(self) -> None:
        side = QWidget(self)  # as wide as its longest button, whichever section is shown
        side.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        nav = column(side, margins=0, spacing=10)
        for nav_button in self.nav.values():
            nav.addWidget(nav_button)
        nav.addStretch(1)
        for section in self.sections.values():
            self.stack.addWidget(section)
        top = QHBoxLayout()  # the ways out sit top right, leaving the left for the sections
        top.addWidget(self.title, 1)
        top.addWidget(self.back)
        top.addWidget(self.exit)
        right = column(margins=0, spacing=12)
        right.addLayout(top)
        right.addWidget(self.stack, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(20, 16, 24, 16)
        layout.setSpacing(28)
        layout.addWidget(side)
        layout.addLayout(right, 1)
        for widget in (*self.nav.values(), self.back, self.exit):
            widget.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    # the kiosk window's interface -------------------------------------------------------------
    @property
    def default_focus(self):
        return self.nav[self.current_name()]

    @property
    def problems(self):
        """The label listing lessons that failed to load (in Diagnostics)."""
        return self.diagnostics_section.problems

    def set_status(self, status: dict) -> None:
        """``kiosk status`` as read when the PIN was checked; shown in Diagnostics."""
        self.diagnostics_section.set_status(status)

    def refresh(self, language: str) -> None:
        """Redraw every text in ``language`` and read the shown section's data again."""
        self.language = language
        for name, nav_button in self.nav.items():
            nav_button.setText(ui_text(f"admin.section.{name}", language))
        self.back.setText(ui_text("admin.back", language))
        self.exit.setText(ui_text("admin.exit", language))
        for section in self.sections.values():
            section.refresh(language)
        self.show_section(self.current_name())

    # sections ---------------------------------------------------------------------------------
    def current_name(self) -> str:
        current = self.stack.currentWidget()
        return next(name for name, section in self.sections.items() if section is current)

    def current_section(self) -> Section:
        return self.sections[self.current_name()]

    def show_section(self, name: str) -> None:
        """Bring section ``name`` up, with its data read afresh on the worker."""
        section = self.sections[name]
        self.stack.setCurrentWidget(section)
        self.title.setText(ui_text(section.title_key, self.language))
        for key, nav_button in self.nav.items():
            set_role(nav_button, CHOSEN_ROLE if key == name else None)
        section.refresh(self.language)
        section.reload()

    def hideEvent(self, event) -> None:
        """Leaving the admin screen: the next admin starts at the overview, with nothing left
        half-typed."""
        self.volunteers_section.forget()
        self.stack.setCurrentWidget(self.counts_section)
        super().hideEvent(event)

    def _on_config_did_change(self, config: Config) -> None:
        self.export_section.help_point = config.help_point
        self.config_did_change.emit(config)

    def _on_export_busy(self, busy: bool) -> None:
        for widget in (*self.nav.values(), self.back, self.exit):
            widget.setEnabled(not busy)
