"""Secrets at rest on POSIX: the kiosk's and the hub's data folders are 0700, their databases
(device token; password and token hashes) with SQLite's -wal/-shm files and the hub's keys are
0600, also when an older release left them world-readable."""

from __future__ import annotations

import os
import stat

import pytest

from kiosk.core.db import connect
from kiosk.hub.site import open_hub
from kiosk.core.paths import data_dir, db_path

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_kiosk_keeps_its_folder_and_database_private(tmp_path):
    folder = data_dir(tmp_path / "new-kiosk")
    db = connect(db_path(folder))
    db.execute("CREATE TABLE IF NOT EXISTS probe (x)")  # a write: the -wal file exists
    try:
        assert _mode(folder) == 0o700
        assert _mode(db_path(folder)) == 0o600
        assert _mode(str(db_path(folder)) + "-wal") == 0o600
        assert _mode(str(db_path(folder)) + "-shm") == 0o600
    finally:
        db.conn.close()


def test_an_open_kiosk_folder_left_by_an_older_release_is_closed(tmp_path):
    folder = tmp_path / "old-kiosk"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    connect(db_path(folder)).conn.close()
    os.chmod(db_path(folder), 0o644)
    db = connect(db_path(data_dir(folder)))
    db.conn.close()
    assert _mode(folder) == 0o700 and _mode(db_path(folder)) == 0o600


def test_the_hub_keeps_its_folder_database_and_keys_private(tmp_path):
    folder = tmp_path / "hub"
    hub = open_hub(data_dir=folder)
    hub.close()
    assert _mode(folder) == 0o700
    assert _mode(folder / "hub.db") == 0o600
    assert _mode(folder / "keys") == 0o700
    keys = list((folder / "keys").iterdir())
    assert keys and all(_mode(key) == 0o600 for key in keys)
    for path in [folder, folder / "keys"]:
        os.chmod(path, 0o755)
    for path in [folder / "hub.db", *keys]:
        os.chmod(path, 0o644)
    open_hub(data_dir=folder).close()  # as an upgraded hub starts
    assert _mode(folder) == 0o700 and _mode(folder / "keys") == 0o700
    assert all(_mode(path) == 0o600 for path in [folder / "hub.db", *keys])
