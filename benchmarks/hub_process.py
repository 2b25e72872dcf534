"""A real ``kiosk-hub serve`` process on 127.0.0.1 for the benchmarks that talk to a hub."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_hub(hub_dir: Path, db_url: str | None, port: int, *, workers: int = 1,
              quiet: bool = False) -> subprocess.Popen:
    """``kiosk-hub serve`` (``workers`` processes) on a database URL, or its own SQLite file when
    ``db_url`` is ``None``; returns once the hub answers its health check (60 s at most)."""
    import httpx

    env = {**os.environ, "KIOSK_HUB_DATA_DIR": str(hub_dir)}
    if db_url:
        env["KIOSK_HUB_DB"] = db_url
    command = [sys.executable, "-m", "kiosk.hub", "serve", "--port", str(port)]
    if workers > 1:
        command += ["--workers", str(workers)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL if quiet else None)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            threading.Event().wait(0.1)
    process.kill()
    raise SystemExit("the hub did not start")
