"""The admin routes: make an enrollment code, publish lessons, import USB bundles.

Every POST here is refused (403) unless the user is an admin and the request carries this
session's CSRF token from this hub's own page; the check happens before an upload is read. The
work itself is done by the same functions as the ``kiosk-hub`` commands.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from kiosk.hub.dashboard.admin_view import (UploadError, import_body, kiosks_body, lessons_body,
                                            safe_name, temporary_folder, unpack_lessons)
from kiosk.hub.dashboard.render import t
from kiosk.hub.dashboard.web import Refused, Web
from kiosk.hub.enrollment import MAX_POINT_CHARS, EnrollError, make_code, reenroll
from kiosk.hub.imports import import_bundles
from kiosk.hub.packs import PublishError, lesson_check_ages, publish
from kiosk.hub.schema import lesson_packs

MAX_FILES = 100
WARD_REASONS = ("other_ward", "bad_ward")  # refusals with their own message
CHUNK = 1024 * 1024


def add_routes(router: APIRouter, web: Web) -> None:
    """Add the kiosks, lessons and import pages and their actions to ``router``."""

    @router.get("/dashboard/kiosks")
    def kiosks(request: Request) -> Response:
        context = web.context(request)
        body = kiosks_body(web.engine, context.lang, context.csrf,
                           admin=context.user.is_admin, ward=context.user.ward)
        return web.html(request, context, body, title=t(context.lang, "nav.kiosks"),
                        active="kiosks")

    @router.post("/dashboard/kiosks")
    async def make_enroll_code(request: Request) -> Response:
        context = await run_in_threadpool(web.context, request)
        web.check_origin(request)
        if not context.user.is_admin:
            raise Refused(403, "admins_only")
        form = await request.form(max_files=0, max_fields=10)
        web.check_post(request, context, form.get("csrf"), admin=True)
        return await run_in_threadpool(_made_code, request, context, dict(form))

    def _made_code(request, context, form: dict) -> Response:
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
        body = kiosks_body(web.engine, context.lang, context.csrf, admin=True, made=made,
                           error=error, ward=context.user.ward)
        return web.html(request, context, body, title=t(context.lang, "nav.kiosks"),
                        active="kiosks", status=400 if error else 200)

    @router.post("/dashboard/kiosks/reenroll")
    async def reenroll_kiosk(request: Request) -> Response:
        context = await run_in_threadpool(web.context, request)
        web.check_origin(request)
        if not context.user.is_admin:
            raise Refused(403, "admins_only")
        form = await request.form(max_files=0, max_fields=10)
        web.check_post(request, context, form.get("csrf"), admin=True)
        return await run_in_threadpool(_reenrolled, request, context,
                                       str(form.get("device_id", ""))[:64])

    def _reenrolled(request, context, device: str) -> Response:
        made, error = None, None
        try:
            made = {**reenroll(web.engine, device, keys=web.keys, ward=context.user.ward),
                    "device_id": device}
        except EnrollError:
            error = "unknown_device"
        body = kiosks_body(web.engine, context.lang, context.csrf, admin=True, made=made,
                           error=error, ward=context.user.ward)
        return web.html(request, context, body, title=t(context.lang, "nav.kiosks"),
                        active="kiosks", status=400 if error else 200)

    @router.get("/dashboard/lessons")
    def lessons(request: Request) -> Response:
        context = web.context(request)
        body = lessons_body(_packs(), context.lang, context.csrf,
                            admin=context.user.is_admin and context.user.ward is None,
                            checks=lesson_check_ages(web.engine, web.packs_dir))
        return web.html(request, context, body, title=t(context.lang, "nav.lessons"),
                        active="lessons")

    @router.post("/dashboard/lessons")
    async def publish_lessons(request: Request) -> Response:
        context, files, folder = await _admin_upload(request, "pack", city=True)
        with folder:
            result = await run_in_threadpool(_publish, Path(folder.name), files)
        body = lessons_body(_packs(), context.lang, context.csrf, admin=True, **result,
                            checks=lesson_check_ages(web.engine, web.packs_dir))
        return web.html(request, context, body, title=t(context.lang, "nav.lessons"),
                        active="lessons", status=200 if "published" in result else 400)

    def _publish(folder: Path, files: list[tuple[str, Path]]) -> dict:
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
    def import_page(request: Request) -> Response:
        context = web.context(request)
        if not context.user.is_admin:
            raise Refused(403, "admins_only")
        return web.html(request, context, import_body(context.lang, context.csrf),
                        title=t(context.lang, "nav.import"), active="import")

    @router.post("/dashboard/import")
    async def import_uploads(request: Request) -> Response:
        context, files, folder = await _admin_upload(request, "bundles")
        with folder:
            report = await run_in_threadpool(
                import_bundles, web.engine, web.keys, [path for _, path in files],
                ward=context.user.ward)
        for item, (name, _) in zip(report["bundles"], files):
            item["file"] = name  # the name the admin chose, not the temporary path
        body = import_body(context.lang, context.csrf, report=report)
        return web.html(request, context, body, title=t(context.lang, "nav.import"),
                        active="import")

    async def _admin_upload(request: Request, field: str, *, city: bool = False):
        """The admin's context, the uploaded files of ``field`` saved in a new temporary
        folder (``[(shown name, path)]``) and that folder, to be cleaned up by the caller.
        With ``city`` (lesson packs reach every ward's kiosks) only a city admin may."""
        context = await run_in_threadpool(web.context, request)
        web.check_origin(request)
        if not context.user.is_admin:
            raise Refused(403, "admins_only")
        if city and context.user.ward is not None:
            raise Refused(403, "city_only")
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
            return context, files, folder
        finally:
            await form.close()

    def _packs() -> list[dict]:
        with web.engine.connect() as connection:
            return [dict(row) for row in connection.execute(
                select(*(c for c in lesson_packs.c if c.name != "data"))
                .order_by(lesson_packs.c.version.desc())).mappings()]
