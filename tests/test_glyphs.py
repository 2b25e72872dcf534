"""Every character a resident, volunteer or ward officer can be shown is drawn by the bundled
Noto fonts: the catalogue's words in both languages (every plural form) and every lesson's text.
A character the fonts lack prints as an empty box (an arrow "→" once did)."""

import json
from functools import cache
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from kiosk.lessons import BUNDLED_DIR
from kiosk.locale import LANGUAGES, catalogue, forms

FONTS = Path(__file__).resolve().parent.parent / "kiosk" / "assets" / "fonts"
FACES = ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf")
LAYOUT = set("\n\t\r")  # line breaks and tabs are layout, not glyphs


@cache
def covered(face: str) -> frozenset[int]:
    """The code points ``face`` has a glyph for."""
    with TTFont(FONTS / face, lazy=True) as font:
        return frozenset(font.getBestCmap())


def missing(text: str, face: str) -> set[str]:
    return {char for char in text if char not in LAYOUT and ord(char) not in covered(face)}


def strings_of(value, where: str = ""):
    """Every string inside a lesson document, with where it is (``steps[2].instruction.vi``)."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings_of(item, f"{where}.{key}" if where else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from strings_of(item, f"{where}[{index}]")


def lesson_files() -> list[Path]:
    return sorted(Path(BUNDLED_DIR).glob("*/lesson.json"))


def test_the_fonts_and_the_lessons_are_there():
    assert all((FONTS / face).exists() for face in FACES)
    assert len(lesson_files()) >= 6
    assert ord("ễ") in covered(FACES[0]) and ord("\u2603") not in covered(FACES[0])  # ☃


@pytest.mark.parametrize("face", FACES)
def test_every_catalogue_string_has_its_glyphs(face):
    lacking = {}
    for key in catalogue():
        for language in LANGUAGES:
            for form in forms(key, language):
                if found := missing(form, face):
                    lacking[f"{key} [{language}]"] = "".join(sorted(found))
    assert lacking == {}


@pytest.mark.parametrize("face", FACES)
@pytest.mark.parametrize("lesson", lesson_files(), ids=lambda path: path.parent.name)
def test_every_lesson_text_has_its_glyphs(lesson, face):
    document = json.loads(lesson.read_text(encoding="utf-8"))
    lacking = {where: "".join(sorted(found)) for where, text in strings_of(document)
               if (found := missing(text, face))}
    assert lacking == {}


@pytest.mark.parametrize("face", FACES)
def test_every_on_screen_key_label_has_its_glyphs(face):
    from kiosk.ui.keyboard_keys import LAYOUT as KEYS, TONE_SAMPLE

    labels = [text for _name, text, *_ in KEYS] + list(TONE_SAMPLE.values())
    assert {label: missing(label, face) for label in labels if missing(label, face)} == {}
