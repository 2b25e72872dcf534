"""USB bundles at the hub: encrypted once enrolled, one ingest path, refused whole when bad."""

import json
import zipfile

import pytest
from sqlalchemy import text

from kiosk.hub.imports import import_bundles
from kiosk.hub.keys import generate
from kiosk.hub.cli import main as hub_main
from kiosk.sync.bundle import write_bundle
from kiosk.sync.enroll import client_for
from kiosk.sync.push import sync_round

from tests.hub.conftest import add_records, enrolled, enrolled_offline


def _count(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("SELECT count(*) FROM records")).scalar_one()


def _one(report):
    [item] = report["bundles"]
    return item


def test_an_enrolled_kiosks_bundle_imports_once(hub_engine, hub_keys, make_kiosk, tmp_path):
    db, _ = make_kiosk()
    enrolled_offline(db, hub_engine, hub_keys)
    add_records(db, 50, revisions=2)
    bundle = write_bundle(db, tmp_path).path
    first = _one(import_bundles(hub_engine, hub_keys, [bundle]))
    assert (first["new"], first["updated"], first["refused_whole"]) == (50, 50, False)
    again = _one(import_bundles(hub_engine, hub_keys, [bundle]))
    assert (again["new"], again["already_present"], again["updated"]) == (0, 100, 0)
    assert _count(hub_engine) == 50


def test_an_enrolled_kiosks_bundle_is_encrypted_and_only_its_hub_reads_it(
        live_hub, make_kiosk, tmp_path):
    db, _ = make_kiosk()
    enrolled(db, live_hub)
    add_records(db, 30)
    bundle = write_bundle(db, tmp_path).path
    record_id = db.execute("SELECT record_id FROM outbox LIMIT 1").fetchone()[0]
    with zipfile.ZipFile(bundle) as opened:
        manifest = json.loads(opened.read("manifest.json"))
        assert opened.namelist() == ["records.jsonl.enc", "manifest.json"]
        assert record_id.encode() not in opened.read("records.jsonl.enc")
    assert manifest["encryption"]["scheme"] == "x25519-hkdf-sha256-chacha20poly1305"
    stranger = _one(import_bundles(live_hub.engine, generate(), [bundle]))
    assert stranger["refused_whole"] and "another ward" in stranger["reason"]
    result = _one(import_bundles(live_hub.engine, live_hub.keys, [bundle]))
    assert result["new"] == 30 and not result["refused_whole"]


def test_network_and_usb_deliver_each_record_once(live_hub, make_kiosk, tmp_path):
    db, _ = make_kiosk()
    enrolled(db, live_hub)
    add_records(db, 40)
    bundle = write_bundle(db, tmp_path).path  # written before any network sync
    with client_for(db) as client:
        assert sync_round(db, client, batch_rows=7).unsent == 0
    result = _one(import_bundles(live_hub.engine, live_hub.keys, [bundle]))
    assert (result["new"], result["already_present"]) == (0, 40)
    assert _count(live_hub.engine) == 40


def _rewrite(source, target, change):
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            name, data = change(item.filename, old.read(item.filename))
            new.writestr(name, data)
    return target


def _flip_middle(name, data):
    if name.startswith("records"):
        middle = len(data) // 2
        data = data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1:]
    return name, data


def _rechecksummed(change):
    """Alter the records and fix the manifest's checksum: only the AEAD tag can tell."""
    import hashlib

    state = {}

    def apply(name, data):
        name, data = change(name, data)
        if name.startswith("records"):
            state["digest"] = hashlib.sha256(data).hexdigest()
        else:
            manifest = json.loads(data)
            manifest["members"]["records.jsonl.enc"]["sha256"] = state["digest"]
            data = json.dumps(manifest).encode()
        return name, data
    return apply


@pytest.mark.parametrize("damage, enroll_first", [
    (damage, True) for damage in ("truncated", "altered", "unknown_version", "not_a_bundle")]
    + [("resealed", True)])  # resealed: AEAD only
def test_a_bad_bundle_is_refused_whole(live_hub, make_kiosk, tmp_path, damage, enroll_first):
    db, _ = make_kiosk()
    enrolled(db, live_hub)
    add_records(db, 60)
    good = write_bundle(db, tmp_path).path
    bad = tmp_path / "bad.hpb"
    if damage == "truncated":
        bad.write_bytes(good.read_bytes()[: good.stat().st_size * 2 // 3])
    elif damage == "altered":
        _rewrite(good, bad, _flip_middle)
    elif damage == "resealed":
        _rewrite(good, bad, _rechecksummed(_flip_middle))
    elif damage == "unknown_version":
        _rewrite(good, bad, lambda n, d: (n, d.replace(b'"format_version": 2',
                                                       b'"format_version": 99')))
    else:
        bad.write_bytes(b"PK\x03\x04 nothing useful here" * 20)
    report = import_bundles(live_hub.engine, live_hub.keys, [bad, good])
    refused, accepted = report["bundles"]
    assert refused["refused_whole"] and refused["reason"] and refused["new"] == 0
    assert accepted["new"] == 60  # the good one still goes in
    assert _count(live_hub.engine) == 60 and report["totals"]["bundles_refused"] == 1


def test_import_json_from_the_command_line(hub_db_url, make_kiosk, tmp_path, capsys):
    from kiosk.hub.site import open_hub

    db, _ = make_kiosk()
    hub = ["--db", hub_db_url, "--data-dir", str(tmp_path / "hub")]
    opened = open_hub(hub_db_url, str(tmp_path / "hub"))
    enrolled_offline(db, opened.engine, opened.keys)
    opened.engine.dispose()
    add_records(db, 5)
    bundle = write_bundle(db, tmp_path).path
    assert hub_main(["import", str(bundle), "--json", *hub]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["totals"] == {"new": 5, "already_present": 0, "updated": 0, "refused": 0,
                                "bundles_refused": 0}
    assert hub_main(["import", str(bundle), str(tmp_path / "missing.hpb"), "--json", *hub]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["totals"]["already_present"] == 5 and report["totals"]["bundles_refused"] == 1
