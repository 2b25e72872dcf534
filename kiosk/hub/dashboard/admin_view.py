"""The admin pages: kiosks and enrollment codes, lesson packs, USB bundle import.

Each action calls the same function as the ``kiosk-hub`` command (``devices.make_code``,
``packs.publish``, ``imports.import_bundles``), so the browser and the command line cannot
behave differently. Pages for viewers show the lists without the forms; the routes refuse a
viewer's POST whatever the page showed.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from kiosk.hub.dashboard.render import number, t
from kiosk.hub.devices import device_rows
from kiosk.hub.wards import list_wards
from kiosk.lessons.library import LESSON_FILE, lesson_folders
from kiosk.locale import catalogue

MAX_ZIP_MEMBERS = 5000
MAX_ZIP_BYTES = 300 * 1024 * 1024  # inflated: refuses zip bombs


class UploadError(ValueError):
    """An uploaded file cannot be used; ``key`` is the catalogue label (``dash.<key>``) saying why."""

    def __init__(self, key: str):
        self.key = key
        super().__init__(key)


def kiosks_values(engine, lang: str, *, admin: bool, made: dict | None = None,
                  error: str | None = None, ward: str | None = None) -> dict:
    """What ``kiosks.html.j2`` shows: the code just made (if any), the form (admins) and every
    device of ``ward`` (``None``: a city account, which also chooses the new point's ward)."""
    devices = device_rows(engine, ward=ward)
    return {"devices": devices, "admin": admin, "made": made, "error": error,
            "points": sorted({row["point"] for row in devices if row["point"]}),
            "wards": list_wards(engine) if admin and ward is None else None,
            "clock": lambda row: _clock(row, lang)}


def _clock(row: dict, lang: str) -> str:
    offset = row.get("clock_offset_s")
    if offset is None:
        return "–"
    return t(lang, "clock_off", s=number(abs(round(offset)), lang)) if row["clock_off"] \
        else t(lang, "clock_ok")


def lessons_values(packs: list[dict], *, admin: bool, published: dict | None = None,
                   problems: str | None = None, error: str | None = None,
                   checks: tuple | None = None) -> dict:
    """What ``lessons.html.j2`` shows: the packs, the publish form (``admin``), the result of a
    publish, and ``checks`` = ``(pack version, [LessonCheckAge])``: lessons not checked for 180
    days are flagged for staff (residents never see this)."""
    return {"packs": packs, "admin": admin, "published": published, "problems": problems,
            "error": error, "checks": checks}


def import_values(lang: str, *, report: dict | None = None, error: str | None = None) -> dict:
    """What ``import.html.j2`` shows: the form and, after an import, each bundle's counts."""
    return {"report": report, "error": error,
            "reason": lambda reason: localised_reason(reason, lang)}


def localised_reason(reason: str | None, lang: str) -> str:
    """A bundle's refusal reason (English, from ``imports``) in ``lang`` when the catalogue has
    that sentence; otherwise as it is."""
    if not reason or lang == "en":
        return reason or ""
    for key, entry in catalogue().items():
        if key.startswith("bundle.error.") and entry.get("en") == reason:
            return entry.get(lang) or reason
    return reason


def safe_name(name: str | None, fallback: str) -> str:
    """The last part of an uploaded file's name, without anything that could leave a folder."""
    base = PurePosixPath((name or "").replace("\\", "/")).name
    base = "".join(c for c in base if c.isalnum() or c in "-_.")[:120].lstrip(".")
    return base or fallback


def unpack_lessons(archive: Path, into: Path) -> Path:
    """Unzip an uploaded lesson zip into ``into`` and return the folder to publish: the lesson
    folder, the folder of lesson folders, or the ``lessons/`` of a pack. Raises ``UploadError``
    for a file that is not a zip, too large when unpacked, or naming paths outside itself."""
    try:
        with zipfile.ZipFile(archive) as opened:
            members = opened.infolist()
            if len(members) > MAX_ZIP_MEMBERS or \
                    sum(m.file_size for m in members) > MAX_ZIP_BYTES:
                raise UploadError("zip_too_large")
            for member in members:
                parts = PurePosixPath(member.filename.replace("\\", "/")).parts
                if member.filename.startswith("/") or ".." in parts or ":" in member.filename:
                    raise UploadError("zip_unsafe")
                target = into.joinpath(*parts) if parts else into
                if member.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with opened.open(member) as source, open(target, "wb") as out:
                    shutil.copyfileobj(source, out)
    except (zipfile.BadZipFile, EOFError):
        raise UploadError("not_a_zip") from None
    return _lesson_root(into)


def _lesson_root(folder: Path) -> Path:
    for _ in range(4):
        if (folder / LESSON_FILE).exists() or lesson_folders(folder):
            return folder
        if (folder / "lessons").is_dir():
            folder = folder / "lessons"
            continue
        children = [c for c in folder.iterdir() if c.is_dir() and not c.name.startswith("__")]
        if len(children) != 1:
            break
        folder = children[0]
    return folder


def temporary_folder(prefix: str) -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix=f"kiosk-hub-{prefix}-")
