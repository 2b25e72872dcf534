"""The ward report with one million records at the hub: a month's dashboard figures against the
one-second limit, and a year's CSV streamed in bounded memory.

Builds an SQLite hub database (the hub's own schema and indexes, via ``open_engine``) holding
1,000,000 records over 2025 — 60% assistance sessions, 30% lesson runs, 10% help requests — from
40 kiosks at 20 help points. The rows go in with ``executemany`` straight into ``records`` and,
through ``kiosk.hub.projections.project`` (the ingest path's own code), into the report tables: a
benchmark of the report, not of the network. Then, in a fresh process:
* ``ward_report`` for one month, every help point (what the dashboard page calls), median of 5,
  printed against the 1 s limit; also one month at one point, and the whole year;
* a year's CSV (``report_export.to_csv`` over ``report_rows``) streamed to a file, with the peak
  growth of the process's resident memory (sampled every 5 ms) and of Python's allocations
  (``tracemalloc``, a second pass) — bounded, against the size of what was written;
* a month's XLSX, for its time.

    .venv/bin/python benchmarks/report_1m.py [--records 1000000] [--db FILE] [--keep]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import orjson  # noqa: E402

from kiosk.hub.database import open_engine  # noqa: E402
from kiosk.hub.projections import project  # noqa: E402
from kiosk.core.ids import uuid7  # noqa: E402
from kiosk.core.journal import AGE_BANDS, DISABILITIES, GENDERS, OUTCOMES, SERVICES  # noqa: E402

POINTS = [f"Nhà văn hóa tổ {n}" for n in range(1, 21)]
YEAR = (date(2025, 1, 1), date(2025, 12, 31))
MONTH = (date(2025, 6, 1), date(2025, 6, 30))
CHUNK = 20_000
LIMIT_S = 1.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, help="build here (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="reuse --db if it exists")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    folder = Path(tempfile.mkdtemp()) if args.db is None else args.db.parent
    path = args.db or folder / "hub.db"
    if not (args.keep and path.exists()):
        path.unlink(missing_ok=True)
        started = time.perf_counter()
        build(path, args.records)
        print(f"built {args.records:,} records at {len(POINTS)} help points in "
              f"{time.perf_counter() - started:.0f} s ({path.stat().st_size / 2**20:.0f} MB)")
    child = subprocess.run([sys.executable, __file__, "--measure", str(path)],
                           capture_output=True, text=True, check=True)
    show(json.loads(child.stdout.strip().splitlines()[-1]))


def build(path: Path, count: int) -> None:
    """``count`` records and their report rows, in transactions of ``CHUNK``."""
    engine = open_engine(f"sqlite:///{path}")
    devices = [(str(uuid7()), POINTS[n % len(POINTS)]) for n in range(2 * len(POINTS))]
    points = dict(devices)
    rng = random.Random(2025)
    seen = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
    with engine.connect() as connection:
        # a benchmark database: no fsync per transaction (the hub itself keeps synchronous=FULL)
        connection.connection.dbapi_connection.execute("PRAGMA synchronous=OFF")
        with connection.begin():
            connection.exec_driver_sql(
                "INSERT INTO devices (device_id, point, first_seen_at, last_seen_at, "
                "acknowledged_seq, kiosk_last_seq) VALUES (?, ?, ?, ?, 0, ?)",
                [(device, point, seen, seen, rng.randint(0, 40)) for device, point in devices])
        for first in range(0, count, CHUNK):
            entries = [_entry(rng, devices, seen) for _ in range(min(CHUNK, count - first))]
            with connection.begin():
                connection.exec_driver_sql(
                    "INSERT INTO records (record_type, record_id, device_id, revision, payload, "
                    "kiosk_time, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(e["record_type"], e["record_id"], e["device_id"], 1,
                      orjson.dumps(e["record"]).decode(), e["record"]["updated_at"], seen)
                     for e in entries])
                project(connection, entries, points)
    engine.dispose()


def _entry(rng: random.Random, devices: list, received: str) -> dict:
    device = rng.choice(devices)[0]
    start = datetime(2025, 1, 1, 1, tzinfo=timezone.utc) + timedelta(
        seconds=rng.randrange(365 * 86400))
    started = start.isoformat(timespec="milliseconds")
    roll, record_id = rng.random(), str(uuid7())
    base = {"id": record_id, "device_id": device, "revision": 1, "updated_at": started}
    if roll < 0.6:
        kind, record = "assistance_session", {**base, **_session(rng, started)}
    elif roll < 0.9:
        kind, record = "lesson_run", {**base, "lesson_id": "vneid-activate", "started_at": started,
                                      "completed": int(rng.random() < 0.6), "rating": "good",
                                      "help_requested": int(rng.random() < 0.1)}
    else:
        kind, record = "help_request", {**base, "created_at": started,
                                        "status": rng.choice(("open", "taken"))}
    return {"record_type": kind, "record_id": record_id, "device_id": device, "revision": 1,
            "received_at": received, "record": record}


def _session(rng: random.Random, started: str) -> dict:
    services = []
    for service in rng.sample(SERVICES, rng.choice((1, 1, 1, 2, 2, 3))):
        outcomes = rng.sample(OUTCOMES[:-1], rng.randint(1, 2))
        unsolved = rng.random() < 0.12
        services.append({"service": service, "outcomes": outcomes + ["not_solved"] * unsolved,
                         "unsolved_reason": "otp_not_received" if unsolved else None})
    return {"age_band": rng.choice(AGE_BANDS), "gender": rng.choice((*GENDERS, None)),
            "disability": rng.choice((*DISABILITIES, None)), "services": services,
            "satisfaction": rng.choice(("good", "good", "good", "ok", "bad", None)),
            "duration_s": rng.randint(120, 1800), "started_at": started,
            "volunteer_id": str(uuid7()), "note": None, "neighbourhood": None}


def measure(path: Path) -> dict:
    """In a fresh process: the report timings, then the year's CSV and its memory."""
    import psutil

    from kiosk.hub.reports import ward_report

    engine = open_engine(f"sqlite:///{path}")
    result = {}
    with engine.connect() as connection:
        for name, (start, end), point in (("month", MONTH, None), ("month_point", MONTH,
                                                                   POINTS[3]),
                                          ("year", YEAR, None)):
            times = []
            for _ in range(5 if name != "year" else 3):
                began = time.perf_counter()
                report = ward_report(connection, start=start, end=end, point=point)
                times.append(time.perf_counter() - began)
            result[name] = {"median_s": statistics.median(times), "runs": times,
                            "sessions": report["totals"]["sessions"]}
    process = psutil.Process()
    result["csv"] = _stream_csv(engine, path.with_suffix(".csv"), process)
    result["csv_python_peak_mb"] = _python_peak(engine, path.with_suffix(".csv"))
    began = time.perf_counter()
    _export(engine, path.with_suffix(".xlsx"), MONTH, "xlsx")
    result["xlsx_month_s"] = time.perf_counter() - began
    return result


def _export(engine, out: Path, period, fmt: str) -> dict:
    from kiosk.hub.report_export import write_report

    return write_report(engine, out, fmt=fmt, start=period[0], end=period[1], point=None)


def _stream_csv(engine, out: Path, process) -> dict:
    """A year's CSV, sampling the resident memory every 5 ms."""
    before, peak, done = process.memory_info().rss, [0], threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], process.memory_info().rss)
            time.sleep(0.005)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    began = time.perf_counter()
    written = _export(engine, out, YEAR, "csv")
    elapsed = time.perf_counter() - began
    done.set()
    sampler.join()
    return {"rows": written["sessions"], "seconds": elapsed,
            "file_mb": out.stat().st_size / 2**20, "rss_growth_mb": (peak[0] - before) / 2**20}


def _python_peak(engine, out: Path) -> float:
    import tracemalloc

    tracemalloc.start()
    _export(engine, out, YEAR, "csv")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def show(result: dict) -> None:
    month, point, year = result["month"], result["month_point"], result["year"]
    print(f"ward_report, one month ({month['sessions']:,} sessions), every help point: "
          f"median {month['median_s'] * 1000:.0f} ms of 5 = {month['median_s'] / LIMIT_S:.2f} "
          f"of the {LIMIT_S:.0f} s limit (runs: "
          f"{', '.join(f'{t * 1000:.0f}' for t in month['runs'])} ms)")
    print(f"ward_report, one month at one help point: median {point['median_s'] * 1000:.0f} ms; "
          f"the whole year ({year['sessions']:,} sessions): {year['median_s'] * 1000:.0f} ms")
    csv = result["csv"]
    print(f"a year's CSV: {csv['rows']:,} session lines, {csv['file_mb']:.0f} MB in "
          f"{csv['seconds']:.1f} s; resident memory grew {csv['rss_growth_mb']:.1f} MB at most, "
          f"Python's allocations peaked at {result['csv_python_peak_mb']:.1f} MB "
          f"(bounded: rows are fetched 1,000 at a time)")
    print(f"a month's XLSX: {result['xlsx_month_s']:.1f} s")


if __name__ == "__main__":
    main()
