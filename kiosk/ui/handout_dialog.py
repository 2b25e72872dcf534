"""The take-home guide ("In / Lưu hướng dẫn"): print it, or save it as a PDF on a USB stick.

Finding printers and drives, drawing the pages and printing or writing them all happen on a
worker thread; the dialog only shows what is possible and how it went. With neither a printer
nor a stick it says so and sends the resident to a volunteer.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QThreadPool, Signal
from PySide6.QtWidgets import QHBoxLayout, QWidget

from kiosk.lessons.model import tr
from kiosk.locale import ui_text
from kiosk.ui.illustrations import _Job
from kiosk.ui.kiosk_dialog import KioskDialog
from kiosk.ui.widgets import button, column, label

if TYPE_CHECKING:
    from kiosk.lessons.library import Library
    from kiosk.lessons.model import Lesson


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
    _choices_did_arrive = Signal()
    _job_did_finish = Signal()

    def __init__(self, parent: QWidget, lesson: Lesson, library: Library, language: str, *,
                 drives_provider=None, printers_provider=None):
        super().__init__(parent, language)
        from kiosk.ui.drives import removable_drives

        self.lesson, self.library, self.language = lesson, library, language
        self._drives_provider = drives_provider or removable_drives
        self._printers_provider = printers_provider or available_printers
        self._lock = threading.Lock()
        self._answer = None
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
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
        self._choices_did_arrive.connect(self._show_choices)
        self._job_did_finish.connect(self._on_job_did_finish)
        self._run(self._look_around)

    @classmethod
    def ask(cls, parent: QWidget, lesson: Lesson, library: Library, language: str,
            **providers) -> HandoutDialog:
        dialog = cls(parent, lesson, library, language, **providers)
        dialog.open()
        return dialog

    def _run(self, work) -> None:
        self._pool.start(_Job(work))

    def _look_around(self) -> None:
        """On the worker: which printers and drives are there."""
        try:
            found = (self._printers_provider(), self._drives_provider())
        except Exception:  # no print system, a failing stick: offer what is left
            found = ([], [])
        with self._lock:
            self._answer = found
        self._choices_did_arrive.emit()

    def _show_choices(self) -> None:
        with self._lock:
            printers, drives = self._answer
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
        self._run(work)

    def _print(self) -> None:
        from kiosk.guide.handout import handout_pages

        self._finish(lambda: ("handout.printed", len(_printed(
            handout_pages(self.lesson, self.library, self.language)))))

    def _save(self, folder: Path) -> None:
        from kiosk.guide.handout import write_handout

        target = folder / file_name(self.lesson, self.language)
        self._finish(lambda: ("handout.saved", write_handout(
            self.lesson, self.library, target, language=self.language)))

    def _finish(self, work) -> None:
        """On the worker: do ``work`` and keep its message for the UI thread."""
        try:
            key, pages = work()
            answer = ui_text(key, self.language, count=pages)
        except Exception as error:  # a full stick, a jammed printer: said plainly
            reason = re.sub(r"^\[Errno \d+\] ", "", str(error)) or type(error).__name__
            answer = ui_text("handout.failed", self.language, reason=reason)
        with self._lock:
            self._answer = answer
        self._job_did_finish.emit()

    def _on_job_did_finish(self) -> None:
        with self._lock:
            answer = self._answer
        self.message.setText(answer)
        self.message.show()
        self.refit()
        self.did_finish.emit(answer)

    def _on_help(self) -> None:
        """Close, and call a volunteer (the main window records the request)."""
        self.accept()
        self.help_was_tapped.emit()

    def done(self, result: int) -> None:
        self._pool.waitForDone(10_000)
        super().done(result)


def _printed(pages):
    print_pages(pages)
    return pages
