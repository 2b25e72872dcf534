"""The studio's list of lessons: every bundled lesson and every lesson of the hub, with what a
ward officer needs to pick one (title, app, version, last check, where it comes from, whether
it has unpublished changes)."""

from __future__ import annotations

import json

from sqlalchemy import Connection

from kiosk.hub.studio.drafts import (bundled_ids, latest_published, package_newer_than,
                                     packaged, studio_rows)


def list_lessons(conn: Connection) -> list[dict]:
    """One dict per lesson, by app then id: ``id``, ``title`` (vi/en), ``app``, ``version``,
    ``checked_on``, ``origin`` ("bundled" or "hub"), ``has_draft`` (edits not yet published),
    ``published_version`` (the hub's newest, or ``None``), ``revision``, ``updated_by``,
    ``updated_at``, ``package_version`` and ``package_newer`` (a package upgrade brought a newer
    version than the hub's edit, and it is the one kiosks show)."""
    rows = studio_rows(conn)
    entries = [_entry(conn, lesson_id, rows.get(lesson_id))
               for lesson_id in dict.fromkeys([*bundled_ids(), *rows])]
    return sorted(entries, key=lambda e: (str(e["app"]), e["id"]))


def _entry(conn: Connection, lesson_id: str, row: dict | None) -> dict:
    package = packaged(lesson_id)
    published = latest_published(conn, lesson_id) if row else None
    draft = json.loads(row["draft"]) if row else None
    package_newer = draft is not None and package_newer_than(draft, package, published)
    shown = package if draft is None or package_newer else draft
    shown = shown if isinstance(shown, dict) else {}
    title = shown.get("title") if isinstance(shown.get("title"), dict) else {}
    return {
        "id": lesson_id, "title": {"vi": title.get("vi", ""), "en": title.get("en", "")},
        "app": shown.get("app"), "version": shown.get("version"),
        "checked_on": shown.get("checked_on"),
        "origin": "bundled" if package is not None else "hub",
        "has_draft": draft is not None and not package_newer and (
            published is None or published["lesson"] != draft),
        "published_version": published["version"] if published else None,
        "revision": row["revision"] if row else 0,
        "updated_by": row["updated_by"] if row else None,
        "updated_at": row["updated_at"] if row else None,
        "package_version": package.get("version") if package else None,
        "package_newer": package_newer,
    }
