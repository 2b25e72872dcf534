"""Hostile USB bundles of about 1 MB, signed by an enrolled device (so they get past the
signature check and reach the reader): a manifest that inflates to a gigabyte, records that
inflate to a gigabyte (declared or understated), encrypted records whose frames inflate to a
gigabyte, and one very long line. Made in a second or two each: the deflate stream of a
megabyte of one byte, once the window is full, repeats exactly, so a gigabyte of it is the
same few hundred bytes a thousand times."""

from __future__ import annotations

import hashlib
import json
import os
import struct
import zipfile
import zlib
from pathlib import Path

from kiosk.sync.bundle import sign_manifest
from kiosk.sync.bundle_crypto import EncryptingWriter
from kiosk.sync.bundle_format import FORMAT, FORMAT_VERSION, MANIFEST, RECORDS

GIGABYTE = 1 << 30
_MB = 1 << 20


def gigabyte_deflate(byte: bytes = b"a", total: int = GIGABYTE) -> tuple[bytes, int]:
    """A raw deflate stream of ``total`` copies of ``byte`` (about 1 KB per MB) and its
    CRC-32."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = byte * _MB
    first = deflate.compress(chunk) + deflate.flush(zlib.Z_SYNC_FLUSH)
    repeat = deflate.compress(chunk) + deflate.flush(zlib.Z_SYNC_FLUSH)
    stream = first + repeat * (total // _MB - 1) + deflate.flush()
    crc = 0
    for _ in range(total // _MB):
        crc = zlib.crc32(chunk, crc)
    return stream, crc


def _patched_zip(path: Path, members: dict[str, bytes | tuple[bytes, int, int]]) -> Path:
    """A zip of ``members``: bytes are stored as they are; ``(raw deflate, crc, size)`` is
    written as a deflated member of that size (zipfile cannot write precompressed data, so
    the member is stored, then its headers are patched)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as bundle:
        for name, data in members.items():
            bundle.writestr(name, data[0] if isinstance(data, tuple) else data)
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as bundle:
        infos = {info.filename: info for info in bundle.infolist()}
    central = raw.find(b"PK\x01\x02")
    for name, data in members.items():
        if not isinstance(data, tuple):
            continue
        _, crc, size = data
        local = infos[name].header_offset
        struct.pack_into("<H", raw, local + 8, 8)
        struct.pack_into("<I", raw, local + 14, crc)
        struct.pack_into("<I", raw, local + 22, size)
        entry = raw.find(b"PK\x01\x02" + b"", central)
        while raw[entry + 46: entry + 46 + len(name)] != name.encode():
            entry = raw.find(b"PK\x01\x02", entry + 4)
        struct.pack_into("<H", raw, entry + 10, 8)
        struct.pack_into("<I", raw, entry + 16, crc)
        struct.pack_into("<I", raw, entry + 24, size)
    path.write_bytes(bytes(raw))
    return path


def _manifest(device: str, member: str, sha: str, size: int, lines: int = 1,
              encryption: dict | None = None) -> dict:
    return {"format": FORMAT, "format_version": FORMAT_VERSION,
            "created_at": "2025-03-01T08:00:00.000+00:00", "device_id": device,
            "help_point": "", "scope": "unsent", "encryption": encryption,
            "first_seq": 1, "last_seq": 1, "records": lines,
            "members": {member: {"sha256": sha, "bytes": size, "lines": lines}},
            "counts": {"lesson_run": lines}}


def _signed(key, manifest: dict) -> bytes:
    return json.dumps({**manifest, "signature": sign_manifest(key, manifest)}).encode()


def make_hostile_bundles(folder: Path, device: str, key, hub_encryption_key: str
                         ) -> dict[str, Path]:
    """Each hostile bundle by name, written in ``folder``."""
    stream, crc = gigabyte_deflate()
    spaces, spaces_crc = gigabyte_deflate(b" ")
    plain = _manifest(device, RECORDS, "0" * 64, GIGABYTE)
    made = {
        "manifest_bomb": _patched_zip(folder / "manifest-bomb.hpb", {
            RECORDS: b"", MANIFEST: (spaces, spaces_crc, GIGABYTE)}),
        "records_bomb": _patched_zip(folder / "records-bomb.hpb", {
            RECORDS: (stream, crc, GIGABYTE), MANIFEST: _signed(key, plain)}),
        "records_bomb_understated": _patched_zip(folder / "records-understated.hpb", {
            RECORDS: (stream, crc, GIGABYTE),
            MANIFEST: _signed(key, {**plain, "members": {RECORDS: {
                "sha256": "0" * 64, "bytes": 100 * _MB, "lines": 1}}})}),
    }
    line = os.urandom(500 * 1024).hex().encode() + b"\n"
    made["long_line"] = _patched_zip(folder / "long-line.hpb", {
        RECORDS: line, MANIFEST: _signed(key, _manifest(
            device, RECORDS, hashlib.sha256(line).hexdigest(), len(line)))})
    made["encrypted_bomb"] = _encrypted_bomb(folder / "encrypted-bomb.hpb", device, key,
                                             hub_encryption_key, stream)
    return made


class _Passthrough:
    """Stands in for the writer's deflater: the data written is already deflated."""

    def compress(self, data: bytes) -> bytes:
        return data

    def flush(self) -> bytes:
        return b""


def _encrypted_bomb(path: Path, device: str, key, recipient: str, stream: bytes) -> Path:
    frames = bytearray()

    class Sink:
        def write(self, data):
            frames.extend(data)

    writer = EncryptingWriter(Sink(), recipient, device)
    writer._deflate = _Passthrough()
    writer.write(stream)
    writer.close()
    manifest = _manifest(device, writer.encryption["member"], writer.sha256, writer.bytes,
                         encryption=writer.encryption)
    return _patched_zip(path, {writer.encryption["member"]: bytes(frames),
                               MANIFEST: _signed(key, manifest)})
