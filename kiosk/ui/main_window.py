"""The kiosk window: which screen shows, idle timeout, kiosk lock and the admin gate.

Screens only say what the resident did (signals); this class decides what happens next. All
connections are made in ``_connect`` so the flow can be read in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMainWindow, QStackedWidget

from kiosk.core import paths
from kiosk.core.config import Config
from kiosk.locale import ui_text
from kiosk.ui.tasks import TaskManager
from kiosk.ui.resident_session import ResidentSession
from kiosk.ui.theme import style_sheet
from kiosk.ui.welcome_screen import WelcomeScreen

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the lesson modules load after the first paint
    from kiosk.lessons.library import Library
    from kiosk.lessons.model import Lesson

THANKS_SECONDS = 8
RECLAIM_FOCUS_MS = 300  # after losing the focus while locked
_ACTIVITY: set = set()  # filled on first use: QEvent's enums are slow to create at start-up


def _activity_types() -> set:
    if not _ACTIVITY:
        from PySide6.QtCore import QEvent

        _ACTIVITY.update({QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin,
                          QEvent.Type.KeyPress, QEvent.Type.Wheel})
    return _ACTIVITY


def _has_admin(db) -> bool:
    from kiosk.core import accounts  # imported on the worker, after the first paint

    return accounts.has_admin(db)


def _lazy_screen(name: str) -> property:
    """A screen attribute that builds (and wires) the screen the first time it is used.

    Only the welcome screen is built at start-up, which keeps the kiosk's cold start quick.
    """
    return property(lambda self: self._screen(name))


class MainWindow(QMainWindow):
    first_paint_did_happen = Signal()
    idle_did_reset = Signal()
    admin_did_unlock = Signal()

    def __init__(self, *, data_dir: Path, config: Config, load_library: Callable[[], Library],
                 tasks: TaskManager, locked: bool = False, mode: str = "resident"):
        super().__init__()
        self.data_dir = data_dir
        self.config, self.tasks, self.worker = config, tasks, tasks.database
        self._load_library, self._library = load_library, None
        self.locked = locked
        self._may_close = not locked
        self._painted = False
        self.session = ResidentSession(config, self.worker, self)
        self._illustrations = None
        self._narrator = False  # not yet looked for
        self._sync_service = None
        self.handout_dialog = None
        self._still_there = None
        self.still_there_seconds: int | None = None  # None: the dialog's own default
        self.stack = QStackedWidget(self)
        self._screens: dict = {}
        self.welcome = WelcomeScreen(self.stack)
        self.welcome.help_point = config.help_point
        self.stack.addWidget(self.welcome)
        self.setCentralWidget(self.stack)
        self._help_dialog = None
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.setInterval(config.idle_timeout_s * 1000)
        self.thanks_timer = QTimer(self)
        self.thanks_timer.setSingleShot(True)
        self.thanks_timer.setInterval(THANKS_SECONDS * 1000)
        self.setWindowTitle(ui_text("app.name", config.language))
        self._connect()
        self.mode = mode
        # Screens other than the welcome are built only if asked for.
        self._show({"admin": lambda: self.gate, "volunteer": lambda: self.volunteer}.get(
            mode, lambda: self.welcome)())
        # The first database work (which imports and migrates) waits until the welcome screen
        # is on screen, so it does not compete with the start for the interpreter.
        self.first_paint_did_happen.connect(
            lambda: self.worker.submit(_has_admin, on_done=self._on_has_admin))

    @property
    def library(self) -> Library:
        """The installed lessons, read on first use (just after the first paint)."""
        if self._library is None:
            self._library = self._load_library()
            if self._library.problems:
                self.welcome.set_admin_notice(ui_text(
                    "welcome.lesson_problems", self.config.language,
                    n=len(self._library.problems)))
        return self._library

    @property
    def illustrations(self):
        """Step pictures, drawn off the UI thread; made when a lesson is first opened."""
        if self._illustrations is None:
            from kiosk.ui.illustrations import IllustrationStore

            self._illustrations = IllustrationStore(lambda: self.library,
                                                    paths.cache_dir(self.data_dir), self.tasks,
                                                    self)
        return self._illustrations

    @property
    def sync_service(self):
        """Keeps the ward hub up to date in the background (once this kiosk is enrolled)."""
        if self._sync_service is None:
            from kiosk.ui.sync_service import SyncService

            self._sync_service = SyncService(self.tasks, self.data_dir, self)
            self._sync_service.state_did_change.connect(self._show_sync_state)
        return self._sync_service

    def _show_sync_state(self) -> None:
        unsent = self._sync_service.state.get("unsent", 0)
        self.welcome.set_sync_note(ui_text("welcome.sync", self.config.language, n=unsent)
                                   if unsent else "")

    @property
    def narrator(self):
        """Reads steps aloud; None where no speech engine is installed. Made on first use."""
        if self._narrator is False:
            from kiosk.lessons.narration import narration_dir
            from kiosk.ui.narrator import Narrator

            self._narrator = (Narrator(narration_dir(self.data_dir), self.tasks, self)
                              if Narrator.available() else None)
        return self._narrator

    home = _lazy_screen("home")
    choice = _lazy_screen("choice")
    intro = _lazy_screen("intro")
    step = _lazy_screen("step")
    finish = _lazy_screen("finish")
    thanks = _lazy_screen("thanks")
    gate = _lazy_screen("gate")
    first_run = _lazy_screen("first_run")
    admin = _lazy_screen("admin")
    volunteer = _lazy_screen("volunteer")

    def _connect(self) -> None:
        """Wiring that exists from the start; each screen's own is in ``_wire``."""
        s = self.session
        s.language_did_change.connect(self._on_language_did_change)
        s.appearance_did_change.connect(self._apply_style)
        s.help_did_record.connect(lambda _: self.help_dialog.show_for(s.language))
        self.welcome.start_was_tapped.connect(lambda: self._show(self.home))
        self.welcome.language_was_tapped.connect(s.toggle_language)
        self.welcome.text_size_was_tapped.connect(s.cycle_text_size)
        self.welcome.contrast_was_tapped.connect(s.toggle_contrast)
        self.welcome.admin_was_tapped.connect(lambda: self._show(self.gate))
        self.welcome.volunteer_was_tapped.connect(lambda: self._show(self.volunteer))
        self.thanks_timer.timeout.connect(self.go_welcome)
        self.idle_timer.timeout.connect(self.on_idle)
        # Watching every event for activity, and reading the lessons, wait until the first
        # screen is up: both would otherwise slow the kiosk's start.
        self.first_paint_did_happen.connect(
            lambda: QApplication.instance().installEventFilter(self))
        self.first_paint_did_happen.connect(lambda: QTimer.singleShot(0, lambda: self.library))
        self.first_paint_did_happen.connect(
            lambda: QTimer.singleShot(0, lambda: self.sync_service.start()))

    def _screen(self, name: str):
        screen = self._screens.get(name)
        if screen is None:
            screen = self._build(name)
            self.stack.addWidget(screen)
            self._wire(name, screen)
            self._screens[name] = screen
        return screen

    def _build(self, name: str):
        from kiosk.ui import admin, finish_screen, home_screen, intro_screen, pin_pad
        from kiosk.ui import step_screen
        from kiosk.ui.volunteer.panel import VolunteerPanel

        library, stack = self.library, self.stack
        return {
            "home": lambda: home_screen.HomeScreen(library, stack),
            "choice": lambda: home_screen.LessonChoiceScreen(library, stack),
            "intro": lambda: intro_screen.IntroScreen(stack),
            "step": lambda: step_screen.StepScreen(self.illustrations, self.narrator, stack),
            "finish": lambda: finish_screen.FinishScreen(stack),
            "thanks": lambda: finish_screen.ThanksScreen(stack),
            "gate": lambda: pin_pad.AdminGateScreen(stack),
            "first_run": lambda: pin_pad.FirstRunScreen(stack),
            "volunteer": lambda: VolunteerPanel(
                self.worker, lambda: self.config.neighbourhoods,
                lambda: {lesson.id: lesson.title for lesson in self.library.lessons}, stack),
            "admin": lambda: admin.build_panel(library.problems, stack, tasks=self.tasks,
                                               data_dir=self.data_dir, config=self.config,
                                               sync=self.sync_service),
        }[name]()

    def _wire(self, name: str, screen) -> None:
        """Every screen's signals, connected once, when the screen is first built."""
        s = self.session
        if hasattr(screen, "bar"):
            screen.bar.home_was_tapped.connect(self.go_home)
            screen.bar.language_was_tapped.connect(s.toggle_language)
            screen.bar.text_size_was_tapped.connect(s.cycle_text_size)
            screen.bar.contrast_was_tapped.connect(s.toggle_contrast)
            screen.bar.help_was_tapped.connect(s.request_help)
        match name:
            case "home":
                screen.app_was_chosen.connect(self.choose_app)
            case "choice":
                screen.lesson_was_chosen.connect(self.open_lesson)
            case "intro":
                screen.start_was_tapped.connect(self.start_lesson)
            case "step":
                screen.next_was_tapped.connect(self.next_step)
                screen.back_was_tapped.connect(self.previous_step)
                screen.practice_did_finish.connect(s.record_practice)
            case "finish":
                screen.rating_was_chosen.connect(self.rate)
                screen.handout_was_tapped.connect(self.offer_handout)
            case "thanks":  # the resident is done: the next one starts afresh
                screen.home.clicked.connect(self.go_welcome)
            case "gate":
                screen.pin_was_entered.connect(self._check_admin_pin)
                screen.cancel_was_tapped.connect(self.go_welcome)
            case "volunteer":
                screen.back_was_tapped.connect(self._leave_volunteer)
            case "first_run":
                screen.pin_was_chosen.connect(self._create_admin)
            case "admin":
                screen.back_was_tapped.connect(self.go_welcome)
                screen.exit_was_tapped.connect(self.unlock_and_close)
                screen.config_did_change.connect(self.apply_config)

    @property
    def help_dialog(self):
        if self._help_dialog is None:
            from kiosk.ui.help_dialog import HelpCalledDialog

            self._help_dialog = HelpCalledDialog(self)
        return self._help_dialog

    # navigation -------------------------------------------------------------------------------
    def current(self):
        return self.stack.currentWidget()

    def _show(self, screen) -> None:
        from kiosk.ui.widgets import set_cue_language

        set_cue_language(self.session.language)
        self.thanks_timer.stop()
        if self._narrator and screen is not self._screens.get("step"):
            self._narrator.stop()  # reading aloud belongs to the step on screen
        if screen is self._screens.get("gate") or screen is self._screens.get("volunteer"):
            screen.start(self.session.language)
        else:
            screen.refresh(self.session.language)
        self.stack.setCurrentWidget(screen)
        focus = getattr(screen, "default_focus", None)
        if focus is not None:
            focus.setFocus()
        if screen is self._screens.get("thanks"):
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

    def offer_handout(self) -> None:
        """"In / Lưu hướng dẫn": print the guide of the lesson just finished, or save it."""
        from kiosk.ui.handout_dialog import HandoutDialog

        lesson = self.finish.lesson
        if lesson is not None:
            self.handout_dialog = HandoutDialog.ask(self, lesson, self.library,
                                                    self.session.language, self.tasks)
            self.handout_dialog.help_was_tapped.connect(self.session.request_help)

    def rate(self, rating: str) -> None:
        self.session.rate(rating)
        self.session.end_lesson()
        self._show(self.thanks)

    # language, look, idle ----------------------------------------------------------------------
    def _on_language_did_change(self) -> None:
        from kiosk.ui.widgets import set_cue_language

        set_cue_language(self.session.language)
        if self.session.lesson:
            self.illustrations.prefetch(self.session.lesson, self.session.language)
        self.current().refresh(self.session.language)

    def _apply_style(self) -> None:
        QApplication.instance().setStyleSheet(
            style_sheet(self.session.text_size, self.session.high_contrast))
        from PySide6.QtWidgets import QWidget

        for widget in self.findChildren(QWidget):  # size hints depend on the new font sizes
            widget.updateGeometry()
        self.current().refresh(self.session.language)

    def eventFilter(self, watched: QObject, event) -> bool:
        if event.type() in _activity_types():
            self._restart_idle()
            if self._still_there is not None and self._still_there.isVisible():
                self._still_there.accept()  # any touch means "still here"
        return False

    def _restart_idle(self) -> None:
        self.idle_timer.start()

    def on_idle(self) -> None:
        """Nobody touched the kiosk for the idle timeout. On the welcome screen the next
        resident's defaults come back at once; elsewhere "Bạn vẫn đang dùng máy chứ?" asks
        first, and only an untouched countdown forgets everything (``forget()``)."""
        if self.current() is self._screens.get("first_run"):
            return
        at_rest = self.current() is self.welcome or (
            self.mode == "volunteer" and self.current() is self._screens.get("volunteer")
            and self.volunteer.account is None)
        if at_rest:
            self.forget()
            return
        if self._still_there is None:
            from kiosk.ui.help_dialog import StillThereDialog

            self._still_there = StillThereDialog(self)
            self._still_there.time_did_run_out.connect(self.forget)
        if not self._still_there.isVisible():
            self._still_there.ask(self.session.language, self.still_there_seconds)

    def forget(self) -> None:
        """Forget everything, sign the volunteer out, and go back to the welcome screen (or
        the volunteers' sign-in, in volunteer mode)."""
        for dialog in (self._help_dialog, self.handout_dialog, self._still_there):
            if dialog is not None:
                dialog.reject()
        if "volunteer" in self._screens:
            self.volunteer.account = None
        self.session.reset()
        self._show(self.volunteer if self.mode == "volunteer" else self.welcome)
        self.idle_did_reset.emit()

    def _leave_volunteer(self) -> None:
        """Signed out: back to the sign-in in volunteer mode, else to the welcome screen."""
        if self.mode == "volunteer":
            self._show(self.volunteer)
        else:
            self.go_welcome()

    # admin ------------------------------------------------------------------------------------
    def _on_has_admin(self, has_admin: bool) -> None:
        if not has_admin:
            self._show(self.first_run)

    def _create_admin(self, pin: str) -> None:
        from kiosk.core import accounts

        name = ui_text("admin.button", "vi")
        self.worker.submit(lambda db: accounts.create_account(db, name=name, role="admin",
                                                              pin=pin),
                           on_done=lambda _: self.go_welcome(), changes=True)

    def _check_admin_pin(self, pin: str) -> None:
        data_dir = self.data_dir

        def check(db):
            from kiosk.core import accounts
            from kiosk.core.status import kiosk_status

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

    def apply_config(self, config: Config) -> None:
        """Settings saved in the admin panel: the new idle timeout applies now, the default
        language from the next resident on. Updated in place, lists included, because the
        session and screens hold this ``Config`` (and its neighbourhood list)."""
        for name in Config.__dataclass_fields__:
            value = getattr(config, name)
            if isinstance(value, list):
                getattr(self.config, name)[:] = value
            else:
                setattr(self.config, name, value)
        self.idle_timer.setInterval(config.idle_timeout_s * 1000)
        self.welcome.help_point = self.config.help_point

    def unlock_and_close(self) -> None:
        self._may_close = True
        self.close()

    def keyPressEvent(self, event) -> None:
        """Enter presses the focused button, so every screen works with a keyboard or a switch
        alone (Tab and the arrows move between buttons; Qt already presses one on Space)."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QAbstractButton

        focused = QApplication.focusWidget()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and isinstance(
                focused, QAbstractButton) and focused.isVisible() and focused.isEnabled():
            focused.click()
            return
        super().keyPressEvent(event)

    # window -----------------------------------------------------------------------------------
    def changeEvent(self, event) -> None:
        """A locked kiosk takes the focus back when another window takes it (Alt+Tab, a
        program popping up under a window manager)."""
        super().changeEvent(event)
        from PySide6.QtCore import QEvent

        if (event.type() == QEvent.Type.ActivationChange and not self._may_close
                and not self.isActiveWindow()):
            QTimer.singleShot(RECLAIM_FOCUS_MS, self._reclaim_focus)

    def _reclaim_focus(self) -> None:
        if self._may_close or QApplication.activeWindow() is not None:
            return  # unlocked, or one of the kiosk's own dialogs has the focus
        self.raise_()
        self.activateWindow()

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
        if self._illustrations is not None:
            self._illustrations.shutdown()
        if self._narrator:
            self._narrator.shutdown()
        if self._sync_service is not None:
            self._sync_service.stop()
        self.session.end_lesson()
        event.accept()
