"""Publishing studio lessons: validate, raise the version, keep it, and sign a lesson pack of
every hub lesson for kiosks to pull (as ``kiosk-hub lessons publish`` does); history and
rollback (an earlier version published again, as a new higher version).

Writers run inside the caller's write transaction (``write_transaction``): if anything fails,
nothing of the publication is kept.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from sqlalchemy import Connection, select

from kiosk.hub.database import now_iso
from kiosk.hub.keys import HubKeys
from kiosk.hub.packs import publish_members
from kiosk.hub.schema import studio_lessons, studio_versions
from kiosk.hub.studio import drafts
from kiosk.hub.studio.drafts import StudioError, get_draft, latest_published, packaged
from kiosk.hub.studio.pictures import has_picture, picture_bytes
from kiosk.lessons import BUNDLED_DIR
from kiosk.lessons.library import LESSON_FILE
from kiosk.lessons.validation import Problem, check_document
from kiosk.lessons.versions import next_version
from kiosk.sync.pack_format import LESSONS_ROOT


class PackSettings(Protocol):
    """Where packs go and what signs them: ``kiosk.hub.site.Hub`` is one."""
    keys: HubKeys
    packs_dir: Path


@dataclass
class PublishSettings:
    keys: HubKeys
    packs_dir: Path


def problems_text(problems: list[Problem]) -> str:
    """One line per problem: its path in the lesson, then what is wrong."""
    return "\n".join(f"{p.path or '(lesson)'}: {p.message}" for p in problems)


class PublishProblems(StudioError):
    """The lesson has problems; nothing was published. ``problems`` lists them with paths."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("the lesson has problems, nothing was published:\n"
                         + problems_text(problems))


def _picture_exists(conn: Connection | None, lesson_id, name: str) -> bool:
    return (conn is not None and has_picture(conn, name)) or \
        packaged_picture(lesson_id, name) is not None


def packaged_picture(lesson_id, name: str) -> bytes | None:
    """A picture shipped in the package beside a bundled lesson, never outside its folder."""
    if not isinstance(lesson_id, str) or packaged(lesson_id) is None:
        return None
    folder = (BUNDLED_DIR / lesson_id).resolve()
    path = (folder / name).resolve()
    return path.read_bytes() if path.is_relative_to(folder) and path.is_file() else None


def validate(lesson: dict, *, conn: Connection | None = None,
             pictures: frozenset[str] = frozenset()) -> list[Problem]:
    """Every problem of ``lesson`` with its path and message (the kiosk's own validator).
    Step pictures are looked for in ``pictures``, the package and, with ``conn``, among the
    uploaded ones."""
    lesson_id = lesson.get("id") if isinstance(lesson, dict) else None
    return check_document(lesson, LESSON_FILE, None, drafts.app_ids(),
                          has_picture=lambda name: name in pictures or
                          _picture_exists(conn, lesson_id, name))


def publish(conn: Connection, lesson_id: str, user: str, settings: PackSettings, *,
            note: str = "") -> str:
    """Publish the draft of ``lesson_id``: validate it, raise its version above every version
    it has had (the package's too), keep it, and sign a new lesson pack. Returns the new
    version. Raises ``PublishProblems``, ``StaleDraft`` (someone saved meanwhile),
    ``UnknownLesson``, or ``OSError`` when the pack cannot be written."""
    lesson, revision = get_draft(conn, lesson_id)
    versions = [lesson.get("version"), (packaged(lesson_id) or {}).get("version")]
    versions += [row.version for row in conn.execute(select(studio_versions.c.version).where(
        studio_versions.c.lesson_id == lesson_id))]
    lesson["version"] = next_version(*versions)
    problems = validate(lesson, conn=conn)
    if problems:
        raise PublishProblems(problems)
    drafts.save_draft(conn, lesson_id, lesson, expected_revision=revision, user=user)
    newest = latest_published(conn, lesson_id)
    number = (newest["number"] if newest else 0) + 1
    conn.execute(studio_versions.insert().values(
        lesson_id=lesson_id, number=number, version=lesson["version"],
        lesson=drafts.encode(lesson), published_by=user, published_at=now_iso(),
        note=note or ""))
    pack = publish_pack(conn, settings)
    conn.execute(studio_versions.update().where(
        studio_versions.c.lesson_id == lesson_id, studio_versions.c.number == number)
        .values(pack_version=pack["version"]))
    return lesson["version"]


def publish_pack(conn: Connection, settings: PackSettings) -> dict:
    """Sign a pack holding the newest published version of every studio lesson (except those a
    newer package version replaces) with their pictures; returns the pack's row."""
    ids, members = [], {}
    for lesson_id in sorted(drafts.studio_rows(conn)):
        newest = latest_published(conn, lesson_id)
        if newest is None or drafts.package_wins(conn, lesson_id, newest["lesson"]):
            continue
        ids.append(lesson_id)
        folder = f"{LESSONS_ROOT}/{lesson_id}"
        members[f"{folder}/{LESSON_FILE}"] = drafts.encode(newest["lesson"]).encode("utf-8")
        for name in step_pictures(newest["lesson"]):
            data = picture_bytes(conn, name) or packaged_picture(lesson_id, name)
            if data is None:
                raise StudioError(f"the picture {name} of {lesson_id} is missing")
            members[f"{folder}/{name}"] = data
    return publish_members(conn, settings.keys, settings.packs_dir, ids, members)


def step_pictures(lesson: dict) -> list[str]:
    """The picture names the steps of ``lesson`` use, each once."""
    steps = lesson.get("steps") if isinstance(lesson, dict) else None
    names = [step.get("image") for step in steps or [] if isinstance(step, dict)]
    return list(dict.fromkeys(name for name in names if isinstance(name, str)))


def history(conn: Connection, lesson_id: str) -> list[dict]:
    """Every published version of ``lesson_id``, newest first: ``number``, ``version``,
    ``published_by``, ``published_at``, ``note``, ``pack_version`` and ``lesson`` (a dict)."""
    rows = conn.execute(select(studio_versions).where(studio_versions.c.lesson_id == lesson_id)
                        .order_by(studio_versions.c.number.desc())).mappings()
    return [{**row, "lesson": json.loads(row["lesson"])} for row in rows]


def republish(conn: Connection, lesson_id: str, version: str | int, user: str,
              settings: PackSettings) -> str:
    """Roll back: publish the earlier ``version`` (its version text, or its ``number`` in the
    history) again as a new, higher version; returns that version. The draft becomes that
    content. Raises ``StudioError`` for an unknown version, or as ``publish`` does."""
    column = studio_versions.c.number if isinstance(version, int) else studio_versions.c.version
    text = conn.execute(select(studio_versions.c.lesson).where(
        studio_versions.c.lesson_id == lesson_id, column == version)).scalar_one_or_none()
    if text is None:
        raise StudioError(f"{lesson_id!r} has no published version {version!r}")
    revision = conn.execute(select(studio_lessons.c.revision).where(
        studio_lessons.c.lesson_id == lesson_id)).scalar_one()
    drafts.save_draft(conn, lesson_id, json.loads(text), expected_revision=revision, user=user)
    return publish(conn, lesson_id, user, settings, note=f"rollback to version {version}")
