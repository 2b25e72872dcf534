"""The reassurance shown after a resident asks for a volunteer."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget

from kiosk.locale import ui_text
from kiosk.ui.widgets import button, column, label


class HelpCalledDialog(QDialog):
    """Large, plain, one button. Opened with ``open()`` so nothing waits on it."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setModal(True)
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint)
        self.title = label("", self, "title")
        self.body = label("", self)
        self.ok = button("", self, "go")
        self.ok.setMinimumHeight(100)
        layout = column(self, margins=40, spacing=24)
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        layout.addWidget(self.ok)
        self.ok.clicked.connect(self.accept)
        self.setMinimumWidth(700)

    def show_for(self, language: str) -> None:
        self.title.setText(ui_text("help.title", language))
        self.body.setText(ui_text("help.body", language))
        self.ok.setText(ui_text("help.ok", language))
        self.open()
