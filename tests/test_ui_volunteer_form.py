"""The volunteer form on one 1366×768 screen: the required answers and "Lưu" in view without
scrolling at every text size, a typical person in five real taps, the form opening at the top
and clean, messages beside the missing answer, and no wheel ever changing a choice."""

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from conftest import drain
from kiosk.core import accounts
from kiosk.locale import ui_text
from test_ui_volunteer import PIN, db_of, sign_in


@pytest.fixture
def volunteer(with_admin):
    return accounts.create_account(with_admin, name="Lan", role="volunteer", pin=PIN)


def settle():
    for _ in range(4):  # deliver pending layout requests, as the next paint would
        QApplication.sendPostedEvents()


def open_form(qtbot, window, volunteer):
    panel = sign_in(qtbot, window, volunteer)
    qtbot.waitUntil(lambda: panel.pages.currentWidget() is panel.today)
    panel.today.new.click()
    settle()
    return panel


def on_screen(widget) -> bool:
    """Whether all of ``widget`` is inside its window and not scrolled out of its form."""
    window, form = widget.window(), widget.parentWidget()
    while form is not None and not hasattr(form, "area"):
        form = form.parentWidget()
    top_left = widget.mapTo(window, QPoint(0, 0))
    rect = widget.rect().translated(top_left)
    if not window.rect().contains(rect):
        return False
    if form is not None and form.area.isAncestorOf(widget):
        viewport = form.area.viewport()
        shown = viewport.rect().translated(viewport.mapTo(window, QPoint(0, 0)))
        return shown.contains(rect)
    return True


def tap(qtbot, widget) -> None:
    """A real click in the middle of ``widget``, which must be in view (no scrolling)."""
    assert widget.isVisible() and on_screen(widget), widget.text()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=widget.rect().center())
    settle()


@pytest.mark.parametrize("text_size", ["normal", "large", "larger"])
@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_typical_person_takes_five_taps_and_no_scroll(qtbot, window, volunteer, text_size,
                                                         language):
    if language == "en":
        window.session.toggle_language()
    while window.session.text_size != text_size:
        window.session.cycle_text_size()
    panel = open_form(qtbot, window, volunteer)
    form = panel.form
    assert window.size().width() == 1366 and window.size().height() == 768
    taps = [form.age.buttons["60-74"], form.services.buttons["vneid"],
            form.results["vneid"].outcomes.buttons["account_activated"],
            form.satisfaction.buttons["good"], form.save]
    for widget in taps:
        assert form.area.verticalScrollBar().value() == 0
        tap(qtbot, widget)
    assert len(taps) == 5
    qtbot.waitUntil(lambda: panel.pages.currentWidget() is panel.today)
    drain(qtbot, window)
    session = next(db_of(window)["assistance_sessions"].rows)
    assert (session["age_band"], session["satisfaction"]) == ("60-74", "good")
    assert '"vneid"' in session["services"] and '"account_activated"' in session["services"]


def test_the_form_opens_at_the_top_and_clean(qtbot, window, volunteer):
    panel = open_form(qtbot, window, volunteer)
    form = panel.form
    form.save.click()  # leaves a message
    form.show_details(True)
    form.note.setText("ghi chú cũ")
    settle()
    form.area.verticalScrollBar().setValue(form.area.verticalScrollBar().maximum())
    assert form.area.verticalScrollBar().value() > 0
    form.cancel.click()
    panel.today.new.click()
    settle()
    assert form.area.verticalScrollBar().value() == 0
    assert form.details.isHidden() and form.note.text() == ""
    assert not any(row.problem.isVisible() for row in form._all_rows())
    assert on_screen(form.age.buttons["<18"])


def test_a_missing_answer_is_said_beside_it_and_scrolled_into_view(qtbot, window, volunteer):
    panel = open_form(qtbot, window, volunteer)
    form = panel.form
    form.show_details(True)
    settle()
    bar = form.area.verticalScrollBar()
    bar.setValue(bar.maximum())
    assert bar.value() > 0 and not on_screen(form.age.buttons["<18"])
    form.save.click()
    settle()
    problem = form.rows["age"].problem
    assert problem.text() == ui_text("form.missing_age", "vi") and on_screen(problem)
    assert on_screen(form.rows["age"].heading)


def test_a_wheel_over_a_choice_scrolls_the_form_and_changes_nothing(qtbot, window, volunteer):
    window.config.neighbourhoods[:] = ["Tổ 1", "Tổ 2", "Tổ 3", "Tổ 4", "Tổ 5"]
    panel = open_form(qtbot, window, volunteer)
    form = panel.form
    form.show_details(True)
    form.neighbourhood.choose("Tổ 2")
    settle()
    for group in (form.neighbourhood, form.age, form.disability):
        target = next(iter(group.buttons.values()))
        centre = QPointF(target.rect().center())
        for delta in (-120, 120, -360):
            event = QWheelEvent(centre, QPointF(target.mapToGlobal(centre.toPoint())),
                                QPoint(0, 0), QPoint(0, delta), Qt.MouseButton.NoButton,
                                Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
                                False)
            QApplication.sendEvent(target, event)
    assert form.neighbourhood.value == "Tổ 2"
    assert form.age.value is None and form.disability.value is None
    from PySide6.QtWidgets import QAbstractSpinBox, QComboBox

    assert not form.findChildren(QComboBox) and not form.findChildren(QAbstractSpinBox)


def test_the_admin_is_not_on_the_volunteer_sign_in_list(qtbot, window, volunteer, with_admin):
    window.welcome.volunteer.click()
    sign_in_screen = window.volunteer.sign_in
    qtbot.waitUntil(lambda: volunteer["id"] in sign_in_screen.name_buttons)
    names = [button.text() for button in sign_in_screen.name_buttons.values()]
    assert names == ["Lan"]


def test_saved_goes_once_a_new_form_is_opened_and_cancelled(qtbot, window, volunteer):
    panel = open_form(qtbot, window, volunteer)
    form = panel.form
    for tap_this in (lambda: form.age.choose("18-39"), lambda: form.services.choose("etax"),
                     lambda: form.results["etax"].outcomes.choose("payment_done"), form.save.click):
        tap_this()
    qtbot.waitUntil(lambda: panel.today.notice.text() == ui_text("journal.saved", "vi"))
    panel.today.new.click()
    form.cancel.click()
    assert panel.pages.currentWidget() is panel.today and not panel.today.notice.isVisible()


def test_a_pin_message_goes_when_the_next_pin_is_typed(qtbot, window, volunteer):
    sign_in(qtbot, window, volunteer, pin="0000")
    message = window.volunteer.sign_in.message
    qtbot.waitUntil(lambda: "Còn 4 lần" in message.text())
    window.volunteer.sign_in.pad.keys["2"].click()
    assert message.text() == ""
