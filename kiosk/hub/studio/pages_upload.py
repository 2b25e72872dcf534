"""A picture uploaded for a step, where a drawn mock screen will not do (a photo of a paper
form, an official poster), and the pictures a lesson already has.

| address | who | does |
|---|---|---|
| ``POST /studio/lessons/{id}/steps/{n}/picture`` | admin | the step's picture (PNG or JPEG) |
| ``GET /studio/lessons/{id}/pictures/{name}`` | viewer, admin | a picture of the lesson |

An upload is read up to ``MAX_PICTURE_BYTES`` (one byte more is refused), opened and verified by
Pillow, and refused unless it is a whole PNG or JPEG of at most ``MAX_SIDE`` pixels a side; the
store keeps it (content-addressed) and the step's ``image`` names it, in a draft save with the
revision the page was shown with.
"""

from __future__ import annotations

import io
import re

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from PIL import Image, UnidentifiedImageError
from starlette.concurrency import run_in_threadpool

from kiosk.hub.dashboard.web import (SECURITY_HEADERS, Context, Refused, Web, admin_context,
                                     get_web, visitor)
from kiosk.hub.database import write_transaction
from kiosk.hub.studio.pages import Studio, checked_id, draft_of, get_studio, uploaded_file

MAX_PICTURE_BYTES = 1024 * 1024
MAX_SIDE = 4000
FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}
PICTURE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,150}")

router = APIRouter(include_in_schema=False)


def checked_picture(data: bytes) -> str:
    """The format (``PNG`` or ``JPEG``) of an uploaded picture; raises ``Refused(400)`` for
    anything else, too large, or damaged."""
    if len(data) > MAX_PICTURE_BYTES:
        raise Refused(413, "studio.picture_too_large")
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, size = image.format, image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise Refused(400, "studio.not_a_picture") from None
    if kind not in FORMATS or max(size) > MAX_SIDE:
        raise Refused(400, "studio.not_a_picture")
    return kind


@router.post("/studio/lessons/{lesson_id}/steps/{index}/picture")
async def upload(lesson_id: str, index: int, request: Request, web: Web = Depends(get_web),
                 context: Context = Depends(admin_context),
                 studio: Studio = Depends(get_studio)) -> Response:
    """Keep the uploaded picture and make it step ``index``'s ``image``."""
    data, fields = await uploaded_file(request, web, context, "picture", MAX_PICTURE_BYTES)
    revision = fields.get("revision", "")
    checked_picture(data)
    return await run_in_threadpool(_kept, web, studio, context, checked_id(lesson_id), index,
                                   data, int(revision) if revision.isdigit() else -1)


def _kept(web: Web, studio: Studio, context: Context, lesson_id: str, index: int, data: bytes,
          revision: int) -> Response:
    lesson, _ = draft_of(web, studio, lesson_id)
    steps = lesson.get("steps") if isinstance(lesson.get("steps"), list) else []
    if not 0 <= index < len(steps) or not isinstance(steps[index], dict):
        raise Refused(404, "no_such_page")
    try:
        with write_transaction(web.engine) as connection:
            steps[index]["image"] = studio.store.save_picture(connection, lesson_id, data,
                                                              user=context.user.name)
            studio.store.save_draft(connection, lesson_id, lesson, expected_revision=revision,
                                    user=context.user.name)
    except studio.store.StaleDraft:
        raise Refused(409, "studio.stale") from None
    return RedirectResponse(f"/studio/lessons/{lesson_id}?saved=1#steps-{index}",
                            status_code=303, headers=SECURITY_HEADERS)


@router.get("/studio/lessons/{lesson_id}/pictures/{name:path}")
def picture(lesson_id: str, name: str, web: Web = Depends(get_web),
            _: Context = Depends(visitor), studio: Studio = Depends(get_studio)) -> Response:
    if not PICTURE_NAME.fullmatch(name) or ".." in name:
        raise Refused(404, "no_such_page")
    with web.engine.connect() as connection:
        try:
            data = studio.store.get_picture(connection, checked_id(lesson_id), name)
        except KeyError:
            raise Refused(404, "no_such_page") from None
    with Image.open(io.BytesIO(data)) as image:
        media = FORMATS.get(image.format, "application/octet-stream")
    return Response(data, media_type=media, headers=SECURITY_HEADERS)
