"""The keys of the on-screen Vietnamese keyboard and what each does to the field it types into
(see ``kiosk.ui.keyboard`` for when it opens and where it is placed)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPixmap, QPolygonF
from PySide6.QtWidgets import QGridLayout, QLineEdit, QPushButton, QWidget

from kiosk.locale import ui_text
from kiosk.ui.keyboard_vietnamese import TONES, apply_tone, last_word_start

# (name, text, row, column, columns spanned); a name of one character types itself.
LAYOUT = ([(d, d, 0, i, 1) for i, d in enumerate("1234567890")] + [("backspace", "", 0, 10, 3)]
          + [(c, c, 1, i, 1) for i, c in enumerate("qwertyuiopăâê")]
          + [(c, c, 2, i, 1) for i, c in enumerate("asdfghjklôơưđ")]
          + [("shift", "", 3, 0, 1)] + [(c, c, 3, i + 1, 1) for i, c in enumerate("zxcvbnm,.:/-")]
          + [(t, "", 4, i, 1) for i, t in enumerate(("sac", "huyen", "hoi", "nga", "nang"))]
          + [("space", "", 4, 5, 5), ("enter", "", 4, 10, 1), ("done", "", 4, 11, 2)])
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
        self.setStyleSheet(STYLE.format(inner=KEY_PX - 12, background=NORMAL.background,
                                        border=NORMAL.border))
        self.target: QWidget | None = None
        self.padded = None  # set by kiosk.ui.keyboard while a scroll area is kept above it
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
        # Drawn, not typed: the bundled font has no ⇧ or ↵, and kiosks may have no symbol font.
        from kiosk.ui.theme import NORMAL

        for name in ("shift", "enter"):
            self.keys[name].setIcon(key_icon(name, NORMAL.text, NORMAL.on_primary))
            self.keys[name].setIconSize(QSize(ICON_PX, ICON_PX))
        self.retranslate("vi")

    def retranslate(self, language: str) -> None:
        for tone in TONE_ORDER:
            self.keys[tone].setText(f"{TONE_SAMPLE[tone]}\n{ui_text(f'keyboard.{tone}', language)}")
        self.keys["space"].setText(ui_text("keyboard.space", language))
        self.keys["done"].setText(ui_text("keyboard.done", language))
        self.keys["backspace"].setText(ui_text("keyboard.backspace", language))
        for name in ("shift", "enter"):
            self.keys[name].setAccessibleName(ui_text(f"keyboard.{name}", language))

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


ICON_PX = 36
# The shapes of the drawn keys, in a unit square: an outlined arrow up (capital letter) and a
# bent arrow down-left (new line).
_SHAPES = {
    "shift": [(0.5, 0.08), (0.92, 0.52), (0.68, 0.52), (0.68, 0.92), (0.32, 0.92), (0.32, 0.52),
              (0.08, 0.52)],
    "enter": [(0.86, 0.1), (0.86, 0.66), (0.36, 0.66), (0.36, 0.9), (0.06, 0.58), (0.36, 0.26),
              (0.36, 0.5), (0.7, 0.5), (0.7, 0.1)],
}


def key_icon(name: str, color: str, checked_color: str) -> QIcon:
    """The drawn symbol of key ``name``, in ``color`` (``checked_color`` while the key is on)."""
    icon = QIcon()
    for state, ink in ((QIcon.State.Off, color), (QIcon.State.On, checked_color)):
        icon.addPixmap(_shape_pixmap(_SHAPES[name], ink), QIcon.Mode.Normal, state)
    return icon


def _shape_pixmap(points, ink: str) -> QPixmap:
    size = ICON_PX * 2  # drawn at twice the size, so it stays sharp on a scaled screen
    pixmap = QPixmap(size, size)
    pixmap.setDevicePixelRatio(2)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    path = QPainterPath()
    path.addPolygon(QPolygonF([QPointF(x * ICON_PX, y * ICON_PX) for x, y in points]))
    path.closeSubpath()
    painter.fillPath(path, QColor(ink))
    painter.end()
    return pixmap
