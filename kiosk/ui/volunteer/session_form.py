"""Recording one person helped on one screen: age band, service, result, satisfaction, "Lưu" —
four taps and "Lưu" for a typical person, with no scrolling at 1366×768. Gender, disability,
neighbourhood and a note open on demand under "Thêm chi tiết". Every choice is a big toggle
button (no combo or spin box a mouse wheel could change by accident). The same form corrects a
record (a new revision)."""

from datetime import datetime, timezone

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QWidget

from kiosk.core import journal
from kiosk.locale import ui_text
from kiosk.ui import keyboard
from kiosk.ui.volunteer.choices import ChoiceGroup
from kiosk.ui.volunteer.form_rows import FieldRow, ServiceResult, labelled
from kiosk.ui.widgets import Screen, button, column, label, scroll_area

HEADING_EM = 8  # the width of the headings' column, in widths of "M" of the body font...
HEADING_MAX_PX = 230  # ...at most this, so the choices keep their room at the largest size
# Choice texts grow with the text size up to CHOICE_MAX_PT only: beyond it the required answers
# and "Lưu" would no longer fit one 1366×768 screen. Headings are bold body text.
CHOICE_MAX_PT = 19
# The services' one row of nine choices is held to SERVICE_MAX_PT: at 19 pt their longest words
# alone are wider than 1366 px in English, and their wrapped lines too tall in Vietnamese.
SERVICE_MAX_PT = 17
FORM_STYLE = ('QLabel[field="heading"] {{ font-weight: bold; }} '
              'QPushButton[role="choice"] {{ font-size: {choice_pt}pt; }} '
              'QWidget#services QPushButton[role="choice"] {{ font-size: {service_pt}pt; }}')


class SessionForm(Screen):
    """Emits ``form_was_submitted(fields)`` with ``journal.record_session`` keywords (and
    ``session_id`` when correcting); the caller saves on the worker and calls ``show_error``
    if the save is refused."""

    form_was_submitted = Signal(object)
    cancel_was_tapped = Signal()

    def __init__(self, neighbourhoods, parent: QWidget | None = None):
        """``neighbourhoods()`` gives the current list to choose from (the admin may change it)."""
        super().__init__(parent)
        self._choice_pt = 0
        self._language = "vi"
        self._neighbourhoods = neighbourhoods
        self.editing: dict | None = None
        self.started_at = datetime.now(timezone.utc)
        self.title = label("", self, "heading")
        self.error = label("", self, "error")  # a save the database refused
        self.more = button("", self)
        self.cancel = button("", self)
        self.save = button("", self, "go")
        content = QWidget(self)
        self.age = ChoiceGroup(journal.AGE_BANDS, labelled("age_band"), exclusive=True,
                               columns=5)
        self.services = ChoiceGroup(journal.SERVICES, labelled("service"), exclusive=False,
                                    columns=len(journal.SERVICES), weighted=True, spacing=6)
        self.services.setObjectName("services")
        self.results = {s: ServiceResult(s, content) for s in journal.SERVICES}
        self.satisfaction = ChoiceGroup(journal.SATISFACTION, labelled("satisfaction"),
                                        exclusive=True, columns=3)
        self.details = QWidget(content)
        self.gender = ChoiceGroup(journal.GENDERS, labelled("gender"), exclusive=True, columns=3)
        self.disability = ChoiceGroup(journal.DISABILITIES, labelled("disability"),
                                      exclusive=True, columns=5)
        self.neighbourhood = ChoiceGroup((), lambda value, _language: value, exclusive=True,
                                         columns=4)
        self.note = QLineEdit()
        self.note.setMinimumHeight(72)
        self.note.setMaxLength(journal.NOTE_MAX_CHARS)
        keyboard.attach(self.note)
        self.rows = {"age": FieldRow(self.age, content),
                     "services": FieldRow(self.services, content),
                     "satisfaction": FieldRow(self.satisfaction, content),
                     "gender": FieldRow(self.gender, self.details),
                     "disability": FieldRow(self.disability, self.details),
                     "neighbourhood": FieldRow(self.neighbourhood, self.details),
                     "note": FieldRow(self.note, self.details)}
        self.area = scroll_area(content, self)
        self._revealing = False  # the details were just opened: keep them in view
        self._lay_out(content)

        self.area.verticalScrollBar().rangeChanged.connect(self._reveal_details)
        self.services.selection_did_change.connect(self._show_results)
        self.more.clicked.connect(lambda: self.show_details(self.details.isHidden()))
        self.save.clicked.connect(self.submit)
        self.cancel.clicked.connect(self.cancel_was_tapped)
        for group in (self.age, self.services, self.satisfaction,
                      *(result.outcomes for result in self.results.values()),
                      *(result.reasons for result in self.results.values())):
            group.selection_did_change.connect(self._clear_problems)

    def _lay_out(self, content: QWidget) -> None:
        details = column(self.details, margins=0, spacing=12)
        for name in ("gender", "disability", "neighbourhood", "note"):
            details.addWidget(self.rows[name])
        fields = column(content, margins=0, spacing=6)
        fields.setContentsMargins(0, 0, 16, 0)  # clear of the scroll bar
        for widget in (self.rows["age"], self.rows["services"], *self.results.values(),
                       self.rows["satisfaction"], self.details):
            fields.addWidget(widget)
        fields.addStretch(1)
        top = QHBoxLayout()
        top.setSpacing(12)
        top.addWidget(self.title, 1)
        top.addWidget(self.error, 1)
        self.error.hide()
        for widget in (self.more, self.cancel, self.save):
            top.addWidget(widget)
        self.save.setMinimumWidth(220)
        layout = column(self, margins=16, spacing=12)
        layout.addLayout(top)
        layout.addWidget(self.area, 1)
        self.details.hide()

    @property
    def default_focus(self):
        return self.age.buttons[journal.AGE_BANDS[0]]

    def _all_rows(self) -> list[FieldRow]:
        return [*self.rows.values(), *self.results.values()]

    def start(self, language: str, record: dict | None = None) -> None:
        """A blank form at the top, details folded (the clock for the duration starts now), or
        ``record`` to correct (its details open if it has any)."""
        self.editing = record
        self.started_at = datetime.now(timezone.utc)
        self.show_error("")
        self._clear_problems()
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
        chosen = (record or {}).get("neighbourhood")
        current = list(self._neighbourhoods())
        self.neighbourhood.set_values(current + ([chosen] if chosen and chosen not in current
                                                 else []))
        self.neighbourhood.set_selected([chosen] if chosen else [])
        self.rows["neighbourhood"].setVisible(bool(self.neighbourhood.values))
        self.refresh(language)
        self.show_details(any((record or {}).get(field) for field in
                              ("gender", "disability", "neighbourhood", "note")))
        self.area.verticalScrollBar().setValue(0)

    def show_details(self, shown: bool) -> None:
        """Open (and scroll all of them into view, once they are laid out) or fold the
        optional details."""
        self.details.setVisible(shown)
        self.more.setText(ui_text("form.less" if shown else "form.more", self._language))
        self._revealing = shown
        if shown:
            self._reveal_details()

    def _reveal_details(self, *range_changed) -> None:
        """Scroll the opened details into view; once more when the scroll bar has grown to
        hold them (``range_changed``), then leave the scrolling to the volunteer."""
        if self._revealing and not self.details.isHidden():
            self.area.ensureWidgetVisible(self.details, 0, 0)
        if range_changed:
            self._revealing = False

    def _show_results(self) -> None:
        chosen = set(self.services.selected)
        for service, result in self.results.items():
            result.setVisible(service in chosen)

    def problem(self) -> tuple[str, str] | None:
        """What is missing before the form can be saved: (row name, plain words), or None.
        Row names are those of ``rows``, or a service for its results."""
        language = self._language
        if self.age.value is None:
            return "age", ui_text("form.missing_age", language)
        if not self.services.selected:
            return "services", ui_text("form.missing_service", language)
        for service in self.services.selected:
            entry = self.results[service].entry()
            name = ui_text(journal.label_key("service", service), language)
            if not entry["outcomes"]:
                return service, ui_text("form.missing_outcome", language, service=name)
            if "not_solved" in entry["outcomes"] and entry["unsolved_reason"] is None:
                return service, ui_text("form.missing_reason", language, service=name)
        return None

    def row(self, name: str) -> FieldRow:
        return self.rows.get(name) or self.results[name]

    def fields(self) -> dict:
        """The form as ``journal.record_session`` keywords (``session_id`` when correcting)."""
        fields = {
            "age_band": self.age.value,
            "services": [self.results[s].entry() for s in self.services.selected],
            "satisfaction": self.satisfaction.value, "gender": self.gender.value,
            "disability": self.disability.value,
            "neighbourhood": self.neighbourhood.value,
            "note": self.note.text().strip() or None,
        }
        if self.editing:
            fields["session_id"] = self.editing["id"]
        else:
            fields["started_at"] = self.started_at
        return fields

    def submit(self) -> None:
        """Save if nothing is missing; otherwise say what is missing beside its row and
        scroll that row into view."""
        found = self.problem()
        self._clear_problems()
        if found:
            name, text = found
            row = self.row(name)
            row.show_problem(text)
            self.area.ensureWidgetVisible(row, 0, 0)
            return
        self.show_error("")
        self.form_was_submitted.emit(self.fields())

    def _clear_problems(self) -> None:
        for row in self._all_rows():
            row.show_problem("")

    def show_error(self, message: str) -> None:
        """Say why the save was refused (beside "Lưu"); an empty message hides it."""
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._size_headings()

    def _size_headings(self) -> None:
        """Fit the headings' column and the choices' text to the text size in use."""
        body_pt = self.font().pointSize()
        choice_pt = min(CHOICE_MAX_PT, max(18, round(body_pt * 0.8)))
        if choice_pt != self._choice_pt:
            self._choice_pt = choice_pt
            self.setStyleSheet(FORM_STYLE.format(choice_pt=choice_pt,
                                                 service_pt=min(SERVICE_MAX_PT, choice_pt)))
        width = min(HEADING_MAX_PX, self.fontMetrics().horizontalAdvance("M") * HEADING_EM)
        for row in self._all_rows():
            row.set_heading_width(width)

    def refresh(self, language: str) -> None:
        self._language = language
        self.title.setText(ui_text("form.edit" if self.editing else "form.new", language))
        for name, key in (("age", "form.age"), ("services", "form.services"),
                          ("satisfaction", "form.satisfaction"), ("gender", "form.gender"),
                          ("disability", "form.disability"),
                          ("neighbourhood", "form.neighbourhood"), ("note", "form.note")):
            self.rows[name].heading.setText(ui_text(key, language))
        for group in (self.age, self.services, self.satisfaction, self.gender, self.disability,
                      self.neighbourhood):
            group.refresh(language)
        for result in self.results.values():
            result.refresh(language)
        self.more.setText(ui_text("form.less" if not self.details.isHidden() else "form.more",
                                  language))
        self.save.setText(ui_text("form.save", language))
        self.cancel.setText(ui_text("form.cancel", language))
        self._show_results()
        self._size_headings()
