"""The field tables of ``docs/lesson-format.md``, written from the lesson schema.

The page's prose is written by hand; each table sits between ``<!-- generated: NAME -->`` and
``<!-- end generated -->`` and is made here. After changing the schema, run
``python -m kiosk.lessons.format_doc docs/lesson-format.md``; a test fails while they disagree.
"""

import re
import sys
from pathlib import Path

from kiosk.lessons.schema import ELEMENTS, definition, resolve

_BLOCK = re.compile(r"(<!-- generated: (?P<name>[a-z-]+) -->\n).*?(<!-- end generated -->)",
                    re.DOTALL)
_KIND_WORDS = {"text": "text: ", "texts": "list of texts: ", "integer": "whole number: ",
               "boolean": "true or false: "}


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _meaning(node: dict) -> str:
    """The table's meaning column: the kind of value, when the description does not say it."""
    full, description = resolve(node), node.get("description", "")
    ref = node.get("$ref", "").rsplit("/", 1)[-1]
    kind = ref if ref in ("text",) else full.get("type")
    prefix = _KIND_WORDS.get(kind, "")
    if description.startswith(prefix.split(":")[0]) or not prefix:
        return description
    return prefix + description


def fields_table(name: str) -> str:
    """``| field | required | meaning |`` for one part of the format (``lesson``, ``step``…)."""
    schema = definition(name)
    required = set(schema.get("required", ()))
    rows = ["| field | required | meaning |", "|---|---|---|"]
    for field, node in schema["properties"].items():
        rows.append(f"| `{field}` | {'yes' if field in required else 'no'} | "
                    f"{_cell(_meaning(node))} |")
    return "\n".join(rows) + "\n"


def elements_table() -> str:
    """``| type | fields | drawn as |``: every mock-screen element and exactly its fields."""
    rows = ["| `type` | fields | drawn as |", "|---|---|---|"]
    for kind, schema in ELEMENTS.items():
        required = [f for f in schema["required"] if f != "type"]
        optional = [f for f in schema["properties"] if f not in schema["required"]]
        described = []
        for field in required + optional:
            node = resolve(schema["properties"][field])
            extra = ""
            if "enum" in node:
                extra = f": {' or '.join(f'`{v}`' for v in node['enum'])}"
            elif node.get("type") == "boolean":
                extra = " (true/false)"
            elif node.get("type") == "array":
                extra = f" ({node['description']})"
            elif node.get("type") == "integer":
                extra = f" ({node['minimum']}–{node['maximum']})"
            described.append(f"`{field}`{extra}")
        fields = ", ".join(described[:len(required)])
        if optional:
            fields += ("; " if required else "") + "optional " + ", ".join(
                described[len(required):])
        rows.append(f"| `{kind}` | {_cell(fields)} | {_cell(schema['description'])} |")
    return "\n".join(rows) + "\n"


TABLES = {"lesson": lambda: fields_table("lesson"), "source": lambda: fields_table("source"),
          "step": lambda: fields_table("step"), "link": lambda: fields_table("link"),
          "screen": lambda: fields_table("screen"), "elements": elements_table}


def with_tables(page: str) -> str:
    """``page`` with every generated block rewritten from the schema; raises ``KeyError`` for
    a block name this module does not know."""
    return _BLOCK.sub(lambda m: m.group(1) + TABLES[m.group("name")]() + m.group(3), page)


if __name__ == "__main__":
    target = Path(sys.argv[1])
    target.write_text(with_tables(target.read_text(encoding="utf-8")), encoding="utf-8")
