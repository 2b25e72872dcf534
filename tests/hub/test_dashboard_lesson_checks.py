"""The hub's lessons page shows how long ago each lesson kiosks receive was checked against
its sources, and flags those not checked for 180 days (staff only)."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date, timedelta

import pytest

from kiosk.hub.packs import lesson_check_ages, publish
from kiosk.lessons import BUNDLED_DIR
from kiosk.lessons.library import load_library
from kiosk.locale import ui_text

from tests.hub.dashboard_helpers import dashboard_app, signed_in


@pytest.fixture
def hub(hub_engine, hub_keys, tmp_path):
    app = dashboard_app(hub_engine, hub_keys, tmp_path / "packs")
    return app, signed_in(app)[0]


def test_without_a_pack_the_page_lists_the_bundled_lessons(hub, hub_engine, tmp_path):
    _, client = hub
    page = client.get("/dashboard/lessons").text
    shown = re.findall(r'data-k="lesson">([a-z0-9-]+)<', page)
    assert sorted(shown) == sorted(lesson.id for lesson in load_library().lessons)
    assert ui_text("dash.check_due", "vi") not in page


def test_a_published_lesson_checked_long_ago_is_flagged(hub, hub_engine, hub_keys, tmp_path):
    _, client = hub
    source = tmp_path / "src"
    for lesson_id, days in (("etax-pay", 200), ("vneid-activate", 3)):
        shutil.copytree(BUNDLED_DIR / lesson_id, source / lesson_id)
        doc_file = source / lesson_id / "lesson.json"
        doc = json.loads(doc_file.read_text("utf-8"))
        doc["checked_on"] = (date.today() - timedelta(days=days)).isoformat()
        doc_file.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    publish(hub_engine, hub_keys, tmp_path / "packs", source)
    version, ages = lesson_check_ages(hub_engine, tmp_path / "packs")
    assert version == 1
    assert [(a.lesson_id, a.days, a.stale) for a in ages] == [("etax-pay", 200, True),
                                                              ("vneid-activate", 3, False)]
    page = client.get("/dashboard/lessons").text
    assert re.findall(r'data-k="lesson">([a-z0-9-]+)<', page) == ["etax-pay", "vneid-activate"]
    assert re.findall(r'data-k="days">(\d+)<', page) == ["200", "3"]
    assert page.count(ui_text("dash.check_due", "vi")) == 1
    assert ui_text("dash.checks_due", "vi", count=1, n=1) in page
    english = client.get("/dashboard/lessons?lang=en").text
    assert ui_text("dash.check_due", "en") in english


def test_a_missing_pack_file_falls_back_to_the_bundled_lessons(hub_engine, hub_keys, tmp_path):
    source = tmp_path / "src"
    shutil.copytree(BUNDLED_DIR / "etax-pay", source / "etax-pay")
    row = publish(hub_engine, hub_keys, tmp_path / "packs", source)
    (tmp_path / "packs" / row["file_name"]).write_bytes(b"not a zip")
    version, ages = lesson_check_ages(hub_engine, tmp_path / "packs")
    assert version is None and len(ages) == len(load_library().lessons)
