"""A lesson as a zip of its folder (``ID/lesson.json`` and ``ID/images/…``): export, and an
import that treats the file as hostile.

Import caps the zip, the number of files, each file and the total actually inflated (a member's
declared size is not trusted), refuses names that climb out of the folder, encrypted members
and anything but the lesson file and PNG/JPEG pictures, checks every picture with Pillow and
validates the lesson before anything is stored. Every refusal is a ``StudioError`` in plain
words.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import PurePosixPath

from sqlalchemy import Connection

from kiosk.hub.studio import drafts
from kiosk.hub.studio.drafts import StudioError, get_draft
from kiosk.hub.studio.pictures import (MAX_PICTURE_BYTES, check_picture, has_picture,
                                       picture_bytes, picture_name, upload_picture)
from kiosk.hub.studio.publishing import (packaged_picture, problems_text, step_pictures,
                                         validate)
from kiosk.lessons.library import LESSON_FILE
from kiosk.lessons.upgrade import UnknownFormat, upgrade

MAX_ZIP_BYTES = 16 * 1024 * 1024
MAX_MEMBERS = 100
MAX_INFLATED_BYTES = 24 * 1024 * 1024
PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg")


class ImportRefused(StudioError):
    """The zip was not imported; nothing was stored. ``problems``: the lesson's, if it was read
    but does not validate."""

    def __init__(self, message: str, problems: list | None = None):
        super().__init__(message)
        self.problems = problems or []


def export_zip(conn: Connection, lesson_id: str) -> bytes:
    """The lesson's current draft as a zip of its folder, pictures included. Raises
    ``UnknownLesson``, or ``StudioError`` when a picture it names is missing."""
    lesson, _ = get_draft(conn, lesson_id)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{lesson_id}/{LESSON_FILE}", drafts.encode(lesson))
        for name in step_pictures(lesson):
            data = picture_bytes(conn, name) or packaged_picture(lesson_id, name)
            if data is None:
                raise StudioError(f"the picture {name} is missing")
            archive.writestr(f"{lesson_id}/{name}", data)
    return out.getvalue()


def import_zip(conn: Connection, data: bytes, user: str) -> dict:
    """Import a lesson folder zip: a new hub lesson, or a new draft of the lesson with that id.
    Returns ``{"id", "revision", "created"}``. Raises ``ImportRefused`` (with ``problems`` when
    the lesson does not validate) and stores nothing then."""
    files = _read_members(data)
    if LESSON_FILE not in files:
        raise ImportRefused(f"the zip holds no {LESSON_FILE}")
    lesson = _lesson_document(files.pop(LESSON_FILE))
    renamed = {}
    for name, content in files.items():
        try:
            extension = check_picture(content)[0]
        except StudioError as error:
            raise ImportRefused(f"{name}: {error}") from None
        renamed[name] = picture_name(hashlib.sha256(content).hexdigest(), extension)
    for step in lesson.get("steps") or []:
        if isinstance(step, dict) and step.get("image") in renamed:
            step["image"] = renamed[step["image"]]
    problems = validate(lesson, conn=conn, pictures=frozenset(renamed.values()))
    if problems:
        raise ImportRefused("the lesson has problems, nothing was imported:\n"
                            + problems_text(problems), problems)
    for content in files.values():
        upload_picture(conn, content, user)
    return _store(conn, lesson, user)


def _store(conn: Connection, lesson: dict, user: str) -> dict:
    lesson_id = lesson["id"]
    try:
        _, revision = get_draft(conn, lesson_id)
    except drafts.UnknownLesson:
        return {"id": lesson_id, "revision": drafts.create(conn, lesson, user), "created": True}
    revision = drafts.save_draft(conn, lesson_id, lesson, expected_revision=revision, user=user)
    return {"id": lesson_id, "revision": revision, "created": False}


def _read_members(data: bytes) -> dict[str, bytes]:
    """The zip's files by name inside the lesson folder, each read with a cap."""
    if len(data) > MAX_ZIP_BYTES:
        raise ImportRefused(f"the zip is larger than {MAX_ZIP_BYTES // (1024 * 1024)} MB")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise ImportRefused("this file is not a zip of a lesson folder") from None
    if len(infos) > MAX_MEMBERS:
        raise ImportRefused(f"the zip holds more than {MAX_MEMBERS} files")
    paths = {info.filename: _safe_parts(info.filename) for info in infos}
    kept = [parts for parts in paths.values() if parts]
    firsts = {parts[0] for parts in kept}
    strip = len(firsts) == 1 and firsts != {"images"} and all(len(p) > 1 for p in kept)
    files, total = {}, 0
    with archive:
        for info in infos:
            if not paths[info.filename]:
                continue
            name = _lesson_member(paths[info.filename][1 if strip else 0:], info.filename)
            if info.flag_bits & 0x1:
                raise ImportRefused("the zip is encrypted: export it again without a password")
            cap = drafts.MAX_LESSON_BYTES if name == LESSON_FILE else MAX_PICTURE_BYTES
            content = _read_capped(archive, info, cap, name)
            total += len(content)
            if total > MAX_INFLATED_BYTES:
                raise ImportRefused("the zip unpacks to more than "
                                    f"{MAX_INFLATED_BYTES // (1024 * 1024)} MB")
            if name in files:
                raise ImportRefused(f"the zip holds {name} twice")
            files[name] = content
    return files


def _safe_parts(raw: str) -> tuple[str, ...]:
    """The parts of a member's name; ``()`` for the operating system's clutter (``__MACOSX``,
    hidden files). Raises ``ImportRefused`` for absolute names or names that climb out."""
    if "\\" in raw or raw.startswith("/") or ":" in raw or any(ord(c) < 32 for c in raw):
        raise ImportRefused(f"the zip holds a file with an unsafe name: {raw!r}")
    parts = PurePosixPath(raw).parts
    if not parts or ".." in parts:
        raise ImportRefused(f"the zip holds a file with an unsafe name: {raw!r}")
    if parts[0] == "__MACOSX" or parts[-1].startswith("."):
        return ()
    return parts


def _lesson_member(parts: tuple[str, ...], raw: str) -> str:
    """``lesson.json`` or ``images/NAME.png|jpg``; anything else is refused."""
    name = "/".join(parts)
    if name == LESSON_FILE or (len(parts) == 2 and parts[0] == "images"
                               and name.lower().endswith(PICTURE_SUFFIXES)):
        return name
    raise ImportRefused(f"the zip holds {raw!r}: a lesson folder holds only {LESSON_FILE} and "
                        "PNG or JPEG pictures in images/")


def _read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int, name: str) -> bytes:
    try:
        with archive.open(info) as member:
            content = member.read(cap + 1)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise ImportRefused(f"{name} in the zip is damaged") from None
    if len(content) > cap:
        raise ImportRefused(f"{name} is larger than {cap // 1024} KB")
    return content


def _lesson_document(content: bytes) -> dict:
    try:
        document = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ImportRefused(f"{LESSON_FILE} is not valid JSON ({error})") from None
    if not isinstance(document, dict):
        raise ImportRefused(f"{LESSON_FILE} must hold one JSON object")
    try:
        return upgrade(document)
    except UnknownFormat as error:
        raise ImportRefused(f"{LESSON_FILE}: {error}") from None
