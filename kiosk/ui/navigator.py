"""Which screen shows: the screen stack, the idle timeout (with "are you still there?"), the
thanks screen's timer, and the kiosk lock that keeps the focus and refuses to close.

``Navigator`` knows nothing of lessons or accounts: the window tells it which screens start
afresh, which screen is the thanks screen, when the kiosk counts as at rest, and listens to
``idle_did_time_out`` and ``thanks_did_time_out`` to decide what happens next.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QStackedWidget, QWidget

THANKS_SECONDS = 8
RECLAIM_FOCUS_MS = 300  # after losing the focus while locked
_ACTIVITY: set = set()  # filled on first use: QEvent's enums are slow to create at start-up


def _activity_types() -> set:
    if not _ACTIVITY:
        from PySide6.QtCore import QEvent

        _ACTIVITY.update({QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin,
                          QEvent.Type.KeyPress, QEvent.Type.Wheel})
    return _ACTIVITY


class Navigator(QObject):
    """The stack of screens and the timers that move between them. UI thread only.

    ``screen_did_change(screen)`` fires after a screen is shown; ``idle_did_time_out`` when
    nobody touched the kiosk (at rest, or after the still-there countdown ran out);
    ``thanks_did_time_out`` when the thanks screen has been shown long enough.
    """

    screen_did_change = Signal(object)
    idle_did_time_out = Signal()
    thanks_did_time_out = Signal()

    def __init__(self, window: QWidget, idle_seconds: int, language: Callable[[], str]):
        super().__init__(window)
        self._window, self._language = window, language
        self.stack = QStackedWidget(window)
        self.afresh: set = set()  # screens shown with ``start(language)``, not ``refresh``
        self.thanks_screen = None
        self.at_rest: Callable[[], bool] = lambda: False  # forget at once when idle
        self.idle_exempt: Callable[[], bool] = lambda: False  # never time out here
        self.still_there_seconds: int | None = None  # None: the dialog's own default
        self.still_there = None
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.setInterval(idle_seconds * 1000)
        self.thanks_timer = QTimer(self)
        self.thanks_timer.setSingleShot(True)
        self.thanks_timer.setInterval(THANKS_SECONDS * 1000)

        self.idle_timer.timeout.connect(self.on_idle)
        self.thanks_timer.timeout.connect(self.thanks_did_time_out)

    def current(self):
        return self.stack.currentWidget()

    def add(self, screen) -> None:
        self.stack.addWidget(screen)

    def show(self, screen) -> None:
        """Bring ``screen`` up in the session's language, focus its default button, and start
        the idle (and, for the thanks screen, the thanks) timer again."""
        from kiosk.ui.widgets import set_cue_language

        language = self._language()
        set_cue_language(language)
        self.thanks_timer.stop()
        if screen in self.afresh:
            screen.start(language)
        else:
            screen.refresh(language)
        self.stack.setCurrentWidget(screen)
        focus = getattr(screen, "default_focus", None)
        if focus is not None:
            focus.setFocus()
        if screen is self.thanks_screen:
            self.thanks_timer.start()
        self.restart_idle()
        self.screen_did_change.emit(screen)

    def relabel(self, language: str) -> None:
        """The session's language changed: redraw the screen on show in it."""
        from kiosk.ui.widgets import set_cue_language

        set_cue_language(language)
        self.current().refresh(language)

    def restyle(self, text_size: str, high_contrast: bool) -> None:
        """Text size or contrast changed: the new style sheet, sizes laid out again."""
        from kiosk.ui.theme import style_sheet

        QApplication.instance().setStyleSheet(style_sheet(text_size, high_contrast))
        for widget in self._window.findChildren(QWidget):  # size hints follow the font sizes
            widget.updateGeometry()
        self.current().refresh(self._language())

    def set_idle_seconds(self, seconds: int) -> None:
        self.idle_timer.setInterval(seconds * 1000)

    def watch_activity(self) -> None:
        """Count every touch, key and wheel anywhere in the application as activity."""
        QApplication.instance().installEventFilter(self)

    def stop_watching(self) -> None:
        QApplication.instance().removeEventFilter(self)

    def eventFilter(self, watched: QObject, event) -> bool:
        if event.type() in _activity_types():
            self.restart_idle()
            if self.still_there is not None and self.still_there.isVisible():
                self.still_there.accept()  # any touch means "still here"
        return False

    def restart_idle(self) -> None:
        self.idle_timer.start()

    def on_idle(self) -> None:
        """Nobody touched the kiosk for the idle timeout. At rest the next resident's defaults
        come back at once; elsewhere "Bạn vẫn đang dùng máy chứ?" asks first, and only an
        untouched countdown fires ``idle_did_time_out``."""
        if self.idle_exempt():
            return
        if self.at_rest():
            self.idle_did_time_out.emit()
            return
        if self.still_there is None:
            from kiosk.ui.help_dialog import StillThereDialog

            self.still_there = StillThereDialog(self._window)
            self.still_there.time_did_run_out.connect(self.idle_did_time_out)
        if not self.still_there.isVisible():
            self.still_there.ask(self._language(), self.still_there_seconds)


class EnterPressesButton(QObject):
    """Enter presses the focused button, so every screen works with a keyboard or a switch
    alone (Tab and the arrows move between buttons; Qt already presses one on Space). Watches
    the key presses no widget of the window took."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self._window = window
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event) -> bool:
        from PySide6.QtCore import QEvent, Qt
        from PySide6.QtWidgets import QAbstractButton

        if watched is not self._window or event.type() != QEvent.Type.KeyPress:
            return False
        focused = QApplication.focusWidget()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and isinstance(
                focused, QAbstractButton) and focused.isVisible() and focused.isEnabled():
            focused.click()
            return True
        return False


class KioskLock(QObject):
    """While locked, the window refuses to close and takes the focus back when another window
    takes it (Alt+Tab, a program popping up under a window manager). ``unlock()`` lifts it."""

    def __init__(self, window: QWidget, locked: bool):
        super().__init__(window)
        self._window = window
        self.locked = locked
        window.installEventFilter(self)

    def unlock(self) -> None:
        self.locked = False

    def eventFilter(self, watched: QObject, event) -> bool:
        from PySide6.QtCore import QEvent

        if watched is not self._window or not self.locked:
            return False
        if event.type() == QEvent.Type.Close:
            event.ignore()  # a locked kiosk closes only through the admin screen
            return True
        if event.type() == QEvent.Type.ActivationChange and not self._window.isActiveWindow():
            QTimer.singleShot(RECLAIM_FOCUS_MS, self._reclaim_focus)
        return False

    def _reclaim_focus(self) -> None:
        if not self.locked or QApplication.activeWindow() is not None:
            return  # unlocked, or one of the kiosk's own dialogs has the focus
        self._window.raise_()
        self._window.activateWindow()
