"""One way to keep secrets: the kiosk's PINs and the hub's staff passwords.

A secret is stored only as an Argon2id hash made by argon2-cffi's ``PasswordHasher``: the
stored text names its algorithm and cost (``$argon2id$v=19$m=19456,t=2,p=1$salt$hash``), so the
cost can be raised later and older hashes still verify. Two older formats of this project still
verify too, both scrypt: the kiosk's ``scrypt$N$salt-hex$hash-hex`` (r=8, p=1) and the hub's
``scrypt$N$r$p$salt-b64$hash-b64``. ``needs_rehash`` says a stored hash is of an older format or
a weaker cost than today's; callers rewrite it after the next successful sign-in (``check``).

The cost is OWASP's recommendation for Argon2id (19 MiB, two passes, one lane). Setting the
environment variable ``KIOSK_PASSWORD_COST=test`` selects the cheapest parameters, for tests only.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.profiles import CHEAPEST

COST_ENV = "KIOSK_PASSWORD_COST"
OWASP = {"time_cost": 2, "memory_cost": 19 * 1024, "parallelism": 1}
_SCRYPT_MAXMEM = 64 * 1024 * 1024
_MAX_SCRYPT_N = 2**20  # a damaged stored hash never makes us allocate more than this


@lru_cache(maxsize=2)
def _hasher(cost: str) -> PasswordHasher:
    if cost == "test":
        return PasswordHasher.from_parameters(CHEAPEST)
    return PasswordHasher(**OWASP)


def hasher() -> PasswordHasher:
    """Today's hasher: OWASP's cost, or the cheapest when ``KIOSK_PASSWORD_COST=test``."""
    return _hasher(os.environ.get(COST_ENV, ""))


def hash_secret(secret: str) -> str:
    """A new salted hash of ``secret`` with today's algorithm and cost (the tag included)."""
    return hasher().hash(secret)


def verify(secret: str, stored: str | None) -> bool:
    """Whether ``secret`` is the one ``stored`` was made from (any supported format).
    ``False`` for a damaged or unknown hash; never raises."""
    if not stored:
        return False
    if stored.startswith("$argon2"):
        try:
            return hasher().verify(stored, secret)
        except (VerificationError, InvalidHashError):
            return False
    try:
        return _verify_scrypt(secret, stored)
    except (ValueError, TypeError, MemoryError):
        return False


def needs_rehash(stored: str) -> bool:
    """Whether ``stored`` is of an older format or cost than ``hash_secret`` makes today."""
    if not stored.startswith("$argon2"):
        return True
    try:
        return hasher().check_needs_rehash(stored)
    except (InvalidHashError, ValueError):
        return True


def check(secret: str, stored: str | None) -> tuple[bool, str | None]:
    """``(matches, new hash)``: the new hash is set when ``secret`` matches and ``stored``
    should be rewritten (``needs_rehash``); the caller stores it in the same transaction."""
    if not verify(secret, stored):
        return False, None
    return True, (hash_secret(secret) if needs_rehash(stored) else None)


def _verify_scrypt(secret: str, stored: str) -> bool:
    parts = stored.split("$")
    if parts[0] != "scrypt":
        return False
    if len(parts) == 4:  # the kiosk's PINs: scrypt$N$salt$hash, hex, r=8, p=1
        _, n, salt_hex, digest_hex = parts
        salt, expected, r, p = bytes.fromhex(salt_hex), bytes.fromhex(digest_hex), 8, 1
    elif len(parts) == 6:  # the hub's passwords: scrypt$N$r$p$salt$hash, base64
        _, n, r_text, p_text, salt_b64, digest_b64 = parts
        salt, expected = base64.b64decode(salt_b64), base64.b64decode(digest_b64)
        r, p = int(r_text), int(p_text)
    else:
        return False
    if not 2 <= int(n) <= _MAX_SCRYPT_N or not (1 <= r <= 32 and 1 <= p <= 16):
        return False
    found = hashlib.scrypt(secret.encode("utf-8"), salt=salt, n=int(n), r=r, p=p,
                           dklen=len(expected), maxmem=_SCRYPT_MAXMEM)
    return hmac.compare_digest(found, expected)
