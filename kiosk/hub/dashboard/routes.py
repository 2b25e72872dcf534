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

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from kiosk.hub.dashboard import admin_actions, exports
from kiosk.hub.dashboard.city_view import city_body, city_comparison
from kiosk.hub.dashboard.render import esc, hidden_csrf, notice, t
from kiosk.hub.dashboard.report_view import parse_filters, report_body
from kiosk.hub.dashboard.session import COOKIE, Session, cookie_options
from kiosk.hub.dashboard.users import Locked, authenticate, end_sessions, get_user
from kiosk.hub.dashboard.web import (SECURITY_HEADERS, Refused, SignInFirst, Web, safe_next,
                                     sign_in_redirect)
from kiosk.core.paths import FONTS_DIR

STATIC = {"hub.css": (exports.PACKAGE_DIR / "hub.css", "text/css; charset=utf-8"),
          "NotoSans-Regular.ttf": (FONTS_DIR / "NotoSans-Regular.ttf", "font/ttf"),
          "NotoSans-Bold.ttf": (FONTS_DIR / "NotoSans-Bold.ttf", "font/ttf")}


def install_dashboard(app: FastAPI, web: Web) -> None:
    """Add the dashboard's routes and its two error answers (sign in first; refused) to
    ``app``. The kiosk API under ``/api/v1`` is left exactly as it was."""
    app.include_router(_router(web))

    @app.exception_handler(SignInFirst)
    async def _sign_in_first(_, error: SignInFirst):
        return sign_in_redirect(error.next_path)

    @app.exception_handler(Refused)
    async def _refused(request: Request, error: Refused):
        return await run_in_threadpool(web.refused, request, error)


def _router(web: Web) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/")
    def root(request: Request) -> Response:
        web.context(request)
        return RedirectResponse("/dashboard", status_code=303, headers=SECURITY_HEADERS)

    @router.get("/signin")
    def sign_in_page(request: Request, next: str = "") -> Response:
        context = web.context(request, need_user=False)
        if context.user is not None:
            return RedirectResponse(safe_next(next), status_code=303, headers=SECURITY_HEADERS)
        return _sign_in(request, context, next)

    @router.post("/signin")
    async def sign_in(request: Request) -> Response:
        web.check_origin(request)
        form = await request.form(max_files=0, max_fields=10)
        return await run_in_threadpool(_signed_in, request, dict(form))

    def _signed_in(request: Request, form: dict) -> Response:
        context = web.context(request, need_user=False)
        next_path = safe_next(form.get("next"))
        if not web.signer.csrf_ok(context.session, form.get("csrf")) or context.new_session:
            context.session, context.new_session = Session.anonymous(), True
            context.csrf = web.signer.csrf_token(context.session)
            return _sign_in(request, context, next_path, "form_expired", 403)
        name, password = str(form.get("name", "")), str(form.get("password", ""))
        try:
            user = authenticate(web.engine, web.throttle, name, password,
                                address=request.client.host if request.client else "")
        except Locked as locked:
            minutes = max(1, round(locked.seconds / 60))
            return _sign_in(request, context, next_path, "locked", 429, count=minutes, n=minutes)
        if user is None:
            return _sign_in(request, context, next_path, "wrong_password", 401)
        stored = get_user(web.engine, user.name)[1]
        context.session, context.new_session = Session.signed_in(user.name, stored), True
        return web.finish(request, context, RedirectResponse(next_path, status_code=303))

    def _sign_in(request, context, next_path: str, error: str | None = None,
                 status: int = 200, **values) -> Response:
        lang = context.lang
        body = (f'<section class="signin card"><h1>{esc(t(lang, "sign_in_title"))}</h1>'
                + (notice(t(lang, error, **values), "bad") if error else "")
                + f'<form method="post" action="/signin">{hidden_csrf(context.csrf)}'
                f'<input type="hidden" name="next" value="{esc(safe_next(next_path))}">'
                f'<label>{esc(t(lang, "user_name"))}<input name="name" required autofocus '
                f'autocomplete="username" maxlength="100"></label>'
                f'<label>{esc(t(lang, "password"))}<input name="password" type="password" '
                f'required autocomplete="current-password"></label>'
                f'<button type="submit">{esc(t(lang, "sign_in"))}</button></form>'
                f'<p class="hint">{esc(t(lang, "sign_in_hint"))}</p></section>')
        return web.html(request, context, body, title=t(lang, "sign_in_title"), status=status,
                        query={"next": next_path} if next_path != "/dashboard" else None)

    @router.post("/signout")
    async def sign_out(request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=10)
        context = await run_in_threadpool(web.context, request, need_user=False)
        web.check_post(request, context, form.get("csrf"))
        if context.user is not None:
            await run_in_threadpool(end_sessions, web.engine, context.user.name)
        response = RedirectResponse("/signin", status_code=303, headers=SECURITY_HEADERS)
        response.delete_cookie(COOKIE, **cookie_options(secure=request.url.scheme == "https"))
        return response

    @router.get("/dashboard")
    def dashboard(request: Request) -> Response:
        context = web.context(request)
        filters = web.scoped_filters(context, parse_filters(request.query_params))
        report = exports.load_report(web.engine, filters, context.user.ward)
        body = report_body(report, filters, context.lang, csrf=context.csrf)
        return web.html(request, context, body, title=t(context.lang, "nav.dashboard"),
                        active="dashboard", query=filters.query())

    @router.get("/dashboard/city")
    def city(request: Request) -> Response:
        context = web.context(request)
        if context.user.ward is not None:
            raise Refused(403, "city_only")
        filters = parse_filters(request.query_params)
        comparison = city_comparison(web.engine, start=filters.start, end=filters.end)
        body = city_body(comparison, start=filters.start, end=filters.end, lang=context.lang)
        return web.html(request, context, body, title=t(context.lang, "city_title"),
                        active="city", query={"from": filters.start.isoformat(),
                                              "to": filters.end.isoformat()})

    @router.get("/dashboard/print")
    def printable(request: Request) -> Response:
        context = web.context(request)
        filters = web.scoped_filters(context, parse_filters(request.query_params))
        report = exports.load_report(web.engine, filters, context.user.ward)
        body = report_body(report, filters, context.lang, printable=True)
        return web.html(request, context, body, title=t(context.lang, "report_title"),
                        query=filters.query(), printable=True)

    @router.get("/dashboard/export/{fmt}")
    def export(request: Request, fmt: str) -> Response:
        context = web.context(request)
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

    admin_actions.add_routes(router, web)
    return router
