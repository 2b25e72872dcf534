"""An in-memory lesson store and funnel with the studio's interface, so the studio's pages can
be tested on their own (the real ones: ``kiosk.hub.studio.store`` and ``.funnel``).

Its errors are the real store's (``StudioError`` and its kinds). It keeps drafts with a revision counter (``StaleDraft`` when a save names an older one),
published versions, and a small validator giving ``Problem(path, message)`` the way the schema
validator does: a missing English title, a step without instruction, a target not on the screen.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from typing import NamedTuple

from markupsafe import Markup
from PIL import Image

from kiosk.lessons import BUNDLED_DIR

BUNDLED = "vneid-activate"
ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class StudioError(Exception):
    """The studio refused an action."""


class StaleDraft(StudioError):
    """Someone else saved the draft first."""


class UnknownLesson(StudioError):
    """No lesson with that id."""


class LessonExists(StudioError):
    """That id is taken."""


class PublishProblems(StudioError):
    """The lesson has problems; nothing was published."""


class ImportRefused(StudioError):
    """The zip is not a lesson."""


class Problem(NamedTuple):
    path: str
    message: str


class Change(NamedTuple):
    path: str
    old: object
    new: object


@dataclass
class _Entry:
    draft: dict
    origin: str
    revision: int = 0
    versions: list = field(default_factory=list)


class FakeStore:
    StudioError, StaleDraft, UnknownLesson = StudioError, StaleDraft, UnknownLesson
    LessonExists, PublishProblems, ImportRefused = LessonExists, PublishProblems, ImportRefused

    def __init__(self):
        bundled = json.loads((BUNDLED_DIR / BUNDLED / "lesson.json").read_text("utf-8"))
        self.lessons = {BUNDLED: _Entry(bundled, "bundled")}
        self.published_with = None
        self.pictures: dict[str, bytes] = {}
        self.package_newer = None  # a lesson id whose package version overtook the hub's

    def list_lessons(self, conn) -> list[dict]:
        return [{"id": key, "title": e.draft.get("title", {}), "app": e.draft.get("app"),
                 "version": e.draft.get("version"), "checked_on": e.draft.get("checked_on"),
                 "origin": e.origin, "has_draft": e.revision > 0,
                 "package_newer": key == self.package_newer}
                for key, e in sorted(self.lessons.items())]

    def get_draft(self, conn, lesson_id: str) -> tuple[dict, int]:
        if lesson_id not in self.lessons:
            raise UnknownLesson(lesson_id)
        entry = self.lessons[lesson_id]
        return copy.deepcopy(entry.draft), entry.revision

    def save_draft(self, conn, lesson_id, lesson, *, expected_revision, user) -> int:
        entry = self.lessons[lesson_id]
        if expected_revision != entry.revision:
            raise StaleDraft(lesson_id)
        entry.draft, entry.revision = copy.deepcopy(lesson), entry.revision + 1
        return entry.revision

    def create(self, conn, lesson, user) -> None:
        if not ID.match(lesson.get("id", "")):
            raise StudioError("bad id")
        if lesson["id"] in self.lessons:
            raise LessonExists(lesson["id"])
        self.lessons[lesson["id"]] = _Entry(copy.deepcopy(lesson), "hub", revision=1)

    def duplicate(self, conn, lesson_id, new_id, user) -> None:
        lesson = {**self.get_draft(conn, lesson_id)[0], "id": new_id}
        self.create(conn, lesson, user)

    def validate(self, lesson, *, conn=None) -> list[Problem]:
        found = []
        if not (lesson.get("title") or {}).get("en"):
            found.append(Problem("title.en", "missing"))
        for index, step in enumerate(lesson.get("steps") or []):
            if not (step.get("instruction") or {}).get("vi"):
                found.append(Problem(f"steps[{index}].instruction.vi", "missing or empty"))
            ids = {e.get("id") for e in (step.get("screen") or {}).get("elements", [])}
            ids |= {i.get("id") for e in (step.get("screen") or {}).get("elements", [])
                    for i in e.get("items") or []}
            if step.get("target") and step["target"] not in ids:
                found.append(Problem(f"steps[{index}].target",
                                     f"names {step['target']!r}, not on the screen"))
        return found

    def publish(self, conn, lesson_id, user, settings) -> int:
        entry = self.lessons[lesson_id]
        if self.validate(entry.draft):
            raise PublishProblems("invalid")
        self.published_with = settings
        return self._new_version(entry, entry.draft, user)

    def _new_version(self, entry, lesson, user) -> int:
        version = len(entry.versions) + 1
        entry.versions.append({"version": version, "lesson": copy.deepcopy(lesson),
                               "published_at": f"2026-01-01T00:00:{version:02d}+00:00",
                               "published_by": user})
        return version

    def history(self, conn, lesson_id) -> list[dict]:
        return list(reversed(self.lessons[lesson_id].versions))  # newest first

    def diff(self, old: dict, new: dict) -> list[Change]:
        a, b = dict(_flat(old)), dict(_flat(new))
        return [Change(k, a.get(k), b.get(k)) for k in sorted(a.keys() | b.keys())
                if a.get(k) != b.get(k)]

    def republish(self, conn, lesson_id, version, user, settings) -> int:
        entry = self.lessons[lesson_id]
        found = [v for v in entry.versions if str(v["version"]) == str(version)]
        if not found:
            raise StudioError(f"no version {version}")
        entry.draft = copy.deepcopy(found[0]["lesson"])
        return self._new_version(entry, found[0]["lesson"], user)

    def upload_picture(self, conn, data: bytes, user) -> str:
        try:
            with Image.open(io.BytesIO(data)) as image:
                kind = image.format
                image.verify()
        except (OSError, SyntaxError, ValueError):
            raise StudioError("not a picture") from None
        if kind not in ("PNG", "JPEG"):
            raise StudioError("not a PNG or JPEG picture")
        name = f"images/{hashlib.sha256(data).hexdigest()}.{'png' if kind == 'PNG' else 'jpg'}"
        self.pictures[name] = data
        return name

    def picture_bytes(self, conn, name) -> bytes | None:
        return self.pictures.get(name)

    def export_zip(self, conn, lesson_id) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr(f"{lesson_id}/lesson.json",
                             json.dumps(self.lessons[lesson_id].draft, ensure_ascii=False))
        return out.getvalue()

    def import_zip(self, conn, data: bytes, user) -> dict:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                name = next(n for n in archive.namelist() if n.endswith("lesson.json"))
                lesson = json.loads(archive.read(name))
        except (zipfile.BadZipFile, StopIteration, ValueError):
            raise ImportRefused("not a lesson zip") from None
        self.lessons.pop(lesson.get("id"), None)
        self.create(conn, lesson, user)
        return {"id": lesson["id"], "revision": 1, "created": True}


def _flat(value, path=""):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _flat(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _flat(item, f"{path}[{index}]")
    else:
        yield path, value


@dataclass
class _Step:
    step: int
    reached: int
    left: int
    help_presses: int


@dataclass
class _Funnel:
    started: int
    finished: int
    steps: list

    @property
    def completion_rate(self):
        return self.finished / self.started if self.started else None


class FakeFunnel:
    """Ten runs of every lesson: all reach step 1, 8 step 2, 6 finish."""

    def lesson_funnel(self, conn, lesson_id, version=None, *, points=None):
        return _Funnel(10, 6, [_Step(1, 10, 2, 1), _Step(2, 8, 2, 3)])

    def funnel_chart(self, funnel, language="vi"):
        return Markup('<svg class="chart funnel" role="img"><title>funnel</title></svg>')

    def funnel_csv(self, funnel, language="vi"):
        return "step,reached\n1,10\n2,8\n"
