"""The kiosk run for real: Xvfb + openbox, real X clicks, every screen checked and kept.

Screenshots and a list of problems per journey go to ``$KIOSK_ARTIFACTS_DIR`` (default
``artifacts/realuse/``). A failing test lists every problem it saw, screen by screen.
"""

import pytest

from realuse import journeys
from realuse.conftest import ADMIN_PIN, VOLUNTEER

COMBINATIONS = [(size, language) for size in journeys.SIZES for language in ("vi", "en")]


@pytest.mark.parametrize("size,language", COMBINATIONS)
def test_resident_walks_lessons_and_rates(start_kiosk, data_dir, size, language):
    kiosk = start_kiosk(f"resident-{size}-{language}")
    journeys.resident_walk(kiosk, data_dir, size, language)
    problems = kiosk.report()
    assert not problems, "\n" + problems


@pytest.mark.parametrize("language", ["vi", "en"])
def test_admin_opens_every_section_at_the_largest_size(start_kiosk, language):
    kiosk = start_kiosk(f"admin-larger-{language}")
    journeys.admin_walk(kiosk, language, ADMIN_PIN)
    problems = kiosk.report()
    assert not problems, "\n" + problems


@pytest.mark.parametrize("size,language", COMBINATIONS)
def test_volunteer_records_a_typical_person_in_five_taps_and_no_scroll(start_kiosk, artifacts,
                                                                       size, language):
    """At 1366×768, every text size, both languages: 60–74, VNeID, account activated,
    satisfied, "Lưu" — five real taps, no drag, nothing cut off."""
    kiosk = start_kiosk(f"volunteer-{size}-{language}")
    taps = journeys.volunteer_walk(kiosk, language, *VOLUNTEER, size=size)
    (artifacts / f"volunteer-{size}-{language}-taps.txt").write_text(f"{taps}\n")
    problems = kiosk.report()
    assert not problems, "\n" + problems
    assert taps <= 5, f"{taps} taps to record a typical person"


def test_the_volunteer_types_a_vietnamese_note_with_the_on_screen_keyboard(start_kiosk,
                                                                             data_dir):
    from kiosk.core.db import connect
    from kiosk.core.paths import db_path

    kiosk = start_kiosk("volunteer-keyboard")
    words = [("ba", "huyen"), ("cu", "nang"), ("cân", "huyen"), ("hô", "nga"), ("trơ", "nang")]
    journeys.volunteer_types_a_note(kiosk, *VOLUNTEER, words)
    problems = kiosk.report()
    assert not problems, "\n" + problems
    db = connect(db_path(data_dir))
    try:
        notes = [row[0] for row in db.execute("SELECT note FROM assistance_sessions "
                                              "WHERE note IS NOT NULL")]
    finally:
        db.conn.close()
    assert "bà cụ cần hỗ trợ" in notes


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
