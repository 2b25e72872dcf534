"""One password-hashing module for the kiosk's PINs and the hub's staff passwords: Argon2id with
its tag stored, both older scrypt formats still verify and are rewritten at the next sign-in."""

import base64
import hashlib
import os

import pytest

from kiosk.core import accounts, passwords

pytestmark = pytest.mark.timeout(60)


def old_kiosk_hash(pin: str) -> str:
    """A PIN hash as the kiosk stored it before: scrypt$N$salt-hex$hash-hex (r=8, p=1)."""
    salt = os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=2**14, r=8, p=1)
    return f"scrypt${2**14}${salt.hex()}${digest.hex()}"


def old_hub_hash(password: str) -> str:
    """A staff password hash as the hub stored it before: scrypt$N$r$p$salt$hash, base64."""
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**15, r=8, p=1, dklen=32,
                            maxmem=64 * 1024 * 1024)
    b64 = lambda data: base64.b64encode(data).decode("ascii")  # noqa: E731
    return f"scrypt${2**15}$8$1${b64(salt)}${b64(digest)}"


def test_a_new_hash_carries_its_algorithm_tag_and_verifies():
    stored = passwords.hash_secret("mật khẩu 123")
    assert stored.startswith("$argon2id$v=19$m=")
    assert passwords.verify("mật khẩu 123", stored)
    assert not passwords.verify("mật khẩu 124", stored)
    assert not passwords.needs_rehash(stored)
    assert passwords.hash_secret("mật khẩu 123") != stored  # salted


@pytest.mark.parametrize("make", [old_kiosk_hash, old_hub_hash])
def test_both_old_scrypt_formats_verify_and_need_a_rehash(make):
    stored = make("2468abcd")
    assert passwords.verify("2468abcd", stored)
    assert not passwords.verify("2468abce", stored)
    assert passwords.needs_rehash(stored)
    matches, new = passwords.check("2468abcd", stored)
    assert matches and new.startswith("$argon2id$") and passwords.verify("2468abcd", new)
    assert passwords.check("wrong", stored) == (False, None)


@pytest.mark.parametrize("damaged", ["", "scrypt$", "scrypt$abc$zz$yy", "$argon2id$v=19$x",
                                     "scrypt$99999999999$8$1$AA==$AA==", "md5$abc", None])
def test_a_damaged_hash_never_matches_nor_raises(damaged):
    assert passwords.verify("anything", damaged) is False


def test_a_weaker_cost_than_today_needs_a_rehash(monkeypatch):
    monkeypatch.setenv(passwords.COST_ENV, "test")
    cheap = passwords.hash_secret("secret-pass")
    monkeypatch.setenv(passwords.COST_ENV, "")
    assert passwords.needs_rehash(cheap)
    assert passwords.hasher().memory_cost == passwords.OWASP["memory_cost"]


def test_a_kiosk_pin_with_an_old_hash_is_rewritten_once_at_sign_in(db):
    account = accounts.create_account(db, name="Lan", role="volunteer", pin="2468")
    db.execute("UPDATE accounts SET pin_hash = ? WHERE id = ?",
               [old_kiosk_hash("2468"), account["id"]])
    with pytest.raises(accounts.PinRefused):
        accounts.sign_in(db, account["id"], "1111")
    assert db["accounts"].get(account["id"])["pin_hash"].startswith("scrypt$")  # not on failure
    accounts.sign_in(db, account["id"], "2468")
    rewritten = db["accounts"].get(account["id"])["pin_hash"]
    assert rewritten.startswith("$argon2id$")
    accounts.sign_in(db, account["id"], "2468")
    assert db["accounts"].get(account["id"])["pin_hash"] == rewritten  # once only


def test_a_hub_password_with_an_old_hash_is_rewritten_once_at_sign_in(tmp_path):
    from sqlalchemy import update

    from kiosk.hub.dashboard.users import Throttle, add_user, authenticate, get_user
    from kiosk.hub.database import open_engine
    from kiosk.hub.schema import users

    engine = open_engine(f"sqlite:///{tmp_path / 'hub.db'}")
    try:
        add_user(engine, "lan", "viewer", "mật khẩu dài")
        with engine.begin() as connection:
            connection.execute(update(users).values(password_hash=old_hub_hash("mật khẩu dài")))
        throttle = Throttle()
        assert authenticate(engine, throttle, "lan", "sai mật khẩu") is None
        assert get_user(engine, "lan")[1].startswith("scrypt$")
        assert authenticate(engine, throttle, "lan", "mật khẩu dài").name == "lan"
        rewritten = get_user(engine, "lan")[1]
        assert rewritten.startswith("$argon2id$")
        assert authenticate(engine, throttle, "lan", "mật khẩu dài").name == "lan"
        assert get_user(engine, "lan")[1] == rewritten
    finally:
        engine.dispose()
