"""The on-screen Vietnamese keyboard: every text field of the kiosk can be filled by touch alone.

``attach(field)`` makes a text field (``QLineEdit``, ``QPlainTextEdit``, ``QTextEdit``) open the
keyboard when it is tapped; ``show_for(field)`` opens it from code. The keyboard lies over the
window's top or bottom edge, whichever leaves the field uncovered (scrolling the field's scroll
area if neither does), and closes with "Xong", or when the field loses the focus.

Keys are 76 px (the design asks for 72): digits, the letters, ă â ê ô ơ ư đ as keys of their own, the five tones
as keys named as in school (sắc, huyền, hỏi, ngã, nặng) that mark the word just typed
(``keyboard_vietnamese``), a one-shot capital key, space, backspace, "Xong" — and a new line for
fields of several lines. Every key is one tap: no long press, no double tap, no hidden layer.

Why our own widget rather than Qt's virtual keyboard (PySide6-Addons, QT_IM_MODULE=
qtvirtualkeyboard): in a Widgets application Qt's keyboard is a separate Qt Quick window, which
under a window manager can open behind a full-screen kiosk and always sits over the bottom of the
screen, whatever field it covers; it needs QT_IM_MODULE set before the application starts and
loads the QML engine (memory and start time the kiosk does not have to spare); how it enters tone
marks is its layout's choice, not one tap per mark that we can promise; and its keys are QML
items that offscreen widget tests cannot tap like buttons. This keyboard is a plain child widget of
the kiosk window: it is on top of the kiosk, placed away from the field, and tested like any
button.

The ``onscreen_keyboard`` setting (``on``, ``off`` or ``auto``: on when a touch screen is present)
is read from the window's ``config`` each time a field is tapped.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QScrollArea, QWidget

from kiosk.ui.keyboard_keys import OnScreenKeyboard


class _Opener(QObject):
    """Watches attached fields: a tap opens the keyboard, losing the focus closes it."""

    def eventFilter(self, field, event) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress:
            show_for(field)
        elif kind == QEvent.Type.FocusOut and event.reason() not in (
                Qt.FocusReason.ActiveWindowFocusReason, Qt.FocusReason.PopupFocusReason):
            hide_for(field)
        elif kind == QEvent.Type.Hide:
            hide_for(field)
        return False


_opener: _Opener | None = None


def attach(field: QWidget) -> None:
    """Let ``field`` open the on-screen keyboard when tapped. UI thread."""
    global _opener
    if _opener is None:
        _opener = _Opener()
    field.installEventFilter(_opener)
    if isinstance(field, QAbstractScrollArea):  # taps land on a text edit's viewport
        field.viewport().installEventFilter(_OpenerProxy(field))


class _OpenerProxy(QObject):
    """Passes taps on a text edit's viewport on to the text edit."""

    def __init__(self, field: QWidget):
        super().__init__(field)
        self._field = field

    def eventFilter(self, _viewport, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.MouseButtonPress:
            show_for(self._field)
        return False


def enabled_for(field: QWidget) -> bool:
    """Whether the kiosk's ``onscreen_keyboard`` setting wants the keyboard for ``field``."""
    config = getattr(field.window(), "config", None)
    mode = getattr(config, "onscreen_keyboard", "on")
    if mode == "auto":
        from PySide6.QtGui import QInputDevice

        return any(device.type() == QInputDevice.DeviceType.TouchScreen
                   for device in QInputDevice.devices())
    return mode != "off"


def keyboard_of(window: QWidget, make: bool = True) -> OnScreenKeyboard | None:
    """The window's keyboard (made on first use when ``make``)."""
    found = window.findChild(OnScreenKeyboard, options=Qt.FindChildOption.FindDirectChildrenOnly)
    if found is None and make:
        found = OnScreenKeyboard(window)
        found.hide()
        found.done_was_tapped.connect(lambda: found.target and hide_for(found.target))
    return found


def show_for(field: QWidget) -> OnScreenKeyboard | None:
    """Open the keyboard for ``field``, clear of it; None when the setting says no."""
    if not field.isVisible() or not enabled_for(field):
        return None
    window = field.window()
    board = keyboard_of(window)
    _unpad(board)
    board.set_target(field)
    board.retranslate(getattr(getattr(window, "session", None), "language", "vi"))
    height = board.sizeHint().height()
    board.setGeometry(0, 0, window.width(), height)
    area = _scroll_area_of(field)
    if area is not None and area.widget() is not None:  # all of the field in view first
        _show_whole(area, field)
    _place(board, field)
    board.show()
    board.raise_()
    if not field.hasFocus():
        field.setFocus(Qt.FocusReason.OtherFocusReason)
    return board


def hide_for(field: QWidget) -> None:
    """Close the keyboard if it is typing into ``field``."""
    board = keyboard_of(field.window(), make=False)
    if board is not None and board.target is field:
        board.hide()
        board.target = None
        _unpad(board)


def _field_rect(field: QWidget) -> QRect:
    return QRect(field.mapTo(field.window(), QPoint(0, 0)), field.size())


def _place(board: OnScreenKeyboard, field: QWidget) -> None:
    """Put the keyboard at the bottom or top edge, where it does not cover ``field``. If
    neither edge is free, it goes to the bottom, the field's scroll area keeps its content
    above the keyboard, and the field is scrolled into what is left of it."""
    window_height, height = field.window().height(), board.height()
    rect = _field_rect(field)
    bottom_is_free = rect.bottom() < window_height - height
    top_is_free = rect.top() > height
    board.move(0, 0 if top_is_free and not bottom_is_free else window_height - height)
    if not (bottom_is_free or top_is_free):
        _pad(board, field)


def _scroll_area_of(field: QWidget) -> QScrollArea | None:
    area = field.parentWidget()
    while area is not None and not isinstance(area, QScrollArea):
        area = area.parentWidget()
    return area


class _Follower(QObject):
    """Keeps the target field inside the shrunken view while the scroll area's content is
    laid out again (after each layout pass, when the geometry is final)."""

    def __init__(self, board: OnScreenKeyboard, area: QScrollArea):
        super().__init__(board)
        self._board, self._area = board, area

    def follow(self) -> None:
        if self._board.target is not None:
            _show_whole(self._area, self._board.target)

    def eventFilter(self, _content, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() in (QEvent.Type.LayoutRequest, QEvent.Type.Resize):
            from PySide6.QtCore import QTimer

            QTimer.singleShot(0, self, self.follow)
        return False


def _show_whole(area: QScrollArea, field: QWidget) -> None:
    """Scroll ``area`` so all of ``field`` is in its view, with a margin (as much of it as fits).
    Not ``ensureWidgetVisible``: for a text field that only brings its cursor into view."""
    top = field.mapTo(area.widget(), QPoint(0, 0)).y()
    half = field.height() // 2
    area.ensureVisible(0, top + half, 0, half + 12)


def _pad(board: OnScreenKeyboard, field: QWidget) -> None:
    """Shrink the view of the scroll area holding ``field`` (if any) to end above the keyboard,
    and keep the field in that view as the scroll area adjusts."""
    area = _scroll_area_of(field)
    if area is None or area.widget() is None:
        return
    covered = _field_rect(area).bottom() - (field.window().height() - board.height()) + 1
    if covered <= 0:
        return
    margins = area.viewportMargins()
    follower = _Follower(board, area)
    area.widget().installEventFilter(follower)
    board.padded = (area, margins, follower)
    area.setViewportMargins(margins.left(), margins.top(), margins.right(),
                            margins.bottom() + covered)
    follower.follow()


def _unpad(board: OnScreenKeyboard) -> None:
    """Give the scroll area ``_pad`` shrank its whole view back."""
    padded, board.padded = board.padded, None
    if padded is not None:
        area, margins, follower = padded
        if area.widget() is not None:
            area.widget().removeEventFilter(follower)
        follower.deleteLater()
        area.setViewportMargins(margins)
