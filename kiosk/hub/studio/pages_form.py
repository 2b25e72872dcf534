"""The lesson editor's form, made from the lesson schema (``kiosk.lessons.form``), and back.

``widgets`` turns a lesson into a tree of ``Widget`` for the template to draw (every field of
the format, both languages side by side), each with the validation problems of its path.
``read_form`` turns the posted fields back into a lesson, and ``apply_op`` adds, moves or
removes a list item (a step, a source, a mock-screen element). No field is described here by
hand: a field added to the schema appears in the studio by itself.

An input's name is ``f:`` and its path with list indices as numbers, e.g.
``f:steps.0.screen.elements.1.label.vi``; a problem's path (``steps[0].screen…``) is written the
same way to be matched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field as dc_field

from kiosk.lessons.form import FormField, element_fields, form_fields
from kiosk.locale import ui_text

PREFIX = "f:"
LANGS = ("vi", "en")
MAX_ITEMS = 200  # no posted list grows beyond this (memory bounded whatever arrives)
LISTS = ("texts", "list", "elements")


@dataclass
class Widget:
    """One field as drawn: ``name`` is its dotted path, ``items`` its list items (each a list
    of widgets, or a value for ``texts``) or ``children`` its object's fields."""

    field: FormField
    name: str
    value: object
    problems: list[str] = dc_field(default_factory=list)
    children: list[Widget] = dc_field(default_factory=list)
    items: list = dc_field(default_factory=list)
    element_type: str | None = None


def label(spec: FormField, lang: str) -> str:
    """A field's label from the catalogue (``spec.label_key``), else its name in plain words."""
    try:
        return ui_text(spec.label_key, lang)
    except KeyError:
        return spec.name.replace("_", " ").capitalize()


def choice_label(field_name: str, value: str, lang: str) -> str:
    """The words shown for one choice: an app's name, an element type's plain name, or (for
    the format's own codes, e.g. a button's style) the value itself."""
    key = {"app": f"service.{value}", "type": f"dash.studio.element.{value}"}.get(field_name)
    try:
        return ui_text(key, lang) if key else value
    except KeyError:
        return value


def dotted(path: str) -> str:
    """A problem's path (``steps[2].title``) in the form's naming (``steps.2.title``)."""
    return re.sub(r"\[(\d+)\]", r".\1", path).strip(".")


def widgets(lesson: dict, problems: dict[str, list[str]], apps=()) -> list[Widget]:
    """The editor's widgets for ``lesson``; ``problems`` maps dotted paths to messages."""
    return [_widget(f, f.name, lesson.get(f.name), problems) for f in form_fields(apps)]


def _widget(spec: FormField, name: str, value, problems) -> Widget:
    found = Widget(spec, name, value, problems=_problems_at(problems, name, spec.kind))
    if spec.kind == "object":
        data = value if isinstance(value, dict) else None
        if data is not None:
            found.children = [_widget(f, f"{name}.{f.name}", data.get(f.name), problems)
                              for f in spec.fields]
    elif spec.kind == "list":
        found.items = [[_widget(f, f"{name}.{i}.{f.name}", _get(item, f.name), problems)
                        for f in spec.fields] for i, item in enumerate(_list(value))]
    elif spec.kind == "elements":
        found.items = [_element_widget(f"{name}.{i}", item, problems)
                       for i, item in enumerate(_list(value))]
    elif spec.kind == "texts":
        found.items = _list(value)
    return found


def _element_widget(name: str, item, problems) -> Widget:
    kind = item.get("type") if isinstance(item, dict) else None
    try:
        specs = element_fields(kind) if isinstance(kind, str) else ()
    except KeyError:
        specs = ()
    holder = FormField(path=name, name="", kind="object", required=True, label_key="",
                       help="", fields=specs)
    found = Widget(holder, name, item, problems=_problems_at(problems, name, "object"),
                   element_type=kind)
    found.children = [_widget(f, f"{name}.{f.name}", _get(item, f.name), problems)
                      for f in specs]
    return found


def _problems_at(problems: dict[str, list[str]], name: str, kind: str) -> list[str]:
    found = list(problems.get(name, []))
    if kind == "text":
        for lang in LANGS:
            found += problems.get(f"{name}.{lang}", [])
    return found


def _get(item, key):
    return item.get(key) if isinstance(item, dict) else None


def _list(value) -> list:
    return value if isinstance(value, list) else []


# --- reading a posted form back ---------------------------------------------------------

def read_form(posted: dict[str, str], previous: dict, apps=()) -> dict:
    """The lesson the posted fields describe. Fields the form does not show (``format``) are
    kept from ``previous``; empty optional fields are left out; numbers and yes/no become
    numbers and booleans when they can (otherwise the validator says what is wrong)."""
    tree: dict = {}
    for key, value in posted.items():
        if key.startswith(PREFIX):
            _put(tree, key[len(PREFIX):].split("."), str(value))
    shown = form_fields(apps)
    lesson = {k: v for k, v in previous.items() if k not in {f.name for f in shown}}
    lesson.update(_read_fields(shown, tree))
    return lesson


def _put(tree: dict, parts: list[str], value: str) -> None:
    node = tree
    for part in parts[:-1]:
        if part.isdigit() and int(part) >= MAX_ITEMS:
            return
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            return
    node[parts[-1]] = value


def _read_fields(specs, tree: dict) -> dict:
    out = {}
    for spec in specs:
        value = _read(spec, tree.get(spec.name))
        if value is not None:
            out[spec.name] = value
    return out


def _read(spec: FormField, raw):
    kind = spec.kind
    if kind == "text":
        return _read_text(raw)
    if kind == "texts":
        return [t for t in (_read_text(v) for _, v in _indexed(raw)) if t] or None
    if kind == "object":
        return _read_fields(spec.fields, raw) if isinstance(raw, dict) else None
    if kind == "list":
        return [_read_fields(spec.fields, v) for _, v in _indexed(raw)] or None
    if kind == "elements":
        return [_read_element(v) for _, v in _indexed(raw)] or None
    if isinstance(raw, dict) or raw is None or raw.strip() == "":
        return None
    raw = raw.strip()
    if kind == "number":
        return int(raw) if re.fullmatch(r"-?\d{1,9}", raw) else raw
    if kind == "bool":
        return {"true": True, "false": False}.get(raw, raw)
    if kind == "ids":
        return [part for part in re.split(r"[\s,]+", raw) if part] or None
    return raw


def _read_text(raw) -> dict | None:
    if not isinstance(raw, dict):
        return None
    text = {lang: raw[lang].strip() for lang in LANGS
            if isinstance(raw.get(lang), str) and raw[lang].strip()}
    return text or None


def _read_element(raw: dict) -> dict:
    kind = raw.get("type", "") if isinstance(raw, dict) else ""
    try:
        specs = element_fields(kind)
    except KeyError:
        return {"type": kind}
    return {"type": kind, **_read_fields(specs, raw)}


def _indexed(raw) -> list[tuple[int, dict]]:
    if not isinstance(raw, dict):
        return []
    return sorted((int(k), v) for k, v in raw.items() if k.isdigit())


# --- adding, moving and removing list items --------------------------------------------

def apply_op(lesson: dict, op: str, new_type: str = "") -> dict:
    """``lesson`` after the editor's button ``op``: ``add:PATH`` (a list item, a mock screen;
    an element of type ``new_type``), ``remove:PATH.N``, ``up:PATH.N``, ``down:PATH.N``,
    ``drop:PATH`` (an optional object). An unknown or impossible op changes nothing."""
    verb, _, path = op.partition(":")
    parts = [p for p in path.split(".") if p]
    if not parts:
        return lesson
    if verb == "add":
        _add(lesson, parts, new_type)
    elif verb in ("remove", "up", "down") and parts[-1].isdigit():
        items, index = _at(lesson, parts[:-1]), int(parts[-1])
        if isinstance(items, list) and 0 <= index < len(items):
            _move(items, index, verb)
    elif verb == "drop":
        parent = _at(lesson, parts[:-1])
        if isinstance(parent, dict):
            parent.pop(parts[-1], None)
    return lesson


def _add(lesson: dict, parts: list[str], new_type: str) -> None:
    parent = _at(lesson, parts[:-1])
    if not isinstance(parent, dict):
        return
    current = parent.get(parts[-1])
    if parts[-1] == "screen":
        parent.setdefault("screen", {"elements": []})
    elif parts[-1] == "elements":
        parent.setdefault("elements", []).append({"type": new_type or "button"})
    elif current is None or isinstance(current, list):
        parent.setdefault(parts[-1], [])
        if len(parent[parts[-1]]) < MAX_ITEMS:
            parent[parts[-1]].append({})


def _move(items: list, index: int, verb: str) -> None:
    if verb == "remove":
        del items[index]
    elif verb == "up" and index > 0:
        items[index - 1], items[index] = items[index], items[index - 1]
    elif verb == "down" and index < len(items) - 1:
        items[index + 1], items[index] = items[index], items[index + 1]


def _at(node, parts: list[str]):
    for part in parts:
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict):
            node = node.get(part)
        else:
            return None
    return node
