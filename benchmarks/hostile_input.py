"""Hostile input against a real hub process: memory growth against the 150 MB limit (DESIGN.md).

Starts ``kiosk-hub serve`` on 127.0.0.1 (SQLite in a temporary folder, or ``--db URL``), enrolls
one kiosk, then sends each attack on its own connection while sampling the hub process's RSS
(psutil, every 5 ms): a 200 MB enroll body without a token, a 1 MB gzip batch that inflates to
1 GB, and a 1 GB chunked batch upload without Content-Length (both with a valid token). Prints,
per attack, the answer, the time to it, and the peak growth over the RSS before it, side by side
with the limit.

    .venv/bin/python benchmarks/hostile_input.py [--db URL]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hub.hostile_client import (MB, MemoryWatch, alive, bomb_batch,  # noqa: E402
                                      chunked_upload, enroll_flood, gzip_bomb, start_hub)

LIMIT = 150 * MB


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="the hub database URL (default: SQLite in a temp folder)")
    args = parser.parse_args()
    bomb = gzip_bomb(1024 * MB)
    attacks = [("enroll body, 200 MB, no token", lambda hub: enroll_flood(hub.port, 200 * MB)),
               (f"gzip bomb batch, {len(bomb) / MB:.1f} MB -> 1 GB",
                lambda hub: bomb_batch(hub.port, hub.token, bomb)),
               ("chunked batch upload, 1 GB", lambda hub: chunked_upload(hub.port, hub.token))]
    worst = 0
    with tempfile.TemporaryDirectory() as folder:
        hub = start_hub(Path(folder), db=args.db)
        try:
            print(f"hub RSS before: {hub.rss() / MB:.0f} MB; limit on growth: {LIMIT / MB:.0f} MB")
            for name, attack in attacks:
                with MemoryWatch(hub.process.pid) as watch:
                    status, seconds = attack(hub)
                worst = max(worst, watch.growth)
                print(f"{name:38s} answer {status}  {seconds:5.2f} s  growth "
                      f"{watch.growth / MB:6.1f} MB = {watch.growth / LIMIT:5.1%} of the limit"
                      f"  (still answering: {alive(hub.port)})")
        finally:
            hub.stop()
    print(f"worst growth {worst / MB:.1f} MB against {LIMIT / MB:.0f} MB: "
          f"{'OK' if worst < LIMIT else 'OVER THE LIMIT'}")
    return 0 if worst < LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
