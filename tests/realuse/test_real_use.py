"""The kiosk run for real: Xvfb + openbox, real X clicks, every screen checked and kept.

Screenshots and a list of problems per journey go to ``$KIOSK_ARTIFACTS_DIR`` (default
``artifacts/realuse/``). A failing test lists every problem it saw, screen by screen.
"""

import pytest

from realuse import journeys
from realuse.conftest import ADMIN_PIN, VOLUNTEER

COMBINATIONS = [(size, language) for size in journeys.SIZES for language in ("vi", "en")]
# The admin sections and the volunteer form are being reworked on their own branches (one-screen
# recording, the admin keypad and rows); these journeys show what is still wrong there until
# that work is merged. Not strict: once it passes, drop the mark.
REWORKED_ELSEWHERE = pytest.mark.xfail(
    reason="admin sections and volunteer form: fixed on the admin/volunteer branches",
    strict=False)


@pytest.mark.parametrize("size,language", COMBINATIONS)
def test_resident_walks_lessons_and_rates(start_kiosk, data_dir, size, language):
    kiosk = start_kiosk(f"resident-{size}-{language}")
    journeys.resident_walk(kiosk, data_dir, size, language)
    problems = kiosk.report()
    assert not problems, "\n" + problems


@REWORKED_ELSEWHERE
@pytest.mark.parametrize("language", ["vi", "en"])
def test_admin_opens_every_section_at_the_largest_size(start_kiosk, language):
    kiosk = start_kiosk(f"admin-larger-{language}")
    journeys.admin_walk(kiosk, language, ADMIN_PIN)
    problems = kiosk.report()
    assert not problems, "\n" + problems


@REWORKED_ELSEWHERE
@pytest.mark.parametrize("language", ["vi", "en"])
def test_volunteer_records_one_person_at_the_largest_size(start_kiosk, artifacts, language):
    kiosk = start_kiosk(f"volunteer-larger-{language}")
    taps = journeys.volunteer_walk(kiosk, language, *VOLUNTEER)
    (artifacts / f"volunteer-larger-{language}-taps.txt").write_text(f"{taps}\n")
    problems = kiosk.report()
    assert not problems, "\n" + problems


INTRUDER = ("from PySide6.QtWidgets import QApplication, QLabel\n"
            "app = QApplication([])\n"
            "w = QLabel('intruder'); w.setWindowTitle('intruder'); w.resize(500, 300); w.show()\n"
            "app.exec()\n")


def test_the_locked_kiosk_takes_the_focus_back(start_kiosk, xsession):
    import subprocess
    import sys

    from realuse.xsession import wait_until

    kiosk = start_kiosk("focus")
    kiosk.settled()
    title = xsession.run("xdotool", "getactivewindow", "getwindowname").strip()
    intruder = subprocess.Popen([sys.executable, "-c", INTRUDER], env=xsession.env)
    try:
        xsession.run("xdotool", "search", "--sync", "--name", "^intruder$", "windowactivate")
        wait_until(lambda: xsession.run("xdotool", "getactivewindow",
                                        "getwindowname").strip() == title, 15,
                   "the kiosk to take the focus back")
        kiosk.look("focus back")
    finally:
        intruder.terminate()
        intruder.wait(timeout=10)
    assert kiosk.dump()["active_window"] == "MainWindow"
