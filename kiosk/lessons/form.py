"""The lesson format as form fields, made from the schema: what the hub's studio builds its forms
from, so a field added to the format appears in the studio without a second description.

A field's ``path`` uses ``[]`` where a list index goes (``steps[].screen.elements[]``); fill it
in with the index being edited. Validation problems carry the same path with the index
(``Problem.path``), so a form can show a problem next to its field.
"""

from dataclasses import dataclass

from kiosk.lessons.schema import ELEMENT_TYPES, ID_PATTERN, definition, resolve

KINDS = ("text", "texts", "plain", "id", "date", "number", "bool", "choice", "list", "ids",
         "object", "elements", "picture", "target")


@dataclass(frozen=True)
class FormField:
    """One field of a form.

    ``kind``: ``text`` (Vietnamese and English side by side), ``texts`` (a list of those),
    ``plain`` (one text, also an address or a colour), ``id``, ``picture`` (an uploaded
    picture's name), ``target`` (an element id on the step's screen, picked on its picture), ``date`` (YYYY-MM-DD), ``number`` (``minimum``–``maximum``),
    ``bool``, ``choice`` (one of ``options``), ``list`` (of objects, each with ``fields``),
    ``ids`` (a list of ids), ``object`` (with ``fields``), ``elements`` (mock-screen elements,
    ``options`` being their types: ``element_fields(type)`` gives each type's fields).
    ``label_key`` names the label in the locale catalogue; ``help`` is the format's meaning."""
    path: str
    name: str
    kind: str
    required: bool
    label_key: str
    help: str
    options: tuple[str, ...] = ()
    default: object = None
    minimum: int | None = None
    maximum: int | None = None
    fields: tuple["FormField", ...] = ()


def _definition_name(node: dict) -> str | None:
    ref = node.get("$ref") or (node.get("items") or {}).get("$ref")
    return ref.rsplit("/", 1)[1] if ref else None


def _kind(node: dict) -> str:
    full = resolve(node)
    if full.get("x-kind"):
        return full["x-kind"]
    if "enum" in full:
        return "choice"
    if full.get("format") == "date":
        return "date"
    if full.get("type") == "array":
        item = full.get("items", {})
        return {"text": "texts", "element": "elements"}.get(
            _definition_name(full), "list" if "$ref" in item else "ids")
    if full.get("type") == "object":
        return "object"
    if full.get("type") == "string":
        return "id" if full.get("pattern") == ID_PATTERN or "minLength" in full else "plain"
    return {"integer": "number", "boolean": "bool"}[full["type"]]


def _fields_of(schema: dict, prefix: str, apps) -> tuple[FormField, ...]:
    required = set(schema.get("required", ()))
    fields = []
    for name, node in schema.get("properties", {}).items():
        if "const" in node:                        # fixed by the format: nothing to fill in
            continue
        fields.append(_field(name, node, f"{prefix}{name}", name in required, apps))
    return tuple(fields)


def _field(name: str, node: dict, path: str, required: bool, apps) -> FormField:
    kind, full = _kind(node), resolve(node)
    options: tuple[str, ...] = tuple(full.get("enum", ()))
    if full.get("x-options") == "apps":
        options = tuple(sorted(apps or ()))
    sub: tuple[FormField, ...] = ()
    if kind == "object":
        sub = _fields_of(full, f"{path}.", apps)
    elif kind == "list":
        sub = _fields_of(definition(_definition_name(full)), f"{path}[].", apps)
    elif kind == "elements":
        options = ELEMENT_TYPES
    key = "lesson.field." + path.replace("[]", "")
    return FormField(path=path, name=name, kind=kind, required=required, label_key=key,
                     help=node.get("description") or full.get("description", ""),
                     options=options, default=full.get("default"),
                     minimum=full.get("minimum"), maximum=full.get("maximum"), fields=sub)


def form_fields(apps=()) -> tuple[FormField, ...]:
    """Every field of a lesson, in the format's order, nested for steps, screens, sources.

    ``apps``: the app ids a lesson may belong to (the options of ``app``)."""
    return _fields_of(definition("lesson"), "", apps)


def element_fields(kind: str) -> tuple[FormField, ...]:
    """The fields one mock-screen element type accepts (``type`` itself left out); raises
    ``KeyError`` for an unknown type."""
    return _fields_of(definition(f"element-{kind}"), "", ())
