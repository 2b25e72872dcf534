"""Cold start to the first painted kiosk screen, against a bare PySide6 QMainWindow.

Each start is a fresh Python process (offscreen Qt). The parent measures the wall time from
launching the process to the child's report of its first paint; the child reports its peak
resident memory at that moment. Bare and kiosk starts alternate, so both see the same machine.
Target (DESIGN.md): kiosk ≤ 1.5× the bare window's time and ≤ 1.6× its peak memory.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kiosk_window import prepare_data_dir

RUNS = int(os.environ.get("RUNS", "9"))
ROOT = Path(__file__).resolve().parent.parent

BARE = """
import resource, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
class Window(QMainWindow):
    painted = False
    def paintEvent(self, event):
        super().paintEvent(event)
        if not self.painted:
            self.painted = True
            QTimer.singleShot(0, done)
def done():
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
    app.quit()
app = QApplication(sys.argv[:1])
window = Window()
window.resize(1366, 768)
window.show()
app.exec()
"""

KIOSK = """
import resource, sys
from pathlib import Path

from kiosk.ui.app import build_window, create_application
def done():
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
    app.quit()
app = create_application()
window, worker = build_window(Path(sys.argv[1]))
window.first_paint_did_happen.connect(done)
window.resize(1366, 768)
window.show()
app.exec()
worker.shutdown()
"""


def one_start(code: str, *args: str) -> tuple[float, int]:
    """(seconds to first paint, peak RSS in KiB) for one fresh process."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
                             text=True, env=env, cwd=ROOT)
    line = child.stdout.readline()
    elapsed = time.perf_counter() - start
    child.wait(timeout=60)
    return elapsed, int(line)


def main() -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        prepare_data_dir(Path(scratch))
        one_start(KIOSK, scratch)  # warm the illustration-free caches and the OS file cache
        one_start(BARE)
        bare, kiosk = [], []
        for _ in range(RUNS):
            bare.append(one_start(BARE))
            kiosk.append(one_start(KIOSK, scratch))
    bare_time = statistics.median(t for t, _ in bare)
    kiosk_time = statistics.median(t for t, _ in kiosk)
    bare_mem = statistics.median(m for _, m in bare) / 1024
    kiosk_mem = statistics.median(m for _, m in kiosk) / 1024
    result = {
        "bare_s": round(bare_time, 3), "kiosk_s": round(kiosk_time, 3),
        "time_ratio": round(kiosk_time / bare_time, 2), "time_target": 1.5,
        "bare_peak_mb": round(bare_mem, 1), "kiosk_peak_mb": round(kiosk_mem, 1),
        "memory_ratio": round(kiosk_mem / bare_mem, 2), "memory_target": 1.6,
    }
    print(f"cold start: bare QMainWindow {bare_time * 1000:.0f} ms, kiosk {kiosk_time * 1000:.0f}"
          f" ms -> {result['time_ratio']}x (target <= 1.5x)")
    print(f"peak memory: bare {bare_mem:.1f} MB, kiosk {kiosk_mem:.1f} MB -> "
          f"{result['memory_ratio']}x (target <= 1.6x)")
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
