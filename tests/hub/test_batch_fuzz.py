"""The batch parser fuzzed: real batches from a kiosk's outbox (demo sessions, lesson runs and
their corrections), mutated by hypothesis byte by byte and field by field, signed by the kiosk's
key as a kiosk would sign them (so they reach the parser), and posted to the hub's API. Whatever
arrives, the answer is a success or a 4xx with a plain message: no exception escapes the handler
(the test client re-raises any), never a 500."""

from __future__ import annotations

import copy
import json

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings, strategies as st

from kiosk.core.db import connect, device_id
from kiosk.core.demo import record_demo_sessions
from kiosk.hub.api import create_app
from kiosk.hub.enrollment import make_code
from kiosk.sync import identity
from kiosk.sync.push import _next_batch

from tests.hub.conftest import add_records

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=3),
    max_leaves=8)


@pytest.fixture(scope="module")
def kiosk_batches(tmp_path_factory):
    """Real batch bodies from a kiosk's outbox, and the kiosk's device id."""
    db = connect(tmp_path_factory.mktemp("fuzz-kiosk") / "kiosk.db")
    record_demo_sessions(db, 6, seed=9)
    add_records(db, 4, revisions=2)
    bodies, after = [], 0
    while (batch := _next_batch(db, after, 5)) is not None:
        bodies.append(batch[0])
        after = batch[2]
    device = device_id(db)
    db.conn.close()
    return bodies, device


@pytest.fixture
def hub(hub_engine, hub_keys, tmp_path, kiosk_batches):
    """The hub's API with the kiosk enrolled under its own key: (client, headers, key)."""
    client = TestClient(create_app(hub_engine, hub_keys, packs_dir=tmp_path))
    key = identity.new_key()
    answer = client.post("/api/v1/enroll", json={
        "code": make_code(hub_engine, "Tổ 1")["code"], "device_id": kiosk_batches[1],
        "public_key": identity.public_text(key)})
    assert answer.status_code == 200, answer.text
    return client, {"Authorization": f"Bearer {answer.json()['token']}"}, key


def _mutate_json(batch, data) -> bytes:
    """One field of the batch (at any depth) replaced, removed or wrapped."""
    node, path = batch, []
    while isinstance(node, (dict, list)) and node and data.draw(st.booleans()):
        key = data.draw(st.sampled_from(list(node) if isinstance(node, dict)
                                        else range(len(node))))
        path.append((node, key))
        node = node[key]
    if not path:
        return json.dumps(data.draw(json_values)).encode()
    parent, key = path[-1]
    action = data.draw(st.sampled_from(["replace", "delete", "wrap", "huge"]))
    if action == "delete":
        del parent[key]
    elif action == "wrap":
        parent[key] = [parent[key]]
    elif action == "huge":
        parent[key] = data.draw(st.sampled_from([2**64, -2**63, 10**30, 1e308, "9" * 400]))
    else:
        parent[key] = data.draw(json_values)
    return json.dumps(batch).encode()


def _mutate_bytes(body: bytes, data) -> bytes:
    action = data.draw(st.sampled_from(["cut", "flip", "insert", "repeat"]))
    at = data.draw(st.integers(0, len(body)))
    if action == "cut":
        return body[:at]
    if action == "flip":
        return body[:at] + bytes([data.draw(st.integers(0, 255))]) + body[at + 1:]
    if action == "insert":
        return body[:at] + data.draw(st.binary(max_size=16)) + body[at:]
    return body[:at] + body[at:at + 200] * data.draw(st.integers(2, 5)) + body[at:]


@settings(max_examples=250, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_a_mutated_batch_gets_a_plain_answer_never_a_500(hub, kiosk_batches, data):
    client, headers, key = hub
    original = data.draw(st.sampled_from(kiosk_batches[0]))
    if data.draw(st.booleans()):
        body = _mutate_json(copy.deepcopy(json.loads(original)), data)
    else:
        body = _mutate_bytes(original, data)
    signed = {**headers, "X-Kiosk-Signature": identity.sign(key, identity.BATCH, body),
              "X-Kiosk-Key": identity.public_text(key), "Content-Type": "application/json"}
    answer = client.post("/api/v1/batches", content=body, headers=signed)
    assert answer.status_code == 200 or 400 <= answer.status_code < 500, answer.text
    if answer.status_code != 200:
        refusal = answer.json()
        assert refusal["hub"] == "kiosk-hub" and refusal["message"]
        assert "Traceback" not in refusal["message"]


def test_the_real_batches_are_accepted_unmutated(hub, kiosk_batches):
    client, headers, key = hub
    for body in kiosk_batches[0]:
        signed = {**headers, "X-Kiosk-Signature": identity.sign(key, identity.BATCH, body),
                  "X-Kiosk-Key": identity.public_text(key)}
        answer = client.post("/api/v1/batches", content=body, headers=signed)
        assert answer.status_code == 200 and not answer.json()["refused"], answer.text
