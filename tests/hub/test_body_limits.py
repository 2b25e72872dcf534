"""Bounded request bodies (kiosk.hub.body_limits), in process: every route's cap, gzip inflated
with a cap on its output, chunked bodies counted as they stream, plain JSON refusals. The hub
process's memory under the same attacks is measured in tests/hub/test_hostile_memory.py."""

from __future__ import annotations

import gzip
import json
import zlib

import pytest
from fastapi.testclient import TestClient

from kiosk.hub import body_limits
from kiosk.hub.api import create_app
from kiosk.hub.enrollment import make_code
from kiosk.core.ids import uuid7
from kiosk.sync import identity

KEYS: dict = {}  # device id -> its private key


@pytest.fixture
def api(hub_engine, hub_keys, tmp_path):
    return TestClient(create_app(hub_engine, hub_keys, packs_dir=tmp_path))


def _enrolled(api, engine) -> tuple[str, dict]:
    """A device enrolled with its own key; its headers carry its token (``_signed`` adds the
    signature of a body, as a kiosk sends it)."""
    device, key = uuid7(), identity.new_key()
    KEYS[device] = key
    answer = api.post("/api/v1/enroll", json={"code": make_code(engine, "Tổ 1")["code"],
                                              "device_id": device,
                                              "public_key": identity.public_text(key)})
    assert answer.status_code == 200, answer.text
    return device, {"Authorization": f"Bearer {answer.json()['token']}"}


def _signed(device: str, inflated: bytes, headers: dict) -> dict:
    key = KEYS[device]
    return {**headers, "X-Kiosk-Signature": identity.sign(key, identity.BATCH, inflated),
            "X-Kiosk-Key": identity.public_text(key)}


def _refused(answer, status: int) -> None:
    assert answer.status_code == status, answer.text
    assert answer.json()["hub"] == "kiosk-hub" and answer.json()["message"]
    assert "Traceback" not in answer.text


def test_each_route_has_its_cap():
    assert body_limits.limit_for("/api/v1/enroll") == 16 * 1024
    assert body_limits.limit_for("/api/v1/batches") == body_limits.BATCH_LIMIT
    assert body_limits.limit_for("/dashboard/import") == body_limits.UPLOAD_LIMIT
    assert body_limits.limit_for("/signin") == body_limits.DEFAULT_LIMIT
    assert body_limits.limit_for("/api/v1/enrollment-trick") == body_limits.DEFAULT_LIMIT


def test_a_declared_large_enroll_body_is_refused_before_it_is_read(api):
    def never_sent():
        raise AssertionError("the body was read")
        yield b""  # pragma: no cover

    answer = api.post("/api/v1/enroll", content=never_sent(),
                      headers={"Content-Length": str(200 * 1024 * 1024),
                               "Content-Type": "application/json"})
    _refused(answer, 413)


def test_a_chunked_body_past_the_cap_is_refused(api):
    chunks = (b"x" * 4096 for _ in range(10))  # 40 KB, no Content-Length
    _refused(api.post("/api/v1/enroll", content=chunks,
                      headers={"Content-Type": "application/json"}), 413)
    _refused(api.post("/signin", content=(b"a=" + b"b" * 70_000,),
                      headers={"Content-Type": "application/x-www-form-urlencoded"}), 413)


def test_a_gzip_bomb_batch_is_refused_by_its_inflated_size(api, hub_engine):
    device, headers = _enrolled(api, hub_engine)
    bomb = zlib.compressobj(9, zlib.DEFLATED, 31)
    data = bomb.compress(b"{" + b" " * (64 * 1024 * 1024)) + bomb.flush()
    assert len(data) < 100 * 1024
    _refused(api.post("/api/v1/batches", content=data,
                      headers={**headers, "Content-Encoding": "gzip"}), 413)


def test_damaged_trailing_or_foreign_compression_is_a_plain_400_or_415(api, hub_engine):
    device, headers = _enrolled(api, hub_engine)
    good = {"device_id": device, "first_seq": 1, "last_seq": 1, "records": [
        {"seq": 1, "record_type": "lesson_run",
         "record": {"id": uuid7(), "device_id": device, "revision": 1}}]}
    plain = json.dumps(good).encode()
    packed = gzip.compress(plain)
    gz = {**_signed(device, plain, headers), "Content-Encoding": "gzip"}
    _refused(api.post("/api/v1/batches", content=packed[:-9], headers=gz), 400)
    _refused(api.post("/api/v1/batches", content=b"not gzip at all", headers=gz), 400)
    _refused(api.post("/api/v1/batches", content=packed + b"junk", headers=gz), 400)
    _refused(api.post("/api/v1/batches", content=packed,
                      headers={**gz, "Content-Encoding": "br"}), 415)
    answer = api.post("/api/v1/batches", content=packed, headers=gz)
    assert answer.status_code == 200 and answer.json()["new"] == 1


def test_a_batch_just_under_the_cap_is_stored(api, hub_engine):
    device, headers = _enrolled(api, hub_engine)
    rows = [{"seq": n, "record_type": "lesson_run",
             "record": {"id": uuid7(), "device_id": device, "revision": 1, "pad": "x" * 3000}}
            for n in range(1, 1001)]  # about 3 MB, the size kiosk.sync.push sends at most
    body = json.dumps({"device_id": device, "first_seq": 1, "last_seq": 1000,
                       "records": rows}).encode()
    answer = api.post("/api/v1/batches", content=gzip.compress(body),
                      headers={**_signed(device, body, headers), "Content-Encoding": "gzip"})
    assert answer.status_code == 200 and answer.json()["new"] == 1000
