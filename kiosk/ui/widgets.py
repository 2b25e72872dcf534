"""Small building blocks shared by the screens: buttons, labels, the top bar, kinetic scrolling."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QScroller,
                               QSizePolicy, QVBoxLayout, QWidget)

from kiosk.locale import ui_text


def button(text: str, parent: QWidget, role: str | None = None) -> QPushButton:
    """A touch button (at least 72 px each way, from the style sheet); never auto-repeats."""
    widget = QPushButton(text, parent)
    if role:
        widget.setProperty("role", role)
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    widget.setCursor(Qt.CursorShape.PointingHandCursor)
    return widget


def label(text: str, parent: QWidget, role: str | None = None, wrap: bool = True) -> QLabel:
    widget = QLabel(text, parent)
    if role:
        widget.setProperty("role", role)
    widget.setWordWrap(wrap)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    return widget


def scroll_area(content: QWidget, parent: QWidget) -> QScrollArea:
    """A vertical scroll area that follows a finger (kinetic scrolling), with no horizontal bar."""
    area = QScrollArea(parent)
    area.setWidget(content)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    return area


class Screen(QWidget):
    """Base of every full-window screen. ``refresh()`` redraws its texts for the language."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("screen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)

    def refresh(self, language: str) -> None:  # pragma: no cover - overridden
        pass


class TopBar(QFrame):
    """Home on the left, the screen's title, then text size, language and "I need help"."""

    home_was_tapped = Signal()
    text_size_was_tapped = Signal()
    language_was_tapped = Signal()
    help_was_tapped = Signal()

    def __init__(self, parent: QWidget, *, show_home: bool = True, show_help: bool = True):
        super().__init__(parent)
        self.setProperty("role", "bar")
        self.home = button("", self)
        self.title = label("", self, "heading", wrap=False)
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.text_size = button("", self)
        self.language = button("", self)
        self.help = button("", self, "help")
        self.home.setVisible(show_home)
        self.help.setVisible(show_help)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(12)
        layout.addWidget(self.home)
        layout.addWidget(self.title, 1)
        layout.addWidget(self.text_size)
        layout.addWidget(self.language)
        layout.addWidget(self.help)

        self.home.clicked.connect(self.home_was_tapped)
        self.text_size.clicked.connect(self.text_size_was_tapped)
        self.language.clicked.connect(self.language_was_tapped)
        self.help.clicked.connect(self.help_was_tapped)

    def refresh(self, language: str, title: str = "") -> None:
        self.home.setText(ui_text("nav.home", language))
        self.title.setText(title)
        self.text_size.setText(ui_text("nav.text_size", language))
        self.language.setText(ui_text("nav.language", language))
        self.help.setText(ui_text("nav.help", language))


def column(parent: QWidget | None = None, margins: int = 24, spacing: int = 16) -> QVBoxLayout:
    """A vertical layout; installed on ``parent`` if given, else to be nested in another."""
    layout = QVBoxLayout(parent) if parent is not None else QVBoxLayout()
    layout.setContentsMargins(margins, margins, margins, margins)
    layout.setSpacing(spacing)
    return layout
