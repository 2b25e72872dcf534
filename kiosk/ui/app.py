"""Starting the kiosk application."""

import os
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from kiosk.core import config as kiosk_config
from kiosk.core import paths
from kiosk.ui.tasks import TaskManager
from kiosk.ui.theme import load_bundled_fonts, style_sheet


def create_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication with the bundled font registered (reuses an existing one)."""
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    load_bundled_fonts()
    return app


def build_window(data_dir: Path, *, mode: str = "resident", fullscreen: bool = False):
    """Make the main window and the application's one task manager (its database queue and
    background queue) for the kiosk in ``data_dir``; the caller shuts the manager down."""
    from kiosk.ui.main_window import MainWindow

    config = kiosk_config.load(paths.config_path(data_dir))
    app = QApplication.instance()
    app.setStyleSheet(style_sheet(config.text_size, config.high_contrast))
    tasks = TaskManager(paths.db_path(data_dir))
    window = MainWindow(data_dir=data_dir, config=config, tasks=tasks,
                        load_library=lambda: _installed_library(data_dir),
                        locked=fullscreen, mode=mode)
    return window, tasks


def _installed_library(data_dir: Path):
    from kiosk.lessons.installed import installed_library

    return installed_library(data_dir)


def run_app(data_dir: Path, *, mode: str = "resident", fullscreen: bool = False) -> int:
    """Run the kiosk until it is closed; returns the exit status."""
    app = create_application()
    window, tasks = build_window(data_dir, mode=mode, fullscreen=fullscreen)
    if os.environ.get("KIOSK_INSPECT_SOCKET"):  # real-use tests only: nothing listens otherwise
        from kiosk.ui.inspector import Inspector

        Inspector(os.environ["KIOSK_INSPECT_SOCKET"], window)
    if fullscreen:
        # Cover the whole screen even where no window manager honours the full-screen request.
        window.setGeometry(app.primaryScreen().geometry())
        from PySide6.QtCore import Qt

        # Kept above other windows, and it takes the focus back when it loses it.
        window.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint)
        window.showFullScreen()
    else:
        window.resize(1366, 768)
        window.show()
    status = app.exec()
    tasks.shutdown()
    return status
