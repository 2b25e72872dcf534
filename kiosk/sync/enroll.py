"""Enrolling this kiosk with a ward hub, and the client built from that enrollment.

Enrollment exchanges a one-time code for a device token and pins the hub's id and public keys
(signing: lesson packs and acknowledgements; encryption: USB bundles) in the kiosk's settings.
From then on this kiosk trusts only answers signed by that hub.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

import httpx

from kiosk.db import device_id, get_setting, now_iso, set_setting
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
    """Enrollment did not happen; ``str()`` says why in plain words. Nothing was stored."""


@dataclass(frozen=True)
class Enrollment:
    hub_url: str
    hub_id: str
    device_token: str
    signing_key: str
    encryption_key: str
    point: str
    enrolled_at: str

    def public(self) -> dict:
        """What an admin may see (everything but the token)."""
        return {k: v for k, v in asdict(self).items() if k != "device_token"}


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
    """Exchange ``code`` for this device's token and the hub's keys (network only, no database).
    Raises ``EnrollFailed``."""
    hub_url = hub_url.strip().rstrip("/")
    try:
        with HubClient(hub_url, transport=transport) as client:
            granted = client.enroll(code, device)
    except (NotConnected, HubRefused) as error:
        raise EnrollFailed(str(error)) from None
    except (httpx.InvalidURL, ValueError):
        raise EnrollFailed("the hub address is not a valid http:// or https:// address") from None
    try:
        return Enrollment(hub_url=hub_url, hub_id=granted["hub_id"],
                          device_token=granted["token"], signing_key=granted["signing_key"],
                          encryption_key=granted["encryption_key"],
                          point=str(granted.get("point", "")), enrolled_at=now_iso())
    except KeyError:
        raise EnrollFailed("the hub's answer is incomplete: is it the same version?") from None


def store_enrollment(db: sqlite_utils.Database, found: Enrollment) -> None:
    """Pin the hub and keep the token, in one transaction (database only)."""
    with db.atomic():
        for key, value in asdict(found).items():
            set_setting(db, f"hub.{key}", value)


def enrollment(db: sqlite_utils.Database) -> Enrollment | None:
    """This kiosk's enrollment, or ``None`` if it has none. Read-only."""
    values = {key: get_setting(db, f"hub.{key}") for key in _KEYS}
    return None if values["device_token"] is None else Enrollment(**values)


def client_for(db: sqlite_utils.Database, *, transport: httpx.BaseTransport | None = None,
               timeout: float = 30.0) -> HubClient:
    """A client for the enrolled hub, trusting only its pinned key. Raises ``NotEnrolled``."""
    found = enrollment(db)
    if found is None:
        raise NotEnrolled()
    return HubClient(found.hub_url, token=found.device_token, hub_id=found.hub_id,
                     signing_key=found.signing_key, transport=transport, timeout=timeout)
