"""The dashboard's signed session cookie and its cross-site request forgery (CSRF) token.

The cookie (``kh_session``: HttpOnly, SameSite=Strict, Path=/) holds a random nonce, the signed-in
user's name (or none on the sign-in page), when it was issued and a fingerprint of the user's
password hash, signed with HMAC-SHA256. The key is derived from the hub's signing key, which
lives in the hub's data folder (``keys/``), so sessions survive a restart, and a new key ends
them all. Nothing else is trusted from the cookie: the user's role is read from the database at
every request, changing a password ends that user's sessions (the fingerprint no longer
matches), and so does signing out (``users.end_sessions``). A session lasts ``LIFETIME_S``.

The CSRF token is an HMAC of the session's nonce: every form carries it in a hidden field and
every POST must send it back, from a page of this hub (``Origin``, when the browser sends one,
must be this hub's own address). Signing in gives a new nonce, so a token seen before signing in
is useless after.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from kiosk.hub.keys import HubKeys

COOKIE = "kh_session"
LANG_COOKIE = "kh_lang"
LIFETIME_S = 12 * 3600
LANGUAGES = ("vi", "en")


@dataclass(frozen=True)
class Session:
    nonce: str
    user: str | None
    issued: int  # milliseconds since 1970
    fingerprint: str | None

    @staticmethod
    def anonymous() -> Session:
        return Session(secrets.token_urlsafe(18), None, _now_ms(), None)

    @staticmethod
    def signed_in(user: str, password_hash: str) -> Session:
        return Session(secrets.token_urlsafe(18), user, _now_ms(), fingerprint(password_hash))


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def fingerprint(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode("utf-8")).hexdigest()[:16]


class SessionSigner:
    """Makes and reads session cookies and CSRF tokens with a key derived from ``keys``."""

    def __init__(self, keys: HubKeys):
        raw = keys.signing.private_bytes(serialization.Encoding.Raw,
                                         serialization.PrivateFormat.Raw,
                                         serialization.NoEncryption())
        self._key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                         info=b"kiosk-hub dashboard session v1").derive(raw)

    def dump(self, session: Session) -> str:
        body = base64.urlsafe_b64encode(json.dumps(
            [session.nonce, session.user, session.issued, session.fingerprint],
            separators=(",", ":"), ensure_ascii=False).encode("utf-8")).decode("ascii").rstrip("=")
        return f"{body}.{self._mac(body)}"

    def load(self, value: str | None, *, now: float | None = None) -> Session | None:
        """The session in cookie ``value``, or ``None`` if it is missing, altered or expired."""
        if not value or len(value) > 4096 or "." not in value:
            return None
        body, mac = value.rsplit(".", 1)
        if not hmac.compare_digest(mac, self._mac(body)):
            return None
        try:
            nonce, user, issued, print_ = json.loads(
                base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        except (ValueError, TypeError):
            return None
        if not isinstance(issued, int) or (now or time.time()) * 1000 - issued > LIFETIME_S * 1000:
            return None
        return Session(str(nonce), user if isinstance(user, str) else None, issued, print_)

    def csrf_token(self, session: Session) -> str:
        return hmac.new(self._key, b"csrf:" + session.nonce.encode("ascii"),
                        hashlib.sha256).hexdigest()

    def csrf_ok(self, session: Session | None, token: str | None) -> bool:
        return bool(session and token) and hmac.compare_digest(
            str(token), self.csrf_token(session))

    def _mac(self, body: str) -> str:
        return hmac.new(self._key, body.encode("ascii"), hashlib.sha256).hexdigest()


def same_origin(origin: str | None, referer: str | None, host: str | None,
                scheme: str) -> bool:
    """Whether a POST comes from a page of this hub, as far as the browser tells: ``Origin``
    (or else ``Referer``) must name this scheme, host and port. A request that sends neither
    (not a browser, or a very old one) passes; its CSRF token still decides."""
    claimed = origin if origin is not None else referer
    if claimed is None:
        return True
    if claimed == "null" or not host:
        return False
    parts = urlsplit(claimed)
    return parts.scheme == scheme and parts.netloc.lower() == host.lower()


def cookie_options(*, secure: bool) -> dict:
    """Attributes of the session cookie: never readable by scripts, never sent cross-site."""
    return {"httponly": True, "samesite": "strict", "secure": secure, "path": "/"}
