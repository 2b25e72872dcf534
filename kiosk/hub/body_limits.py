"""Bounded request bodies: every request to the hub is read as a stream with a size cap.

``BodyLimit`` is ASGI middleware in front of every route. A request whose ``Content-Length`` is
over its route's cap is answered 413 at once, before a byte of its body is read; one without a
``Content-Length`` (chunked) is counted as it streams in, and refused the moment it passes the cap.
So a hostile request costs the hub at most its cap, whatever it sends. Caps per route:
``ROUTE_LIMITS`` (longest matching path prefix), else ``DEFAULT_LIMIT`` (forms, sign-in, JSON).

``read_body`` is for a route that takes a compressed body (a kiosk's batch): it inflates gzip as
the data arrives with a cap on the *output*, so a small "gzip bomb" is refused after at most
``inflated_limit`` bytes, never inflated whole.

Refusals are ``BodyRefused`` (status, error code, plain English message), which the API answers as
its usual JSON error; the middleware answers any that reach it the same way.
"""

from __future__ import annotations

import json
import zlib

from starlette.exceptions import HTTPException
from starlette.requests import Request

from kiosk.hub import HUB_NAME

KB, MB = 1024, 1024 * 1024
DEFAULT_LIMIT = 64 * KB
BATCH_LIMIT = 8 * MB           # a kiosk's batch as sent (kiosk.sync.push keeps them under 4 MB)
BATCH_INFLATED_LIMIT = 8 * MB  # the same batch inflated
UPLOAD_LIMIT = 512 * MB        # dashboard uploads: streamed to temporary files, never held whole
ROUTE_LIMITS = {
    "/api/v1/enroll": 16 * KB,
    "/api/v1/batches": BATCH_LIMIT,
    "/dashboard/import": UPLOAD_LIMIT,
    "/dashboard/lessons": UPLOAD_LIMIT,
    "/studio": 4 * MB,             # a whole lesson's form (Vietnamese text triples when encoded)
    "/studio/import": 24 * MB,     # a lesson's zip (the studio refuses more than 20 MB)
}


class BodyRefused(HTTPException):
    """A request body the hub will not read on: too large (413), badly compressed (400) or
    in an encoding it does not speak (415). ``message`` says so in plain words. An HTTP error,
    so that body parsers pass it on as it is rather than as "error parsing the body"."""

    def __init__(self, status: int, error: str, message: str):
        super().__init__(status, message)
        self.status, self.error, self.message = status, error, message


def too_large(limit: int) -> BodyRefused:
    return BodyRefused(413, "too_large", f"the request is too large (at most {_size(limit)}): "
                                         "send less at once")


def limit_for(path: str) -> int:
    """The body cap of a request to ``path``."""
    matches = [prefix for prefix in ROUTE_LIMITS
               if path == prefix or path.startswith(prefix.rstrip("/") + "/")]
    return ROUTE_LIMITS[max(matches, key=len)] if matches else DEFAULT_LIMIT


class BodyLimit:
    """ASGI middleware capping every HTTP request body at ``limit_for(path)`` bytes."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = limit_for(scope.get("path", ""))
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            return await _answer(send, too_large(limit))
        received, started = 0, False

        async def capped_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise too_large(limit)
            return message

        async def watched_send(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, capped_receive, watched_send)
        except BodyRefused as refused:
            if started:  # too late to answer: the connection is dropped
                raise
            await _answer(send, refused)


async def read_body(request: Request, *, limit: int = BATCH_LIMIT,
                    inflated_limit: int = BATCH_INFLATED_LIMIT) -> bytes:
    """The request's body, inflated when ``Content-Encoding: gzip``, read chunk by chunk.

    Raises ``BodyRefused``: 413 past ``limit`` bytes received or ``inflated_limit`` bytes
    inflated (checked while inflating, so a bomb costs at most ``inflated_limit``), 400 for damaged
    or cut-short compressed data, 415 for an encoding other than gzip.
    """
    encoding = request.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("identity", "gzip"):
        raise BodyRefused(415, "bad_encoding", "send the body plain or gzip-compressed")
    inflater = zlib.decompressobj(wbits=31) if encoding == "gzip" else None
    parts, received, size = [], 0, 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > limit:
            raise too_large(limit)
        if inflater is not None:
            chunk = _inflate(inflater, chunk, inflated_limit - size)
        size += len(chunk)
        if size > inflated_limit:
            raise too_large(inflated_limit)
        parts.append(chunk)
    if inflater is not None and not inflater.eof:
        raise BodyRefused(400, "bad_batch", "the compressed body is cut short")
    return b"".join(parts)


def _inflate(inflater, chunk: bytes, room: int) -> bytes:
    """At most ``room + 1`` bytes inflated from ``chunk`` (one more than fits: the caller then
    refuses); raises ``BodyRefused`` for damaged data or data after the end."""
    if inflater.eof:
        if chunk:
            raise BodyRefused(400, "bad_batch", "unexpected data after the compressed body")
        return b""
    try:
        out = inflater.decompress(chunk, max(room, 0) + 1)
    except zlib.error:
        raise BodyRefused(400, "bad_batch", "the body is damaged (bad compression)") from None
    if inflater.eof and inflater.unused_data:
        raise BodyRefused(400, "bad_batch", "unexpected data after the compressed body")
    return out


async def _answer(send, refused: BodyRefused) -> None:
    body = json.dumps({"hub": HUB_NAME, "error": refused.error, "message": refused.message},
                      ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": refused.status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode("ascii")),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


def _size(limit: int) -> str:
    return f"{limit // MB} MB" if limit >= MB else f"{limit // KB} KB"
