"""USB bundles: a round trip, what goes in, and every kind of file the reader must refuse."""

import json
import subprocess
import sys
import zipfile

import pytest

from kiosk.core.demo import record_demo_sessions
from kiosk.sync.bundle import read_bundle, verify_bundle, write_bundle
from kiosk.sync.bundle_format import MANIFEST, RECORDS, BundleError
from kiosk.sync.outbox import unsent_count


@pytest.fixture
def filled(db):
    list(record_demo_sessions(db, 30, seed=7))
    return db


@pytest.fixture
def bundle_path(filled, tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    return write_bundle(filled, usb, help_point="Nhà văn hóa tổ 5").path


def test_a_bundle_round_trips_every_unsent_row(filled, tmp_path):
    calls, usb = [], tmp_path / "usb"
    usb.mkdir()
    result = write_bundle(filled, usb, progress=lambda done, total: calls.append(
        (done, total)))
    assert result.path.name.endswith("-1-30.hpb") and result.path.exists()
    assert (result.records, result.first_seq, result.last_seq) == (30, 1, 30)
    assert result.bytes == result.path.stat().st_size
    assert calls[-1] == (30, 30)
    bundle = read_bundle(result.path)
    assert bundle.manifest["counts"] == {"assistance_session": 30}
    assert bundle.manifest["encryption"] is None
    rows = list(bundle.records())
    stored = [json.loads(p) for (p,) in filled.execute("SELECT payload FROM outbox ORDER BY seq")]
    assert [row["record"] for row in rows] == stored
    assert [row["seq"] for row in rows] == list(range(1, 31))
    assert list(usb.iterdir()) == [result.path]


def test_exporting_records_the_bundle_and_never_marks_rows_sent(filled, tmp_path):
    result = write_bundle(filled, tmp_path)
    assert unsent_count(filled) == 30
    [row] = filled.execute("SELECT path_name, first_seq, last_seq, records, sha256 "
                           "FROM exports").fetchall()
    assert row == (result.path.name, 1, 30, 30, result.sha256)


def test_only_rows_the_hub_has_not_acknowledged_unless_all(filled, tmp_path):
    filled.execute("UPDATE outbox SET sent_at = '2025-03-12T00:00:00+00:00' WHERE seq <= 20")
    assert write_bundle(filled, tmp_path).records == 10
    assert write_bundle(filled, tmp_path, include_all=True).first_seq == 1
    filled.execute("UPDATE outbox SET sent_at = '2025-03-12T00:00:00+00:00'")
    nothing = write_bundle(filled, tmp_path)
    assert nothing.path is None and nothing.records == 0


def rewrite(source, target, manifest=None, records=None, extra=None):
    """Copy a bundle, changing its manifest or records, with valid zip CRCs."""
    with zipfile.ZipFile(source) as old:
        found = json.loads(old.read(MANIFEST))
        lines = old.read(RECORDS)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        new.writestr(RECORDS, records(lines) if records else lines)
        new.writestr(MANIFEST, json.dumps(manifest(found) if manifest else found))
        for name, data in (extra or {}).items():
            new.writestr(name, data)
    return target


def refused(path) -> str:
    with pytest.raises(BundleError) as error:
        read_bundle(path)
    assert "/" in str(error.value)  # Vietnamese / English
    return error.value.reason


def test_a_truncated_bundle_is_refused(bundle_path, tmp_path):
    data = bundle_path.read_bytes()
    for cut in (len(data) // 2, len(data) - 10, 30):
        (tmp_path / "cut.hpb").write_bytes(data[:cut])
        assert refused(tmp_path / "cut.hpb") == "damaged"


def test_a_flipped_byte_is_refused(bundle_path, tmp_path):
    data = bytearray(bundle_path.read_bytes())
    data[len(data) // 3] ^= 0xFF
    (tmp_path / "flip.hpb").write_bytes(bytes(data))
    assert refused(tmp_path / "flip.hpb") in ("damaged", "altered")


def test_altered_records_with_valid_zip_checksums_are_refused(bundle_path, tmp_path):
    edited = rewrite(bundle_path, tmp_path / "edit.hpb",
                     records=lambda lines: lines.replace(b'"age_band":"', b'"age_band":"X', 1))
    assert refused(edited) == "altered"


def test_a_bundle_whose_manifest_was_made_to_match_is_still_checked_line_by_line(bundle_path,
                                                                                tmp_path):
    import hashlib

    def forged(lines):
        return lines.replace(b'"seq":1,', b'"seq":999,', 1)

    def manifest(found):
        data = forged(zipfile.ZipFile(bundle_path).read(RECORDS))
        found["members"][RECORDS].update(sha256=hashlib.sha256(data).hexdigest(),
                                         bytes=len(data))
        return found

    edited = rewrite(bundle_path, tmp_path / "forged.hpb", manifest=manifest, records=forged)
    verify_bundle(edited)  # the checksums match ...
    assert refused(edited) == "altered"  # ... but sequence 999 is outside the manifest's range


@pytest.mark.parametrize("change, reason", [
    (lambda m: {**m, "format_version": 3}, "unknown_version"),
    (lambda m: {**m, "format_version": "1"}, "unknown_version"),
    (lambda m: {**m, "format": "something-else"}, "not_a_bundle"),
    (lambda m: {**m, "encryption": {"scheme": "x25519-age", "recipient": "hub"}}, "encrypted"),
    (lambda m: {**m, "counts": {"assistance_session": 29}}, "altered"),
    (lambda m: {k: v for k, v in m.items() if k != "device_id"}, "altered"),
])
def test_manifest_problems_are_refused_with_a_plain_reason(bundle_path, tmp_path, change, reason):
    assert refused(rewrite(bundle_path, tmp_path / "m.hpb", manifest=change)) == reason


def test_extra_or_missing_members_and_foreign_files_are_refused(bundle_path, tmp_path):
    assert refused(rewrite(bundle_path, tmp_path / "x.hpb", extra={"run.sh": "rm -rf /"})) == \
        "altered"
    with zipfile.ZipFile(tmp_path / "bare.hpb", "w") as bare:
        bare.writestr("notes.txt", "hello")
    assert refused(tmp_path / "bare.hpb") == "not_a_bundle"
    (tmp_path / "text.hpb").write_text("not a zip at all", encoding="utf-8")
    assert refused(tmp_path / "text.hpb") == "damaged"
    assert refused(tmp_path / "missing.hpb") == "unreadable"


def test_records_of_another_device_are_refused(bundle_path, tmp_path):
    edited = rewrite(bundle_path, tmp_path / "other.hpb",
                     manifest=lambda m: {**m, "device_id": "0190f0e0-0000-7000-8000-0000000000ff"})
    assert refused(edited) == "altered"
    edited = rewrite(bundle_path, tmp_path / "path.hpb",
                     manifest=lambda m: {**m, "device_id": "../../etc/passwd<script>"})
    assert refused(edited) == "malformed"


def run_cli(data_dir, *args):
    return subprocess.run([sys.executable, "-m", "kiosk", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, timeout=120)


def test_export_command_json_and_plain_failure(tmp_path):
    data, usb = tmp_path / "data", tmp_path / "usb"
    usb.mkdir()
    assert run_cli(data, "demo", "--sessions", "3", "--seed", "1").returncode == 0
    done = run_cli(data, "export", "--to", str(usb), "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert set(result) == {"path", "records", "first_seq", "last_seq", "bytes"}
    assert result["records"] == 3 and read_bundle(result["path"])
    failed = run_cli(data, "export", "--to", str(tmp_path / "no-stick"))
    assert failed.returncode == 1
    assert "The USB drive is not there" in failed.stderr and "Traceback" not in failed.stderr


def test_diagnostics_show_the_last_export(filled, data_dir, tmp_path):
    from kiosk.ui.admin.operations import check_database, read_overview

    def diagnostics(db, folder):  # what the admin screen's Diagnostics section reads
        return {**read_overview(db, data_dir=folder), "database_problems": check_database(db)}

    assert diagnostics(filled, data_dir)["last_export"] is None
    result = write_bundle(filled, tmp_path)
    shown = diagnostics(filled, data_dir)
    assert shown["last_export"]["path_name"] == result.path.name
    assert shown["last_export"]["counts"] == {"assistance_session": 30}
    assert shown["database_problems"] == [] and shown["unsent"] == 30
    assert shown["free_bytes"] > 0
