"""Hostile and malformed bundles at the hub: plain refusals file by file, never a traceback or a
500, bounded memory measured on the importing process, and a fuzzed reader."""

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.core.db import device_id
from kiosk.hub.imports import import_bundles, trusted_by
from kiosk.hub.site import open_hub
from kiosk.locale import ui_text
from kiosk.sync import identity
from kiosk.sync.bundle import read_bundle, sign_manifest, write_bundle
from kiosk.sync.bundle_format import MANIFEST, BundleError, signed_part

from tests.hub.conftest import add_records, enrolled_offline
from tests.hub.dashboard_helpers import dashboard_app, signed_in
from tests.hub.hostile_bundles import make_hostile_bundles

HUB = [sys.executable, "-m", "kiosk.hub"]


def _resigned(source: Path, target: Path, change, key) -> Path:
    """A copy of ``source`` whose manifest is ``change(manifest)``, signed again with ``key``
    (the enrolled kiosk's own key: what a hostile kiosk could write)."""
    with zipfile.ZipFile(source) as old:
        manifest = json.loads(old.read(MANIFEST))
        members = {name: old.read(name) for name in old.namelist() if name != MANIFEST}
    changed = change(signed_part(manifest))
    if isinstance(changed, dict):
        try:
            changed = {**changed, "signature": sign_manifest(key, changed)}
        except (TypeError, ValueError, OverflowError):
            pass
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in members.items():
            new.writestr(name, data)
        new.writestr(MANIFEST, changed if isinstance(changed, str) else json.dumps(changed))
    return target


@pytest.fixture
def signed_bundle(hub_engine, hub_keys, make_kiosk, tmp_path):
    """An enrolled kiosk's real bundle of 20 records, and that kiosk's key."""
    db, _ = make_kiosk()
    enrolled_offline(db, hub_engine, hub_keys)
    add_records(db, 20)
    return write_bundle(db, tmp_path).path, identity.load_key(db)


MALFORMED = {
    "members_is_a_list": lambda m: {**m, "members": [m["members"]]},
    "counts_is_a_list": lambda m: {**m, "counts": [["lesson_run", 20]]},
    "encryption_is_a_list": lambda m: {**m, "encryption": [m["encryption"]]},
    "huge_last_seq": lambda m: {**m, "last_seq": 10**30},
    "huge_records": lambda m: {**m, "records": 2**70},
    "seq_as_text": lambda m: {**m, "first_seq": "1"},
    "seq_as_bool": lambda m: {**m, "first_seq": True},
    "negative_records": lambda m: {**m, "records": -1},
    "device_id_path": lambda m: {**m, "device_id": "../../etc/passwd<script>"},
    "device_id_list": lambda m: {**m, "device_id": [m["device_id"]]},
    "manifest_is_a_list": lambda m: [m],
    "member_fields_wrong": lambda m: {**m, "members": {k: {**v, "bytes": "many"}
                                                       for k, v in m["members"].items()}},
    "deeply_nested": lambda m: json.dumps(m)[:-1] + ', "x": ' + "[" * 50_000 + "]" * 50_000 + "}",
    "huge_help_point": lambda m: {**m, "help_point": "x" * 5_000_000},
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_manifests_are_refused_in_plain_words(hub_engine, hub_keys, signed_bundle,
                                                        tmp_path, name):
    path, key = signed_bundle
    bad = _resigned(path, tmp_path / f"{name}.hpb", MALFORMED[name], key)
    report = import_bundles(hub_engine, hub_keys, [bad, path])
    refused, good = report["bundles"]
    assert refused["refused_whole"] and refused["outcome"] == "refused"
    assert refused["reason"] and "Traceback" not in refused["reason"]
    assert good["outcome"] == "new" and good["new"] == 20


def _hub_and_bundle(hub_db_url, make_kiosk, tmp_path, *, records: int):
    """A hub's data folder, an enrolled kiosk holding ``records`` sessions, its bundle, and the
    hub's public encryption key."""
    data = tmp_path / "hub"
    opened = open_hub(hub_db_url, str(data))
    db, _ = make_kiosk()
    enrolled_offline(db, opened.engine, opened.keys)
    opened.engine.dispose()
    add_records(db, records)
    return data, db, write_bundle(db, tmp_path).path, opened.keys.public()["encryption_key"]


def test_the_command_line_reports_each_file_and_fails_if_any_is_refused(hub_db_url, make_kiosk,
                                                                       tmp_path):
    data, db, good, _ = _hub_and_bundle(hub_db_url, make_kiosk, tmp_path, records=6)
    key = identity.load_key(db)
    bad = _resigned(good, tmp_path / "list.hpb", MALFORMED["members_is_a_list"], key)
    huge = _resigned(good, tmp_path / "huge.hpb", MALFORMED["huge_last_seq"], key)
    args = ["import", str(good), str(bad), str(huge), "--db", hub_db_url, "--data-dir",
            str(data)]
    done = subprocess.run([*HUB, *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr + done.stdout
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"{good}: new — 6 new")
    assert lines[1].startswith(f"{bad}: refused — ") and "wrong type" in lines[1]
    assert lines[2].startswith(f"{huge}: refused — ")
    again = subprocess.run([*HUB, *args[:2], "--json", *args[4:]], capture_output=True,
                           text=True, timeout=120)
    assert again.returncode == 0
    assert json.loads(again.stdout)["bundles"][0]["outcome"] == "already_present"


def test_the_dashboard_reports_each_file_good_and_bad(hub_engine, hub_keys, signed_bundle,
                                                      tmp_path):
    path, key = signed_bundle
    client, token = signed_in(dashboard_app(hub_engine, hub_keys, tmp_path / "packs"))
    bad = _resigned(path, tmp_path / "bad.hpb", MALFORMED["huge_last_seq"], key)
    files = [("bundles", ("tot.hpb", path.read_bytes())),
             ("bundles", ("xau.hpb", bad.read_bytes()))]
    page = client.post("/dashboard/import", data={"csrf": token}, files=files)
    assert page.status_code == 200
    assert 'data-k="new">20<' in page.text
    assert "tot.hpb" in page.text and "xau.hpb" in page.text
    assert ui_text("bundle.error.malformed", "vi") in page.text  # the refusal, in Vietnamese


def _run_measured(command: list[str]) -> tuple[int, dict]:
    """Run ``command`` as a child reaped with ``os.wait4``: its peak RSS (KB) and JSON output."""
    read, write = os.pipe()
    process = subprocess.Popen(command, stdout=write, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read, "rb") as stream:
        out = stream.read()  # until the child closes it, i.e. exits
    _, _, usage = os.wait4(process.pid, 0)
    process.returncode = 0  # reaped here; keep Popen from waiting again
    return usage.ru_maxrss, json.loads(out)


def test_hostile_1mb_bundles_cost_the_importing_process_under_150mb(hub_db_url, make_kiosk,
                                                                     tmp_path):
    data, db, good, hub_key = _hub_and_bundle(hub_db_url, make_kiosk, tmp_path, records=5)
    folder = tmp_path / "hostile"
    folder.mkdir()
    hostile = make_hostile_bundles(folder, device_id(db), identity.load_key(db),
                                   hub_key)
    assert all(path.stat().st_size < 1_200_000 for path in hostile.values())
    where = ["--db", hub_db_url, "--data-dir", str(data), "--json"]
    baseline, _ = _run_measured([*HUB, "import", str(good), *where])
    peaks, expected = {}, {"records_bomb_understated": "do not match their checksums"}
    for name, path in hostile.items():
        peaks[name], report = _run_measured([*HUB, "import", str(path), *where])
        [item] = report["bundles"]
        assert item["refused_whole"], name
        assert expected.get(name, "larger than it declares") in item["reason"], (name, item)
    growth_mb = {name: round((peak - baseline) / 1024) for name, peak in peaks.items()}
    print("peak growth over a good import, MB:", growth_mb)
    assert max(growth_mb.values()) < 150, growth_mb


# the reader, fuzzed: mutating real bundles gives a refusal, never another exception -----------

@pytest.fixture(scope="module")
def real_bundles(tmp_path_factory):
    """A clear and an encrypted real bundle, the hub key that reads them, and a trust check."""
    from kiosk.core.db import connect
    from kiosk.hub.database import open_engine
    from kiosk.hub.keys import generate

    folder = tmp_path_factory.mktemp("fuzz")
    keys = generate()
    engine = open_engine(f"sqlite:///{folder / 'hub.db'}")
    found = {}
    for name in ("clear", "encrypted"):
        (folder / name).mkdir()
        db = connect(folder / name / "kiosk.db")
        enrolled_offline(db, engine, keys)
        if name == "clear":
            db.execute("DELETE FROM settings WHERE key = 'hub.encryption_key'")
        add_records(db, 8, revisions=2)
        found[name] = write_bundle(db, folder / name).path.read_bytes()
        db.conn.close()
    yield found, keys, trusted_by(engine), folder
    engine.dispose()


def _check_only_refusals(data: bytes, keys, trust, folder: Path) -> None:
    path = folder / "fuzzed.hpb"
    path.write_bytes(data)
    for check in (None, trust):
        try:
            bundle = read_bundle(path, private_key=keys.encryption, trust=check)
            list(bundle.records())
        except BundleError as error:
            assert error.reason and str(error)


@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
@given(which=st.sampled_from(["clear", "encrypted"]), data=st.data())
def test_fuzzed_bytes_give_only_refusals(real_bundles, which, data):
    bundles, keys, trust, folder = real_bundles
    raw = bytearray(bundles[which])
    for _ in range(data.draw(st.integers(1, 4))):
        spot = data.draw(st.integers(0, len(raw) - 1))
        action = data.draw(st.sampled_from(["flip", "cut", "insert", "zero"]))
        if action == "flip":
            raw[spot] ^= data.draw(st.integers(1, 255))
        elif action == "cut":
            del raw[spot: spot + data.draw(st.integers(1, 64))]
        elif action == "insert":
            raw[spot:spot] = data.draw(st.binary(min_size=1, max_size=32))
        else:
            raw[spot: spot + 4] = b"\0\0\0\0"
        if not raw:
            raw = bytearray(b"\0")
    _check_only_refusals(bytes(raw), keys, trust, folder)


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
                     | st.text(max_size=20),
                     lambda inner: st.lists(inner, max_size=4)
                     | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=12)


@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
@given(which=st.sampled_from(["clear", "encrypted"]), data=st.data())
def test_fuzzed_manifests_and_records_give_only_refusals(real_bundles, which, data):
    bundles, keys, trust, folder = real_bundles
    source = folder / "source.hpb"
    source.write_bytes(bundles[which])
    with zipfile.ZipFile(source) as old:
        manifest = json.loads(old.read(MANIFEST))
        members = {name: old.read(name) for name in old.namelist() if name != MANIFEST}
    field = data.draw(st.sampled_from(sorted(manifest) + ["members.inner", "new"]))
    value = data.draw(_JSON)
    if field == "members.inner":
        member = next(iter(manifest["members"].values()))
        member[data.draw(st.sampled_from(sorted(member)))] = value
    else:
        manifest[field if field != "new" else data.draw(st.text(max_size=8))] = value
    if which == "clear" and data.draw(st.booleans()):
        lines = members["records.jsonl"].split(b"\n")
        lines[data.draw(st.integers(0, len(lines) - 1))] = json.dumps(value).encode()
        members["records.jsonl"] = b"\n".join(lines)
    target = folder / "mutated.hpb"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for name, content in members.items():
            new.writestr(name, content)
        new.writestr(MANIFEST, json.dumps(manifest))
    _check_only_refusals(target.read_bytes(), keys, trust, folder)
