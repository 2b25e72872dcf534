""""Dùng bài học trước đó / Use the previous lessons" on the kiosk's admin screen: after two
lesson packs came from the hub, the admin goes back to the first, and the kiosk serves it."""

import pytest

from conftest import ADMIN_PIN, drain
from kiosk.hub.packs import publish
from kiosk.sync.enroll import client_for
from kiosk.sync.lesson_update import installed_version, update_lessons

from tests.hub.conftest import enrolled
from tests.hub.test_lesson_packs import _lessons as lessons_with_etax_version

pytestmark = pytest.mark.timeout(120)


def open_diagnostics(qtbot, window):
    window.welcome.admin.click()
    for digit in ADMIN_PIN:
        window.gate.pad.keys[digit].click()
    with qtbot.waitSignal(window.admin_did_unlock, timeout=10_000):
        window.gate.pad.ok.click()
    window.admin.nav["diagnostics"].click()
    drain(qtbot, window)
    return window.admin.diagnostics_section.previous_lessons


def install(qtbot, window, live_hub, tmp_path, etax_version: str, pack_version: int) -> None:
    """Publish a pack whose etax-pay lesson has ``etax_version``; the running kiosk's sync
    (the existing update path) installs it as pack ``pack_version``."""
    publish(live_hub.engine, live_hub.keys, live_hub.packs_dir,
            lessons_with_etax_version(tmp_path, etax_version, f"pack-{etax_version}"))
    window.sync_service.sync_now()
    qtbot.waitUntil(lambda: installed_version(window.data_dir) == pack_version, timeout=30_000)
    drain(qtbot, window)


def test_the_admin_goes_back_to_the_previous_lessons(qtbot, window, live_hub, with_admin,
                                                     data_dir, tmp_path):
    sync = window.sync_service
    qtbot.waitUntil(lambda: bool(sync.state))  # started at the first paint: not enrolled yet
    enrolled(with_admin, live_hub)
    sync.start()
    qtbot.waitUntil(lambda: sync.running)
    install(qtbot, window, live_hub, tmp_path, "2.0", 1)
    widget = open_diagnostics(qtbot, window)
    assert not widget.use_previous.isEnabled() and widget.reason.isVisible()
    assert widget.reason.text().startswith("Chưa có bộ bài học trước đó")
    assert widget.in_use.text() == "Bài học đang dùng: phiên bản 1"

    install(qtbot, window, live_hub, tmp_path, "3.0", 2)
    window.reload_lessons()
    assert window.library.lesson("etax-pay").version == "3.0"
    home_before = window.home
    widget.reload()
    drain(qtbot, window)
    assert widget.use_previous.isEnabled() and not widget.reason.isVisible()
    assert widget.use_previous.text() == "Dùng bài học trước đó"

    widget.use_previous.click()  # asks first
    assert widget.question.isVisible() and "phiên bản 1" in widget.question.text()
    widget.cancel.click()
    assert not widget.question.isVisible()
    assert window.library.lesson("etax-pay").version == "3.0"  # "No" changed nothing

    widget.use_previous.click()
    with qtbot.waitSignal(widget.rollback_did_finish, timeout=10_000) as finished:
        widget.confirm.click()
    assert finished.args == ["done"]
    assert window.library.lesson("etax-pay").version == "2.0"  # the kiosk serves pack 1
    assert window.home is not home_before  # the lesson lists are made again from it
    assert widget.result.text() == "Đã chuyển. Bài học đang dùng: phiên bản 1."
    drain(qtbot, window)
    assert widget.in_use.text() == "Bài học đang dùng: phiên bản 1"
    assert window.admin.diagnostics_section.fact_text("lesson_pack_version") == "1"
    with client_for(with_admin) as client:  # the pack left is not installed again
        assert update_lessons(with_admin, data_dir, client).status == "held_back"


def test_without_a_previous_pack_the_button_says_why_it_waits(qtbot, window):
    widget = open_diagnostics(qtbot, window)
    assert widget.in_use.text() == "Bài học đang dùng: Bản có sẵn"
    assert not widget.use_previous.isEnabled()
    assert widget.reason.isVisible() and widget.reason.text().startswith(
        "Chưa có bộ bài học trước đó")
    widget.use_previous.click()  # disabled: nothing is asked
    assert not widget.question.isVisible()
