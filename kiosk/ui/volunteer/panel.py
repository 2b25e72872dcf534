"""The volunteer area as one screen of the kiosk window: sign in → today's list → the form or
the residents waiting. Every read and write goes through the database worker."""

from datetime import datetime, timezone

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QStackedWidget, QWidget

from kiosk.locale import ui_text
from kiosk.ui.database_worker import DatabaseWorker
from kiosk.ui.volunteer.session_form import SessionForm
from kiosk.ui.volunteer.sign_in import SignInScreen
from kiosk.ui.volunteer.today import RequestsScreen, TodayScreen
from kiosk.ui.widgets import Screen, column


def _today_and_requests(db) -> dict:
    """On the worker: today's sessions (newest first) and the open help requests."""
    from kiosk.core import journal, lesson_runs, reports

    return {"sessions": journal.sessions_between(db, *reports.today()),
            "requests": lesson_runs.open_help_requests(db)}


def _save(fields: dict, volunteer_id: str):
    def run(db):
        from kiosk.core import journal

        fields_now = dict(fields)
        session_id = fields_now.pop("session_id", None)
        if session_id:
            return journal.revise_session(db, session_id, **fields_now)
        return journal.record_session(db, volunteer_id=volunteer_id,
                                      ended_at=datetime.now(timezone.utc), **fields_now)
    return run


def _take(request_id: str, volunteer_id: str):
    def run(db):
        from kiosk.core import journal

        return journal.take_help_request(db, request_id, volunteer_id=volunteer_id)
    return run


class VolunteerPanel(Screen):
    back_was_tapped = Signal()  # signed out, back to the welcome screen

    def __init__(self, worker: DatabaseWorker, neighbourhoods, lesson_titles,
                 parent: QWidget | None = None):
        """``neighbourhoods()`` gives the config's current list of neighbourhoods and
        ``lesson_titles()`` {lesson id: title text} for the help requests."""
        super().__init__(parent)
        self._worker = worker
        self._lesson_titles = lesson_titles
        self._language = "vi"
        self.account: dict | None = None
        self.pages = QStackedWidget(self)
        self.sign_in = SignInScreen(worker, self.pages)
        self.today = TodayScreen(self.pages)
        self.form = SessionForm(neighbourhoods, self.pages)
        self.requests = RequestsScreen(self.pages)
        for page in (self.sign_in, self.today, self.form, self.requests):
            self.pages.addWidget(page)
        column(self, margins=0, spacing=0).addWidget(self.pages)

        self.sign_in.did_sign_in.connect(self._on_signed_in)
        self.sign_in.back_was_tapped.connect(self.back_was_tapped)
        self.today.new_was_tapped.connect(lambda: self._open_form(None))
        self.today.edit_was_chosen.connect(self._open_form)
        self.today.requests_was_tapped.connect(lambda: self._go(self.requests))
        self.today.sign_out_was_tapped.connect(self.sign_out)
        self.form.form_was_submitted.connect(self._on_form_submitted)
        self.form.cancel_was_tapped.connect(lambda: self._go(self.today))
        self.requests.take_was_tapped.connect(self._on_take)
        self.requests.back_was_tapped.connect(lambda: self._go(self.today))
        worker.data_did_change.connect(self._on_data_did_change)

    @property
    def default_focus(self):
        return getattr(self.pages.currentWidget(), "default_focus", None)

    def start(self, language: str) -> None:
        """Show the sign-in (or, when signed in, today's list)."""
        self._language = language
        if self.account is None:
            self.pages.setCurrentWidget(self.sign_in)
            self.sign_in.start(language)
        else:
            self._go(self.today)

    def sign_out(self) -> None:
        self.account = None
        self.today.show_notice("")
        self.back_was_tapped.emit()

    def refresh(self, language: str) -> None:
        self._language = language
        self.pages.currentWidget().refresh(language)

    def _go(self, page) -> None:
        self.pages.setCurrentWidget(page)
        page.refresh(self._language)
        if page in (self.today, self.requests):
            self._reload()
        focus = getattr(page, "default_focus", None)
        if focus is not None:
            focus.setFocus()

    def _on_signed_in(self, account: dict) -> None:
        self.account = account
        self.today.show_day(account["name"], [], 0)  # the list itself follows from the worker
        self._go(self.today)

    def _open_form(self, record: dict | None) -> None:
        self.today.show_notice("")  # "Đã lưu." was about the last person, not this one
        self.form.start(self._language, record)
        self._go(self.form)

    def _on_form_submitted(self, fields: dict) -> None:
        self._worker.submit(_save(fields, self.account["id"]), changes=True,
                            on_done=self._on_saved, on_error=self.form.show_error)

    def _on_saved(self, saved: dict) -> None:
        notice = ui_text("journal.saved", self._language)
        kinds = sorted({masked.kind for masked in saved["masked"]})
        if kinds:
            what = ", ".join(ui_text(f"mask.{kind}", self._language) for kind in kinds)
            notice += " " + ui_text("journal.masked", self._language, what=what)
        self.today.show_notice(notice)
        self._go(self.today)

    def _on_take(self, request_id: str) -> None:
        self._worker.submit(_take(request_id, self.account["id"]), changes=True)

    def _reload(self) -> None:
        if self.account is not None:
            self._worker.submit(_today_and_requests, on_done=self._show_day)

    def _show_day(self, day: dict) -> None:
        if self.account is None:
            return
        self.today.show_day(self.account["name"], day["sessions"], len(day["requests"]))
        self.requests.show_requests(day["requests"], self._lesson_titles())

    def _on_data_did_change(self) -> None:
        if self.isVisible() and self.pages.currentWidget() in (self.today, self.requests):
            self._reload()
