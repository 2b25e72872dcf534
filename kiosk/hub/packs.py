"""Publishing lesson packs: validate the lessons, zip them with a signed manifest, record them.

Packs are numbered 1, 2, 3…; kiosks install the newest. The file is written under a temporary
name and renamed, and recorded only after that, so a kiosk never sees a half-written pack.

The pack's bytes are also kept in the database (``lesson_packs.data``), so several hub processes
on one database serve the same packs whatever their data folders: a process that lacks a pack's
file writes it from the database (temporary name, rename, checked against its SHA-256) the first
time a kiosk asks for it (``pack_path``).
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from pathlib import Path

from sqlalchemy import Connection, Engine, func, select

from kiosk.hub.database import now_iso, write_transaction
from kiosk.hub.keys import HubKeys
from kiosk.hub.schema import lesson_packs
from kiosk.lessons.check_age import CheckAge, check_age_from_document, check_ages
from kiosk.lessons.library import LESSON_FILE, lesson_folders, load_library, validate_path
from kiosk.lessons.validation import link_policy_summary
from kiosk.sync.pack_format import (FORMAT, FORMAT_VERSION, LESSONS_ROOT, MANIFEST, SIGNATURE,
                                    file_digest)


class PublishError(Exception):
    """The lessons were not published; ``str()`` lists what is wrong in plain words."""


def publish(engine: Engine, keys: HubKeys, packs_dir: Path, source: Path) -> dict:
    """Sign and publish the lesson folder, or folder of lesson folders, at ``source``.

    Returns the pack's row (``version``, ``file_name``, ``sha256``, ``size``, ``lessons``,
    ``published_at``). Raises ``PublishError`` (nothing published) if any lesson has a problem,
    a verified link off the official allow-list included (DESIGN.md invariant 11).
    """
    checked, problems = validate_path(source)
    if problems:
        links = link_policy_summary(problems)
        raise PublishError("the lessons have problems, nothing was published:\n"
                           + (f"{links}.\n" if links else "")
                           + "\n".join(str(p) for p in problems))
    with write_transaction(engine) as connection:  # one publisher at a time picks the number
        return publish_members(connection, keys, packs_dir, *folder_members(source))


def folder_members(source: Path) -> tuple[list[str], dict[str, bytes]]:
    """The lesson ids under ``source`` and the pack members (name → bytes) holding them."""
    folders = lesson_folders(source)
    members = {}
    for folder in folders:
        for file in sorted(p for p in folder.rglob("*") if p.is_file()):
            name = f"{LESSONS_ROOT}/{folder.name}/{file.relative_to(folder).as_posix()}"
            members[name] = file.read_bytes()
    return [folder.name for folder in folders], members


def publish_members(connection: Connection, keys: HubKeys, packs_dir: Path,
                    lesson_ids: list[str], members: dict[str, bytes]) -> dict:
    """Sign and record a pack of already validated lessons (``members``: name under
    ``lessons/ID/`` → bytes) as the next pack, inside the caller's write transaction.

    Returns the pack's row, as ``publish`` does. Raises ``OSError`` if ``packs_dir`` cannot be
    written (then roll the transaction back: nothing is recorded)."""
    packs_dir.mkdir(parents=True, exist_ok=True)
    version = connection.execute(
        select(func.coalesce(func.max(lesson_packs.c.version), 0))).scalar_one() + 1
    final = packs_dir / f"lessons-{version}.zip"
    size, sha256 = _write_members(final, lesson_ids, members, version, keys)
    row = {"version": version, "file_name": final.name, "sha256": sha256, "size": size,
           "lessons": len(lesson_ids), "published_at": now_iso()}
    connection.execute(lesson_packs.insert().values(**row, data=final.read_bytes()))
    return row


def _write_pack(final: Path, source: Path, version: int, keys: HubKeys) -> tuple[int, str]:
    """Write the pack of the lessons under ``source`` to ``final``: ``(size, SHA-256)``."""
    return _write_members(final, *folder_members(source), version, keys)


def _write_members(final: Path, lesson_ids: list[str], members: dict[str, bytes], version: int,
                   keys: HubKeys) -> tuple[int, str]:
    manifest = json.dumps({
        "format": FORMAT, "format_version": FORMAT_VERSION, "version": version,
        "hub_id": keys.hub_id, "created_at": now_iso(),
        "lessons": lesson_ids,
        "files": {name: file_digest(data) for name, data in members.items()},
    }, ensure_ascii=False, indent=1).encode("utf-8")
    temporary = final.with_suffix(".tmp")
    with open(temporary, "wb") as out:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as pack:
            pack.writestr(MANIFEST, manifest)
            pack.writestr(SIGNATURE, keys.sign(manifest))
            for name, data in members.items():
                pack.writestr(name, data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, final)
    data = final.read_bytes()
    return len(data), hashlib.sha256(data).hexdigest()


def _write_atomically(final: Path, data: bytes) -> None:
    final.parent.mkdir(parents=True, exist_ok=True)
    temporary = final.with_name(f".{final.name}.{os.getpid()}.tmp")
    with open(temporary, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, final)


_ROW = [c for c in lesson_packs.c if c.name != "data"]


def current_pack(engine: Engine) -> dict | None:
    """The newest pack's row (without its bytes), or ``None`` when none was published."""
    with engine.connect() as connection:
        row = connection.execute(select(*_ROW).order_by(
            lesson_packs.c.version.desc()).limit(1)).mappings().first()
    return dict(row) if row else None


def pack_path(engine: Engine, packs_dir: Path, version: int) -> Path | None:
    """The file of pack ``version`` in ``packs_dir`` (written there from the database when this
    process lacks it), or ``None`` if there is no such pack, or its file is gone and the
    database holds no intact copy. Raises ``OSError`` when ``packs_dir`` cannot be written."""
    if not 0 < version < 2**31:
        return None
    with engine.connect() as connection:
        row = connection.execute(select(lesson_packs.c.file_name, lesson_packs.c.sha256).where(
            lesson_packs.c.version == version)).first()
        if row is None:
            return None
        path = packs_dir / row.file_name
        if path.is_file():
            return path
        data = connection.execute(select(lesson_packs.c.data).where(
            lesson_packs.c.version == version)).scalar_one_or_none()
    if data is None or hashlib.sha256(data).hexdigest() != row.sha256:
        return None  # published before packs were kept in the database, by another process
    _write_atomically(path, bytes(data))
    return path


MAX_LESSON_FILE_BYTES = 2 * 1024 * 1024


def lesson_check_ages(engine: Engine, packs_dir: Path) -> tuple[int | None, list[CheckAge]]:
    """How long ago each lesson kiosks receive was checked: those of the newest pack, or the
    bundled lessons when none is published (version ``None``). Oldest first. A pack file that
    cannot be read gives the bundled lessons too; never raises for a bad file."""
    newest = current_pack(engine)
    if newest:
        try:
            path = pack_path(engine, packs_dir, newest["version"])
            if path:
                return newest["version"], _pack_check_ages(path)
        except (OSError, zipfile.BadZipFile, ValueError, KeyError, TypeError):
            pass
    return None, check_ages(load_library().lessons)


def _pack_check_ages(path: Path) -> list[CheckAge]:
    ages = []
    with zipfile.ZipFile(path) as pack:
        for info in pack.infolist():
            parts = info.filename.split("/")
            if len(parts) != 3 or parts[0] != LESSONS_ROOT or parts[2] != LESSON_FILE:
                continue
            if info.file_size > MAX_LESSON_FILE_BYTES:
                continue
            doc = json.loads(pack.read(info).decode("utf-8"))
            ages.append(check_age_from_document(str(doc.get("id", parts[1])), doc.get("title") or {},
                                                doc.get("checked_on")))
    return sorted(ages, key=lambda a: (a.days is not None, -(a.days or 0), a.lesson_id))
