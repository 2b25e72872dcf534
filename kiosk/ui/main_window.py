"""The kiosk window: which screen shows, idle timeout, kiosk lock and the admin gate.

Screens only say what the resident did (signals); this class decides what happens next. All
connections are made in ``_connect`` so the flow can be read in one place.
"""

from datetime import datetime, timezone
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMainWindow, QStackedWidget

from kiosk import accounts, paths
from kiosk.config import Config
from kiosk.lessons.library import Library
from kiosk.locale import ui_text
from kiosk.ui.admin_screen import AdminScreen
from kiosk.ui.database_worker import DatabaseWorker
from kiosk.ui.finish_screen import FinishScreen, ThanksScreen
from kiosk.ui.help_dialog import HelpCalledDialog
from kiosk.ui.home_screen import HomeScreen, LessonChoiceScreen
from kiosk.ui.illustrations import IllustrationStore
from kiosk.ui.intro_screen import IntroScreen
from kiosk.ui.pin_pad import AdminGateScreen, FirstRunScreen
from kiosk.ui.resident_session import ResidentSession
from kiosk.ui.step_screen import StepScreen
from kiosk.ui.theme import style_sheet
from kiosk.ui.welcome_screen import WelcomeScreen

THANKS_SECONDS = 8
_ACTIVITY = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress,
             QEvent.Type.Wheel}


class MainWindow(QMainWindow):
    first_paint_did_happen = Signal()
    idle_did_reset = Signal()
    admin_did_unlock = Signal()

    def __init__(self, *, data_dir: Path, config: Config, library: Library,
                 worker: DatabaseWorker, locked: bool = False, mode: str = "resident"):
        super().__init__()
        self.data_dir = data_dir
        self.config, self.library, self.worker = config, library, worker
        self.locked = locked
        self._may_close = not locked
        self._painted = False
        self.session = ResidentSession(config, worker, self)
        self.illustrations = IllustrationStore(library, paths.cache_dir(data_dir), self)
        self.stack = QStackedWidget(self)
        self.welcome = WelcomeScreen(self.stack)
        self.home = HomeScreen(library, self.stack)
        self.choice = LessonChoiceScreen(library, self.stack)
        self.intro = IntroScreen(self.stack)
        self.step = StepScreen(self.illustrations, self.stack)
        self.finish = FinishScreen(self.stack)
        self.thanks = ThanksScreen(self.stack)
        self.gate = AdminGateScreen(self.stack)
        self.first_run = FirstRunScreen(self.stack)
        self.admin = AdminScreen(library.problems, self.stack)
        for screen in (self.welcome, self.home, self.choice, self.intro, self.step, self.finish,
                       self.thanks, self.gate, self.first_run, self.admin):
            self.stack.addWidget(screen)
        self.setCentralWidget(self.stack)
        self.help_dialog = HelpCalledDialog(self)
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.setInterval(config.idle_timeout_s * 1000)
        self.thanks_timer = QTimer(self)
        self.thanks_timer.setSingleShot(True)
        self.thanks_timer.setInterval(THANKS_SECONDS * 1000)
        self.setWindowTitle(ui_text("app.name", config.language))
        self._connect()
        if library.problems:
            self.welcome.set_admin_notice(
                ui_text("welcome.lesson_problems", config.language, n=len(library.problems)))
        self._show(self.gate if mode == "admin" else self.welcome)
        self.worker.submit(accounts.has_admin, on_done=self._on_has_admin)

    def _connect(self) -> None:
        s = self.session
        s.language_did_change.connect(self._on_language_did_change)
        s.appearance_did_change.connect(self._apply_style)
        s.help_did_record.connect(lambda _: self.help_dialog.show_for(s.language))
        self.welcome.start_was_tapped.connect(lambda: self._show(self.home))
        self.welcome.language_was_tapped.connect(s.toggle_language)
        self.welcome.text_size_was_tapped.connect(s.cycle_text_size)
        self.welcome.contrast_was_tapped.connect(s.toggle_contrast)
        self.welcome.admin_was_tapped.connect(lambda: self._show(self.gate))
        for screen in (self.home, self.choice, self.intro, self.step, self.finish):
            screen.bar.home_was_tapped.connect(self.go_home)
            screen.bar.language_was_tapped.connect(s.toggle_language)
            screen.bar.text_size_was_tapped.connect(s.cycle_text_size)
            screen.bar.help_was_tapped.connect(s.request_help)
        self.home.app_was_chosen.connect(self.choose_app)
        self.choice.lesson_was_chosen.connect(self.open_lesson)
        self.intro.start_was_tapped.connect(self.start_lesson)
        self.step.next_was_tapped.connect(self.next_step)
        self.step.back_was_tapped.connect(self.previous_step)
        self.finish.rating_was_chosen.connect(self.rate)
        self.thanks.home.clicked.connect(self.go_home)
        self.thanks_timer.timeout.connect(self.go_home)
        self.gate.pin_was_entered.connect(self._check_admin_pin)
        self.gate.cancel_was_tapped.connect(self.go_welcome)
        self.first_run.pin_was_chosen.connect(self._create_admin)
        self.admin.back_was_tapped.connect(self.go_welcome)
        self.admin.exit_was_tapped.connect(self.unlock_and_close)
        self.idle_timer.timeout.connect(self.on_idle)
        QApplication.instance().installEventFilter(self)

    # navigation -------------------------------------------------------------------------------
    def current(self):
        return self.stack.currentWidget()

    def _show(self, screen) -> None:
        self.thanks_timer.stop()
        if screen is self.gate:
            self.gate.start(self.session.language)
        else:
            screen.refresh(self.session.language)
        self.stack.setCurrentWidget(screen)
        focus = getattr(screen, "default_focus", None)
        if focus is not None:
            focus.setFocus()
        if screen is self.thanks:
            self.thanks_timer.start()
        self._restart_idle()

    def go_welcome(self) -> None:
        self.session.reset()
        self._show(self.welcome)

    def go_home(self) -> None:
        self.session.end_lesson()
        self._show(self.home)

    def choose_app(self, app_id: str) -> None:
        lessons = self.library.lessons_for(app_id)
        if len(lessons) == 1:
            self.open_lesson(lessons[0].id)
        else:
            self.choice.show_app(app_id, self.session.language)
            self._show(self.choice)

    def open_lesson(self, lesson_id: str) -> None:
        lesson = self.library.lesson(lesson_id)
        self.intro.show_lesson(lesson, self.session.language)
        self.illustrations.prefetch(lesson, self.session.language)
        self._show(self.intro)

    def start_lesson(self) -> None:
        self.session.start_lesson(self.intro.lesson)
        self._show_step(0)

    def next_step(self) -> None:
        s = self.session
        if s.step + 1 < len(s.lesson.steps):
            self._show_step(s.step + 1)
        else:
            lesson = s.lesson
            s.complete_lesson()
            self.finish.show_lesson(lesson, s.language)
            self._show(self.finish)

    def previous_step(self) -> None:
        if self.session.step == 0:
            self.intro.show_lesson(self.session.lesson, self.session.language)
            self._show(self.intro)
        else:
            self._show_step(self.session.step - 1)

    def _show_step(self, index: int) -> None:
        self.session.go_to_step(index)
        self.step.show_step(self.session.lesson, self.session.step, self.session.language)
        self._show(self.step)

    def rate(self, rating: str) -> None:
        self.session.rate(rating)
        self.session.end_lesson()
        self._show(self.thanks)

    # language, look, idle ----------------------------------------------------------------------
    def _on_language_did_change(self) -> None:
        if self.session.lesson:
            self.illustrations.prefetch(self.session.lesson, self.session.language)
        self.current().refresh(self.session.language)

    def _apply_style(self) -> None:
        QApplication.instance().setStyleSheet(
            style_sheet(self.session.text_size, self.session.high_contrast))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY:
            self._restart_idle()
        return False

    def _restart_idle(self) -> None:
        self.idle_timer.start()

    def on_idle(self) -> None:
        """Nobody touched the kiosk for the idle timeout: forget everything, back to welcome."""
        if self.current() is self.first_run:
            return
        self.help_dialog.reject()
        self.go_welcome()
        self.idle_did_reset.emit()

    # admin ------------------------------------------------------------------------------------
    def _on_has_admin(self, has_admin: bool) -> None:
        if not has_admin:
            self._show(self.first_run)

    def _create_admin(self, pin: str) -> None:
        name = ui_text("admin.button", "vi")
        self.worker.submit(lambda db: accounts.create_account(db, name=name, role="admin",
                                                              pin=pin),
                           on_done=lambda _: self.go_welcome(), changes=True)

    def _check_admin_pin(self, pin: str) -> None:
        data_dir = self.data_dir

        def check(db):
            from kiosk.status import kiosk_status

            try:
                accounts.check_admin_pin(db, pin)
            except accounts.PinRefused as refused:
                return refused.locked_until
            return kiosk_status(db, data_dir, paths.db_path(data_dir))

        self.worker.submit(check, on_done=self._on_admin_pin_checked)

    def _on_admin_pin_checked(self, outcome) -> None:
        if isinstance(outcome, dict):
            self.admin.set_status(outcome)
            self._show(self.admin)
            self.admin_did_unlock.emit()
        elif outcome is None:
            self.gate.show_refusal(ui_text("gate.wrong", self.session.language))
        else:
            minutes = max(1, round((outcome - datetime.now(timezone.utc)).total_seconds() / 60))
            self.gate.show_refusal(ui_text("gate.locked", self.session.language,
                                           minutes=minutes))

    def unlock_and_close(self) -> None:
        self._may_close = True
        self.close()

    # window -----------------------------------------------------------------------------------
    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self.first_paint_did_happen.emit)

    def closeEvent(self, event) -> None:
        """A locked kiosk closes only through the admin screen."""
        if not self._may_close:
            event.ignore()
            return
        QApplication.instance().removeEventFilter(self)
        self.illustrations.shutdown()
        self.session.end_lesson()
        event.accept()
