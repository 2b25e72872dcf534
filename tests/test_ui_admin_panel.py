"""The admin panel behind the PIN: counts, volunteers, settings, diagnostics and USB export."""

import threading
from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from conftest import ADMIN_PIN, drain
from kiosk.core import accounts, config, journal, reports
from kiosk.core.db import device_id
from kiosk.locale import ui_text
from kiosk.core.paths import config_path
from kiosk.sync import bundle as bundle_module
from kiosk.sync.bundle import ExportError, read_bundle, recent_exports
from kiosk.sync.outbox import unsent_count
from kiosk.ui.admin.panel import SECTIONS, AdminPanel
from kiosk.ui.admin.section import format_percent
from kiosk.ui.admin.volunteer_model import VolunteerListModel

VOLUNTEER_PIN = "2468"


def open_admin(qtbot, window) -> AdminPanel:
    window.welcome.admin.click()
    for digit in ADMIN_PIN:
        window.gate.pad.keys[digit].click()
    with qtbot.waitSignal(window.admin_did_unlock):
        window.gate.pad.ok.click()
    drain(qtbot, window)
    return window.admin


def show(qtbot, panel, name: str) -> None:
    panel.nav[name].click()
    qtbot.waitUntil(lambda: panel.window().worker.pending == 0)


def record(db, volunteer_id, *, started, services, satisfaction=None):
    return journal.record_session(db, volunteer_id=volunteer_id, age_band="60-74",
                                  services=services, started_at=started,
                                  ended_at=started + timedelta(minutes=10),
                                  satisfaction=satisfaction)


@pytest.fixture
def volunteer(with_admin):
    return accounts.create_account(with_admin, name="Nguyễn Thu Hà", role="volunteer",
                                   pin=VOLUNTEER_PIN)


@pytest.fixture
def sessions(db, volunteer):
    """Three sessions now and one a fortnight ago (in neither today nor this week)."""
    now = datetime.now(timezone.utc) - timedelta(minutes=20)
    vneid = {"service": "vneid", "outcomes": ["installed", "not_solved"],
             "unsolved_reason": "otp_not_received"}
    etax = {"service": "etax", "outcomes": ["payment_done"]}
    record(db, volunteer["id"], started=now, services=[vneid], satisfaction="good")
    record(db, volunteer["id"], started=now, services=[vneid, etax], satisfaction="ok")
    record(db, volunteer["id"], started=now, services=[etax])
    record(db, volunteer["id"], started=now - timedelta(days=15), services=[etax])
    return db


def test_the_admin_panel_is_behind_the_pin_and_leads_back(qtbot, window):
    panel = open_admin(qtbot, window)
    assert isinstance(panel, AdminPanel) and window.current() is panel
    assert panel.current_name() == "counts"
    for name in SECTIONS:
        show(qtbot, panel, name)
        assert panel.stack.currentWidget() is panel.sections[name]
        assert panel.title.text() == ui_text(f"admin.section.{name}", "vi")
    panel.back.click()
    assert window.current() is window.welcome


def test_counts_are_exactly_the_reports_numbers_for_today_and_this_week(qtbot, window,
                                                                          sessions):
    panel = open_admin(qtbot, window)
    section = panel.counts_section
    expected = reports.local_counts(sessions, reports.today())
    assert section.counts == expected
    assert expected["people_helped"] == 3 and expected["services"] == 4
    assert section.tiles["people_helped"].number.text() == "3"
    assert section.tiles["services"].number.text() == "4"
    assert section.tiles["satisfaction_rate"].number.text() == format_percent(0.5, "vi") == "50%"
    assert dict((name, n) for name, n in section.by_app.rows)["VNeID"] == 2
    assert section.by_outcome.text_of("not_solved") == "2"
    assert section.by_reason.text_of("otp_not_received") == "2"
    assert section.satisfaction.text_of("unrated") == "1"

    with qtbot.waitSignal(section.counts_did_load):
        section.periods.buttons["week"].click()
    assert section.counts == reports.local_counts(sessions, reports.this_week())
    assert section.tiles["people_helped"].number.text() == "3"  # the old one is in neither


def test_the_volunteer_model_passes_the_model_tester(qtmodeltester):
    model = VolunteerListModel()
    model.set_accounts([{"id": "a", "name": "An", "role": "admin", "active": 1,
                         "locked_until": None},
                        {"id": "b", "name": "Bình", "role": "volunteer", "active": 0,
                         "locked_until": None}])
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    assert ui_text("admin.volunteers.inactive", "vi") in model.index(1).data()


def test_an_admin_adds_a_volunteer_who_can_then_sign_in(qtbot, window, db, qtmodeltester):
    panel = open_admin(qtbot, window)
    show(qtbot, panel, "volunteers")
    section = panel.volunteers_section
    section.add.click()
    section.name_page.next.click()
    assert section.name_page.message.text() == ui_text("admin.volunteers.name_missing", "vi")
    section.name_page.name.setText("  Trần   Minh Đức ")
    section.name_page.next.click()
    assert section.pages.currentWidget() is section.pin_page
    for attempt in (VOLUNTEER_PIN, "1111"):  # a mismatch starts again
        for digit in attempt:
            section.pin_page.pad.keys[digit].click()
        section.pin_page.pad.ok.click()
    assert section.pin_page.message.text() == ui_text("setup.mismatch", "vi")
    with qtbot.waitSignal(section.accounts_did_load, timeout=10_000):
        for _ in range(2):
            for digit in VOLUNTEER_PIN:
                section.pin_page.pad.keys[digit].click()
            section.pin_page.pad.ok.click()
    qtmodeltester.check(section.model)
    added = section.selected()
    assert added["name"] == "Trần Minh Đức" and "pin_hash" not in added
    assert section.message.text() == ui_text("admin.volunteers.added", "vi", name="Trần Minh Đức")
    assert accounts.sign_in(db, added["id"], VOLUNTEER_PIN)["role"] == "volunteer"
    shown = [section.model.index(row).data() for row in range(section.model.rowCount())]
    assert not any("scrypt" in text or "argon2" in text for text in shown)


def test_switching_a_volunteer_off_and_resetting_a_pin(qtbot, window, db, volunteer):
    panel = open_admin(qtbot, window)
    show(qtbot, panel, "volunteers")
    section = panel.volunteers_section
    section.select(volunteer["id"])
    assert section.toggle.full_text == ui_text("admin.volunteers.switch_off", "vi")  # may wrap
    with qtbot.waitSignal(section.accounts_did_load):
        section.toggle.click()
    assert section.selected()["active"] == 0
    assert section.toggle.full_text == ui_text("admin.volunteers.switch_on", "vi")
    with pytest.raises(accounts.PinRefused):
        accounts.sign_in(db, volunteer["id"], VOLUNTEER_PIN)

    section.reset.click()
    for _ in range(2):
        for digit in "97531":
            section.pin_page.pad.keys[digit].click()
        section.pin_page.pad.ok.click()
    with qtbot.waitSignal(section.accounts_did_load):
        section.toggle.click()
    assert accounts.sign_in(db, volunteer["id"], "97531")["name"] == "Nguyễn Thu Hà"


def test_the_last_admin_cannot_be_switched_off(qtbot, window, db):
    panel = open_admin(qtbot, window)
    show(qtbot, panel, "volunteers")
    section = panel.volunteers_section
    section.view.setCurrentIndex(section.model.index(0))
    with qtbot.waitSignal(section.accounts_did_load):
        section.toggle.click()
    assert section.message.text() == ui_text("admin.volunteers.last_admin", "vi")
    assert accounts.has_admin(db)


def test_settings_are_saved_to_config_toml_and_applied_at_once(qtbot, window, data_dir):
    panel = open_admin(qtbot, window)
    show(qtbot, panel, "settings")
    section = panel.settings_section
    section.help_point.setText("Nhà văn hóa tổ dân phố số 5")
    section.ward.setText("Phường Hoàn Kiếm")
    section.neighbourhoods.setPlainText("Tổ 5\n\n  Tổ   6 \nTổ 5")
    section.idle.buttons["300"].click()
    section.languages.buttons["en"].click()
    section.keyboards.buttons["off"].click()
    with qtbot.waitSignal(panel.config_did_change) as changed:
        section.save.click()
    saved = config.load(config_path(data_dir))
    assert (saved.help_point, saved.ward, saved.neighbourhoods) == (
        "Nhà văn hóa tổ dân phố số 5", "Phường Hoàn Kiếm", ["Tổ 5", "Tổ 6"])
    assert (saved.idle_timeout_s, saved.language) == (300, "en")
    assert changed.args[0] == saved
    assert saved.onscreen_keyboard == "off" == window.config.onscreen_keyboard
    assert window.navigator.idle_timer.interval() == 300_000
    assert window.config.neighbourhoods == ["Tổ 5", "Tổ 6"]
    assert section.message.text() == ui_text("admin.settings.saved", "vi")
    assert panel.export_section.help_point == "Nhà văn hóa tổ dân phố số 5"
    window.go_welcome()  # the next resident starts in the new default language
    assert window.session.language == "en"


def test_diagnostics_show_the_kiosk_and_a_sound_database(qtbot, window, db):
    panel = open_admin(qtbot, window)
    show(qtbot, panel, "diagnostics")
    section = panel.diagnostics_section
    assert section.facts.text_of("device_id") == device_id(db)
    assert section.facts.text_of("unsent") == "0"
    assert section.facts.text_of("free_bytes").endswith("B")
    with qtbot.waitSignal(section.check_did_finish, timeout=10_000):
        section.check.click()
    assert section.database_problems == []
    assert section.check_result.text() == ui_text("admin.diagnostics.check_ok", "vi")


@pytest.fixture
def usb(tmp_path):
    folder = tmp_path / "KINGSTON"
    folder.mkdir()
    return folder


def open_export(qtbot, window, drives):
    panel = open_admin(qtbot, window)
    section = panel.export_section
    section.drives_provider = lambda: drives
    with qtbot.waitSignal(section.drives_did_load):
        panel.nav["export"].click()
    drain(qtbot, window)
    return panel, section


def test_export_to_a_drive_shows_progress_and_says_when_it_is_safe(qtbot, window, sessions,
                                                                   usb, monkeypatch):
    monkeypatch.setattr(bundle_module, "CHUNK_ROWS", 2)  # several progress steps
    unsent = unsent_count(sessions)
    panel, section = open_export(qtbot, window, [usb])
    assert section.drive_choice.value == str(usb)  # the only drive is chosen
    assert section.unsent.text().endswith(str(unsent))
    seen = []
    section.progress.valueChanged.connect(seen.append)
    with qtbot.waitSignal(section.export_did_finish, timeout=10_000) as finished:
        section.export.click()
    assert finished.args == ["done"]
    assert seen and seen[-1] == 100 and seen == sorted(seen)
    assert section.progress.value() == 100 and section.progress.isVisible()
    files = list(usb.iterdir())
    assert len(files) == 1 and files[0].suffix == ".hpb"  # no temporary file left
    assert section.result.text() == ui_text("admin.export.done", "vi", count=unsent, n=unsent,
                                            file=files[0].name)
    assert sum(1 for _ in read_bundle(files[0]).records()) == unsent
    assert unsent_count(sessions) == unsent  # only the hub's acknowledgement marks them sent
    assert recent_exports(sessions)[0]["path_name"] == files[0].name


def test_buttons_wait_while_an_export_is_written(qtbot, window, sessions, usb):
    panel, section = open_export(qtbot, window, [usb])
    release = threading.Event()
    window.worker.submit(lambda db: release.wait(10))  # holds the writer, like a slow stick
    section.export.click()
    assert section.busy
    assert not any(w.isEnabled() for w in (section.export, section.rescan, panel.exit,
                                           panel.back, *panel.nav.values()))
    with qtbot.waitSignal(section.export_did_finish, timeout=10_000):
        release.set()
    assert section.export.isEnabled() and panel.exit.isEnabled()


def test_a_drive_pulled_out_gives_a_plain_message_and_no_file(qtbot, window, sessions,
                                                              tmp_path):
    gone = tmp_path / "gone"
    panel, section = open_export(qtbot, window, [gone])
    with qtbot.waitSignal(section.export_did_finish, timeout=10_000) as finished:
        section.export.click()
    assert finished.args == ["removed"]
    assert section.result.text() == ui_text("export.error.removed", "vi")
    assert section.result.property("role") == "warning"
    assert not gone.exists() and recent_exports(sessions) == []


def test_a_full_drive_gives_a_plain_message(qtbot, window, sessions, usb, monkeypatch):
    def full(*args, **kwargs):
        raise ExportError("disk_full", "injected")

    monkeypatch.setattr(bundle_module, "write_bundle", full)
    panel, section = open_export(qtbot, window, [usb])
    with qtbot.waitSignal(section.export_did_finish, timeout=10_000):
        section.export.click()
    assert section.result.text().startswith(ui_text("export.error.disk_full", "vi"))
    assert not section.progress.isVisible() and list(usb.iterdir()) == []


def test_no_drive_says_what_to_do(qtbot, window):
    panel, section = open_export(qtbot, window, [])
    assert section.no_drive.isVisible() and not section.export.isEnabled()
    assert section.no_drive.text() == ui_text("admin.export.no_drive", "vi")


def _cut_off(widget) -> str | None:
    if isinstance(widget, QPushButton) and widget.text():
        needed = widget.fontMetrics().horizontalAdvance(widget.text())
        if needed > widget.contentsRect().width():
            return f"button {widget.text()!r}"
    if isinstance(widget, QLabel) and widget.text() and widget.wordWrap():
        if widget.heightForWidth(widget.width()) > widget.height() + 1:
            return f"label {widget.text()[:40]!r}"
    return None


@pytest.mark.parametrize("language", ["vi", "en"])
def test_nothing_in_the_admin_panel_is_cut_off_at_the_largest_text(qtbot, window, sessions,
                                                                     language):
    if language == "en":
        window.session.toggle_language()
    window.session.cycle_text_size()
    window.session.cycle_text_size()
    panel = open_admin(qtbot, window)
    assert panel.minimumSizeHint().height() <= 768  # the panel fits a laptop screen
    problems = []
    for name in SECTIONS:
        show(qtbot, panel, name)
        for _ in range(3):
            QApplication.sendPostedEvents()
        section = panel.sections[name]
        for widget in section.findChildren(QPushButton) + section.findChildren(QLabel):
            if widget.isVisibleTo(section) and _cut_off(widget):
                problems.append(f"{name}: {_cut_off(widget)}")
    for widget in (*panel.nav.values(), panel.back, panel.exit):
        if _cut_off(widget):
            problems.append(_cut_off(widget))
    assert problems == []


def test_leaving_the_panel_forgets_a_half_typed_volunteer(qtbot, window):
    panel = open_admin(qtbot, window)
    show(qtbot, panel, "volunteers")
    section = panel.volunteers_section
    section.add.click()
    section.name_page.name.setText("Lê Văn Nam")
    section.name_page.next.click()
    section.pin_page.pad.keys["1"].click()
    panel.back.click()
    assert window.current() is window.welcome
    panel = open_admin(qtbot, window)
    assert panel.current_name() == "counts"
    assert section.pages.currentWidget() is section.list_page
    assert section.name_page.name.text() == "" and section.pin_page.pad.digits == ""


def test_looking_again_for_drives_is_seen_and_a_disabled_export_looks_disabled(
        qtbot, window, tmp_path):
    from PySide6.QtGui import QImage

    stick = tmp_path / "stick"
    panel, section = open_export(qtbot, window, [])
    assert not section.export.isEnabled() and section.no_drive.isVisible()
    grey = section.export.grab().toImage()
    stick.mkdir()
    release = threading.Event()
    section.drives_provider = lambda: (release.wait(10), [stick])[1]  # a slow look at the drives
    section.rescan.click()
    assert not section.rescan.isEnabled()
    assert section.rescan.text() == ui_text("admin.export.scanning", "vi")
    assert section.scan_status.text() == ui_text("admin.export.looking", "vi")
    assert not section.no_drive.isVisible()
    with qtbot.waitSignal(section.drives_did_load, timeout=10_000):
        release.set()
    assert section.rescan.isEnabled()
    assert section.rescan.text() == ui_text("admin.export.rescan", "vi")
    assert section.scan_status.text() == ui_text("admin.export.found", "vi", count=1)
    assert section.export.isEnabled()
    enabled = section.export.grab().toImage()
    green = QImage(enabled).pixelColor(enabled.width() // 2, 6)
    faded = QImage(grey).pixelColor(grey.width() // 2, 6)
    assert green.green() > green.red() + 40  # the enabled "go" button is filled green...
    assert abs(faded.green() - faded.red()) < 40  # ...the disabled one is not


def test_a_message_goes_when_it_no_longer_applies(qtbot, window, sessions, usb, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    panel, section = open_export(qtbot, window, [usb, other])
    section.drive_choice.buttons[str(usb)].click()
    with qtbot.waitSignal(section.export_did_finish, timeout=10_000):
        section.export.click()
    drain(qtbot, window)
    assert section.result.isVisible()
    section.drive_choice.buttons[str(other)].click()  # the message was about the first stick
    assert not section.result.isVisible()


def test_the_admin_pin_pad_is_centred_and_a_short_pin_message_goes_on_typing(qtbot, window):
    window.welcome.admin.click()
    for _ in range(3):
        QApplication.sendPostedEvents()
    pad = window.gate.pad
    centre = pad.mapTo(window, pad.rect().center()).x()
    assert abs(centre - window.width() / 2) <= 3
    panel = open_admin(qtbot, window)
    show(qtbot, panel, "volunteers")
    section = panel.volunteers_section
    section.add.click()
    section.name_page.name.setText("Trần Văn Nam")
    section.name_page.next.click()
    page = section.pin_page
    for digit in "12":
        page.pad.keys[digit].click()
    page.pad.ok.click()
    assert page.message.text() == ui_text("setup.too_short", "vi")
    page.pad.keys["3"].click()
    assert page.message.text() == ""
