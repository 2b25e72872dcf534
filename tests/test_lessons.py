"""Lesson content and the validator: every bundled lesson is good; broken ones are explained."""

import json
import shutil

import pytest

from kiosk.lessons import BUNDLED_DIR
from kiosk.lessons.library import load_library, validate_path
from kiosk.lessons.official_links import official_hosts, official_link_problem
from kiosk.lessons.validation import LANGUAGES

LESSONS = load_library().lessons
EXPECTED_APPS = {"vneid", "vssid", "etax", "ihanoi", "dichvucong", "safety", "bank", "hocvuso"}


def test_every_bundled_lesson_validates():
    checked, problems = validate_path(BUNDLED_DIR)
    assert problems == []
    assert checked == len(LESSONS) >= 15


def test_bundled_lessons_cover_the_services_with_5_to_14_steps():
    assert EXPECTED_APPS <= {lesson.app for lesson in LESSONS}
    too_short_or_long = {lesson.id: len(lesson.steps) for lesson in LESSONS
                         if not 5 <= len(lesson.steps) <= 14}
    assert too_short_or_long == {}
    assert {"vneid-activate", "vneid-add-document"} <= {lesson.id for lesson in LESSONS}


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_every_verified_link_is_https_on_the_official_allow_list(lesson):
    for link in lesson.verified_links:
        assert official_link_problem(link.url) is None, link.url
        assert link.url.startswith("https://")


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_every_lesson_cites_its_sources_and_when_it_was_checked(lesson):
    assert lesson.sources and lesson.checked_on is not None
    ids = {source.id for source in lesson.sources}
    for source in lesson.sources:
        assert source.url.startswith(("https://", "http://")) and source.title and source.publisher
        assert source.checked_on <= lesson.checked_on
    for step in lesson.steps:
        assert set(step.sources) <= ids


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_no_lesson_sends_residents_to_a_district_office(lesson):
    text = json.dumps([s.instruction for s in lesson.steps] + lesson.elsewhere,
                      ensure_ascii=False).lower()
    for word in ("ra quận", "đến quận", "ubnd quận", "ubnd huyện", "công an quận"):
        assert word not in text


@pytest.fixture
def broken_lesson(tmp_path):
    folder = tmp_path / "vneid-activate"
    shutil.copytree(BUNDLED_DIR / "vneid-activate", folder)
    doc = json.loads((folder / "lesson.json").read_text(encoding="utf-8"))
    del doc["steps"][1]["instruction"]["en"]
    doc["steps"][2]["target"] = "no-such-button"
    doc["steps"][3]["screen"]["elements"][0]["type"] = "hologram"
    doc["links"][0]["url"] = "http://insecure.example"
    (folder / "lesson.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return folder


def test_a_broken_lesson_gets_every_problem_with_file_step_and_field(broken_lesson):
    _, problems = validate_path(broken_lesson)
    found = {(p.file, p.step, p.field) for p in problems}
    assert ("vneid-activate/lesson.json", 2, "instruction.en") in found
    assert ("vneid-activate/lesson.json", 3, "target") in found
    assert ("vneid-activate/lesson.json", 4, "screen.elements[0].type") in found
    assert ("vneid-activate/lesson.json", None, "links[0].url") in found
    assert "step 2: instruction.en: missing or empty" in [str(p).split(": ", 1)[1] for p in problems]


def test_invalid_json_and_unknown_format_are_reported(tmp_path):
    bad_json = tmp_path / "bad-json"
    bad_json.mkdir()
    (bad_json / "lesson.json").write_text("{ not json", encoding="utf-8")
    future = tmp_path / "future"
    future.mkdir()
    (future / "lesson.json").write_text('{"format": 99}', encoding="utf-8")
    _, problems = validate_path(tmp_path)
    messages = {p.file: p.message for p in problems}
    assert "not valid JSON" in messages["bad-json/lesson.json"]
    assert "unknown format 99" in messages["future/lesson.json"]


def test_a_broken_lesson_is_left_out_and_the_others_load(tmp_path, broken_lesson):
    pack = tmp_path / "pack"
    shutil.copytree(BUNDLED_DIR / "etax-pay", pack / "etax-pay")
    shutil.copytree(broken_lesson, pack / "vneid-activate")
    library = load_library(pack)
    assert [lesson.id for lesson in library.lessons] == ["etax-pay"]
    assert library.problems


def test_every_text_has_both_languages():
    for lesson in LESSONS:
        for step in lesson.steps:
            assert all(step.instruction[language].strip() for language in LANGUAGES)
