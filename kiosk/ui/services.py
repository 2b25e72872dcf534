"""The kiosk's services, each made the first time it is needed (so the cold start stays quick):
the lesson library, step pictures, narration, the hub sync and the "help is coming" dialog.

All of them do their slow work through the application's one task manager.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from kiosk.core import paths

if TYPE_CHECKING:  # the lesson modules load after the first paint
    from kiosk.lessons.library import Library
    from kiosk.ui.tasks import TaskManager


class Services(QObject):
    """``library_did_load(library)`` fires each time the lessons are read (first use, and
    after ``reload_library``); ``sync_state_did_change(unsent)`` when the sync state is read."""

    library_did_load = Signal(object)
    sync_state_did_change = Signal(int)

    def __init__(self, data_dir: Path, tasks: TaskManager, load_library: Callable[[], Library],
                 parent: QObject):
        super().__init__(parent)
        self._data_dir, self._tasks, self._load_library = data_dir, tasks, load_library
        self._library = None
        self._illustrations = None
        self._narrator = False  # not yet looked for
        self._sync = None
        self.help_dialog_made = None

    @property
    def library(self) -> Library:
        """The installed lessons, read on first use (just after the first paint)."""
        if self._library is None:
            self._library = self._load_library()
            self.library_did_load.emit(self._library)
        return self._library

    def reload_library(self) -> Library:
        """Read the installed lessons again (another pack was made current)."""
        self._library = None
        return self.library

    @property
    def illustrations(self):
        """Step pictures, drawn off the UI thread; made when a lesson is first opened."""
        if self._illustrations is None:
            from kiosk.ui.illustrations import IllustrationStore

            self._illustrations = IllustrationStore(lambda: self.library,
                                                    paths.cache_dir(self._data_dir),
                                                    self._tasks, self)
        return self._illustrations

    @property
    def narrator(self):
        """Reads steps aloud; None where no speech engine is installed. Made on first use."""
        if self._narrator is False:
            from kiosk.lessons.narration import narration_dir
            from kiosk.ui.narrator import Narrator

            self._narrator = (Narrator(narration_dir(self._data_dir), self._tasks, self)
                              if Narrator.available() else None)
        return self._narrator

    @property
    def sync(self):
        """Keeps the ward hub up to date in the background (once this kiosk is enrolled)."""
        if self._sync is None:
            from kiosk.ui.sync_service import SyncService

            self._sync = SyncService(self._tasks, self._data_dir, self)
            self._sync.state_did_change.connect(
                lambda: self.sync_state_did_change.emit(self._sync.state.get("unsent", 0)))
        return self._sync

    @property
    def help_dialog(self):
        """"A volunteer is coming", made on first use, over the window."""
        if self.help_dialog_made is None:
            from kiosk.ui.help_dialog import HelpCalledDialog

            self.help_dialog_made = HelpCalledDialog(self.parent())
        return self.help_dialog_made

    def stop_narration(self) -> None:
        if self._narrator:
            self._narrator.stop()

    def shutdown(self) -> None:
        """Stop what was made: no more pictures, narration or sync rounds (the task manager
        finishes or drops the work already queued)."""
        if self._illustrations is not None:
            self._illustrations.shutdown()
        if self._narrator:
            self._narrator.shutdown()
        if self._sync is not None:
            self._sync.stop()
