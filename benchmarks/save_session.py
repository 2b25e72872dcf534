"""Durable save of one assistance session, against one SQLite WAL commit of one row.

Both run in the same process on the same disk with the kiosk's pragmas (WAL, synchronous=FULL),
in alternating blocks so drift on a shared machine hits both alike. The figure is the ratio of the
medians; the target (DESIGN.md) is at most 3x.

    .venv/bin/python benchmarks/save_session.py [--saves 400] [--dir DIR]
"""

import argparse
import json
import sqlite3
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from kiosk.core import accounts, journal
from kiosk.core.db import configure, connect

TARGET = 3.0
SESSION = {
    "age_band": "60-74", "gender": "female", "neighbourhood": "Tổ 5", "satisfaction": "good",
    "services": [{"service": "vneid", "outcomes": ["installed", "account_activated"]},
                 {"service": "etax", "outcomes": ["not_solved"],
                  "unsolved_reason": "otp_not_received"}],
    "note": "Hẹn quay lại tuần sau, con gái gọi 0912 345 678.",
}


def one_row_commit(conn: sqlite3.Connection, payload: str) -> float:
    started = time.perf_counter()
    conn.execute("BEGIN")
    conn.execute("INSERT INTO plain (payload) VALUES (?)", [payload])
    conn.execute("COMMIT")
    return time.perf_counter() - started


def session_save(db, volunteer: str, start: datetime) -> float:
    started = time.perf_counter()
    journal.record_session(db, volunteer_id=volunteer, started_at=start,
                           ended_at=start + timedelta(minutes=6), **SESSION)
    return time.perf_counter() - started


def measure(folder: Path, saves: int) -> tuple[float, float]:
    plain = sqlite3.connect(folder / "plain.db", isolation_level=None)
    configure(plain)
    plain.execute("CREATE TABLE plain (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)")
    db = connect(folder / "kiosk.db")
    volunteer = accounts.create_account(db, name="Lan", role="volunteer", pin="2468")["id"]
    payload = json.dumps(SESSION, ensure_ascii=False)
    start = datetime.now(timezone.utc)
    baseline, ours = [], []
    for _ in range(saves // 20):
        for _ in range(20):
            baseline.append(one_row_commit(plain, payload))
            ours.append(session_save(db, volunteer, start))
    plain.close()
    db.conn.close()
    return statistics.median(baseline), statistics.median(ours)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=400)
    parser.add_argument("--dir", type=Path, default=None, help="where the databases go")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        baseline, ours = measure(Path(folder), args.saves)
    ratio = ours / baseline
    print(f"one-row WAL commit (synchronous=FULL), median: {baseline * 1000:.3f} ms")
    print(f"record_session (session + outbox, one transaction), median: {ours * 1000:.3f} ms")
    verdict = "OK" if ratio <= TARGET else "MISSED"
    print(f"ratio: {ratio:.2f}x (target <= {TARGET:.0f}x) -> {verdict}")


if __name__ == "__main__":
    main()
