"""Enrollment and sync rounds against a real hub on 127.0.0.1 (SQLite and PostgreSQL)."""

import httpx
import pytest

from kiosk.hub.stats import device_stats
from kiosk.sync.client import NOT_THE_HUB, HubClient, NotConnected
from kiosk.sync.enroll import EnrollFailed, client_for, enroll, enrollment
from kiosk.sync.identity import hub_fingerprint
from kiosk.sync.push import set_aside_rows, sync_round, sync_state

from tests.hub.conftest import add_records, enrolled


def test_enroll_pins_the_hub_keys_and_a_code_works_once(live_hub, make_kiosk):
    db, _ = make_kiosk("a")
    code = live_hub.code("Tổ 7")
    found = enroll(db, live_hub.url, code)
    assert found.hub_id == live_hub.keys.hub_id
    assert found.signing_key == live_hub.keys.public()["signing_key"]
    assert found.encryption_key == live_hub.keys.public()["encryption_key"]
    assert found.point == "Tổ 7" and enrollment(db) == found
    other, _ = make_kiosk("b")
    with pytest.raises(EnrollFailed, match="already been used"):
        enroll(other, live_hub.url, code)
    unknown = "AAAA-BBBB-CC" + hub_fingerprint(live_hub.keys.public()["signing_key"])
    with pytest.raises(EnrollFailed, match="not known"):
        enroll(other, live_hub.url, unknown)
    assert enrollment(other) is None


def test_a_round_sends_everything_and_a_second_round_sends_nothing(live_hub, make_kiosk):
    db, data = make_kiosk()
    enrolled(db, live_hub)
    made = add_records(db, 120, revisions=3)
    with client_for(db) as client:
        first = sync_round(db, client, batch_rows=50, data_dir=data)
        assert first.ok and first.sent == made and first.unsent == 0 and first.last_error is None
        assert first.lessons == {"status": "none_published", "version": None, "reason": None}
        again = sync_round(db, client)
    assert again.ok and again.sent == 0
    device = db.execute("SELECT value FROM settings WHERE key = 'device_id'").fetchone()[0]
    assert device_stats(live_hub.engine)["devices"][device]["lesson_runs"] == 120
    state = sync_state(db)
    assert state["unsent"] == 0 and state["last_ok_at"] == first.last_ok_at or again.last_ok_at


def test_the_hub_keeps_the_newest_revision(live_hub, make_kiosk):
    db, _ = make_kiosk()
    enrolled(db, live_hub)
    add_records(db, 5, revisions=4)
    with client_for(db) as client:
        assert sync_round(db, client, batch_rows=3).unsent == 0
    with live_hub.engine.connect() as connection:
        from sqlalchemy import text
        revisions = connection.execute(text("SELECT revision FROM records")).scalars().all()
    assert revisions == [4] * 5


def test_a_refused_record_is_set_aside_and_the_rest_go_through(live_hub, make_kiosk):
    db, _ = make_kiosk()
    enrolled(db, live_hub)
    add_records(db, 10)
    with db.atomic():  # a record the hub cannot accept (a future kiosk's type, say)
        db.execute("INSERT INTO outbox (record_type, record_id, revision, payload, created_at) "
                   "VALUES ('mystery', 'x', 1, '{\"id\": \"x\"}', '2026-01-01')")
    add_records(db, 10)
    with client_for(db) as client:
        result = sync_round(db, client, batch_rows=4)
    assert result.ok and result.sent == 20 and result.set_aside == 1 and result.unsent == 1
    [row] = set_aside_rows(db)
    assert row["record_type"] == "mystery" and "unknown record type" in row["reason"]


def test_a_captive_portal_is_not_success(make_kiosk, live_hub):
    db, _ = make_kiosk()
    enrolled(db, live_hub)
    add_records(db, 3)
    portal = httpx.MockTransport(lambda request: httpx.Response(
        200, html="<html><form>Log in to the free Wi-Fi</form></html>"))
    with client_for(db, transport=portal) as client:
        result = sync_round(db, client)
    assert not result.ok and result.unsent == 3 and result.last_error == NOT_THE_HUB
    assert result.error_kind == "not_hub"
    assert sync_state(db)["last_error"] == NOT_THE_HUB


def test_a_forged_acknowledgement_is_not_believed(make_kiosk, live_hub):
    db, _ = make_kiosk()
    enrolled(db, live_hub)
    add_records(db, 2)
    found = enrollment(db)

    def forge(request):
        body = {"hub": "kiosk-hub", "device_id": found.hub_id, "first_seq": 1, "last_seq": 2,
                "acknowledged_through": 2, "refused": []}
        return httpx.Response(200, json=body, headers={"X-Kiosk-Hub": found.hub_id,
                                                      "X-Kiosk-Hub-Signature": "AAAA"})
    with client_for(db, transport=httpx.MockTransport(forge)) as client:
        result = sync_round(db, client)
    assert result.unsent == 2 and "not signed" in result.last_error


def test_no_hub_listening_gives_plain_words(make_kiosk):
    db, _ = make_kiosk()
    client = HubClient("http://127.0.0.1:9", token="t")
    with pytest.raises(NotConnected, match="cannot reach the hub"):
        client.health()
