"""Importing USB bundles at the hub, through the same ingest path as the network.

A bundle is trusted only when it comes from a device enrolled with this hub and its manifest is
signed by that device's registered key (DESIGN.md invariant 9); this is checked from the manifest
alone, before any record is read. Then the bundle is checked completely (checksums, every record,
sequence range, counts), in bounded memory, and its records are stored in one transaction. A
truncated, altered, forged, foreign or unknown-version bundle is refused whole, with a plain
reason: nothing of it is stored. Importing the same bundle twice changes nothing the second time
and reports its rows as already present (DESIGN.md lesson 3). A bundle never names or renames a
help point: that is set at the hub.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from sqlalchemy import Engine

from kiosk.hub.database import now_iso, write_transaction
from kiosk.hub.devices import device_key, device_ward, touch_device
from kiosk.hub.ingest import BatchError, IngestResult, ingest_rows
from kiosk.hub.keys import HubKeys
from kiosk.sync.bundle_format import BundleError, signed_part
from kiosk.sync.identity import MANIFEST, canonical, verify

OUTCOMES = ("new", "already_present", "refused")


def import_bundles(engine: Engine, keys: HubKeys, paths: list[Path], *,
                   ward: str | None = None) -> dict:
    """Import each bundle in turn; one refused bundle does not stop the others. With ``ward``
    (a ward admin's import) a bundle of a device of another ward is refused whole.

    Returns ``{"bundles": [per-bundle report], "totals": {"new", "already_present", "updated",
    "refused", "bundles_refused"}}``; see ``import_bundle`` for the per-bundle report.
    """
    reports = [import_bundle(engine, keys, Path(path), ward=ward) for path in paths]
    totals = {"new": 0, "already_present": 0, "updated": 0, "refused": 0, "bundles_refused": 0}
    for report in reports:
        for key in ("new", "already_present", "updated"):
            totals[key] += report[key]
        totals["refused"] += len(report["refused"])
        totals["bundles_refused"] += report["refused_whole"]
    return {"bundles": reports, "totals": totals}


def import_bundle(engine: Engine, keys: HubKeys, path: Path, *, ward: str | None = None) -> dict:
    """Import one bundle: ``{"file", "outcome", "device_id", "records", "refused_whole",
    "reason", "new", "already_present", "updated", "refused": [{"seq", "reason"}]}``.
    ``outcome`` is ``new`` (something was stored), ``already_present`` (the hub had it all) or
    ``refused`` (the whole file; ``reason`` says why in plain words and nothing was stored).
    Never raises for what the file holds."""
    from kiosk.sync.bundle import read_bundle

    report = {"file": str(path), "outcome": "refused", "device_id": None, "records": 0,
              "refused_whole": False, "reason": None, **IngestResult().as_json()}
    try:
        bundle = read_bundle(path, private_key=keys.encryption,
                             trust=trusted_by(engine, ward=ward))
        device = bundle.manifest["device_id"]
        received = now_iso()
        with write_transaction(engine) as connection:
            if device_key(connection, device)[1] != bundle.manifest["signature"]["public_key"]:
                raise BundleError("bad_signature", "the device was re-enrolled meanwhile")
            # a bundle's last seq is the least the kiosk's outbox then held
            touch_device(connection, device, seen_at=received,
                         acknowledged_seq=bundle.manifest["last_seq"],
                         kiosk_last_seq=bundle.manifest["last_seq"])
            result = ingest_rows(connection, device, bundle.records(), received_at=received)
    except BundleError as error:
        return {**report, "refused_whole": True, "reason": error.message("en")}
    except BatchError as error:
        return {**report, "refused_whole": True, "reason": str(error)}
    except OSError as error:
        return {**report, "refused_whole": True,
                "reason": f"the file cannot be read: {error.strerror or error}"}
    stored = result.new + result.updated
    return {**report, **result.as_json(), "device_id": device,
            "outcome": "new" if stored else "already_present",
            "records": bundle.manifest["records"]}


def trusted_by(engine: Engine, *, ward: str | None = None) -> Callable[[dict], None]:
    """The check ``read_bundle`` runs on a manifest before reading any record: the device is
    enrolled here (holds a live token; with ``ward``, at a point of that ward), has a
    registered key, and signed this manifest with it.
    Raises ``BundleError`` (``unknown_device``, ``key_not_registered``, ``unsigned``,
    ``bad_signature``)."""

    def check(manifest: dict) -> None:
        with engine.connect() as connection:
            enrolled, key = device_key(connection, manifest["device_id"])
            if ward is not None and enrolled:
                enrolled = device_ward(connection, manifest["device_id"]) == ward
        signature = manifest.get("signature")
        if not enrolled:
            raise BundleError("unknown_device")
        if signature is None:
            raise BundleError("unsigned")
        if key is None:
            raise BundleError("key_not_registered")
        if signature["public_key"] != key or not verify(
                key, MANIFEST, canonical(signed_part(manifest)), signature["value"]):
            raise BundleError("bad_signature")

    return check
