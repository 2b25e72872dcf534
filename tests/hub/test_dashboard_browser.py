"""The dashboard in a real browser: Debian's headless Chromium, driven by Playwright, against a
real hub on 127.0.0.1 with seeded data. Signs in, filters by help point and period, downloads
the workbook and checks its numbers against the report; takes screenshots of every page.

Set ``KIOSK_DASHBOARD_SHOTS=DIR`` to keep the screenshots (1366×768, vi and en) for a look.
"""

from __future__ import annotations

import io
import os
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import update

from kiosk.hub.dashboard.users import add_user
from kiosk.hub.schema import devices

from tests.hub.dashboard_seed import PERIOD, POINTS, seed_hub

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
ADMIN = ("Chị Lan", "mật khẩu của Lan 2025")

if CHROMIUM is None:
    if os.environ.get("CI"):
        pytest.fail("chromium is missing: scripts/setup.sh installs Debian's chromium package",
                    pytrace=False)
    pytestmark = pytest.mark.skip(reason="Debian's chromium is not installed "
                                         "(apt-get install chromium, or bash scripts/setup.sh)")


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _seeded_hub(live_hub, tmp_path):
    add_user(live_hub.engine, ADMIN[0], "admin", ADMIN[1])
    seeded = seed_hub(live_hub.engine, tmp_path / "kiosks", points=POINTS,
                      sessions_per_point=45, runs_per_point=15)
    quiet = (datetime.now(timezone.utc) - timedelta(days=5)).isoformat(timespec="milliseconds")
    with live_hub.engine.begin() as connection:  # one kiosk silent for days, one behind
        connection.execute(update(devices).where(devices.c.point == POINTS[2])
                           .values(last_seen_at=quiet))
        connection.execute(update(devices).where(devices.c.point == POINTS[3])
                           .values(kiosk_last_seq=devices.c.acknowledged_seq + 37))
    return seeded


def test_sign_in_filter_and_download_the_workbook(live_hub, browser, tmp_path):
    import openpyxl

    from kiosk.hub.reports import ward_report

    _seeded_hub(live_hub, tmp_path)
    shots = tmp_path / "shots"
    shots.mkdir()
    page = browser.new_page(viewport={"width": 1366, "height": 768}, accept_downloads=True,
                            locale="vi-VN")
    page.goto(f"{live_hub.url}/dashboard")
    assert page.url.startswith(f"{live_hub.url}/signin")
    page.screenshot(path=shots / "signin-vi.png")
    page.fill("input[name=name]", ADMIN[0])
    page.fill("input[name=password]", "not the password")
    page.click("form[action='/signin'] button")
    assert "không đúng" in page.inner_text("main")
    page.fill("input[name=name]", ADMIN[0])
    page.fill("input[name=password]", ADMIN[1])
    page.click("form[action='/signin'] button")
    page.wait_for_url("**/dashboard")

    start, end = PERIOD[0] + timedelta(days=4), PERIOD[1] - timedelta(days=6)
    page.fill("input[name=from]", start.isoformat())
    page.fill("input[name=to]", end.isoformat())
    page.select_option("select[name=point]", POINTS[1])
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/dashboard?*")
    with live_hub.engine.connect() as connection:
        report = ward_report(connection, start=start, end=end, point=POINTS[1])
    totals = report["totals"]
    assert 0 < totals["people_helped"] < 45
    shown = page.get_attribute("[data-k='totals.people_helped']", "data-v")
    assert int(shown) == totals["people_helped"]
    assert page.inner_text(".period").endswith(POINTS[1])
    page.screenshot(path=shots / "dashboard-point-vi.png", full_page=True)

    with page.expect_download() as waiting:
        page.click("a[href^='/dashboard/export/xlsx']")
    download = waiting.value
    assert download.suggested_filename.endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()),
                                  read_only=True)
    lines = {str(row[0]): row[1:] for row in book.worksheets[0].iter_rows(values_only=True)
             if row and row[0] is not None}
    from kiosk.reporting.figures import report_label

    for key in ("people_helped", "elderly_helped", "services", "lesson_runs", "help_requests"):
        assert lines[report_label(key)][0] == totals[key], key
    assert abs(lines[report_label("satisfaction_rate")][0] - totals["satisfaction_rate"]) < 1e-4
    _admin_uploads(page, live_hub, tmp_path, shots)
    _screenshots(page, live_hub.url, shots)


def _admin_uploads(page, hub, tmp_path: Path, shots: Path) -> None:
    """Publish a lesson zip and import a USB bundle (from a kiosk enrolled with ``hub``) through
    the browser's own file uploads."""
    from kiosk.core.db import connect
    from kiosk.sync.bundle import write_bundle

    from tests.hub.conftest import add_records, enrolled_offline

    url = hub.url
    from tests.hub.dashboard_helpers import lesson_zip

    archive = tmp_path / "bai-hoc-thang-6.zip"
    archive.write_bytes(lesson_zip(tmp_path))
    page.goto(url + "/dashboard/lessons?lang=vi")
    page.set_input_files("input[name=pack]", archive)
    page.click("form.card button[type=submit]")
    assert "Đã phát hành gói bài học số 1" in page.inner_text("main")
    page.screenshot(path=shots / "lessons-vi.png", full_page=True)

    (tmp_path / "usb-kiosk").mkdir()
    db = connect(tmp_path / "usb-kiosk" / "kiosk.db")
    enrolled_offline(db, hub.engine, hub.keys, point="Nhà văn hóa tổ 9")
    add_records(db, 30)
    bundle = write_bundle(db, tmp_path, help_point="Nhà văn hóa tổ 9").path
    db.conn.close()
    page.goto(url + "/dashboard/import")
    page.set_input_files("input[name=bundles]", [bundle])
    page.click("form.card button[type=submit]")
    assert page.get_attribute("[data-k=new]", "data-k") and \
        page.inner_text("[data-k=new]") == "30"
    page.screenshot(path=shots / "import-vi.png", full_page=True)


def _screenshots(page, url: str, shots: Path) -> None:
    """Every page at 1366×768 in both languages: for people to look at (KIOSK_DASHBOARD_SHOTS)."""
    month = f"from={PERIOD[0].isoformat()}&to={PERIOD[1].isoformat()}"
    for name, address in (("dashboard-vi", f"/dashboard?{month}&lang=vi"),
                          ("dashboard-en", f"/dashboard?{month}&lang=en"),
                          ("print-vi", f"/dashboard/print?{month}&lang=vi"),
                          ("kiosks-en", "/dashboard/kiosks?lang=en")):
        page.goto(url + address)
        assert page.locator("main").count() == 1
        page.screenshot(path=shots / f"{name}.png", full_page=True)
    page.goto(url + "/dashboard/kiosks?lang=vi")  # Vietnamese again, and remembered
    page.fill("input[name=point]", POINTS[0])
    page.click("form.card button[type=submit]")
    assert page.locator(".code").count() == 1
    page.screenshot(path=shots / "kiosks-vi.png", full_page=True)
    page.emulate_media(media="print")
    page.goto(url + f"/dashboard/print?{month}&lang=vi")
    page.pdf(path=str(shots / "print-vi.pdf"), format="A4", print_background=True)
    keep = os.environ.get("KIOSK_DASHBOARD_SHOTS")
    if keep:
        shutil.copytree(shots, keep, dirs_exist_ok=True)
