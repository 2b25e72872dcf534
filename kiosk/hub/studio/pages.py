"""The lesson studio's pages: the list of lessons, new and duplicated lessons, publishing,
history with rollback, import and export as a zip, and each lesson's funnel as CSV.

| address | who | does |
|---|---|---|
| ``GET /studio`` | viewer, admin | every lesson (bundled and the hub's) with version, check date, completion |
| ``POST /studio/new``, ``/studio/lessons/{id}/duplicate`` | admin | a new lesson, a copy |
| ``GET, POST /studio/lessons/{id}`` | viewer reads, admin saves | the editor (``pages_editor``) |
| ``POST /studio/lessons/{id}/publish``, ``/republish`` | city admin | publish, roll back |
| ``GET /studio/lessons/{id}/history`` ``?a=&b=`` | viewer, admin | versions, what changed |
| ``GET /studio/lessons/{id}/export.zip``, ``POST /studio/import`` | viewer / admin | the zip |
| ``GET /studio/lessons/{id}/funnel.csv`` | viewer, admin | where residents get stuck |

Storage is ``kiosk.hub.studio.store`` and the figures ``kiosk.hub.studio.funnel``, reached
through ``get_studio`` (tests may give another store). Every POST is refused (403) for a viewer, and
needs this session's CSRF token from this hub's own page, as everywhere on the dashboard.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from kiosk.hub.dashboard.render import t
from kiosk.hub.dashboard.web import (SECURITY_HEADERS, Context, Refused, Web, admin_context,
                                     admin_form, get_web, visitor)
from kiosk.hub.database import write_transaction
from kiosk.hub.studio import funnel, funnel_chart, funnel_export, pages_form
from kiosk.hub.wards import points_of
from kiosk.lessons.library import load_apps

MAX_ZIP_BYTES = 20 * 1024 * 1024
LESSON_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")  # the lesson format's id, safe in any header
# The studio's pages run the hub's own small script (the target picker); nothing from elsewhere.
STUDIO_CSP = SECURITY_HEADERS["Content-Security-Policy"] + "; script-src 'self'"

router = APIRouter(include_in_schema=False)


@dataclass
class Studio:
    """Where the studio keeps lessons (``store``) and reads how residents fare (``funnel``:
    ``lesson_funnel``, ``funnel_csv``, ``funnel_chart``)."""

    store: object
    funnel: object


def get_studio(request: Request) -> Studio:
    """The app's studio; the real store and funnel modules unless a test set others."""
    studio = getattr(request.app.state, "studio", None)
    if studio is None:
        studio = request.app.state.studio = Studio(
            importlib.import_module("kiosk.hub.studio.store"), FunnelFigures())
    return studio


class FunnelFigures:
    """How residents fare with a lesson, from ``kiosk.hub.studio.funnel`` and its chart and
    CSV: ``lesson_funnel``, ``funnel_chart``, ``funnel_csv``."""

    lesson_funnel = staticmethod(funnel.lesson_funnel)
    funnel_chart = staticmethod(funnel_chart.funnel_chart)
    funnel_csv = staticmethod(funnel_export.funnel_csv)


def studio_page(request: Request, web: Web, context: Context, template: str, *, title: str,
                status: int = 200, **values) -> Response:
    """A studio page: the dashboard's frame and rules, plus this hub's own script allowed."""
    response = web.page(request, context, template, title=title, active="studio",
                        status=status, can_edit=bool(context.user and context.user.is_admin),
                        can_publish=_city_admin(context), **values)
    response.headers["Content-Security-Policy"] = STUDIO_CSP
    return response


def _city_admin(context: Context) -> bool:
    return bool(context.user and context.user.is_admin and context.user.ward is None)


def draft_of(web: Web, studio: Studio, lesson_id: str) -> tuple[dict, int]:
    """The saved draft of ``lesson_id`` and its revision; ``Refused(404)`` for no such lesson."""
    with web.engine.connect() as connection:
        try:
            return studio.store.get_draft(connection, lesson_id)
        except studio.store.UnknownLesson:
            raise Refused(404, "no_such_page") from None


def checked_id(lesson_id: str) -> str:
    """``lesson_id`` if it is a lesson id as the format writes it; ``Refused(404)`` otherwise."""
    if len(lesson_id) > 80 or not LESSON_ID.fullmatch(lesson_id):
        raise Refused(404, "no_such_page")
    return lesson_id


def to_history(lesson_id: str, version) -> Response:
    """After a publish: the lesson's versions, saying which was just published."""
    return RedirectResponse(f"/studio/lessons/{lesson_id}/history?published={version}",
                            status_code=303, headers=SECURITY_HEADERS)


def ward_points(context: Context):
    """The help points whose runs ``context``'s user may see (``None``: every point)."""
    return None if context.user.ward is None else points_of(context.user.ward)


@router.get("/studio")
def lesson_list(request: Request, web: Web = Depends(get_web),
                context: Context = Depends(visitor),
                studio: Studio = Depends(get_studio)) -> Response:
    with web.engine.connect() as connection:
        lessons = studio.store.list_lessons(connection)
        for lesson in lessons:
            funnel = studio.funnel.lesson_funnel(connection, lesson["id"],
                                                 points=ward_points(context))
            lesson["started"], lesson["rate"] = funnel.started, funnel.completion_rate
    return studio_page(request, web, context, "studio_list.html.j2", lessons=lessons,
                       apps={app: pages_form.choice_label("app", app, context.lang)
                             for app in sorted(load_apps())},
                       error=request.query_params.get("error"),
                       title=t(context.lang, "studio.title"))


@router.post("/studio/new")
def create(request: Request, web: Web = Depends(get_web), studio: Studio = Depends(get_studio),
           checked: tuple = Depends(admin_form)) -> Response:
    """A new lesson with the id, app and Vietnamese title typed; then its editor."""
    context, form = checked
    lesson_id = str(form.get("id", "")).strip()[:80]
    title = str(form.get("title", "")).strip()[:200]
    lesson = {"format": 2, "id": lesson_id, "version": "1.0",
              "app": str(form.get("app", "")).strip()[:40], "title": {"vi": title},
              "steps": [{}]}
    return _made(web, studio, "create", lesson_id, lesson, context.user.name)


@router.post("/studio/lessons/{lesson_id}/duplicate")
def duplicate(lesson_id: str, web: Web = Depends(get_web),
              studio: Studio = Depends(get_studio),
              checked: tuple = Depends(admin_form)) -> Response:
    context, form = checked
    new_id = str(form.get("new_id", "")).strip()[:80]
    return _made(web, studio, "duplicate", new_id, (lesson_id, new_id), context.user.name)


def _made(web: Web, studio: Studio, how: str, new_id: str, what, user: str) -> Response:
    """Create or duplicate in one transaction; the new lesson's editor, or the list saying
    why not (a taken or malformed id)."""
    if not LESSON_ID.fullmatch(new_id):
        return RedirectResponse("/studio?error=bad_new_id", status_code=303,
                                headers=SECURITY_HEADERS)
    try:
        with write_transaction(web.engine) as connection:
            if how == "create":
                studio.store.create(connection, what, user)
            else:
                studio.store.duplicate(connection, *what, user)
    except studio.store.StudioError:  # the id is taken or malformed; the original is gone
        return RedirectResponse("/studio?error=bad_new_id", status_code=303,
                                headers=SECURITY_HEADERS)
    return RedirectResponse(f"/studio/lessons/{new_id}", status_code=303,
                            headers=SECURITY_HEADERS)


def city_only(context: Context) -> None:
    """Refuse (403) unless a city admin: a published lesson reaches every ward's kiosks."""
    if not _city_admin(context):
        raise Refused(403, "city_only")


@router.post("/studio/lessons/{lesson_id}/republish")
def republish(lesson_id: str, web: Web = Depends(get_web),
              studio: Studio = Depends(get_studio),
              checked: tuple = Depends(admin_form)) -> Response:
    """Roll back: publish an earlier version again, as a new version."""
    context, form = checked
    city_only(context)
    wanted = str(form.get("version", ""))[:20]
    try:
        with write_transaction(web.engine) as connection:
            version = studio.store.republish(connection, lesson_id, wanted, context.user.name,
                                             web)
    except studio.store.StudioError:
        raise Refused(400, "studio.no_such_version") from None
    return to_history(lesson_id, version)


@router.get("/studio/lessons/{lesson_id}/history")
def history(lesson_id: str, request: Request, web: Web = Depends(get_web),
            context: Context = Depends(visitor),
            studio: Studio = Depends(get_studio)) -> Response:
    """Every published version, and what changed between two of them (``a`` → ``b``)."""
    with web.engine.connect() as connection:
        versions = sorted(studio.store.history(connection, lesson_id),
                          key=lambda v: v.get("published_at") or "", reverse=True)
    by_version = {str(v["version"]): v for v in versions}
    a, b = request.query_params.get("a"), request.query_params.get("b")
    changes = None
    if a in by_version and b in by_version:
        changes = studio.store.diff(by_version[a]["lesson"], by_version[b]["lesson"])
    return studio_page(request, web, context, "studio_history.html.j2", lesson_id=lesson_id,
                       versions=versions, a=a, b=b, changes=changes,
                       published=request.query_params.get("published"),
                       title=t(context.lang, "studio.history"))


@router.get("/studio/lessons/{lesson_id}/export.zip")
def export_zip(lesson_id: str, web: Web = Depends(get_web),
               _: Context = Depends(visitor), studio: Studio = Depends(get_studio)) -> Response:
    with web.engine.connect() as connection:
        try:
            data = studio.store.export_zip(connection, checked_id(lesson_id))
        except studio.store.UnknownLesson:
            raise Refused(404, "no_such_page") from None
    return Response(data, media_type="application/zip", headers={
        **SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="{lesson_id}.zip"'})


async def uploaded_file(request: Request, web: Web, context: Context, field: str,
                        limit: int) -> tuple[bytes, dict]:
    """An admin's uploaded file ``field`` (at most ``limit`` + 1 bytes read: more is the
    caller's refusal) and the form's other small fields, once the CSRF token is checked."""
    form = await request.form(max_files=1, max_fields=5)
    try:
        web.check_post(request, context, form.get("csrf"), admin=True)
        upload = form.get(field)
        if not isinstance(upload, UploadFile):
            raise Refused(400, "no_file")
        data = await upload.read(limit + 1)
        return data, {k: v for k, v in form.items() if isinstance(v, str)}
    finally:
        await form.close()


@router.post("/studio/import")
async def import_zip(request: Request, web: Web = Depends(get_web),
                     context: Context = Depends(admin_context),
                     studio: Studio = Depends(get_studio)) -> Response:
    """A lesson from an uploaded zip of its folder (at most ``MAX_ZIP_BYTES``)."""
    data, _ = await uploaded_file(request, web, context, "zip", MAX_ZIP_BYTES)
    if len(data) > MAX_ZIP_BYTES:
        raise Refused(413, "zip_too_large")
    return await run_in_threadpool(_imported, web, studio, data, context.user.name)


def _imported(web: Web, studio: Studio, data: bytes, user: str) -> Response:
    try:
        with write_transaction(web.engine) as connection:
            lesson_id = studio.store.import_zip(connection, data, user)["id"]
    except studio.store.StudioError:
        return RedirectResponse("/studio?error=bad_zip", status_code=303,
                                headers=SECURITY_HEADERS)
    return RedirectResponse(f"/studio/lessons/{lesson_id}", status_code=303,
                            headers=SECURITY_HEADERS)


@router.get("/studio/lessons/{lesson_id}/funnel.csv")
def funnel_csv(lesson_id: str, web: Web = Depends(get_web), context: Context = Depends(visitor),
               studio: Studio = Depends(get_studio)) -> Response:
    with web.engine.connect() as connection:
        funnel = studio.funnel.lesson_funnel(connection, checked_id(lesson_id),
                                             points=ward_points(context))
    return Response(studio.funnel.funnel_csv(funnel, context.lang),
                    media_type="text/csv; charset=utf-8", headers={
                        **SECURITY_HEADERS,
                        "Content-Disposition": f'attachment; filename="{lesson_id}-funnel.csv"'})
