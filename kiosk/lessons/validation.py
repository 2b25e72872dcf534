"""Checking a lesson document, reporting every problem with its file, step, field and path.

The structure comes from the one lesson schema (``schema.py``, through ``jsonschema``); this module
adds what a schema cannot say: the id matches the folder, dates are real days and not in the
future, source ids are unique and cited ones exist, a step's target is on its screen, its picture
exists, and a verified link is on the allow-list of official domains.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from jsonschema import Draft202012Validator

from kiosk.lessons.official_links import official_link_problem
from kiosk.lessons.schema import (DATE_PATTERN, LINK_URL_PATTERN, MAX_STEPS, lesson_schema,
                                  resolve)

LANGUAGES = ("vi", "en")
__all__ = ["LANGUAGES", "MAX_STEPS", "Problem", "check_document", "link_policy_summary",
           "path_text"]


def path_text(parts) -> str:
    """A JSON location as people read it: ``["steps", 2, "target"]`` → ``steps[2].target``."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


@dataclass(frozen=True)
class Problem:
    """One thing wrong: ``step`` counts from 1 (``None``: the lesson itself), ``field`` is
    relative to the step; ``path`` is the full location in the document (indices from 0)."""
    file: str
    step: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"step {self.step}: " if self.step is not None else ""
        return f"{self.file}: {where}{self.field}: {self.message}"

    @property
    def path(self) -> str:
        """E.g. ``steps[2].screen.elements[1].label.en``; empty for the file as a whole."""
        inside = "" if self.field.startswith("(") else self.field
        if self.step is None:
            return inside
        step = f"steps[{self.step - 1}]"
        return f"{step}{'' if not inside else ('' if inside[0] == '[' else '.')}{inside}"

    @property
    def breaks_link_policy(self) -> bool:
        """True for a link address that may not be offered (not https, or not official)."""
        return self.field.startswith("links[") and self.field.endswith(".url")


def link_policy_summary(problems: list[Problem]) -> str | None:
    """One plain sentence when any problem is a link the policy refuses, else ``None``."""
    count = sum(problem.breaks_link_policy for problem in problems)
    if not count:
        return None
    return (f"{count} link(s) shown as QR codes are not https addresses on the list of official "
            "domains: a look-alike address must never reach a resident")


@lru_cache(maxsize=8)
def _validator(apps: tuple[str, ...]) -> Draft202012Validator:
    return Draft202012Validator(lesson_schema(apps))


def _explain(error) -> list[tuple[list, str]]:
    """A schema error as (location, plain-words message) pairs, using the schema's messages."""
    where, schema = list(error.absolute_path), error.schema
    if error.validator == "required":
        properties = schema.get("properties", {})
        return [(where + [name], resolve(properties.get(name, {})).get("x-missing", "missing"))
                for name in error.validator_value if name not in error.instance]
    if error.validator == "additionalProperties":
        extra = schema.get("x-extra", "unknown field")
        return [(where + [name], extra.format(name=name)) for name in error.instance
                if name not in schema.get("properties", {})]
    message = schema.get("x-message") or error.message
    if "{value" in message:
        message = message.format(value=error.instance)
    return [(where, message)]


class _Report:
    """Problems of one document, at most one per location (the first found is the clearest)."""

    def __init__(self, file: str):
        self.file, self.problems, self._seen = file, [], set()

    def add(self, where: list, message: str) -> None:
        if where and where[0] == "steps" and len(where) > 1 and isinstance(where[1], int):
            step, field = where[1] + 1, path_text(where[2:]) or "(step)"
        else:
            step, field = None, path_text(where) or "(file)"
        if (step, field) not in self._seen:
            self._seen.add((step, field))
            self.problems.append(Problem(self.file, step, field, message))


def check_document(doc, file: str, folder: Path | None, apps: set[str], *,
                   today: date | None = None,
                   has_picture: Callable[[str], bool] | None = None) -> list[Problem]:
    """Every problem in a lesson document (already upgraded to the current format).

    ``folder`` (its name must be the lesson id) holds the step pictures, unless ``has_picture``
    says which exist (the hub keeps them in its database); with neither, pictures are not
    looked for. ``today`` (default: the real date) is the day no ``checked_on`` may be after."""
    report = _Report(file)
    for error in _validator(tuple(sorted(apps))).iter_errors(doc):
        for where, message in _explain(error):
            report.add(where, message)
    if not isinstance(doc, dict):
        return report.problems
    if has_picture is None and folder is not None:
        has_picture = lambda name: (folder / name).is_file()
    _check_id(report, doc.get("id"), folder)
    _check_dates(report, doc, today or date.today())
    source_ids = _check_source_ids(report, doc.get("sources"))
    steps = doc.get("steps")
    for index, step in enumerate(steps if isinstance(steps, list) else []):
        if isinstance(step, dict):
            _check_step(report, ["steps", index], step, source_ids, has_picture)
    _check_links(report, doc.get("links"))
    return report.problems


def _check_id(report: _Report, lesson_id, folder: Path | None) -> None:
    if folder is not None and isinstance(lesson_id, str) and lesson_id != folder.name:
        report.add(["id"], f"must match the folder name '{folder.name}'")


def _check_dates(report: _Report, doc: dict, today: date) -> None:
    """Dates written YYYY-MM-DD must be real days, not after ``today``."""
    places = [(["checked_on"], doc.get("checked_on"))]
    sources = doc.get("sources")
    for i, source in enumerate(sources if isinstance(sources, list) else []):
        if isinstance(source, dict):
            places.append((["sources", i, "checked_on"], source.get("checked_on")))
    for where, value in places:
        if not isinstance(value, str) or not re.match(DATE_PATTERN, value):
            continue
        try:
            day = date.fromisoformat(value)
        except ValueError:
            report.add(where, f"must be a date written YYYY-MM-DD, not {value!r}")
            continue
        if day > today:
            report.add(where, f"{value} is in the future")


def _check_source_ids(report: _Report, sources) -> set[str]:
    """The lesson's source ids; a repeated id is a problem."""
    ids: set[str] = set()
    for i, source in enumerate(sources if isinstance(sources, list) else []):
        source_id = source.get("id") if isinstance(source, dict) else None
        if not isinstance(source_id, str):
            continue
        if source_id in ids:
            report.add(["sources", i, "id"], f"{source_id!r} is used twice")
        ids.add(source_id)
    return ids


def screen_ids(screen) -> set[str]:
    """Every id a step's target may name on ``screen``: elements' and their items'."""
    ids: set[str] = set()
    elements = screen.get("elements") if isinstance(screen, dict) else None
    for element in elements if isinstance(elements, list) else []:
        if not isinstance(element, dict):
            continue
        if element.get("id"):
            ids.add(str(element["id"]))
        items = element.get("items")
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and item.get("id"):
                ids.add(str(item["id"]))
    return ids


def _check_step(report: _Report, where: list, step: dict, source_ids: set[str],
                has_picture) -> None:
    if "screen" in step and "image" in step:
        report.add(where + ["image"], "give either a screen or an image, not both")
    image = step.get("image")
    if isinstance(image, str) and has_picture is not None and not has_picture(image):
        report.add(where + ["image"], f"no such picture in the lesson folder: {image!r}")
    target = step.get("target")
    if target is not None and target not in screen_ids(step.get("screen")):
        report.add(where + ["target"], f"no element with id {target!r} on this step's screen")
    cited = step.get("sources")
    for i, source_id in enumerate(cited if isinstance(cited, list) else []):
        if source_id not in source_ids:
            report.add(where + ["sources", i],
                       f"no source with id {source_id!r} in the lesson's sources")


def _check_links(report: _Report, links) -> None:
    """A link marked verified must be on the allow-list (its form is the schema's business)."""
    for i, link in enumerate(links if isinstance(links, list) else []):
        if not isinstance(link, dict) or link.get("verified") is not True:
            continue
        url = link.get("url")
        if isinstance(url, str) and re.match(LINK_URL_PATTERN, url) and \
                (problem := official_link_problem(url)):
            report.add(["links", i, "url"], f"marked verified, but {problem}")
