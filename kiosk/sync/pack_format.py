"""The lesson-pack format, shared by the hub that signs packs and the kiosk that checks them.

A pack is a zip holding ``manifest.json``, ``manifest.sig`` and ``lessons/<lesson folder>/…``.
The manifest names the format and its version, the pack version, the hub id, the lesson ids and
every file with its SHA-256 and size; ``manifest.sig`` is the hub's Ed25519 signature of the
manifest's exact bytes (base64). A kiosk trusts a pack only when the signature verifies against
the key it pinned at enrollment and every file matches the manifest — nothing else in the zip.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zipfile
from pathlib import PurePosixPath

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

FORMAT = "helppoint-lesson-pack"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
LESSONS_ROOT = "lessons"
MAX_FILE_BYTES = 50 * 1024 * 1024


class PackError(Exception):
    """A lesson pack was refused; ``str()`` says why in plain words. Nothing was installed."""


def file_digest(data: bytes) -> dict:
    return {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


def verify_pack(bundle: zipfile.ZipFile, signing_key_b64: str, *,
                version: int | None = None) -> dict:
    """The manifest of an open pack once its signature, format, version and every file checksum
    are checked. Raises ``PackError``. Reads every file (to check it) but writes nothing."""
    names = bundle.namelist()
    if MANIFEST not in names or SIGNATURE not in names:
        raise PackError("this is not a lesson pack (no signed manifest)")
    manifest_bytes = bundle.read(MANIFEST)
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(signing_key_b64))
        key.verify(base64.b64decode(bundle.read(SIGNATURE), validate=True), manifest_bytes)
        manifest = json.loads(manifest_bytes)
    except (InvalidSignature, ValueError):
        raise PackError("the lesson pack's signature is not the hub's: it was altered or "
                        "comes from another hub") from None
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise PackError(f"unknown lesson pack format {manifest.get('format_version')!r}: "
                        "update this kiosk")
    if version is not None and manifest.get("version") != version:
        raise PackError("the lesson pack is not the version the hub announced")
    files = manifest.get("files")
    if not isinstance(files, dict) or set(names) != set(files) | {MANIFEST, SIGNATURE} \
            or len(names) != len(set(names)):
        raise PackError("the lesson pack holds files its manifest does not list")
    for name, expected in files.items():
        check_member_name(name)
        if bundle.getinfo(name).file_size > MAX_FILE_BYTES:
            raise PackError(f"{name} is too large")
        if file_digest(bundle.read(name)) != expected:
            raise PackError(f"{name} does not match its checksum: the pack is damaged")
    return manifest


def check_member_name(name: str) -> PurePosixPath:
    """``name`` as a relative path inside ``lessons/``; raises ``PackError`` for anything that
    could write elsewhere."""
    path = PurePosixPath(name)
    if (path.is_absolute() or ".." in path.parts or "\\" in name or ":" in name
            or len(path.parts) < 3 or path.parts[0] != LESSONS_ROOT):
        raise PackError(f"the lesson pack holds a file outside its lessons: {name!r}")
    return path
