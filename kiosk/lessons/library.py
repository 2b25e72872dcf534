"""Loading lessons from folders: every good lesson is kept, every broken one reported.

A broken lesson never stops the kiosk: it is left out and its problems are listed for the admin.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.lessons import BUNDLED_DIR
from kiosk.lessons.model import App, Lesson, lesson_from_document
from kiosk.lessons.upgrade import UnknownFormat, upgrade
from kiosk.lessons.validation import Problem, check_document
from kiosk.lessons.versions import is_newer

LESSON_FILE = "lesson.json"
APPS_FILE = "apps.json"


@dataclass
class Library:
    """The lessons that loaded, the apps they belong to, and the problems of those that did not."""

    lessons: list[Lesson] = field(default_factory=list)
    apps: dict[str, App] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def lesson(self, lesson_id: str) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.id == lesson_id), None)

    def lessons_for(self, app_id: str) -> list[Lesson]:
        return [lesson for lesson in self.lessons if lesson.app == app_id]

    def apps_in_use(self) -> list[App]:
        """Apps that have at least one lesson, in their display order."""
        used = {lesson.app for lesson in self.lessons}
        return sorted((app for app in self.apps.values() if app.id in used), key=lambda a: a.order)


def load_apps(path: Path = BUNDLED_DIR / APPS_FILE) -> dict[str, App]:
    """The app catalogue (``apps.json``): id → App, in the file's order."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {item["id"]: App(id=item["id"], name=item["name"], color=item["color"], order=order)
            for order, item in enumerate(raw["apps"])}


def lesson_folders(path: Path) -> list[Path]:
    """``path`` itself if it is a lesson folder, else its sub-folders that hold a lesson file."""
    if (path / LESSON_FILE).exists():
        return [path]
    return sorted(child for child in path.iterdir()
                  if child.is_dir() and (child / LESSON_FILE).exists())


def load_lesson(folder: Path, apps: set[str]) -> tuple[Lesson | None, list[Problem]]:
    """Read, upgrade and check one lesson folder; the lesson is ``None`` if it has any problem."""
    file = f"{folder.name}/{LESSON_FILE}"
    try:
        document = json.loads((folder / LESSON_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        return None, [Problem(file, None, "(file)", f"cannot be read: {error}")]
    except json.JSONDecodeError as error:
        return None, [Problem(file, None, "(file)",
                              f"is not valid JSON (line {error.lineno}, column {error.colno}: "
                              f"{error.msg})")]
    try:
        document = upgrade(document if isinstance(document, dict) else {})
    except UnknownFormat as error:
        return None, [Problem(file, None, "format", str(error))]
    problems = check_document(document, file, folder, apps)
    if problems:
        return None, problems
    return lesson_from_document(document, folder), []


def load_library(*folders: Path) -> Library:
    """Load every lesson under ``folders`` (default: the bundled lessons).

    A lesson id found in a later folder replaces the same id from an earlier one unless its
    version is lower: an installed pack overrides the bundled lessons, but a package upgrade that
    brings a newer version of a lesson than the hub's edit shows the newer one. Never raises for
    a broken lesson: see ``Library.problems``.
    """
    library = Library(apps=load_apps())
    by_id: dict[str, Lesson] = {}
    for root in folders or (BUNDLED_DIR,):
        if not root.is_dir():
            continue
        for folder in lesson_folders(root):
            lesson, problems = load_lesson(folder, set(library.apps))
            library.problems.extend(problems)
            if lesson and not is_newer(getattr(by_id.get(lesson.id), "version", ""),
                                       lesson.version):
                by_id[lesson.id] = lesson
    order = {app_id: app.order for app_id, app in library.apps.items()}
    library.lessons = sorted(by_id.values(), key=lambda l: (order.get(l.app, 99), l.id))
    return library


def validate_path(path: Path) -> tuple[int, list[Problem]]:
    """Check a lesson folder or a folder of lessons: (lessons checked, problems)."""
    if not path.exists():
        return 0, [Problem(str(path), None, "(path)", "does not exist")]
    folders = lesson_folders(path) if path.is_dir() else []
    if not folders:
        return 0, [Problem(str(path), None, "(path)",
                           f"holds no {LESSON_FILE} and no lesson folders")]
    apps = set(load_apps())
    problems = [p for folder in folders for p in load_lesson(folder, apps)[1]]
    return len(folders), problems
