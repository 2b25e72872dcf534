"""Rows of big toggle buttons for choosing one or several values with a tap each.

The buttons wrap their text onto several lines rather than widening the row, so a form of
segmented choices keeps its width at every text size. A wheel turned over them scrolls the form
and never changes a choice (buttons do not take wheel events).
"""

from PySide6.QtCore import QEvent, QSize, Signal
from PySide6.QtWidgets import QGridLayout, QPushButton, QSizePolicy, QWidget

from kiosk.ui.theme import TOUCH_MIN_PX

_SIDE_PADDING = 34  # the style sheet's padding and border on both sides, with a margin
_TOP_PADDING = 18


def wrap_lines(text: str, width: int, advance) -> list[str]:
    """``text`` broken at spaces into lines no wider than ``width`` (``advance(s)`` measures a
    string); a single word longer than ``width`` stays whole on its own line."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and advance(candidate) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


class WrapButton(QPushButton):
    """A touch button whose text wraps to its width; its height follows the lines (at least
    ``TOUCH_MIN_PX``). ``full_text`` is the text as given; ``text()`` is what is drawn."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.full_text = ""
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        self.full_text = text
        self._rewrap()

    def _side_padding(self) -> int:
        """The style sheet's padding and border on both sides (plus a margin): what of the
        button's width the text cannot use."""
        from PySide6.QtWidgets import QStyle, QStyleOptionButton

        option = QStyleOptionButton()
        self.initStyleOption(option)
        contents = self.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, option,
                                               self)
        if contents.width() <= 0:
            return _SIDE_PADDING
        return max(_SIDE_PADDING, self.width() - contents.width() + 8)

    def _lines(self, width: int) -> list[str]:
        metrics = self.fontMetrics()
        return wrap_lines(self.full_text, max(1, width - self._side_padding()),
                          metrics.horizontalAdvance)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        metrics = self.fontMetrics()
        lines = len(self._lines(width))
        return max(TOUCH_MIN_PX, lines * metrics.lineSpacing() + metrics.height() // 4
                   + _TOP_PADDING)

    def sizeHint(self) -> QSize:  # noqa: N802
        metrics = self.fontMetrics()
        width = min(metrics.horizontalAdvance(self.full_text) + self._side_padding(), 420)
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        metrics = self.fontMetrics()
        longest = max((metrics.horizontalAdvance(w) for w in self.full_text.split()), default=0)
        width = max(TOUCH_MIN_PX, longest + self._side_padding())
        return QSize(width, TOUCH_MIN_PX)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._rewrap()

    def changeEvent(self, event) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._rewrap()

    def _rewrap(self) -> None:
        wrapped = "\n".join(self._lines(self.width()))
        if wrapped != super().text():
            super().setText(wrapped)
        # Set explicitly: the style sheet's min-width would otherwise win over the hint.
        width = self.minimumSizeHint().width()
        height = self.heightForWidth(self.width())
        if (width, height) != (self.minimumWidth(), self.minimumHeight()):
            self.setMinimumSize(width, height)
            self.updateGeometry()


class ChoiceGroup(QWidget):
    """Toggle buttons for ``values``, ``columns`` to a row. With ``exclusive`` one value at most
    is chosen (tapping it again clears it). ``label_for(value, language)`` gives each text.
    With ``weighted`` each column's width follows the length of its text (for one row of many
    choices: long labels get the room to wrap onto as few lines as short ones, so the row stays
    low), instead of equal columns."""

    selection_did_change = Signal()

    def __init__(self, values, label_for, *, exclusive: bool, columns: int = 4,
                 weighted: bool = False, spacing: int = 10, parent: QWidget | None = None):
        super().__init__(parent)
        self._label_for = label_for
        self._exclusive = exclusive
        self._columns = columns
        self._weighted = weighted
        self.values: tuple = ()
        self.buttons: dict = {}
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(spacing)
        self._grid.setVerticalSpacing(6)  # rows of choices close: the form must fit one screen
        for column_index in range(columns):
            self._grid.setColumnStretch(column_index, 1)
        self.set_values(values)

    def set_values(self, values) -> None:
        """Offer ``values`` (buttons are made again only if they changed); keeps the choice of
        values still offered."""
        values = tuple(values)
        if values == self.values:
            return
        kept = [value for value in self.selected if value in values]
        for choice in self.buttons.values():
            self._grid.removeWidget(choice)
            choice.deleteLater()
        self.values, self.buttons = values, {}
        for index, value in enumerate(values):
            choice = WrapButton(self)
            choice.setProperty("role", "choice")
            choice.setCheckable(True)
            choice.setChecked(value in kept)
            choice.clicked.connect(lambda checked, v=value: self._on_clicked(v, checked))
            self._grid.addWidget(choice, index // self._columns, index % self._columns)
            self.buttons[value] = choice

    @property
    def selected(self) -> list:
        return [value for value in self.values if self.buttons[value].isChecked()]

    @property
    def value(self):
        """The one chosen value (exclusive groups), or None."""
        chosen = self.selected
        return chosen[0] if chosen else None

    def set_selected(self, values) -> None:
        wanted = set(values or ())
        for value, choice in self.buttons.items():
            choice.setChecked(value in wanted)
        self.selection_did_change.emit()

    def choose(self, value) -> None:
        """Tap ``value`` (as a finger would)."""
        self.buttons[value].click()

    def refresh(self, language: str) -> None:
        for value, choice in self.buttons.items():
            choice.setText(self._label_for(value, language))
        self._weigh_columns()

    def changeEvent(self, event) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._weigh_columns()

    def _weigh_columns(self) -> None:
        """With ``weighted``, stretch each column by the width of its text on one line."""
        if not self._weighted:
            return
        for index, choice in enumerate(self.buttons.values()):
            if index >= self._columns:
                break
            advance = choice.fontMetrics().horizontalAdvance(choice.full_text)
            self._grid.setColumnStretch(index, max(1, advance + _SIDE_PADDING))

    def _on_clicked(self, value, checked: bool) -> None:
        if self._exclusive and checked:
            for other, choice in self.buttons.items():
                if other != value:
                    choice.setChecked(False)
        self.selection_did_change.emit()
