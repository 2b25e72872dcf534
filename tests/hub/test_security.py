"""Who may write what at the hub, enrollment codes, and a property-based run of the API."""

import gzip
import json
from datetime import timedelta

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from kiosk.hub.api import create_app
from kiosk.hub.devices import make_code, redeem_code
from kiosk.hub.keys import generate
from kiosk.core.ids import uuid7
from kiosk.sync import identity


@pytest.fixture
def api(hub_engine, hub_keys, tmp_path):
    return TestClient(create_app(hub_engine, hub_keys, packs_dir=tmp_path))


KEYS = {}  # device id -> its private key, for signing its batches


def _enroll(api, engine, device=None):
    device = device or uuid7()
    KEYS[device] = identity.new_key()
    answer = api.post("/api/v1/enroll", json={"code": make_code(engine, "Tổ 1")["code"],
                                              "device_id": device,
                                              "public_key": identity.public_text(KEYS[device])})
    assert answer.status_code == 200, answer.text
    return device, {"Authorization": f"Bearer {answer.json()['token']}"}


def _signed(device, body: bytes, headers: dict) -> dict:
    """``headers`` plus ``device``'s signature of ``body`` (as a kiosk sends it)."""
    key = KEYS[device]
    return {**headers, "X-Kiosk-Signature": identity.sign(key, identity.BATCH, body),
            "X-Kiosk-Key": identity.public_text(key)}


def _post(api, device, batch, headers):
    body = json.dumps(batch).encode()
    return api.post("/api/v1/batches", content=body, headers=_signed(device, body, headers))


def _batch(device, record_device=None, seq=1):
    record = {"id": uuid7(), "device_id": record_device or device, "revision": 1}
    return {"device_id": device, "first_seq": seq, "last_seq": seq,
            "records": [{"seq": seq, "record_type": "lesson_run", "record": record}]}


def test_every_answer_identifies_the_hub(api, hub_keys):
    for answer in (api.get("/api/v1/health"), api.get("/nowhere"),
                   api.post("/api/v1/batches", json={})):
        assert answer.headers["X-Kiosk-Hub"] == hub_keys.hub_id
        assert answer.json()["hub"] == "kiosk-hub"


def test_no_token_or_a_bad_token_is_401(api, hub_engine):
    device = uuid7()
    assert api.post("/api/v1/batches", json=_batch(device)).status_code == 401
    bad = {"Authorization": "Bearer not-a-token"}
    answer = api.post("/api/v1/batches", json=_batch(device), headers=bad)
    assert answer.status_code == 401 and answer.json()["error"] == "bad_token"
    assert api.get("/api/v1/lessons/current", headers=bad).status_code == 401


def test_a_token_writing_another_devices_records_is_403(api, hub_engine):
    mine, headers = _enroll(api, hub_engine)
    other, _ = _enroll(api, hub_engine)
    answer = _post(api, mine, _batch(other), headers)
    assert answer.status_code == 403 and answer.json()["error"] == "wrong_device"
    smuggled = _post(api, mine, _batch(mine, record_device=other),
                     headers)  # inside its own batch: refused, never stored
    assert smuggled.status_code == 200
    assert smuggled.json()["refused"] == [{"seq": 1, "reason":
                                           "the record belongs to another device"}]
    assert smuggled.json()["new"] == 0


def test_used_expired_and_unknown_codes_are_refused(api, hub_engine):
    key = identity.public_text(identity.new_key())
    code = make_code(hub_engine, "Tổ 2")["code"]
    assert api.post("/api/v1/enroll", json={"code": code, "device_id": uuid7(),
                                            "public_key": key}).status_code == 200
    used = api.post("/api/v1/enroll", json={"code": code, "device_id": uuid7(),
                                            "public_key": key})
    assert used.status_code == 403 and used.json()["error"] == "code_used"
    expired = make_code(hub_engine, "Tổ 3", lifetime=timedelta(seconds=-1))["code"]
    answer = api.post("/api/v1/enroll", json={"code": expired, "device_id": uuid7(),
                                              "public_key": key})
    assert answer.status_code == 403 and answer.json()["error"] == "code_expired"
    answer = api.post("/api/v1/enroll", json={"code": "NOPE-NOPE-NOPE", "device_id": uuid7(),
                                              "public_key": key})
    assert answer.status_code == 403 and answer.json()["error"] == "code_unknown"


def test_tokens_and_codes_are_kept_hashed(api, hub_engine):
    from sqlalchemy import text

    code = make_code(hub_engine, "Tổ 4")["code"]
    key = identity.public_text(identity.new_key())
    token = api.post("/api/v1/enroll", json={"code": code, "device_id": uuid7(),
                                             "public_key": key}).json()["token"]
    with hub_engine.connect() as connection:
        dump = json.dumps([list(map(str, row)) for table in ("devices", "enroll_codes")
                           for row in connection.execute(text(f"SELECT * FROM {table}"))])
    assert token not in dump and code not in dump


def test_acknowledgements_are_signed_and_gzip_is_accepted(api, hub_engine, hub_keys):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    import base64

    device, headers = _enroll(api, hub_engine)
    plain = json.dumps(_batch(device)).encode()
    headers = _signed(device, plain, headers)
    body = gzip.compress(plain)
    answer = api.post("/api/v1/batches", content=body,
                      headers={**headers, "Content-Encoding": "gzip"})
    assert answer.status_code == 200 and answer.json()["new"] == 1
    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(hub_keys.public()["signing_key"]))
    key.verify(base64.b64decode(answer.headers["X-Kiosk-Hub-Signature"]), answer.content)
    cut = api.post("/api/v1/batches", content=body[: len(body) // 2],
                   headers={**headers, "Content-Encoding": "gzip"})
    assert cut.status_code == 400


def test_malformed_batches_are_4xx_and_store_nothing(api, hub_engine):
    device, headers = _enroll(api, hub_engine)
    for bad in (b"not json", b"[]", json.dumps({"device_id": device}).encode(),
                json.dumps({**_batch(device), "first_seq": 5}).encode(),
                json.dumps({**_batch(device), "records": [{"seq": "x"}]}).encode()):
        answer = api.post("/api/v1/batches", content=bad, headers=_signed(device, bad, headers))
        assert 400 <= answer.status_code < 500, (bad, answer.text)


def _as_device(case, device: str) -> None:
    case.body["device_id"] = device
    for row in case.body.get("records") or ():
        if isinstance(row, dict) and isinstance(row.get("record"), dict):
            row["record"]["device_id"] = device


@pytest.fixture
def schema_app(tmp_path):
    from kiosk.hub.database import open_engine

    engine = open_engine(f"sqlite:///{tmp_path / 'fuzz.db'}")
    keys = generate()
    app = create_app(engine, keys, packs_dir=tmp_path)
    code = make_code(engine, "fuzz")["code"]
    device = uuid7()
    # enrolled as a kiosk from before device keys: its unsigned batches are still stored
    token = redeem_code(engine, code, device)["token"]
    yield app, token, device
    engine.dispose()


def test_property_based_requests_from_the_openapi_description_never_give_5xx(schema_app):
    app, token, device = schema_app
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures, seen = [], []
    for operation in schema.get_all_operations():
        operation = operation.ok()

        @settings(max_examples=40, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case):
            if isinstance(case.body, dict) and "records" in case.body:  # also as this device's
                _as_device(case, device)
            for headers in ({"Authorization": f"Bearer {token}"}, {}):
                response = case.call(headers=headers)
                seen.append((case.path, response.status_code))
                if response.status_code >= 500:
                    failures.append((case.method, case.path, response.status_code))

        schemathesis_test = operation.as_strategy()
        from hypothesis import given
        given(schemathesis_test)(check)()
    assert failures == []
    assert {path for path, _ in seen} >= {"/api/v1/batches", "/api/v1/enroll",
                                          "/api/v1/health", "/api/v1/lessons/current"}
    assert any(path == "/api/v1/batches" and status == 200 for path, status in seen), seen[:20]
