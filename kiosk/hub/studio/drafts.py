"""Studio lessons and their drafts: the bundled lessons and the hub's own, edited with
optimistic concurrency (a save names the revision it started from).

Every function takes a SQLAlchemy ``Connection``; those that write expect to run inside the
caller's write transaction (``kiosk.hub.database.write_transaction``), which commits them.
"""

from __future__ import annotations

import copy
import json
import re
from functools import lru_cache

from sqlalchemy import Connection, select
from sqlalchemy.dialects import postgresql, sqlite

from kiosk.hub.database import now_iso
from kiosk.hub.schema import studio_lessons, studio_versions
from kiosk.lessons import BUNDLED_DIR
from kiosk.lessons.library import LESSON_FILE, lesson_folders, load_apps
from kiosk.lessons.schema import ID_PATTERN
from kiosk.lessons.versions import is_newer

MAX_LESSON_BYTES = 1024 * 1024  # one lesson.json; the largest bundled one is ~40 KB


class StudioError(Exception):
    """The studio refused an action; ``str()`` says why in plain words."""


class StaleDraft(StudioError):
    """Someone else saved this lesson since the revision the save started from."""


class LessonExists(StudioError):
    """A lesson with that id exists already (bundled or the hub's)."""


class UnknownLesson(StudioError):
    """No lesson with that id, bundled or the hub's."""


def encode(lesson: dict) -> str:
    """A lesson as stored: JSON text in the lesson's own key order; raises ``StudioError`` if
    it is too large."""
    text = json.dumps(lesson, ensure_ascii=False, indent=1)
    if len(text.encode("utf-8")) > MAX_LESSON_BYTES:
        raise StudioError(f"the lesson is larger than {MAX_LESSON_BYTES // 1024} KB")
    return text


@lru_cache(maxsize=1)
def _package() -> dict[str, tuple[str, dict]]:
    """Bundled lesson id → (its folder's text, its document), read once from the package."""
    found = {}
    for folder in lesson_folders(BUNDLED_DIR):
        text = (folder / LESSON_FILE).read_text(encoding="utf-8")
        found[folder.name] = (text, json.loads(text))
    return found


def packaged(lesson_id: str) -> dict | None:
    """A copy of the bundled lesson ``lesson_id`` as the package ships it, or ``None``."""
    entry = _package().get(lesson_id)
    return copy.deepcopy(entry[1]) if entry else None


def bundled_ids() -> list[str]:
    return list(_package())


def app_ids() -> set[str]:
    return set(load_apps())


def _row(conn: Connection, lesson_id: str):
    return conn.execute(select(studio_lessons).where(
        studio_lessons.c.lesson_id == lesson_id)).mappings().first()


def latest_published(conn: Connection, lesson_id: str) -> dict | None:
    """The newest published version's row (``number``, ``version``, ``lesson`` as a dict…)."""
    row = conn.execute(select(studio_versions).where(studio_versions.c.lesson_id == lesson_id)
                       .order_by(studio_versions.c.number.desc()).limit(1)).mappings().first()
    return {**row, "lesson": json.loads(row["lesson"])} if row else None


def package_newer_than(draft: dict, package: dict | None, published: dict | None) -> bool:
    """A package upgrade brought a newer version than the hub's, and nothing is left unpublished
    (see docs/checking-lessons.md, "Which wins")."""
    return (package is not None and is_newer(package.get("version"), draft.get("version"))
            and (published is None or published["lesson"] == draft))


def get_draft(conn: Connection, lesson_id: str) -> tuple[dict, int]:
    """``(lesson, revision)``: the hub's draft, or the packaged content at revision 0 for a
    bundled lesson not yet edited (or whose package is newer than the hub's published edit).
    Raises ``UnknownLesson``."""
    row, package = _row(conn, lesson_id), packaged(lesson_id)
    if row is None:
        if package is None:
            raise UnknownLesson(f"no lesson {lesson_id!r}")
        return package, 0
    draft = json.loads(row["draft"])
    if package_newer_than(draft, package, latest_published(conn, lesson_id)):
        return package, row["revision"]
    return draft, row["revision"]


def save_draft(conn: Connection, lesson_id: str, lesson: dict, *, expected_revision: int,
               user: str) -> int:
    """Store ``lesson`` as the draft of ``lesson_id`` if its revision is still
    ``expected_revision``; return the new revision. Raises ``StaleDraft`` (nothing written)
    when someone saved first, ``UnknownLesson``, or ``StudioError`` for a lesson that is not an
    object, names another id or is too large. The draft need not be valid yet."""
    if not isinstance(lesson, dict):
        raise StudioError("a lesson must be a JSON object")
    if lesson.get("id") != lesson_id:
        raise StudioError(f"the lesson's id must stay {lesson_id!r}")
    text, now = encode(lesson), now_iso()
    row = _row(conn, lesson_id)
    if row is None:
        if packaged(lesson_id) is None:
            raise UnknownLesson(f"no lesson {lesson_id!r}")
        if expected_revision != 0 or not _insert(conn, lesson_id, "bundled", text, user):
            raise StaleDraft(_stale_message(conn, lesson_id))
        return 1
    updated = conn.execute(studio_lessons.update().where(
        studio_lessons.c.lesson_id == lesson_id,
        studio_lessons.c.revision == expected_revision).values(
        draft=text, revision=expected_revision + 1, updated_by=user, updated_at=now))
    if updated.rowcount != 1:
        raise StaleDraft(_stale_message(conn, lesson_id))
    return expected_revision + 1


def _stale_message(conn: Connection, lesson_id: str) -> str:
    row = _row(conn, lesson_id)
    who = f" by {row['updated_by']} at {row['updated_at']}" if row else ""
    return (f"someone else saved this lesson first{who}; nothing was overwritten: open it again "
            "to see their changes, then make yours")


def insert_new(conn: Connection, table, **values) -> bool:
    """Insert a row unless its key exists (decided by the key, not a look-up, so two writers at
    once cannot both insert); ``True`` if this call inserted it."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    key = list(table.primary_key.columns)
    statement = dialect.insert(table).values(**values).on_conflict_do_nothing(index_elements=key)
    return conn.execute(statement.returning(*key)).first() is not None


def _insert(conn: Connection, lesson_id: str, origin: str, text: str, user: str) -> bool:
    """Insert the first row of a lesson; ``False`` if another writer inserted it first."""
    now = now_iso()
    return insert_new(conn, studio_lessons, lesson_id=lesson_id, origin=origin, draft=text,
                      revision=1, created_by=user, created_at=now, updated_by=user,
                      updated_at=now)


def create(conn: Connection, lesson: dict, user: str) -> int:
    """Add a new hub lesson from ``lesson`` (a draft: it need not be complete); returns its
    revision, 1. Raises ``LessonExists`` or ``StudioError`` for an unusable id."""
    if not isinstance(lesson, dict):
        raise StudioError("a lesson must be a JSON object")
    lesson_id = lesson.get("id")
    if not isinstance(lesson_id, str) or not re.match(ID_PATTERN, lesson_id) or \
            len(lesson_id) > 100:
        raise StudioError("a lesson id is lower-case letters, digits and '-', e.g. "
                          "'vneid-new-phone'")
    if packaged(lesson_id) is not None or not _insert(conn, lesson_id, "hub", encode(lesson),
                                                      user):
        raise LessonExists(f"a lesson {lesson_id!r} exists already: choose another id")
    return 1


def duplicate(conn: Connection, lesson_id: str, new_id: str, user: str) -> int:
    """A new hub lesson ``new_id``, a copy of ``lesson_id``'s current draft at version 1.0;
    returns its revision. Raises as ``get_draft`` and ``create`` do."""
    lesson, _ = get_draft(conn, lesson_id)
    lesson.update(id=new_id, version="1.0")
    return create(conn, lesson, user)


def studio_rows(conn: Connection) -> dict[str, dict]:
    """Every studio lesson's row, by id."""
    return {row["lesson_id"]: dict(row) for row in conn.execute(select(studio_lessons))
            .mappings()}


def package_wins(conn: Connection, lesson_id: str, draft: dict) -> bool:
    """True when the package's version of ``lesson_id`` is newer than the hub's ``draft`` and
    the hub has nothing unpublished for it."""
    return package_newer_than(draft, packaged(lesson_id), latest_published(conn, lesson_id))
