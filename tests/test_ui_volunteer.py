"""The volunteer's path: sign in, record a person in a few taps, correct it, PIN lockout, and
take a resident's help request."""

from datetime import datetime, timedelta, timezone

import pytest

from conftest import drain
from kiosk.core import accounts, journal, lesson_runs
from kiosk.core.db import connect
from kiosk.core.paths import db_path
from kiosk.locale import ui_text

PIN = "2468"


@pytest.fixture
def volunteer(with_admin):
    return accounts.create_account(with_admin, name="Lan", role="volunteer", pin=PIN)


def db_of(window):
    return connect(db_path(window.data_dir))


def sign_in(qtbot, window, account, pin=PIN):
    window.welcome.volunteer.click()
    panel = window.volunteer
    qtbot.waitUntil(lambda: account["id"] in panel.sign_in.name_buttons)
    panel.sign_in.name_buttons[account["id"]].click()
    for digit in pin:
        panel.sign_in.pad.keys[digit].click()
    panel.sign_in.pad.ok.click()
    return panel


def test_sign_in_and_record_a_person_in_five_taps(qtbot, window, volunteer):
    panel = sign_in(qtbot, window, volunteer)
    qtbot.waitUntil(lambda: panel.pages.currentWidget() is panel.today)
    assert panel.today.title.text() == ui_text("journal.title", "vi", name="Lan")
    panel.today.new.click()
    form = panel.form
    taps = [lambda: form.age.choose("60-74"), lambda: form.services.choose("vneid"),
            lambda: form.results["vneid"].outcomes.choose("account_activated"),
            lambda: form.satisfaction.choose("good"), form.save.click]
    for tap in taps:
        tap()
    qtbot.waitUntil(lambda: panel.pages.currentWidget() is panel.today)
    drain(qtbot, window)
    qtbot.waitUntil(lambda: panel.today.model.rowCount() == 1)
    session = next(db_of(window)["assistance_sessions"].rows)
    assert (session["age_band"], session["satisfaction"], session["volunteer_id"]) == (
        "60-74", "good", volunteer["id"])
    assert '"account_activated"' in session["services"]
    assert session["duration_s"] >= 0 and session["revision"] == 1
    assert panel.today.notice.text() == ui_text("journal.saved", "vi")


def test_the_form_says_what_is_missing(qtbot, window, volunteer):
    panel = sign_in(qtbot, window, volunteer)
    qtbot.waitUntil(lambda: panel.pages.currentWidget() is panel.today)
    panel.today.new.click()
    panel.form.save.click()
    age_row = panel.form.rows["age"]
    assert age_row.problem.text() == ui_text("form.missing_age", "vi")
    assert age_row.problem.isVisible()
    panel.form.age.choose("75+")
    assert not age_row.problem.isVisible()  # the message goes once the answer is given
    panel.form.services.choose("etax")
    panel.form.results["etax"].outcomes.choose("not_solved")
    assert panel.form.results["etax"].reasons.isVisible()
    panel.form.save.click()
    assert ui_text("form.missing_reason", "vi").split("{")[0] in \
        panel.form.results["etax"].problem.text()
    assert panel.pages.currentWidget() is panel.form


def test_correcting_a_record_makes_a_new_revision_and_shows_what_was_masked(
        qtbot, window, volunteer):
    panel = sign_in(qtbot, window, volunteer)
    qtbot.waitUntil(lambda: panel.pages.currentWidget() is panel.today)
    panel.today.new.click()
    panel.form.age.choose("40-59")
    panel.form.services.choose("vssid")
    panel.form.results["vssid"].outcomes.choose("installed")
    panel.form.note.setText("Gọi lại số 0912 345 678 nếu cần")
    panel.form.save.click()
    qtbot.waitUntil(lambda: panel.today.model.rowCount() == 1)
    assert ui_text("mask.phone", "vi") in panel.today.notice.text()
    index = panel.today.model.index(0)
    panel.today.list.clicked.emit(index)
    assert panel.pages.currentWidget() is panel.form and panel.form.editing
    assert panel.form.age.value == "40-59"
    panel.form.results["vssid"].outcomes.choose("logged_in")
    panel.form.save.click()
    qtbot.waitUntil(lambda: panel.pages.currentWidget() is panel.today)
    drain(qtbot, window)
    db = db_of(window)
    session = next(db["assistance_sessions"].rows)
    assert session["revision"] == 2 and "0912" not in (session["note"] or "")
    assert db["assistance_sessions"].count == 1
    revisions = [r[0] for r in db.execute(
        "SELECT revision FROM outbox WHERE record_type = 'assistance_session' ORDER BY seq")]
    assert revisions == [1, 2]


def test_five_wrong_pins_lock_the_account_then_it_opens_after_the_wait(
        qtbot, window, volunteer, with_admin):
    locked = ui_text("signin.locked", "vi").split("{")[0]
    panel = sign_in(qtbot, window, volunteer, pin="0000")
    qtbot.waitUntil(lambda: panel.sign_in.message.text() == ui_text("signin.wrong", "vi", count=4))
    for _ in range(4):
        for digit in "0000":
            panel.sign_in.pad.keys[digit].click()
        panel.sign_in.pad.ok.click()
    qtbot.waitUntil(lambda: panel.sign_in.message.text().startswith(locked))
    for digit in PIN:
        panel.sign_in.pad.keys[digit].click()
    panel.sign_in.message.setText("")
    panel.sign_in.pad.ok.click()
    qtbot.waitUntil(lambda: panel.sign_in.message.text().startswith(locked))
    assert panel.pages.currentWidget() is panel.sign_in
    drain(qtbot, window)
    later = datetime.now(timezone.utc) + accounts.LOCKOUT + timedelta(seconds=1)
    assert accounts.sign_in(db_of(window), volunteer["id"], PIN, now=later)["name"] == "Lan"


def test_a_residents_help_request_shows_until_a_volunteer_takes_it(
        qtbot, window, volunteer, with_admin):
    run = lesson_runs.start_run(with_admin, lesson_id="vneid-activate", lesson_version="1.0",
                                language="vi", text_size="normal", total_steps=8)
    request = lesson_runs.request_help(with_admin, lesson_run_id=run["id"],
                                       lesson_id="vneid-activate", step=3)
    panel = sign_in(qtbot, window, volunteer)
    qtbot.waitUntil(lambda: panel.today.requests.text().endswith("(1)"))
    panel.today.requests.click()
    qtbot.waitUntil(lambda: request["id"] in panel.requests.take_buttons)
    panel.requests.take_buttons[request["id"]].click()
    qtbot.waitUntil(lambda: not panel.requests.take_buttons)
    drain(qtbot, window)
    taken = db_of(window)["help_requests"].get(request["id"])
    assert (taken["status"], taken["taken_by"]) == ("taken", volunteer["id"])
    panel.requests.back.click()
    qtbot.waitUntil(lambda: panel.today.requests.text().endswith("(0)"))


def test_today_model_passes_qt_model_checks(qtmodeltester, window, volunteer, with_admin):
    from kiosk.ui.volunteer.today import TodayModel

    journal.record_session(with_admin, volunteer_id=volunteer["id"], age_band="18-39",
                           services=[{"service": "ihanoi", "outcomes": ["installed"]}],
                           started_at=datetime.now(timezone.utc))
    model = TodayModel()
    model.set_records(journal.sessions_between(with_admin, *__import__(
        "kiosk.core.reports", fromlist=["today"]).today()))
    qtmodeltester.check(model)
    assert "iHanoi" in model.data(model.index(0))


def test_volunteer_mode_opens_on_the_sign_in(qtbot, make_window, volunteer):
    window = make_window(mode="volunteer")
    assert window.current() is window.volunteer
    qtbot.waitUntil(lambda: volunteer["id"] in window.volunteer.sign_in.name_buttons)


def test_nothing_on_the_form_is_cut_off_at_laptop_size(qtbot, window, volunteer):
    from PySide6.QtWidgets import QApplication

    from test_accessibility import _visible_cut_offs

    panel = sign_in(qtbot, window, volunteer)
    qtbot.waitUntil(lambda: panel.pages.currentWidget() is panel.today)
    panel.today.new.click()
    for service in ("vneid", "etax"):
        panel.form.services.choose(service)
    panel.form.results["etax"].outcomes.choose("not_solved")
    for _ in range(3):
        QApplication.sendPostedEvents()
    assert _visible_cut_offs(panel.form) == []
