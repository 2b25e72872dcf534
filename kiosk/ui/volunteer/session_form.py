"""Recording one person helped, in a handful of taps: age band, service, result, satisfaction,
"Lưu". Everything else is optional. The same form corrects a record (a new revision)."""

from datetime import datetime, timezone

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QWidget

from kiosk import journal
from kiosk.locale import ui_text
from kiosk.ui.volunteer.choices import ChoiceGroup
from kiosk.ui.widgets import Screen, button, column, label, scroll_area


def labelled(field: str):
    return lambda value, language: ui_text(journal.label_key(field, value), language)


class ServiceResult(QWidget):
    """The results of one service: outcome toggles, and the reasons when "not solved"."""

    def __init__(self, service: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.service = service
        self.heading = label("", self, "heading")
        self.outcomes = ChoiceGroup(journal.OUTCOMES, labelled("outcome"), exclusive=False,
                                    columns=2, parent=self)
        self.reason_heading = label("", self)
        self.reasons = ChoiceGroup(journal.UNSOLVED_REASONS, labelled("unsolved_reason"),
                                   exclusive=True, columns=2, parent=self)
        layout = column(self, margins=0, spacing=10)
        for widget in (self.heading, self.outcomes, self.reason_heading, self.reasons):
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


class SessionForm(Screen):
    """Emits ``form_was_submitted(fields)`` with ``journal.record_session`` keywords (and
    ``session_id`` when correcting); the caller saves on the worker and calls ``show_error``
    if the save is refused."""

    form_was_submitted = Signal(object)
    cancel_was_tapped = Signal()

    def __init__(self, neighbourhoods, parent: QWidget | None = None):
        """``neighbourhoods()`` gives the current list to choose from (the admin may change it)."""
        super().__init__(parent)
        self._language = "vi"
        self.editing: dict | None = None
        self.started_at = datetime.now(timezone.utc)
        self.title = label("", self, "title")
        content = QWidget(self)
        self.age_heading = label("", content, "heading")
        self.age = ChoiceGroup(journal.AGE_BANDS, labelled("age_band"), exclusive=True,
                               columns=5, parent=content)
        self.services_heading = label("", content, "heading")
        self.services = ChoiceGroup(journal.SERVICES, labelled("service"), exclusive=False,
                                    columns=4, parent=content)
        self.results = {s: ServiceResult(s, content) for s in journal.SERVICES}
        self.satisfaction_heading = label("", content, "heading")
        self.satisfaction = ChoiceGroup(journal.SATISFACTION, labelled("satisfaction"),
                                        exclusive=True, columns=3, parent=content)
        self.more_heading = label("", content, "heading")
        self.gender_heading = label("", content)
        self.gender = ChoiceGroup(journal.GENDERS, labelled("gender"), exclusive=True,
                                  columns=3, parent=content)
        self.disability_heading = label("", content)
        self.disability = ChoiceGroup(journal.DISABILITIES, labelled("disability"),
                                      exclusive=True, columns=5, parent=content)
        self.neighbourhood_heading = label("", content)
        self.neighbourhood = QComboBox(content)
        self.neighbourhood.setMinimumHeight(72)
        self._neighbourhoods = neighbourhoods
        self.note_heading = label("", content)
        self.note = QLineEdit(content)
        self.note.setMinimumHeight(72)
        self.note.setMaxLength(journal.NOTE_MAX_CHARS)
        self.error = label("", self, "error")
        self.save = button("", self, "go")
        self.cancel = button("", self)
        self._lay_out(content)

        self.services.selection_did_change.connect(self._show_results)
        self.save.clicked.connect(self.submit)
        self.cancel.clicked.connect(self.cancel_was_tapped)

    def _lay_out(self, content: QWidget) -> None:
        fields = column(content, margins=0, spacing=14)
        for widget in (self.age_heading, self.age, self.services_heading, self.services,
                       *self.results.values(), self.satisfaction_heading, self.satisfaction,
                       self.more_heading, self.gender_heading, self.gender,
                       self.disability_heading, self.disability, self.neighbourhood_heading,
                       self.neighbourhood, self.note_heading, self.note):
            fields.addWidget(widget)
        fields.addStretch(1)
        actions = QHBoxLayout()
        actions.addWidget(self.cancel)
        actions.addWidget(self.error, 1)
        actions.addWidget(self.save)
        self.save.setMinimumWidth(260)
        layout = column(self, margins=20, spacing=12)
        layout.addWidget(self.title)
        layout.addWidget(scroll_area(content, self), 1)
        layout.addLayout(actions)

    @property
    def default_focus(self):
        return self.age.buttons[journal.AGE_BANDS[0]]

    def start(self, language: str, record: dict | None = None) -> None:
        """A blank form (the clock for the duration starts now), or ``record`` to correct."""
        self.editing = record
        self.started_at = datetime.now(timezone.utc)
        self.error.setText("")
        self.age.set_selected([record["age_band"]] if record else [])
        self.services.set_selected([s["service"] for s in record["services"]] if record else [])
        for result in self.results.values():
            result.load({"outcomes": [], "unsolved_reason": None})
        for entry in (record or {}).get("services", []):
            self.results[entry["service"]].load(entry)
        for group, field in ((self.satisfaction, "satisfaction"), (self.gender, "gender"),
                             (self.disability, "disability")):
            value = record.get(field) if record else None
            group.set_selected([value] if value else [])
        self.note.setText((record or {}).get("note") or "")
        self._fill_neighbourhoods((record or {}).get("neighbourhood"))
        self.refresh(language)

    def _fill_neighbourhoods(self, chosen: str | None) -> None:
        self.neighbourhood.clear()
        self.neighbourhood.addItem("", None)
        current = list(self._neighbourhoods())
        names = current + ([chosen] if chosen and chosen not in current else [])
        for name in names:
            self.neighbourhood.addItem(name, name)
        self.neighbourhood.setCurrentIndex(max(0, self.neighbourhood.findData(chosen)))

    def _show_results(self) -> None:
        chosen = set(self.services.selected)
        for service, result in self.results.items():
            result.setVisible(service in chosen)

    def problem(self) -> str | None:
        """What is missing before the form can be saved, in plain words; None if nothing."""
        language = self._language
        if self.age.value is None:
            return ui_text("form.missing_age", language)
        if not self.services.selected:
            return ui_text("form.missing_service", language)
        for service in self.services.selected:
            entry = self.results[service].entry()
            name = ui_text(journal.label_key("service", service), language)
            if not entry["outcomes"]:
                return ui_text("form.missing_outcome", language, service=name)
            if "not_solved" in entry["outcomes"] and entry["unsolved_reason"] is None:
                return ui_text("form.missing_reason", language, service=name)
        return None

    def fields(self) -> dict:
        """The form as ``journal.record_session`` keywords (``session_id`` when correcting)."""
        fields = {
            "age_band": self.age.value,
            "services": [self.results[s].entry() for s in self.services.selected],
            "satisfaction": self.satisfaction.value, "gender": self.gender.value,
            "disability": self.disability.value,
            "neighbourhood": self.neighbourhood.currentData(),
            "note": self.note.text().strip() or None,
        }
        if self.editing:
            fields["session_id"] = self.editing["id"]
        else:
            fields["started_at"] = self.started_at
        return fields

    def submit(self) -> None:
        problem = self.problem()
        if problem:
            self.error.setText(problem)
            return
        self.error.setText("")
        self.form_was_submitted.emit(self.fields())

    def show_error(self, message: str) -> None:
        self.error.setText(message)

    def refresh(self, language: str) -> None:
        self._language = language
        self.title.setText(ui_text("form.edit" if self.editing else "form.new", language))
        for widget, key in ((self.age_heading, "form.age"),
                            (self.services_heading, "form.services"),
                            (self.satisfaction_heading, "form.satisfaction"),
                            (self.more_heading, "form.more"),
                            (self.gender_heading, "form.gender"),
                            (self.disability_heading, "form.disability"),
                            (self.neighbourhood_heading, "form.neighbourhood"),
                            (self.note_heading, "form.note")):
            widget.setText(ui_text(key, language))
        for group in (self.age, self.services, self.satisfaction, self.gender, self.disability):
            group.refresh(language)
        for result in self.results.values():
            result.refresh(language)
        self.neighbourhood.setItemText(0, ui_text("form.neighbourhood_none", language))
        self.save.setText(ui_text("form.save", language))
        self.cancel.setText(ui_text("form.cancel", language))
        self._show_results()
