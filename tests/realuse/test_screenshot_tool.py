"""``kiosk screenshot`` run as a process, its pictures read back with a QR decoder (zbarimg).

The finish screen of a lesson must carry QR codes of that lesson's verified links only (a
lesson without links: none at all), lessons installed from a pack must be drawn, and a failure
must end with a plain message and a non-zero status, never a traceback.
"""

import json
import os
import shutil
import subprocess
import sys

import pytest

from kiosk.lessons.installed import installed_library
from kiosk.lessons import BUNDLED_DIR

TIMEOUT_S = 400


def _screenshot(data_dir, out):
    command = [sys.executable, "-m", "kiosk", "--data-dir", str(data_dir), "screenshot",
               "--out", str(out), "--lang", "vi"]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(command + ["--size", "1366x768"], capture_output=True, text=True,
                          timeout=TIMEOUT_S, env=env)
    if done.returncode == 2 and "--size" in done.stderr:  # an older kiosk: both sizes
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S,
                              env=env)
    return done


def _qr_urls(picture) -> set[str]:
    found = subprocess.run(["zbarimg", "-q", "--raw", "-Sdisable", "-Sqrcode.enable", str(picture)],
                           capture_output=True,
                           text=True, timeout=60)
    return set(found.stdout.split())


@pytest.fixture
def pack_data_dir(tmp_path):
    """A data folder with one extra lesson installed from a pack."""
    data = tmp_path / "data"
    lesson = data / "lessons" / "current" / "safety-scams-local"
    shutil.copytree(BUNDLED_DIR / "safety-scams", lesson)
    doc = json.loads((lesson / "lesson.json").read_text(encoding="utf-8"))
    doc["id"] = "safety-scams-local"
    (lesson / "lesson.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return data


def test_screenshots_show_each_lessons_own_qr_codes_and_pack_lessons(pack_data_dir, tmp_path):
    if shutil.which("zbarimg") is None:
        pytest.skip("needs zbarimg (Debian: zbar-tools)")
    out = tmp_path / "shots"
    done = _screenshot(pack_data_dir, out)
    problems = []
    if "Traceback" in done.stderr:
        problems.append("a traceback was printed: " + done.stderr.strip().splitlines()[-1])
    if done.returncode:
        problems.append(f"exit status {done.returncode}")
    folder = out / "1366x768" / "vi"
    library = installed_library(pack_data_dir)
    if not list(folder.glob("*-safety-scams-local-intro.png")):
        problems.append("the lesson installed from a pack is not drawn")
    for lesson in library.lessons:
        finish = next(folder.glob(f"*-{lesson.id}-finish.png"), None)
        wanted = {link.url for link in lesson.verified_links}
        if finish is not None and _qr_urls(finish) != wanted:
            problems.append(f"{lesson.id} finish shows QR codes {sorted(_qr_urls(finish))}, "
                            f"its links are {sorted(wanted)}")
    assert not problems, "\n" + "\n".join(problems)


def test_a_failing_screenshot_run_says_so_and_exits_non_zero(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the output folder should go", encoding="utf-8")
    done = _screenshot(tmp_path / "data", blocker)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert "screenshots failed" in done.stderr
