"""The lesson editor: the draft as a form made from the schema, saved with a revision check,
each step's mock screen as a live picture whose elements can be clicked to pick the target,
and a preview that walks the lesson as the kiosk shows it.

| address | who | does |
|---|---|---|
| ``GET /studio/lessons/{id}`` | viewer, admin | the draft, its problems, each step's picture and funnel |
| ``POST /studio/lessons/{id}`` | admin | save (and add, move or remove a list item) |
| ``POST /studio/lessons/{id}/publish`` | city admin | validate, raise the version, sign the pack |
| ``GET /studio/lessons/{id}/steps/{n}/picture.png`` ``?lang=`` | viewer, admin | the step's mock screen |
| ``GET /studio/lessons/{id}/preview`` ``?step=&lang=`` | viewer, admin | the lesson as the kiosk shows it |
| ``GET /studio/static/studio.js`` | anyone | the target picker (this hub's own script) |
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from kiosk.hub.dashboard.render import t
from kiosk.hub.dashboard.web import (SECURITY_HEADERS, Context, Refused, Web, admin_form, get_web,
                                     visitor)
from kiosk.hub.database import write_transaction
from kiosk.hub.studio import pages, pages_form, pages_picture, pages_upload
from kiosk.hub.studio.pages import (Studio, city_only, draft_of, get_studio, studio_page,
                                    to_history, ward_points)
from kiosk.lessons.library import load_apps

STATIC_DIR = Path(__file__).resolve().parent / "static"
MAX_FIELDS = 5000

router = APIRouter(include_in_schema=False)


def editor_page(request: Request, web: Web, context: Context, studio: Studio, lesson_id: str,
                *, lesson: dict | None = None, revision: int | None = None, status: int = 200,
                notice: tuple[str, str] | None = None) -> Response:
    """The editor of ``lesson_id``: the saved draft (or the unsaved ``lesson`` posted, after a
    refusal), its validation problems next to their fields, pictures and funnel per step."""
    saved, saved_revision = draft_of(web, studio, lesson_id)
    lesson = saved if lesson is None else lesson
    problems: dict[str, list[str]] = {}
    with web.engine.connect() as connection:
        funnel = studio.funnel.lesson_funnel(connection, lesson_id, points=ward_points(context))
        for problem in studio.store.validate(lesson, conn=connection):
            problems.setdefault(pages_form.dotted(problem.path), []).append(_message(problem))
    apps = load_apps()
    steps = [s for s in lesson.get("steps") or []] if isinstance(lesson.get("steps"), list) else []
    pictures = _pictures(lesson, steps, context.lang)
    return studio_page(
        request, web, context, "studio_editor.html.j2", lesson_id=lesson_id, lesson=lesson,
        revision=saved_revision if revision is None else revision, notice=notice,
        widgets=pages_form.widgets(lesson, problems, apps=sorted(apps)),
        problem_count=sum(len(v) for v in problems.values()), pictures=pictures,
        funnel=funnel, funnel_steps={s.step: s for s in funnel.steps},
        funnel_chart=studio.funnel.funnel_chart(funnel, context.lang), status=status,
        label=lambda spec: pages_form.label(spec, context.lang),
        choice=lambda name, value: pages_form.choice_label(name, value, context.lang),
        request_saved=request.query_params.get("saved") == "1",
        title=t(context.lang, "studio.editor"))


def _message(problem) -> str:
    return getattr(problem, "message", None) or str(problem)


def _color(apps: dict, lesson: dict) -> str:
    app = apps.get(lesson.get("app")) if isinstance(lesson.get("app"), str) else None
    return app.color if app else pages_picture.DEFAULT_COLOR


def _pictures(lesson: dict, steps: list, lang: str) -> dict[int, dict]:
    """Per step with a mock screen: the clickable boxes of its elements (a broken draft
    screen gives none; its problems are listed by the validator)."""
    found = {}
    for index in range(len(steps)):
        screen = pages_picture.step_screen(lesson, index)
        if screen is None:
            continue
        target = pages_picture.step_target(lesson, index)
        try:
            boxes = pages_picture.element_boxes(screen, language=lang, target=target)
        except (KeyError, TypeError, ValueError, AttributeError):
            boxes = {}
        found[index] = {"boxes": boxes, "target": target}
    return found


@router.get("/studio/lessons/{lesson_id}")
def editor(lesson_id: str, request: Request, web: Web = Depends(get_web),
           context: Context = Depends(visitor), studio: Studio = Depends(get_studio)) -> Response:
    return editor_page(request, web, context, studio, lesson_id)


@router.post("/studio/lessons/{lesson_id}")
async def save(lesson_id: str, request: Request, web: Web = Depends(get_web),
               context: Context = Depends(visitor),
               studio: Studio = Depends(get_studio)) -> Response:
    """Save the posted draft (after the button's add/move/remove); someone else's newer save
    is never overwritten: the form comes back with the posted text and a message."""
    web.check_origin(request)
    if not context.user.is_admin:
        raise Refused(403, "admins_only")
    form = await request.form(max_files=0, max_fields=MAX_FIELDS)
    web.check_post(request, context, form.get("csrf"), admin=True)
    return await run_in_threadpool(_saved, request, web, context, studio, lesson_id, dict(form))


def _saved(request, web: Web, context: Context, studio: Studio, lesson_id: str,
           form: dict) -> Response:
    previous, _ = draft_of(web, studio, lesson_id)
    lesson = pages_form.read_form(form, previous, apps=sorted(load_apps()))
    op = str(form.get("op", ""))
    if op:
        new_type = str(form.get("new_type:" + op.partition(":")[2], ""))
        lesson = pages_form.apply_op(lesson, op, new_type)
    expected = int(form.get("revision", "0")) if str(form.get("revision", "")).isdigit() else -1
    try:
        with write_transaction(web.engine) as connection:
            studio.store.save_draft(connection, lesson_id, lesson, expected_revision=expected,
                                    user=context.user.name)
    except studio.store.StaleDraft:
        return editor_page(request, web, context, studio, lesson_id, lesson=lesson,
                           status=409, notice=("studio.stale", "bad"))
    anchor = "#" + op.partition(":")[2].replace(".", "-") if op else ""
    return RedirectResponse(f"/studio/lessons/{lesson_id}?saved=1{anchor}", status_code=303,
                            headers=SECURITY_HEADERS)


@router.post("/studio/lessons/{lesson_id}/publish")
def publish(lesson_id: str, request: Request, web: Web = Depends(get_web),
            studio: Studio = Depends(get_studio),
            checked: tuple = Depends(admin_form)) -> Response:
    """Validate, raise the version, sign the pack (the store does it); kiosks pull it."""
    context, _ = checked
    city_only(context)
    try:
        with write_transaction(web.engine) as connection:
            version = studio.store.publish(connection, lesson_id, context.user.name, web)
    except studio.store.StudioError:  # problems (shown on the page), or a save meanwhile
        return editor_page(request, web, context, studio, lesson_id, status=400,
                           notice=("studio.publish_refused", "bad"))
    return to_history(lesson_id, version)


@router.get("/studio/lessons/{lesson_id}/steps/{index}/picture.png")
def picture(lesson_id: str, index: int, request: Request, web: Web = Depends(get_web),
            context: Context = Depends(visitor), studio: Studio = Depends(get_studio)) -> Response:
    """The PNG of step ``index``'s mock screen in the draft, as the kiosk draws it."""
    lesson, _ = draft_of(web, studio, lesson_id)
    screen = pages_picture.step_screen(lesson, index)
    if screen is None:
        raise Refused(404, "no_such_page")
    try:
        data = pages_picture.picture_png(screen, language=context.lang,
                                         color=_color(load_apps(), lesson),
                                         target=pages_picture.step_target(lesson, index))
    except (KeyError, TypeError, ValueError, AttributeError):
        raise Refused(422, "studio.picture_failed") from None
    return Response(data, media_type="image/png", headers=SECURITY_HEADERS)


@router.get("/studio/lessons/{lesson_id}/preview")
def preview(lesson_id: str, request: Request, web: Web = Depends(get_web),
            context: Context = Depends(visitor), studio: Studio = Depends(get_studio)) -> Response:
    """Step ``step`` (from 1) of the draft as the kiosk shows it, with back and next."""
    lesson, _ = draft_of(web, studio, lesson_id)
    steps = lesson.get("steps") if isinstance(lesson.get("steps"), list) else []
    wanted = request.query_params.get("step", "1")
    number = min(max(int(wanted) if wanted.isdigit() else 1, 1), max(1, len(steps)))
    step = steps[number - 1] if steps and isinstance(steps[number - 1], dict) else {}
    return studio_page(request, web, context, "studio_preview.html.j2", lesson_id=lesson_id,
                       lesson=lesson, step=step, number=number, count=len(steps),
                       has_picture=pages_picture.step_screen(lesson, number - 1) is not None,
                       title=t(context.lang, "studio.preview"))


@router.get("/studio/static/studio.js")
def script() -> Response:
    return FileResponse(STATIC_DIR / "studio.js", media_type="text/javascript; charset=utf-8",
                        headers={"Cache-Control": "max-age=3600",
                                 "X-Content-Type-Options": "nosniff"})


def install_studio(app) -> None:
    """Serve the studio's pages from ``app`` (beside the dashboard, sharing its sign-in)."""
    app.include_router(pages.router)
    app.include_router(router)
    app.include_router(pages_upload.router)
