"""This kiosk's own signing key, and the signatures and fingerprints both ends check.

Every writer is proven (DESIGN.md invariant 9): at enrollment a kiosk makes an Ed25519 key pair,
keeps the private half in ``kiosk.db`` (setting ``device.signing_key``, raw bytes in base64; the
database file is owner-only) and gives the hub the public half. Each batch it pushes and each USB
bundle manifest it writes is signed with it; the hub stores records only for the enrolled device
whose signature verifies. The hub verifies with ``verify`` from here, so both ends agree on the
exact bytes signed (each kind of message has its own prefix, so a signature over a batch can never
pass for one over a manifest).

The hub's side of a bound enrollment also lives here: an enrollment code ends with
``FINGERPRINT_CHARS`` characters of the SHA-256 of the hub's signing key, in the code alphabet, so
a kiosk can tell the hub that made the code from an impostor before it sends the code.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (Ed25519PrivateKey,
                                                               Ed25519PublicKey)

if TYPE_CHECKING:
    import sqlite_utils

KEY_SETTING = "device.signing_key"
BATCH = b"helppoint-batch-v1\n"
MANIFEST = b"helppoint-bundle-manifest-v1\n"
HELLO = b"helppoint-hub-hello-v1\n"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # 32 signs; no 0/O, 1/I: read over the phone
FINGERPRINT_CHARS = 10  # 50 bits of the hub key's SHA-256: no second key matches in a code's life
CODE_CHARS = 20  # 10 random (50 bits, one use, a day at most) + the fingerprint; 5 groups of 4
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def new_key() -> Ed25519PrivateKey:
    """A fresh device key (in memory; ``store_key`` keeps it)."""
    return Ed25519PrivateKey.generate()


def key_text(key: Ed25519PrivateKey) -> str:
    """The private key as stored: raw bytes, base64."""
    raw = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                            serialization.NoEncryption())
    return base64.b64encode(raw).decode("ascii")


def key_from_text(text: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(text))


def public_text(key: Ed25519PrivateKey) -> str:
    """The public half, raw bytes in base64 (44 characters): what the hub stores."""
    raw = key.public_key().public_bytes(serialization.Encoding.Raw,
                                        serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def load_key(db: sqlite_utils.Database) -> Ed25519PrivateKey | None:
    """This kiosk's signing key, or ``None`` before it has one. Read-only."""
    from kiosk.core.db import get_setting

    text = get_setting(db, KEY_SETTING)
    return key_from_text(text) if text else None


def store_key(db: sqlite_utils.Database, key: Ed25519PrivateKey) -> None:
    """Keep ``key`` as this kiosk's signing key (replacing any earlier one). Call inside
    ``db.atomic()`` when it belongs to a larger change (enrollment)."""
    from kiosk.core.db import set_setting

    set_setting(db, KEY_SETTING, key_text(key))


def ensure_key(db: sqlite_utils.Database) -> Ed25519PrivateKey:
    """This kiosk's signing key, made and stored on first use: how a kiosk enrolled before keys
    existed gets one (its next sync registers it with the hub). Writes the database once."""
    key = load_key(db)
    if key is None:
        with db.atomic():
            key = load_key(db)
            if key is None:
                key = new_key()
                store_key(db, key)
    return key


def sign(key: Ed25519PrivateKey, prefix: bytes, data: bytes) -> str:
    """The base64 Ed25519 signature of ``prefix + data``."""
    return base64.b64encode(key.sign(prefix + data)).decode("ascii")


def verify(public_b64: str, prefix: bytes, data: bytes, signature_b64) -> bool:
    """Whether ``signature_b64`` is ``public_b64``'s signature of ``prefix + data``. Never
    raises: a malformed key or signature is simply not valid."""
    if not isinstance(public_b64, str) or not isinstance(signature_b64, str):
        return False
    try:
        public = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_b64, validate=True))
        public.verify(base64.b64decode(signature_b64, validate=True), prefix + data)
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True


def is_public_key(text) -> bool:
    """Whether ``text`` is a raw Ed25519 public key in base64."""
    if not isinstance(text, str) or len(text) != 44:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True))
    except (ValueError, binascii.Error):
        return False
    return True


def is_device_id(value) -> bool:
    """Whether ``value`` is a device id: a UUID in its usual 36-character text form."""
    return isinstance(value, str) and _UUID.fullmatch(value) is not None


def canonical(value: dict) -> bytes:
    """The bytes a manifest signature covers: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def hello_message(challenge: str, encryption_key: str) -> bytes:
    """What a hub signs (after ``HELLO``) to answer a kiosk's challenge: the challenge and the
    hub's bundle encryption key, so both come from the holder of the signing key."""
    return f"{challenge}\n{encryption_key}".encode("utf-8")


def hub_fingerprint(signing_key_b64: str) -> str:
    """The ``FINGERPRINT_CHARS`` code characters naming a hub's signing key (base32 of its
    SHA-256 in ``CODE_ALPHABET``)."""
    digest = int.from_bytes(hashlib.sha256(base64.b64decode(signing_key_b64)).digest(), "big")
    chars = []
    for index in range(FINGERPRINT_CHARS):
        chars.append(CODE_ALPHABET[(digest >> (256 - 5 * (index + 1))) & 31])
    return "".join(chars)


def normalise_code(code: str) -> str:
    """A code as typed (any case, spaces or dashes) in its stored form: upper case, no
    separators."""
    return "".join(c for c in str(code).upper() if c.isalnum())


def code_fingerprint(code: str) -> str | None:
    """The hub fingerprint a code carries (its last characters), or ``None`` if the code is
    not ``CODE_CHARS`` signs of the code alphabet (an old-style code, or a typing slip)."""
    plain = normalise_code(code)
    if len(plain) != CODE_CHARS or any(c not in CODE_ALPHABET for c in plain):
        return None
    return plain[-FINGERPRINT_CHARS:]
