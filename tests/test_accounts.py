"""Volunteer and admin accounts: sign-in by name and PIN, lockout, admin management."""

from datetime import datetime, timedelta, timezone

import pytest

from kiosk.core import accounts
from kiosk.core.accounts import PinRefused

NOON = datetime(2025, 3, 12, 5, 0, tzinfo=timezone.utc)


@pytest.fixture
def lan(db):
    return accounts.create_account(db, name="Lan", role="volunteer", pin="2468")["id"]


def wrong_pins(db, account_id, times, now):
    for _ in range(times):
        with pytest.raises(PinRefused):
            accounts.sign_in(db, account_id, "0000", now=now)


def test_sign_in_returns_the_account_without_its_hash(db, lan):
    account = accounts.sign_in(db, lan, "2468", now=NOON)
    assert account["name"] == "Lan" and account["role"] == "volunteer"
    assert "pin_hash" not in account


def test_five_wrong_pins_lock_for_five_minutes_then_the_right_pin_works(db, lan):
    wrong_pins(db, lan, 4, NOON)
    assert accounts.sign_in(db, lan, "2468", now=NOON)  # four wrong are forgiven by a right one
    wrong_pins(db, lan, 5, NOON)
    with pytest.raises(PinRefused) as refused:
        accounts.sign_in(db, lan, "2468", now=NOON + timedelta(minutes=4, seconds=59))
    assert refused.value.locked_until == NOON + timedelta(minutes=5)
    assert accounts.sign_in(db, lan, "2468", now=NOON + timedelta(minutes=5, seconds=1))


def test_the_fifth_wrong_pin_says_locked(db, lan):
    wrong_pins(db, lan, 4, NOON)
    with pytest.raises(PinRefused) as refused:
        accounts.sign_in(db, lan, "0000", now=NOON)
    assert str(refused.value) == "locked" and refused.value.locked_until


def test_a_lockout_touches_only_that_account(db, lan):
    other = accounts.create_account(db, name="Minh", role="volunteer", pin="1357")["id"]
    wrong_pins(db, lan, 5, NOON)
    assert accounts.sign_in(db, other, "1357", now=NOON)


def test_an_admin_can_lift_a_lockout_by_resetting_the_pin(db, lan):
    wrong_pins(db, lan, 5, NOON)
    accounts.change_pin(db, lan, new_pin="975310")
    assert accounts.sign_in(db, lan, "975310", now=NOON)
    with pytest.raises(PinRefused):
        accounts.sign_in(db, lan, "2468", now=NOON)


@pytest.mark.parametrize("pin", ["123", "1234567", "12a4", ""])
def test_a_pin_must_be_4_to_6_digits(db, lan, pin):
    with pytest.raises(ValueError):
        accounts.change_pin(db, lan, new_pin=pin)


def test_an_inactive_account_cannot_sign_in(db, lan):
    accounts.set_active(db, lan, active=False)
    with pytest.raises(PinRefused, match="inactive"):
        accounts.sign_in(db, lan, "2468", now=NOON)
    accounts.set_active(db, lan, active=True)
    assert accounts.sign_in(db, lan, "2468", now=NOON)


def test_the_last_active_admin_cannot_be_switched_off(with_admin):
    db = with_admin
    [admin] = accounts.list_accounts(db, role="admin")
    with pytest.raises(ValueError):
        accounts.set_active(db, admin["id"], active=False)
    second = accounts.create_account(db, name="Phó", role="admin", pin="8642")
    accounts.set_active(db, admin["id"], active=False)
    assert [a["id"] for a in accounts.list_accounts(db, role="admin", active_only=True)] == [
        second["id"]]


def test_list_accounts_is_by_name_and_never_has_hashes(db, lan):
    accounts.create_account(db, name="an", role="admin", pin="1111")
    accounts.create_account(db, name="Bình", role="volunteer", pin="2222")
    listed = accounts.list_accounts(db)
    assert [a["name"] for a in listed] == ["an", "Bình", "Lan"]
    assert all(set(a) == set(accounts.PUBLIC_FIELDS) for a in listed)
    assert [a["name"] for a in accounts.list_accounts(db, role="volunteer")] == ["Bình", "Lan"]


def test_unknown_accounts_raise_key_error(db):
    for call in (lambda: accounts.sign_in(db, "nobody", "1234"),
                 lambda: accounts.set_active(db, "nobody", active=False),
                 lambda: accounts.change_pin(db, "nobody", new_pin="1234")):
        with pytest.raises(KeyError):
            call()


def test_lockouts_grow_with_repeated_failures_and_are_capped(db, lan):
    wrong_pins(db, lan, 5, NOON)
    first = NOON + timedelta(minutes=5)
    wrong_pins(db, lan, 5, first)  # the next five, as soon as the first lockout is over
    with pytest.raises(PinRefused) as refused:
        accounts.sign_in(db, lan, "2468", now=first + timedelta(minutes=9))
    assert refused.value.locked_until == first + timedelta(minutes=10)
    assert [accounts.lockout_for(5 * n) for n in (1, 2, 3, 4)] == [
        timedelta(minutes=m) for m in (5, 10, 20, 40)]
    assert accounts.lockout_for(5 * 40) == accounts.LOCKOUT_CAP == timedelta(hours=24)
    assert accounts.lockout_for(7) is None and accounts.pins_left(7) == 3


def test_the_escalation_survives_a_restart_and_the_right_pin_resets_it(db, data_dir, lan):
    from kiosk.core.db import connect
    from kiosk.core.paths import db_path

    wrong_pins(db, lan, 5, NOON)
    wrong_pins(db, lan, 5, NOON + timedelta(minutes=5))  # the second lockout: ten minutes
    db.conn.close()
    reopened = connect(db_path(data_dir))
    try:
        with pytest.raises(PinRefused) as refused:
            accounts.sign_in(reopened, lan, "0000", now=NOON + timedelta(minutes=14))
        assert refused.value.locked_until == NOON + timedelta(minutes=15)
        assert accounts.sign_in(reopened, lan, "2468", now=NOON + timedelta(minutes=16))
        wrong_pins(reopened, lan, 5, NOON + timedelta(minutes=16))
        with pytest.raises(PinRefused) as again:
            accounts.sign_in(reopened, lan, "2468", now=NOON + timedelta(minutes=17))
        assert again.value.locked_until == NOON + timedelta(minutes=21)  # back to five minutes
    finally:
        reopened.conn.close()


def test_the_admin_cannot_sign_in_as_a_volunteer_and_that_costs_the_admin_nothing(db):
    admin = accounts.create_account(db, name="Quản trị", role="admin", pin="1357")
    for _ in range(12):
        with pytest.raises(PinRefused) as refused:
            accounts.sign_in(db, admin["id"], "0000", now=NOON)
        assert str(refused.value) == "not a volunteer"
    assert db["accounts"].get(admin["id"])["failed_pins"] == 0
    assert accounts.check_admin_pin(db, "1357", now=NOON)["id"] == admin["id"]
