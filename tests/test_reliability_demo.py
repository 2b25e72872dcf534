"""Kill ``kiosk demo`` with SIGKILL at random moments, many times over, on the same data folder:
every id it printed must be stored, ``kiosk check`` must pass and the outbox must have no gaps.

The moments are events, not delays: the demo runs with every SQL statement it executes reported
on its stderr (``TRACED``), and is killed right after a random statement — so a kill lands inside
start-up, a migration, a transaction or between commits however fast or slow the machine is.
"""

import random
import signal
import subprocess
import sys
import threading
import uuid

import pytest

from kiosk.core.db import connect
from kiosk.core.paths import db_path

RUNS = 15
# Runs the kiosk's command line with every SQLite statement announced on stderr, flushed,
# before it executes (sqlite3's trace callback), so the parent can act on "statement N began".
TRACED = """
import runpy, sqlite3, sys
_connect = sqlite3.connect
def _traced(*args, **kwargs):
    conn = _connect(*args, **kwargs)
    conn.set_trace_callback(lambda _sql: (sys.stderr.write("sql\\n"), sys.stderr.flush()))
    return conn
sqlite3.connect = _traced
sys.argv = ["kiosk", *sys.argv[1:]]
runpy.run_module("kiosk", run_name="__main__", alter_sys=True)
"""


def kill_demo_at_random(data_dir, rng: random.Random) -> list[str]:
    """Start a long demo, SIGKILL it right after a random SQL statement, return the ids it
    printed.

    One run in five is killed counting statements from its start (so during start-up, migrations
    or the demo account), the others counting from its first printed id (so mid-write).
    """
    process = subprocess.Popen(
        [sys.executable, "-c", TRACED, "--data-dir", str(data_dir), "demo", "--sessions",
         "100000"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    from_start = rng.random() < 0.2
    target = rng.randint(1, 60 if from_start else 120)  # the experiment: when to pull the plug
    lines: list[bytes] = []
    first_line, moment = threading.Event(), threading.Event()

    def read_ids():
        for line in process.stdout:  # until the pipe closes, so nothing printed is missed
            lines.append(line)
            first_line.set()
        first_line.set()

    def count_statements():
        seen = 0
        for _ in process.stderr:  # read to the end, so the child never blocks on a full pipe
            if from_start or first_line.is_set():
                seen += 1
            if seen >= target:
                moment.set()
        moment.set()  # the process ended first (it must not: the test says so below)

    readers = [threading.Thread(target=fn, daemon=True) for fn in (read_ids, count_statements)]
    for reader in readers:
        reader.start()
    assert moment.wait(timeout=120), "kiosk demo made no progress"
    assert process.poll() is None, "kiosk demo ended before it was killed"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    for reader in readers:
        reader.join(timeout=30)
    # A line cut short by the kill was never fully printed, so it promises nothing.
    return [line.decode().strip() for line in lines if line.endswith(b"\n")]


@pytest.mark.slow
@pytest.mark.timeout(600)
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_never_loses_a_printed_session(tmp_path):
    data_dir, rng, printed = tmp_path / "data", random.Random(), []
    for _ in range(RUNS):
        printed += kill_demo_at_random(data_dir, rng)
    assert printed
    assert all(uuid.UUID(value).version == 7 for value in printed)

    db = connect(db_path(data_dir))
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
