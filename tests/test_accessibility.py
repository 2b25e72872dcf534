"""Access for everyone: keyboard-only use, contrast of the themes, nothing cut off at the
largest text size."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget

from conftest import drain
from kiosk.lessons.library import load_library
from kiosk.ui.theme import HIGH_CONTRAST, NORMAL

LESSON = load_library().lesson("vneid-activate")


def press(qtbot, key=Qt.Key.Key_Return):
    qtbot.keyClick(QApplication.focusWidget(), key)


def test_a_whole_lesson_with_the_keyboard_alone(qtbot, window):
    window.activateWindow()
    assert QApplication.focusWidget() is window.welcome.start
    press(qtbot)
    assert window.current() is window.home
    assert QApplication.focusWidget() is window.home.tiles["vneid"]
    press(qtbot)
    assert window.current() is window.choice
    while QApplication.focusWidget().property("lesson_id") != LESSON.id:
        press(qtbot, Qt.Key.Key_Tab)
    press(qtbot)
    assert window.current() is window.intro
    press(qtbot)  # "Bắt đầu" has the focus
    for _ in LESSON.steps:
        assert window.current() is window.step
        press(qtbot)
    assert window.current() is window.finish
    press(qtbot)  # the "good" face has the focus
    assert window.current() is window.thanks
    press(qtbot, Qt.Key.Key_Space)  # "Xong": the next resident starts at the welcome screen
    assert window.current() is window.welcome
    drain(qtbot, window)
    from kiosk.core.db import connect
    from kiosk.core.paths import db_path

    run = next(connect(db_path(window.data_dir))["lesson_runs"].rows)
    assert (run["completed"], run["rating"]) == (1, "good")


def _luminance(color: str) -> float:
    channels = [int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


PAIRS = [("text", "background"), ("text", "surface"), ("muted", "background"),
         ("on_primary", "primary"), ("on_accent", "accent"), ("on_help", "help_bg"),
         ("text", "tip_bg"), ("warning_text", "warning_bg"), ("success_text", "success_bg")]


@pytest.mark.parametrize("palette, minimum", [(NORMAL, 4.5), (HIGH_CONTRAST, 7.0)],
                         ids=["normal", "high-contrast"])
def test_text_contrast_meets_wcag(palette, minimum):
    for foreground, background in PAIRS:
        ratio = contrast(getattr(palette, foreground), getattr(palette, background))
        assert ratio >= minimum, f"{foreground} on {background}: {ratio:.2f}"


def _cut_off(widget) -> str | None:
    """A description of how ``widget``'s text does not fit, or None."""
    if isinstance(widget, QPushButton) and widget.text():
        needed = widget.fontMetrics().horizontalAdvance(max(widget.text().split("\n"), key=len))
        if needed > widget.contentsRect().width():
            return f"button {widget.text()!r}: {needed} > {widget.contentsRect().width()}"
    if isinstance(widget, QLabel) and widget.text() and widget.wordWrap():
        if widget.heightForWidth(widget.width()) > widget.height() + 1:
            return f"label {widget.text()[:40]!r} needs more height"
    if isinstance(widget, QLabel) and widget.text() and not widget.wordWrap():
        if widget.sizeHint().width() > widget.width() + 1:
            return f"label {widget.text()!r} is cut"
    return None


def _visible_cut_offs(screen) -> list[str]:
    found = []
    for widget in screen.findChildren(QPushButton) + screen.findChildren(QLabel):
        if widget.isVisibleTo(screen):
            problem = _cut_off(widget)
            if problem:
                found.append(problem)
    return found


@pytest.mark.parametrize("language", ["vi", "en"])
def test_nothing_is_cut_off_at_the_largest_text_size(qtbot, window, language):
    if language == "en":
        window.session.toggle_language()
    window.session.cycle_text_size()
    window.session.cycle_text_size()
    assert window.session.text_size == "larger"
    problems = []

    def check(name):
        for _ in range(3):  # deliver the pending layout requests, as the next paint would
            QApplication.sendPostedEvents()
        problems.extend(f"{name}: {p}" for p in _visible_cut_offs(window.current()))

    window.navigator.show(window.welcome)
    check("welcome")
    window.navigator.show(window.home)
    check("home")
    for lesson in load_library().lessons:
        window.open_lesson(lesson.id)
        check(f"{lesson.id} intro")
        window.start_lesson()
        for index, _ in enumerate(lesson.steps):
            check(f"{lesson.id} step {index + 1}")
            window.next_step()
        check(f"{lesson.id} finish")
        window.go_home()
    assert problems == []


def test_the_cut_off_check_catches_a_clipped_button_and_label(qtbot):
    button = QPushButton("Một nút có chữ rất dài không vừa")
    button.setFixedWidth(90)
    squeezed = QLabel("Một dòng chữ dài bị bó hẹp")
    squeezed.setFixedWidth(60)
    qtbot.addWidget(button)
    qtbot.addWidget(squeezed)
    assert _cut_off(button) and _cut_off(squeezed)


def test_pin_screens_fit_a_1366x768_screen_at_the_largest_text_size(qtbot, window):
    from PySide6.QtWidgets import QApplication

    window.session.cycle_text_size()
    window.session.cycle_text_size()
    for screen in (window.gate, window.first_run):
        window.navigator.show(screen)
        for _ in range(3):
            QApplication.sendPostedEvents()
        assert window.minimumSizeHint().height() <= 768, type(screen).__name__
        assert _visible_cut_offs(screen) == []
