"""Sync of 100,000 records kiosk → hub on loopback, against a raw ``executemany`` insert.

The hub runs as its own process (``kiosk-hub serve``) on 127.0.0.1 with its default database
(SQLite, WAL, synchronous=FULL) or ``--db postgresql://…``. A kiosk database is filled with N
lesson-run records (one outbox row each, as the kiosk writes them), enrolled, and one sync round
pushes everything: read outbox, build and compress batches, HTTP, parse, validate, upsert, commit,
signed acknowledgement, mark sent. The limit it is held against: the same rows inserted with one
``executemany`` in one transaction into a fresh copy of the hub's ``records`` table, in the same
database engine, in the same run. Target (DESIGN.md): sync rate ≥ 25% of the raw rate.

    .venv/bin/python benchmarks/sync_100k.py [--records N] [--db URL] [--batch-rows N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hub_process import free_port, start_hub  # noqa: E402
from kiosk.core.db import connect, device_id, now_iso  # noqa: E402
from kiosk.hub.database import open_engine  # noqa: E402
from kiosk.hub.schema import REPORT_TABLES  # noqa: E402
from kiosk.core.ids import uuid7  # noqa: E402
from kiosk.sync.enroll import client_for, enroll  # noqa: E402
from kiosk.sync.push import BATCH_ROWS, sync_round  # noqa: E402


def fill_kiosk(db, count: int) -> None:
    """``count`` lesson runs and their outbox rows, as ``kiosk.core.lesson_runs.start_run`` makes
    them, written in bulk (the benchmark is about the sync, not the recording)."""
    device, now = device_id(db), now_iso()
    runs, outbox = [], []
    for _ in range(count):
        run = {"id": uuid7(), "device_id": device, "revision": 1, "lesson_id": "vneid-activate",
               "lesson_version": "1.0", "language": "vi", "text_size": "normal",
               "furthest_step": 3, "total_steps": 8, "completed": 0, "rating": None,
               "help_requested": 0, "started_at": now, "ended_at": None, "updated_at": now}
        runs.append(run)
        outbox.append(("lesson_run", run["id"], 1, json.dumps(
            run, ensure_ascii=False, separators=(",", ":"), sort_keys=True), now))
    with db.atomic():
        db["lesson_runs"].insert_all(runs, batch_size=5000)
        db.conn.executemany("INSERT INTO outbox (record_type, record_id, revision, payload, "
                            "created_at) VALUES (?, ?, ?, ?, ?)", outbox)


def raw_rate(db_url: str, rows: list[tuple]) -> float:
    """Rows per second of one executemany, in one transaction, into a fresh copy of the hub's
    records table (same columns, UNIQUE constraint and indexes)."""
    engine = open_engine(db_url)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE IF EXISTS raw_records")
        if engine.dialect.name == "sqlite":
            ddl = connection.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = "
                                             "'records'").scalar_one()
            connection.exec_driver_sql(ddl.replace("records", "raw_records", 1)
                                       .replace("records_type_id_unique", "raw_unique"))
            indexes = connection.exec_driver_sql(  # the same secondary indexes as the hub's
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'records' "
                "AND sql IS NOT NULL").scalars().all()
            for index in indexes:
                connection.exec_driver_sql(index.replace(" records_", " raw_records_", 1)
                                           .replace("ON records", "ON raw_records"))
        else:
            connection.exec_driver_sql("CREATE TABLE raw_records (LIKE records INCLUDING ALL)")
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        marker = "?" if engine.dialect.name == "sqlite" else "%s"
        sql = (f"INSERT INTO raw_records (record_type, record_id, device_id, revision, payload, "
               f"kiosk_time, received_at, clock_offset_s) VALUES ({', '.join([marker] * 8)})")
        if engine.dialect.name == "sqlite":
            cursor.execute("BEGIN")
        start = time.perf_counter()
        cursor.executemany(sql, rows)
        raw.commit()
        elapsed = time.perf_counter() - start
    finally:
        raw.close()
        engine.dispose()
    return len(rows) / elapsed


def sync_once(folder: Path, kiosk, db_url: str | None, count: int, batch_rows: int) -> float:
    """Seconds for one round pushing every outbox row to a fresh hub in its own process."""
    hub_dir = Path(tempfile.mkdtemp(dir=folder))
    db_url = db_url or f"sqlite:///{hub_dir / 'hub.db'}"
    env = {**os.environ, "KIOSK_HUB_DATA_DIR": str(hub_dir), "KIOSK_HUB_DB": db_url}
    if db_url.startswith("postgres"):  # a shared server: start from an empty hub each run
        engine = open_engine(db_url)
        with engine.begin() as connection:
            connection.exec_driver_sql("TRUNCATE records, devices, enroll_codes, "
                                       + ", ".join(table.name for table in REPORT_TABLES))
        engine.dispose()
    port = free_port()
    hub = start_hub(hub_dir, db_url, port)
    try:
        code = json.loads(subprocess.run(
            [sys.executable, "-m", "kiosk.hub", "enroll-code", "--point", "bench", "--json"],
            env=env, capture_output=True, text=True, check=True).stdout)["code"]
        enroll(kiosk, f"http://127.0.0.1:{port}", code)
        with kiosk.atomic():
            kiosk.execute("UPDATE outbox SET sent_at = NULL")
        with client_for(kiosk, timeout=120) as client:
            start = time.perf_counter()
            result = sync_round(kiosk, client, batch_rows=batch_rows)
            elapsed = time.perf_counter() - start
        assert result.ok and result.unsent == 0 and result.sent == count, result
        return elapsed
    finally:
        hub.terminate()
        hub.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--batch-rows", type=int, default=BATCH_ROWS)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; medians are shown")
    parser.add_argument("--db", default=None, help="hub database URL (default: SQLite)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        kiosk = connect(folder / "kiosk.db")
        fill_kiosk(kiosk, args.records)
        rows = [(kind, rid, device_id(kiosk), rev, payload, now_iso(), now_iso(), None)
                for kind, rid, rev, payload in kiosk.execute(
                    "SELECT record_type, record_id, revision, payload FROM outbox")]
        syncs, raws = [], []
        for _ in range(args.repeat):
            syncs.append(sync_once(folder, kiosk, args.db, args.records, args.batch_rows))
            raw_url = args.db or f"sqlite:///{Path(tempfile.mkdtemp(dir=folder)) / 'hub.db'}"
            raws.append(args.records / raw_rate(raw_url, rows))
    sync_s, raw_s = statistics.median(syncs), statistics.median(raws)
    sync_rate, raw = args.records / sync_s, args.records / raw_s
    backend = "PostgreSQL" if (args.db or "").startswith("postgres") else "SQLite"
    print(f"hub database: {backend}; {args.records} records, batches of {args.batch_rows}, "
          f"median of {args.repeat} runs")
    print(f"sync kiosk → hub (HTTP on loopback): {sync_s:.2f} s = {sync_rate:,.0f} records/s "
          f"(runs: {', '.join(f'{t:.2f}' for t in syncs)} s)")
    print(f"raw executemany into the hub table:  {raw_s:.2f} s = {raw:,.0f} rows/s "
          f"(runs: {', '.join(f'{t:.2f}' for t in raws)} s)")
    print(f"ratio: {sync_rate / raw:.0%} of the raw rate (target ≥ 25%)")


if __name__ == "__main__":
    main()
