"""A full, removed, read-only or failing USB drive: a plain message, no half file, nothing
recorded."""

import errno
import shutil
import subprocess

import pytest

from kiosk.core.demo import record_demo_sessions
from kiosk.sync import bundle as bundle_module
from kiosk.sync.bundle import ExportError, write_bundle
from kiosk.sync.bundle_format import BundleError
from kiosk.sync.outbox import unsent_count


@pytest.fixture
def filled(db):
    list(record_demo_sessions(db, 300, seed=3))
    return db


@pytest.fixture
def usb(tmp_path):
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


class FailingFile:
    """A real file that fails like a drive would once ``limit`` bytes have been written."""

    def __init__(self, path, mode, *, limit, error, before_failing=None):
        self._file = open(path, mode)
        self._limit, self._error, self._before = limit, error, before_failing
        self.written = 0

    def write(self, data):
        if self.written + len(data) > self._limit:
            if self._before:
                before, self._before = self._before, None
                before()
            else:
                raise OSError(self._error, "injected")
        self.written += len(data)
        return self._file.write(data)

    def __getattr__(self, name):
        return getattr(self._file, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._file.close()


def assert_nothing_left(db, folder, reason, error):
    assert error.value.reason == reason
    vi, en = str(error.value).split(" / ")
    assert vi and en and "Traceback" not in str(error.value)
    assert not folder.exists() or list(folder.iterdir()) == []
    assert db.execute("SELECT count(*) FROM exports").fetchone()[0] == 0
    assert unsent_count(db) == 300


def test_a_full_drive_mid_write(filled, usb):
    opener = lambda path, mode: FailingFile(path, mode, limit=20_000, error=errno.ENOSPC)
    with pytest.raises(ExportError) as error:
        write_bundle(filled, usb, open_file=opener)
    assert_nothing_left(filled, usb, "disk_full", error)
    assert error.value.message("en") == "The USB drive is full. Use another drive or free some " \
                                        "space, then try again."


def test_a_read_only_drive(filled, usb):
    def opener(path, mode):
        raise OSError(errno.EROFS, "Read-only file system", str(path))

    with pytest.raises(ExportError) as error:
        write_bundle(filled, usb, open_file=opener)
    assert_nothing_left(filled, usb, "read_only", error)


def test_a_drive_that_fails_with_an_io_error(filled, usb):
    opener = lambda path, mode: FailingFile(path, mode, limit=5_000, error=errno.EIO)
    with pytest.raises(ExportError) as error:
        write_bundle(filled, usb, open_file=opener)
    assert_nothing_left(filled, usb, "io", error)


def test_a_drive_pulled_out_mid_write(filled, usb):
    opener = lambda path, mode: FailingFile(path, mode, limit=10_000, error=errno.EIO,
                                            before_failing=lambda: shutil.rmtree(usb))
    with pytest.raises(ExportError) as error:
        write_bundle(filled, usb, open_file=opener)
    assert_nothing_left(filled, usb, "removed", error)


def test_a_drive_that_is_not_there(filled, tmp_path):
    with pytest.raises(ExportError) as error:
        write_bundle(filled, tmp_path / "E:")
    assert_nothing_left(filled, tmp_path / "E:", "removed", error)


def test_a_file_that_does_not_read_back_is_removed(filled, usb, monkeypatch):
    def bad_read_back(path):
        raise BundleError("altered", "injected")

    monkeypatch.setattr(bundle_module, "verify_bundle", bad_read_back)
    with pytest.raises(ExportError) as error:
        write_bundle(filled, usb)
    assert_nothing_left(filled, usb, "verify", error)


@pytest.fixture
def mounted(tmp_path):
    """Mount small tmpfs file systems (needs root; skipped where mounting is not allowed)."""
    mounts = []

    def mount(name, options):
        point = tmp_path / name
        point.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)],
                              capture_output=True)
        if done.returncode != 0:
            pytest.skip("cannot mount a small file system here")
        mounts.append(point)
        return point

    yield mount
    for point in mounts:
        subprocess.run(["umount", str(point)], check=True)


def test_a_really_full_small_file_system(filled, mounted):
    point = mounted("tiny", "size=16k")
    (point / "photo.jpg").write_bytes(b"\xff" * 8000)
    with pytest.raises(ExportError) as error:
        write_bundle(filled, point)
    assert error.value.reason == "disk_full"
    assert [p.name for p in point.iterdir()] == ["photo.jpg"]
    assert filled.execute("SELECT count(*) FROM exports").fetchone()[0] == 0


def test_a_really_read_only_file_system(filled, mounted):
    point = mounted("locked", "ro,size=1m")
    with pytest.raises(ExportError) as error:
        write_bundle(filled, point)
    assert_nothing_left(filled, point, "read_only", error)


def test_every_reason_has_a_plain_message_in_both_languages():
    from kiosk.locale import ui_text
    from kiosk.sync.bundle_format import REASONS

    for reason in ("disk_full", "read_only", "removed", "io", "verify"):
        error = ExportError(reason)
        assert error.message("vi") != error.message("en")
    for reason in REASONS:
        assert ui_text(f"bundle.error.{reason}", "vi") and ui_text(f"bundle.error.{reason}", "en")
