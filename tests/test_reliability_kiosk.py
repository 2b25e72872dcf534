"""kill -9 of a running kiosk at any moment leaves a database that checks and a kiosk that starts."""

import random
import signal
import subprocess
import sys
from pathlib import Path

from kiosk.core import accounts
from kiosk.core.db import connect
from kiosk.core.integrity import check_database
from kiosk.core.paths import db_path

DRIVER = Path(__file__).with_name("kiosk_driver.py")
KILLS = 8


def run_and_kill(data_dir: Path, taps_before_kill: int) -> int:
    """Start the busy kiosk, let it make ``taps_before_kill`` taps, SIGKILL it; taps seen."""
    child = subprocess.Popen([sys.executable, str(DRIVER), str(data_dir)],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    seen = 0
    try:
        for line in child.stdout:
            seen = int(line)
            if seen >= taps_before_kill:
                break
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    return seen


def test_kill_9_at_random_moments_leaves_a_sound_database(data_dir, qtbot):
    db = connect(db_path(data_dir))
    accounts.create_account(db, name="Admin", role="admin", pin="2468")
    db.conn.close()
    rng = random.Random(2026)
    for _ in range(KILLS):
        assert run_and_kill(data_dir, rng.randint(5, 120)) >= 5
        db = connect(db_path(data_dir))
        assert check_database(db) == []
        db.conn.close()

    db = connect(db_path(data_dir))
    assert db["lesson_runs"].count > 0
    db.conn.close()
    result = subprocess.run([sys.executable, "-m", "kiosk", "--data-dir", str(data_dir),
                             "check"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout

    from kiosk.ui.app import build_window, create_application

    create_application()
    window, worker = build_window(data_dir)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.first_paint_did_happen):
        window.show()
    qtbot.waitUntil(lambda: worker.pending == 0)
    assert window.current() is window.welcome
    window.unlock_and_close()
    worker.shutdown()
