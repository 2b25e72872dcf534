"""Every writer is proven: device keys, codes that never take over a device, re-enrollment,
the upgrade path for kiosks enrolled before keys, one writer per record, and enrollment bound to
the hub that made the code (SQLite and PostgreSQL)."""

import json
import uuid

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from kiosk.core.db import device_id, set_setting
from kiosk.hub.api import create_app
from kiosk.hub.cli import main as hub_main
from kiosk.hub.enrollment import EnrollError, make_code, redeem_code, reenroll
from kiosk.hub.imports import import_bundles
from kiosk.hub.keys import generate
from kiosk.core.ids import uuid7
from kiosk.locale import ui_text
from kiosk.sync import identity
from kiosk.sync.bundle import write_bundle
from kiosk.sync.enroll import EnrollFailed, client_for, enroll, request_enrollment
from kiosk.sync.push import set_aside_rows, sync_round

from tests.hub.conftest import add_records, enrolled, enrolled_offline

def _one(report):
    [item] = report["bundles"]
    return item


def _records(engine) -> list[tuple]:
    with engine.connect() as connection:
        return connection.execute(text(
            "SELECT record_id, device_id, revision, payload FROM records ORDER BY record_id"
        )).all()


def _point(engine, device: str) -> str:
    with engine.connect() as connection:
        return connection.execute(text("SELECT point FROM devices WHERE device_id = :d"),
                                  {"d": device}).scalar_one()


# finding 3: an enrollment code never takes over an enrolled device ---------------------------

def test_a_fresh_code_with_an_enrolled_devices_id_is_refused_and_the_kiosk_keeps_working(
        live_hub, make_kiosk):
    db, _ = make_kiosk("real")
    enrolled(db, live_hub, "Tổ 5")
    victim = device_id(db)
    api = TestClient(create_app(live_hub.engine, live_hub.keys, packs_dir=live_hub.packs_dir))
    code = live_hub.code("Tổ 99")
    stolen = api.post("/api/v1/enroll", json={
        "code": code, "device_id": victim,
        "public_key": identity.public_text(identity.new_key())})
    assert stolen.status_code == 403 and stolen.json()["error"] == "code_device_enrolled"
    assert "re-enroll" in stolen.json()["message"] and "token" not in stolen.json()
    assert _point(live_hub.engine, victim) == "Tổ 5"
    add_records(db, 3)
    with client_for(db) as client:  # the real kiosk is not locked out
        assert sync_round(db, client).unsent == 0
    other, _ = make_kiosk("new")  # the refused code was not used up: a new kiosk may take it
    assert enroll(other, live_hub.url, code).point == "Tổ 99"


def test_bad_device_ids_and_keys_are_refused_at_enrollment(hub_engine, hub_keys, tmp_path):
    api = TestClient(create_app(hub_engine, hub_keys, packs_dir=tmp_path))
    key = identity.public_text(identity.new_key())
    for device in ("../../etc/passwd<script>", "x" * 36, "0190F0E0-0000-7000-8000-00000000000"):
        answer = api.post("/api/v1/enroll", json={"code": make_code(hub_engine, "Tổ 1")["code"],
                                                  "device_id": device, "public_key": key})
        assert answer.status_code == 422 and "Traceback" not in answer.text
    with pytest.raises(EnrollError, match="not a valid Ed25519"):
        redeem_code(hub_engine, make_code(hub_engine, "Tổ 1")["code"], str(uuid.uuid4()),
                    "bm90IGEga2V5")


def test_reenroll_revokes_the_old_token_and_key_and_only_that_kiosk_may_use_the_code(
        live_hub, make_kiosk, tmp_path):
    db, _ = make_kiosk("kiosk")
    enrolled(db, live_hub, "Tổ 5")
    device = device_id(db)
    made = reenroll(live_hub.engine, device, keys=live_hub.keys, point="Tổ 6")
    add_records(db, 2)
    with client_for(db) as client:  # the old token no longer works
        assert sync_round(db, client).error_kind == "not_enrolled"
    stranger, _ = make_kiosk("stranger")
    with pytest.raises(EnrollFailed, match="another kiosk"):
        enroll(stranger, live_hub.url, made["code"])
    old_key = identity.public_text(identity.load_key(db))
    again = enroll(db, live_hub.url, made["code"])  # the reinstalled kiosk
    assert again.point == "Tổ 6" and identity.public_text(identity.load_key(db)) != old_key
    with client_for(db) as client:
        assert sync_round(db, client).unsent == 0


def test_reenroll_from_the_command_line(hub_db_url, tmp_path, capsys):
    hub = ["--db", hub_db_url, "--data-dir", str(tmp_path / "hub")]
    assert hub_main(["device", "reenroll", str(uuid.uuid4()), "--json", *hub]) == 1
    assert "does not know this device" in capsys.readouterr().err
    assert hub_main(["device", "reenroll", "../etc", *hub]) == 1
    assert "not a valid UUID" in capsys.readouterr().err
    assert hub_main(["enroll-code", "--point", "Tổ 3", "--json", *hub]) == 0
    code = json.loads(capsys.readouterr().out)["code"]
    device = str(uuid.uuid4())
    from kiosk.hub.site import open_hub

    opened = open_hub(hub_db_url, str(tmp_path / "hub"))
    redeem_code(opened.engine, code, device, identity.public_text(identity.new_key()))
    opened.engine.dispose()
    assert hub_main(["device", "reenroll", device, "--point", "Tổ 4", "--json", *hub]) == 0
    made = json.loads(capsys.readouterr().out)
    assert made["device_id"] == device and made["point"] == "Tổ 4" and len(made["code"]) == 24


# the upgrade path and signed batches ----------------------------------------------------------

def test_a_kiosk_enrolled_before_keys_registers_one_then_unsigned_batches_are_refused(
        live_hub, make_kiosk):
    db, _ = make_kiosk()
    granted = redeem_code(live_hub.engine, live_hub.code(), device_id(db))  # no key: old kiosk
    public = live_hub.keys.public()
    for key, value in {"hub_url": live_hub.url, "hub_id": public["hub_id"],
                       "device_token": granted["token"], "signing_key": public["signing_key"],
                       "encryption_key": public["encryption_key"], "point": granted["point"],
                       "enrolled_at": "2025-01-01T00:00:00.000+00:00"}.items():
        set_setting(db, f"hub.{key}", value)
    assert identity.load_key(db) is None
    unsigned = _raw_batch(db)
    headers = {"Authorization": f"Bearer {granted['token']}"}
    old = httpx.post(f"{live_hub.url}/api/v1/batches", content=unsigned, headers=headers)
    assert old.status_code == 200  # an older kiosk program keeps working meanwhile
    add_records(db, 4)
    with client_for(db) as client:  # the updated program: makes a key, registers it
        assert sync_round(db, client).unsent == 0
    key = identity.public_text(identity.load_key(db))
    with live_hub.engine.connect() as connection:
        assert connection.execute(text("SELECT public_key FROM devices")).scalar_one() == key
    again = httpx.post(f"{live_hub.url}/api/v1/batches", content=unsigned, headers=headers)
    assert again.status_code == 403 and again.json()["error"] == "unsigned"
    forged_key = identity.new_key()
    forged = httpx.post(f"{live_hub.url}/api/v1/batches", content=unsigned, headers={
        **headers, "X-Kiosk-Signature": identity.sign(forged_key, identity.BATCH, unsigned),
        "X-Kiosk-Key": identity.public_text(forged_key)})
    assert forged.status_code == 403 and forged.json()["error"] == "bad_signature"


def _raw_batch(db) -> bytes:
    record = {"id": uuid7(), "device_id": device_id(db), "revision": 1}
    return json.dumps({"device_id": device_id(db), "first_seq": 1, "last_seq": 1,
                       "records": [{"seq": 1, "record_type": "lesson_run",
                                    "record": record}]}).encode()


# finding 6: one writer per record -------------------------------------------------------------

def _kiosk_a_queues_kiosk_bs_record(live_hub, make_kiosk, revision: int, **changed):
    """Kiosks A and B enrolled; B's one record at the hub; A's outbox holding that record
    rewritten as A's at ``revision``. Returns A, the hub's records before, and B's record id."""
    a, _ = make_kiosk("a")
    b, _ = make_kiosk("b")
    enrolled(a, live_hub, "Tổ A")
    enrolled(b, live_hub, "Tổ B")
    add_records(b, 1)
    with client_for(b) as client:
        assert sync_round(b, client).unsent == 0
    before = _records(live_hub.engine)
    [(record_id, owner, _, payload)] = before
    assert owner == device_id(b)
    stolen = {**json.loads(payload), "device_id": device_id(a), "revision": revision, **changed}
    with a.atomic():
        a.execute("INSERT INTO outbox (record_type, record_id, revision, payload, created_at) "
                  "VALUES ('lesson_run', ?, ?, ?, '2025-03-01')",
                  [record_id, revision, json.dumps(stolen)])
    return a, before, record_id


def test_a_kiosk_cannot_change_another_kiosks_record_by_batch(live_hub, make_kiosk):
    a, before, _ = _kiosk_a_queues_kiosk_bs_record(live_hub, make_kiosk, 9,
                                                   lesson_id="hijacked")
    with client_for(a) as client:
        result = sync_round(a, client)
    assert result.ok and result.set_aside == 1 and result.unsent == 1  # acknowledged, set aside
    assert set_aside_rows(a)[0]["reason"] == "the record belongs to another device"
    assert _records(live_hub.engine) == before
    with live_hub.engine.connect() as connection:
        assert connection.execute(text("SELECT point, revision FROM report_lesson_runs")
                                  ).one() == ("Tổ B", 1)


def test_a_kiosk_cannot_change_another_kiosks_record_by_bundle(live_hub, make_kiosk, tmp_path):
    a, before, record_id = _kiosk_a_queues_kiosk_bs_record(live_hub, make_kiosk, 5)
    add_records(a, 2)
    report = _one(import_bundles(live_hub.engine, live_hub.keys,
                                 [write_bundle(a, tmp_path).path]))
    assert report["new"] == 2 and report["outcome"] == "new"
    assert report["refused"] == [{"seq": 1, "reason": "the record belongs to another device"}]
    assert [row for row in _records(live_hub.engine) if row[0] == record_id] == before


# finding 4 and 9: bundles only from an enrolled device whose signature verifies ---------------

def test_an_unenrolled_kiosks_bundle_is_refused(hub_engine, hub_keys, make_kiosk, tmp_path):
    db, _ = make_kiosk()
    add_records(db, 5)
    report = _one(import_bundles(hub_engine, hub_keys, [write_bundle(db, tmp_path).path]))
    assert report["refused_whole"] and report["outcome"] == "refused"
    assert "not enrolled with this hub" in report["reason"]
    assert _records(hub_engine) == []


def test_a_bundle_forged_in_an_enrolled_kiosks_name_is_refused(hub_engine, hub_keys,
                                                                make_kiosk, tmp_path):
    real, _ = make_kiosk("real")
    enrolled_offline(real, hub_engine, hub_keys, point="Tổ 5")
    forger, _ = make_kiosk("forger")  # knows the kiosk's id and the hub's public key only
    public = hub_keys.public()
    with forger.atomic():
        forger.execute("UPDATE settings SET value = ? WHERE key = 'device_id'",
                       [device_id(real)])
        for key in ("hub_id", "signing_key", "encryption_key"):
            set_setting(forger, f"hub.{key}", public[key])
        set_setting(forger, "hub.device_token", "not-the-real-token")
    add_records(forger, 5)
    bundle = write_bundle(forger, tmp_path, help_point="Tổ giả").path
    report = _one(import_bundles(hub_engine, hub_keys, [bundle]))
    assert report["refused_whole"] and "signature does not match" in report["reason"]
    assert _records(hub_engine) == [] and _point(hub_engine, device_id(real)) == "Tổ 5"


def test_a_bundle_cannot_rename_its_help_point(hub_engine, hub_keys, make_kiosk, tmp_path):
    db, _ = make_kiosk()
    enrolled_offline(db, hub_engine, hub_keys, point="Nhà văn hóa tổ 5")
    add_records(db, 3)
    bundle = write_bundle(db, tmp_path, help_point="x" * 150).path
    assert _one(import_bundles(hub_engine, hub_keys, [bundle]))["new"] == 3
    assert _point(hub_engine, device_id(db)) == "Nhà văn hóa tổ 5"
    with pytest.raises(EnrollError, match="1 to 120"):
        make_code(hub_engine, "y" * 121)


# finding 13 (bound enrollment): an impostor never sees the code -------------------------------

def test_an_impostor_hub_is_refused_before_the_code_is_sent(live_hub, make_kiosk):
    real_public = live_hub.keys.public()
    impostor = generate()
    asked = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.path)
        body = json.loads(request.content or b"{}")
        public = {**real_public}  # copies the real hub's public keys, cannot sign with them
        if request.url.path == "/api/v1/hello":
            proof = impostor.sign(identity.HELLO + identity.hello_message(
                body["challenge"], public["encryption_key"]))
            return httpx.Response(200, json={"hub": "kiosk-hub", **public, "proof": proof},
                                  headers={"X-Kiosk-Hub": real_public["hub_id"]})
        return httpx.Response(200, json={"hub": "kiosk-hub", "token": "stolen", **public},
                              headers={"X-Kiosk-Hub": real_public["hub_id"]})

    code = live_hub.code("Tổ 5")
    with pytest.raises(EnrollFailed, match="not the ward hub that made this code"):
        request_enrollment("http://hub.invalid", code, str(uuid.uuid4()),
                           transport=httpx.MockTransport(answer))
    assert asked == ["/api/v1/hello"]  # the code never left the kiosk
    other_hub_code = make_code(live_hub.engine, "Tổ 5", keys=impostor)["code"]
    db, _ = make_kiosk()
    with pytest.raises(EnrollFailed, match="not the ward hub"):  # the real hub, another's code
        enroll(db, live_hub.url, other_hub_code)
    with pytest.raises(EnrollFailed, match="old-style or mistyped"):
        enroll(db, live_hub.url, "K7PD-3QXA-9MRT")
    assert enroll(db, live_hub.url, code.lower().replace("-", " ")).point == "Tổ 5"


def test_the_upsert_itself_keeps_the_owner_even_when_the_look_up_misses_a_race(
        hub_engine, monkeypatch):
    """The look-up that names refused rows can lose a race with another device's delivery; the
    conflict clause still compares the owner, so the record is never overwritten."""
    from kiosk.hub import ingest

    owner, intruder, record_id = str(uuid.uuid4()), str(uuid.uuid4()), uuid7()
    record = {"id": record_id, "device_id": owner, "revision": 1, "lesson_id": "mine"}
    ingest.ingest_batch(hub_engine, owner, [{"seq": 1, "record_type": "lesson_run",
                                             "record": record}])
    before = _records(hub_engine)
    real, calls = ingest._foreign, []

    def missed_first(*args):  # the race: the look-up before the upsert sees nothing
        calls.append(args)
        return set() if len(calls) == 1 else real(*args)

    monkeypatch.setattr(ingest, "_foreign", missed_first)
    for revision in (1, 7):
        calls.clear()
        stolen = {**record, "device_id": intruder, "revision": revision, "lesson_id": "theirs"}
        result = ingest.ingest_batch(hub_engine, intruder, [
            {"seq": revision, "record_type": "lesson_run", "record": stolen}])
        if hub_engine.dialect.name == "postgresql":  # where the race can happen: named too
            assert result.refused == [{"seq": revision, "reason": ingest.FOREIGN}]
            assert result.new == result.updated == result.already_present == 0
    assert _records(hub_engine) == before  # SQLite holds the write lock: no race to lose


def test_an_admin_re_enrolls_a_kiosk_from_the_dashboard(live_hub, make_kiosk, tmp_path):
    import re

    from tests.hub.dashboard_helpers import VIEWER, dashboard_app, signed_in

    db, _ = make_kiosk()
    enrolled(db, live_hub, "Tổ 5")
    device = device_id(db)
    app = dashboard_app(live_hub.engine, live_hub.keys, tmp_path / "packs")
    viewer, viewer_token = signed_in(app, VIEWER)
    denied = viewer.post("/dashboard/kiosks/reenroll",
                         data={"device_id": device, "csrf": viewer_token})
    assert denied.status_code == 403
    client, token = signed_in(app)
    assert "/dashboard/kiosks/reenroll" in client.get("/dashboard/kiosks").text
    page = client.post("/dashboard/kiosks/reenroll", data={"device_id": device, "csrf": token})
    assert page.status_code == 200 and device in page.text
    code = re.search(r'data-k="code">([A-Z2-9-]{24})<', page.text).group(1)
    add_records(db, 2)
    with client_for(db) as hub_client:  # revoked at once
        assert sync_round(db, hub_client).error_kind == "not_enrolled"
    assert enroll(db, live_hub.url, code).point == "Tổ 5"
    unknown = client.post("/dashboard/kiosks/reenroll",
                          data={"device_id": str(uuid.uuid4()), "csrf": token})
    assert unknown.status_code == 400 and ui_text("dash.unknown_device", "vi") in unknown.text
