"""Enrolling this kiosk with a ward hub, and the client built from that enrollment.

Enrollment is bound to the hub that made the code: the code ends with the fingerprint of that
hub's signing key. Before sending anything secret the kiosk asks the answering machine to sign a
random challenge (``/api/v1/hello``) and checks both the key's fingerprint and the signature; an
impostor is refused and never sees the code. Then the kiosk makes its own Ed25519 key pair and
exchanges the code, its device id and its public key for a device token, in an answer signed by
the hub. It pins the hub's id and public keys (signing: lesson packs and acknowledgements;
encryption: USB bundles) and keeps its own private key; from then on it trusts only answers
signed by that hub, and signs every batch and bundle it sends.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

import httpx

from kiosk.core.db import device_id, get_setting, now_iso, set_setting
from kiosk.locale import ui_text
from kiosk.sync import identity
from kiosk.sync.client import HubClient, HubRefused, NotConnected

if TYPE_CHECKING:
    import sqlite_utils

_KEYS = ("hub_url", "hub_id", "device_token", "signing_key", "encryption_key", "point",
         "enrolled_at")


class NotEnrolled(Exception):
    """This kiosk has no hub yet: ``kiosk enroll --hub URL --code CODE`` (or the admin screen)."""

    def __init__(self):
        super().__init__("this kiosk is not enrolled with a hub yet")


class EnrollFailed(Exception):
    """Enrollment did not happen; ``str()`` says why in plain words. Nothing was stored.
    ``key`` is the catalogue key of the reason when this module knows it (screens show that, in
    the resident's language); otherwise the exception it was raised from tells why."""

    def __init__(self, message: str, key: str | None = None):
        super().__init__(message)
        self.key = key


@dataclass(frozen=True)
class Enrollment:
    hub_url: str
    hub_id: str
    device_token: str
    signing_key: str
    encryption_key: str
    point: str
    enrolled_at: str
    device_key: str | None = None  # this kiosk's private key (None: enrolled before keys)

    def public(self) -> dict:
        """What an admin may see (everything but the token and the private key)."""
        return {k: v for k, v in asdict(self).items() if k not in ("device_token", "device_key")}


def enroll(db: sqlite_utils.Database, hub_url: str, code: str, *,
           transport: httpx.BaseTransport | None = None) -> Enrollment:
    """Enroll with the hub at ``hub_url`` using ``code``; stores and returns the enrollment.

    Does network work, then one database write, on the calling thread (the command line; the Qt
    application calls ``request_enrollment`` on its network worker and ``store_enrollment`` on
    its database worker). Raises ``EnrollFailed`` with a plain reason (unreachable hub, not a
    hub, code used/expired/unknown); nothing is stored then.
    """
    found = request_enrollment(hub_url, code, device_id(db), transport=transport)
    store_enrollment(db, found)
    return found


def request_enrollment(hub_url: str, code: str, device: str, *,
                       transport: httpx.BaseTransport | None = None) -> Enrollment:
    """Check that the hub at ``hub_url`` is the one that made ``code`` (before sending it), then
    exchange the code for this device's token, with a new key pair for this device (network
    only, no database). Raises ``EnrollFailed``; an impostor hub never receives the code."""
    hub_url = hub_url.strip().rstrip("/")
    fingerprint = identity.code_fingerprint(code)
    if fingerprint is None:
        raise EnrollFailed(_words("enroll.error.old_code"), key="enroll.error.old_code")
    key = identity.new_key()
    try:
        hub_key, hub_id = _proven_hub(hub_url, fingerprint, transport)
        with HubClient(hub_url, hub_id=hub_id, signing_key=hub_key,
                       transport=transport) as client:
            granted = client.enroll(code, device, identity.public_text(key))
    except (NotConnected, HubRefused) as error:
        raise EnrollFailed(str(error)) from None
    except (httpx.InvalidURL, ValueError):
        raise EnrollFailed("the hub address is not a valid http:// or https:// address") from None
    if (granted.get("signing_key"), granted.get("device_id"), granted.get("public_key")) != \
            (hub_key, device, identity.public_text(key)):
        raise EnrollFailed(_words("enroll.error.impostor"), key="enroll.error.impostor")
    try:
        return Enrollment(hub_url=hub_url, hub_id=hub_id, device_token=granted["token"],
                          signing_key=hub_key, encryption_key=granted["encryption_key"],
                          point=str(granted.get("point", "")), enrolled_at=now_iso(),
                          device_key=identity.key_text(key))
    except KeyError:
        raise EnrollFailed("the hub's answer is incomplete: is it the same version?") from None


def _proven_hub(hub_url: str, fingerprint: str, transport) -> tuple[str, str]:
    """The signing key and hub id of the machine at ``hub_url`` once it has shown it holds the
    key the code's ``fingerprint`` names (it signs a fresh challenge). Raises ``EnrollFailed``
    for any other answer, ``NotConnected`` when nothing answers."""
    challenge = secrets.token_urlsafe(24)
    with HubClient(hub_url, transport=transport) as client:
        hello = client.hello(challenge)
    hub_key, encryption_key = hello.get("signing_key"), hello.get("encryption_key")
    if not identity.is_public_key(hub_key) or not isinstance(encryption_key, str) \
            or identity.hub_fingerprint(hub_key) != fingerprint \
            or not identity.verify(hub_key, identity.HELLO,
                                   identity.hello_message(challenge, encryption_key),
                                   hello.get("proof")):
        raise EnrollFailed(_words("enroll.error.impostor"), key="enroll.error.impostor")
    return hub_key, hashlib.sha256(base64.b64decode(hub_key)).hexdigest()[:16]


def _words(key: str) -> str:
    return f"{ui_text(key, 'vi')} / {ui_text(key, 'en')}"


def store_enrollment(db: sqlite_utils.Database, found: Enrollment) -> None:
    """Pin the hub, keep the token and this kiosk's new private key, in one transaction
    (database only)."""
    with db.atomic():
        for key, value in asdict(found).items():
            if key != "device_key":
                set_setting(db, f"hub.{key}", value)
        if found.device_key is not None:
            set_setting(db, identity.KEY_SETTING, found.device_key)


def enrollment(db: sqlite_utils.Database) -> Enrollment | None:
    """This kiosk's enrollment, or ``None`` if it has none. Read-only."""
    values = {key: get_setting(db, f"hub.{key}") for key in _KEYS}
    if values["device_token"] is None:
        return None
    return Enrollment(**values, device_key=get_setting(db, identity.KEY_SETTING))


def client_for(db: sqlite_utils.Database, *, transport: httpx.BaseTransport | None = None,
               timeout: float = 30.0) -> HubClient:
    """A client for the enrolled hub, trusting only its pinned key and signing with this
    kiosk's key. A kiosk enrolled before keys existed makes its key here (one database write);
    its first batch registers it with the hub. Raises ``NotEnrolled``."""
    found = enrollment(db)
    if found is None:
        raise NotEnrolled()
    return HubClient(found.hub_url, token=found.device_token, hub_id=found.hub_id,
                     signing_key=found.signing_key, transport=transport, timeout=timeout,
                     device_key=identity.ensure_key(db))
