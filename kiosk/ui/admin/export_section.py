"""USB export: choose a drive, write a bundle of the unsent records to it with a progress bar,
and say plainly whether the stick may be pulled out (DESIGN.md "USB bundles").

The bundle is written by ``kiosk.sync.bundle.write_bundle`` on the database worker: temporary
name, flush, rename, read back, verify. A failure leaves nothing on the drive and records nothing;
this screen only reports it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QWidget

from kiosk.locale import ui_text
from kiosk.ui import drives as drive_module
from kiosk.ui.admin import operations
from kiosk.ui.admin.section import (ChoiceButtons, Section, format_bytes, format_number,
                                    set_role)
from kiosk.ui.tasks import ProgressRelay, TaskManager
from kiosk.ui.widgets import button, column, label, scroll_area


def _scan(provider: Callable[[], list]) -> list[drive_module.Drive]:
    """The provider's drives, folders turned into drives. Background thread (it reads the
    disk, and a slow stick must not hold up the database queue)."""
    return [item if isinstance(item, drive_module.Drive) else drive_module.drive_for_folder(item)
            for item in provider()]


class ExportSection(Section):
    """Drive list, "Export" and the progress bar. Set ``drives_provider`` to a callable that
    returns ``Drive`` values or folders to offer other "drives" (tests); it runs as a
    background task. The bundle is written on the database queue.

    ``export_did_finish(outcome)`` fires with "done", "nothing" or the ``ExportError`` reason;
    ``busy_did_change(busy)`` when an export starts and ends.
    """

    title_key = "admin.section.export"
    drives_did_load = Signal()
    export_did_finish = Signal(str)
    busy_did_change = Signal(bool)

    def __init__(self, tasks: TaskManager, parent: QWidget | None = None):
        super().__init__(parent)
        self._tasks = tasks
        self._worker = tasks.database
        self.drives_provider: Callable[[], list] = drive_module.removable_drives
        self.help_point = ""
        self.drives: list[drive_module.Drive] = []
        self.busy = False
        self._unsent: int | None = None
        self._relay = ProgressRelay(self)
        content = QWidget(self)
        self.instruction = label("", content)
        self.unsent = label("", content, "muted")
        self.drive_heading = label("", content, "heading")
        self.no_drive = label("", content, "tip")
        self.drive_choice = ChoiceButtons(content, columns=1)
        self.rescan = button("", content)
        self.scan_status = label("", content, "muted")  # "looking…", then what was found
        self.scanning = False
        self.export = button("", content, "go")
        self.progress = QProgressBar(content)
        self.progress.setRange(0, 100)
        self.progress.setTextVisible(False)  # text over the bar is hard to read: a label says it
        self.progress_text = label("", content, "muted")
        self.result = label("", content, "success")
        self._lay_out(content)

        self.rescan.clicked.connect(self.look_again)
        self.export.clicked.connect(self.start_export)
        self.drive_choice.value_was_chosen.connect(lambda _: self._on_drive_chosen())
        self._relay.progress_did_change.connect(self._on_progress)

    def _lay_out(self, content: QWidget) -> None:
        buttons = QHBoxLayout()
        buttons.setSpacing(12)
        buttons.addWidget(self.rescan)
        buttons.addStretch(1)
        buttons.addWidget(self.export)
        text = column(content, margins=0, spacing=14)
        text.setContentsMargins(0, 0, 16, 0)  # clear of the scroll bar
        for widget in (self.instruction, self.unsent, self.drive_heading, self.no_drive,
                       self.drive_choice):
            text.addWidget(widget)
        text.addLayout(buttons)
        text.addWidget(self.scan_status)
        text.addWidget(self.progress)
        text.addWidget(self.progress_text)
        text.addWidget(self.result)
        text.addStretch(1)
        self._show_progress(None)
        self.result.setVisible(False)
        self.scan_status.setVisible(False)
        column(self, margins=0, spacing=0).addWidget(scroll_area(content, self))

    @property
    def default_focus(self):
        return self.export if self.export.isEnabled() else self.rescan

    def chosen_drive(self) -> drive_module.Drive | None:
        return next((d for d in self.drives if str(d.path) == self.drive_choice.value), None)

    # drives and the unsent count ------------------------------------------------------------
    def look_again(self) -> None:
        """"Tìm lại ổ USB": say it is looking (the button waits), forget the last export's
        message (it was about the drives before), then say what was found."""
        if self.busy:
            return
        self.scanning = True
        self._show_result("", "success")
        self._show_progress(None)
        self.reload()
        self.refresh(self.language)

    def _on_drive_chosen(self) -> None:
        self._show_result("", "success")  # the last message was about another drive
        self._show_progress(None)
        self._update_buttons()

    def reload(self) -> None:
        """Count the unsent records again (database queue) and look for drives (background)."""
        if self.busy:
            return
        provider = self.drives_provider
        self._worker.submit(operations.unsent, on_done=self._on_unsent)
        self._tasks.run_in_background(lambda: _scan(provider), on_done=self._on_drives,
                                      on_error=lambda _reason: self._on_drives([]))

    def _on_unsent(self, count: int) -> None:
        self._unsent = count
        self.refresh(self.language)

    def _on_drives(self, drives: list[drive_module.Drive]) -> None:
        self.drives = drives
        self.scanning = False
        chosen = self.drive_choice.value
        self.refresh(self.language)
        if len(drives) == 1:
            self.drive_choice.select(str(drives[0].path))
        elif chosen:
            self.drive_choice.select(chosen)
        self._update_buttons()
        self.drives_did_load.emit()

    # exporting --------------------------------------------------------------------------------
    def start_export(self) -> None:
        """Write the bundle to the chosen drive on the worker; the progress bar follows it."""
        drive = self.chosen_drive()
        if drive is None or self.busy:
            return
        self._set_busy(True)
        self._show_progress(0)
        self._show_result("", "success")
        target, help_point, report = drive.path, self.help_point, self._relay.report
        self._worker.submit(
            lambda db: operations.export_bundle(db, target=Path(target), help_point=help_point,
                                                progress=report),
            on_done=self._on_exported, on_error=lambda _: self._on_exported({"error": "io"}),
            changes=True)

    @Slot(int, int)
    def _on_progress(self, _done: int, _total: int) -> None:
        done, total = self._relay.latest()  # newer than the pair this signal carried
        if self.busy and total:
            self._show_progress(min(100, done * 100 // total))

    def _on_exported(self, outcome: dict) -> None:
        self._set_busy(False)
        if "error" in outcome:
            self._show_progress(None)
            self._show_result(ui_text(f"export.error.{outcome['error']}", self.language),
                              "warning")
            self.export_did_finish.emit(outcome["error"])
        elif outcome["file"] is None:
            self._show_progress(None)
            self._show_result(ui_text("export.nothing", self.language), "tip")
            self.export_did_finish.emit("nothing")
        else:
            self._show_progress(100)
            self._show_result(ui_text("admin.export.done", self.language, file=outcome["file"],
                                      n=format_number(outcome["records"], self.language)),
                              "success")
            self.export_did_finish.emit("done")
        self.reload()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self._update_buttons()
        self.busy_did_change.emit(busy)

    def _show_progress(self, percent: int | None) -> None:
        """The bar and "Đang ghi… 40%" under it (then "checking", then "done"); hidden when
        ``percent`` is None."""
        self.progress.setVisible(percent is not None)
        self.progress_text.setVisible(percent is not None)
        if percent is not None:
            self.progress.setValue(percent)
            key = ("admin.export.writing" if percent < 100 else
                   "admin.export.verifying" if self.busy else "admin.export.written")
            self.progress_text.setText(ui_text(key, self.language, percent=percent))

    def _show_result(self, text: str, role: str) -> None:
        set_role(self.result, role)
        self.result.setText(text)
        self.result.setVisible(bool(text))

    # drawing ----------------------------------------------------------------------------------
    def _update_buttons(self) -> None:
        self.export.setEnabled(not self.busy and self.chosen_drive() is not None)
        self.rescan.setEnabled(not self.busy and not self.scanning)
        self.drive_choice.setEnabled(not self.busy)

    def _show_scan_status(self, language: str) -> None:
        """"Looking for USB sticks…" while looking, then how many were found."""
        if self.scanning:
            text = ui_text("admin.export.looking", language)
        elif self.drives:
            text = ui_text("admin.export.found", language, n=len(self.drives))
        else:
            text = ""  # the "no drive" notice above says it, with what to do
        self.scan_status.setText(text)
        self.scan_status.setVisible(bool(text))

    def refresh(self, language: str) -> None:
        super().refresh(language)
        self.instruction.setText(ui_text("admin.export.instruction", language))
        unsent = "…" if self._unsent is None else format_number(self._unsent, language)
        self.unsent.setText(ui_text("admin.export.unsent", language, n=unsent))
        self.drive_heading.setText(ui_text("admin.export.drives", language))
        self.no_drive.setText(ui_text("admin.export.no_drive", language))
        self.no_drive.setVisible(not self.drives and not self.scanning)
        self.drive_choice.set_choices([
            (str(d.path), ui_text("admin.export.drive", language, name=d.name,
                                  free=format_bytes(d.free_bytes, language)))
            for d in self.drives])
        self.rescan.setText(ui_text("admin.export.scanning" if self.scanning
                                    else "admin.export.rescan", language))
        self._show_scan_status(language)
        self.export.setText(ui_text("admin.export.start", language))
        self._update_buttons()
