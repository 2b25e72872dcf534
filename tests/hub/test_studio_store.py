"""The lesson studio's storage: drafts with optimistic concurrency, publishing as signed packs
kiosks install, history, diff and rollback, on SQLite and PostgreSQL."""

import copy

import pytest

from kiosk.hub.studio import drafts
from kiosk.hub.studio.store import (LessonExists, PublishProblems, StaleDraft,
                                    StudioError, UnknownLesson, create, diff, duplicate,
                                    get_draft, history, list_lessons, publish, republish,
                                    save_draft, validate)
from kiosk.lessons.library import load_library

from tests.hub.studio_helpers import install_newest, read, settings, write  # noqa: F401

LESSON = "etax-pay"


def test_every_bundled_lesson_is_listed_unedited(hub_engine):
    listed = {entry["id"]: entry for entry in read(hub_engine, list_lessons)}
    bundled = load_library().lessons
    assert set(listed) == {lesson.id for lesson in bundled}
    for lesson in bundled:
        entry = listed[lesson.id]
        assert (entry["origin"], entry["has_draft"], entry["revision"]) == ("bundled", False, 0)
        assert entry["version"] == lesson.version and entry["title"] == lesson.title
        assert entry["app"] == lesson.app and entry["checked_on"] == lesson.checked_on.isoformat()


def test_a_bundled_lesson_not_yet_edited_gives_its_packaged_content(hub_engine):
    lesson, revision = read(hub_engine, get_draft, LESSON)
    assert revision == 0 and lesson == drafts.packaged(LESSON)
    with pytest.raises(UnknownLesson):
        read(hub_engine, get_draft, "no-such-lesson")


def test_the_second_of_two_editors_is_told_and_nothing_is_overwritten(hub_engine):
    mine, revision = read(hub_engine, get_draft, LESSON)
    theirs = copy.deepcopy(mine)
    mine["purpose"]["vi"] = "Của tôi"
    theirs["purpose"]["vi"] = "Của người kia"
    assert write(hub_engine, save_draft, LESSON, mine, expected_revision=revision,
                 user="lan") == 1
    with pytest.raises(StaleDraft, match="lan"):
        write(hub_engine, save_draft, LESSON, theirs, expected_revision=revision, user="minh")
    kept, now = read(hub_engine, get_draft, LESSON)
    assert kept["purpose"]["vi"] == "Của tôi" and now == 1
    mine["minutes"] = 9                          # a row that exists: the same rule
    assert write(hub_engine, save_draft, LESSON, mine, expected_revision=1, user="lan") == 2
    with pytest.raises(StaleDraft):
        write(hub_engine, save_draft, LESSON, theirs, expected_revision=1, user="minh")
    entry = next(e for e in read(hub_engine, list_lessons) if e["id"] == LESSON)
    assert entry["has_draft"] and entry["revision"] == 2 and entry["updated_by"] == "lan"


def test_a_draft_keeps_its_id_and_must_be_an_object(hub_engine):
    lesson, _ = read(hub_engine, get_draft, LESSON)
    with pytest.raises(StudioError, match="id"):
        write(hub_engine, save_draft, LESSON, dict(lesson, id="other"), expected_revision=0,
              user="lan")
    with pytest.raises(StudioError):
        write(hub_engine, save_draft, LESSON, ["not", "a", "lesson"], expected_revision=0,
              user="lan")


def test_create_and_duplicate_make_hub_lessons_with_unused_ids(hub_engine):
    assert write(hub_engine, create, {"id": "my-lesson", "format": 2}, "lan") == 1
    with pytest.raises(LessonExists):
        write(hub_engine, create, {"id": "my-lesson"}, "minh")
    with pytest.raises(LessonExists):
        write(hub_engine, create, {"id": LESSON}, "minh")          # a bundled one
    with pytest.raises(StudioError, match="lower-case"):
        write(hub_engine, create, {"id": "Bad Id"}, "minh")
    assert write(hub_engine, duplicate, LESSON, "etax-pay-ward", "lan") == 1
    copied, revision = read(hub_engine, get_draft, "etax-pay-ward")
    assert revision == 1 and copied["id"] == "etax-pay-ward" and copied["version"] == "1.0"
    assert copied["steps"] == drafts.packaged(LESSON)["steps"]
    listed = {e["id"]: e for e in read(hub_engine, list_lessons)}
    assert listed["etax-pay-ward"]["origin"] == "hub" and listed["etax-pay-ward"]["has_draft"]
    assert listed["my-lesson"]["origin"] == "hub"


def test_validate_gives_paths_a_form_can_show():
    lesson = drafts.packaged(LESSON)
    assert validate(lesson) == []
    del lesson["steps"][1]["instruction"]["en"]
    lesson["steps"][0]["screen"]["elements"][0]["secret"] = True
    paths = {p.path: p.message for p in validate(lesson)}
    assert paths["steps[1].instruction.en"] == "missing or empty"
    element = lesson["steps"][0]["screen"]["elements"][0]["type"]
    if element != "field":
        assert "does not belong" in paths["steps[0].screen.elements[0].secret"]


def test_publish_raises_the_version_keeps_it_and_kiosks_install_it(hub_engine, settings,
                                                                   tmp_path):
    lesson, revision = read(hub_engine, get_draft, LESSON)
    bundled_version = lesson["version"]
    lesson["steps"][0]["instruction"]["vi"] = "Mở ứng dụng eTax Mobile (đã sửa)"
    write(hub_engine, save_draft, LESSON, lesson, expected_revision=revision, user="lan")
    version = write(hub_engine, publish, LESSON, "lan", settings)
    assert version == "2.1" if bundled_version == "2.0" else version != bundled_version
    [kept] = read(hub_engine, history, LESSON)
    assert (kept["number"], kept["version"], kept["published_by"]) == (1, version, "lan")
    assert kept["pack_version"] == 1 and kept["lesson"]["version"] == version
    library = install_newest(hub_engine, settings, tmp_path / "kiosk")
    shown = library.lesson(LESSON)
    assert shown.version == version
    assert shown.steps[0].instruction["vi"] == "Mở ứng dụng eTax Mobile (đã sửa)"
    entry = next(e for e in read(hub_engine, list_lessons) if e["id"] == LESSON)
    assert (entry["has_draft"], entry["published_version"]) == (False, version)


def test_a_lesson_with_problems_is_not_published_and_nothing_is_kept(hub_engine, settings):
    lesson, revision = read(hub_engine, get_draft, LESSON)
    lesson["links"] = [{"id": "x", "label": {"vi": "a", "en": "a"},
                        "url": "https://dichvucong-gov.vn", "verified": True}]
    write(hub_engine, save_draft, LESSON, lesson, expected_revision=revision, user="lan")
    with pytest.raises(PublishProblems) as refused:
        write(hub_engine, publish, LESSON, "lan", settings)
    assert [p.path for p in refused.value.problems] == ["links[0].url"]
    assert read(hub_engine, history, LESSON) == []
    assert read(hub_engine, get_draft, LESSON)[1] == 1         # the draft was not touched
    assert not list(settings.packs_dir.glob("*.zip"))


def test_history_diff_and_rollback_as_a_new_higher_version(hub_engine, settings, tmp_path):
    first = write(hub_engine, publish, LESSON, "lan", settings)
    lesson, revision = read(hub_engine, get_draft, LESSON)
    lesson["minutes"] = 25
    lesson["steps"][2]["tip"] = {"vi": "Mẹo mới", "en": "New tip"}
    write(hub_engine, save_draft, LESSON, lesson, expected_revision=revision, user="minh")
    second = write(hub_engine, publish, LESSON, "minh", settings)
    newest, oldest = read(hub_engine, history, LESSON)
    assert (oldest["version"], newest["version"]) == (first, second)
    changes = {c.path: (c.old, c.new) for c in diff(oldest["lesson"], newest["lesson"])}
    assert changes["version"] == (first, second)
    assert changes["minutes"][1] == 25
    assert changes["steps[2].tip.vi"][1] == "Mẹo mới"
    assert set(changes) <= {"version", "minutes", "steps[2].tip.vi", "steps[2].tip.en"}
    third = write(hub_engine, republish, LESSON, first, "lan", settings)
    assert [h["version"] for h in read(hub_engine, history, LESSON)] == [third, second, first]
    rolled = read(hub_engine, history, LESSON)[0]
    assert "rollback" in rolled["note"] and rolled["pack_version"] == 3
    assert {c.path for c in diff(oldest["lesson"], rolled["lesson"])} == {"version"}
    library = install_newest(hub_engine, settings, tmp_path / "kiosk")
    assert library.lesson(LESSON).version == third and library.lesson(LESSON).minutes != 25
    with pytest.raises(StudioError, match="no published version"):
        write(hub_engine, republish, LESSON, "0.1", "lan", settings)


def test_the_pack_carries_every_hub_lesson(hub_engine, settings, tmp_path):
    write(hub_engine, duplicate, LESSON, "etax-pay-ward", "lan")
    write(hub_engine, publish, "etax-pay-ward", "lan", settings)
    write(hub_engine, publish, "vneid-activate", "lan", settings)
    library = install_newest(hub_engine, settings, tmp_path / "kiosk")
    assert library.lesson("etax-pay-ward").version == "1.1"
    assert library.lesson("vneid-activate").version == drafts.packaged(
        "vneid-activate")["version"].rsplit(".", 1)[0] + "." + str(
        int(drafts.packaged("vneid-activate")["version"].rsplit(".", 1)[1]) + 1)
