"""The kiosk's dialogs: a framed card in the middle of the screen, the screen behind dimmed.

Drawn by the kiosk itself (no window-manager decoration), so they look the same on bare X, under
a window manager and on Windows: a thick border, a title of their own for the window list, and a
dark veil over the window behind so the resident sees where to look. The card is as tall as its
text needs at its width (word wrap considered), never taller than the screen.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QDialog, QFrame, QWidget

from kiosk.locale import ui_text
from kiosk.ui.widgets import column

DIM = QColor(0, 0, 0, 150)
WIDTH_PX = 900
SCREEN_MARGIN_PX = 60


class Dimmer(QWidget):
    """A veil over a whole window while one of its dialogs is open."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.setObjectName("dimmer")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.hide()

    def cover(self) -> None:
        self.setGeometry(self.parentWidget().rect())
        self.raise_()
        self.show()

    def paintEvent(self, event) -> None:
        QPainter(self).fillRect(self.rect(), DIM)


def dimmer_of(window: QWidget) -> Dimmer:
    found = window.findChild(Dimmer, "dimmer", Qt.FindChildOption.FindDirectChildrenOnly)
    return found or Dimmer(window)


class KioskDialog(QDialog):
    """Base of the kiosk's dialogs. Put content in ``self.body`` (a vertical layout); call
    ``refit()`` after the content changes while the dialog is open."""

    def __init__(self, parent: QWidget, language: str = "vi"):
        super().__init__(parent)
        self.setModal(True)
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint)
        self.setWindowTitle(ui_text("app.name", language))
        self.card = QFrame(self)
        self.card.setProperty("role", "dialog")
        outer = column(self, margins=0, spacing=0)
        outer.addWidget(self.card)
        self.body = column(self.card, margins=36, spacing=18)
        self._dimmer = dimmer_of(parent.window())

    def showEvent(self, event) -> None:
        self._dimmer.cover()
        self.refit()
        super().showEvent(event)

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        others = [d for d in self.parent().window().findChildren(KioskDialog)
                  if d is not self and d.isVisible()]
        if not others:
            self._dimmer.hide()

    def refit(self) -> None:
        """Size the card to its content at the kiosk's dialog width, centred on the window."""
        window = self.parent().window()
        area = window.geometry()
        screen = window.screen().availableGeometry() if window.screen() else area
        width = min(WIDTH_PX, area.width() - 2 * SCREEN_MARGIN_PX)
        layout = self.layout()
        needed = (layout.heightForWidth(width) if layout.hasHeightForWidth()
                  else layout.sizeHint().height())
        height = min(max(needed, layout.minimumSize().height()),
                     screen.height() - 2 * SCREEN_MARGIN_PX // 2)
        self.setFixedSize(width, height)
        self.move(area.x() + (area.width() - width) // 2,
                  area.y() + (area.height() - height) // 2)
