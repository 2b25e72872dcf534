"""Home: one big tile per app; and the list of lessons for an app that has more than one.

Built to scale to 15 and more lessons: home shows one tile per app (its name and how many
lessons it holds) in the order of ``apps.json``, in as many columns as keep the tiles on two
rows (three columns up to six apps, four for seven or eight), so every tile stays legible at the
largest text size on 1366×768. A tap opens the app's list of lessons, or the lesson's intro
directly when the app has only one: any intro is at most two taps from home. The list shows one
lesson per row up to two lessons, and two per row beyond.
"""

import math

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QSizePolicy, QWidget

from kiosk.lessons.library import Library
from kiosk.lessons.model import tr
from kiosk.locale import ui_text
from kiosk.ui.widgets import Screen, TallButton, TopBar, column, label, scroll_area


MIN_COLUMNS, MAX_COLUMNS = 3, 4  # two rows of four still fit 1366×768 at the largest size
CHOICE_ONE_COLUMN_UP_TO = 2


TILE_SIDE_ROOM = 2 * 12 + 16 + 8  # side padding, colour band and borders of a home tile


def wrap_words(text: str, fits) -> str:
    """``text`` with line breaks added between words so that each line ``fits(line)``; a word
    too long for a line of its own keeps a line to itself (it is never cut)."""
    lines = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and not fits(candidate):
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return "\n".join(lines)


class WrappingTile(TallButton):
    """A tile whose words wrap to its current width, re-wrapped whenever it is resized, so four
    columns of tiles stay legible at the largest text size."""

    _tile_text = ""

    def set_tile_text(self, text: str) -> None:
        self._tile_text = text
        self._rewrap()

    def tile_text(self) -> str:
        return self._tile_text

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._rewrap()

    def _rewrap(self) -> None:
        room = self.contentsRect().width() - TILE_SIDE_ROOM
        metrics = self.fontMetrics()
        text = self._tile_text
        if room > 40:
            text = wrap_words(text, lambda line: metrics.horizontalAdvance(line) <= room)
        if text != self.text():
            self.setText(text)


def tile(parent: QWidget) -> WrappingTile:
    widget = WrappingTile("", parent)
    widget.setProperty("role", "tile")
    widget.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return widget


def home_columns(app_count: int) -> int:
    """Columns of app tiles: enough for two rows, from three to four."""
    return min(MAX_COLUMNS, max(MIN_COLUMNS, math.ceil(app_count / 2)))


def choice_columns(lesson_count: int) -> int:
    """Columns of the lesson list: one up to two lessons, two beyond."""
    return 1 if lesson_count <= CHOICE_ONE_COLUMN_UP_TO else 2


class HomeScreen(Screen):
    app_was_chosen = Signal(str)

    def __init__(self, library: Library, parent: QWidget | None = None):
        super().__init__(parent)
        self._library = library
        self.bar = TopBar(self, show_home=False)
        self.heading = label("", self, "title")
        grid_holder = QWidget(self)
        grid = QGridLayout(grid_holder)
        grid.setSpacing(20)
        apps = library.apps_in_use()
        self.columns = home_columns(len(apps))
        for column_index in range(self.columns):
            grid.setColumnStretch(column_index, 1)
        self.tiles = {}
        for index, app in enumerate(apps):
            app_tile = tile(grid_holder)
            # A narrower colour band and side padding than other tiles leave room for names
            # like "Ngân hàng – Thanh toán" in four columns at the largest text size.
            app_tile.setStyleSheet(f"border-left: 16px solid {app.color}; padding: 12px 12px;")
            app_tile.clicked.connect(
                lambda _=False, app_id=app.id: self.app_was_chosen.emit(app_id))
            grid.addWidget(app_tile, index // self.columns, index % self.columns)
            self.tiles[app.id] = app_tile
        grid.setRowStretch(math.ceil(len(apps) / self.columns), 1)  # tiles stay at the top

        layout = column(self, margins=0, spacing=0)
        layout.addWidget(self.bar)
        body = column(margins=28, spacing=20)
        body.addWidget(self.heading)
        body.addWidget(scroll_area(grid_holder, self), 1)
        layout.addLayout(body, 1)

    @property
    def default_focus(self):
        return next(iter(self.tiles.values()), None)

    def refresh(self, language: str) -> None:
        self.bar.refresh(language)
        self.heading.setText(ui_text("home.title", language))
        for app_id, app_tile in self.tiles.items():
            count = len(self._library.lessons_for(app_id))
            lessons = ui_text("home.lessons_count", language, count=count)
            app_tile.set_tile_text(f"{tr(self._library.apps[app_id].name, language)}\n{lessons}")


class LessonChoiceScreen(Screen):
    """The lessons of one app, each a big button with its title and time."""

    lesson_was_chosen = Signal(str)

    def __init__(self, library: Library, parent: QWidget | None = None):
        super().__init__(parent)
        self._library = library
        self._app_id: str | None = None
        self._buttons = []
        self.bar = TopBar(self)
        self.heading = label("", self, "title")
        self._list_holder = QWidget(self)
        self._list = QGridLayout(self._list_holder)
        self._list.setContentsMargins(0, 0, 0, 0)
        self._list.setSpacing(20)

        layout = column(self, margins=0, spacing=0)
        layout.addWidget(self.bar)
        body = column(margins=28, spacing=20)
        body.addWidget(self.heading)
        body.addWidget(scroll_area(self._list_holder, self), 1)
        layout.addLayout(body, 1)

    def show_app(self, app_id: str, language: str) -> None:
        self._app_id = app_id
        while self._list.count():
            item = self._list.takeAt(0)
            if item.widget():
                item.widget().hide()  # gone at once, not only when the event loop deletes it
                item.widget().deleteLater()
        for row in range(self._list.rowCount()):
            self._list.setRowStretch(row, 0)
        self._buttons = []
        lessons = self._library.lessons_for(app_id)
        self.columns = choice_columns(len(lessons))
        for index, lesson in enumerate(lessons):
            choice = tile(self._list_holder)
            choice.setProperty("lesson_id", lesson.id)
            choice.clicked.connect(lambda _=False, lid=lesson.id: self.lesson_was_chosen.emit(lid))
            self._list.addWidget(choice, index // self.columns, index % self.columns)
            self._buttons.append(choice)
        for column_index in range(2):
            self._list.setColumnStretch(column_index, 1 if column_index < self.columns else 0)
        self._list.setRowStretch(math.ceil(len(lessons) / self.columns), 1)
        self.refresh(language)

    @property
    def default_focus(self):
        return self._buttons[0] if self._buttons else None

    @property
    def choice_buttons(self):
        return list(self._buttons)

    def refresh(self, language: str) -> None:
        if self._app_id is None:
            return
        self.bar.refresh(language, tr(self._library.apps[self._app_id].name, language))
        self.heading.setText(ui_text("choose.title", language))
        for choice in self._buttons:
            lesson = self._library.lesson(choice.property("lesson_id"))
            choice.set_tile_text(f"{tr(lesson.title, language)}\n"
                                 f"{ui_text('choose.minutes', language, count=lesson.minutes)}")
