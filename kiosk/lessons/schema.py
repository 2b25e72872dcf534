"""The lesson format 2, said once, as a JSON Schema (draft 2020-12).

Everything else is made from this: the validator (``validation.py``: structure from the schema,
then the checks a schema cannot make), the field tables of ``docs/lesson-format.md``
(``format_doc.py``) and the description the hub's studio builds its forms from (``form.py``).

Besides standard keywords, nodes carry plain-words messages for people who write lessons:
``x-message`` (the value is wrong; ``{value!r}`` is replaced), ``x-missing`` (on a property: it
is required and absent) and ``x-extra`` (on an object: a field it does not accept; ``{name}``).
``description`` is the meaning shown in the docs and as the studio's help text.
"""

import copy
from functools import lru_cache

MAX_STEPS = 20
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
COLOR_PATTERN = r"^#[0-9a-fA-F]{6}$"
LINK_URL_PATTERN = r"^https://[^\s/]+\.[^\s]+$"
SOURCE_URL_PATTERN = r"^https?://[^\s/@]+\.[^\s/@]+(/\S*)?$"
NOT_BLANK = r"\S"
ID_MESSAGE = "must be lower-case letters, digits and '-'"


def _ref(name: str, description: str, **extra) -> dict:
    return {"$ref": f"#/$defs/{name}", "description": description, **extra}


def _obj(properties: dict, required=(), extra: str = "unknown field", **more) -> dict:
    return {"type": "object", "properties": properties, "required": list(required),
            "additionalProperties": False, "x-extra": extra,
            "x-message": "must be an object", **more}


def _text(description: str) -> dict:
    return _ref("text", description)


def _id(description: str, **extra) -> dict:
    return {"type": "string", "minLength": 1, "description": description,
            "x-message": "must be a non-empty text", **extra}


def _date(description: str) -> dict:
    return {"type": "string", "pattern": DATE_PATTERN, "format": "date",
            "description": description, "x-missing": "missing: the date this was last checked, "
            "as YYYY-MM-DD", "x-message": "must be a date written YYYY-MM-DD, not {value!r}"}


def _plain(description: str) -> dict:
    return {"type": "string", "pattern": NOT_BLANK, "description": description,
            "x-missing": "missing or empty", "x-message": "must be a non-empty text"}


# --- mock-screen elements: for each type, exactly the fields it accepts -----------------------

def _element(kind: str, drawn_as: str, fields: dict, required=()) -> dict:
    fields = {"type": {"const": kind, "description": "the element type"}, **fields}
    return _obj(fields, ("type", *required), description=drawn_as,
                extra=f"the field '{{name}}' does not belong on a {kind} element")


def _target_id(kind: str) -> dict:
    return _id("what the step's `target` names", **{"x-missing": f"a {kind} needs an id"})


_OPTIONAL_ID = _id("optional, so the step's `target` can name it")
_ITEMS = {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/item"},
          "description": 'list of `{"id", "label"}`', "x-message": "must be a non-empty list",
          "x-missing": "must be a non-empty list"}

ELEMENTS = {
    "heading": _element("heading", "large bold text",
                        {"text": _text("the heading"), "id": _OPTIONAL_ID}, ["text"]),
    "text": _element("text", "ordinary text, wrapped",
                     {"text": _text("the text"), "id": _OPTIONAL_ID}, ["text"]),
    "field": _element("field", "an input box with its label; `secret` shows dots",
                      {"label": _text("the label above the box"),
                       "value": _text("what is typed in it"),
                       "secret": {"type": "boolean", "description": "show dots (a password)"},
                       "id": _OPTIONAL_ID}, ["label"]),
    "button": _element("button", "a wide button",
                       {"id": _target_id("button"), "label": _text("the button's words"),
                        "style": {"enum": ["primary", "secondary"], "default": "primary",
                                  "description": "`primary` (filled, default) or `secondary`",
                                  "x-message": "must be primary or secondary"}},
                       ["id", "label"]),
    "link": _element("link", "underlined coloured text",
                     {"id": _target_id("link"), "label": _text("the link's words")},
                     ["id", "label"]),
    "menu": _element("menu", "rows with a `›` at the end", {"items": _ITEMS}, ["items"]),
    "grid": _element("grid", "icon tiles, three per row", {"items": _ITEMS}, ["items"]),
    "tabs": _element("tabs", "the tab bar at the bottom of the screen", {"items": _ITEMS},
                     ["items"]),
    "code": _element("code", "boxes for a one-time code",
                     {"digits": {"type": "integer", "minimum": 4, "maximum": 8, "default": 6,
                                 "description": "how many boxes, 4 to 8",
                                 "x-message": "must be a whole number from 4 to 8"},
                      "filled": {"type": "integer", "minimum": 0, "maximum": 8, "default": 0,
                                 "description": "how many digits are shown typed",
                                 "x-message": "must be a whole number from 0 to 8"},
                      "id": _OPTIONAL_ID}),
    "message": _element("message", "a text-message bubble",
                        {"sender": _text("who sent it"), "text": _text("the message"),
                         "id": _OPTIONAL_ID}, ["sender", "text"]),
    "card": _element("card", "a card, e.g. a health-insurance card or a tax item",
                     {"title": _text("the card's title"),
                      "lines": {"type": "array", "items": {"$ref": "#/$defs/text"},
                                "description": "list of texts under the title",
                                "x-message": "must be a list of texts"},
                      "id": _OPTIONAL_ID}, ["title"]),
    "toggle": _element("toggle", "a switch row",
                       {"id": _target_id("toggle"), "label": _text("the row's words"),
                        "on": {"type": "boolean", "description": "drawn switched on"}},
                       ["id", "label"]),
    "photo": _element("photo", "a camera frame with a caption",
                      {"label": _text("the caption"), "id": _OPTIONAL_ID}, ["label"]),
    "alert": _element("alert", "a coloured warning box",
                      {"text": _text("the warning"),
                       "tone": {"enum": ["danger", "info"], "default": "danger",
                                "description": "`danger` (default) or `info`",
                                "x-message": "must be danger or info"},
                       "id": _OPTIONAL_ID}, ["text"]),
}
ELEMENT_TYPES = tuple(ELEMENTS)
_TYPE_MESSAGE = f"must be one of: {', '.join(ELEMENT_TYPES)}"


def _element_choice() -> dict:
    """Any element: its ``type`` picks which element definition applies."""
    return {"type": "object", "x-message": _TYPE_MESSAGE, "required": ["type"],
            "properties": {"type": {"enum": list(ELEMENT_TYPES), "x-message": _TYPE_MESSAGE,
                                    "x-missing": _TYPE_MESSAGE}},
            "allOf": [{"if": {"properties": {"type": {"const": kind}}, "required": ["type"]},
                       "then": {"$ref": f"#/$defs/element-{kind}"}} for kind in ELEMENT_TYPES]}


# --- texts, steps, screens, links and sources ------------------------------------------------

_DEFS = {
    "text": {"type": "object", "required": ["vi", "en"], "additionalProperties": False,
             "x-extra": "unknown language", "x-kind": "text",
             "x-message": 'must be a text like {"vi": "...", "en": "..."}',
             "properties": {lang: {"type": "string", "pattern": NOT_BLANK,
                                   "x-missing": "missing or empty",
                                   "x-message": "missing or empty"} for lang in ("vi", "en")}},
    "texts": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/text"},
              "x-message": "must be a non-empty list of texts",
              "x-missing": "must be a non-empty list of texts"},
    "item": _obj({"id": _id("what the step's `target` names", **{"x-missing": "missing",
                                                                   "x-message": "missing"}),
                  "label": _text("the item's words")}, ["id", "label"]),
    "screen": _obj({
        "title": _text("shown in the app's coloured top bar"),
        "color": {"type": "string", "pattern": COLOR_PATTERN,
                  "description": "overrides the app's colour, as `#rrggbb`",
                  "x-message": "must be a colour like #1a73e8"},
        "back": {"type": "boolean", "description": "draws a back arrow"},
        "elements": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/element"},
                     "description": "the elements, drawn from top to bottom",
                     "x-message": "must be a non-empty list",
                     "x-missing": "must be a non-empty list"}}, ["elements"]),
    "element": _element_choice(),
    "step": _obj({
        "instruction": _text("the one thing to do now"),
        "detail": _text("a little more explanation"),
        "tip": _text("a helpful hint"),
        "warning": _text("something to be careful about (scams, mistakes that cost money)"),
        "screen": _ref("screen", "a mock phone screen (below) drawn as the illustration"),
        "image": {"type": "string", "minLength": 1, "x-kind": "picture", "description": "instead of `screen`: a "
                  "picture in the lesson folder, e.g. `images/step3.png`",
                  "x-message": "must be the name of a picture in the lesson folder"},
        "target": {"type": "string", "minLength": 1, "x-kind": "target", "description": "the `id` of the element of "
                   "`screen` to tap; it is highlighted (every step with a button to tap has one)",
                   "x-message": "must be the id of an element on this step's screen"},
        "sources": {"type": "array", "minItems": 1, "items": {"type": "string"},
                    "description": "list of source ids (from the lesson's `sources`) that this "
                    "step follows", "x-message": "must be a non-empty list of source ids"},
    }, ["instruction"], **{"x-message": "must be an object"}),
    "link": _obj({
        "id": _id("a short name for the link", **{"x-missing": "missing"}),
        "label": _text("what the QR code is for"),
        "url": {"type": "string", "pattern": LINK_URL_PATTERN,
                "description": "the full `https://` address",
                "x-message": "must be a full https:// address",
                "x-missing": "must be a full https:// address"},
        "verified": {"type": "boolean", "description": "checked to be the official site: only "
                     "then shown as a QR code", "x-message": "must be true or false",
                     "x-missing": "must be true or false"}}, ["id", "label", "url", "verified"]),
    "source": _obj({
        "id": {"type": "string", "pattern": ID_PATTERN, "x-message": ID_MESSAGE,
               "x-missing": ID_MESSAGE, "description": "lower-case letters, digits and `-`, "
               "unique in the lesson, e.g. `vneid-guide-2025`"},
        "title": _plain("the title of the guide or article, as published (plain text, one "
                        "language)"),
        "publisher": _plain("who published it: a ministry, a provincial police, a named "
                            "newspaper"),
        "url": {"type": "string", "pattern": SOURCE_URL_PATTERN,
                "description": "its full `http(s)://` address, copied from the page itself: "
                "never made up", "x-message": "must be the full http(s):// address of the source",
                "x-missing": "must be the full http(s):// address of the source"},
        "checked_on": _date("the date someone last read it and compared it with the lesson, "
                            "`YYYY-MM-DD`"),
        "note": _plain("what it confirms, or which button label could not be confirmed (then "
                       "the step is worded so that it stays true: \"the button that says …, or "
                       "similar\")"),
    }, ["id", "title", "publisher", "url", "checked_on"]),
    "problem": _obj({"problem": _text("a common problem"),
                     "solution": _text("what to do about it")}, ["problem", "solution"]),
    "elsewhere": _obj({"need": _text("what a help point cannot do"),
                       "where": _text("where to go for it")}, ["need", "where"]),
    **{f"element-{kind}": schema for kind, schema in ELEMENTS.items()},
}

LESSON = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Lesson, format 2",
    **_obj({
        "format": {"const": 2, "description": "the format version of this file: `2` (format 1 "
                   "files are upgraded on load, and then fail until they cite sources)",
                   "x-message": "must be 2"},
        "id": {"type": "string", "pattern": ID_PATTERN, "x-message": ID_MESSAGE,
               "x-missing": ID_MESSAGE, "description": "lower-case letters, digits and `-`; the "
               "same as the folder name"},
        "version": {"type": "string", "pattern": NOT_BLANK, "description": "the lesson's own "
                    "version, e.g. `\"1.0\"`; raise it when the content changes",
                    "x-message": 'must be a version string such as "1.0"',
                    "x-missing": 'must be a version string such as "1.0"'},
        "app": {"type": "string", "description": "an app id from `apps.json`", "x-kind": "choice",
                "x-options": "apps"},
        "title": _text("what the resident will achieve, e.g. \"Kích hoạt tài khoản VNeID\""),
        "purpose": _text("one line saying why it is useful"),
        "minutes": {"type": "integer", "minimum": 1, "maximum": 120, "description": "whole "
                    "number: a fair estimate of the time it takes",
                    "x-message": "must be a whole number of minutes from 1 to 120",
                    "x-missing": "must be a whole number of minutes from 1 to 120"},
        "needs": _ref("texts", "list of texts: what to have in hand before starting (phone, "
                      "chip ID card…)"),
        "steps": {"type": "array", "minItems": 1, "maxItems": MAX_STEPS,
                  "items": {"$ref": "#/$defs/step"}, "description": "list of steps (below): 5 to "
                  f"14 for a bundled lesson (the validator accepts 1 to {MAX_STEPS})",
                  "x-message": f"must be a list of 1 to {MAX_STEPS} steps",
                  "x-missing": f"must be a list of 1 to {MAX_STEPS} steps"},
        "problems": {"type": "array", "items": {"$ref": "#/$defs/problem"},
                     "description": 'list of `{"problem": text, "solution": text}`: common '
                     "problems and what to do", "x-message": "must be a list"},
        "elsewhere": {"type": "array", "items": {"$ref": "#/$defs/elsewhere"},
                      "description": 'list of `{"need": text, "where": text}`: what a help point '
                      "cannot do, and where to go", "x-message": "must be a list"},
        "links": {"type": "array", "items": {"$ref": "#/$defs/link"}, "description": "list of "
                  "links (below), offered as QR codes at the end", "x-message": "must be a list"},
        "checked_on": _date("the date the whole lesson was last checked against its sources, "
                            "`YYYY-MM-DD`, not in the future"),
        "sources": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/source"},
                    "description": "list of sources (below), at least one: where the lesson's "
                    "facts come from",
                    "x-message": "every lesson needs at least one source (title, publisher, "
                    "URL, date checked) for the facts it teaches",
                    "x-missing": "every lesson needs at least one source (title, publisher, "
                    "URL, date checked) for the facts it teaches"},
    }, ["format", "id", "version", "app", "title", "purpose", "minutes", "needs", "steps",
        "checked_on", "sources"], **{"x-message": "must hold one JSON object"}),
    "$defs": _DEFS,
}


@lru_cache(maxsize=8)
def _lesson_schema(apps: tuple[str, ...]) -> dict:
    schema = copy.deepcopy(LESSON)
    message = f"must be one of: {', '.join(apps)}"
    schema["properties"]["app"].update({"enum": list(apps), "x-message": message,
                                        "x-missing": message})
    return schema


def lesson_schema(apps) -> dict:
    """The lesson schema with ``app`` limited to ``apps`` (the ids in ``apps.json``).

    The result is shared: do not change it."""
    return _lesson_schema(tuple(sorted(apps)))


def definition(name: str) -> dict:
    """One named part of the format: ``lesson``, ``step``, ``screen``, ``element-button``…"""
    return LESSON if name == "lesson" else _DEFS[name]


def resolve(node: dict) -> dict:
    """``node`` with a local ``$ref`` followed (its own ``description`` and messages kept)."""
    if "$ref" not in node:
        return node
    target = _DEFS[node["$ref"].rsplit("/", 1)[1]]
    return {**target, **{k: v for k, v in node.items() if k != "$ref"}}
