"""Memory after walking every lesson 20 times, against memory after walking them once.

Offscreen Qt, one process: every lesson is opened, stepped through to the end, rated, and left;
resident memory (RSS) is read after the first full walk and after the twentieth.
Target (DESIGN.md): it grows by less than 5 MB.
"""

import gc
import json
import os

import psutil

from kiosk_window import kiosk_window  # noqa: E402  (sets the offscreen platform)
LIMIT_MB = 5.0


def walk_all(app, window) -> None:
    for lesson in window.library.lessons:
        window.illustrations.load_now(lesson, window.session.language)
        window.open_lesson(lesson.id)
        window.start_lesson()
        for _ in lesson.steps:
            window.step.next.click()
            window.repaint()
        window.finish.faces["good"].click()
        window.go_home()
        app.processEvents()
    while window.worker.pending:
        app.processEvents()
    # What the running kiosk's event loop does between taps: delete widgets let go of with
    # deleteLater() (processEvents() outside an event loop leaves them).
    from PySide6.QtCore import QEvent

    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def rss_mb() -> float:
    gc.collect()
    return psutil.Process().memory_info().rss / 2**20


def main() -> dict:
    with kiosk_window() as (app, window):
        walk_all(app, window)
        once = rss_mb()
        for _ in range(19):
            walk_all(app, window)
        twenty = rss_mb()
    growth = twenty - once
    result = {"after_1_walk_mb": round(once, 1), "after_20_walks_mb": round(twenty, 1),
              "growth_mb": round(growth, 2), "limit_mb": LIMIT_MB,
              "ratio": round(growth / LIMIT_MB, 2)}
    print(f"memory: {once:.1f} MB after one walk of every lesson, {twenty:.1f} MB after 20 -> "
          f"grew {growth:.2f} MB = {result['ratio']} of the {LIMIT_MB} MB limit")
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
