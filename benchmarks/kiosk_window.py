"""What the UI benchmarks share: a set-up kiosk in a throw-away folder, its window on screen."""

import contextlib
import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def prepare_data_dir(folder: Path) -> None:
    """A kiosk that has been set up (admin PIN chosen), as on every start after the first."""
    from kiosk.core import accounts
    from kiosk.core.db import connect

    db = connect(folder / "kiosk.db")
    accounts.create_account(db, name="Admin", role="admin", pin="2468")
    db.conn.close()


@contextlib.contextmanager
def kiosk_window(width: int = 1366, height: int = 768):
    """Yields ``(app, window)`` for a fresh kiosk; closes both afterwards."""
    from kiosk.ui.app import build_window, create_application

    app = create_application()
    with tempfile.TemporaryDirectory() as scratch:
        prepare_data_dir(Path(scratch))
        window, worker = build_window(Path(scratch))
        window.resize(width, height)
        window.show()
        app.processEvents()
        try:
            yield app, window
        finally:
            window.unlock_and_close()
            worker.shutdown()
