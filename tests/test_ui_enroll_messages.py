"""Enrollment and sync failures are said in plain Vietnamese (English in English) from the
catalogue, never as the sync client's English sentence."""

import httpx
import pytest

from kiosk.locale import ui_text
from kiosk.sync.enroll import EnrollFailed, request_enrollment
from kiosk.ui.sync_service import enroll_failure_key, sync_error_key

HUB = {"x-kiosk-hub": "hub-1"}
CODE = "ABCD-EFGH-JKLM-NPQR-STUV"  # well formed: its last ten signs name a hub's key


def failure(handler, url="http://hub.example:8750", code=CODE) -> str:
    with pytest.raises(EnrollFailed) as failed:
        request_enrollment(url, code, "device-1",
                           transport=httpx.MockTransport(handler) if handler else None)
    return enroll_failure_key(failed.value)


def refused(code):
    return lambda request: httpx.Response(403, headers=HUB, json={
        "hub": "kiosk-hub", "error": code, "message": "this enrollment code has already been used"})


def offline(request):
    raise httpx.ConnectError("connection refused", request=request)


@pytest.mark.parametrize("handler, url, key", [
    (refused("code_used"), "http://hub.example:8750", "hub.enroll.code_used"),
    (refused("code_expired"), "http://hub.example:8750", "hub.enroll.code_expired"),
    (refused("code_unknown"), "http://hub.example:8750", "hub.enroll.code_unknown"),
    (refused("banned"), "http://hub.example:8750", "hub.error.refused"),
    (lambda request: httpx.Response(200, text="<html>Wi-Fi login</html>"),
     "http://hub.example:8750", "hub.error.not_hub"),
    (offline, "http://hub.example:8750", "hub.error.offline"),
    (None, "not an address", "hub.error.bad_address"),
    (None, "http://[::1", "hub.error.bad_address"),
    (lambda request: httpx.Response(200, headers=HUB, json={"hub": "kiosk-hub"}),
     "http://hub.example:8750", "enroll.error.impostor"),
])
def test_each_enrollment_failure_has_its_own_plain_message(handler, url, key):
    assert failure(handler, url) == key
    vietnamese, english = ui_text(key, "vi"), ui_text(key, "en")
    assert vietnamese != english
    for word in ("the ", "hub", "HTTP", "enrollment"):
        assert word not in vietnamese


def test_an_old_style_or_mistyped_code_is_named_before_anything_is_sent():
    assert failure(None, code="ABCD-1234") == "enroll.error.old_code"


def test_a_sync_error_without_a_known_kind_still_has_plain_words():
    assert sync_error_key("offline") == "hub.error.offline"
    assert sync_error_key(None) == sync_error_key("something-new") == "hub.error.other"


def test_the_hub_screen_says_why_and_forgets_it_when_the_code_is_changed(qtbot, window):
    from test_ui_admin_panel import open_admin, show

    panel = open_admin(qtbot, window)
    show(qtbot, panel, "hub")
    section = panel.hub_section
    section._on_enroll_did_finish("hub.enroll.code_used")
    assert section.message.text() == ui_text("hub.enroll_failed", "vi",
                                             reason=ui_text("hub.enroll.code_used", "vi"))
    assert section.message.isVisible()
    section.code.setText("WXYZ-9876")
    assert not section.message.isVisible()
