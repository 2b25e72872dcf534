"""Wards in a real browser (Debian's headless Chromium via Playwright, a real hub on loopback):
a ward viewer signs in and sees only their ward; a city viewer sees every ward and the city
page comparing them. Screenshots of the city page in both languages are kept in
``KIOSK_DASHBOARD_SHOTS=DIR`` when set.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.hub.dashboard_seed import PERIOD
from tests.hub.tenancy_seed import (PASSWORD, POINTS_A, SESSIONS_A, SESSIONS_B, WARD_A, WARD_B,
                                    seed_two_wards)
from tests.hub.test_dashboard_browser import CHROMIUM
from tests.hub.test_dashboard_browser import browser  # noqa: F401 (the fixture)
from kiosk.locale import ui_text

if CHROMIUM is None:
    if os.environ.get("CI"):
        pytest.fail("chromium is missing: scripts/setup.sh installs Debian's chromium package",
                    pytrace=False)
    pytestmark = pytest.mark.skip(reason="Debian's chromium is not installed")

QUERY = f"from={PERIOD[0].isoformat()}&to={PERIOD[1].isoformat()}"


def _signed_in(browser, hub_url: str, name: str):  # noqa: F811
    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page.goto(f"{hub_url}/dashboard?{QUERY}")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/signin'] button")
    page.wait_for_url("**/dashboard?*")
    return page


def test_a_ward_viewer_and_a_city_viewer_see_what_they_should(live_hub, browser,  # noqa: F811
                                                              tmp_path):
    wards = seed_two_wards(live_hub.engine, tmp_path / "kiosks")
    shots = Path(os.environ.get("KIOSK_DASHBOARD_SHOTS") or tmp_path / "shots")
    shots.mkdir(parents=True, exist_ok=True)

    ward = _signed_in(browser, live_hub.url, "a.viewer")
    assert ward.get_attribute("[data-k='totals.people_helped']", "data-v") == str(2 * SESSIONS_A)
    assert WARD_A in ward.inner_text("header")
    options = ward.eval_on_selector_all("select[name=point] option", "els => els.map(e => e.value)")
    assert sorted(filter(None, options)) == sorted(POINTS_A)
    assert ward.locator("nav.main a[href='/dashboard/city']").count() == 0
    for path in (f"/dashboard?{QUERY}", "/dashboard/kiosks"):
        ward.goto(live_hub.url + path)
        shown = ward.inner_text("body")
        assert not any(secret in shown for secret in wards.secrets_of_b()), path
    ward.goto(f"{live_hub.url}/dashboard/city?{QUERY}")
    assert ui_text("dash.city_only", "vi") in ward.inner_text("main")  # refused in plain words
    ward.screenshot(path=shots / "city-refused-ward-vi.png")
    ward.close()

    city = _signed_in(browser, live_hub.url, "city.viewer")
    assert city.get_attribute("[data-k='totals.people_helped']", "data-v") == \
        str(2 * SESSIONS_A + SESSIONS_B)
    city.click("nav.main a[href='/dashboard/city']")
    city.wait_for_url("**/dashboard/city*")
    city.goto(f"{live_hub.url}/dashboard/city?{QUERY}")
    for name, people in ((WARD_A, 2 * SESSIONS_A), (WARD_B, SESSIONS_B)):
        cell = city.locator(f"[data-k='ward.{name}.people_helped']")
        assert cell.get_attribute("data-v") == str(people) and cell.is_visible()
    table = city.locator("table.wards")
    box = table.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 1366  # no sideways scrolling
    city.screenshot(path=shots / "city-vi.png", full_page=True)
    city.goto(f"{live_hub.url}/dashboard/city?{QUERY}&lang=en")
    assert "Wards compared" in city.inner_text("main")
    city.screenshot(path=shots / "city-en.png", full_page=True)
    city.close()
    assert (shots / "city-en.png").stat().st_size > 10_000
