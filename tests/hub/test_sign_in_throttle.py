"""The dashboard's sign-in throttle, kept in the hub database, on SQLite and PostgreSQL: a lock
survives a restart and holds for a second process, a stranger elsewhere cannot lock a real user
out, one address cannot try names without limit, failures on other names evict nothing, and
failed sign-ins are logged without a password."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, insert, select

from kiosk.hub.dashboard import sign_in_throttle as throttle_module
from kiosk.hub.dashboard.sign_in_throttle import Locked, Throttle, scopes
from kiosk.hub.dashboard.users import add_user, authenticate
from kiosk.hub.database import open_engine
from kiosk.hub.schema import sign_in_failures

NAME, PASSWORD = "lan.admin", "đúng-mật-khẩu-1"
HOME, STRANGER = "10.1.1.5", "10.9.9.9"


class Clock:
    def __init__(self):
        self.now = 1_780_000_000.0

    def __call__(self):
        return self.now


@pytest.fixture
def hub(hub_engine):
    add_user(hub_engine, NAME, "admin", PASSWORD)
    return hub_engine


def _fail(engine, throttle, times, name=NAME, address=STRANGER):
    for _ in range(times):
        assert authenticate(engine, throttle, name, "sai mật khẩu", address=address) is None


def test_a_stranger_locks_only_the_name_from_their_own_address(hub):
    clock = Clock()
    throttle = Throttle(clock)
    _fail(hub, throttle, throttle_module.NAME_FREE_TRIES)
    with pytest.raises(Locked):
        authenticate(hub, throttle, NAME, PASSWORD, address=STRANGER)
    assert authenticate(hub, throttle, NAME, PASSWORD, address=HOME).name == NAME


def test_a_lock_survives_a_restart_and_holds_for_a_second_process(hub, hub_db_url):
    clock = Clock()
    _fail(hub, Throttle(clock), throttle_module.NAME_FREE_TRIES)
    other_process = open_engine(hub_db_url)  # its own connections, its own throttle object
    try:
        with pytest.raises(Locked) as locked:
            authenticate(other_process, Throttle(clock), NAME, PASSWORD, address=STRANGER)
        assert 1 <= locked.value.seconds <= throttle_module.FIRST_LOCK_S
        clock.now += throttle_module.FIRST_LOCK_S + 1  # the lock ends; the next failure doubles it
        _fail(other_process, Throttle(clock), 1)
        with pytest.raises(Locked) as longer:
            Throttle(clock).check(hub, NAME, STRANGER)
        assert longer.value.seconds > throttle_module.FIRST_LOCK_S
    finally:
        other_process.dispose()


def test_one_address_trying_many_names_is_locked_for_every_name(hub):
    throttle = Throttle(Clock())
    for number in range(throttle_module.ADDRESS_FREE_TRIES):
        _fail(hub, throttle, 1, name=f"guess{number}")
    with pytest.raises(Locked):
        authenticate(hub, throttle, NAME, PASSWORD, address=STRANGER)
    assert authenticate(hub, throttle, NAME, PASSWORD, address=HOME).name == NAME


def test_failures_on_other_names_evict_no_lock(hub):
    clock = Clock()
    throttle = Throttle(clock)
    _fail(hub, throttle, throttle_module.NAME_FREE_TRIES)
    # 10,000 recent failures of other names from other addresses, as ``failed`` leaves them
    # (written at once: 10,000 separate commits would take minutes on a shared test machine)...
    now_ms = int(clock.now * 1000)
    with hub.begin() as connection:
        connection.execute(insert(sign_in_failures), [
            {"scope": scopes(f"name{n}", f"10.2.{n // 250}.{n % 250}")[0], "failures": 3,
             "last_failed_ms": now_ms, "locked_until_ms": 0} for n in range(10_000)])
    # ...and 50 more through the throttle itself, each of which also tidies the table
    for n in range(50):
        throttle.failed(hub, f"other{n}", f"10.3.0.{n}")
    with pytest.raises(Locked):
        throttle.check(hub, NAME, STRANGER)
    with hub.connect() as connection:
        assert connection.execute(select(func.count()).select_from(
            sign_in_failures)).scalar_one() >= 10_000


def test_stale_rows_are_forgotten_but_never_a_locked_one(hub):
    clock = Clock()
    throttle = Throttle(clock)
    throttle.failed(hub, "old", "10.4.0.1")
    clock.now += throttle_module.FORGET_S + 1
    throttle.failed(hub, "new", "10.4.0.2")
    with hub.connect() as connection:
        left = set(connection.execute(select(sign_in_failures.c.scope)).scalars())
    assert scopes("old", "10.4.0.1")[0] not in left and scopes("new", "10.4.0.2")[0] in left


def test_a_right_password_clears_its_count(hub):
    throttle = Throttle(Clock())
    _fail(hub, throttle, throttle_module.NAME_FREE_TRIES - 1)
    assert authenticate(hub, throttle, NAME, PASSWORD, address=STRANGER).name == NAME
    _fail(hub, throttle, throttle_module.NAME_FREE_TRIES - 1)
    throttle.check(hub, NAME, STRANGER)  # not locked: the count started again


def test_failed_sign_ins_are_logged_without_secrets(hub, caplog):
    throttle = Throttle(Clock())
    with caplog.at_level(logging.WARNING, logger="kiosk.hub.dashboard.users"):
        authenticate(hub, throttle, NAME, "my-secret-guess", address=STRANGER)
        authenticate(hub, throttle, "đúng-mật-khẩu-typed-as-name", "x", address=STRANGER)
    text = caplog.text
    assert NAME in text and STRANGER in text and "an unknown name" in text
    assert "my-secret-guess" not in text and "typed-as-name" not in text


def test_refused_enrollments_are_logged_without_the_code(hub_engine, hub_keys, tmp_path, caplog):
    from fastapi.testclient import TestClient

    from kiosk.hub.api import create_app
    from kiosk.core.ids import uuid7
    from kiosk.sync import identity

    api = TestClient(create_app(hub_engine, hub_keys, packs_dir=tmp_path))
    code, device = "ZQ7P-XXXX-YYYY-WWWW", uuid7()
    with caplog.at_level(logging.WARNING, logger="kiosk.hub.api"):
        answer = api.post("/api/v1/enroll", json={
            "code": code, "device_id": device,
            "public_key": identity.public_text(identity.new_key())})
    assert answer.status_code == 403
    assert "enrollment refused" in caplog.text and device in caplog.text
    assert "ZQ" in caplog.text and "ZQ7P" not in caplog.text
