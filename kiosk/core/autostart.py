"""Start the full-screen kiosk when its user logs in (``kiosk autostart --enable/--disable``).

Linux: an XDG autostart entry, ``$XDG_CONFIG_HOME/autostart/kiosk.desktop`` (``~/.config`` by
default), which every freedesktop session (GNOME, KDE, Xfce, LXQt, openbox with a session
manager) starts at login. Windows: a shortcut in the user's Startup folder,
``%APPDATA%\\Microsoft\\Windows\\Start Menu\\Programs\\Startup\\kiosk.lnk``, pointing at the
console-less ``kiosk-gui.exe``. Either way the command is the kiosk installed beside the running
Python (so the right virtual environment starts), with ``--fullscreen`` and the data folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from kiosk.locale import ui_text

ENTRY_NAME = "kiosk"


@dataclass(frozen=True)
class Autostart:
    """Where the login entry lives and what it starts."""

    path: Path
    command: list[str]


def autostart_plan(data_dir: Path | None = None, *, platform: str | None = None,
                   environ: dict | None = None) -> Autostart:
    """The login entry's path and command for ``platform`` (``sys.platform`` by default).
    Pure: touches nothing."""
    platform = platform or sys.platform
    environ = os.environ if environ is None else environ
    windows = platform.startswith("win")
    command = [str(_kiosk_program(windows))]
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    command += [] if windows else ["run"]  # kiosk-gui.exe is already `kiosk run`
    command += ["--fullscreen"]
    if windows:
        startup = Path(environ.get("APPDATA", Path.home() / "AppData" / "Roaming"))
        folder = startup / "Microsoft" / "Windows" / "Start Menu" / "Programs" / "Startup"
        return Autostart(folder / f"{ENTRY_NAME}.lnk", command)
    config = environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Autostart(Path(config) / "autostart" / f"{ENTRY_NAME}.desktop", command)


def enable(data_dir: Path | None = None, *, platform: str | None = None,
           environ: dict | None = None, run=subprocess.run) -> Autostart:
    """Register the kiosk to start at login, replacing an older entry; returns what was
    written. Raises ``OSError`` if the entry cannot be written (or the shortcut not made)."""
    plan = autostart_plan(data_dir, platform=platform, environ=environ)
    plan.path.parent.mkdir(parents=True, exist_ok=True)
    if plan.path.suffix == ".lnk":
        result = run(windows_shortcut_command(plan), capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            raise OSError(f"could not make the shortcut {plan.path}: {result.stderr.strip()}")
        return plan
    temporary = plan.path.with_suffix(".tmp")
    temporary.write_text(desktop_entry(plan.command), encoding="utf-8")
    os.replace(temporary, plan.path)
    return plan


def disable(*, platform: str | None = None, environ: dict | None = None) -> Path | None:
    """Remove the login entry; returns its path, or ``None`` if there was none."""
    plan = autostart_plan(platform=platform, environ=environ)
    try:
        plan.path.unlink()
    except FileNotFoundError:
        return None
    return plan.path


def desktop_entry(command: list[str]) -> str:
    """An XDG autostart ``.desktop`` entry that runs ``command`` (quoted per the spec)."""
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        f"Name={ui_text('app.name', 'en')}",
        f"Name[vi]={ui_text('app.name', 'vi')}",
        f"Exec={' '.join(_exec_quote(part) for part in command)}",
        "Terminal=false",
        "X-GNOME-Autostart-enabled=true",
        "",
    ])


def windows_shortcut_command(plan: Autostart) -> list[str]:
    """The PowerShell command that makes the Startup-folder shortcut for ``plan``."""
    target, *arguments = plan.command

    def quoted(text: str) -> str:  # a PowerShell single-quoted string
        return "'" + text.replace("'", "''") + "'"

    script = (f"$s = (New-Object -ComObject WScript.Shell).CreateShortcut({quoted(str(plan.path))}); "
              f"$s.TargetPath = {quoted(target)}; "
              f"$s.Arguments = {quoted(subprocess.list2cmdline(arguments))}; "
              f"$s.WorkingDirectory = {quoted(str(Path(target).parent))}; $s.Save()")
    return ["powershell", "-NoProfile", "-NonInteractive", "-Command", script]


def _kiosk_program(windows: bool) -> Path:
    """The ``kiosk`` (Linux) or ``kiosk-gui.exe`` (Windows) installed with this Python."""
    folder = Path(sys.executable).parent
    return folder / "kiosk-gui.exe" if windows else folder / "kiosk"


def _exec_quote(part: str) -> str:
    """One argument of a desktop entry's Exec key: quoted when needed, ``%`` doubled."""
    part = part.replace("%", "%%")
    if not any(ch in part for ch in ' \t\n"\'\\><~|&;$*?#()`'):
        return part
    for ch in ("\\", '"', "`", "$"):
        part = part.replace(ch, "\\" + ch)
    return f'"{part}"'
