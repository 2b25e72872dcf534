"""Runs the real kiosk window offscreen and keeps a resident busy in it, for crash tests.

Usage: python kiosk_driver.py DATA_DIR. Every few milliseconds it taps the next thing a resident
would tap (start, an app, a lesson, next… rating, home, sometimes "I need help"), so database
writes are always in flight. After each tap it prints the tap's number, flushed. It never ends
by itself: the test kills it.
"""

import itertools
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer  # noqa: E402

from kiosk.ui.app import build_window, create_application  # noqa: E402


def taps(window):
    """An endless sequence of resident actions through every lesson."""
    for number in itertools.count():
        lesson = window.library.lessons[number % len(window.library.lessons)]
        yield window.welcome.start.click
        yield lambda: window.open_lesson(lesson.id)
        yield window.intro.start.click
        for index, _ in enumerate(lesson.steps):
            if index == 1 and number % 3 == 0:
                yield window.step.bar.help.click
                yield lambda: window.help_dialog.accept()
            yield window.step.next.click
        yield window.finish.faces["good" if number % 2 else "ok"].click
        yield window.thanks.home.click
        yield window.go_welcome


def main() -> None:
    app = create_application()
    window, worker = build_window(Path(sys.argv[1]))
    window.resize(1366, 768)
    window.show()
    sequence = taps(window)
    counter = itertools.count(1)

    def tap() -> None:
        next(sequence)()
        print(next(counter), flush=True)

    timer = QTimer()
    timer.setInterval(2)
    timer.timeout.connect(tap)
    window.first_paint_did_happen.connect(timer.start)
    app.exec()


if __name__ == "__main__":
    main()
