"""An X display of our own for the real-use tests: Xvfb (1366×768×24) with openbox on it.

Xvfb picks a free display number itself (``-displayfd``), so several engineers or CI jobs can
run at once. Everything started here is stopped by ``close()``.
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import time
from pathlib import Path

TOOLS = ("Xvfb", "openbox", "xdotool", "import", "xprop")
SIZE = (1366, 768)
START_TIMEOUT_S = 20


def missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


def wait_until(condition, timeout: float, what: str, interval: float = 0.05):
    """Poll ``condition()`` until it returns something truthy; raise after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)  # polling a condition in another process, with a deadline


class XSession:
    """Xvfb plus a window manager; ``env`` is the environment for programs on that display."""

    def __init__(self, log_dir: Path):
        self.log_dir = log_dir
        self.processes: list[subprocess.Popen] = []
        read_end, write_end = os.pipe()
        try:
            self._start("xvfb", ["Xvfb", "-displayfd", str(write_end), "-screen", "0",
                                 f"{SIZE[0]}x{SIZE[1]}x24", "-nolisten", "tcp", "-noreset"],
                        os.environ.copy(), pass_fds=(write_end,))
            os.close(write_end)
            self.display = ":" + self._read_display(read_end)
        finally:
            os.close(read_end)
        self.env = {**os.environ, "DISPLAY": self.display, "QT_QPA_PLATFORM": "xcb"}
        self._start("openbox", ["openbox", "--sm-disable"], self.env)
        wait_until(self._window_manager_ready, START_TIMEOUT_S, "openbox to manage the display")

    def _start(self, name: str, command: list[str], env: dict, **options) -> None:
        log = open(self.log_dir / f"{name}.log", "wb")
        self.processes.append(subprocess.Popen(command, env=env, stdout=log,
                                               stderr=subprocess.STDOUT, **options))
        log.close()

    @staticmethod
    def _read_display(fd: int) -> str:
        """Xvfb writes the number, then a newline (separately): read both, or it dies of EPIPE."""
        text = b""
        while not text.endswith(b"\n") and len(text) < 64:
            ready, _, _ = select.select([fd], [], [], START_TIMEOUT_S)
            chunk = os.read(fd, 64) if ready else b""
            if not chunk:
                raise TimeoutError("Xvfb did not report its display number")
            text += chunk
        number = text.decode().strip()
        if not number.isdigit():
            raise RuntimeError(f"Xvfb reported {number!r} as its display")
        return number

    def _window_manager_ready(self) -> bool:
        found = subprocess.run(["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"], env=self.env,
                               capture_output=True, text=True, timeout=10)
        return "window id" in found.stdout

    def run(self, *command: str) -> str:
        """Run an X client (xdotool, import) on this display; its stdout."""
        done = subprocess.run(list(command), env=self.env, capture_output=True, text=True,
                              timeout=30)
        if done.returncode:
            raise RuntimeError(f"{command[0]} failed: {done.stderr.strip()}")
        return done.stdout

    def close(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
