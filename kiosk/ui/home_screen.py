"""Home: one big tile per app; and the list of lessons for an app that has more than one."""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QWidget

from kiosk.lessons.library import Library
from kiosk.lessons.model import tr
from kiosk.locale import ui_text
from kiosk.ui.widgets import Screen, TopBar, column, label, scroll_area, tall_button


COLUMNS = 3  # two rows of three fit 1366×768 even at the largest text size


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
        for column_index in range(COLUMNS):
            grid.setColumnStretch(column_index, 1)
        self.tiles = {}
        for index, app in enumerate(library.apps_in_use()):
            tile = tall_button("", grid_holder, "tile")
            tile.setStyleSheet(f"border-left: 22px solid {app.color};")
            tile.clicked.connect(lambda _=False, app_id=app.id: self.app_was_chosen.emit(app_id))
            grid.addWidget(tile, index // COLUMNS, index % COLUMNS)
            self.tiles[app.id] = tile

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
        for app_id, tile in self.tiles.items():
            count = len(self._library.lessons_for(app_id))
            lessons = (ui_text("home.one_lesson", language) if count == 1
                       else ui_text("home.lessons_count", language, n=count))
            tile.setText(f"{tr(self._library.apps[app_id].name, language)}\n{lessons}")


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
        self._list = column(self._list_holder, margins=0, spacing=20)

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
                item.widget().deleteLater()
        self._buttons = []
        for lesson in self._library.lessons_for(app_id):
            choice = tall_button("", self._list_holder, "tile")
            choice.setProperty("lesson_id", lesson.id)
            choice.clicked.connect(lambda _=False, lid=lesson.id: self.lesson_was_chosen.emit(lid))
            self._list.addWidget(choice)
            self._buttons.append(choice)
        self._list.addStretch(1)
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
            choice.setText(f"{tr(lesson.title, language)}\n"
                           f"{ui_text('choose.minutes', language, n=lesson.minutes)}")
