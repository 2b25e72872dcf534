"""USB export of 100,000 sessions, against writing the same rows as JSON lines with plain sqlite3.

The baseline reads every session row with the standard ``sqlite3`` module, ``json.dumps`` each
row and writes the lines to a ``.jsonl`` file, flushed and fsynced. The export is the whole of
``write_bundle``: stream the outbox, compress, checksum, fsync, rename, read back and verify,
record the export. Runs alternate; the figure is the ratio of the best rates; the target
(DESIGN.md) is at least 50%.

    .venv/bin/python benchmarks/export_bundle.py [--sessions 100000] [--repeat 3] [--dir DIR]
"""

import argparse
import json
import os
import random
import sqlite3
import tempfile
import time
from datetime import datetime
from pathlib import Path

from kiosk.core.db import connect
from kiosk.core.demo import demo_session, demo_volunteers
from kiosk.core.journal import record_session
from kiosk.sync.bundle import write_bundle

TARGET = 0.50


def fill(db, sessions: int) -> None:
    """``sessions`` demo sessions, committed 5,000 at a time to keep set-up short."""
    rng, volunteers = random.Random(1), demo_volunteers(db)
    now = datetime.now().astimezone()
    for start in range(0, sessions, 5000):
        with db.atomic():
            for _ in range(min(5000, sessions - start)):
                record_session(db, **demo_session(rng, volunteers, ("Tổ 1", "Tổ 2"), now))


def plain_jsonl(db_path: Path, out_path: Path) -> tuple[float, int]:
    started = time.perf_counter()
    conn = sqlite3.connect(db_path)
    cursor = conn.execute("SELECT * FROM assistance_sessions")
    columns = [c[0] for c in cursor.description]
    rows = 0
    with open(out_path, "w", encoding="utf-8") as out:
        for row in cursor:
            out.write(json.dumps(dict(zip(columns, row)), ensure_ascii=False) + "\n")
            rows += 1
        out.flush()
        os.fsync(out.fileno())
    conn.close()
    return time.perf_counter() - started, rows


def bundle(db, folder: Path) -> tuple[float, int, int]:
    folder.mkdir()
    started = time.perf_counter()
    result = write_bundle(db, folder, include_all=True)
    return time.perf_counter() - started, result.records, result.bytes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as name:
        folder = Path(name)
        db = connect(folder / "kiosk.db")
        started = time.perf_counter()
        fill(db, args.sessions)
        print(f"set-up: {args.sessions:,} sessions in {time.perf_counter() - started:.1f} s")
        plain_rates, bundle_rates = [], []
        for run in range(args.repeat):
            seconds, rows = plain_jsonl(folder / "kiosk.db", folder / f"plain-{run}.jsonl")
            plain_rates.append(rows / seconds)
            seconds, records, size = bundle(db, folder / f"usb-{run}")
            bundle_rates.append(records / seconds)
        jsonl_size = (folder / "plain-0.jsonl").stat().st_size
        db.conn.close()
    plain, ours = max(plain_rates), max(bundle_rates)
    print(f"plain sqlite3 + json.dumps to .jsonl: {plain:,.0f} rows/s ({jsonl_size / 1e6:.1f} MB)")
    print(f"write_bundle (verified, compressed): {ours:,.0f} records/s ({size / 1e6:.1f} MB)")
    ratio = ours / plain
    print(f"ratio: {ratio:.0%} of the plain rate (target >= {TARGET:.0%}) -> "
          f"{'OK' if ratio >= TARGET else 'MISSED'}")


if __name__ == "__main__":
    main()
