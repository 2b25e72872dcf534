""""In / Lưu hướng dẫn" at the end of a lesson: save the guide to a USB stick, or print it."""

import subprocess

from kiosk.lessons.library import load_library
from kiosk.ui import handout_dialog
from kiosk.ui.drives import drive_for_folder

LESSON = load_library().lesson("safety-scams")


def finish_lesson(window):
    window.open_lesson(LESSON.id)
    window.start_lesson()
    for _ in LESSON.steps:
        window.next_step()
    assert window.current() is window.finish


def open_dialog(qtbot, window, *, drives=(), printers=()):
    dialog = handout_dialog.HandoutDialog.ask(
        window, LESSON, window.library, "vi", window.tasks, drives_provider=lambda: list(drives),
        printers_provider=lambda: list(printers))
    qtbot.waitUntil(lambda: not dialog.message.text().startswith("Đang chuẩn bị")
                    or dialog.save_buttons or dialog.print is not None)
    return dialog


def test_the_guide_is_saved_whole_on_a_usb_stick(qtbot, window, tmp_path):
    finish_lesson(window)
    assert window.finish.handout.isVisible()
    stick = tmp_path / "USB"
    stick.mkdir()
    dialog = open_dialog(qtbot, window, drives=[drive_for_folder(stick)])
    assert dialog.print is None
    with qtbot.waitSignal(dialog.did_finish, timeout=60_000) as finished:
        dialog.save_buttons[str(stick)].click()
    assert "Bạn có thể rút USB ra" in finished.args[0]
    saved = stick / handout_dialog.file_name(LESSON, "vi")
    info = subprocess.run(["pdfinfo", str(saved)], capture_output=True, text=True, check=True)
    assert "Pages:" in info.stdout and list(stick.iterdir()) == [saved]
    dialog.accept()


def test_printing_sends_every_page(qtbot, window, monkeypatch):
    printed = []
    monkeypatch.setattr(handout_dialog, "print_pages", lambda pages: printed.extend(pages))
    finish_lesson(window)
    dialog = open_dialog(qtbot, window, printers=["Máy in phường"])
    with qtbot.waitSignal(dialog.did_finish, timeout=60_000) as finished:
        dialog.print.click()
    assert printed and f"{len(printed)} trang" in finished.args[0]
    assert all(page.size[0] < page.size[1] for page in printed)  # A4, upright
    dialog.accept()


def test_a_full_stick_is_said_plainly(qtbot, window, tmp_path, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("kiosk.guide.handout.write_handout", full)
    dialog = open_dialog(qtbot, window, drives=[drive_for_folder(tmp_path)])
    with qtbot.waitSignal(dialog.did_finish, timeout=60_000) as finished:
        dialog.save_buttons[str(tmp_path)].click()
    assert finished.args[0].startswith("Chưa làm được: No space left on device")
    dialog.accept()


def test_no_printer_and_no_stick_sends_the_resident_to_a_volunteer(qtbot, window):
    dialog = open_dialog(qtbot, window)
    qtbot.waitUntil(lambda: "tình nguyện viên" in dialog.message.text())
    assert dialog.print is None and not dialog.save_buttons
    dialog.accept()
