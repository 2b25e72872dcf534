"""The command-line contract in DESIGN.md, run as a user would run it."""

import json
import subprocess
import sys

from kiosk.cli import main
from kiosk.lessons import BUNDLED_DIR


def run_cli(*args, data_dir=None):
    command = [sys.executable, "-m", "kiosk"]
    if data_dir:
        command += ["--data-dir", str(data_dir)]
    return subprocess.run(command + list(args), capture_output=True, text=True, timeout=120)


def test_lessons_list_json_shape(data_dir, capsys):
    assert main(["lessons", "list", "--json"]) == 0
    lessons = json.loads(capsys.readouterr().out)["lessons"]
    assert len(lessons) >= 7
    assert set(lessons[0]) == {"id", "app", "title", "version", "steps"}


def test_lessons_validate_exit_codes(tmp_path, capsys):
    assert main(["lessons", "validate", str(BUNDLED_DIR)]) == 0
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "lesson.json").write_text('{"format": 1, "id": "broken"}', encoding="utf-8")
    assert main(["lessons", "validate", str(broken)]) == 1
    out = capsys.readouterr().out
    assert "broken/lesson.json: title: missing" in out
    assert main(["lessons", "validate", str(tmp_path / "nowhere")]) == 1


def test_status_json_has_the_contract_fields(tmp_path):
    result = run_cli("status", "--json", data_dir=tmp_path)
    status = json.loads(result.stdout)
    for key in ("device_id", "data_dir", "db_path", "sessions", "lesson_runs", "unsent",
                "last_sync_ok_at", "lesson_pack_version"):
        assert key in status
    assert status["data_dir"] == str(tmp_path.resolve())


def test_check_passes_then_reports_a_damaged_file(tmp_path):
    assert run_cli("check", data_dir=tmp_path).returncode == 0
    (tmp_path / "kiosk.db").write_bytes(b"this is not a database" * 100)
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"kiosk.db{suffix}").unlink(missing_ok=True)
    result = run_cli("check", data_dir=tmp_path)
    assert result.returncode == 1
    assert "cannot be opened" in result.stdout
    assert "Traceback" not in result.stderr


def test_screenshot_writes_every_screen(tmp_path, data_dir):
    from kiosk.lessons.library import load_library
    from kiosk.ui.screenshots import write_screenshots

    written = write_screenshots(tmp_path / "shots", data_dir, ("vi",), sizes=((1366, 768),))
    steps = sum(len(lesson.steps) for lesson in load_library().lessons)
    names = [path.name for path in written]
    assert sum("-step" in name for name in names) == steps
    assert any("welcome" in name for name in names) and any("finish" in name for name in names)
    assert all(path.stat().st_size > 5000 for path in written)
