"""The dashboard's addresses: sign-in, the report and its downloads, the admin pages.

| address | who | does |
|---|---|---|
| ``GET /`` | anyone | to the dashboard (or the sign-in page) |
| ``GET, POST /signin``; ``POST /signout`` | anyone | sign in (throttled), sign out |
| ``GET /dashboard`` ``?from=&to=&point=&lang=`` | viewer, admin | the report |
| ``GET /dashboard/print`` | viewer, admin | the same report for printing (A4) |
| ``GET /dashboard/export/{csv,xlsx,json}`` | viewer, admin | the same report as a file |
| ``GET /dashboard/city`` ``?from=&to=`` | city viewer, city admin | wards side by side |
| ``GET /dashboard/kiosks``, ``/lessons`` | viewer, admin | devices, lesson packs |
| ``POST /dashboard/kiosks`` | admin | enrollment code |
| ``POST /dashboard/lessons`` | city admin | publish lessons (for every ward's kiosks) |
| ``GET, POST /dashboard/import`` | admin | import USB bundles |
| ``GET /dashboard/static/…`` | anyone | the style sheet and the bundled font |

A ward's account (``users.ward``) sees and changes only its ward's points, kiosks, codes, imports
and numbers: every route passes ``context.user.ward`` down to the query layer, and a help point of
another ward named in a filter is dropped (``scoped_filters``). Every other dashboard address sends a visitor who is not signed in to ``/signin``. The routes
are plain functions run on FastAPI's thread pool, so database, scrypt and file work never
blocks the event loop. None of them is in the API's OpenAPI description.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from kiosk.core.paths import FONTS_DIR
from kiosk.hub.dashboard import admin_actions, exports
from kiosk.hub.dashboard.city_view import city_comparison, city_values
from kiosk.hub.dashboard.render import t
from kiosk.hub.dashboard.report_view import parse_filters, report_values
from kiosk.hub.dashboard.session import COOKIE, Session, cookie_options
from kiosk.hub.dashboard.users import Locked, authenticate, end_sessions, get_user
from kiosk.hub.dashboard.web import (SECURITY_HEADERS, Context, Refused, SignInFirst, Web, anyone,
                                     get_web, safe_next, sign_in_redirect, visitor)

STATIC = {"hub.css": (exports.PACKAGE_DIR / "hub.css", "text/css; charset=utf-8"),
          "NotoSans-Regular.ttf": (FONTS_DIR / "NotoSans-Regular.ttf", "font/ttf"),
          "NotoSans-Bold.ttf": (FONTS_DIR / "NotoSans-Bold.ttf", "font/ttf")}

router = APIRouter(include_in_schema=False)


def install_dashboard(app: FastAPI, web: Web) -> None:
    """Serve the dashboard's routes from ``app`` with ``web`` as their shared state, and its two
    error answers (sign in first; refused). The kiosk API under ``/api/v1`` is left as it was."""
    app.state.dashboard = web
    app.include_router(router)
    app.include_router(admin_actions.router)
    app.add_exception_handler(SignInFirst, _sign_in_first)
    app.add_exception_handler(Refused, _refused)


async def _sign_in_first(_, error: SignInFirst) -> Response:
    return sign_in_redirect(error.next_path)


async def _refused(request: Request, error: Refused) -> Response:
    return await run_in_threadpool(get_web(request).refused, request, error)


@router.get("/")
def root(_: Context = Depends(visitor)) -> Response:
    return RedirectResponse("/dashboard", status_code=303, headers=SECURITY_HEADERS)


@router.get("/signin")
def sign_in_page(request: Request, next: str = "", web: Web = Depends(get_web),
                 context: Context = Depends(anyone)) -> Response:
    if context.user is not None:
        return RedirectResponse(safe_next(next), status_code=303, headers=SECURITY_HEADERS)
    return sign_in_form(request, web, context, next)


@router.post("/signin")
async def sign_in(request: Request, web: Web = Depends(get_web)) -> Response:
    web.check_origin(request)
    form = await request.form(max_files=0, max_fields=10)
    return await run_in_threadpool(signed_in, request, web, dict(form))


def signed_in(request: Request, web: Web, form: dict) -> Response:
    """Check the sign-in ``form``: on success a new signed-in session and a redirect to where
    the visitor was going; otherwise the form again with the reason (403, 401 or 429)."""
    context = web.context(request, need_user=False)
    next_path = safe_next(form.get("next"))
    if not web.signer.csrf_ok(context.session, form.get("csrf")) or context.new_session:
        context.session, context.new_session = Session.anonymous(), True
        context.csrf = web.signer.csrf_token(context.session)
        return sign_in_form(request, web, context, next_path, "form_expired", 403)
    name, password = str(form.get("name", "")), str(form.get("password", ""))
    try:
        user = authenticate(web.engine, web.throttle, name, password,
                            address=request.client.host if request.client else "")
    except Locked as locked:
        minutes = max(1, round(locked.seconds / 60))
        return sign_in_form(request, web, context, next_path, "locked", 429, count=minutes, n=minutes)
    if user is None:
        return sign_in_form(request, web, context, next_path, "wrong_password", 401)
    stored = get_user(web.engine, user.name)[1]
    context.session, context.new_session = Session.signed_in(user.name, stored), True
    return web.finish(request, context, RedirectResponse(next_path, status_code=303))


def sign_in_form(request: Request, web: Web, context: Context, next_path: str,
                 error: str | None = None, status: int = 200, **values) -> Response:
    """The sign-in page, with the message ``error`` (a catalogue key) when there is one."""
    next_path = safe_next(next_path)
    return web.page(request, context, "signin.html.j2", title=t(context.lang, "sign_in_title"),
                    status=status, error=error, error_values=values, next_path=next_path,
                    query={"next": next_path} if next_path != "/dashboard" else None)


@router.post("/signout")
async def sign_out(request: Request, web: Web = Depends(get_web),
                   context: Context = Depends(anyone)) -> Response:
    form = await request.form(max_files=0, max_fields=10)
    web.check_post(request, context, form.get("csrf"))
    if context.user is not None:
        await run_in_threadpool(end_sessions, web.engine, context.user.name)
    response = RedirectResponse("/signin", status_code=303, headers=SECURITY_HEADERS)
    response.delete_cookie(COOKIE, **cookie_options(secure=request.url.scheme == "https"))
    return response


@router.get("/dashboard")
def dashboard(request: Request, web: Web = Depends(get_web),
              context: Context = Depends(visitor)) -> Response:
    return _report_page(request, web, context, printable=False)


@router.get("/dashboard/print")
def printable(request: Request, web: Web = Depends(get_web),
              context: Context = Depends(visitor)) -> Response:
    return _report_page(request, web, context, printable=True)


def _report_page(request: Request, web: Web, context: Context, *, printable: bool) -> Response:
    filters = web.scoped_filters(context, parse_filters(request.query_params))
    report = exports.load_report(web.engine, filters, context.user.ward)
    title = t(context.lang, "report_title" if printable else "nav.dashboard")
    return web.page(request, context, "report.html.j2", title=title,
                    active="" if printable else "dashboard", query=filters.query(),
                    printable=printable, **report_values(report, filters, context.lang))


@router.get("/dashboard/city")
def city(request: Request, web: Web = Depends(get_web),
         context: Context = Depends(visitor)) -> Response:
    if context.user.ward is not None:
        raise Refused(403, "city_only")
    filters = parse_filters(request.query_params)
    comparison = city_comparison(web.engine, start=filters.start, end=filters.end)
    return web.page(request, context, "city.html.j2", title=t(context.lang, "city_title"),
                    active="city", query={"from": filters.start.isoformat(),
                                          "to": filters.end.isoformat()},
                    **city_values(comparison, start=filters.start, end=filters.end,
                                  lang=context.lang))


@router.get("/dashboard/export/{fmt}")
def export(request: Request, fmt: str, web: Web = Depends(get_web),
           context: Context = Depends(visitor)) -> Response:
    if fmt not in exports.FORMATS:
        raise Refused(404, "no_such_page")
    filters = web.scoped_filters(context, parse_filters(request.query_params))
    return web.finish(request, context, exports.download(web.engine, filters, fmt,
                                                           context.lang, context.user.ward))


@router.get("/dashboard/static/{name}")
def static(name: str) -> Response:
    if name not in STATIC:
        return Response(status_code=404, headers=SECURITY_HEADERS)
    path, media = STATIC[name]
    return FileResponse(path, media_type=media,
                        headers={"Cache-Control": "max-age=3600",
                                 "X-Content-Type-Options": "nosniff"})
