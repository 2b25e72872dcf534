"""Back up a hub while it serves, and restore it on a new machine.

A backup is one folder: ``manifest.json`` (format, time, database kind, hub id, SHA-256 of every
file), the database (``hub.db`` — SQLite's online backup API, one consistent snapshot taken while
other connections keep writing — or ``hub.pgdump``, ``pg_dump``'s custom format, itself one
snapshot) and everything else in the hub's data folder: ``keys/`` (kiosks trust only these keys)
and ``packs/`` (the published lesson packs). It is written beside its final name and renamed into
place, so a folder with that name is always a whole backup.

Restore refuses a damaged backup (a file missing or changed), a data folder that already has keys
and a database that already holds tables, so it never mixes two hubs. Kiosks then carry on: the
hub keeps its keys and each device's acknowledged sequence, and a resent record is stored once.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import inspect

from kiosk.hub.database import normalise_url, open_engine

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE, POSTGRES_FILE = "hub.db", "hub.pgdump"
PG_TIMEOUT_S = 3600


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why in plain words."""


def backup_hub(db_url: str, data_dir: Path, to: Path) -> dict:
    """Write a consistent backup of the hub (database ``db_url``, folder ``data_dir``) to the new
    folder ``to`` and return its manifest. The hub may keep serving meanwhile.

    Raises ``BackupError`` if ``to`` exists and is not empty, or ``pg_dump`` is missing or fails;
    ``OSError`` if ``to`` cannot be written. Nothing is left under ``to``'s name on failure.
    """
    to = Path(to)
    if to.exists() and any(to.iterdir()):
        raise BackupError(f"{to} is not empty: choose a new folder for the backup")
    if Path(data_dir).resolve() in to.resolve().parents:
        raise BackupError(f"{to} is inside the hub's data folder: back up to another place")
    url = normalise_url(db_url)
    partial = to.with_name(f".{to.name}.partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True, mode=0o700)  # it holds the hub's private keys
    try:
        backend = url.get_backend_name()
        if backend == "sqlite":
            _sqlite_copy(Path(url.database), partial / SQLITE_FILE)
        else:
            _pg_run("pg_dump", ["--format=custom", "--no-owner", "--no-privileges",
                                f"--file={partial / POSTGRES_FILE}"], url)
        _copy_folder(Path(data_dir), partial, skip=_database_files(url, Path(data_dir)))
        manifest = {"format": FORMAT, "backend": backend,
                    "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    "files": _checksums(partial)}
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        if to.exists():
            to.rmdir()
        partial.rename(to)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return manifest


def restore_hub(source: Path, db_url: str, data_dir: Path) -> dict:
    """Put the backup in ``source`` back: its files into ``data_dir`` and its database into
    ``db_url`` (a new SQLite file, or an empty PostgreSQL database), then bring the schema up
    to date. Returns the backup's manifest.

    Raises ``BackupError`` for a damaged or unknown backup, a backup of the other database kind,
    a data folder that already has hub keys, or a database that is not empty.
    """
    source, data_dir = Path(source), Path(data_dir)
    manifest = verify_backup(source)
    url = normalise_url(db_url)
    backend = url.get_backend_name()
    if backend != manifest["backend"]:
        raise BackupError(f"this is a {manifest['backend']} backup; restore it into a "
                          f"{manifest['backend']} database, not {backend}")
    if (data_dir / "keys").exists() and any((data_dir / "keys").iterdir()):
        raise BackupError(f"{data_dir} already has hub keys: restore into an empty data folder")
    _refuse_non_empty(url)
    data_dir.mkdir(parents=True, exist_ok=True)
    if backend == "sqlite":
        _sqlite_copy(source / SQLITE_FILE, Path(url.database))
    else:
        _pg_run("pg_restore", ["--no-owner", "--no-privileges", "--exit-on-error",
                               "--single-transaction", str(source / POSTGRES_FILE)], url)
    database_files = {SQLITE_FILE, POSTGRES_FILE, MANIFEST}
    _copy_folder(source, data_dir, skip={source / name for name in database_files})
    open_engine(db_url).dispose()  # migrations: a backup from an older hub is brought up to date
    return manifest


def verify_backup(source: Path) -> dict:
    """The manifest of the backup in ``source``, after checking every file's SHA-256.
    Raises ``BackupError`` naming the first problem."""
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"{source} is not a hub backup (no readable {MANIFEST})") from error
    if manifest.get("format") != FORMAT or manifest.get("backend") not in ("sqlite", "postgresql"):
        raise BackupError(f"{source}: unknown backup format {manifest.get('format')!r}")
    found = _checksums(source)
    for name, digest in manifest["files"].items():
        if found.get(name) != digest:
            state = "missing" if name not in found else "changed since the backup"
            raise BackupError(f"the backup is damaged: {name} is {state}")
    return manifest


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy an SQLite database with the online backup API: one read transaction, so the copy
    is a consistent snapshot even while other connections write."""
    if not source.is_file():
        raise BackupError(f"no hub database at {source}")
    target.parent.mkdir(parents=True, exist_ok=True)
    reader = sqlite3.connect(source, timeout=30)
    writer = sqlite3.connect(target)
    try:
        reader.backup(writer)
        if writer.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(f"the copy of {source} failed its integrity check")
    finally:
        writer.close()
        reader.close()


def _pg_run(program: str, args: list[str], url) -> None:
    """Run ``pg_dump``/``pg_restore`` against ``url`` (the password through the environment,
    never the command line). Raises ``BackupError`` with its message if it fails."""
    binary = shutil.which(program)
    if binary is None:
        raise BackupError(f"{program} not found: install PostgreSQL's client programs "
                          "(Debian: postgresql-client) matching the server's version")
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    conninfo = ["--dbname", plain.render_as_string(hide_password=False)]
    result = subprocess.run([binary, *conninfo, *args], env=env, capture_output=True,
                            text=True, timeout=PG_TIMEOUT_S)
    if result.returncode != 0:
        raise BackupError(f"{program} failed: {result.stderr.strip()[-800:]}")


def _refuse_non_empty(url) -> None:
    if url.get_backend_name() == "sqlite":
        if Path(url.database).exists():
            raise BackupError(f"{url.database} already exists: restore into a new database file")
        return
    from sqlalchemy import create_engine

    engine = create_engine(url)
    try:
        tables = inspect(engine).get_table_names()
    finally:
        engine.dispose()
    if tables:
        raise BackupError(f"the database {url.database!r} already has tables: restore into a "
                          "new, empty database")


def _database_files(url, data_dir: Path) -> set[Path]:
    """The SQLite file and its companions, which the database copy covers."""
    if url.get_backend_name() != "sqlite":
        return set()
    path = Path(url.database).resolve()
    return {path, *(path.with_name(path.name + end) for end in ("-wal", "-shm", "-journal"))}


def _copy_folder(source: Path, target: Path, *, skip: set[Path]) -> None:
    """Copy every file under ``source`` into ``target`` (keeping owner-only modes), except
    ``skip``; temporary key files are left out."""
    skip = {p.resolve() for p in skip}
    for path in sorted(source.rglob("*")):
        if path.resolve() in skip or not path.is_file() or path.suffix == ".tmp":
            continue
        relative = path.relative_to(source)
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target / relative)


def _checksums(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): _sha256(p) for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != MANIFEST}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
