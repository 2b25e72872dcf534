"""Hub fixtures: a hub database on SQLite (always) and PostgreSQL (when KIOSK_TEST_POSTGRES_URL
names a server, as ``.ci/run`` arranges), a real hub on 127.0.0.1, and kiosks that enroll."""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from kiosk.core.db import connect
from kiosk.hub.api import create_app
from kiosk.hub.database import normalise_url, open_engine
from kiosk.hub.devices import make_code, redeem_code
from kiosk.hub.keys import HubKeys, generate
from kiosk.core.lesson_runs import start_run, update_run
from kiosk.sync.client import HubClient
from kiosk.sync.enroll import enroll, enrollment

POSTGRES_URL = os.environ.get("KIOSK_TEST_POSTGRES_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])


@pytest.fixture(params=BACKENDS)
def hub_db_url(request, tmp_path):
    """A fresh, empty hub database: a file for SQLite, a new database on the PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'hub.db'}"
        return
    name = f"hub_{uuid.uuid4().hex[:12]}"
    admin = create_engine(normalise_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def hub_engine(hub_db_url):
    engine = open_engine(hub_db_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def hub_keys() -> HubKeys:
    return generate()


@dataclass
class LiveHub:
    url: str
    port: int
    engine: object
    keys: HubKeys
    packs_dir: Path

    def code(self, point: str = "Nhà văn hóa tổ 5") -> str:
        return make_code(self.engine, point, keys=self.keys)["code"]


@pytest.fixture
def live_hub(hub_engine, hub_keys, tmp_path):
    """The hub's real API served by uvicorn on 127.0.0.1, stopped after the test."""
    packs = tmp_path / "hub-packs"
    packs.mkdir()
    app = create_app(hub_engine, hub_keys, packs_dir=packs)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", limit_concurrency=500,
                                           backlog=512, timeout_keep_alive=5))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the hub did not start")
        time.sleep(0.01)
    yield LiveHub(f"http://127.0.0.1:{port}", port, hub_engine, hub_keys, packs)
    server.should_exit = True
    thread.join(15)
    sock.close()


@pytest.fixture
def make_kiosk(tmp_path):
    """Kiosk databases in their own data folders, closed after the test."""
    opened = []

    def make(name: str = "kiosk"):
        folder = tmp_path / name
        folder.mkdir()
        db = connect(folder / "kiosk.db")
        opened.append(db)
        return db, folder

    yield make
    for db in opened:
        db.conn.close()


def add_records(db, runs: int, *, revisions: int = 1) -> int:
    """``runs`` lesson runs with ``revisions`` revisions each, in one transaction; returns the
    number of outbox rows made."""
    with db.atomic():
        for index in range(runs):
            run = start_run(db, lesson_id="vneid-activate", lesson_version="1", language="vi",
                            text_size="normal", total_steps=8)
            for step in range(1, revisions):
                update_run(db, run["id"], furthest_step=step)
    return runs * revisions


def enrolled(db, hub: LiveHub, point: str = "Nhà văn hóa tổ 5"):
    """Enroll ``db``'s kiosk with ``hub``; returns the enrollment."""
    return enroll(db, hub.url, hub.code(point))


def enrolled_offline(db, engine, keys: HubKeys, point: str = "Nhà văn hóa tổ 5"):
    """Enroll ``db``'s kiosk straight into the hub database behind ``engine`` (no server), as
    the network enrollment would: its own key pair, the hub's keys pinned. Returns the
    enrollment."""
    from kiosk.core.db import device_id, now_iso
    from kiosk.sync import identity
    from kiosk.sync.enroll import Enrollment, store_enrollment

    key = identity.new_key()
    granted = redeem_code(engine, make_code(engine, point, keys=keys)["code"], device_id(db),
                          identity.public_text(key))
    public = keys.public()
    found = Enrollment(hub_url="http://127.0.0.1:9", hub_id=public["hub_id"],
                       device_token=granted["token"], signing_key=public["signing_key"],
                       encryption_key=public["encryption_key"], point=granted["point"],
                       enrolled_at=now_iso(), device_key=identity.key_text(key))
    store_enrollment(db, found)
    return found


def client_via(db, url: str, timeout: float = 5.0) -> HubClient:
    """A client with ``db``'s enrollment that talks to ``url`` (e.g. a fault proxy)."""
    from kiosk.sync.identity import ensure_key

    found = enrollment(db)
    return HubClient(url, token=found.device_token, hub_id=found.hub_id,
                     signing_key=found.signing_key, timeout=timeout, device_key=ensure_key(db))
