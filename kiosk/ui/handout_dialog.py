"""The take-home guide ("In / Lưu hướng dẫn"): print it, or save it as a PDF on a USB stick.

Finding printers and drives, drawing the pages and printing or writing them all happen as
background tasks (``kiosk.ui.tasks``); the dialog only shows what is possible and how it went.
With neither a printer nor a stick it says so and sends the resident to a volunteer.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QWidget

from kiosk.lessons.model import tr
from kiosk.locale import ui_text
from kiosk.ui.kiosk_dialog import KioskDialog
from kiosk.ui.widgets import button, column, label

if TYPE_CHECKING:
    from kiosk.lessons.library import Library
    from kiosk.lessons.model import Lesson
    from kiosk.ui.tasks import TaskManager


def available_printers() -> list[str]:
    from PySide6.QtPrintSupport import QPrinterInfo

    return list(QPrinterInfo.availablePrinterNames())


def print_pages(pages) -> None:
    """Send Pillow page images to the default printer, one sheet each. Any thread."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QImage, QPainter, QPageSize
    from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

    printer = QPrinter(QPrinterInfo.defaultPrinter(), QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("the printer is not ready")
    try:
        for number, page in enumerate(pages):
            if number:
                printer.newPage()
            data = page.convert("RGB").tobytes()
            image = QImage(data, page.width, page.height, page.width * 3,
                           QImage.Format.Format_RGB888)
            area = painter.viewport()
            painter.drawImage(QRect(0, 0, area.width(), area.height()), image)
    finally:
        painter.end()


def file_name(lesson: Lesson, language: str) -> str:
    return f"huong-dan-{lesson.id}-{language}.pdf"


class HandoutDialog(KioskDialog):
    """Large, plain buttons; ``ask()`` opens it for a lesson. "Cần người giúp" is always
    there, for when neither printing nor saving is possible (or the resident is unsure)."""

    did_finish = Signal(str)  # the message shown at the end
    help_was_tapped = Signal()

    def __init__(self, parent: QWidget, lesson: Lesson, library: Library, language: str,
                 tasks: TaskManager, *, drives_provider=None, printers_provider=None):
        super().__init__(parent, language)
        from kiosk.ui.drives import removable_drives

        self.lesson, self.library, self.language = lesson, library, language
        self._tasks = tasks
        self._drives_provider = drives_provider or removable_drives
        self._printers_provider = printers_provider or available_printers
        self._running: set[int] = set()  # tokens of this dialog's tasks
        self.title = label(ui_text("handout.title", language), self, "title")
        self.body_text = label(ui_text("handout.body", language), self)
        self.message = label(ui_text("handout.working", language), self, "tip")
        self._choices = column(margins=0, spacing=12)
        self.print = None
        self.save_buttons: dict[str, object] = {}
        self.help_button = button(ui_text("nav.help", language), self, "help")
        self.close_button = button(ui_text("handout.close", language), self)
        layout = self.body
        for widget in (self.title, self.body_text, self.message):
            layout.addWidget(widget)
        layout.addLayout(self._choices)
        ends = QHBoxLayout()
        ends.setSpacing(16)
        ends.addWidget(self.help_button)
        ends.addStretch(1)
        ends.addWidget(self.close_button)
        layout.addLayout(ends)

        self.close_button.clicked.connect(self.accept)
        self.help_button.clicked.connect(self._on_help)
        self._run(self._look_around, self._show_choices)

    @classmethod
    def ask(cls, parent: QWidget, lesson: Lesson, library: Library, language: str,
            tasks: TaskManager, **providers) -> HandoutDialog:
        dialog = cls(parent, lesson, library, language, tasks, **providers)
        dialog.open()
        return dialog

    def _run(self, work, on_done) -> None:
        """Run ``work()`` as a background task; ``on_done(result)`` on the UI thread unless
        the dialog has closed by then."""
        token = None

        def finished(result) -> None:
            self._running.discard(token)
            on_done(result)

        token = self._tasks.run_in_background(work, on_done=finished)
        self._running.add(token)

    def _look_around(self) -> tuple[list, list]:
        """On a background thread: which printers and drives are there."""
        try:
            return self._printers_provider(), self._drives_provider()
        except Exception:  # no print system, a failing stick: offer what is left
            return [], []

    def _show_choices(self, found: tuple[list, list]) -> None:
        printers, drives = found
        language = self.language
        if printers:
            self.print = button(ui_text("handout.print", language), self, "go")
            self.print.clicked.connect(lambda: self._start(self._print))
            self._choices.addWidget(self.print)
        for drive in drives:
            save = button(ui_text("handout.save_to", language, drive=drive.name), self, "primary")
            save.clicked.connect(lambda _=False, path=drive.path: self._start(
                lambda: self._save(Path(path))))
            self._choices.addWidget(save)
            self.save_buttons[str(drive.path)] = save
        self.message.setText("" if printers or drives else ui_text("handout.no_way", language))
        self.message.setVisible(not (printers or drives))
        self.refit()

    def _start(self, work) -> None:
        for choice in [self.print, *self.save_buttons.values()]:
            if choice is not None:
                choice.setEnabled(False)
        self.message.setText(ui_text("handout.working", self.language))
        self.message.show()
        self.refit()
        self._run(work, self._on_job_did_finish)

    def _print(self) -> str:
        from kiosk.guide.handout import handout_pages

        return self._finish(lambda: ("handout.printed", len(_printed(
            handout_pages(self.lesson, self.library, self.language)))))

    def _save(self, folder: Path) -> str:
        from kiosk.guide.handout import write_handout

        target = folder / file_name(self.lesson, self.language)
        return self._finish(lambda: ("handout.saved", write_handout(
            self.lesson, self.library, target, language=self.language)))

    def _finish(self, work) -> str:
        """On a background thread: do ``work``; the message that says how it went."""
        try:
            key, pages = work()
            return ui_text(key, self.language, pages=pages)
        except Exception as error:  # a full stick, a jammed printer: said plainly
            reason = re.sub(r"^\[Errno \d+\] ", "", str(error)) or type(error).__name__
            return ui_text("handout.failed", self.language, reason=reason)

    def _on_job_did_finish(self, answer: str) -> None:
        self.message.setText(answer)
        self.message.show()
        self.refit()
        self.did_finish.emit(answer)

    def _on_help(self) -> None:
        """Close, and call a volunteer (the main window records the request)."""
        self.accept()
        self.help_was_tapped.emit()

    def done(self, result: int) -> None:
        """Closing forgets the answers still to come (the work itself runs to its end)."""
        for token in self._running:
            self._tasks.forget(token)
        self._running.clear()
        super().done(result)


def _printed(pages):
    print_pages(pages)
    return pages
