"""The hub's two key pairs, kept in its data folder and made on first run.

- Ed25519 signs lesson packs and batch acknowledgements; kiosks pin its public key at enrollment.
- X25519 receives USB bundles: a kiosk encrypts each bundle to it, so a lost stick reveals nothing.

The hub id (what ``X-Kiosk-Hub`` carries) is derived from the signing key, so a kiosk can tell
its own hub from any other answer on the network.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from kiosk.core.paths import private_file, private_folder

SIGNING_FILE = "signing-key.pem"
ENCRYPTION_FILE = "bundle-key.pem"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def raw_public(key) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw,
                                         serialization.PublicFormat.Raw)


@dataclass(frozen=True)
class HubKeys:
    signing: Ed25519PrivateKey
    encryption: X25519PrivateKey

    @property
    def hub_id(self) -> str:
        """A short, stable name of this hub: the start of the signing key's SHA-256."""
        return hashlib.sha256(raw_public(self.signing)).hexdigest()[:16]

    def public(self) -> dict:
        """What a kiosk pins: ``{"hub_id", "signing_key", "encryption_key"}`` (raw, base64)."""
        return {"hub_id": self.hub_id, "signing_key": b64(raw_public(self.signing)),
                "encryption_key": b64(raw_public(self.encryption))}

    def sign(self, data: bytes) -> str:
        """The Ed25519 signature of ``data``, base64."""
        return b64(self.signing.sign(data))


def generate() -> HubKeys:
    """New keys in memory (tests; ``load_or_create`` for a real hub)."""
    return HubKeys(Ed25519PrivateKey.generate(), X25519PrivateKey.generate())


def load_or_create(folder: Path) -> HubKeys:
    """The keys kept in ``folder``, made and written (owner-only, atomically) if missing.

    Raises ``OSError`` if the folder cannot be written and ``ValueError`` for a damaged key file.
    """
    private_folder(folder)
    signing = _load_or_create(folder / SIGNING_FILE, Ed25519PrivateKey)
    encryption = _load_or_create(folder / ENCRYPTION_FILE, X25519PrivateKey)
    return HubKeys(signing, encryption)


def _load_or_create(path: Path, kind):
    if path.exists():
        private_file(path)  # a key written by an older release: owner-only from now on
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, kind):
            raise ValueError(f"{path} holds the wrong kind of key")
        return key
    key = kind.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    temporary = path.with_suffix(".tmp")
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(handle, "wb") as out:
        out.write(pem)
        out.flush()
        os.fsync(out.fileno())
    try:
        os.link(temporary, path)  # never replaces a key another process made meanwhile
    except FileExistsError:
        os.unlink(temporary)
        return _load_or_create(path, kind)
    except OSError:  # file systems without hard links
        os.replace(temporary, path)
    else:
        os.unlink(temporary)
    return key
