"""Request plumbing shared by the dashboard's routes: who is asking, in which language, and the
answer's security headers.

``Web.context`` reads the signed session cookie and loads the user from the database at every
request (so a removed user or a changed password takes effect at once). A visitor who is not
signed in gets ``SignInFirst``, which the app turns into a redirect to the sign-in page.
``Web.check_post`` refuses (403) a POST whose CSRF token or Origin is wrong, and a viewer's POST
to an admin action. Routes reach the one ``Web`` of their app through FastAPI dependencies:
``get_web`` (the app's state), ``visitor`` (signed in, or ``SignInFirst``), ``anyone`` and
``admin_form`` (an admin's checked form of small fields).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Engine

from kiosk.hub.dashboard.render import render, t
from kiosk.hub.dashboard.session import (COOKIE, LANG_COOKIE, LANGUAGES, Session, SessionSigner,
                                         cookie_options, fingerprint, same_origin)
from kiosk.hub.dashboard.users import Throttle, User, get_user, sessions_ended_at
from kiosk.hub.keys import HubKeys
from kiosk.hub.wards import ward_of_point

MAX_UPLOAD_BYTES = 512 * 1024 * 1024
SECURITY_HEADERS = {
    # No script at all, nothing from another address, no framing by another site.
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; font-src 'self'; "
                               "img-src 'self' data:; form-action 'self'; base-uri 'none'; "
                               "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


class SignInFirst(Exception):
    """The visitor is not signed in; ``next`` is where to come back to afterwards."""

    def __init__(self, next_path: str):
        self.next_path = next_path


class Refused(Exception):
    """A request the dashboard refuses: ``status`` and a catalogue label (``dash.<key>``)."""

    def __init__(self, status: int, key: str):
        self.status, self.key = status, key


@dataclass
class Context:
    """One request's visitor: session, user (``None`` before signing in) and language."""

    session: Session
    user: User | None
    lang: str
    set_lang: bool = False
    new_session: bool = False
    csrf: str = field(default="")


class Web:
    """The dashboard's shared state: database, keys, session signer and password throttle."""

    def __init__(self, engine: Engine, keys: HubKeys, packs_dir: Path):
        self.engine, self.keys, self.packs_dir = engine, keys, packs_dir
        self.signer = SessionSigner(keys)
        self.throttle = Throttle()

    def context(self, request: Request, *, need_user: bool = True) -> Context:
        """The visitor of ``request``. Raises ``SignInFirst`` when ``need_user`` and nobody
        (valid) is signed in."""
        session = self.signer.load(request.cookies.get(COOKIE))
        user = self._user(session)
        if need_user and user is None:
            raise SignInFirst(_next_path(request))
        new = session is None or (session.user is not None and user is None)
        if new:
            session = Session.anonymous()
        asked = request.query_params.get("lang")
        lang = asked if asked in LANGUAGES else request.cookies.get(LANG_COOKIE)
        context = Context(session, user, lang if lang in LANGUAGES else "vi",
                          set_lang=asked in LANGUAGES, new_session=new)
        context.csrf = self.signer.csrf_token(session)
        return context

    def _user(self, session: Session | None) -> User | None:
        if session is None or session.user is None:
            return None
        found = get_user(self.engine, session.user)
        if found is None or fingerprint(found[1]) != session.fingerprint:
            return None
        if session.issued <= sessions_ended_at(self.engine, session.user):
            return None
        return found[0]

    def scoped_filters(self, context: Context, filters):
        """``filters`` as ``context``'s user may see them: a help point outside a ward
        account's ward is dropped (the ward's every point is shown, with a notice)."""
        ward = context.user.ward if context.user else None
        if ward is None or filters.point is None:
            return filters
        with self.engine.connect() as connection:
            if ward_of_point(connection, filters.point) == ward:
                return filters
        return replace(filters, point=None, problem="not_your_point")

    def check_post(self, request: Request, context: Context, token: str | None, *,
                   admin: bool = False) -> None:
        """Raises ``Refused(403)`` unless the POST carries this session's CSRF token, comes
        from this hub's own pages, and (``admin``) the user is an admin."""
        self.check_origin(request)
        if admin and not (context.user and context.user.is_admin):
            raise Refused(403, "admins_only")
        if not self.signer.csrf_ok(context.session, token):
            raise Refused(403, "bad_csrf")

    @staticmethod
    def check_origin(request: Request) -> None:
        if not same_origin(request.headers.get("origin"), request.headers.get("referer"),
                           request.headers.get("host"), request.url.scheme):
            raise Refused(403, "bad_origin")
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_UPLOAD_BYTES:
            raise Refused(413, "too_large")

    def page(self, request: Request, context: Context, template: str, *, title: str,
             active: str = "", status: int = 200, query: dict | None = None,
             printable: bool = False, **values) -> HTMLResponse:
        """The page ``template`` (``templates/``) filled with ``values`` and the frame's
        context (language, user, CSRF token, the language switch's address), finished."""
        document = render(template, lang=context.lang, title=title, user=context.user,
                          csrf=context.csrf, active=active, here=request.url.path, query=query,
                          printable=printable, **values)
        return self.finish(request, context, HTMLResponse(document, status_code=status))

    def finish(self, request: Request, context: Context, response: Response) -> Response:
        """``response`` with the security headers and any cookie this request changed."""
        response.headers.update(SECURITY_HEADERS)
        secure = request.url.scheme == "https"
        if context.new_session:
            response.set_cookie(COOKIE, self.signer.dump(context.session),
                                **cookie_options(secure=secure))
        if context.set_lang:
            response.set_cookie(LANG_COOKIE, context.lang, max_age=365 * 86400,
                                **cookie_options(secure=secure))
        return response

    def refused(self, request: Request, error: Refused) -> Response:
        """The page saying, in plain words, why a request was refused (status ``error.status``)."""
        context = self.context(request, need_user=False)
        return self.page(request, context, "refused.html.j2", key=error.key,
                         title=t(context.lang, "refused_title"), status=error.status)


def get_web(request: Request) -> Web:
    """The dashboard's shared state of the app serving ``request`` (set by ``install``)."""
    return request.app.state.dashboard


def visitor(request: Request, web: Web = Depends(get_web)) -> Context:
    """The signed-in visitor of ``request``; raises ``SignInFirst`` for anyone else."""
    return web.context(request)


def anyone(request: Request, web: Web = Depends(get_web)) -> Context:
    """The visitor of ``request``, signed in or not."""
    return web.context(request, need_user=False)


def admin_context(request: Request, web: Web = Depends(get_web),
                  context: Context = Depends(visitor)) -> Context:
    """``visitor``, refused (403) unless an admin whose request comes from this hub's pages;
    checked before any body is read."""
    web.check_origin(request)
    if not context.user.is_admin:
        raise Refused(403, "admins_only")
    return context


async def admin_form(request: Request, web: Web = Depends(get_web),
                     context: Context = Depends(admin_context)) -> tuple[Context, dict]:
    """An admin's form of small fields (no files) with its CSRF token checked:
    ``(context, fields)``."""
    form = await request.form(max_files=0, max_fields=10)
    web.check_post(request, context, form.get("csrf"), admin=True)
    return context, dict(form)


def sign_in_redirect(next_path: str) -> RedirectResponse:
    response = RedirectResponse(f"/signin?next={quote(next_path, safe='/')}", status_code=303)
    response.headers.update(SECURITY_HEADERS)
    return response


def safe_next(value: str | None) -> str:
    """Where to go after signing in: a dashboard page of this hub, never another site."""
    if value and value.startswith("/dashboard") and "//" not in value and "\\" not in value:
        return value
    return "/dashboard"


def _next_path(request: Request) -> str:
    if request.method != "GET":
        return "/dashboard"
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")
