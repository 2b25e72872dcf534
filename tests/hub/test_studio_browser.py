"""The lesson studio in a real browser: Debian's headless Chromium, driven by Playwright,
against a real hub on 127.0.0.1. An admin creates a three-step lesson, sees a validation error
next to its field and fixes it, builds a mock screen and picks its target by clicking the
picture (the hub's own script), previews and publishes; a viewer sees the form but cannot edit.
Screenshots of the list, the editor with its picture and the funnel, in both languages, are
kept in ``artifacts/studio/``.

The lessons are kept by the in-memory store of ``studio_fake`` (the pages are what this tests);
the funnel is the hub's own, over lesson runs recorded by seeded kiosks.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn

from kiosk.hub.api import create_app
from kiosk.hub.dashboard.users import add_user
from kiosk.hub.studio.pages import FunnelFigures, Studio

from tests.hub.dashboard_seed import POINTS, seed_hub
from tests.hub.studio_fake import BUNDLED, FakeStore
from tests.hub.test_dashboard_browser import CHROMIUM, browser  # noqa: F401 (fixture)

pytestmark = [pytest.mark.timeout(240),
              pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")]
SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "studio"
ADMIN = ("Chị Lan", "mật khẩu của Lan 2025")
VIEWER = ("Anh Minh", "chỉ xem thôi 2025")


@pytest.fixture
def studio_hub(hub_engine, hub_keys, tmp_path):
    """A real hub with the studio's in-memory store, on 127.0.0.1; stopped after the test."""
    add_user(hub_engine, ADMIN[0], "admin", ADMIN[1])
    add_user(hub_engine, VIEWER[0], "viewer", VIEWER[1])
    seed_hub(hub_engine, tmp_path / "kiosks", points=POINTS[:2], sessions_per_point=4,
             runs_per_point=12)  # lesson runs of the bundled lesson, for its funnel
    app = create_app(hub_engine, hub_keys, packs_dir=tmp_path / "packs")
    app.state.studio = Studio(FakeStore(), FunnelFigures())
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.01)  # uvicorn only sets a flag (as tests/hub/conftest.py's live_hub)
    assert server.started, "the hub did not start"
    yield f"http://127.0.0.1:{sock.getsockname()[1]}", app
    server.should_exit = True
    thread.join(15)
    sock.close()


def sign_in(browser, url: str, user) -> object:
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    page.goto(f"{url}/signin?next=/dashboard")
    page.fill("input[name=name]", user[0])
    page.fill("input[name=password]", user[1])
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/dashboard"))
    return page


def save(page, op: str | None = None) -> None:
    """Press the editor's save button (or the button of ``op``) and wait for the new page."""
    button = f"button[name=op][value='{op}']" if op else ".save-bar button"
    with page.expect_navigation():
        page.click(button)


def build_lesson(page, url: str, lesson_id: str) -> None:
    """As an admin on ``/studio``: create ``lesson_id`` with three steps, see the missing
    English title marked and fix it, give step 2 a mock screen with a button and pick that
    button as the target by clicking the picture."""
    page.goto(f"{url}/studio?lang=vi")
    page.fill("input[name=id]", lesson_id)
    page.select_option("select[name=app]", "vneid")
    page.fill("input[name=title]", "Đăng nhập VNeID")
    with page.expect_navigation():
        page.click("form[action='/studio/new'] button")
    assert page.locator("[data-k=problem][data-v=title]").count() == 1  # English title missing
    page.fill("textarea[name='f:title.en']", "Sign in to VNeID")
    page.fill("textarea[name='f:steps.0.instruction.vi']", "Mở ứng dụng VNeID.")
    page.fill("textarea[name='f:steps.0.instruction.en']", "Open the VNeID app.")
    save(page, "add:steps")
    page.fill("textarea[name='f:steps.1.instruction.vi']", "Bấm Đăng nhập.")
    page.fill("textarea[name='f:steps.1.instruction.en']", "Tap Sign in.")
    save(page, "add:steps")
    page.fill("textarea[name='f:steps.2.instruction.vi']", "Nhập mật khẩu.")
    page.fill("textarea[name='f:steps.2.instruction.en']", "Type your password.")
    save(page, "add:steps.1.screen")
    page.select_option("select[name='new_type:steps.1.screen.elements']", "button")
    save(page, "add:steps.1.screen.elements")
    page.fill("input[name='f:steps.1.screen.elements.0.id']", "dang-nhap")
    page.fill("textarea[name='f:steps.1.screen.elements.0.label.vi']", "Đăng nhập")
    page.fill("textarea[name='f:steps.1.screen.elements.0.label.en']", "Sign in")
    save(page)
    area = page.locator("area[data-target=dang-nhap]")
    left, top, right, bottom = (int(v) for v in area.get_attribute("coords").split(","))
    picture = page.locator("img.phone").first
    picture.scroll_into_view_if_needed()
    box = picture.bounding_box()
    with page.expect_navigation():  # the script sets the target and saves
        page.mouse.click(box["x"] + (left + right) / 2, box["y"] + (top + bottom) / 2)
    assert page.input_value("input[name='f:steps.1.target']") == "dang-nhap"


def test_an_admin_builds_previews_and_publishes_a_lesson(studio_hub, browser):  # noqa: F811
    url, app = studio_hub
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = sign_in(browser, url, ADMIN)
    page.goto(f"{url}/studio")
    page.screenshot(path=SHOTS / "list-vi.png", full_page=True)
    page.goto(f"{url}/studio?lang=en")
    page.screenshot(path=SHOTS / "list-en.png", full_page=True)
    build_lesson(page, url, "vneid-dang-nhap")
    assert page.locator("[data-k=problems]").get_attribute("data-v") == "0"
    draft, _ = app.state.studio.store.get_draft(None, "vneid-dang-nhap")
    assert [len(draft["steps"]), draft["steps"][1]["target"]] == [3, "dang-nhap"]
    page.locator("#steps-1").screenshot(path=SHOTS / "editor-picture-vi.png")
    page.goto(f"{url}/studio/lessons/vneid-dang-nhap?lang=en")
    page.locator("#steps-1").screenshot(path=SHOTS / "editor-picture-en.png")
    for lang in ("vi", "en"):
        page.goto(f"{url}/studio/lessons/{BUNDLED}?lang={lang}")
        page.click("details.funnel summary")
        assert page.locator("details.funnel svg.funnel").count() == 1
        page.locator("details.funnel").screenshot(path=SHOTS / f"funnel-{lang}.png")
    assert page.locator("[data-k='funnel.step.1']").get_attribute("data-v") == "24"
    page.goto(f"{url}/studio/lessons/vneid-dang-nhap/preview?lang=vi")
    for number in (1, 2, 3):
        assert page.inner_text("[data-k='preview.step']") == f"Bước {number} / 3"
        if number < 3:
            page.click("[data-k='preview.next']")
    page.goto(f"{url}/studio/lessons/vneid-dang-nhap")
    with page.expect_navigation():
        page.click("form[action$='/publish'] button")
    assert page.locator("[data-k=version]").all_inner_texts() == ["1"]


def test_a_viewer_sees_the_lesson_but_cannot_edit(studio_hub, browser):  # noqa: F811
    url, _ = studio_hub
    page = sign_in(browser, url, VIEWER)
    page.goto(f"{url}/studio/lessons/vneid-activate")
    assert page.locator("textarea[name='f:title.vi']").is_disabled()  # the form, disabled
    assert page.locator("form[action$='/publish']").count() == 0
    page.evaluate("document.querySelector('fieldset.all').disabled = false")
    with page.expect_response(lambda answer: answer.request.method == "POST") as posted:
        page.evaluate("document.getElementById('editor').submit()")  # what a form hack sends
    assert posted.value.status == 403
