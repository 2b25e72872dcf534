"""The admin routes: make an enrollment code, publish lessons, import USB bundles.

Every POST here is refused (403) unless the user is an admin and the request carries this
session's CSRF token from this hub's own page; the check happens before an upload is read. The
work itself is done by the same functions as the ``kiosk-hub`` commands.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from kiosk.hub.dashboard.admin_view import (UploadError, import_values, kiosks_values,
                                            lessons_values, safe_name, temporary_folder,
                                            unpack_lessons)
from kiosk.hub.dashboard.render import t
from kiosk.hub.dashboard.web import (Context, Refused, Web, admin_context, admin_form, get_web,
                                     visitor)
from kiosk.hub.enrollment import MAX_POINT_CHARS, EnrollError, make_code, reenroll
from kiosk.hub.imports import import_bundles
from kiosk.hub.packs import PublishError, lesson_check_ages, publish
from kiosk.hub.schema import lesson_packs

MAX_FILES = 100
WARD_REASONS = ("other_ward", "bad_ward")  # refusals with their own message
CHUNK = 1024 * 1024

router = APIRouter(include_in_schema=False)


@router.get("/dashboard/kiosks")
def kiosks(request: Request, web: Web = Depends(get_web),
           context: Context = Depends(visitor)) -> Response:
    return kiosks_page(request, web, context)


def kiosks_page(request: Request, web: Web, context: Context, *, made: dict | None = None,
                error: str | None = None) -> Response:
    """The kiosks page of ``context``'s ward, with the code just ``made`` or the ``error``
    (a catalogue key, answered with status 400)."""
    values = kiosks_values(web.engine, context.lang, admin=context.user.is_admin, made=made,
                           error=error, ward=context.user.ward)
    return web.page(request, context, "kiosks.html.j2", title=t(context.lang, "nav.kiosks"),
                    active="kiosks", status=400 if error else 200, **values)


@router.post("/dashboard/kiosks")
def make_enroll_code(request: Request, web: Web = Depends(get_web),
                     checked: tuple = Depends(admin_form)) -> Response:
    """A new enrollment code for the form's help point (and ward, for a city admin)."""
    context, form = checked
    point = str(form.get("point", "")).strip()
    ward = context.user.ward or (str(form.get("ward", "")).strip() or None)
    try:
        hours = float(form.get("hours") or 24)
    except ValueError:
        hours = 0
    made, error = None, None
    if not point or len(point) > MAX_POINT_CHARS:
        error = "point_needed"
    elif not 1 <= hours <= 168:
        error = "bad_hours"
    else:
        try:
            made = make_code(web.engine, point, keys=web.keys,
                             lifetime=timedelta(hours=hours), ward=ward)
        except EnrollError as refused:
            error = refused.reason if refused.reason in WARD_REASONS else "point_needed"
    return kiosks_page(request, web, context, made=made, error=error)


@router.post("/dashboard/kiosks/reenroll")
def reenroll_kiosk(request: Request, web: Web = Depends(get_web),
                   checked: tuple = Depends(admin_form)) -> Response:
    """Revoke the form's kiosk and make a code bound to it."""
    context, form = checked
    device = str(form.get("device_id", ""))[:64]
    made, error = None, None
    try:
        made = {**reenroll(web.engine, device, keys=web.keys, ward=context.user.ward),
                "device_id": device}
    except EnrollError:
        error = "unknown_device"
    return kiosks_page(request, web, context, made=made, error=error)


@router.get("/dashboard/lessons")
def lessons(request: Request, web: Web = Depends(get_web),
            context: Context = Depends(visitor)) -> Response:
    return lessons_page(request, web, context,
                        admin=context.user.is_admin and context.user.ward is None)


def lessons_page(request: Request, web: Web, context: Context, *, admin: bool,
                 status: int = 200, **result) -> Response:
    """The lesson packs page; ``result`` is what a publish gave (``published``, ``error``,
    ``problems``)."""
    values = lessons_values(_packs(web), admin=admin,
                            checks=lesson_check_ages(web.engine, web.packs_dir), **result)
    return web.page(request, context, "lessons.html.j2", title=t(context.lang, "nav.lessons"),
                    active="lessons", status=status, **values)


@router.post("/dashboard/lessons")
async def publish_lessons(request: Request, web: Web = Depends(get_web),
                          context: Context = Depends(admin_context)) -> Response:
    """Publish the uploaded lesson zip as a new pack (city admins: it reaches every ward)."""
    if context.user.ward is not None:
        raise Refused(403, "city_only")
    files, folder = await _admin_upload(request, web, context, "pack")
    with folder:
        result = await run_in_threadpool(_publish, web, Path(folder.name), files)
    return await run_in_threadpool(lessons_page, request, web, context, admin=True,
                                   status=200 if "published" in result else 400, **result)


def _publish(web: Web, folder: Path, files: list[tuple[str, Path]]) -> dict:
    if len(files) != 1:
        return {"error": "one_zip"}
    unpacked = folder / "unpacked"
    unpacked.mkdir()
    try:
        source = unpack_lessons(files[0][1], unpacked)
        return {"published": publish(web.engine, web.keys, web.packs_dir, source)}
    except UploadError as error:
        return {"error": error.key}
    except PublishError as error:
        return {"problems": str(error).replace(str(unpacked) + "/", "")}


@router.get("/dashboard/import")
def import_page(request: Request, web: Web = Depends(get_web),
                context: Context = Depends(visitor)) -> Response:
    if not context.user.is_admin:
        raise Refused(403, "admins_only")
    return web.page(request, context, "import.html.j2", title=t(context.lang, "nav.import"),
                    active="import", **import_values(context.lang))


@router.post("/dashboard/import")
async def import_uploads(request: Request, web: Web = Depends(get_web),
                         context: Context = Depends(admin_context)) -> Response:
    """Import the uploaded USB bundles into the admin's ward (or any, for a city admin)."""
    files, folder = await _admin_upload(request, web, context, "bundles")
    with folder:
        report = await run_in_threadpool(
            import_bundles, web.engine, web.keys, [path for _, path in files],
            ward=context.user.ward)
    for item, (name, _) in zip(report["bundles"], files):
        item["file"] = name  # the name the admin chose, not the temporary path
    return web.page(request, context, "import.html.j2", title=t(context.lang, "nav.import"),
                    active="import", **import_values(context.lang, report=report))


async def _admin_upload(request: Request, web: Web, context: Context, field: str):
    """The uploaded files of ``field`` saved in a new temporary folder (``[(shown name,
    path)]``) and that folder, to be cleaned up by the caller. The CSRF token is checked
    before any file is kept; an admin's ``context`` is checked by the caller."""
    form = await request.form(max_files=MAX_FILES, max_fields=10)
    try:
        web.check_post(request, context, form.get("csrf"), admin=True)
        uploads = [f for f in form.getlist(field) if isinstance(f, UploadFile) and f.filename]
        if not uploads:
            raise Refused(400, "no_file")
        folder = temporary_folder(field)
        files = []
        for index, upload in enumerate(uploads):
            name = safe_name(upload.filename, f"file-{index + 1}")
            path = Path(folder.name) / f"{index:03d}-{name}"
            with open(path, "wb") as out:
                while chunk := await upload.read(CHUNK):
                    out.write(chunk)
            files.append((name, path))
        return files, folder
    finally:
        await form.close()


def _packs(web: Web) -> list[dict]:
    with web.engine.connect() as connection:
        return [dict(row) for row in connection.execute(
            select(*(c for c in lesson_packs.c if c.name != "data"))
            .order_by(lesson_packs.c.version.desc())).mappings()]
