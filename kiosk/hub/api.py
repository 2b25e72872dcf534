"""The hub's HTTP API (FastAPI): enrollment, record batches, lesson packs, health.

Every answer identifies the hub twice, so a kiosk never mistakes a Wi-Fi login page or a proxy's
page for success (DESIGN.md lesson 8): the ``X-Kiosk-Hub`` header carries the hub id and every
JSON body carries ``"hub": "kiosk-hub"``. A batch acknowledgement is also signed with the hub's
Ed25519 key (``X-Kiosk-Hub-Signature`` over the exact body), so not even a meddling proxy can make
a kiosk believe records arrived that did not. The acknowledgement is sent only after the commit.

The other way round, every writer is proven (DESIGN.md invariant 9): ``/hello`` lets a kiosk check,
before it sends an enrollment code, that this hub holds the key the code names; ``/enroll`` takes
the kiosk's own public key (and never takes over a known device: ``kiosk.hub.enrollment``); every
batch must carry the device's signature once it has a key (``kiosk.hub.batch_proof``).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

import orjson
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from kiosk.hub import API_VERSION, HUB_NAME
from kiosk.hub.body_limits import BodyLimit, BodyRefused, read_body
from kiosk.hub.dashboard import install as install_dashboard
from kiosk.hub.database import now_iso
from kiosk.hub.batch_proof import prove_batch
from kiosk.hub.devices import device_identity
from kiosk.hub.enrollment import EnrollError, redeem_code
from kiosk.hub.ingest import BatchError, ingest_batch
from kiosk.hub.keys import HubKeys
from kiosk.hub.openapi_shapes import BATCH_BODY, BATCH_RESPONSES
from kiosk.hub.packs import current_pack, pack_path
from kiosk.sync.identity import HELLO, hello_message

MAX_ROWS = 20_000
log = logging.getLogger(__name__)
UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"


class HubError(Exception):
    """An answer other than success, in plain words: ``{"hub", "error", "message"}``."""

    def __init__(self, status: int, error: str, message: str):
        self.status, self.error, self.message = status, error, message


class EnrollRequest(BaseModel):
    code: str = Field(min_length=1, max_length=64)
    device_id: str = Field(pattern=UUID_PATTERN)
    public_key: str = Field(min_length=44, max_length=44,
                            description="the kiosk's own Ed25519 public key, raw, base64")


class HelloRequest(BaseModel):
    challenge: str = Field(min_length=16, max_length=100,
                           description="random text the hub signs, proving it holds its key")


@dataclass(frozen=True)
class Hub:
    """What the API's routes share: the database, the hub's keys, the lesson packs' folder."""

    engine: Engine
    keys: HubKeys
    packs_dir: Path

    def body(self, **values) -> dict:
        """A JSON answer's body, identifying this hub."""
        return {"hub": HUB_NAME, "hub_id": self.keys.hub_id, **values}

    def signed(self, values: dict) -> Response:
        """``values`` as a JSON answer signed with the hub's key (``X-Kiosk-Hub-Signature``)."""
        data = json.dumps(self.body(**values), ensure_ascii=False,
                          separators=(",", ":")).encode("utf-8")
        return Response(data, media_type="application/json",
                        headers={"X-Kiosk-Hub-Signature": self.keys.sign(data)})


def get_hub(request: Request) -> Hub:
    """The ``Hub`` of the app serving ``request`` (set by ``create_app``)."""
    return request.app.state.hub


bearer = HTTPBearer(auto_error=False, description="the device token given at enrollment")


def device(credentials: HTTPAuthorizationCredentials | None = Depends(bearer),
           hub: Hub = Depends(get_hub)) -> tuple[str, str | None]:
    """``(device id, its public key or None)`` of the bearer token; 401 otherwise."""
    if credentials is None or not credentials.credentials:
        raise HubError(401, "no_token", "this kiosk is not enrolled with the hub")
    with hub.engine.connect() as connection:
        found = device_identity(connection, credentials.credentials)
    if found is None:
        raise HubError(401, "bad_token", "the hub does not know this kiosk's token: "
                                         "enroll it again")
    return found


router = APIRouter()


@router.get("/api/v1/health", summary="Is this the hub, and what time is it there")
def health(hub: Hub = Depends(get_hub)) -> dict:
    return hub.body(api_version=API_VERSION, time=now_iso())


@router.post("/api/v1/hello", summary="Prove this is the hub whose key an enrollment code names")
def hello(request: HelloRequest, hub: Hub = Depends(get_hub)) -> dict:
    public = hub.keys.public()
    proof = hub.keys.sign(HELLO + hello_message(request.challenge, public["encryption_key"]))
    return hub.body(**public, proof=proof)


@router.post("/api/v1/enroll", summary="Exchange a one-time code for a device token")
def enroll(request: EnrollRequest, http: Request, hub: Hub = Depends(get_hub)) -> Response:
    try:
        granted = redeem_code(hub.engine, request.code, request.device_id, request.public_key)
    except EnrollError as error:
        log_refused_enrollment(http, request.code, request.device_id, error.reason)
        raise HubError(403, f"code_{error.reason}", str(error)) from None
    return hub.signed({**granted, **hub.keys.public()})


@router.post("/api/v1/batches", summary="Store a batch of one device's outbox rows",
             openapi_extra={"requestBody": BATCH_BODY}, responses=BATCH_RESPONSES)
async def batches(request: Request, who: tuple = Depends(device),
                  hub: Hub = Depends(get_hub)) -> Response:
    """Store a signed batch once its proof, shape and range are checked; the signed
    acknowledgement is sent only after the commit."""
    device_id, device_key = who
    data = await read_body(request)
    refusal = await run_in_threadpool(prove_batch, hub.engine, device_id, device_key, data,
                                      request.headers)
    if refusal is not None:
        raise HubError(*refusal)
    batch = _parse_batch(data, device_id)
    outbox_last = batch.get("outbox_last_seq")  # optional: kiosks before it send none
    result = await run_in_threadpool(
        ingest_batch, hub.engine, device_id, batch["records"],
        kiosk_sent_at=batch.get("sent_at"), last_seq=batch["last_seq"],
        kiosk_last_seq=outbox_last if _is_int(outbox_last) and outbox_last >= 0 else None)
    return hub.signed({"device_id": device_id, "first_seq": batch["first_seq"],
                       "last_seq": batch["last_seq"],
                       "acknowledged_through": batch["last_seq"], **result.as_json()})


@router.get("/api/v1/lessons/current", summary="The newest published lesson pack")
def lessons_current(_: tuple = Depends(device), hub: Hub = Depends(get_hub)) -> Response:
    pack = current_pack(hub.engine)
    if pack is None:
        raise HubError(404, "no_pack", "no lesson pack has been published")
    info = json.dumps(hub.body(**pack, url=f"/api/v1/lessons/packs/{pack['version']}"),
                      separators=(",", ":")).encode("utf-8")
    return Response(info, media_type="application/json",
                    headers={"X-Kiosk-Hub-Signature": hub.keys.sign(info)})


@router.get("/api/v1/lessons/packs/{version}", summary="A lesson pack file (HTTP Range allowed)",
            response_class=FileResponse)
def lesson_pack(version: int, _: tuple = Depends(device), hub: Hub = Depends(get_hub)):
    path = pack_path(hub.engine, hub.packs_dir, version)
    if path is None:
        raise HubError(404, "no_pack", f"there is no lesson pack {version}")
    return FileResponse(path, media_type="application/zip", filename=path.name)


def create_app(engine: Engine, keys: HubKeys, *, packs_dir: Path) -> FastAPI:
    """The hub's ASGI application over ``engine``, signing with ``keys``, serving lesson packs
    from ``packs_dir``. Safe to serve from several threads."""
    # No /docs or /redoc pages: they load scripts from a CDN, and the hub works offline.
    app = FastAPI(title="Help-point ward hub", version=str(API_VERSION),
                  description="Receives kiosk records exactly once; serves signed lesson packs.",
                  docs_url=None, redoc_url=None)
    app.state.hub = Hub(engine, keys, packs_dir)
    _install_error_handlers(app)
    app.add_middleware(BodyLimit)  # every body a capped stream (inside: its 413 is identified)
    app.add_middleware(_IdentifyHub, hub_id=keys.hub_id)
    app.include_router(router)
    install_dashboard(app, engine, keys, packs_dir=packs_dir)  # ward staff pages, signed in
    return app


def log_refused_enrollment(http: Request, code: str, device_id: str, reason: str) -> None:
    """Log a refused enrollment for the admin, without the secret: only the code's first two
    characters, the device id and the client's address."""
    address = http.client.host if http.client else "unknown"
    log.warning("enrollment refused (%s) for device %s from %s, code %s…", reason, device_id,
                address, code[:2])


def _parse_batch(data: bytes, device_id: str) -> dict:
    """The batch's fields once its shape, device and sequence range are checked."""
    try:
        batch = orjson.loads(data)
    except orjson.JSONDecodeError:
        raise HubError(400, "bad_batch", "the batch is not valid JSON (cut short?)") from None
    fields_ok = (isinstance(batch, dict) and isinstance(batch.get("records"), list)
                 and all(_is_int(batch.get(k)) for k in ("first_seq", "last_seq")))
    if not fields_ok or not isinstance(batch.get("device_id"), str):
        raise HubError(400, "bad_batch", "a batch needs device_id, first_seq, last_seq, records")
    if batch["device_id"] != device_id:
        raise HubError(403, "wrong_device", "this kiosk may only send its own records")
    if not 0 <= batch["first_seq"] <= batch["last_seq"]:
        raise HubError(400, "bad_batch", "first_seq must not be after last_seq")
    rows, previous = batch["records"], batch["first_seq"] - 1
    if len(rows) > MAX_ROWS:
        raise HubError(413, "too_large", f"at most {MAX_ROWS} records per batch")
    for row in rows:
        seq = row.get("seq") if isinstance(row, dict) else None
        if not _is_int(seq) or not previous < seq <= batch["last_seq"]:
            raise HubError(400, "bad_batch", "sequence numbers out of order or out of range")
        previous = seq
    return batch


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and -2**62 < value < 2**62


def _install_error_handlers(app: FastAPI) -> None:
    def answer(status: int, error: str, message: str, headers=None) -> JSONResponse:
        return JSONResponse({"hub": HUB_NAME, "error": error, "message": message},
                            status_code=status, headers=headers)

    @app.exception_handler(HubError)
    async def _hub_error(_, error: HubError):
        headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else None
        return answer(error.status, error.error, error.message, headers)

    @app.exception_handler(BodyRefused)
    async def _body_refused(_, error: BodyRefused):
        return answer(error.status, error.error, error.message)

    @app.exception_handler(BatchError)
    async def _batch_error(_, error: BatchError):
        return answer(400, "bad_batch", str(error))

    @app.exception_handler(RequestValidationError)
    async def _invalid(_, error: RequestValidationError):
        return answer(422, "invalid", "the request is not what this address expects")

    @app.exception_handler(StarletteHTTPException)
    async def _http(_, error: StarletteHTTPException):
        return answer(error.status_code, "http", str(error.detail), getattr(error, "headers", None))


class _IdentifyHub:
    """ASGI middleware adding ``X-Kiosk-Hub: <hub id>`` to every response."""

    def __init__(self, app, hub_id: str):
        self.app, self.header = app, (b"x-kiosk-hub", hub_id.encode("ascii"))

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_identified(message):
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], self.header]
            await send(message)

        await self.app(scope, receive, send_identified)
