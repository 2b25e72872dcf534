"""Lesson studio: pictures (capped, checked, stored once), a lesson as a zip of its folder
(export, import that treats the zip as hostile), and which version wins on a package upgrade."""

import io
import json
import shutil
import zipfile

import pytest
from PIL import Image

from kiosk.hub.schema import studio_lessons, studio_pictures
from kiosk.hub.studio import drafts
from kiosk.hub.studio.pictures import MAX_PICTURE_BYTES
from kiosk.hub.studio.store import (ImportRefused, StudioError, export_zip,
                                    get_draft, import_zip, list_lessons, picture_bytes, publish,
                                    save_draft, upload_picture)
from kiosk.hub.studio.transfer import MAX_INFLATED_BYTES
from kiosk.lessons import BUNDLED_DIR
from kiosk.lessons.library import load_library
from sqlalchemy import func, select

from tests.hub.studio_helpers import (install_newest, lesson_json, png, read,  # noqa: F401
                                      settings, write, zip_of)

LESSON = "etax-pay"


def _count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def _lesson_with_picture(name="images/step1.png", lesson_id="my-lesson") -> dict:
    lesson = drafts.packaged(LESSON)
    lesson["id"] = lesson_id
    step = lesson["steps"][0]
    step.pop("screen", None)
    step.pop("target", None)
    step["image"] = name
    return lesson


def test_a_picture_is_checked_and_stored_once_by_its_content(hub_engine):
    data = png()
    name = write(hub_engine, upload_picture, data, "lan")
    assert name.startswith("images/") and name.endswith(".png") and len(name) == 7 + 64 + 4
    assert write(hub_engine, upload_picture, data, "minh") == name
    assert _count(hub_engine, studio_pictures) == 1
    with hub_engine.connect() as conn:
        assert picture_bytes(conn, name) == data
        assert picture_bytes(conn, "../../etc/passwd") is None


@pytest.mark.parametrize("data,words", [
    (b"GIF89a not really", "not a picture"),
    (png()[:60], "not a picture"),
    (b"\x89PNG" + b"\0" * (MAX_PICTURE_BYTES + 1), "larger than"),
])
def test_bad_pictures_are_refused_in_plain_words(hub_engine, data, words):
    with pytest.raises(StudioError, match=words):
        write(hub_engine, upload_picture, data, "lan")
    assert _count(hub_engine, studio_pictures) == 0


def test_a_picture_bomb_is_refused_before_it_is_decoded(hub_engine):
    out = io.BytesIO()
    Image.new("1", (20000, 20000)).save(out, "PNG")     # 400 M pixels in a few KB
    assert len(out.getvalue()) < MAX_PICTURE_BYTES
    with pytest.raises(StudioError, match="too many pixels|not a picture"):
        write(hub_engine, upload_picture, out.getvalue(), "lan")


def test_export_then_import_gives_the_same_lesson_with_its_pictures(hub_engine, settings):
    picture = png(color=(10, 120, 40))
    zipped = zip_of({"my-lesson/lesson.json": lesson_json(_lesson_with_picture()),
                     "my-lesson/images/step1.png": picture})
    result = write(hub_engine, import_zip, zipped, "lan")
    assert result == {"id": "my-lesson", "revision": 1, "created": True}
    with hub_engine.connect() as conn:
        lesson, _ = get_draft(conn, "my-lesson")
        name = lesson["steps"][0]["image"]
        assert picture_bytes(conn, name) == picture
        exported = export_zip(conn, "my-lesson")
    with zipfile.ZipFile(io.BytesIO(exported)) as archive:
        assert sorted(archive.namelist()) == ["my-lesson/images/" + name[7:],
                                              "my-lesson/lesson.json"]
        assert json.loads(archive.read("my-lesson/lesson.json")) == lesson
    again = write(hub_engine, import_zip, exported, "minh")     # the same id: a new draft
    assert again == {"id": "my-lesson", "revision": 2, "created": False}
    assert _count(hub_engine, studio_pictures) == 1
    write(hub_engine, publish, "my-lesson", "lan", settings)    # pictures travel in the pack


def test_an_imported_lesson_with_a_picture_reaches_the_kiosk(hub_engine, settings, tmp_path):
    picture = png(color=(10, 20, 200))
    zipped = zip_of({"lesson.json": lesson_json(_lesson_with_picture()),   # no top folder
                     "images/step1.png": picture})
    write(hub_engine, import_zip, zipped, "lan")
    write(hub_engine, publish, "my-lesson", "lan", settings)
    library = install_newest(hub_engine, settings, tmp_path / "kiosk")
    step = library.lesson("my-lesson").steps[0]
    assert step.image.read_bytes() == picture


def _bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("x/lesson.json", lesson_json(drafts.packaged(LESSON)))
        for i in range(30):                                 # ~1 MB of zeros each, tiny packed
            archive.writestr(f"x/images/p{i}.png", b"\0" * (MAX_PICTURE_BYTES - 10))
    return out.getvalue()


def _lying_sizes() -> bytes:
    """A member whose header says 10 bytes but which inflates to 5 MB."""
    data = bytearray(zip_of({"lesson.json": b" " * (5 * 1024 * 1024)}))
    central = data.rfind(b"PK\x01\x02")
    data[central + 24:central + 28] = (10).to_bytes(4, "little")
    local = data.find(b"PK\x03\x04")
    data[local + 22:local + 26] = (10).to_bytes(4, "little")
    return bytes(data)


@pytest.mark.parametrize("make,words", [
    (lambda: b"not a zip at all", "not a zip"),
    (lambda: zip_of({"../evil/lesson.json": "{}"}), "unsafe name"),
    (lambda: zip_of({"/etc/lesson.json": "{}"}), "unsafe name"),
    (lambda: zip_of({"a\\..\\lesson.json": "{}"}), "unsafe name"),
    (lambda: zip_of({"x/lesson.json": "{}", "x/run.sh": "rm -rf /"}), "only lesson.json"),
    (lambda: zip_of({"x/images/a.png": png()}), "no lesson.json"),
    (lambda: zip_of({"x/lesson.json": "{not json"}), "not valid JSON"),
    (lambda: zip_of({"x/lesson.json": '{"format": 99}'}), "unknown format"),
    (lambda: zip_of({"x/lesson.json": lesson_json(_lesson_with_picture())}), "no such picture"),
    (lambda: zip_of({"x/lesson.json": lesson_json(_lesson_with_picture()),
                     "x/images/step1.png": b"not a png"}), "not a picture"),
    (lambda: zip_of({"x/lesson.json": lesson_json(dict(drafts.packaged(LESSON), minutes=0))}),
     "minutes"),
    (_bomb, "unpacks to more than"),
    (_lying_sizes, "larger than|damaged"),
    (lambda: zip_of({f"x/images/{i}.png": b"" for i in range(200)}), "more than 100 files"),
])
def test_a_hostile_or_broken_zip_is_refused_and_nothing_is_stored(hub_engine, make, words):
    with pytest.raises(ImportRefused, match=words):
        write(hub_engine, import_zip, make(), "lan")
    assert _count(hub_engine, studio_lessons) == 0
    assert _count(hub_engine, studio_pictures) == 0


def test_the_inflated_total_is_capped():
    assert MAX_INFLATED_BYTES < 30 * MAX_PICTURE_BYTES     # so _bomb really hits the cap


# --- which wins when the package is upgraded ------------------------------------------------

def _upgrade_package(monkeypatch, lesson_id: str, version: str) -> None:
    """As if a newer kiosk package shipped ``lesson_id`` at ``version``."""
    real = drafts._package()
    text, document = real[lesson_id]
    upgraded = dict(real, **{lesson_id: (text, dict(document, version=version))})
    monkeypatch.setattr(drafts, "_package", lambda: upgraded)


def test_the_higher_version_wins_at_the_hub(hub_engine, settings, monkeypatch):
    lesson, revision = drafts.packaged(LESSON), 0
    lesson["minutes"] = 33
    write(hub_engine, save_draft, LESSON, lesson, expected_revision=revision, user="lan")
    edited = write(hub_engine, publish, LESSON, "lan", settings)
    entry = next(e for e in read(hub_engine, list_lessons) if e["id"] == LESSON)
    assert (entry["version"], entry["package_newer"]) == (edited, False)
    _upgrade_package(monkeypatch, LESSON, "9.0")           # the package now beats the hub edit
    entry = next(e for e in read(hub_engine, list_lessons) if e["id"] == LESSON)
    assert (entry["version"], entry["package_newer"], entry["has_draft"]) == ("9.0", True, False)
    with hub_engine.connect() as conn:
        assert get_draft(conn, LESSON)[0]["version"] == "9.0"
    again = write(hub_engine, publish, LESSON, "lan", settings)   # editing again goes above it
    assert again == "9.1"


def test_the_higher_version_wins_on_the_kiosk(tmp_path):
    bundled = load_library().lesson(LESSON).version
    for version, shown in (("0.5", bundled), (bundled, bundled), ("99.0", "99.0")):
        pack = tmp_path / version / LESSON
        shutil.copytree(BUNDLED_DIR / LESSON, pack)
        document = json.loads((pack / "lesson.json").read_text("utf-8"))
        document["version"] = version
        document["minutes"] = 77
        (pack / "lesson.json").write_text(json.dumps(document, ensure_ascii=False), "utf-8")
        lesson = load_library(BUNDLED_DIR, pack.parent).lesson(LESSON)
        assert lesson.version == shown
        assert (lesson.minutes == 77) == (version != "0.5")      # a tie: the hub's pack


def test_an_invalid_lesson_in_a_zip_names_each_problem_with_its_path(hub_engine):
    broken = dict(drafts.packaged(LESSON), minutes=0)
    del broken["title"]["en"]
    with pytest.raises(ImportRefused) as refused:
        write(hub_engine, import_zip, zip_of({"lesson.json": lesson_json(broken)}), "lan")
    assert sorted(p.path for p in refused.value.problems) == ["minutes", "title.en"]
    assert "title.en: missing or empty" in str(refused.value)
