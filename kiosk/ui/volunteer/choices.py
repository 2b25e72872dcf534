"""Rows of big toggle buttons for choosing one or several values with a tap each."""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QWidget

from kiosk.ui.widgets import button


class ChoiceGroup(QWidget):
    """Toggle buttons for ``values``, ``columns`` to a row. With ``exclusive`` one value at most
    is chosen (tapping it again clears it). ``label_for(value, language)`` gives each text."""

    selection_did_change = Signal()

    def __init__(self, values, label_for, *, exclusive: bool, columns: int = 4,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.values = tuple(values)
        self._label_for = label_for
        self._exclusive = exclusive
        self.buttons = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(10)
        for index, value in enumerate(self.values):
            choice = button("", self, "choice")
            choice.setCheckable(True)
            choice.clicked.connect(lambda checked, v=value: self._on_clicked(v, checked))
            grid.addWidget(choice, index // columns, index % columns)
            self.buttons[value] = choice
        for column_index in range(columns):
            grid.setColumnStretch(column_index, 1)

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

    def _on_clicked(self, value, checked: bool) -> None:
        if self._exclusive and checked:
            for other, choice in self.buttons.items():
                if other != value:
                    choice.setChecked(False)
        self.selection_did_change.emit()
