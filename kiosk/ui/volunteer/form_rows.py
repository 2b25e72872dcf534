"""The rows of the volunteer form: a heading beside its answer (with room under the heading to
say what is missing), and the results of one service."""

from PySide6.QtWidgets import QHBoxLayout, QWidget

from kiosk.core import journal
from kiosk.locale import ui_text
from kiosk.ui.volunteer.choices import ChoiceGroup
from kiosk.ui.widgets import column, label


def labelled(field: str):
    return lambda value, language: ui_text(journal.label_key(field, value), language)


class FieldRow(QWidget):
    """A heading on the left, with room under it for what is missing; the answer on the right."""

    def __init__(self, body: QWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self.heading = label("", self)
        self.heading.setProperty("field", "heading")
        self.problem = label("", self, "error")
        self.problem.hide()
        self.body = body
        body.setParent(self)
        side = column(margins=0, spacing=4)
        side.addWidget(self.heading)
        side.addWidget(self.problem)
        side.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(16)
        row.addLayout(side)
        row.addWidget(body, 1)

    def set_heading_width(self, width: int) -> None:
        for widget in (self.heading, self.problem):
            widget.setFixedWidth(width)

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))


class ServiceResult(FieldRow):
    """The results of one service: outcome toggles, and the reasons when "not solved"."""

    def __init__(self, service: str, parent: QWidget | None = None):
        body = QWidget()
        super().__init__(body, parent)
        self.service = service
        self.outcomes = ChoiceGroup(journal.OUTCOMES, labelled("outcome"), exclusive=False,
                                    columns=3, parent=body)
        self.reason_heading = label("", body)
        self.reason_heading.setProperty("field", "heading")
        self.reasons = ChoiceGroup(journal.UNSOLVED_REASONS, labelled("unsolved_reason"),
                                   exclusive=True, columns=3, parent=body)
        layout = column(body, margins=0, spacing=10)
        for widget in (self.outcomes, self.reason_heading, self.reasons):
            layout.addWidget(widget)
        self.outcomes.selection_did_change.connect(self._show_reasons)
        self._show_reasons()

    def _show_reasons(self) -> None:
        unsolved = "not_solved" in self.outcomes.selected
        self.reason_heading.setVisible(unsolved)
        self.reasons.setVisible(unsolved)

    def entry(self) -> dict:
        unsolved = "not_solved" in self.outcomes.selected
        return {"service": self.service, "outcomes": self.outcomes.selected,
                "unsolved_reason": self.reasons.value if unsolved else None}

    def load(self, entry: dict) -> None:
        self.outcomes.set_selected(entry["outcomes"])
        self.reasons.set_selected([entry["unsolved_reason"]] if entry["unsolved_reason"] else [])

    def refresh(self, language: str) -> None:
        name = ui_text(journal.label_key("service", self.service), language)
        self.heading.setText(ui_text("form.outcomes", language, service=name))
        self.reason_heading.setText(ui_text("form.reason", language, service=name))
        self.outcomes.refresh(language)
        self.reasons.refresh(language)
