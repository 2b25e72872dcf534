"""The on-screen Vietnamese keyboard: every text field of the kiosk can be filled by touch alone.

``attach(field)`` makes a text field (``QLineEdit``, ``QPlainTextEdit``, ``QTextEdit``) open the
keyboard when it is tapped; ``show_for(field)`` opens it from code. The keyboard lies over the
window's top or bottom edge, whichever leaves the field uncovered (scrolling the field's scroll
area if neither does), and closes with "Xong", or when the field loses the focus.

Keys are at least 72 px: digits, the letters, ă â ê ô ơ ư đ as keys of their own, the five tones
as keys named as in school (sắc, huyền, hỏi, ngã, nặng) that mark the word just typed
(``keyboard_vietnamese``), a one-shot capital key, space, backspace, "Xong" — and a new line for
fields of several lines. Every key is one tap: no long press, no double tap, no hidden layer.

Why our own widget rather than Qt's virtual keyboard (PySide6-Addons, QT_IM_MODULE=
qtvirtualkeyboard): in a Widgets application Qt's keyboard is a separate Qt Quick window, which
under a window manager can open behind a full-screen kiosk and always sits over the bottom of the
screen, whatever field it covers; it loads the QML engine (memory and start time the kiosk does
not have to spare); its Vietnamese layout puts tone marks behind long presses; and its keys are
QML items that offscreen tests cannot tap like buttons. This keyboard is a plain child widget of
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
    if area is not None:  # all of the field in view first (a finger may tap its edge)
        area.ensureWidgetVisible(field, 0, 12)
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
    neither edge is free, it goes to the bottom and the field's scroll area is scrolled up to
    clear it, as soon as the scroll area has laid out the room added under its content."""
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
    if area is None or area.widget() is None or area.widget().layout() is None:
        return None
    return area


def _pad(board: OnScreenKeyboard, field: QWidget) -> None:
    """Add room as tall as the keyboard under the content of the scroll area holding
    ``field`` (if any), and scroll the field clear once the scroll bar has grown."""
    area = _scroll_area_of(field)
    if area is None:
        return
    layout = area.widget().layout()
    margins = layout.contentsMargins()
    bar = area.verticalScrollBar()

    def follow(*_range) -> None:  # the content grew: scroll the field clear
        if board.target is not None:
            _scroll_clear(board, board.target)

    board.padded = (layout, margins, bar, follow)
    bar.rangeChanged.connect(follow)
    layout.setContentsMargins(margins.left(), margins.top(), margins.right(),
                              margins.bottom() + board.height())
    _scroll_clear(board, field)


def _scroll_clear(board: OnScreenKeyboard, field: QWidget) -> None:
    """Scroll ``field`` up until the keyboard at the bottom no longer covers it."""
    area = _scroll_area_of(field)
    if area is None or board.target is not field:
        return
    overlap = _field_rect(field).bottom() - (field.window().height() - board.height()) + 12
    bar = area.verticalScrollBar()
    bar.setValue(bar.value() + max(0, overlap))


def _unpad(board: OnScreenKeyboard) -> None:
    """Take away the room ``_scroll_clear`` added under a scroll area's content."""
    padded, board.padded = board.padded, None
    if padded is not None:
        layout, margins, bar, follow = padded
        bar.rangeChanged.disconnect(follow)
        layout.setContentsMargins(margins)
