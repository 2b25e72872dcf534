"""A picture uploaded for a step, where a drawn mock screen will not do (a photo of a paper
form, an official poster), and the pictures a lesson already has.

| address | who | does |
|---|---|---|
| ``POST /studio/lessons/{id}/steps/{n}/picture`` | admin | the step's picture (PNG or JPEG) |
| ``GET /studio/lessons/{id}/pictures/{name}`` | viewer, admin | a picture of the lesson |

An upload is read up to ``MAX_PICTURE_BYTES`` (one byte more is refused); the store verifies it
with Pillow (a whole PNG or JPEG, not too many pixels) and keeps it content-addressed, and the
step's ``image`` names it, in a draft save with the revision the page was shown with.
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from kiosk.hub.dashboard.web import (SECURITY_HEADERS, Context, Refused, Web, admin_context,
                                     get_web, visitor)
from kiosk.hub.database import write_transaction
from kiosk.hub.studio.pages import Studio, checked_id, draft_of, get_studio, uploaded_file

MAX_PICTURE_BYTES = 1024 * 1024
PICTURE_NAME = re.compile(r"images/[0-9a-f]{64}\.(png|jpg)")  # the store's names

router = APIRouter(include_in_schema=False)


@router.post("/studio/lessons/{lesson_id}/steps/{index}/picture")
async def upload(lesson_id: str, index: int, request: Request, web: Web = Depends(get_web),
                 context: Context = Depends(admin_context),
                 studio: Studio = Depends(get_studio)) -> Response:
    """Keep the uploaded picture and make it step ``index``'s ``image``."""
    data, fields = await uploaded_file(request, web, context, "picture", MAX_PICTURE_BYTES)
    revision = fields.get("revision", "")
    if len(data) > MAX_PICTURE_BYTES:
        raise Refused(413, "studio.picture_too_large")
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
            steps[index]["image"] = studio.store.upload_picture(connection, data,
                                                                context.user.name)
            studio.store.save_draft(connection, lesson_id, lesson, expected_revision=revision,
                                    user=context.user.name)
    except studio.store.StaleDraft:
        raise Refused(409, "studio.stale") from None
    except studio.store.StudioError:  # not a whole PNG or JPEG, or too many pixels
        raise Refused(400, "studio.not_a_picture") from None
    return RedirectResponse(f"/studio/lessons/{lesson_id}?saved=1#steps-{index}",
                            status_code=303, headers=SECURITY_HEADERS)


@router.get("/studio/lessons/{lesson_id}/pictures/{name:path}")
def picture(lesson_id: str, name: str, web: Web = Depends(get_web),
            _: Context = Depends(visitor), studio: Studio = Depends(get_studio)) -> Response:
    if not PICTURE_NAME.fullmatch(name) or ".." in name:
        raise Refused(404, "no_such_page")
    checked_id(lesson_id)
    with web.engine.connect() as connection:
        data = studio.store.picture_bytes(connection, name)
    if data is None:
        raise Refused(404, "no_such_page")
    media = "image/png" if name.endswith(".png") else "image/jpeg"
    return Response(data, media_type=media, headers=SECURITY_HEADERS)
