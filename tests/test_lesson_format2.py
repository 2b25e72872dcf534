"""Format 2: sources and dates are required and checked; format 1 lessons upgrade to format 2."""

import json
import shutil
from datetime import date

import pytest

from kiosk.lessons import BUNDLED_DIR
from kiosk.lessons.library import validate_path
from kiosk.lessons.upgrade import CURRENT_FORMAT, upgrade

FILE = "vneid-activate/lesson.json"


def _write(folder, doc):
    (folder / "lesson.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


@pytest.fixture
def lesson(tmp_path):
    """A copy of a bundled lesson and its document, to break on purpose."""
    folder = tmp_path / "vneid-activate"
    shutil.copytree(BUNDLED_DIR / "vneid-activate", folder)
    return folder, json.loads((folder / "lesson.json").read_text(encoding="utf-8"))


def _found(folder):
    return {(p.file, p.step, p.field): p.message for p in validate_path(folder)[1]}


def test_the_current_format_is_2_and_bundled_lessons_use_it():
    assert CURRENT_FORMAT == 2
    for folder in BUNDLED_DIR.iterdir():
        if (folder / "lesson.json").is_file():
            assert json.loads((folder / "lesson.json").read_text("utf-8"))["format"] == 2


def test_upgrade_1_to_2_keeps_the_content_and_asks_for_sources(lesson):
    folder, doc = lesson
    old = {k: v for k, v in doc.items() if k not in ("sources", "checked_on")}
    old["format"] = 1
    new = upgrade(old)
    assert new["format"] == 2 and new["sources"] == [] and new["steps"] == doc["steps"]
    assert old["format"] == 1 and "sources" not in old  # the argument is not changed
    _write(folder, old)
    found = _found(folder)
    assert "at least one source" in found[(FILE, None, "sources")]
    assert "missing" in found[(FILE, None, "checked_on")]


def test_a_lesson_without_sources_is_refused(lesson):
    folder, doc = lesson
    doc["sources"] = []
    for step in doc["steps"]:
        step.pop("sources", None)
    _write(folder, doc)
    assert (FILE, None, "sources") in _found(folder)


def test_bad_sources_get_file_field_and_plain_message(lesson):
    folder, doc = lesson
    first = doc["sources"][0]
    doc["sources"] = [
        dict(first, id="Bad ID!"),
        dict(first, id="dup"), dict(first, id="dup"),
        dict(first, id="nourl", url="ftp://example.org/guide"),
        dict(first, id="future", checked_on="2999-01-01"),
        dict(first, id="notadate", checked_on="26/11/2026"),
        {"id": "bare", "colour": "red"},
    ]
    doc["checked_on"] = "2026-02-30"
    doc["steps"][1]["sources"] = ["dup", "no-such-source"]
    _write(folder, doc)
    found = _found(folder)
    assert (FILE, None, "sources[0].id") in found
    assert "used twice" in found[(FILE, None, "sources[2].id")]
    assert (FILE, None, "sources[3].url") in found
    assert "in the future" in found[(FILE, None, "sources[4].checked_on")]
    assert "YYYY-MM-DD" in found[(FILE, None, "sources[5].checked_on")]
    for field in ("title", "publisher", "url", "checked_on"):
        assert (FILE, None, f"sources[6].{field}") in found
    assert found[(FILE, None, "sources[6].colour")] == "unknown field"
    assert "YYYY-MM-DD" in found[(FILE, None, "checked_on")]
    assert "no-such-source" in found[(FILE, 2, "sources[1]")]
    assert (FILE, 2, "sources[0]") not in found


def test_a_good_source_on_a_step_is_accepted(lesson):
    folder, doc = lesson
    doc["steps"][0]["sources"] = [doc["sources"][0]["id"]]
    doc["checked_on"] = date.today().isoformat()
    _write(folder, doc)
    assert _found(folder) == {}
