"""The first screen a resident sees, and the one the kiosk returns to when left alone."""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QWidget

from kiosk.locale import ui_text
from kiosk.ui.widgets import Screen, button, column, label


class WelcomeScreen(Screen):
    start_was_tapped = Signal()
    language_was_tapped = Signal()
    text_size_was_tapped = Signal()
    contrast_was_tapped = Signal()
    admin_was_tapped = Signal()
    volunteer_was_tapped = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.subtitle = label("", self, "heading", plain=False, centered=True)
        self.title = label("", self, "title", plain=False, centered=True)
        self.body = label("", self, plain=False, centered=True)
        self.start = button("", self, "go")
        self.start.setMinimumHeight(160)
        self.language = button("", self)
        self.text_size = button("", self)
        self.contrast = button("", self)
        self.admin = button("", self, "quiet")
        self.volunteer = button("", self, "quiet")
        self.point = label("", self, "heading", centered=True)
        # Admin information (lessons that failed to load, records not yet at the hub) is kept
        # for the admin screens and tests but never shown on this public screen.
        self.notice = label("", self, "small")
        self.sync_note = label("", self, "small")
        self.notice.hide()
        self.sync_note.hide()
        self.help_point = ""

        options = QHBoxLayout()
        options.setSpacing(16)
        options.addWidget(self.language)
        options.addWidget(self.text_size)
        options.addWidget(self.contrast)
        options.addStretch(1)
        options.addWidget(self.volunteer)
        options.addWidget(self.admin)
        layout = column(self, margins=40, spacing=24)
        layout.addStretch(1)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.point)
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        layout.addSpacing(16)
        layout.addWidget(self.start)
        layout.addStretch(1)
        layout.addLayout(options)

        self.start.clicked.connect(self.start_was_tapped)
        self.language.clicked.connect(self.language_was_tapped)
        self.text_size.clicked.connect(self.text_size_was_tapped)
        self.contrast.clicked.connect(self.contrast_was_tapped)
        self.admin.clicked.connect(self.admin_was_tapped)
        self.volunteer.clicked.connect(self.volunteer_was_tapped)

    @property
    def default_focus(self):
        return self.start

    def refresh(self, language: str) -> None:
        self.subtitle.setText(ui_text("app.name", language) + " • "
                              + ui_text("welcome.subtitle", language))
        self.point.setText(ui_text("welcome.point", language, name=self.help_point)
                           if self.help_point else "")
        self.point.setVisible(bool(self.help_point))
        self.title.setText(ui_text("welcome.title", language))
        self.body.setText(ui_text("welcome.body", language))
        self.start.setText(ui_text("welcome.start", language))
        self.language.setText(ui_text("nav.language", language))
        self.text_size.setText(ui_text("nav.text_size", language))
        self.contrast.setText(ui_text("nav.contrast", language))
        self.admin.setText(ui_text("admin.button", language))
        self.volunteer.setText(ui_text("volunteer.button", language))

    def set_sync_note(self, text: str) -> None:
        """How many records are not yet at the ward hub (empty when all are); not shown."""
        self.sync_note.setText(text)

    def set_admin_notice(self, text: str) -> None:
        """A short notice for the admin (e.g. lessons that failed to load); not shown."""
        self.notice.setText(text)
