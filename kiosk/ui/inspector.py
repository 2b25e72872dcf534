"""A test-only window on the running kiosk: the visible widget tree as JSON, on request.

Enabled only when ``KIOSK_INSPECT_SOCKET`` names a local socket path (the real-use tests set it);
a kiosk in service never listens. A client connects, sends one line (``dump``) and reads one JSON
object until the connection closes. The dump describes what is on the screen: every visible
widget's class, object name, style role, global rectangle, the part of it that is really visible,
its text, the size that text needs in the widget's font against the room it has (word wrap
considered), and each scroll area's position. The tests click with real X input; this only says
where things are and whether their text fits.
"""

from __future__ import annotations

import json

from PySide6.QtCore import QObject, QRect
from PySide6.QtGui import QFontMetrics, QTextDocument
from PySide6.QtNetwork import QLocalServer
from PySide6.QtWidgets import (QAbstractButton, QAbstractScrollArea, QApplication, QDialog,
                               QLabel, QPushButton, QScrollArea, QStyle, QStyleOptionButton, QWidget)

_SLACK = 1  # px: rounding between layout and measurement


class Inspector(QObject):
    """Answers each connection on the local socket with ``dump()`` as JSON. UI thread only."""

    def __init__(self, path: str, parent: QObject | None = None):
        super().__init__(parent)
        QLocalServer.removeServer(path)
        self._server = QLocalServer(self)
        if not self._server.listen(path):
            raise OSError(f"cannot listen on {path}: {self._server.errorString()}")
        self._server.newConnection.connect(self._on_connection)

    def _on_connection(self) -> None:
        while self._server.hasPendingConnections():
            connection = self._server.nextPendingConnection()
            connection.readyRead.connect(lambda c=connection: self._answer(c))

    def _answer(self, connection) -> None:
        if not bytes(connection.peek(4096)).endswith(b"\n"):
            return  # wait for the whole request line (bounded: one short word)
        connection.readAll()
        try:
            answer = dump()
        except Exception as error:  # the test sees the failure instead of a silent hang
            answer = {"error": repr(error), "windows": []}
        connection.write(json.dumps(answer, ensure_ascii=False).encode("utf-8"))
        connection.flush()
        connection.disconnectFromServer()


def dump() -> dict:
    """Every visible top-level window and the visible widgets in it, measured."""
    app = QApplication.instance()
    screen = app.primaryScreen().geometry()
    windows = []
    for index, top in enumerate(w for w in app.topLevelWidgets() if w.isVisible()):
        frame = top.frameGeometry()
        windows.append({
            "index": index, "class": type(top).__name__, "title": top.windowTitle(),
            "dialog": isinstance(top, QDialog), "rect": _rect(top.geometry()),
            "frame": _rect(frame), "active": top.isActiveWindow(),
            "widgets": [_describe(w, index) for w in _visible_tree(top)],
        })
    focus = app.focusWidget()
    busy = any(getattr(getattr(w, "worker", None), "pending", 0) for w in app.topLevelWidgets())
    return {"screen": _rect(screen), "windows": windows, "busy": bool(busy),
            "active_window": type(app.activeWindow()).__name__ if app.activeWindow() else None,
            "focus": type(focus).__name__ if focus else None}


def _visible_tree(top: QWidget):
    yield top
    for child in top.findChildren(QWidget):
        if child.isVisible() and child.window() is top:
            yield child


def _rect(rect: QRect) -> list[int]:
    return [rect.x(), rect.y(), rect.width(), rect.height()]


def _global(widget: QWidget, rect: QRect) -> QRect:
    return QRect(widget.mapToGlobal(rect.topLeft()), rect.size())


def _describe(widget: QWidget, window: int) -> dict:
    visible = widget.visibleRegion().boundingRect()
    entry = {
        "id": id(widget), "class": type(widget).__name__, "name": widget.objectName(),
        "role": widget.property("role"), "window": window,
        "rect": _rect(_global(widget, widget.rect())),
        "visible": _rect(_global(widget, visible)) if not visible.isEmpty() else None,
        "in_scroll": _scroll_ancestor(widget) is not None,
        "parent": id(widget.parentWidget()) if widget.parentWidget() else None,
        "font_px": QFontMetrics(widget.font()).height(),
        "enabled": widget.isEnabled(),
    }
    text, needed, room = _text_fit(widget)
    if text:
        entry.update(text=text, needed=needed, room=room,
                     clipped=needed[0] > room[0] + _SLACK or needed[1] > room[1] + _SLACK)
    if isinstance(widget, QAbstractScrollArea):
        bar = widget.verticalScrollBar()
        entry["scroll"] = {"value": bar.value(), "max": bar.maximum(), "page": bar.pageStep(),
                           "area": isinstance(widget, QScrollArea)}
    return entry


def _scroll_ancestor(widget: QWidget):
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


def _text_fit(widget: QWidget) -> tuple[str, list[int], list[int]]:
    """(text, [width, height] it needs, [width, height] of the room it is drawn in)."""
    if isinstance(widget, QLabel) and widget.text():
        return _label_fit(widget)
    if isinstance(widget, QPushButton) and widget.text():
        return _button_fit(widget)
    label = getattr(widget, "label", None)
    if isinstance(widget, QAbstractButton) and isinstance(label, str) and label:
        return _face_fit(widget, label)
    return "", [0, 0], [0, 0]


def _label_fit(label: QLabel) -> tuple[str, list[int], list[int]]:
    room = label.contentsRect()
    inset = label.margin() * 2 + max(0, label.indent())
    width, height = room.width() - inset, room.height() - label.margin() * 2
    text = label.text()
    from PySide6.QtGui import Qt  # QtGui's Qt also has mightBeRichText

    rich = label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and Qt.mightBeRichText(text))
    if rich:
        document = QTextDocument()
        document.setDefaultFont(label.font())
        document.setDocumentMargin(0)
        document.setHtml(text)
        document.setTextWidth(width if label.wordWrap() else -1)
        needed = [round(document.idealWidth()), round(document.size().height())]
        shown = document.toPlainText()
    else:
        flags = int(Qt.TextFlag.TextWordWrap.value) if label.wordWrap() else 0
        box = QFontMetrics(label.font()).boundingRect(QRect(0, 0, max(1, width), 100_000),
                                                      flags, text)
        needed, shown = [box.width(), box.height()], text
    return shown, needed, [width, height]


def _button_fit(button: QPushButton) -> tuple[str, list[int], list[int]]:
    option = QStyleOptionButton()
    button.initStyleOption(option)
    room = button.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, option, button)
    metrics = QFontMetrics(button.font())
    lines = button.text().split("\n")
    width = max(metrics.horizontalAdvance(line) for line in lines)  # advance: what layout uses
    return button.text(), [width, metrics.height() * len(lines)], [room.width(), room.height()]


def _face_fit(button: QAbstractButton, text: str) -> tuple[str, list[int], list[int]]:
    """The rating button draws its word beside the face (see ``painted.FaceButton``)."""
    face_right = 20 + button.height() - 24
    width = button.width() - face_right - 32
    metrics = QFontMetrics(button.font())
    return text, [metrics.horizontalAdvance(text), metrics.height()], [width, button.height()]
