"""Next/previous lesson step: from the tap to the new step painted, against one frame (16.7 ms).

Offscreen Qt, in one process. The illustrations are loaded first (as they are while the resident
reads the intro), then every step of every lesson is walked forwards and back several times;
each tap is timed from ``click()`` to the end of a synchronous ``repaint()`` of the window.
Target (DESIGN.md): p95 under one frame.
"""

import json
import os
import statistics
import sys
import time

from kiosk_window import kiosk_window  # noqa: E402  (sets the offscreen platform)
FRAME_MS = 1000 / 60
WALKS = int(os.environ.get("WALKS", "5"))


def timed(window, action) -> float:
    start = time.perf_counter()
    action()
    window.repaint()
    return (time.perf_counter() - start) * 1000


def walk(window, lesson) -> list[float]:
    window.illustrations.load_now(lesson, window.session.language)
    window.open_lesson(lesson.id)
    window.start_lesson()
    window.repaint()
    times = []
    for _ in range(len(lesson.steps) - 1):
        times.append(timed(window, window.step.next.click))
    for _ in range(len(lesson.steps) - 1):
        times.append(timed(window, window.step.back.click))
    window.go_home()
    return times


def main() -> dict:
    with kiosk_window() as (app, window):
        times = []
        for _ in range(WALKS):
            for lesson in window.library.lessons:
                times += walk(window, lesson)
                app.processEvents()  # let the database worker's replies land between walks
    times.sort()
    p95 = times[int(len(times) * 0.95)]
    result = {"taps": len(times), "median_ms": round(statistics.median(times), 2),
              "p95_ms": round(p95, 2), "max_ms": round(times[-1], 2), "frame_ms": 16.7,
              "p95_ratio": round(p95 / FRAME_MS, 2)}
    print(f"next/previous step over {len(times)} taps: median {result['median_ms']} ms, "
          f"p95 {result['p95_ms']} ms = {result['p95_ratio']} frame (target < 1 frame)")
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    sys.exit(main()["p95_ratio"] >= 1)
