"""The bundle format's version, its manifest and its checks (docs/bundle-format.md).

Kept apart from the writer so the hub can read bundles with no kiosk database at all. Each format
version has its own manifest check in ``_MANIFEST_CHECKS``; a reader refuses a version it does not
know rather than guess, so a newer kiosk's bundle is never half-understood.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Iterable

from kiosk.locale import ui_text

FORMAT = "helppoint-bundle"
FORMAT_VERSION = 1
SUFFIX = ".hpb"
MANIFEST = "manifest.json"
RECORDS = "records.jsonl"
MEMBERS = (RECORDS, MANIFEST)
REASONS = ("unreadable", "damaged", "not_a_bundle", "unknown_version", "altered", "encrypted",
           "foreign")


class BundleError(Exception):
    """A bundle was refused whole. ``reason`` is one of ``REASONS``; ``detail`` says what was
    found, for the log; ``message(language)`` is the plain sentence (ui.json
    ``bundle.error.<reason>``); ``str()`` gives it in Vietnamese and English with the detail."""

    def __init__(self, reason: str, detail: str = ""):
        self.reason, self.detail = reason, detail
        super().__init__(f"{self.message('vi')} / {self.message('en')}"
                         + (f" ({detail})" if detail else ""))

    def message(self, language: str) -> str:
        return ui_text(f"bundle.error.{self.reason}", language)


def check_manifest(bundle) -> dict:
    """The manifest of an open ``zipfile.ZipFile`` once its format and version are known and its
    fields are sound. Raises ``BundleError``."""
    names = bundle.namelist()
    if MANIFEST not in names:
        raise BundleError("not_a_bundle", f"no {MANIFEST}")
    try:
        manifest = json.loads(bundle.read(MANIFEST))
    except ValueError as error:
        raise BundleError("damaged", f"{MANIFEST}: {error}") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BundleError("not_a_bundle", "the manifest does not name this format")
    check = _MANIFEST_CHECKS.get(manifest.get("format_version"))
    if check is None:
        raise BundleError("unknown_version", f"format_version {manifest.get('format_version')}")
    check(manifest, names)
    return manifest


def records_member(manifest: dict) -> str:
    """The name of the member holding the records: clear or encrypted (bundle_crypto)."""
    return RECORDS if manifest.get("encryption") is None else manifest["encryption"]["member"]


def _check_manifest_v1(manifest: dict, names: list[str]) -> None:
    from kiosk.sync.bundle_crypto import ENCRYPTED_RECORDS, SCHEME

    encryption = manifest.get("encryption")
    if encryption is not None and (not isinstance(encryption, dict)
                                   or encryption.get("scheme") != SCHEME
                                   or encryption.get("member") != ENCRYPTED_RECORDS
                                   or not isinstance(encryption.get("recipient"), str)
                                   or not isinstance(encryption.get("ephemeral_public_key"), str)):
        raise BundleError("encrypted", f"encryption {encryption.get('scheme')!r}"
                          if isinstance(encryption, dict) else "")
    expected = sorted((records_member(manifest), MANIFEST))
    if sorted(names) != expected or len(names) != len(set(names)):
        raise BundleError("altered", f"members {sorted(names)}")
    member = manifest.get("members", {}).get(records_member(manifest))
    fields = ("device_id", "first_seq", "last_seq", "records", "counts", "created_at")
    if (not isinstance(member, dict) or any(k not in manifest for k in fields)
            or not all(k in member for k in ("sha256", "bytes", "lines"))):
        raise BundleError("altered", "the manifest is missing fields")
    if member["lines"] != manifest["records"] or sum(manifest["counts"].values()) != \
            manifest["records"]:
        raise BundleError("altered", "the manifest's counts disagree")


_MANIFEST_CHECKS = {1: _check_manifest_v1}


def check_records(manifest: dict, records: Iterable[dict]) -> None:
    """Check every record against the manifest: sequence numbers increasing within the range,
    counts per record type, the device, each record's id and revision. Raises ``BundleError``."""
    counts, previous = Counter(), None
    try:
        for line in records:
            seq, kind, record = line["seq"], line["record_type"], line["record"]
            if (not isinstance(seq, int) or (previous is not None and seq <= previous)
                    or not manifest["first_seq"] <= seq <= manifest["last_seq"]):
                raise BundleError("altered", f"sequence {seq} out of order or range")
            if record.get("device_id") != manifest["device_id"] or not record.get("id") \
                    or not isinstance(record.get("revision"), int):
                raise BundleError("altered", f"record at sequence {seq} is not this device's")
            counts[kind] += 1
            previous = seq
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise BundleError("altered", f"a record line is malformed: {error}") from error
    if dict(counts) != manifest["counts"]:
        raise BundleError("altered", "the records do not match the manifest's counts")
