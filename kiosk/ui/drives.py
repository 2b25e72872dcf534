"""Removable drives an export may be written to, found with Qt's ``QStorageInfo``.

Looking at drives reads the system's mount table and asks each drive for its free space, which
can stall on a failing stick: call ``removable_drives`` and ``drive_for_folder`` on a worker
thread, never the UI thread. They return plain ``Drive`` values (no Qt objects).
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

# Where Linux desktops (udisks) and hand-made mounts put removable media.
LINUX_MEDIA_ROOTS = (Path("/media"), Path("/run/media"), Path("/mnt"))


@dataclass(frozen=True)
class Drive:
    """A folder to write a bundle into, with the name to show and its free space."""

    path: Path
    name: str
    free_bytes: int


def removable_drives() -> list[Drive]:
    """Mounted drives that are ready, writable and not the system's own disk, by name.

    On Linux only mounts under ``/media``, ``/run/media`` and ``/mnt`` count (everything else
    is the system's own), and a writable folder directly under ``/media/<user>`` or
    ``/run/media/<user>`` counts even if Qt does not report it as a mount.
    """
    from PySide6.QtCore import QStorageInfo  # QtCore only: safe off the UI thread

    found: dict[Path, Drive] = {}
    for volume in QStorageInfo.mountedVolumes():
        root = Path(volume.rootPath())
        if _usable(volume, root):
            found[root] = Drive(root, _name(volume.name(), root), volume.bytesAvailable())
    if sys.platform.startswith("linux"):
        for folder in _linux_media_folders():
            if folder not in found:
                found[folder] = drive_for_folder(folder)
    return sorted(found.values(), key=lambda drive: (drive.name.casefold(), str(drive.path)))


def drive_for_folder(folder: Path | str) -> Drive:
    """Any folder as a drive (tests, and folders the mount table does not show); a folder that
    is not there shows with no free space, and an export to it fails plainly."""
    path = Path(folder)
    try:
        free = shutil.disk_usage(path).free
    except OSError:
        free = 0
    return Drive(path, path.name or str(path), free)


def _usable(volume, root: Path) -> bool:
    if not (volume.isValid() and volume.isReady()) or volume.isReadOnly() or volume.isRoot():
        return False
    if sys.platform.startswith("linux"):
        return any(root.is_relative_to(media) and root != media for media in LINUX_MEDIA_ROOTS)
    if sys.platform == "darwin":
        return root.is_relative_to("/Volumes")
    system = os.environ.get("SystemDrive", "C:").rstrip("\\/").upper()
    return not str(root).upper().startswith(system) and os.access(root, os.W_OK)


def _name(label: str, root: Path) -> str:
    """"KINGSTON (E:)" on Windows, "KINGSTON" elsewhere; the folder when a drive has no label."""
    if sys.platform.startswith("win"):
        letter = str(root).rstrip("\\/")
        return f"{label} ({letter})" if label else letter
    return label or root.name or str(root)


def _linux_media_folders() -> list[Path]:
    """Writable folders one level below ``/media/<user>`` and ``/run/media/<user>``."""
    user = os.environ.get("USER") or os.environ.get("LOGNAME") or ""
    folders = []
    for media in LINUX_MEDIA_ROOTS[:2]:
        base = media / user if user else media
        try:
            children = [child for child in base.iterdir() if child.is_dir()]
        except OSError:
            continue
        folders += [child for child in children if os.access(child, os.W_OK)]
    return folders
