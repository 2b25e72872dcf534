"""The bundle format's version, its manifest and its checks (docs/bundle-format.md).

Kept apart from the writer so the hub can read bundles with no kiosk database at all. Each format
version has its own manifest check in ``_MANIFEST_CHECKS``; a reader refuses a version it does not
know rather than guess, so a newer kiosk's bundle is never half-understood.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Iterable

from kiosk.locale import ui_text

FORMAT = "helppoint-bundle"
FORMAT_VERSION = 2  # 2: the manifest is signed by the device's key (1: unsigned, refused)
SUFFIX = ".hpb"
MANIFEST = "manifest.json"
RECORDS = "records.jsonl"
MEMBERS = (RECORDS, MANIFEST)
REASONS = ("unreadable", "damaged", "not_a_bundle", "unknown_version", "altered", "encrypted",
           "foreign", "unsigned", "unknown_device", "bad_signature", "key_not_registered",
           "too_large", "malformed")
MAX_MANIFEST_BYTES = 64 * 1024
MAX_LINE_BYTES = 128 * 1024     # a record is at most 64 KB at the hub (ingest.MAX_RECORD_BYTES)
MAX_INFLATE_RATIO = 200         # JSON lines deflate ~9x; more than 200x is a bomb, not records
MAX_INT = 2**53                 # sequence numbers, sizes and counts: beyond this, not a kiosk's
MAX_TEXT = 200


class BundleError(Exception):
    """A bundle was refused whole. ``reason`` is one of ``REASONS``; ``detail`` says what was
    found, for the log; ``message(language)`` is the plain sentence (catalogue
    ``bundle.error.<reason>``); ``str()`` gives it in Vietnamese and English with the detail."""

    def __init__(self, reason: str, detail: str = ""):
        self.reason, self.detail = reason, detail
        super().__init__(f"{self.message('vi')} / {self.message('en')}"
                         + (f" ({detail})" if detail else ""))

    def message(self, language: str) -> str:
        return ui_text(f"bundle.error.{self.reason}", language)


def check_manifest(bundle) -> dict:
    """The manifest of an open ``zipfile.ZipFile`` once its format and version are known and its
    fields are sound (each of the right type and within bounds). Reads at most
    ``MAX_MANIFEST_BYTES``. Raises ``BundleError``, never anything else, for any content."""
    names = bundle.namelist()
    if MANIFEST not in names:
        raise BundleError("not_a_bundle", f"no {MANIFEST}")
    try:
        with bundle.open(MANIFEST) as member:
            data = member.read(MAX_MANIFEST_BYTES + 1)
        if len(data) > MAX_MANIFEST_BYTES:
            raise BundleError("too_large", f"{MANIFEST} is over {MAX_MANIFEST_BYTES} bytes")
        manifest = json.loads(data)
    except (ValueError, RecursionError) as error:
        raise BundleError("damaged", f"{MANIFEST}: {str(error)[:200]}") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BundleError("not_a_bundle", "the manifest does not name this format")
    version = manifest.get("format_version")
    check = _MANIFEST_CHECKS.get(version) if type(version) is int else None
    if check is None:
        raise BundleError("unknown_version", f"format_version {str(version)[:40]}")
    check(manifest, names)
    return manifest


def records_member(manifest: dict) -> str:
    """The name of the member holding the records: clear or encrypted (bundle_crypto)."""
    return RECORDS if manifest.get("encryption") is None else manifest["encryption"]["member"]


def signed_part(manifest: dict) -> dict:
    """The manifest as its device signed it: everything but the signature."""
    return {key: value for key, value in manifest.items() if key != "signature"}


_HEX64 = re.compile(r"[0-9a-f]{64}")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def _count(value) -> bool:
    """A whole number a kiosk could have written (not a bool, not absurdly large)."""
    return type(value) is int and 0 <= value < MAX_INT


def _text(value, limit: int = MAX_TEXT) -> bool:
    return isinstance(value, str) and len(value) <= limit


def _malformed(field: str):
    raise BundleError("malformed", f"manifest field {field!r}")


def _check_encryption(encryption) -> None:
    from kiosk.sync.bundle_crypto import ENCRYPTED_RECORDS, SCHEME

    if encryption is None:
        return
    if not isinstance(encryption, dict):
        _malformed("encryption")
    if (encryption.get("scheme") != SCHEME or encryption.get("member") != ENCRYPTED_RECORDS
            or not _text(encryption.get("recipient"), 64)
            or not _text(encryption.get("ephemeral_public_key"), 64)):
        raise BundleError("encrypted", f"encryption {str(encryption.get('scheme'))[:60]!r}")


def _check_manifest_v1(manifest: dict, names: list[str]) -> None:
    """Format 1: every field typed and bounded; members and counts agree."""
    _check_encryption(manifest.get("encryption"))
    expected = sorted((records_member(manifest), MANIFEST))
    if sorted(names) != expected or len(names) != len(set(names)):
        raise BundleError("altered", f"members {sorted(names)[:5]}")
    fields = ("device_id", "first_seq", "last_seq", "records", "counts", "created_at", "members")
    if any(k not in manifest for k in fields):
        raise BundleError("altered", "the manifest is missing fields")
    if not isinstance(manifest["device_id"], str) or not _UUID.fullmatch(manifest["device_id"]):
        _malformed("device_id")
    for key in ("first_seq", "last_seq", "records"):
        if not _count(manifest[key]):
            _malformed(key)
    if manifest["first_seq"] > manifest["last_seq"]:
        _malformed("first_seq")
    for key in ("created_at", "help_point", "scope"):
        if manifest.get(key) is not None and not _text(manifest[key]):
            _malformed(key)
    counts, members = manifest["counts"], manifest["members"]
    if not isinstance(counts, dict) or not all(_text(k, 40) and _count(v)
                                               for k, v in counts.items()):
        _malformed("counts")
    member = members.get(records_member(manifest)) if isinstance(members, dict) else None
    if not isinstance(members, dict) or len(members) != 1 or not isinstance(member, dict):
        _malformed("members")
    if (not isinstance(member.get("sha256"), str) or not _HEX64.fullmatch(member["sha256"])
            or not _count(member.get("bytes")) or not _count(member.get("lines"))):
        _malformed("members")
    if member["lines"] != manifest["records"] or sum(counts.values()) != manifest["records"]:
        raise BundleError("altered", "the manifest's counts disagree")


def _check_manifest_v2(manifest: dict, names: list[str]) -> None:
    """Format 2: format 1 plus the device's signature, ``{"scheme": "ed25519", "public_key",
    "value"}`` (base64), over ``kiosk.sync.identity.canonical(signed_part(manifest))``; an
    unsigned manifest is allowed here (a kiosk not enrolled yet writes one) and refused by the
    hub's import."""
    _check_manifest_v1(manifest, names)
    signature = manifest.get("signature")
    if signature is None:
        return
    if (not isinstance(signature, dict) or signature.get("scheme") != "ed25519"
            or not _text(signature.get("public_key"), 64)
            or not _text(signature.get("value"), 100)):
        _malformed("signature")


_MANIFEST_CHECKS = {1: _check_manifest_v1, 2: _check_manifest_v2}


def check_records(manifest: dict, records: Iterable[dict]) -> None:
    """Check every record against the manifest: sequence numbers increasing within the range,
    counts per record type, the device, each record's id and revision. Raises ``BundleError``."""
    counts, previous = Counter(), None
    try:
        for line in records:
            seq, kind, record = line["seq"], line["record_type"], line["record"]
            if (not _count(seq) or (previous is not None and seq <= previous)
                    or not manifest["first_seq"] <= seq <= manifest["last_seq"]):
                raise BundleError("altered", f"sequence {str(seq)[:40]} out of order or range")
            if record.get("device_id") != manifest["device_id"] or not record.get("id") \
                    or type(record.get("revision")) is not int or not _text(kind, 40):
                raise BundleError("altered", f"record at sequence {seq} is not this device's")
            counts[kind] += 1
            previous = seq
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise BundleError("altered", f"a record line is malformed: {str(error)[:200]}") \
            from error
    if dict(counts) != manifest["counts"]:
        raise BundleError("altered", "the records do not match the manifest's counts")
