"""Importing USB bundles at the hub, through the same ingest path as the network.

Each bundle is checked completely first (format, version, checksums, every record, the device),
then its records are stored in one transaction. A truncated, altered, foreign or unknown-version
bundle is refused whole: nothing of it is stored. Importing the same bundle twice changes
nothing the second time and reports its rows as already present (DESIGN.md lesson 3).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from kiosk.hub.database import now_iso, write_transaction
from kiosk.hub.devices import touch_device
from kiosk.hub.ingest import BatchError, IngestResult, ingest_rows
from kiosk.hub.keys import HubKeys


def import_bundles(engine: Engine, keys: HubKeys, paths: list[Path]) -> dict:
    """Import each bundle in turn; one refused bundle does not stop the others.

    Returns ``{"bundles": [per-bundle report], "totals": {"new", "already_present", "updated",
    "refused", "bundles_refused"}}``; see ``import_bundle`` for the per-bundle report.
    """
    reports = [import_bundle(engine, keys, Path(path)) for path in paths]
    totals = {"new": 0, "already_present": 0, "updated": 0, "refused": 0, "bundles_refused": 0}
    for report in reports:
        for key in ("new", "already_present", "updated"):
            totals[key] += report[key]
        totals["refused"] += len(report["refused"])
        totals["bundles_refused"] += report["refused_whole"]
    return {"bundles": reports, "totals": totals}


def import_bundle(engine: Engine, keys: HubKeys, path: Path) -> dict:
    """Import one bundle: ``{"file", "device_id", "records", "refused_whole", "reason", "new",
    "already_present", "updated", "refused": [{"seq", "reason"}]}``. Never raises for a bad
    bundle: ``refused_whole`` is then true, ``reason`` says why in plain words, and nothing of it
    was stored."""
    from kiosk.sync.bundle import read_bundle
    from kiosk.sync.bundle_format import BundleError

    report = {"file": str(path), "device_id": None, "records": 0, "refused_whole": False,
              "reason": None, **IngestResult().as_json()}
    try:
        bundle = read_bundle(path, private_key=keys.encryption)
        device = bundle.manifest["device_id"]
        received = now_iso()
        with write_transaction(engine) as connection:
            # the device first, so a kiosk known only from USB has its help point for the
            # report rows; a bundle's last seq is the least the kiosk's outbox then held
            touch_device(connection, device, seen_at=received,
                         acknowledged_seq=bundle.manifest.get("last_seq"),
                         point=bundle.manifest.get("help_point") or None,
                         kiosk_last_seq=bundle.manifest.get("last_seq"))
            result = ingest_rows(connection, device, bundle.records(), received_at=received)
    except BundleError as error:
        return {**report, "refused_whole": True, "reason": error.message("en")}
    except BatchError as error:
        return {**report, "refused_whole": True, "reason": str(error)}
    except OSError as error:
        return {**report, "refused_whole": True,
                "reason": f"the file cannot be read: {error.strerror or error}"}
    return {**report, **result.as_json(), "device_id": device,
            "records": bundle.manifest.get("records", 0)}
