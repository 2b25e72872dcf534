"""2,000 kiosks reconnecting within one minute to a hub on PostgreSQL, on loopback.

The hub runs as its own processes (``kiosk-hub serve --workers N``) on 127.0.0.1 over the
PostgreSQL database named by ``--db`` (its hub tables are emptied first). ``--kiosks`` kiosks
(default 2,000) are enrolled as real kiosks are — each its own Ed25519 key, a one-time code of its
help point redeemed with that key (straight in the hub's database: enrollment is not what is
measured) — across 126 wards. Then each kiosk, at a random moment of a ``--window``-second
window (default 60), sends ``--batches`` small batches of ``--rows`` lesson runs, built as
``kiosk.sync.push`` builds them and signed by its key through the kiosk's own ``HubClient``.
A failed request (an error status or no answer) is retried on ``RetrySchedule``'s jittered
backoff, at most ``--tries`` times. Bounded in count and time: it stops by itself.

Printed: requests, 5xx answers (target: none), records lost (sent and acknowledged against what
the hub's ``records`` table holds at the end: target none), and latency p50/p95/p99/max.

    .venv/bin/python benchmarks/reconnect_storm.py --db postgresql://… [--kiosks 2000]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hub_process import free_port, start_hub  # noqa: E402
from kiosk.hub.database import now_iso, open_engine  # noqa: E402
from kiosk.hub.enrollment import make_code, redeem_code  # noqa: E402
from kiosk.hub.keys import load_or_create  # noqa: E402
from kiosk.hub.schema import REPORT_TABLES  # noqa: E402
from kiosk.core.ids import uuid7  # noqa: E402
from kiosk.sync import identity  # noqa: E402
from kiosk.sync.client import HubClient, HubRefused, NotConnected  # noqa: E402
from kiosk.sync.schedule import RetrySchedule  # noqa: E402

WARDS = 126


class Kiosk:
    """One simulated kiosk: its id, key, token and the batches it will send."""

    def __init__(self, device: str, key, token: str, batches: int, rows: int):
        self.device, self.key, self.token = device, key, token
        self.bodies = [self._body(n * rows + 1, rows) for n in range(batches)]
        self.acknowledged = 0

    def _body(self, first: int, rows: int) -> bytes:
        now = now_iso()
        records = [{"seq": first + n, "record_type": "lesson_run", "record": {
            "id": str(uuid7()), "device_id": self.device, "revision": 1,
            "lesson_id": "vneid-activate", "lesson_version": "1.0", "language": "vi",
            "text_size": "normal", "furthest_step": 3, "total_steps": 8, "completed": 0,
            "rating": None, "help_requested": 0, "started_at": now, "ended_at": None,
            "updated_at": now}} for n in range(rows)]
        return json.dumps({"device_id": self.device, "first_seq": first,
                           "last_seq": first + rows - 1, "sent_at": now,
                           "outbox_last_seq": first + rows - 1, "records": records}).encode()


def enroll_all(engine, keys, count: int, batches: int, rows: int) -> list[Kiosk]:
    """``count`` kiosks at points spread over the wards, each enrolled with its own key."""
    kiosks = []
    for n in range(count):
        key, device = identity.new_key(), str(uuid7())
        point = f"Điểm {n:04d}"
        code = make_code(engine, point, keys=keys, ward=f"Phường {n % WARDS:03d}")["code"]
        granted = redeem_code(engine, code, device, identity.public_text(key))
        kiosks.append(Kiosk(device, key, granted["token"], batches, rows))
    return kiosks


def run_kiosk(kiosk: Kiosk, url: str, start_at: float, tries: int, stats: dict,
              lock: threading.Lock) -> None:
    """Wait for the kiosk's moment, then send its batches, retrying with jittered backoff."""
    pause = threading.Event()
    pause.wait(max(0.0, start_at - time.monotonic()))  # the kiosk comes back online
    schedule = RetrySchedule(base=1.0, cap=8.0, jitter=0.5)
    with HubClient(url, token=kiosk.token, device_key=kiosk.key, timeout=30) as client:
        for body in kiosk.bodies:
            for _ in range(tries):
                started = time.perf_counter()
                try:
                    ack = client.push_batch(body)
                    status = 200
                except HubRefused as refused:
                    ack, status = None, refused.status
                except NotConnected as failure:  # 500: the hub (or what fronts it) failed
                    ack = None
                    status = 500 if failure.kind == "hub_error" or "(HTTP 5" in str(failure) \
                        else 0
                with lock:
                    stats["latency"].append(time.perf_counter() - started)
                    stats["status"][status] = stats["status"].get(status, 0) + 1
                if ack is not None:
                    kiosk.acknowledged += ack["new"] + ack["already_present"]
                    break
                pause.wait(schedule.record_failure())


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True, help="a PostgreSQL URL (its hub tables are emptied)")
    parser.add_argument("--kiosks", type=int, default=2000)
    parser.add_argument("--batches", type=int, default=2)
    parser.add_argument("--rows", type=int, default=20)
    parser.add_argument("--window", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2, help="hub processes")
    parser.add_argument("--threads", type=int, default=200, help="kiosks in flight at once")
    parser.add_argument("--tries", type=int, default=5)
    args = parser.parse_args()
    engine = open_engine(args.db)
    with engine.begin() as connection:
        connection.exec_driver_sql("TRUNCATE records, devices, enroll_codes, help_points, wards, "
                                   + ", ".join(table.name for table in REPORT_TABLES))
    with tempfile.TemporaryDirectory() as folder:
        hub_dir, port = Path(folder), free_port()
        keys = load_or_create(hub_dir)
        started = time.perf_counter()
        kiosks = enroll_all(engine, keys, args.kiosks, args.batches, args.rows)
        print(f"enrolled {len(kiosks):,} kiosks in {time.perf_counter() - started:.0f} s",
              flush=True)
        hub = start_hub(hub_dir, args.db, port, workers=args.workers, quiet=True)
        try:
            stats, lock = {"latency": [], "status": {}}, threading.Lock()
            rng, origin = random.Random(3), time.monotonic() + 1
            started = time.perf_counter()
            with ThreadPoolExecutor(args.threads) as pool:
                for kiosk in sorted(kiosks, key=lambda _: rng.random()):
                    pool.submit(run_kiosk, kiosk, f"http://127.0.0.1:{port}",
                                origin + rng.random() * args.window, args.tries, stats, lock)
            elapsed = time.perf_counter() - started
        finally:
            hub.terminate()
            hub.wait(30)
    with engine.connect() as connection:
        stored = connection.exec_driver_sql("SELECT count(*) FROM records").scalar_one()
    sent = args.kiosks * args.batches * args.rows
    acknowledged = sum(kiosk.acknowledged for kiosk in kiosks)
    latency, status = stats["latency"], stats["status"]
    server_errors = sum(n for code, n in status.items() if code >= 500)
    print(f"{args.kiosks:,} kiosks × {args.batches} batches of {args.rows} records within "
          f"{args.window:.0f} s, {args.workers} hub processes on PostgreSQL: {elapsed:.0f} s")
    print(f"requests: {len(latency):,}; answers by status: {dict(sorted(status.items()))} "
          f"(0: no answer); 5xx: {server_errors} (target 0)")
    print(f"records sent {sent:,}, acknowledged {acknowledged:,}, stored at the hub {stored:,}: "
          f"lost {sent - stored:,} (target 0)")
    print(f"latency p50 {statistics.median(latency) * 1000:.0f} ms, p95 "
          f"{percentile(latency, 0.95) * 1000:.0f} ms, p99 {percentile(latency, 0.99) * 1000:.0f} "
          f"ms, max {max(latency) * 1000:.0f} ms")
    engine.dispose()


if __name__ == "__main__":
    main()
