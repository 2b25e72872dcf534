"""Small building blocks shared by the screens: buttons, labels, the top bar, kinetic scrolling.

The welcome screen is built before the first paint, so what it uses (``button``, ``label``,
``column``, ``Screen``) must not touch the ``Qt`` namespace: importing it creates a hundred
enum classes, a third of a bare window's start time. Everything else imports it lazily.
"""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from kiosk.locale import ui_text


def button(text: str, parent: QWidget, role: str | None = None) -> QPushButton:
    """A touch button (at least 72 px each way, from the style sheet); never auto-repeats."""
    widget = QPushButton(text, parent)
    if role:
        widget.setProperty("role", role)
    return widget


class TallButton(QPushButton):
    """A button whose text may run over several lines. Lines too long for the button's width
    are wrapped at spaces (never cut); its minimum height follows the wrapped text and font,
    with room above and below for Vietnamese stacked marks (ễ, ọ), which Qt's own size hint
    clips at large sizes. Set the text with ``setText`` after a style change."""

    _full = ""

    def setText(self, text: str) -> None:
        self._full = text
        self._wrap()

    def full_text(self) -> str:
        return self._full

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._wrap()

    def _wrap(self) -> None:
        from kiosk.ui.text_fit import wrap_lines

        from PySide6.QtWidgets import QStyle, QStyleOptionButton

        option = QStyleOptionButton()
        self.initStyleOption(option)
        room = self.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, option,
                                           self).width() - 4
        metrics = self.fontMetrics()
        lines = wrap_lines(self._full, metrics, room) if room > 40 else self._full.split("\n")
        shown = "\n".join(lines)
        if shown != self.text():
            super().setText(shown)
        self.setMinimumHeight(len(lines) * metrics.lineSpacing() + metrics.height() // 4 + 36)


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


_language = ["vi"]  # the resident's language, for cues made by code that has none to hand


def set_cue_language(language: str) -> None:
    """Called by the main window when the language changes: the words of every new or
    re-shown "more below" cue."""
    _language[0] = language


class WholeLabel(QLabel):
    """A word-wrapped label that never gets less height than its text needs at its width: a
    layout short of room takes it from the others (a scroll area) instead of cutting this."""

    def setText(self, text: str) -> None:
        super().setText(text)
        self._hold_height()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._hold_height()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._hold_height()

    def _hold_height(self) -> None:
        """Only once shown: a label on a screen not yet laid out is 100 px wide, and the height
        its text needs there (over 1000 px for a warning) would stretch the whole window."""
        if not self.isVisible():
            return
        needed = self._needed_height(self.width()) if self.width() > 40 else 0
        if needed > 0 and needed != self.minimumHeight():
            self.setMinimumHeight(needed)

    def _needed_height(self, width: int) -> int:
        """The text's height at ``width``. QLabel's own ``heightForWidth`` never answers less
        than the minimum height in force, so the one held at a narrower width is lifted while
        measuring: otherwise the label could only ever grow, and a box once measured narrow
        (during a first layout, or beside a too-wide picture) stayed a tall empty box."""
        held = self.minimumHeight()
        if not held:
            return self.heightForWidth(width)
        self.blockSignals(True)
        try:
            self.setMinimumHeight(0)
            return self.heightForWidth(width)
        finally:
            self.setMinimumHeight(held)
            self.blockSignals(False)


def whole_label(text: str, parent: QWidget, role: str | None = None) -> WholeLabel:
    widget = WholeLabel(text, parent)
    if role:
        widget.setProperty("role", role)
    widget.setWordWrap(True)
    return widget


def scroll_area(content: QWidget, parent: QWidget) -> "ScrollWithCue":
    """A vertical scroll area that follows a finger (kinetic scrolling), with no horizontal
    bar, and a "more below" cue over its bottom edge whenever content is hidden below."""
    return ScrollWithCue(content, parent)


class Screen(QWidget):
    """Base of every full-window screen. ``refresh()`` redraws its texts for the language.

    Screens are transparent: the stack behind them carries the theme's background.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("screen")

    def refresh(self, language: str) -> None:  # pragma: no cover - overridden
        pass


class FittedTitle(QLabel):
    """A title that wraps to at most ``max_lines`` lines, drawn smaller when it needs more,
    so it never overflows the bar it sits in (nothing is cut or elided)."""

    def __init__(self, parent: QWidget, role: str = "heading", max_lines: int = 2):
        super().__init__("", parent)
        self.setProperty("role", role)
        self.setWordWrap(True)
        self._max_lines = max_lines
        self._fitting = False

    def setText(self, text: str) -> None:
        super().setText(text)
        self.fit()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.fit()

    def fit(self) -> None:
        """Choose the largest point size (from the role's own) at which the text fits."""
        if self._fitting or self.width() < 40:
            return
        from kiosk.ui.text_fit import fitting_point_size

        self._fitting = True
        try:
            self.setStyleSheet("")
            self.ensurePolished()
            base = self.font()
            smallest = max(16, round(base.pointSize() * 0.6))
            size = fitting_point_size(self.text(), base, self.contentsRect().width(),
                                      self._max_lines, smallest)
            if size != base.pointSize():
                self.setStyleSheet(f"font-size: {size}pt;")
        finally:
            self._fitting = False


class TopBar(QFrame):
    """Home on the left, the screen's title, then text size, language, contrast and "I need
    help". The title shrinks to two lines rather than pushing the bar taller."""

    home_was_tapped = Signal()
    text_size_was_tapped = Signal()
    language_was_tapped = Signal()
    contrast_was_tapped = Signal()
    help_was_tapped = Signal()

    def __init__(self, parent: QWidget, *, show_home: bool = True, show_help: bool = True):
        super().__init__(parent)
        self.setProperty("role", "bar")
        self.home = button("", self)
        from PySide6.QtWidgets import QHBoxLayout, QSizePolicy

        self.title = FittedTitle(self)
        self.title.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.text_size = button("", self)
        self.language = button("", self)
        self.contrast = button("", self)
        self.help = button("", self, "help")
        self.home.setVisible(show_home)
        self.help.setVisible(show_help)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 4, 12, 4)
        layout.setSpacing(10)
        layout.addWidget(self.home)
        layout.addWidget(self.title, 1)
        for widget in (self.text_size, self.language, self.contrast, self.help):
            layout.addWidget(widget)

        self.home.clicked.connect(self.home_was_tapped)
        self.text_size.clicked.connect(self.text_size_was_tapped)
        self.language.clicked.connect(self.language_was_tapped)
        self.contrast.clicked.connect(self.contrast_was_tapped)
        self.help.clicked.connect(self.help_was_tapped)

    def refresh(self, language: str, title: str = "") -> None:
        self.home.setText(ui_text("nav.home", language))
        self.title.setText(title)
        self.text_size.setText(ui_text("nav.text_size", language))
        self.language.setText(ui_text("nav.language", language))
        self.contrast.setText(ui_text("nav.contrast", language))
        self.help.setText(ui_text("nav.help", language))


class ScrollWithCue(QScrollArea):
    """A kinetic scroll area with a "more below" cue laid over its bottom edge whenever
    content is hidden below (so the cue takes no room from the content); tapping the cue
    scrolls down a page. ``refresh(language)`` sets its words (else the resident's)."""

    def __init__(self, content: QWidget, parent: QWidget):
        super().__init__(parent)
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QScroller

        self.setWidget(content)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        QScroller.grabGesture(self.viewport(),
                              QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        self.setMinimumHeight(0)  # fixed texts around it come first when room is short
        self.verticalScrollBar().setMinimumHeight(0)
        self.cue = button("", self, "cue")
        self.cue.setObjectName("more_below")
        self.cue.hide()
        self._language: str | None = None
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(self._update_cue)
        bar.rangeChanged.connect(self._update_cue)
        self.cue.clicked.connect(lambda: bar.setValue(bar.value() + bar.pageStep()))

    @property
    def area(self) -> QScrollArea:
        return self

    def minimumSizeHint(self):
        from PySide6.QtCore import QSize

        return QSize(0, 0)  # what is around it comes first; the cue says when more is below

    def refresh(self, language: str) -> None:
        self._language = language
        self._update_cue()

    def to_top(self) -> None:
        self.verticalScrollBar().setValue(0)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._place_cue()

    def _place_cue(self) -> None:
        view = self.viewport().geometry()
        height = min(self.cue.sizeHint().height(), view.height())
        self.cue.setGeometry(view.left(), view.bottom() + 1 - height, view.width(), height)
        self.cue.raise_()

    def _update_cue(self, *_) -> None:
        bar = self.verticalScrollBar()
        more = bar.value() < bar.maximum()
        if more:
            self.cue.setText(ui_text("scroll.more_below", self._language or _language[0]))
            self._place_cue()
        self.cue.setVisible(more)


def column(parent: QWidget | None = None, margins: int = 24, spacing: int = 16) -> QVBoxLayout:
    """A vertical layout; installed on ``parent`` if given, else to be nested in another."""
    layout = QVBoxLayout(parent) if parent is not None else QVBoxLayout()
    layout.setContentsMargins(margins, margins, margins, margins)
    layout.setSpacing(spacing)
    return layout
