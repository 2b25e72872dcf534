"""The kiosk lock, the admin PIN gate, first-run set-up and the notice of broken lessons."""

import json
import shutil

from conftest import ADMIN_PIN, drain
from kiosk.core import accounts
from kiosk.lessons import BUNDLED_DIR
from kiosk.locale import ui_text


def type_pin(gate, pin: str) -> None:
    for digit in pin:
        gate.pad.keys[digit].click()
    gate.pad.ok.click()


def test_a_locked_kiosk_cannot_be_closed_and_a_wrong_pin_does_not_open_it(
        qtbot, make_window, with_admin):
    window = make_window(fullscreen=True)
    assert window.close() is False
    assert window.isVisible()
    window.welcome.admin.click()
    assert window.current() is window.gate
    type_pin(window.gate, "0000")
    qtbot.waitUntil(lambda: window.gate.message.text() != "")
    assert window.gate.message.text() == ui_text("gate.wrong", "vi")
    assert window.current() is window.gate
    assert window.close() is False and window.isVisible()

    with qtbot.waitSignal(window.admin_did_unlock):
        type_pin(window.gate, ADMIN_PIN)
    assert window.current() is window.admin
    window.admin.exit.click()
    assert not window.isVisible()


def test_five_wrong_pins_lock_the_gate_even_for_the_right_pin(qtbot, make_window, with_admin):
    window = make_window(fullscreen=True)
    window.welcome.admin.click()
    for attempt in range(5):
        window.gate.message.setText("")
        type_pin(window.gate, "9999")
        qtbot.waitUntil(lambda: window.gate.message.text() != "")
    assert window.gate.message.text() == ui_text("gate.locked", "vi", count=5)
    window.gate.message.setText("")
    type_pin(window.gate, ADMIN_PIN)
    qtbot.waitUntil(lambda: window.gate.message.text() != "")
    assert window.current() is window.gate


def test_first_run_asks_for_an_admin_pin_twice(qtbot, make_window, db):
    window = make_window()
    qtbot.waitUntil(lambda: window.current() is window.first_run)
    type_pin(window.first_run, "12")
    assert window.first_run.message.text() == ui_text("setup.too_short", "vi")
    type_pin(window.first_run, "2580")
    type_pin(window.first_run, "2581")
    assert window.first_run.message.text() == ui_text("setup.mismatch", "vi")
    type_pin(window.first_run, "2580")
    type_pin(window.first_run, "2580")
    qtbot.waitUntil(lambda: window.current() is window.welcome)
    drain(qtbot, window)
    assert accounts.check_admin_pin(db, "2580")["role"] == "admin"


def test_a_broken_lesson_folder_is_left_out_with_a_notice_for_the_admin(
        qtbot, make_window, with_admin, data_dir):
    pack = data_dir / "lessons" / "current"
    shutil.copytree(BUNDLED_DIR / "etax-pay", pack / "etax-pay")
    doc = json.loads((pack / "etax-pay" / "lesson.json").read_text(encoding="utf-8"))
    doc["steps"][0]["instruction"] = {"vi": ""}
    (pack / "etax-pay" / "lesson.json").write_text(json.dumps(doc), encoding="utf-8")
    (pack / "not-json").mkdir()
    (pack / "not-json" / "lesson.json").write_text("{", encoding="utf-8")

    window = make_window()
    notice = ui_text("welcome.lesson_problems", "vi").split("}")[-1]  # after the number
    qtbot.waitUntil(lambda: notice in window.welcome.notice.text())
    window.welcome.start.click()
    assert "vneid" in window.home.tiles  # the other lessons are all there
    assert window.library.lesson("etax-pay") is not None  # the bundled one still shows
    window.go_welcome()
    window.welcome.admin.click()
    type_pin(window.gate, ADMIN_PIN)
    qtbot.waitUntil(lambda: window.current() is window.admin)
    window.admin.show_section("diagnostics")
    problems = window.admin.diagnostics_section.problems.text()
    assert "etax-pay/lesson.json: step 1: instruction.vi" in problems
    assert "not-json/lesson.json" in problems
