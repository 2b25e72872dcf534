"""From the studio to a kiosk: an admin builds a three-step lesson in a real browser on a real
hub (the real lesson store), publishes it, and an enrolled kiosk (a real ``kiosk sync --once``
process) lists it and draws its steps; the admin edits a step, publishes again and rolls back,
and the kiosk follows each time; a viewer cannot edit.

Runs when the hub's lesson store (``kiosk.hub.studio.store``) is installed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from kiosk.hub.dashboard.users import add_user
from kiosk.lessons.installed import installed_library
from kiosk.lessons.mockscreen import render_screen

from tests.hub.test_dashboard_browser import CHROMIUM, browser  # noqa: F401 (fixture)
from tests.hub.test_studio_browser import ADMIN, VIEWER, build_lesson, save, sign_in

pytest.importorskip("kiosk.hub.studio.store")
pytestmark = [pytest.mark.timeout(300),
              pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")]


def kiosk(data_dir, *args) -> subprocess.CompletedProcess:
    """The kiosk's own command line, as a separate process on ``data_dir``."""
    env = {**os.environ, "KIOSK_DATA_DIR": str(data_dir), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "kiosk", *args], env=env, capture_output=True,
                          text=True, timeout=120)


def complete_lesson(page) -> None:
    """Fill in what the kiosk's validator also asks of a lesson: its purpose, time, what to
    bring, the day it was checked and one source; then save."""
    page.fill("textarea[name='f:purpose.vi']", "Đăng nhập tài khoản định danh điện tử.")
    page.fill("textarea[name='f:purpose.en']", "Sign in to your e-ID account.")
    page.fill("input[name='f:minutes']", "5")
    page.fill("textarea[name='f:needs.0.vi']", "Điện thoại đã cài VNeID")
    page.fill("textarea[name='f:needs.0.en']", "A phone with VNeID installed")
    page.fill("input[name='f:checked_on']", "2026-11-26")
    save(page, "add:sources")
    for field, value in (("id", "vneid-guide"), ("title", "Hướng dẫn sử dụng VNeID"),
                         ("publisher", "Bộ Công an"), ("url", "https://vneid.gov.vn/"),
                         ("checked_on", "2026-11-26")):
        page.fill(f"input[name='f:sources.0.{field}']", value)
    save(page)
    assert page.locator("[data-k=problems]").get_attribute("data-v") == "0", \
        page.locator("[data-k=problem]").all_inner_texts()


def synced_lesson(data_dir, lesson_id: str) -> dict:
    """Sync once, then the lesson as the kiosk lists it (``kiosk lessons list --json``)."""
    synced = kiosk(data_dir, "sync", "--once", "--json")
    assert synced.returncode == 0, synced.stdout + synced.stderr
    listed = kiosk(data_dir, "lessons", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    found = [item for item in json.loads(listed.stdout)["lessons"] if item["id"] == lesson_id]
    assert found, f"{lesson_id} is not on the kiosk"
    return found[0]


def test_a_lesson_made_in_the_studio_reaches_a_kiosk(live_hub, browser, tmp_path):  # noqa: F811
    add_user(live_hub.engine, ADMIN[0], "admin", ADMIN[1])
    add_user(live_hub.engine, VIEWER[0], "viewer", VIEWER[1])
    data_dir = tmp_path / "kiosk"
    data_dir.mkdir()
    enrolled = kiosk(data_dir, "enroll", "--hub", live_hub.url, "--code", live_hub.code())
    assert enrolled.returncode == 0, enrolled.stderr
    page = sign_in(browser, live_hub.url, ADMIN)
    build_lesson(page, live_hub.url, "vneid-dang-nhap")
    complete_lesson(page)
    with page.expect_navigation():
        page.click("form[action$='/publish'] button")
    first = synced_lesson(data_dir, "vneid-dang-nhap")
    assert first["steps"] == 3
    lesson = installed_library(data_dir).lesson("vneid-dang-nhap")
    step = lesson.steps[1]
    image, box = render_screen(step.screen, language="vi", app_color="#c62828",
                               target=step.target)
    assert step.target == "dang-nhap" and box is not None and image.width > 0

    page.goto(f"{live_hub.url}/studio/lessons/vneid-dang-nhap")
    page.fill("textarea[name='f:steps.2.instruction.vi']", "Nhập mật khẩu rồi bấm Tiếp tục.")
    save(page)
    with page.expect_navigation():
        page.click("form[action$='/publish'] button")
    second = synced_lesson(data_dir, "vneid-dang-nhap")
    assert second["version"] != first["version"]
    edited = installed_library(data_dir).lesson("vneid-dang-nhap").steps[2].instruction["vi"]
    assert edited == "Nhập mật khẩu rồi bấm Tiếp tục."

    page.goto(f"{live_hub.url}/studio/lessons/vneid-dang-nhap/history")
    oldest = page.locator("[data-k=version]").all_inner_texts()[-1]
    with page.expect_navigation():
        page.click(f"form[action$='/republish']:has(input[value='{oldest}']) button")
    synced_lesson(data_dir, "vneid-dang-nhap")
    rolled = installed_library(data_dir).lesson("vneid-dang-nhap").steps[2].instruction["vi"]
    assert rolled == "Nhập mật khẩu."

    viewer = sign_in(browser, live_hub.url, VIEWER)
    viewer.goto(f"{live_hub.url}/studio/lessons/vneid-dang-nhap")
    assert viewer.locator("textarea[name='f:title.vi']").is_disabled()
    assert viewer.locator("form[action$='/publish']").count() == 0
