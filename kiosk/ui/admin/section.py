"""What every part of the admin panel shares: the ``Section`` base, a row of big exclusive
choice buttons, a two-column table of labelled numbers, and number formatting.

Nothing here touches the database or the disk; sections read and write through the database
worker they are given.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QPushButton, QWidget

from kiosk.ui.widgets import button, label, set_role  # noqa: F401 (set_role: re-exported)

SELECTED_ROLE = "primary"  # a chosen option is filled (as the chosen section is); actions are "go"


class Section(QWidget):
    """One part of the admin panel, shown on the panel's right.

    ``refresh(language)`` redraws the texts only; ``reload()`` asks the database worker (never the
    UI thread) for fresh data and redraws when it comes back. The panel calls both whenever the
    section comes on screen.
    """

    title_key = ""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.language = "vi"

    def refresh(self, language: str) -> None:
        self.language = language

    def reload(self) -> None:
        """Fetch this section's data on the worker; the default has none to fetch."""

    @property
    def default_focus(self) -> QWidget | None:
        return None




class ChoiceButtons(QWidget):
    """Big buttons of which exactly one (or none yet) is chosen; the chosen one is filled.

    ``set_choices`` gives the values and their texts (buttons are made again only when the
    values change); ``value_was_chosen`` fires when the user taps one.
    """

    value_was_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, columns: int | None = None):
        """``columns``: buttons per row (``None``: all on one row, 1: one under another)."""
        super().__init__(parent)
        self.value: str | None = None
        self.buttons: dict[str, QPushButton] = {}
        self._columns = columns
        self._layout = QGridLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(12)

    def set_choices(self, choices: Sequence[tuple[str, str]]) -> None:
        """``choices`` is ``[(value, text), ...]`` in the order to show them."""
        if [value for value, _ in choices] != list(self.buttons):
            self._rebuild([value for value, _ in choices])
        for value, text in choices:
            self.buttons[value].setText(text)

    def _rebuild(self, values: list[str]) -> None:
        for old in self.buttons.values():
            old.deleteLater()
        self.buttons = {value: button("", self) for value in values}
        per_row = self._columns or max(1, len(values))
        for index, (value, widget) in enumerate(self.buttons.items()):
            self._layout.addWidget(widget, index // per_row, index % per_row)
            widget.clicked.connect(lambda _=False, v=value: self._on_tapped(v))
        self.select(self.value if self.value in self.buttons else None)

    def _on_tapped(self, value: str) -> None:
        self.select(value)
        self.value_was_chosen.emit(value)

    def select(self, value: str | None) -> None:
        """Show ``value`` as chosen (``None``: nothing chosen); does not emit."""
        self.value = value if value in self.buttons else None
        for key, widget in self.buttons.items():
            set_role(widget, SELECTED_ROLE if key == self.value else None)


class CountTable(QWidget):
    """Rows of "label ........ number", in the order given; rows are kept by key."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._rows: dict[str, tuple] = {}
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(24)
        self._grid.setVerticalSpacing(6)
        self._grid.setColumnStretch(0, 1)

    def set_rows(self, rows: Sequence[tuple[str, str, str]]) -> None:
        """``rows`` is ``[(key, text, number_text), ...]``; rows not named are hidden."""
        for key, (name, number) in self._rows.items():
            name.setVisible(False)
            number.setVisible(False)
        for key, text, value in rows:
            if key not in self._rows:
                row = len(self._rows)
                name, number = label("", self), label("", self, wrap=False)
                number.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self._grid.addWidget(name, row, 0)
                self._grid.addWidget(number, row, 1)
                self._rows[key] = (name, number)
            name, number = self._rows[key]
            name.setText(text)
            number.setText(value)
            name.setVisible(True)
            number.setVisible(True)

    def text_of(self, key: str) -> str:
        """The number shown on row ``key`` (for tests and screen readers)."""
        return self._rows[key][1].text()


def format_number(value: int | float, language: str, decimals: int = 0) -> str:
    """``1234.5`` as "1.234,5" in Vietnamese and "1,234.5" in English."""
    text = f"{value:,.{decimals}f}"
    if language == "vi":
        text = text.translate(str.maketrans({",": ".", ".": ","}))
    return text


def format_bytes(count: int, language: str) -> str:
    """A disk size in plain words: "3,2 GB", "850 MB"."""
    for unit, size in (("TB", 1 << 40), ("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if count >= size:
            value = count / size
            return f"{format_number(value, language, 1 if value < 100 else 0)} {unit}"
    return f"{count} B"


def format_percent(rate: float | None, language: str) -> str:
    """A 0–1 rate as "80%", "–" when there is none."""
    if rate is None:
        return "–"
    return f"{format_number(rate * 100, language)}%"
