"""The command-line contract of DESIGN.md for the hub and for the kiosk's sync commands."""

import json
import subprocess
import sys

from kiosk.cli import main as kiosk_main
from kiosk.hub.cli import main as hub_main

from tests.hub.conftest import add_records


def _hub(*args, tmp_path, db_url=None):
    command = [sys.executable, "-m", "kiosk.hub", *args, "--data-dir", str(tmp_path / "hub")]
    if db_url:
        command += ["--db", db_url]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def test_enroll_code_json_shape(tmp_path, hub_db_url):
    result = _hub("enroll-code", "--point", "Tổ 9", "--json", tmp_path=tmp_path, db_url=hub_db_url)
    assert result.returncode == 0, result.stderr
    made = json.loads(result.stdout)
    assert {"code", "expires_at"} <= set(made) and len(made["code"]) == 24


def test_a_bad_database_address_is_plain_words(tmp_path):
    result = _hub("stats", "--json", tmp_path=tmp_path, db_url="mysql://nobody@nowhere/x")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "unsupported database" in result.stderr
    result = _hub("stats", tmp_path=tmp_path, db_url="postgresql://nobody@127.0.0.1:9/none")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "cannot open the hub database" in result.stderr


def test_enroll_sync_once_and_stats(live_hub, tmp_path, capsys, monkeypatch):
    kiosk_dir = tmp_path / "kiosk"
    kiosk_dir.mkdir()
    monkeypatch.setenv("KIOSK_DATA_DIR", str(kiosk_dir))
    assert kiosk_main(["sync", "--once", "--json"]) == 1  # not enrolled yet
    assert "not enrolled" in capsys.readouterr().err
    assert kiosk_main(["enroll", "--hub", live_hub.url, "--code", live_hub.code("Tổ 1")]) == 0
    assert live_hub.keys.hub_id in capsys.readouterr().out
    from kiosk.core.db import connect

    db = connect(kiosk_dir / "kiosk.db")
    add_records(db, 30, revisions=2)
    device = db.execute("SELECT value FROM settings WHERE key = 'device_id'").fetchone()[0]
    db.conn.close()
    assert kiosk_main(["sync", "--once", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["ok"] and result["sent"] == 60 and result["unsent"] == 0
    assert kiosk_main(["status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["unsent"] == 0 and status["last_sync_ok_at"] == result["last_ok_at"]
    assert hub_main(["stats", "--json", "--db", str(live_hub.engine.url.render_as_string(
        hide_password=False)), "--data-dir", str(tmp_path / "hub")]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["devices"][device] == {"sessions": 0, "lesson_runs": 30, "help_requests": 0,
                                        "last_seen_at": stats["devices"][device]["last_seen_at"]}


def test_sync_once_exits_1_when_the_hub_is_unreachable(tmp_path, capsys, monkeypatch,
                                                        live_hub):
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path))
    assert kiosk_main(["enroll", "--hub", live_hub.url, "--code", live_hub.code()]) == 0
    from kiosk.core.db import connect, set_setting

    db = connect(tmp_path / "kiosk.db")
    add_records(db, 2)
    with db.atomic():
        set_setting(db, "hub.hub_url", "http://127.0.0.1:9")
    db.conn.close()
    capsys.readouterr()
    assert kiosk_main(["sync", "--once", "--json"]) == 1
    result = json.loads(capsys.readouterr().out)
    assert result["unsent"] == 2 and "cannot reach the hub" in result["last_error"]


def test_publish_refuses_broken_lessons_and_accepts_good_ones(tmp_path, capsys):
    from kiosk.lessons import BUNDLED_DIR

    hub = ["--data-dir", str(tmp_path / "hub")]
    broken = tmp_path / "broken" / "x"
    broken.mkdir(parents=True)
    (broken / "lesson.json").write_text('{"format": 1, "id": "x"}', "utf-8")
    assert hub_main(["lessons", "publish", str(broken.parent), *hub]) == 1
    assert "nothing was published" in capsys.readouterr().err
    assert hub_main(["lessons", "publish", str(BUNDLED_DIR), "--json", *hub]) == 0
    row = json.loads(capsys.readouterr().out)
    assert row["version"] == 1 and row["lessons"] >= 7


def test_every_hub_command_is_in_the_readme():
    from pathlib import Path

    from kiosk.hub.cli import _parser
    from tests.test_docs import commands

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    listed = commands(_parser(), "kiosk-hub")
    assert len(listed) >= 6
    assert [command for command in listed if f"`{command}" not in readme] == []
