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

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt, Signal
from PySide6.QtWidgets import (QAbstractScrollArea, QGridLayout, QLineEdit, QPushButton,
                               QScrollArea, QWidget)

from kiosk.locale import ui_text
from kiosk.ui.keyboard_vietnamese import TONES, apply_tone, last_word_start

# (name, text, row, column, columns spanned); a name of one character types itself.
LAYOUT = ([(d, d, 0, i, 1) for i, d in enumerate("1234567890")] + [("backspace", "⌫", 0, 10, 3)]
          + [(c, c, 1, i, 1) for i, c in enumerate("qwertyuiopăâê")]
          + [(c, c, 2, i, 1) for i, c in enumerate("asdfghjklôơưđ")]
          + [("shift", "⇧", 3, 0, 1)] + [(c, c, 3, i + 1, 1) for i, c in enumerate("zxcvbnm,.:/-")]
          + [(t, "", 4, i, 1) for i, t in enumerate(("sac", "huyen", "hoi", "nga", "nang"))]
          + [("space", "", 4, 5, 5), ("enter", "↵", 4, 10, 1), ("done", "", 4, 11, 2)])
TONE_ORDER = ("sac", "huyen", "hoi", "nga", "nang")
TONE_SAMPLE = {"sac": "á", "huyen": "à", "hoi": "ả", "nga": "ã", "nang": "ạ"}
KEY_PX = 76  # every key at least this tall and wide (the design asks for 72)
STYLE = ("QPushButton {{ min-height: {inner}px; min-width: {inner}px; "
         "padding: 3px; font-size: 20pt; border-radius: 8px; }} "
         'QPushButton[tone="true"] {{ font-size: 15pt; font-weight: bold; }} '
         "QWidget#keyboard {{ background: {background}; border-top: 3px solid {border}; }}")


class OnScreenKeyboard(QWidget):
    """The keys. Types into ``target`` (a text field) without ever taking the focus from it.
    ``done_was_tapped`` fires on "Xong"."""

    done_was_tapped = Signal()

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        from kiosk.ui.theme import NORMAL

        self.setObjectName("keyboard")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAutoFillBackground(True)  # opaque: what lies under it counts as hidden
        self.setStyleSheet(STYLE.format(inner=KEY_PX - 12, background=NORMAL.background,
                                        border=NORMAL.border))
        self.target: QWidget | None = None
        self.padded = None  # (layout, its margins, scroll bar) while room is added under it
        self.keys: dict[str, QPushButton] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 8, 8, 8)
        grid.setSpacing(6)
        for name, text, row, column, span in LAYOUT:
            key = QPushButton(text, self)
            key.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the field keeps the focus and cursor
            if name in TONES:
                key.setProperty("tone", "true")
            key.clicked.connect(lambda _=False, n=name: self.press(n))
            grid.addWidget(key, row, column, 1, span)
            self.keys[name] = key
        self.keys["shift"].setCheckable(True)
        self.keys["shift"].setProperty("role", "choice")  # filled while on
        self.keys["done"].setProperty("role", "go")
        self.retranslate("vi")

    def scroll_target_clear(self, *_range) -> None:
        """The scroll area under the target grew: scroll the target clear of the keyboard."""
        if self.target is not None:
            _scroll_clear(self, self.target)

    def retranslate(self, language: str) -> None:
        for tone in TONE_ORDER:
            self.keys[tone].setText(f"{TONE_SAMPLE[tone]}\n{ui_text(f'keyboard.{tone}', language)}")
        self.keys["space"].setText(ui_text("keyboard.space", language))
        self.keys["done"].setText(ui_text("keyboard.done", language))

    def set_target(self, field: QWidget) -> None:
        self.target = field
        self.keys["enter"].setVisible(not isinstance(field, QLineEdit))

    # typing -----------------------------------------------------------------------------------
    def press(self, name: str) -> None:
        """What tapping key ``name`` does to the target field."""
        field = self.target
        if name == "done":
            self.done_was_tapped.emit()
        elif field is None or name == "shift":
            return
        elif name == "backspace":
            _backspace(field)
        elif name in TONES:
            self._tone(field, name)
        else:
            text = {"space": " ", "enter": "\n"}.get(name, name)
            if self.keys["shift"].isChecked():
                text = text.upper()
                self.keys["shift"].setChecked(False)  # one capital, as on a phone
            _insert(field, text)

    @staticmethod
    def _tone(field: QWidget, tone: str) -> None:
        before = _before_cursor(field)
        word = before[last_word_start(before):]
        marked = apply_tone(word, tone) if word else None
        if marked is not None:
            _replace_before_cursor(field, len(word), marked)


def _before_cursor(field: QWidget) -> str:
    if isinstance(field, QLineEdit):
        return field.text()[:field.cursorPosition()]
    cursor = field.textCursor()
    return cursor.block().text()[:cursor.positionInBlock()]


def _insert(field: QWidget, text: str) -> None:
    if isinstance(field, QLineEdit):
        field.insert(text)
    else:
        field.insertPlainText(text)


def _replace_before_cursor(field: QWidget, count: int, text: str) -> None:
    if isinstance(field, QLineEdit):
        field.setSelection(field.cursorPosition() - count, count)
        field.insert(text)
        return
    from PySide6.QtGui import QTextCursor

    cursor = field.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.Left, QTextCursor.MoveMode.KeepAnchor, count)
    cursor.insertText(text)
    field.setTextCursor(cursor)


def _backspace(field: QWidget) -> None:
    if isinstance(field, QLineEdit):
        field.backspace()
        return
    cursor = field.textCursor()
    cursor.deletePreviousChar()
    field.setTextCursor(cursor)


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
    board.padded = (layout, margins, bar)
    bar.rangeChanged.connect(board.scroll_target_clear)
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
        layout, margins, bar = padded
        bar.rangeChanged.disconnect(board.scroll_target_clear)
        layout.setContentsMargins(margins)
