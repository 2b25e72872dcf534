"""What a resident meets in real use: the idle question, a fresh start for the next person,
no admin counters, a plain message when no sound plays, practice that can be retried or left,
each lesson's own QR codes, framed and dimming dialogs, text that fits."""

import pytest
from PySide6.QtCore import QObject, QPoint, QTimer, Qt, Signal

from conftest import drain
from kiosk.lessons import narration
from kiosk.lessons.library import load_library
from kiosk.locale import ui_text

LIBRARY = load_library()
VNEID = LIBRARY.lesson("vneid-activate")
SCAMS = LIBRARY.lesson("safety-scams")


def open_step(window, lesson, index):
    window.open_lesson(lesson.id)
    window.start_lesson()
    for _ in range(index):
        window.next_step()


def test_idle_on_a_lesson_asks_first_and_still_here_keeps_the_lesson(qtbot, window):
    open_step(window, VNEID, 2)
    window.navigator.on_idle()
    dialog = window.navigator.still_there
    assert dialog.isVisible() and dialog.stay.text() == "Tôi vẫn đang dùng"
    assert "giây" in dialog.text.text()
    dialog.stay.click()
    assert not dialog.isVisible()
    assert window.current() is window.step and window.session.step == 2


def test_idle_on_the_welcome_screen_restores_the_defaults_at_once(qtbot, window):
    window.welcome.text_size.click()
    window.welcome.language.click()
    with qtbot.waitSignal(window.idle_did_reset, timeout=2000):
        window.navigator.on_idle()
    assert (window.session.text_size, window.session.language) == ("normal", "vi")
    assert window.navigator.still_there is None


def test_after_the_rating_the_next_resident_starts_at_the_defaults(qtbot, window):
    window.welcome.text_size.click()
    window.welcome.contrast.click()
    window.welcome.start.click()
    window.open_lesson(SCAMS.id)
    window.start_lesson()
    for _ in SCAMS.steps:
        window.next_step()
    window.finish.faces["good"].click()
    assert window.thanks.home.text() == "Xong"
    window.thanks.home.click()
    assert window.current() is window.welcome
    assert (window.session.text_size, window.session.high_contrast) == ("normal", False)


def test_contrast_is_in_every_resident_top_bar(qtbot, window):
    open_step(window, VNEID, 0)
    assert window.step.bar.contrast.isVisible()
    window.step.bar.contrast.click()
    assert window.session.high_contrast


def test_welcome_shows_the_help_point_and_no_admin_counters(qtbot, make_window, with_admin,
                                                            data_dir):
    (data_dir / "config.toml").write_text('help_point = "Nhà văn hóa tổ 7"\n', encoding="utf-8")
    window = make_window()
    window.welcome.set_sync_note("Chưa gửi lên phường: 3")
    window.welcome.set_admin_notice("2 bài học bị lỗi – xem Quản trị")
    assert not window.welcome.sync_note.isVisible() and not window.welcome.notice.isVisible()
    assert window.welcome.point.isVisible()
    assert window.welcome.point.text() == "Điểm hỗ trợ: Nhà văn hóa tổ 7"


class FailingPlayer(QObject):
    """A sound card that refuses the clip (as QSoundEffect does with an unsupported format)."""

    did_finish = Signal()
    did_fail = Signal()

    def play(self, path):
        QTimer.singleShot(0, self.did_fail.emit)

    def stop(self):
        pass


@pytest.mark.skipif(not narration.engine_available(), reason="espeak-ng is installed by setup")
def test_when_no_sound_plays_the_resident_is_told_and_sent_to_a_volunteer(qtbot, window):
    open_step(window, VNEID, 0)
    window.narrator._player = FailingPlayer()
    with qtbot.waitSignal(window.narrator.playback_did_fail, timeout=30_000):
        window.step.listen.click()
    assert window.step.feedback.isVisible()
    assert window.step.feedback.text() == ui_text("listen.no_sound", "vi")
    assert window.step.listen.text() == "Nghe"  # ready to try again


def practice_step(qtbot, window):
    window.illustrations.load_now(VNEID, "vi")
    window.illustrations.load_now(VNEID, "vi", practice=True)
    open_step(window, VNEID, 2)
    qtbot.waitUntil(lambda: window.step.practice.isVisible())


def test_after_two_misses_the_ring_can_be_tapped_retried_or_left(qtbot, window):
    practice_step(qtbot, window)
    window.step.practice.click()
    assert window.step.leave_practice.isVisible() and not window.step.practice.isVisible()
    box = window.step.round.box
    window.step.phone.was_tapped.emit(2.0, 2.0)
    window.step.phone.was_tapped.emit(2.0, 2.0)
    assert window.step.practice.isVisible() and window.step.practice.text() == "Tập lại"
    window.step.phone.was_tapped.emit((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
    assert window.step.feedback.text() == ui_text("practice.found", "vi")
    window.step.practice.click()  # "Tập lại": a fresh round, ring hidden again
    assert window.step.round.outcome is None and window.step._picture_key().endswith("practice")
    window.step.leave_practice.click()
    assert window.step.round is None and not window.step.feedback.isVisible()
    assert window.step.practice.text() == "Tập bấm thử"


@pytest.mark.parametrize("size_taps", [0, 2])
def test_a_real_tap_on_the_target_lands_at_every_text_size(qtbot, window, size_taps):
    for _ in range(size_taps):
        window.session.cycle_text_size()
    practice_step(qtbot, window)
    window.step.practice.click()
    qtbot.waitUntil(lambda: window.step.phone.has_image())
    phone, box = window.step.phone, window.step.round.box
    rect = phone.image_rect()
    scale = rect.width() / phone._image.width()
    centre = QPoint(round(rect.left() + (box[0] + box[2]) / 2 * scale),
                    round(rect.top() + (box[1] + box[3]) / 2 * scale))
    qtbot.mouseClick(phone, Qt.MouseButton.LeftButton, pos=centre)
    assert window.step.feedback.text() == ui_text("practice.hit", "vi")


def test_the_phone_fills_the_height_of_its_column(qtbot, window):
    practice_step(qtbot, window)
    qtbot.waitUntil(lambda: window.step.phone.has_image())
    phone = window.step.phone
    qtbot.waitUntil(lambda: abs(phone.image_rect().width() - phone.width()) <= 2)
    assert phone.image_rect().height() >= phone.height() - 2
    assert phone.height() > 0.7 * window.height()


def test_the_finish_screen_shows_only_this_lessons_qr_codes(qtbot, window):
    for lesson in (VNEID, SCAMS):
        open_step(window, lesson, len(lesson.steps) - 1)
        window.next_step()
        assert window.finish.qr_urls == [link.url for link in lesson.verified_links]
    assert not window.finish.qr_heading.isVisible()
    assert not window.finish._qr_holder.isVisible()
    from kiosk.ui.painted import QrCodeView

    assert not [w for w in window.finish.findChildren(QrCodeView) if w.isVisible()]


def test_the_guide_dialog_is_framed_dims_the_kiosk_and_can_call_a_volunteer(qtbot, window,
                                                                           monkeypatch):
    open_step(window, VNEID, len(VNEID.steps) - 1)
    window.next_step()
    from kiosk.ui import handout_dialog

    monkeypatch.setattr(handout_dialog, "available_printers", list)
    monkeypatch.setattr("kiosk.ui.drives.removable_drives", list)
    window.offer_handout()
    dialog = window.handout_dialog
    qtbot.waitUntil(lambda: "tình nguyện viên" in dialog.message.text())
    assert dialog.windowTitle() == "Bình dân học vụ số"
    assert dialog.card.property("role") == "dialog"
    assert window.findChild(QObject, "dimmer").isVisible()
    for text in (dialog.title, dialog.body_text, dialog.message):  # nothing clipped
        assert text.height() >= text.heightForWidth(text.width())
    with qtbot.waitSignal(window.session.help_did_record, timeout=5000):
        dialog.help_button.click()
    assert not dialog.isVisible()
    drain(qtbot, window)
    assert not window.findChild(QObject, "dimmer").isVisible() or window.help_dialog.isVisible()


def test_a_long_tile_text_wraps_instead_of_being_cut(qtbot, window):
    from kiosk.ui.widgets import tall_button

    tile = tall_button("", window, "tile")
    tile.setText("VssID – Bảo hiểm xã hội số của người dân\n1 bài học")
    tile.resize(300, 200)
    metrics = tile.fontMetrics()
    assert tile.text().count("\n") >= 2
    assert all(metrics.horizontalAdvance(line) <= 300 for line in tile.text().split("\n"))
    assert tile.full_text().startswith("VssID – Bảo hiểm")


def test_a_long_title_shrinks_to_two_lines_in_the_bar(qtbot, window):
    window.session.cycle_text_size()
    window.session.cycle_text_size()
    window.open_lesson(VNEID.id)
    title = window.intro.bar.title
    qtbot.waitUntil(lambda: title.width() > 40)
    lines = title.heightForWidth(title.width()) / title.fontMetrics().lineSpacing()
    assert title.width() > 200 and lines <= 3.2
    qtbot.waitUntil(lambda: title.height() >= title.heightForWidth(title.width()) - 2)


@pytest.mark.parametrize("size_taps", [0, 1, 2])
def test_the_phones_smallest_label_is_at_least_16_px_at_1366x768(qtbot, window, size_taps):
    from kiosk.lessons import mockscreen

    for _ in range(size_taps):
        window.session.cycle_text_size()
    practice_step(qtbot, window)
    phone = window.step.phone
    qtbot.waitUntil(lambda: phone.has_image())
    qtbot.waitUntil(lambda: abs(phone.image_rect().width() - phone.width()) <= 2)
    px_per_unit = phone.image_rect().height() / mockscreen.H
    assert mockscreen.SMALLEST_TEXT * px_per_unit >= 16
