"""The kiosk as a real process on an X display, driven by real X input (xdotool).

``Kiosk.dump()`` asks the kiosk's inspection socket what is on screen; ``tap()`` moves the X
pointer to a widget's visible centre and clicks; ``look()`` waits for the screen to settle,
keeps a screenshot and runs every check of ``checks.py``, collecting what it finds.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
from pathlib import Path

from realuse import checks
from realuse.xsession import XSession, wait_until

WAIT_S = 20


class Kiosk:
    def __init__(self, x: XSession, data_dir: Path, artifacts: Path, label: str,
                 *args: str):
        self.x, self.artifacts, self.label = x, artifacts, label
        self.socket_path = str(data_dir.parent / "inspect.sock")
        self.found: dict[str, list[str]] = {}
        self.taps = 0
        self.shots = 0
        artifacts.mkdir(parents=True, exist_ok=True)
        env = {**x.env, "KIOSK_INSPECT_SOCKET": self.socket_path}
        self._log = open(artifacts / f"{label}-kiosk.log", "wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "--data-dir", str(data_dir), "run", *args],
            env=env, stdout=self._log, stderr=subprocess.STDOUT)
        wait_until(self._answers, WAIT_S * 2, "the kiosk's window")

    def _answers(self):
        if self.process.poll() is not None:
            raise RuntimeError(f"the kiosk exited with {self.process.returncode}")
        try:
            return any(w["widgets"] for w in self.dump()["windows"])
        except OSError:
            return False

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self._log.close()

    # looking ---------------------------------------------------------------------------------
    def dump(self) -> dict:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.settimeout(WAIT_S)
            client.connect(self.socket_path)
            client.sendall(b"dump\n")
            chunks = []
            while chunk := client.recv(1 << 16):
                chunks.append(chunk)
        return json.loads(b"".join(chunks))

    def settled(self) -> dict:
        """A dump taken once two in a row agree (layouts and pictures have arrived)."""
        previous = [None]

        def same():
            current = self.dump()
            if current.get("busy"):  # database answers still on their way
                previous[0] = None
                return None
            shape = _shape(current)
            if shape == previous[0]:
                return current
            previous[0] = shape
            return None

        return wait_until(same, WAIT_S, "the screen to settle", interval=0.1)

    def widgets(self, dump: dict | None = None):
        for window in (dump or self.dump())["windows"]:
            yield from window["widgets"]

    def find(self, text: str | None = None, *, classes=None, role=None, name=None,
             exact: bool = True, dump: dict | None = None, onscreen: bool = True):
        """The first widget whose text (whitespace folded) matches, or None; with
        ``onscreen`` (the default) only one that is at least partly in view."""
        wanted = _fold(text) if text is not None else None
        for w in self.widgets(dump):
            if (onscreen and w["visible"] is None) or (classes and w["class"] not in classes):
                continue
            if (role and w["role"] != role) or (name and w["name"] != name):
                continue
            shown = _fold(w.get("text", ""))
            if wanted is None or shown == wanted or (not exact and wanted in shown):
                return w
        return None

    def wait_for(self, text: str | None = None, what: str = "", **options):
        return wait_until(lambda: self.find(text, **options), WAIT_S,
                          what or f"'{text}' on screen")

    def look(self, screen: str) -> dict:
        """Settle, keep a screenshot, run every check; returns the dump."""
        dump = self.settled()
        name = re.sub(r"[^A-Za-z0-9_.-]+", "-", screen)
        self.shots += 1
        self.x.run("import", "-window", "root", str(self.artifacts / f"{self.label}-"
                                                       f"{self.shots:02d}-{name}.png"))
        found = checks.problems(dump)
        self.found[screen] = found
        return dump

    def note(self, screen: str, problem: str) -> None:
        self.found.setdefault(screen, []).append(problem)

    def report(self) -> str:
        lines = [f"{screen}: {problem}" for screen, found in self.found.items()
                 for problem in found]
        (self.artifacts / f"{self.label}-problems.txt").write_text("\n".join(lines) + "\n",
                                                                    encoding="utf-8")
        return "\n".join(lines)

    # acting -------------------------------------------------------------------------------
    def tap(self, widget: dict) -> None:
        """A real X click at the centre of the widget's visible part."""
        x, y, w, h = widget["visible"] or widget["rect"]
        # No --sync: it waits for the pointer to move, forever when it is already there.
        self.x.run("xdotool", "mousemove", str(x + w // 2), str(y + h // 2), "click", "1")
        self.taps += 1

    def tap_text(self, text: str, **options) -> None:
        self.tap(self.wait_for(text, **options))

    def scroll_into_view(self, text: str, **options) -> dict:
        """Drag the scroll area up with the pointer (as a finger would) until the widget is
        wholly in view; returns it. Each drag counts as a tap's worth of effort."""
        for _ in range(12):
            widget = self.wait_for(text, onscreen=False, **options)
            if widget["visible"] and widget["visible"][3] >= widget["rect"][3]:
                return widget
            area = next(w for w in self.widgets() if w.get("scroll", {}).get("area")
                        and w["visible"] and _inside(widget["rect"], w["rect"], x_only=True))
            x, y, w, h = area["visible"]
            below = widget["rect"][1] > y
            start, end = (y + h * 3 // 4, y + h // 4) if below else (y + h // 4, y + h * 3 // 4)
            moves = []
            for step in range(1, 9):  # a finger's drag: a few moves at a finger's pace
                moves += ["mousemove", str(x + w // 2), str(start + (end - start) * step // 8),
                          "sleep", "0.03"]
            self.x.run("xdotool", "mousemove", str(x + w // 2), str(start), "mousedown", "1",
                       *moves, "sleep", "0.3", "mouseup", "1")
            self.taps += 1
            self.settled()
        raise TimeoutError(f"could not scroll '{text}' into view")

    def key(self, *names: str) -> None:
        self.x.run("xdotool", "key", *names)


def _inside(inner, outer, x_only: bool = False) -> bool:
    fits_x = outer[0] <= inner[0] and inner[0] + inner[2] <= outer[0] + outer[2]
    return fits_x if x_only else fits_x and outer[1] <= inner[1] <= outer[1] + outer[3]


def _fold(text: str) -> str:
    return " ".join(text.split())


def _shape(dump: dict):
    return [(w["class"], w["rect"], w["visible"], w.get("text"), w.get("scroll"))
            for window in dump["windows"] for w in window["widgets"]]
