"""Kill ``kiosk demo`` with SIGKILL at random moments, many times over, on the same data folder:
every id it printed must be stored, ``kiosk check`` must pass and the outbox must have no gaps."""

import random
import signal
import subprocess
import sys
import threading
import time
import uuid

import pytest

from kiosk.core.db import connect

RUNS = 25
TIME_BUDGET_S = 50


def kill_demo_at_random(data_dir, rng: random.Random) -> list[str]:
    """Start a long demo, SIGKILL it after a random delay, return the ids it printed.

    One run in five is killed counting from its start (so during start-up, migrations or the demo
    account), the others counting from its first printed id (so mid-write).
    """
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "--data-dir", str(data_dir), "demo", "--sessions",
         "100000"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    lines: list[bytes] = []
    first_line = threading.Event()

    def read():
        for line in process.stdout:  # until the pipe closes, so nothing printed is missed
            lines.append(line)
            first_line.set()
        first_line.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    if rng.random() >= 0.2:
        assert first_line.wait(timeout=60), "kiosk demo printed nothing"
    time.sleep(rng.uniform(0.05, 0.6))  # the experiment: a random moment to pull the plug
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    reader.join(timeout=30)
    # A line cut short by the kill was never fully printed, so it promises nothing.
    return [line.decode().strip() for line in lines if line.endswith(b"\n")]


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_never_loses_a_printed_session(tmp_path):
    data_dir, rng, printed = tmp_path / "data", random.Random(), []
    started, runs = time.monotonic(), 0
    while runs < RUNS and time.monotonic() - started < TIME_BUDGET_S:
        printed += kill_demo_at_random(data_dir, rng)
        runs += 1
    assert runs >= 10 and printed
    assert all(uuid.UUID(value).version == 7 for value in printed)

    db = connect(data_dir / "kiosk.db")
    stored = {row[0] for row in db.execute("SELECT id FROM assistance_sessions")}
    missing = [value for value in printed if value not in stored]
    assert missing == [], f"{len(missing)} printed ids are not in the database"
    first, last, count = db.execute("SELECT min(seq), max(seq), count(*) FROM outbox").fetchone()
    assert (first, last) == (1, count), "the outbox sequence has gaps"
    queued = db.execute("SELECT count(*) FROM outbox WHERE record_type = 'assistance_session'")
    assert queued.fetchone()[0] == len(stored)
    db.conn.close()

    check = subprocess.run([sys.executable, "-m", "kiosk", "--data-dir", str(data_dir), "check"],
                           capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr
