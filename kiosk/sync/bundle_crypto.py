"""Encrypting a bundle's records to the hub's key, so a lost USB stick reveals nothing.

Scheme ``x25519-hkdf-sha256-chacha20poly1305`` (docs/bundle-format.md, "Encryption"): the kiosk
makes a one-off X25519 key, agrees a secret with the hub's pinned X25519 public key, derives a
ChaCha20-Poly1305 key with HKDF-SHA256 (salt: both public keys), and encrypts the deflated JSON
lines in frames of at most ``FRAME_BYTES``. Each frame is ``<4-byte big-endian length><ciphertext
with tag>``; its nonce is the frame number (11 bytes) and a last-frame flag (1 byte), so frames
cannot be reordered, dropped or cut off without the hub noticing (the STREAM construction). The
associated data binds every frame to the device named in the manifest.
"""

from __future__ import annotations

import base64
import hashlib
import struct
import zlib
from typing import BinaryIO, Iterator

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

SCHEME = "x25519-hkdf-sha256-chacha20poly1305"
ENCRYPTED_RECORDS = "records.jsonl.enc"
FRAME_BYTES = 1 << 20
_INFO = b"helppoint-bundle records v1"


class DecryptionError(Exception):
    """The records cannot be decrypted: wrong key, or the bytes were altered or cut."""


def fingerprint(public_key_b64: str) -> str:
    """A short name of an X25519 public key (the ``recipient`` in a manifest)."""
    return hashlib.sha256(base64.b64decode(public_key_b64)).hexdigest()[:16]


def _raw(key) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _derive(shared: bytes, ephemeral: bytes, recipient: bytes) -> ChaCha20Poly1305:
    key = HKDF(hashes.SHA256(), 32, salt=ephemeral + recipient, info=_INFO).derive(shared)
    return ChaCha20Poly1305(key)


def _nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


class EncryptingWriter:
    """A write-only file object: bytes written are deflated, encrypted and written to ``out`` in
    frames. ``close()`` writes the last frame (it does not close ``out``). ``encryption`` is the
    manifest's ``encryption`` object; ``sha256`` and ``bytes`` describe what reached ``out``."""

    def __init__(self, out: BinaryIO, recipient_b64: str, device_id: str):
        recipient = base64.b64decode(recipient_b64)
        ephemeral = X25519PrivateKey.generate()
        ephemeral_public = _raw(ephemeral.public_key())
        shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient))
        self._cipher = _derive(shared, ephemeral_public, recipient)
        self._aad = f"helppoint-bundle/{device_id}".encode()
        self._out, self._pending, self._counter = out, bytearray(), 0
        self._deflate = zlib.compressobj(1, zlib.DEFLATED, -15)
        self._digest, self.bytes = hashlib.sha256(), 0
        self.encryption = {"scheme": SCHEME, "recipient": fingerprint(recipient_b64),
                           "ephemeral_public_key": base64.b64encode(ephemeral_public).decode(),
                           "member": ENCRYPTED_RECORDS, "frame_bytes": FRAME_BYTES}

    def write(self, data: bytes) -> int:
        self._pending += self._deflate.compress(data)
        while len(self._pending) > FRAME_BYTES:
            self._frame(bytes(self._pending[:FRAME_BYTES]), last=False)
            del self._pending[:FRAME_BYTES]
        return len(data)

    def close(self) -> None:
        self._pending += self._deflate.flush()
        self._frame(bytes(self._pending), last=True)
        self._pending.clear()

    @property
    def sha256(self) -> str:
        return self._digest.hexdigest()

    def _frame(self, plain: bytes, *, last: bool) -> None:
        sealed = self._cipher.encrypt(_nonce(self._counter, last), plain, self._aad)
        framed = struct.pack(">I", len(sealed)) + sealed
        self._out.write(framed)
        self._digest.update(framed)
        self.bytes += len(framed)
        self._counter += 1


def decrypted_lines(member: BinaryIO, encryption: dict, private_key: X25519PrivateKey,
                    device_id: str, *, max_line: int, max_bytes: int) -> Iterator[bytes]:
    """The JSON lines of an encrypted records member, streamed, in bounded memory: frames of at
    most ``FRAME_BYTES`` (plus their tag), inflated a megabyte at a time, no line longer than
    ``max_line`` and no more than ``max_bytes`` in all (else ``BundleError("too_large")``).
    Raises ``DecryptionError`` for a wrong key, an altered, reordered or missing frame, or a
    stream cut before its last frame."""
    ephemeral = base64.b64decode(encryption["ephemeral_public_key"])
    recipient = _raw(private_key.public_key())
    shared = private_key.exchange(X25519PublicKey.from_public_bytes(ephemeral))
    cipher = _derive(shared, ephemeral, recipient)
    aad = f"helppoint-bundle/{device_id}".encode()
    lines = _LineCutter(max_line, max_bytes)
    inflate, counter = zlib.decompressobj(-15), 0
    while True:
        head = member.read(4)
        if len(head) < 4:
            raise DecryptionError("the encrypted records end before their last part")
        length = struct.unpack(">I", head)[0]
        if length > FRAME_BYTES + _TAG_BYTES:
            raise DecryptionError("a part of the encrypted records is larger than allowed")
        plain, last = _open_frame(cipher, counter, member.read(length), aad)
        counter += 1
        while True:  # inflate in bounded pieces: a small frame may hold a huge output
            piece = inflate.decompress(plain, _PIECE)
            plain = inflate.unconsumed_tail
            yield from lines.feed(piece)
            if not plain and len(piece) < _PIECE:
                break
        if last:
            break
    if lines.rest or member.read(1) or not inflate.eof:
        raise DecryptionError("the encrypted records have bytes after their end")


_TAG_BYTES = 16
_PIECE = 1 << 20


class _LineCutter:
    """Cuts a stream of bytes into lines, refusing a line or a total beyond its caps."""

    def __init__(self, max_line: int, max_bytes: int):
        self.max_line, self.left, self.rest = max_line, max_bytes, b""

    def feed(self, data: bytes) -> list[bytes]:
        from kiosk.sync.bundle_format import BundleError

        self.left -= len(data)
        if self.left < 0:
            raise BundleError("too_large", "the records inflate beyond what the file can hold")
        lines = (self.rest + data).split(b"\n")
        self.rest = lines.pop()
        if len(self.rest) > self.max_line or any(len(line) >= self.max_line for line in lines):
            raise BundleError("too_large", f"a line is longer than {self.max_line} bytes")
        return [line + b"\n" for line in lines]


def _open_frame(cipher, counter: int, sealed: bytes, aad: bytes) -> tuple[bytes, bool]:
    for last in (False, True):
        try:
            return cipher.decrypt(_nonce(counter, last), sealed, aad), last
        except InvalidTag:
            continue
    raise DecryptionError("the encrypted records were altered, or are for another key")
