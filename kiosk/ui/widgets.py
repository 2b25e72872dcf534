"""Small building blocks shared by the screens: buttons, labels, the top bar, kinetic scrolling.

The welcome screen is built before the first paint, so what it uses (``button``, ``label``,
``column``, ``Screen``) must not touch the ``Qt`` namespace: importing it creates a hundred
enum classes, a third of a bare window's start time. Everything else imports it lazily.
"""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.locale import ui_text


def button(text: str, parent: QWidget, role: str | None = None) -> QPushButton:
    """A touch button (at least 72 px each way, from the style sheet); never auto-repeats."""
    widget = QPushButton(text, parent)
    if role:
        widget.setProperty("role", role)
    return widget


class TallButton(QPushButton):
    """A button whose text may run over several lines. Its minimum height follows its text
    and font, with room above and below for Vietnamese stacked marks (ễ, ọ), which Qt's own
    size hint clips at large sizes; set the text with ``setText`` after a style change."""

    def setText(self, text: str) -> None:
        super().setText(text)
        lines = max(1, text.count("\n") + 1)
        metrics = self.fontMetrics()
        self.setMinimumHeight(lines * metrics.lineSpacing() + metrics.height() // 4 + 36)


def tall_button(text: str, parent: QWidget, role: str | None = None) -> TallButton:
    widget = TallButton(text, parent)
    if role:
        widget.setProperty("role", role)
    return widget


def set_role(widget: QWidget, role: str | None) -> None:
    """Give ``widget`` a style-sheet role now (Qt only restyles a widget on re-polish)."""
    if widget.property("role") == role:
        return
    widget.setProperty("role", role)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def label(text: str, parent: QWidget, role: str | None = None, wrap: bool = True,
          plain: bool = True, centered: bool = False) -> QLabel:
    """A label; ``plain`` shows the text exactly as written (lesson text is never HTML)."""
    widget = QLabel(text, parent)
    if role:
        widget.setProperty("role", role)
    if centered:
        widget.setProperty("align", "center")
    widget.setWordWrap(wrap)
    if plain:
        from PySide6.QtCore import Qt

        widget.setTextFormat(Qt.TextFormat.PlainText)
    return widget


def scroll_area(content: QWidget, parent: QWidget):
    """A vertical scroll area that follows a finger (kinetic scrolling), with no horizontal bar."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QScrollArea, QScroller

    area = QScrollArea(parent)
    area.setWidget(content)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    return area


class Screen(QWidget):
    """Base of every full-window screen. ``refresh()`` redraws its texts for the language.

    Screens are transparent: the stack behind them carries the theme's background.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("screen")

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
        from PySide6.QtWidgets import QHBoxLayout, QSizePolicy

        self.title = label("", self, "heading")  # wraps rather than being cut at large sizes
        self.title.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
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
