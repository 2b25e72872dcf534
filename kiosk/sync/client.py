"""Talking to the ward hub over HTTP (httpx), with a transport tests can replace.

The client trusts an answer only when it identifies the hub: an ``X-Kiosk-Hub`` header (equal to
the pinned hub id once enrolled) and a JSON body with ``"hub": "kiosk-hub"``; acknowledgements
must also carry a valid signature by the pinned key. Anything else — a Wi-Fi login page, a
proxy's error page, a reply cut short — raises ``NotConnected`` with a plain sentence, so it can
never pass for success (DESIGN.md lesson 8). A refusal by the hub itself raises ``HubRefused``.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import os
from pathlib import Path

import httpx
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

HUB_NAME = "kiosk-hub"
HUB_HEADER = "x-kiosk-hub"
SIGNATURE_HEADER = "x-kiosk-hub-signature"
NOT_THE_HUB = "the network answered but it is not the hub (a Wi-Fi login page?)"


class NotConnected(Exception):
    """The hub could not be reached, or something else answered. ``str()`` is plain words;
    ``kind`` is one of ``KINDS``, for a screen to pick its own translated sentence."""

    KINDS = ("offline", "timeout", "broken", "not_hub", "hub_error", "unverified", "bad_address")

    def __init__(self, message: str, kind: str = "broken"):
        self.kind = kind
        super().__init__(message)


class HubRefused(Exception):
    """The hub answered and refused: ``status`` (HTTP), ``error`` (code), plain ``message``."""

    def __init__(self, status: int, error: str, message: str):
        self.status, self.error, self.message = status, error, message
        super().__init__(message)


class HubClient:
    """One hub at ``base_url``. ``token``, ``hub_id`` and ``signing_key`` (base64) come from
    enrollment; without them only ``health``, ``hello`` and ``enroll`` make sense.
    ``device_key`` (this kiosk's Ed25519 private key) signs every batch. Not thread-safe: use
    one client per thread. Every method raises ``NotConnected`` or ``HubRefused``."""

    def __init__(self, base_url: str, *, token: str | None = None, hub_id: str | None = None,
                 signing_key: str | None = None, transport: httpx.BaseTransport | None = None,
                 timeout: float = 30.0, device_key=None):
        headers = {"User-Agent": "kiosk-help-point/1"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.hub_id = hub_id
        self._device_key = device_key
        self._key = (Ed25519PublicKey.from_public_bytes(base64.b64decode(signing_key))
                     if signing_key else None)
        self._http = httpx.Client(base_url=base_url.rstrip("/"), headers=headers,
                                  transport=transport, follow_redirects=False,
                                  timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)))

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> HubClient:
        return self

    def __exit__(self, *_) -> None:
        self.close()

    def health(self) -> dict:
        """``{"hub", "hub_id", "api_version", "time"}`` of the hub."""
        return self._json(self._send("GET", "/api/v1/health"))

    def hello(self, challenge: str) -> dict:
        """The hub's public keys and its ``proof``: its signature over the challenge
        (``kiosk.sync.identity.hello_message``). The caller checks both."""
        return self._json(self._send("POST", "/api/v1/hello", json={"challenge": challenge}))

    def enroll(self, code: str, device_id: str, public_key: str) -> dict:
        """Use up ``code`` for this device and its public key: ``{"token", "point", "hub_id",
        "signing_key", "encryption_key", "device_id", "public_key"}``, signed by the hub (checked
        when this client was made with the hub's ``signing_key``)."""
        return self._json(self._send("POST", "/api/v1/enroll",
                                     json={"code": code.strip(), "device_id": device_id,
                                           "public_key": public_key}), signed=True)

    def push_batch(self, body: bytes) -> dict:
        """Send one batch (JSON bytes, signed with the device key and compressed here); returns
        the verified acknowledgement."""
        from kiosk.sync.identity import BATCH, public_text, sign

        headers = {"Content-Encoding": "gzip", "Content-Type": "application/json"}
        if self._device_key is not None:
            headers.update({"X-Kiosk-Signature": sign(self._device_key, BATCH, body),
                            "X-Kiosk-Key": public_text(self._device_key)})
        packed = gzip.compress(body, compresslevel=1, mtime=0)
        response = self._send("POST", "/api/v1/batches", content=packed, headers=headers)
        return self._json(response, signed=True)

    def current_lessons(self) -> dict | None:
        """The newest lesson pack's ``{"version", "sha256", "size", "url", …}``, or ``None``."""
        try:
            return self._json(self._send("GET", "/api/v1/lessons/current"), signed=True)
        except HubRefused as refusal:
            if refusal.status == 404:
                return None
            raise

    def download(self, url: str, target: Path, *, size: int, sha256: str) -> Path:
        """Fetch ``url`` to ``target``, resuming a ``target.part`` left by an earlier attempt
        (HTTP Range). Returns ``target`` once its size and SHA-256 match; a mismatch removes the
        partial file and raises ``NotConnected``. An interruption keeps it for next time."""
        part = target.with_name(target.name + ".part")
        have = part.stat().st_size if part.exists() else 0
        if have > size:
            part.unlink()
            have = 0
        if have < size:
            self._fetch_range(url, part, have)
        if not _matches(part, size, sha256):
            part.unlink(missing_ok=True)
            raise NotConnected("the lesson download arrived damaged; it will be fetched again")
        os.replace(part, target)
        return target

    def _fetch_range(self, url: str, part: Path, have: int) -> None:
        headers = {"Range": f"bytes={have}-"} if have else {}
        try:
            with self._http.stream("GET", url, headers=headers) as response:
                self._identified(response)
                if response.status_code >= 400:
                    response.read()
                    self._json(response)
                resumed = (response.status_code == 206 and response.headers.get(
                    "content-range", "").startswith(f"bytes {have}-"))
                with open(part, "ab" if resumed else "wb") as out:
                    try:
                        for chunk in response.iter_bytes():  # as it comes: a cut keeps what arrived
                            out.write(chunk)
                    finally:
                        out.flush()
                        os.fsync(out.fileno())
        except httpx.HTTPError as error:
            raise NotConnected(*_plain(error)) from None

    def _send(self, method: str, url: str, **options) -> httpx.Response:
        try:
            return self._http.request(method, url, **options)
        except httpx.HTTPError as error:
            raise NotConnected(*_plain(error)) from None

    def _identified(self, response: httpx.Response) -> None:
        found = response.headers.get(HUB_HEADER)
        if not found or (self.hub_id and found != self.hub_id):
            if response.status_code >= 500:
                raise NotConnected(f"the network answered with an error (HTTP "
                                   f"{response.status_code}) before reaching the hub", "not_hub")
            raise NotConnected(NOT_THE_HUB, "not_hub")

    def _json(self, response: httpx.Response, *, signed: bool = False) -> dict:
        self._identified(response)
        try:
            body = response.json()
        except ValueError:
            raise NotConnected("the hub's answer was cut short; will try again") from None
        if not isinstance(body, dict) or body.get("hub") != HUB_NAME:
            raise NotConnected(NOT_THE_HUB, "not_hub")
        if response.status_code >= 500:
            raise NotConnected(f"the hub has a problem (HTTP {response.status_code}); "
                               "will try again", "hub_error")
        if response.status_code >= 400:
            raise HubRefused(response.status_code, str(body.get("error", "")),
                             str(body.get("message", "the hub refused the request")))
        if signed and self._key is not None:
            self._check_signature(response)
        return body

    def _check_signature(self, response: httpx.Response) -> None:
        try:
            signature = base64.b64decode(response.headers.get(SIGNATURE_HEADER, ""),
                                         validate=True)
            self._key.verify(signature, response.content)
        except (InvalidSignature, ValueError):
            raise NotConnected("an answer claiming to be the hub's was not signed by it",
                               "unverified") from None


def _plain(error: httpx.HTTPError) -> tuple[str, str]:
    """The plain sentence and the kind of a network failure."""
    if isinstance(error, httpx.TimeoutException):
        return "the hub did not answer in time", "timeout"
    if isinstance(error, httpx.ConnectError):
        return "cannot reach the hub (no network, or the hub is switched off)", "offline"
    if isinstance(error, (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)):
        return "the connection to the hub broke during the transfer", "broken"
    if isinstance(error, (httpx.UnsupportedProtocol, httpx.InvalidURL)):
        return "the hub address is not a valid http:// or https:// address", "bad_address"
    return "the network failed while talking to the hub", "broken"


def _matches(path: Path, size: int, sha256: str) -> bool:
    if not path.exists() or path.stat().st_size != size:
        return False
    digest = hashlib.sha256()
    with open(path, "rb") as data:
        while block := data.read(1 << 20):
            digest.update(block)
    return digest.hexdigest() == sha256
