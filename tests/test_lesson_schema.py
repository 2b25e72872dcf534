"""The one lesson schema: the validator, the docs' tables and the studio's form fields all come
from it, and problems carry a path a form can show next to its field."""

import copy
import json
from datetime import date
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from kiosk.lessons import BUNDLED_DIR, mockscreen
from kiosk.lessons.form import KINDS, element_fields, form_fields
from kiosk.lessons.format_doc import with_tables
from kiosk.lessons.library import load_apps
from kiosk.lessons.schema import ELEMENT_TYPES, ELEMENTS, LESSON, lesson_schema
from kiosk.lessons.validation import check_document

DOCS = Path(__file__).resolve().parent.parent / "docs"
APPS = set(load_apps())


@pytest.fixture
def doc():
    return json.loads((BUNDLED_DIR / "vneid-activate" / "lesson.json").read_text("utf-8"))


def _problems(document, **kwargs):
    return check_document(document, "x/lesson.json", BUNDLED_DIR / "vneid-activate", APPS,
                          today=date(2099, 1, 1), **kwargs)


def test_the_schema_is_a_valid_json_schema():
    Draft202012Validator.check_schema(lesson_schema(APPS))


def test_the_renderer_draws_exactly_the_element_types_of_the_schema():
    assert set(mockscreen.ELEMENTS) | {"tabs"} == set(ELEMENT_TYPES)


def test_the_bundled_lesson_is_clean(doc):
    assert _problems(doc) == []


@pytest.mark.parametrize("kind,extra", [("button", "value"), ("heading", "items"),
                                        ("menu", "id"), ("code", "label"), ("alert", "on")])
def test_a_field_that_belongs_to_another_element_is_refused(doc, kind, extra):
    step = next(i for i, s in enumerate(doc["steps"]) if s.get("screen"))
    element = {"button": {"type": "button", "id": "b", "label": {"vi": "a", "en": "a"}},
               "heading": {"type": "heading", "text": {"vi": "a", "en": "a"}},
               "menu": {"type": "menu", "items": [{"id": "m", "label": {"vi": "a", "en": "a"}}]},
               "code": {"type": "code"},
               "alert": {"type": "alert", "text": {"vi": "a", "en": "a"}}}[kind]
    element[extra] = {"vi": "x", "en": "x"}
    doc["steps"][step]["screen"]["elements"].append(element)
    index = len(doc["steps"][step]["screen"]["elements"]) - 1
    [problem] = _problems(doc)
    assert problem.path == f"steps[{step}].screen.elements[{index}].{extra}"
    assert problem.step == step + 1
    assert problem.message == f"the field '{extra}' does not belong on a {kind} element"


def test_problems_carry_the_full_path(doc):
    del doc["steps"][2]["instruction"]["en"]
    doc["steps"][3]["screen"]["elements"][0]["label"] = {"vi": "", "en": "x"}
    doc["sources"][0]["url"] = "ftp://nowhere"
    doc["minutes"] = True
    paths = {p.path: p.message for p in _problems(doc)}
    assert paths["steps[2].instruction.en"] == "missing or empty"
    assert paths["sources[0].url"] == "must be the full http(s):// address of the source"
    assert paths["minutes"] == "must be a whole number of minutes from 1 to 120"
    label = [p for p in paths if p.startswith("steps[3].screen.elements[0].label")]
    assert label, paths


def test_a_missing_required_element_field_and_an_unknown_type(doc):
    step = next(i for i, s in enumerate(doc["steps"]) if s.get("screen"))
    doc["steps"][step]["screen"]["elements"][:0] = [{"type": "button",
                                                     "label": {"vi": "a", "en": "b"}},
                                                    {"type": "hologram"}, "not an element"]
    doc["steps"][step].pop("target", None)
    found = {p.path: p.message for p in _problems(doc)}
    where = f"steps[{step}].screen.elements"
    assert found[f"{where}[0].id"] == "a button needs an id"
    assert found[f"{where}[1].type"].startswith("must be one of: heading, text")
    assert found[f"{where}[2]"].startswith("must be one of")


def test_without_a_folder_pictures_are_asked_of_the_caller(doc):
    step = doc["steps"][0]
    step.pop("screen", None)
    step.pop("target", None)
    step["image"] = "images/a.png"
    check = lambda **kw: check_document(doc, "lesson.json", None, APPS, **kw)
    assert [p.path for p in check(has_picture=lambda name: False)] == ["steps[0].image"]
    assert check(has_picture=lambda name: name == "images/a.png") == []
    doc["id"] = "another-id"                            # no folder: its name is not checked
    assert check(has_picture=lambda name: True) == []


def test_the_format_page_tables_are_made_from_the_schema():
    page = (DOCS / "lesson-format.md").read_text(encoding="utf-8")
    assert page == with_tables(page), (
        "run: python -m kiosk.lessons.format_doc docs/lesson-format.md")
    for kind in ELEMENT_TYPES:
        assert f"| `{kind}` |" in page


def test_the_form_fields_cover_every_field_of_the_format():
    fields = {f.name: f for f in form_fields(APPS)}
    assert set(fields) == set(LESSON["properties"]) - {"format"}
    assert fields["app"].kind == "choice" and set(fields["app"].options) == APPS
    assert fields["title"].kind == "text" and fields["title"].required
    steps = {f.name: f for f in fields["steps"].fields}
    assert steps["instruction"].path == "steps[].instruction"
    assert steps["target"].kind == "target" and steps["image"].kind == "picture"
    screen = {f.name: f for f in steps["screen"].fields}
    assert screen["elements"].kind == "elements"
    assert screen["elements"].options == ELEMENT_TYPES

    def walk(items):
        for item in items:
            assert item.kind in KINDS, item
            assert item.label_key.startswith("lesson.field.") and item.help, item
            walk(item.fields)
    walk(form_fields(APPS))


def test_each_element_offers_exactly_its_own_fields():
    for kind, schema in ELEMENTS.items():
        names = {f.name for f in element_fields(kind)}
        assert names == set(schema["properties"]) - {"type"}, kind
    code = {f.name: f for f in element_fields("code")}
    assert (code["digits"].minimum, code["digits"].maximum, code["digits"].default) == (4, 8, 6)
    assert {f.name: f.required for f in element_fields("button")} == {
        "id": True, "label": True, "style": False}
    with pytest.raises(KeyError):
        element_fields("hologram")


def test_the_schema_is_not_changed_by_asking_for_it():
    before = copy.deepcopy(LESSON)
    lesson_schema({"vneid"})
    form_fields(APPS)
    assert LESSON == before
