"""The on-screen Vietnamese keyboard: tone marks where Vietnamese puts them, keys of at least
72 px, never over the field being typed into, and real text typed by its buttons alone into the
volunteer's note and the help point's name."""

import unicodedata

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication

from conftest import drain
from kiosk.core import accounts
from kiosk.ui import keyboard
from kiosk.ui.keyboard_vietnamese import TONES, apply_tone, tone_vowel
from test_ui_admin_panel import open_admin, show
from test_ui_volunteer import PIN, db_of, sign_in

TONE_OF_MARK = {mark: name for name, mark in TONES.items()}


@pytest.mark.parametrize("typed, tone, expected", [
    ("ba", "huyen", "bà"), ("cu", "nang", "cụ"), ("cân", "huyen", "cần"), ("hô", "nga", "hỗ"),
    ("trơ", "nang", "trợ"), ("hoa", "sac", "hóa"), ("tô", "hoi", "tổ"), ("ngươi", "huyen",
    "người"), ("đươc", "nang", "được"), ("qua", "hoi", "quả"), ("gia", "sac", "giá"),
    ("gi", "huyen", "gì"), ("hoan", "huyen", "hoàn"), ("ngoai", "sac", "ngoái"),
    ("Tuôi", "hoi", "Tuổi"), ("khoe", "hoi", "khỏe"), ("mưa", "sac", "mứa")])
def test_a_tone_goes_on_the_vowel_vietnamese_puts_it_on(typed, tone, expected):
    assert apply_tone(typed, tone) == expected


def test_the_same_tone_again_takes_it_off_and_another_replaces_it():
    assert apply_tone("bà", "huyen") == "ba"
    assert apply_tone("bà", "sac") == "bá"
    assert apply_tone("xyz1", "sac") == "xýz1" and tone_vowel("nth") is None
    assert apply_tone("nth", "sac") is None


def taps_for(text: str) -> list[str]:
    """The keys to tap for ``text``: each word's letters without tones (capitals after the
    capital key), then its tone key."""
    names: list[str] = []
    for index, word in enumerate(text.split(" ")):
        if index:
            names.append("space")
        tone = None
        for char in word:
            decomposed = unicodedata.normalize("NFD", char)
            marks = [m for m in decomposed[1:] if m in TONE_OF_MARK]
            tone = TONE_OF_MARK[marks[0]] if marks else tone
            plain = unicodedata.normalize("NFC", "".join(
                c for c in decomposed if c not in TONE_OF_MARK))
            if plain != plain.lower():
                names.append("shift")
            names.append(plain.lower())
        if tone:
            names.append(tone)
    return names


def type_with_keys(board, text: str) -> None:
    for name in taps_for(text):
        board.keys[name].click()


def rect_in_window(widget) -> QRect:
    return QRect(widget.mapTo(widget.window(), QPoint(0, 0)), widget.size())


def open_keyboard_by_tapping(qtbot, field):
    """Close the keyboard if open ("Xong"), then tap ``field`` as a finger would."""
    board = keyboard.keyboard_of(field.window(), make=False)
    if board is not None and board.isVisible():
        board.keys["done"].click()
    for _ in range(3):
        QApplication.sendPostedEvents()
    shown = field.visibleRegion().boundingRect()  # a finger taps the part in view
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton, pos=shown.center())
    board = keyboard.keyboard_of(field.window(), make=False)
    assert board is not None and board.isVisible() and board.target is field
    for _ in range(3):
        QApplication.sendPostedEvents()
    return board


def assert_usable(qtbot, board, field) -> None:
    qtbot.waitUntil(lambda: not rect_in_window(board).intersects(rect_in_window(field)))
    keys = [key for key in board.keys.values() if key.isVisible()]
    assert len(keys) >= 50
    assert min(min(key.width(), key.height()) for key in keys) >= 72
    assert not rect_in_window(board).intersects(rect_in_window(field))
    assert board.window().rect().contains(rect_in_window(board))


def test_the_volunteer_types_a_note_with_the_keyboard_alone(qtbot, window, with_admin):
    volunteer = accounts.create_account(with_admin, name="Lan", role="volunteer", pin=PIN)
    panel = sign_in(qtbot, window, volunteer)
    qtbot.waitUntil(lambda: panel.pages.currentWidget() is panel.today)
    panel.today.new.click()
    form = panel.form
    form.more.click()
    for _ in range(3):
        QApplication.sendPostedEvents()
    board = open_keyboard_by_tapping(qtbot, form.note)
    assert_usable(qtbot, board, form.note)
    type_with_keys(board, "Bà cụ cần hỗ trợ 2 lần")
    assert form.note.text() == "Bà cụ cần hỗ trợ 2 lần"
    board.keys["backspace"].click()
    assert form.note.text() == "Bà cụ cần hỗ trợ 2 lầ"
    board.keys["done"].click()
    assert not board.isVisible()
    form.age.choose("75+")
    form.services.choose("vneid")
    form.results["vneid"].outcomes.choose("installed")
    form.save.click()
    qtbot.waitUntil(lambda: panel.pages.currentWidget() is panel.today)
    drain(qtbot, window)
    assert next(db_of(window)["assistance_sessions"].rows)["note"] == "Bà cụ cần hỗ trợ 2 lầ"


def test_the_admin_names_the_help_point_with_the_keyboard_alone(qtbot, window, data_dir):
    from kiosk.core import config
    from kiosk.core.paths import config_path

    panel = open_admin(qtbot, window)
    show(qtbot, panel, "settings")
    section = panel.settings_section
    section.help_point.clear()
    board = open_keyboard_by_tapping(qtbot, section.help_point)
    assert_usable(qtbot, board, section.help_point)
    type_with_keys(board, "Nhà văn hóa tổ 5")
    assert section.help_point.text() == "Nhà văn hóa tổ 5"
    section.save.click()
    drain(qtbot, window)
    qtbot.waitUntil(lambda: config.load(config_path(data_dir)).help_point == "Nhà văn hóa tổ 5")


def test_every_admin_text_field_opens_the_keyboard_clear_of_itself(qtbot, window):
    panel = open_admin(qtbot, window)
    show(qtbot, panel, "settings")
    fields = [panel.settings_section.ward, panel.settings_section.neighbourhoods]
    show(qtbot, panel, "hub")
    fields += [panel.hub_section.address, panel.hub_section.code]
    for field in fields[2:]:
        assert_usable(qtbot, open_keyboard_by_tapping(qtbot, field), field)
    show(qtbot, panel, "settings")
    for field in fields[:2]:
        assert_usable(qtbot, open_keyboard_by_tapping(qtbot, field), field)
    board = keyboard.keyboard_of(window)
    board.keys["enter"].click()  # a new line in the neighbourhood list
    type_with_keys(board, "Tổ 9")
    assert panel.settings_section.neighbourhoods.toPlainText().endswith("\nTổ 9")
    show(qtbot, panel, "volunteers")
    panel.volunteers_section.add.click()
    name = panel.volunteers_section.name_page.name
    assert board.isVisible() and board.target is name  # opened with the page
    assert_usable(qtbot, board, name)


def test_the_setting_can_turn_the_keyboard_off(qtbot, window):
    window.config.onscreen_keyboard = "off"
    panel = open_admin(qtbot, window)
    show(qtbot, panel, "settings")
    field = panel.settings_section.help_point
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton, pos=field.rect().center())
    board = keyboard.keyboard_of(window, make=False)
    assert board is None or not board.isVisible()
