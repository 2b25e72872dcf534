"""The kiosk window: it owns the parts and connects them.

The navigator (``navigator.py``) shows screens and runs the idle timeout; the kiosk lock keeps
the focus; the admin gate (``admin_gate.py``) checks PINs; the lesson flow (``lesson_flow.py``)
moves the resident through a lesson; the services (``services.py``) are made on first use;
screens are made and wired in ``screens.py``. The window-wide connections are in ``_connect``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QMainWindow

from kiosk.core.config import Config
from kiosk.locale import ui_text
from kiosk.ui.admin_gate import AdminGate
from kiosk.ui.lesson_flow import LessonFlow
from kiosk.ui.navigator import EnterPressesButton, KioskLock, Navigator
from kiosk.ui.resident_session import ResidentSession
from kiosk.ui.screens import Screens, lazy_screen
from kiosk.ui.services import Services
from kiosk.ui.tasks import TaskManager
from kiosk.ui.welcome_screen import WelcomeScreen

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the lesson modules load after the first paint
    from kiosk.lessons.library import Library


class MainWindow(QMainWindow):
    first_paint_did_happen = Signal()
    idle_did_reset = Signal()
    admin_did_unlock = Signal()

    def __init__(self, *, data_dir: Path, config: Config, load_library: Callable[[], Library],
                 tasks: TaskManager, locked: bool = False, mode: str = "resident"):
        super().__init__()
        self.data_dir, self.config, self.mode = data_dir, config, mode
        self.tasks, self.worker = tasks, tasks.database
        self._painted = False
        self.session = ResidentSession(config, self.worker, self)
        self.services = Services(data_dir, tasks, load_library, self)
        self.navigator = Navigator(self, config.idle_timeout_s, lambda: self.session.language)
        self.lock = KioskLock(self, locked)
        EnterPressesButton(self)
        self.admin_gate = AdminGate(tasks, data_dir, self)
        self.flow = LessonFlow(self)
        self.stack = self.navigator.stack
        self.screens = Screens(self)
        self.welcome = WelcomeScreen(self.stack)
        self.welcome.help_point = config.help_point
        self.stack.addWidget(self.welcome)
        self.setCentralWidget(self.stack)
        self.setWindowTitle(ui_text("app.name", config.language))
        self._connect()
        # Screens other than the welcome are built only if asked for.
        self._show({"admin": lambda: self.gate, "volunteer": lambda: self.volunteer}.get(
            mode, lambda: self.welcome)())

    # the lazily made services, as the screens and tests know them ----------------------------
    library = property(lambda self: self.services.library)
    illustrations = property(lambda self: self.services.illustrations)
    narrator = property(lambda self: self.services.narrator)
    help_dialog = property(lambda self: self.services.help_dialog)
    sync_service = property(lambda self: self.services.sync)
    # the resident's path, as the screens' signals and tests know it
    choose_app = property(lambda self: self.flow.choose_app)
    open_lesson = property(lambda self: self.flow.open_lesson)
    start_lesson = property(lambda self: self.flow.start_lesson)
    next_step = property(lambda self: self.flow.next_step)
    previous_step = property(lambda self: self.flow.previous_step)
    rate = property(lambda self: self.flow.rate)
    offer_handout = property(lambda self: self.flow.offer_handout)
    handout_dialog = property(lambda self: self.flow.handout_dialog)

    home = lazy_screen("home")
    choice = lazy_screen("choice")
    intro = lazy_screen("intro")
    step = lazy_screen("step")
    finish = lazy_screen("finish")
    thanks = lazy_screen("thanks")
    gate = lazy_screen("gate")
    first_run = lazy_screen("first_run")
    admin = lazy_screen("admin")
    volunteer = lazy_screen("volunteer")

    def _connect(self) -> None:
        """Wiring that exists from the start; each screen's own is in ``screens.wire_screen``."""
        s, nav, gate = self.session, self.navigator, self.admin_gate
        s.language_did_change.connect(self._on_language_did_change)
        s.appearance_did_change.connect(lambda: nav.restyle(s.text_size, s.high_contrast))
        s.help_did_record.connect(lambda _: self.help_dialog.show_for(s.language))
        self.welcome.start_was_tapped.connect(lambda: self._show(self.home))
        self.welcome.language_was_tapped.connect(s.toggle_language)
        self.welcome.text_size_was_tapped.connect(s.cycle_text_size)
        self.welcome.contrast_was_tapped.connect(s.toggle_contrast)
        self.welcome.admin_was_tapped.connect(lambda: self._show(self.gate))
        self.welcome.volunteer_was_tapped.connect(lambda: self._show(self.volunteer))
        nav.thanks_did_time_out.connect(self.go_welcome)
        nav.idle_did_time_out.connect(self.forget)
        nav.idle_exempt = lambda: self.current() is self.screens.made("first_run")
        nav.at_rest = self._at_rest
        nav.screen_did_change.connect(self._on_screen_did_change)
        self.services.library_did_load.connect(self._on_library_did_load)
        self.services.sync_state_did_change.connect(lambda unsent: self.welcome.set_sync_note(
            ui_text("welcome.sync", self.config.language, n=unsent) if unsent else ""))
        gate.first_run_is_needed.connect(lambda: self._show(self.first_run))
        gate.admin_was_created.connect(self.go_welcome)
        gate.admin_did_unlock.connect(self._on_admin_did_unlock)
        gate.pin_was_refused.connect(lambda message: self.gate.show_refusal(message))
        # Watching every event for activity, reading the lessons and the first database work
        # (which imports and migrates) wait until the first screen is up: they would otherwise
        # slow the kiosk's start.
        self.first_paint_did_happen.connect(nav.watch_activity)
        self.first_paint_did_happen.connect(lambda: QTimer.singleShot(0, lambda: self.library))
        self.first_paint_did_happen.connect(
            lambda: QTimer.singleShot(0, lambda: self.sync_service.start()))
        self.first_paint_did_happen.connect(gate.look_for_admin)

    # navigation -------------------------------------------------------------------------------
    def current(self):
        return self.navigator.current()

    def _show(self, screen) -> None:
        self.navigator.show(screen)

    def _on_screen_did_change(self, screen) -> None:
        if screen is not self.screens.made("step"):
            self.services.stop_narration()  # reading aloud belongs to the step on screen

    def go_welcome(self) -> None:
        self.session.reset()
        self._show(self.welcome)

    def go_home(self) -> None:
        self.session.end_lesson()
        self._show(self.home)

    # language, look, idle ----------------------------------------------------------------------
    def _on_language_did_change(self) -> None:
        if self.session.lesson:
            self.illustrations.prefetch(self.session.lesson, self.session.language)
        self.navigator.relabel(self.session.language)

    def _at_rest(self) -> bool:
        """Idle here forgets at once: the welcome screen, or the volunteers' sign-in."""
        return self.current() is self.welcome or (
            self.mode == "volunteer" and self.current() is self.screens.made("volunteer")
            and self.volunteer.account is None)

    def forget(self) -> None:
        """Forget everything, sign the volunteer out, and go back to the welcome screen (or
        the volunteers' sign-in, in volunteer mode)."""
        for dialog in (self.services.help_dialog_made, self.handout_dialog,
                       self.navigator.still_there):
            if dialog is not None:
                dialog.reject()
        if self.screens.made("volunteer") is not None:
            self.volunteer.account = None
        self.session.reset()
        self._show(self.volunteer if self.mode == "volunteer" else self.welcome)
        self.idle_did_reset.emit()

    def leave_volunteer(self) -> None:
        """Signed out: back to the sign-in in volunteer mode, else to the welcome screen."""
        if self.mode == "volunteer":
            self._show(self.volunteer)
        else:
            self.go_welcome()

    # admin ------------------------------------------------------------------------------------
    def _on_library_did_load(self, library) -> None:
        self.welcome.set_admin_notice(ui_text(
            "welcome.lesson_problems", self.config.language, n=len(library.problems))
            if library.problems else "")

    def _on_admin_did_unlock(self, status: dict) -> None:
        self.admin.set_status(status)
        self._show(self.admin)
        self.admin_did_unlock.emit()

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
        self.navigator.set_idle_seconds(config.idle_timeout_s)
        self.welcome.help_point = self.config.help_point

    def reload_lessons(self) -> None:
        """Another lesson pack is current: read the lessons again, and let the screens that
        list them be made afresh the next time they are shown."""
        self.services.reload_library()
        for name in ("home", "choice"):
            self.screens.drop(name)

    def unlock_and_close(self) -> None:
        self.lock.unlock()
        self.close()

    # window -----------------------------------------------------------------------------------
    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self.first_paint_did_happen.emit)

    def closeEvent(self, event) -> None:
        """Closing (the kiosk lock refuses it while locked): stop the services."""
        self.navigator.stop_watching()
        self.services.shutdown()
        self.session.end_lesson()
        event.accept()
