"""Checking a lesson document, reporting every problem with its file, step and field."""

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kiosk.lessons.official_links import official_link_problem
from kiosk.locale import ui_text

LANGUAGES = ("vi", "en")
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
COLOR_PATTERN = re.compile(r"^#[0-9a-fA-F]{6}$")
MAX_STEPS = 20
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SOURCE_FIELDS = {"id", "title", "publisher", "url", "checked_on", "note"}

# For each mock-screen element type: its required and optional text fields, and other fields.
ELEMENT_TEXTS = {
    "heading": ({"text"}, set()),
    "text": ({"text"}, set()),
    "field": ({"label"}, {"value"}),
    "button": ({"label"}, set()),
    "link": ({"label"}, set()),
    "menu": (set(), set()),
    "grid": (set(), set()),
    "tabs": (set(), set()),
    "code": (set(), set()),
    "message": ({"sender", "text"}, set()),
    "card": ({"title"}, set()),
    "toggle": ({"label"}, set()),
    "photo": ({"label"}, set()),
    "alert": ({"text"}, set()),
}
ELEMENT_OTHER = {"type", "id", "items", "secret", "style", "digits", "filled", "lines", "on", "tone"}
NEEDS_ID = {"button", "link", "toggle"}
HAS_ITEMS = {"menu", "grid", "tabs"}


@dataclass(frozen=True)
class Problem:
    file: str
    step: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"step {self.step}: " if self.step is not None else ""
        return f"{self.file}: {where}{self.field}: {self.message}"

    @property
    def breaks_link_policy(self) -> bool:
        """True for a link address that may not be offered (not https, or not official)."""
        return self.field.startswith("links[") and self.field.endswith(".url")


def link_policy_summary(problems: list[Problem]) -> str | None:
    """One plain sentence when any problem is a link the policy refuses, else ``None``."""
    count = sum(problem.breaks_link_policy for problem in problems)
    if not count:
        return None
    return ui_text("lessons.link_policy", "en", count=count)


class _Checker:
    """Collects problems for one document; ``step`` is set while a step is being checked."""

    def __init__(self, file: str, folder: Path, apps: set[str], today: date):
        self.file, self.folder, self.apps, self.today = file, folder, apps, today
        self.step: int | None = None
        self.problems: list[Problem] = []
        self.source_ids: set[str] = set()

    def report(self, field: str, message: str) -> None:
        self.problems.append(Problem(self.file, self.step, field, message))

    def text(self, value, field: str, required: bool = True) -> None:
        if value is None:
            if required:
                self.report(field, "missing")
            return
        if not isinstance(value, dict):
            self.report(field, 'must be a text like {"vi": "...", "en": "..."}')
            return
        for language in LANGUAGES:
            if not isinstance(value.get(language), str) or not value[language].strip():
                self.report(f"{field}.{language}", "missing or empty")
        for extra in set(value) - set(LANGUAGES):
            self.report(f"{field}.{extra}", "unknown language")

    def texts(self, value, field: str, required: bool = True) -> None:
        if value is None and not required:
            return
        if not isinstance(value, list) or (required and not value):
            self.report(field, "must be a non-empty list of texts")
            return
        for i, item in enumerate(value):
            self.text(item, f"{field}[{i}]")

    def pairs(self, value, field: str, keys: tuple[str, str]) -> None:
        if value is None:
            return
        if not isinstance(value, list):
            self.report(field, "must be a list")
            return
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                self.report(f"{field}[{i}]", "must be an object")
                continue
            for key in keys:
                self.text(item.get(key), f"{field}[{i}].{key}")

    def plain(self, value, field: str, required: bool = True) -> None:
        """A plain (one-language) non-empty string, such as a source's title."""
        if value is None and not required:
            return
        if not isinstance(value, str) or not value.strip():
            self.report(field, "missing or empty" if value is None else "must be a non-empty text")

    def iso_date(self, value, field: str) -> None:
        """An ISO date (YYYY-MM-DD) that is a real day and not in the future."""
        if value is None:
            self.report(field, "missing: the date this was last checked, as YYYY-MM-DD")
            return
        day = None
        if isinstance(value, str) and DATE_PATTERN.match(value):
            try:
                day = date.fromisoformat(value)
            except ValueError:
                pass
        if day is None:
            self.report(field, f"must be a date written YYYY-MM-DD, not {value!r}")
        elif day > self.today:
            self.report(field, f"{value} is in the future")


def check_document(doc, file: str, folder: Path, apps: set[str], *,
                   today: date | None = None) -> list[Problem]:
    """Every problem in a lesson document (already upgraded to the current format).

    ``today`` (default: the real date) is the day no ``checked_on`` may be after."""
    check = _Checker(file, folder, apps, today or date.today())
    if not isinstance(doc, dict):
        check.report("(file)", "must hold one JSON object")
        return check.problems
    _check_header(check, doc)
    _check_sources(check, doc.get("sources"))
    steps = doc.get("steps")
    if not isinstance(steps, list) or not 1 <= len(steps) <= MAX_STEPS:
        check.report("steps", f"must be a list of 1 to {MAX_STEPS} steps")
    else:
        for number, step in enumerate(steps, start=1):
            check.step = number
            _check_step(check, step)
        check.step = None
    _check_links(check, doc.get("links"))
    return check.problems


def _check_header(check: _Checker, doc: dict) -> None:
    lesson_id = doc.get("id")
    if not isinstance(lesson_id, str) or not ID_PATTERN.match(lesson_id):
        check.report("id", "must be lower-case letters, digits and '-'")
    elif lesson_id != check.folder.name:
        check.report("id", f"must match the folder name '{check.folder.name}'")
    if not isinstance(doc.get("version"), str) or not doc["version"].strip():
        check.report("version", 'must be a version string such as "1.0"')
    if doc.get("app") not in check.apps:
        check.report("app", f"must be one of: {', '.join(sorted(check.apps))}")
    check.text(doc.get("title"), "title")
    check.text(doc.get("purpose"), "purpose")
    minutes = doc.get("minutes")
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= 120:
        check.report("minutes", "must be a whole number of minutes from 1 to 120")
    check.texts(doc.get("needs"), "needs")
    check.pairs(doc.get("problems"), "problems", ("problem", "solution"))
    check.pairs(doc.get("elsewhere"), "elsewhere", ("need", "where"))
    check.iso_date(doc.get("checked_on"), "checked_on")
    known = {"format", "id", "version", "app", "title", "purpose", "minutes", "needs", "steps",
             "problems", "elsewhere", "links", "sources", "checked_on"}
    for extra in sorted(set(doc) - known):
        check.report(extra, "unknown field")


def _check_step(check: _Checker, step) -> None:
    if not isinstance(step, dict):
        check.report("(step)", "must be an object")
        return
    check.text(step.get("instruction"), "instruction")
    for optional in ("detail", "tip", "warning"):
        check.text(step.get(optional), optional, required=False)
    known = {"instruction", "detail", "tip", "warning", "screen", "image", "target", "sources"}
    for extra in sorted(set(step) - known):
        check.report(extra, "unknown field")
    _check_step_sources(check, step.get("sources"))
    ids: set[str] = set()
    if "screen" in step:
        if "image" in step:
            check.report("image", "give either a screen or an image, not both")
        ids = _check_screen(check, step["screen"])
    if "image" in step:
        image = step["image"]
        if not isinstance(image, str) or not (check.folder / image).is_file():
            check.report("image", f"no such picture in the lesson folder: {image!r}")
    target = step.get("target")
    if target is not None and target not in ids:
        check.report("target", f"no element with id {target!r} on this step's screen")


def _check_screen(check: _Checker, screen) -> set[str]:
    """Check a mock screen; return the ids it defines."""
    ids: set[str] = set()
    if not isinstance(screen, dict):
        check.report("screen", "must be an object")
        return ids
    check.text(screen.get("title"), "screen.title", required=False)
    if "color" in screen and not COLOR_PATTERN.match(str(screen["color"])):
        check.report("screen.color", "must be a colour like #1a73e8")
    elements = screen.get("elements")
    if not isinstance(elements, list) or not elements:
        check.report("screen.elements", "must be a non-empty list")
        return ids
    for i, element in enumerate(elements):
        ids |= _check_element(check, element, f"screen.elements[{i}]")
    return ids


def _check_element(check: _Checker, element, field: str) -> set[str]:
    if not isinstance(element, dict) or element.get("type") not in ELEMENT_TEXTS:
        check.report(f"{field}.type", f"must be one of: {', '.join(ELEMENT_TEXTS)}")
        return set()
    kind = element["type"]
    required, optional = ELEMENT_TEXTS[kind]
    for name in required:
        check.text(element.get(name), f"{field}.{name}")
    for name in optional:
        check.text(element.get(name), f"{field}.{name}", required=False)
    for extra in sorted(set(element) - ELEMENT_OTHER - required - optional):
        check.report(f"{field}.{extra}", f"unknown field for a {kind}")
    ids = set()
    if kind in NEEDS_ID and not element.get("id"):
        check.report(f"{field}.id", f"a {kind} needs an id")
    if element.get("id"):
        ids.add(str(element["id"]))
    if kind in HAS_ITEMS:
        items = element.get("items")
        if not isinstance(items, list) or not items:
            check.report(f"{field}.items", "must be a non-empty list")
        else:
            for j, item in enumerate(items):
                if not isinstance(item, dict) or not item.get("id"):
                    check.report(f"{field}.items[{j}].id", "missing")
                    continue
                ids.add(str(item["id"]))
                check.text(item.get("label"), f"{field}.items[{j}].label")
    if kind == "code":
        digits = element.get("digits", 6)
        if not isinstance(digits, int) or not 4 <= digits <= 8:
            check.report(f"{field}.digits", "must be a whole number from 4 to 8")
    if kind == "card":
        check.texts(element.get("lines", []), f"{field}.lines", required=False)
    return ids


def _check_links(check: _Checker, links) -> None:
    if links is None:
        return
    if not isinstance(links, list):
        check.report("links", "must be a list")
        return
    for i, link in enumerate(links):
        field = f"links[{i}]"
        if not isinstance(link, dict):
            check.report(field, "must be an object")
            continue
        if not link.get("id"):
            check.report(f"{field}.id", "missing")
        check.text(link.get("label"), f"{field}.label")
        url = link.get("url")
        if not isinstance(url, str) or not re.match(r"^https://[^\s/]+\.[^\s]+$", url):
            check.report(f"{field}.url", "must be a full https:// address")
        elif link.get("verified") is True and (problem := official_link_problem(url)):
            check.report(f"{field}.url", f"marked verified, but {problem}")
        if not isinstance(link.get("verified"), bool):
            check.report(f"{field}.verified", "must be true or false")


def _check_sources(check: _Checker, sources) -> None:
    """Format 2: at least one source; each with a unique id, title, publisher, URL and date."""
    if not isinstance(sources, list) or not sources:
        check.report("sources", "every lesson needs at least one source (title, publisher, URL, "
                                "date checked) for the facts it teaches")
        return
    for i, source in enumerate(sources):
        field = f"sources[{i}]"
        if not isinstance(source, dict):
            check.report(field, "must be an object")
            continue
        source_id = source.get("id")
        if not isinstance(source_id, str) or not ID_PATTERN.match(source_id):
            check.report(f"{field}.id", "must be lower-case letters, digits and '-'")
        elif source_id in check.source_ids:
            check.report(f"{field}.id", f"{source_id!r} is used twice")
        else:
            check.source_ids.add(source_id)
        check.plain(source.get("title"), f"{field}.title")
        check.plain(source.get("publisher"), f"{field}.publisher")
        check.plain(source.get("note"), f"{field}.note", required=False)
        url = source.get("url")
        if not isinstance(url, str) or not re.match(r"^https?://[^\s/@]+\.[^\s/@]+(/\S*)?$", url):
            check.report(f"{field}.url", "must be the full http(s):// address of the source")
        check.iso_date(source.get("checked_on"), f"{field}.checked_on")
        for extra in sorted(set(source) - SOURCE_FIELDS):
            check.report(f"{field}.{extra}", "unknown field")


def _check_step_sources(check: _Checker, ids) -> None:
    """A step's optional ``sources``: ids of the lesson's sources (checked after them)."""
    if ids is None:
        return
    if not isinstance(ids, list) or not ids:
        check.report("sources", "must be a non-empty list of source ids")
        return
    for i, source_id in enumerate(ids):
        if source_id not in check.source_ids:
            check.report(f"sources[{i}]", f"no source with id {source_id!r} in the lesson's sources")
