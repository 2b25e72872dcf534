"""The running kiosk and the ward hub: enroll from the admin screen, then records reach the hub
in the background, the admin sees "everything sent", and "send now" sends new records."""

from conftest import ADMIN_PIN, drain
from hub.conftest import add_records
from kiosk.core.db import device_id
from kiosk.hub.stats import device_stats
from kiosk.locale import ui_text


def open_hub_section(qtbot, window):
    window.welcome.admin.click()
    for digit in ADMIN_PIN:
        window.gate.pad.keys[digit].click()
    window.gate.pad.ok.click()
    qtbot.waitUntil(lambda: window.current() is window.admin)
    window.admin.nav["hub"].click()
    return window.admin.hub_section


def test_enroll_from_the_admin_screen_then_records_reach_the_hub(qtbot, window, live_hub,
                                                                   with_admin):
    made = add_records(with_admin, 40)
    device = device_id(with_admin)
    section = open_hub_section(qtbot, window)
    sync = window.sync_service
    qtbot.waitUntil(lambda: sync.state.get("unsent") == made)
    assert section.address.isVisible() and not section.sync_now.isVisible()
    section.address.setText(live_hub.url)
    section.code.setText(live_hub.code("Nhà văn hóa tổ 7"))
    with qtbot.waitSignal(sync.enroll_did_finish, timeout=20_000) as finished:
        section.enroll.click()
    assert finished.args == [""]
    qtbot.waitUntil(lambda: sync.state.get("unsent") == 0 and bool(sync.state.get("last_ok_at")),
                    timeout=30_000)
    assert device_stats(live_hub.engine)["devices"][device]["lesson_runs"] == made
    assert "Nhà văn hóa tổ 7" in section.status.text()
    assert section.error.text() == ui_text("hub.all_sent", "vi")

    more = add_records(with_admin, 5)
    section.reload()
    qtbot.waitUntil(lambda: sync.state.get("unsent") == more)
    section.sync_now.click()
    qtbot.waitUntil(lambda: sync.state.get("unsent") == 0, timeout=30_000)
    assert device_stats(live_hub.engine)["devices"][device]["lesson_runs"] == made + more
    window.admin.back.click()
    qtbot.waitUntil(lambda: window.welcome.sync_note.text() == "")


def test_a_wrong_code_is_refused_in_plain_words(qtbot, window, live_hub, with_admin):
    section = open_hub_section(qtbot, window)
    section.address.setText(live_hub.url)
    section.code.setText("NOT-A-CODE")
    with qtbot.waitSignal(window.sync_service.enroll_did_finish, timeout=20_000) as finished:
        section.enroll.click()
    assert finished.args[0]
    assert section.message.text().startswith(ui_text("hub.enroll_failed", "vi").split("{")[0])
    assert not window.sync_service.running


def test_an_unreachable_hub_is_refused_in_plain_words(qtbot, window, with_admin):
    section = open_hub_section(qtbot, window)
    section.address.setText("http://127.0.0.1:9")
    section.code.setText("ABCD-1234")
    with qtbot.waitSignal(window.sync_service.enroll_did_finish, timeout=20_000):
        section.enroll.click()
    assert section.message.text().startswith(ui_text("hub.enroll_failed", "vi").split("{")[0])
    drain(qtbot, window)
