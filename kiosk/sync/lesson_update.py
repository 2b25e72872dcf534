"""Installing lesson packs from the hub: resumable download, verify, unpack, atomic switch.

Layout under ``data_dir/lessons``: ``current/`` (what the kiosk shows, over the bundled lessons),
``previous/`` (the version before, to fall back to), ``download/`` (packs being fetched, resumed
with HTTP Range), ``incoming/`` (a verified, unpacked pack about to become current). A pack is
installed only if the pinned hub key signed it, every file matches its checksum and every lesson
validates; otherwise it is refused with a plain reason and the current lessons stay
(DESIGN.md invariant 6). The switch is two renames; ``finish_interrupted_install`` completes one
that a crash cut in the middle, and runs before every update.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from kiosk.core.db import get_setting, set_setting
from kiosk.lessons.installed import packs_dir
from kiosk.lessons.library import validate_path
from kiosk.lessons.validation import link_policy_summary
from kiosk.sync.client import HubClient
from kiosk.sync.pack_format import LESSONS_ROOT, PackError, check_member_name, verify_pack

if TYPE_CHECKING:
    import sqlite_utils

PACK_INFO = "pack.json"  # written into an installed pack: its version and lessons


@dataclass(frozen=True)
class LessonUpdate:
    status: str          # "up_to_date", "installed", "refused", "held_back" or "none_published"
    version: int | None  # the pack concerned
    reason: str | None = None  # why a pack was refused, in plain words

    def as_json(self) -> dict:
        return asdict(self)


def update_lessons(db: sqlite_utils.Database, data_dir: Path, client: HubClient, *,
                   run_db: Callable | None = None) -> LessonUpdate:
    """Install the hub's newest pack if it is newer than the installed one and not already
    refused. Raises ``NotConnected``/``HubRefused`` for network trouble (a partial download is
    kept for next time); a bad pack is a ``refused`` result, never an exception."""
    run = run_db or (lambda step: step())
    finish_interrupted_install(data_dir)
    offer = client.current_lessons()
    if offer is None:
        return LessonUpdate("none_published", None)
    version, installed = offer["version"], installed_version(data_dir)
    if installed is not None and version <= installed:
        return LessonUpdate("up_to_date", installed)
    held_back = run(lambda: get_setting(db, "lessons.held_back"))
    if held_back and version <= int(held_back):
        return LessonUpdate("held_back", installed, "the admin went back to the previous lessons")
    refused = run(lambda: get_setting(db, "lessons.refused"))
    if refused and refused.split(" ", 1)[0] == f"{version}:{offer['sha256']}":
        return LessonUpdate("refused", version, refused.split(" ", 1)[1])
    downloads = packs_dir(data_dir) / "download"
    downloads.mkdir(parents=True, exist_ok=True)
    target = downloads / f"lessons-{version}.zip"
    client.download(offer["url"], target, size=offer["size"], sha256=offer["sha256"])
    key = run(lambda: get_setting(db, "hub.signing_key"))
    try:
        install_pack(data_dir, target, key, version=version)
    except PackError as error:
        reason = str(error)
        run(lambda: _remember(db, "lessons.refused", f"{version}:{offer['sha256']} {reason}"))
        return LessonUpdate("refused", version, reason)
    finally:
        target.unlink(missing_ok=True)
    run(lambda: _remember(db, "lesson_pack_version", str(version)))
    return LessonUpdate("installed", version)


def install_pack(data_dir: Path, pack: Path, signing_key: str | None, *,
                 version: int | None = None) -> dict:
    """Verify ``pack`` against ``signing_key`` (base64, the pinned hub key), unpack and validate
    it beside the current lessons, then make it current and keep the old one as previous.
    Returns the manifest. Raises ``PackError`` (nothing changed) for any problem."""
    if not signing_key:
        raise PackError("this kiosk has no hub key to check lesson packs: enroll it first")
    root = packs_dir(data_dir)
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=root))
    try:
        manifest = _unpack(pack, signing_key, version, staging)
        (staging / PACK_INFO).write_text(json.dumps({"version": manifest["version"],
                                                     "lessons": manifest["lessons"]}),
                                         encoding="utf-8")
        shutil.rmtree(root / "incoming", ignore_errors=True)
        staging.rename(root / "incoming")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    finish_interrupted_install(data_dir)
    return manifest


def _unpack(pack: Path, signing_key: str, version: int | None, staging: Path) -> dict:
    try:
        with zipfile.ZipFile(pack) as bundle:
            manifest = verify_pack(bundle, signing_key, version=version)
            for name in manifest["files"]:
                relative = check_member_name(name).relative_to(LESSONS_ROOT)
                target = staging.joinpath(*relative.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(bundle.read(name))
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise PackError(f"the lesson pack cannot be read: {error}") from None
    checked, problems = validate_path(staging)
    links = link_policy_summary(problems)
    if links:  # said first: a signed pack that would show a look-alike address as a QR code
        raise PackError(f"the lesson pack was refused, the current lessons stay: {links}: "
                        + "; ".join([str(p) for p in problems if p.breaks_link_policy][:5]))
    if problems or checked != len(manifest["lessons"]):
        raise PackError("the lesson pack has lessons with problems: "
                        + "; ".join(str(p) for p in problems[:5]))
    return manifest


def finish_interrupted_install(data_dir: Path) -> None:
    """Complete a switch to ``incoming`` (idempotent): previous ← current ← incoming."""
    root = packs_dir(data_dir)
    incoming, current, previous = root / "incoming", root / "current", root / "previous"
    if not incoming.is_dir():
        return
    if current.is_dir():
        shutil.rmtree(previous, ignore_errors=True)
        current.rename(previous)
    incoming.rename(current)


def installed_version(data_dir: Path, which: str = "current") -> int | None:
    """The version of the pack in ``lessons/current`` (or ``lessons/previous``, the one kept to
    fall back to), or ``None`` (bundled lessons only, or no previous pack)."""
    try:
        info = json.loads((packs_dir(data_dir) / which / PACK_INFO).read_text("utf-8"))
        return int(info["version"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def roll_back(db: sqlite_utils.Database, data_dir: Path) -> int | None:
    """Swap ``previous`` and ``current`` (the admin's "use the previous lessons"); returns the
    version now current, or raises ``PackError`` when there is no previous version. The version
    left is not installed again by later syncs; a newer one is."""
    root = packs_dir(data_dir)
    left = installed_version(data_dir)
    if not (root / "previous").is_dir():
        raise PackError("there is no previous lesson version to go back to")
    finish_interrupted_install(data_dir)
    shutil.rmtree(root / "incoming", ignore_errors=True)
    (root / "previous").rename(root / "incoming")
    finish_interrupted_install(data_dir)
    version = installed_version(data_dir)
    _remember(db, "lesson_pack_version", str(version) if version else "bundled")
    if left is not None:
        _remember(db, "lessons.held_back", str(left))
    return version


def _remember(db, key: str, value: str) -> None:
    with db.atomic():
        set_setting(db, key, value)
