"""The admin's diagnostics list how long ago each lesson was checked and flag those due."""

from datetime import date, timedelta

from kiosk.lessons.check_age import CheckAge
from kiosk.lessons.library import load_library
from kiosk.locale import ui_text

from test_ui_admin_panel import open_admin, show


def test_diagnostics_list_every_lesson_check_and_flag_a_due_one(qtbot, window):
    panel = open_admin(qtbot, window)
    show(qtbot, panel, "diagnostics")
    section = panel.diagnostics_section
    lessons = load_library().lessons
    qtbot.waitUntil(lambda: len(section.check_ages) == len(lessons), timeout=10_000)
    lines = section.checks.text().splitlines()
    flag = ui_text("admin.lesson_check_due", "vi").split("{")[0]  # "(!) CẦN KIỂM TRA LẠI – "
    assert len(lines) == len(lessons) and flag not in section.checks.text()
    assert section.checks_heading.text() == ui_text("admin.lesson_checks", "vi")

    old = CheckAge("etax-pay", lessons[0].title, date.today() - timedelta(days=200), 200)
    section.set_check_ages([old, *section.check_ages[1:]])
    assert section.checks.text().splitlines()[0].startswith(flag)
    assert "200" in section.checks.text().splitlines()[0]
    assert ui_text("admin.lesson_checks_due", "vi", count=1) in section.checks_heading.text()
