"""A real hub process under attack, for tests/hub/test_hostile_memory.py and
benchmarks/hostile_input.py: ``kiosk-hub serve`` on 127.0.0.1 in its own process, hostile requests
sent over raw sockets (a huge enroll body, a gzip bomb batch, a 1 GB chunked upload), and the
process's memory (psutil RSS, sampled every few milliseconds) watched while it answers.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

import psutil

MB = 1024 * 1024
START_TIMEOUT_S = 60


@dataclass
class HubProcess:
    process: subprocess.Popen
    port: int
    token: str
    device: str

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(15)

    def rss(self) -> int:
        return psutil.Process(self.process.pid).memory_info().rss


def start_hub(data_dir: Path, *, db: str | None = None, options: tuple = (),
              with_kiosk: bool = True) -> HubProcess:
    """``kiosk-hub serve`` (with ``options``) on a free port of 127.0.0.1 over ``data_dir``,
    with one kiosk enrolled through the real API when ``with_kiosk`` (its token and device id
    kept). Raises ``RuntimeError`` when the hub does not start within ``START_TIMEOUT_S``."""
    from kiosk.core.db import connect, device_id
    from kiosk.hub.enrollment import make_code
    from kiosk.hub.site import open_hub
    from kiosk.sync.enroll import enroll, enrollment

    hub = open_hub(db, data_dir)
    code = make_code(hub.engine, "Nhà văn hóa tổ 5", keys=hub.keys)["code"]
    hub.close()
    port = _free_port()
    command = [sys.executable, "-m", "kiosk.hub", "serve", "--data-dir", str(data_dir),
               "--port", str(port), *options] + (["--db", db] if db else [])
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    try:
        _wait_listening(process, port)
        if not with_kiosk:
            return HubProcess(process, port, "", "")
        kiosk = connect(data_dir / "kiosk.db")
        enroll(kiosk, f"http://127.0.0.1:{port}", code)
        found = HubProcess(process, port, enrollment(kiosk).device_token, device_id(kiosk))
        kiosk.conn.close()
        return found
    except BaseException:
        process.kill()
        process.wait(15)
        raise


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_listening(process: subprocess.Popen, port: int) -> None:
    """Wait for the hub's "listening" line, then for its socket to accept."""
    line = process.stdout.readline()
    if "listening" not in line:
        raise RuntimeError(f"the hub did not start: {line}{process.stdout.read()}")
    threading.Thread(target=process.stdout.read, daemon=True).start()  # never block its output
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("the hub did not start listening") from None
            time.sleep(0.02)


class MemoryWatch:
    """The peak RSS of a process while the ``with`` block runs, sampled every ``interval`` s."""

    def __init__(self, pid: int, interval: float = 0.005):
        self._process, self._interval = psutil.Process(pid), interval
        self._stop = threading.Event()
        self.before = self.peak = self._process.memory_info().rss

    def __enter__(self) -> MemoryWatch:
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_):
        self._stop.set()
        self._thread.join(5)

    @property
    def growth(self) -> int:
        return self.peak - self.before

    def _sample(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self.peak = max(self.peak, self._process.memory_info().rss)
            except psutil.Error:
                return


def send_raw(port: int, head: str, body_chunks, *, timeout: float = 120.0) -> tuple[int, float]:
    """Send ``head`` then ``body_chunks`` (an iterable of bytes) on one connection while reading
    the answer; stop sending once the hub answers or closes. Returns (status, seconds)."""
    started = time.monotonic()
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    answered = threading.Event()

    def write():
        try:
            sock.sendall(head.encode("latin-1"))
            for chunk in body_chunks:
                if answered.is_set() or time.monotonic() - started > timeout:
                    return
                sock.sendall(chunk)
        except OSError:  # the hub closed the connection: expected once it refused
            return

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    try:
        status = _read_status(sock)
    finally:
        answered.set()
        writer.join(timeout)
        sock.close()
    return status, time.monotonic() - started


def _read_status(sock: socket.socket) -> int:
    data = b""
    while b"\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            return 0  # closed without an answer
        data += chunk
    return int(data.split(b" ", 2)[1])


def enroll_flood(port: int, size: int = 200 * MB) -> tuple[int, float]:
    """``POST /api/v1/enroll`` with a ``size``-byte body (declared), no token."""
    head = (f"POST /api/v1/enroll HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Content-Type: application/json\r\nContent-Length: {size}\r\n\r\n")
    return send_raw(port, head, _zeros(size))


def gzip_bomb(inflated: int = 1024 * MB) -> bytes:
    """A gzip member that inflates to ``inflated`` bytes of JSON-looking whitespace."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b" " * MB
    parts = [packer.compress(b"{")]
    parts += [packer.compress(block) for _ in range(inflated // MB)]
    return b"".join(parts) + packer.flush()


def bomb_batch(port: int, token: str, bomb: bytes) -> tuple[int, float]:
    """``POST /api/v1/batches`` with a valid token and ``bomb`` as a gzip body."""
    head = (f"POST /api/v1/batches HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
            f"Content-Encoding: gzip\r\nContent-Length: {len(bomb)}\r\n\r\n")
    return send_raw(port, head, (bomb[i:i + MB] for i in range(0, len(bomb), MB)))


def chunked_upload(port: int, token: str, size: int = 1024 * MB) -> tuple[int, float]:
    """``POST /api/v1/batches`` with a valid token and ``size`` bytes sent chunked (no
    Content-Length), generated as they are sent."""
    head = (f"POST /api/v1/batches HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
            f"Transfer-Encoding: chunked\r\n\r\n")
    piece = 256 * 1024
    frame = f"{piece:x}\r\n".encode() + b" " * piece + b"\r\n"
    return send_raw(port, head, (frame for _ in range(size // piece)))


def _zeros(size: int):
    block = b"0" * MB
    for _ in range(size // MB):
        yield block


def alive(port: int) -> bool:
    """Whether the hub still answers its health check."""
    import httpx

    return httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=10).status_code == 200
