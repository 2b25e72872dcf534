"""`kiosk autostart`: the full-screen kiosk registered to start at login (XDG on Linux, the
Startup folder on Windows), and removed again."""

import configparser
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.core import autostart
from kiosk.cli import main
from kiosk.locale import ui_text

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def config_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("KIOSK_DATA_DIR", raising=False)
    return tmp_path / "config"


def read_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read_string(path.read_text(encoding="utf-8"))
    return parser["Desktop Entry"]


def test_enable_writes_an_xdg_entry_that_starts_this_kiosk_full_screen(config_home, tmp_path,
                                                                         capsys):
    data = tmp_path / "dữ liệu kiosk"
    assert main(["--data-dir", str(data), "autostart", "--enable"]) == 0
    entry = config_home / "autostart" / "kiosk.desktop"
    assert str(entry) in capsys.readouterr().out
    fields = read_entry(entry)
    assert fields["Type"] == "Application" and fields["Terminal"] == "false"
    assert fields["Name[vi]"] == ui_text("app.name", "vi")
    command = shlex.split(fields["Exec"])
    assert command == [str(Path(sys.executable).parent / "kiosk"), "--data-dir", str(data),
                       "run", "--fullscreen"]
    # The command it names parses as a real `kiosk run --fullscreen`.
    from kiosk.cli import _parser

    parsed = _parser().parse_args(command[1:])
    assert parsed.fullscreen and parsed.mode == "resident" and parsed.data_dir == str(data)


def test_enable_twice_keeps_one_entry_and_disable_removes_it(config_home, capsys):
    assert main(["autostart", "--enable"]) == 0
    assert main(["autostart", "--enable"]) == 0
    assert [p.name for p in (config_home / "autostart").iterdir()] == ["kiosk.desktop"]
    assert "--data-dir" not in read_entry(config_home / "autostart" / "kiosk.desktop")["Exec"]
    assert main(["autostart", "--disable"]) == 0
    assert not (config_home / "autostart" / "kiosk.desktop").exists()
    capsys.readouterr()
    assert main(["autostart", "--disable"]) == 0
    assert "nothing to remove" in capsys.readouterr().out


def test_one_of_enable_or_disable_is_required(config_home, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["autostart"])
    assert stop.value.code == 2 and not (config_home / "autostart").exists()


def test_an_unwritable_place_gives_plain_words(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "config"
    blocker.write_text("a file where the folder should be")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(blocker))
    assert main(["autostart", "--enable"]) == 1
    error = capsys.readouterr().err
    assert error.startswith("cannot enable autostart") and "Traceback" not in error


def test_windows_uses_a_startup_folder_shortcut_to_the_console_less_program(tmp_path):
    calls = []

    def fake_powershell(args, **kwargs):
        calls.append(args)
        return subprocess.CompletedProcess(args, 0, "", "")

    environ = {"APPDATA": str(tmp_path / "Roaming")}
    plan = autostart.enable(Path("C:/kiosk data"), platform="win32", environ=environ,
                            run=fake_powershell)
    assert plan.path == (tmp_path / "Roaming" / "Microsoft" / "Windows" / "Start Menu"
                         / "Programs" / "Startup" / "kiosk.lnk")
    assert Path(plan.command[0]).name == "kiosk-gui.exe"
    assert plan.command[1:] == ["--data-dir", str(Path("C:/kiosk data")), "--fullscreen"]
    script = calls[0][-1]
    assert calls[0][0] == "powershell" and "CreateShortcut" in script
    assert "kiosk-gui.exe" in script and '--data-dir "' in script and "--fullscreen" in script


def test_exec_quoting_follows_the_desktop_entry_spec():
    line = autostart.desktop_entry(["/opt/k i/kiosk", "--data-dir", '/d/100% "x"$'])
    exec_line = next(l for l in line.splitlines() if l.startswith("Exec="))
    assert exec_line == r'Exec="/opt/k i/kiosk" --data-dir "/d/100%% \"x\"\$"'
