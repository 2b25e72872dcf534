"""Back up a serving hub, lose it, restore it elsewhere, and carry on syncing (SQLite and
PostgreSQL): nothing lost, nothing doubled."""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from kiosk.hub.api import create_app
from kiosk.hub.backup import BackupError, backup_hub, restore_hub, verify_backup
from kiosk.hub.cli import main as hub_main
from kiosk.hub.database import normalise_url, open_engine
from kiosk.hub.devices import make_code
from kiosk.hub.imports import import_bundle
from kiosk.hub.keys import load_or_create
from kiosk.hub.stats import device_stats
from kiosk.sync.bundle import write_bundle
from kiosk.sync.enroll import client_for, enroll
from kiosk.sync.push import sync_round

from tests.hub.conftest import POSTGRES_URL, add_records, client_via

pytestmark = pytest.mark.timeout(240)


@contextmanager
def serving(engine, keys, packs: Path):
    """The hub's real API on 127.0.0.1 in a thread; yields its URL and stops it afterwards."""
    server = uvicorn.Server(uvicorn.Config(create_app(engine, keys, packs_dir=packs),
                                           log_level="warning"))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the hub did not start"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(15)
        sock.close()


def new_database(kind: str, tmp_path: Path, name: str) -> str:
    """A URL for a database that does not exist yet (SQLite) or is new and empty (PostgreSQL)."""
    if kind == "sqlite":
        (tmp_path / name).mkdir()
        return f"sqlite:///{tmp_path / name / 'hub.db'}"
    database = f"hub_{uuid.uuid4().hex[:12]}"
    admin = create_engine(normalise_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{database}"'))
    admin.dispose()
    return make_url(POSTGRES_URL).set(database=database).render_as_string(hide_password=False)


def destroy(kind: str, url: str, data_dir: Path) -> None:
    """What a dead disk does: the hub's folder and database are gone."""
    shutil.rmtree(data_dir)
    if kind == "postgresql":
        admin = create_engine(normalise_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            name = make_url(url).database
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()
    else:
        for path in Path(make_url(url).database).parent.glob("hub.db*"):
            path.unlink()


def kiosk(tmp_path: Path, name: str):
    from kiosk.core.db import connect

    folder = tmp_path / name
    folder.mkdir()
    return connect(folder / "kiosk.db"), folder


def records(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("SELECT count(*) FROM records")).scalar_one()


def device_of(db) -> str:
    return db.execute("SELECT value FROM settings WHERE key = 'device_id'").fetchone()[0]


KINDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])


@pytest.mark.parametrize("kind", KINDS)
def test_backup_while_serving_then_restore_elsewhere_and_sync_on(kind, tmp_path):
    old_dir, old_url = tmp_path / "old-hub", new_database(kind, tmp_path, "old-db")
    engine, keys = open_engine(old_url), load_or_create(old_dir / "keys")
    (old_dir / "packs").mkdir()
    (old_dir / "packs" / "lessons-1.zip").write_bytes(b"a published pack")
    first, _ = kiosk(tmp_path, "kiosk-a")
    second, second_dir = kiosk(tmp_path, "kiosk-b")
    with serving(engine, keys, old_dir / "packs") as url:
        enroll(first, url, make_code(engine, "Tổ 1", keys=keys)["code"])
        enroll(second, url, make_code(engine, "Tổ 2", keys=keys)["code"])
        add_records(first, 40, revisions=2)
        with client_for(first) as client:
            assert sync_round(first, client).unsent == 0
        add_records(second, 300)
        # The backup is taken while the second kiosk is sending, in small batches.
        sending = threading.Thread(target=_sync, args=(second_dir / "kiosk.db", 10))
        sending.start()
        manifest = backup_hub(old_url, old_dir, tmp_path / "backup")
        sending.join(60)
    engine.dispose()
    destroy(kind, old_url, old_dir)

    new_dir, new_url = tmp_path / "new-hub", new_database(kind, tmp_path, "new-db")
    assert restore_hub(tmp_path / "backup", new_url, new_dir) == manifest
    restored = open_engine(new_url)
    restored_keys = load_or_create(new_dir / "keys")
    assert restored_keys.public() == keys.public()
    assert (new_dir / "packs" / "lessons-1.zip").read_bytes() == b"a published pack"
    caught = device_stats(restored)["devices"].get(device_of(second), {}).get("lesson_runs", 0)
    assert device_stats(restored)["devices"][device_of(first)]["lesson_runs"] == 40
    assert records(restored) == 40 + caught  # a consistent snapshot: whole batches only
    with serving(restored, restored_keys, new_dir / "packs") as url:
        add_records(first, 10)
        with client_via(first, url) as client:
            assert sync_round(first, client).unsent == 0
    # What the snapshot missed from the second kiosk comes back on a USB stick, once.
    (tmp_path / "usb").mkdir()
    bundle = write_bundle(second, tmp_path / "usb", include_all=True)
    report = import_bundle(restored, restored_keys, Path(bundle.path))
    assert (report["new"], report["already_present"]) == (300 - caught, caught)
    stats = device_stats(restored)["devices"]
    assert stats[device_of(first)]["lesson_runs"] == 50
    assert stats[device_of(second)]["lesson_runs"] == 300
    assert records(restored) == 350
    restored.dispose()
    for db in (first, second):
        db.conn.close()


def _sync(db_path: Path, batch_rows: int) -> None:
    """One sync round on a connection of this thread's own."""
    from kiosk.core.db import connect

    db = connect(db_path)
    try:
        with client_for(db) as client:
            sync_round(db, client, batch_rows=batch_rows)
    finally:
        db.conn.close()


def test_a_damaged_backup_is_refused_and_nothing_is_restored(tmp_path):
    data, url = tmp_path / "hub", f"sqlite:///{tmp_path / 'hub' / 'hub.db'}"
    load_or_create(data / "keys")
    open_engine(url).dispose()
    manifest = backup_hub(url, data, tmp_path / "backup")
    assert (tmp_path / "backup").stat().st_mode & 0o777 == 0o700  # private keys inside
    assert set(manifest["files"]) == {"hub.db", "keys/signing-key.pem", "keys/bundle-key.pem"}
    key = tmp_path / "backup" / "keys" / "signing-key.pem"
    key.write_bytes(key.read_bytes()[:-10])
    target = tmp_path / "new"
    with pytest.raises(BackupError, match="damaged: keys/signing-key.pem is changed"):
        restore_hub(tmp_path / "backup", f"sqlite:///{target / 'hub.db'}", target)
    assert not (target / "hub.db").exists() and not (target / "keys").exists()


def test_restore_never_mixes_two_hubs_and_backup_never_overwrites(tmp_path):
    data, url = tmp_path / "hub", f"sqlite:///{tmp_path / 'hub' / 'hub.db'}"
    load_or_create(data / "keys")
    open_engine(url).dispose()
    backup_hub(url, data, tmp_path / "backup")
    with pytest.raises(BackupError, match="not empty"):
        backup_hub(url, data, tmp_path / "backup")
    with pytest.raises(BackupError, match="inside the hub's data folder"):
        backup_hub(url, data, data / "backups" / "today")
    with pytest.raises(BackupError, match="already has hub keys"):
        restore_hub(tmp_path / "backup", f"sqlite:///{tmp_path / 'other.db'}", data)
    with pytest.raises(BackupError, match="already exists"):
        restore_hub(tmp_path / "backup", url, tmp_path / "elsewhere")
    with pytest.raises(BackupError, match="not a hub backup"):
        verify_backup(tmp_path)


def test_the_commands_back_up_and_restore_in_plain_words(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("KIOSK_HUB_DB", raising=False)
    old, new = tmp_path / "old", tmp_path / "new"
    assert hub_main(["enroll-code", "--point", "Tổ 3", "--data-dir", str(old)]) == 0
    capsys.readouterr()
    assert hub_main(["backup", "--to", str(tmp_path / "b"), "--json",
                     "--data-dir", str(old)]) == 0
    made = json.loads(capsys.readouterr().out)
    assert made["backend"] == "sqlite" and "hub.db" in made["files"]
    assert hub_main(["restore", str(tmp_path / "b"), "--data-dir", str(new)]) == 0
    assert "restored the backup" in capsys.readouterr().out
    assert hub_main(["restore", str(tmp_path / "b"), "--data-dir", str(new)]) == 1
    error = capsys.readouterr().err
    assert "already has hub keys" in error and "Traceback" not in error
