"""Several hub processes on one database behave as one hub.

Two real ``kiosk-hub serve`` processes share one database (PostgreSQL when
KIOSK_TEST_POSTGRES_URL names a server, and SQLite) and the hub's keys, but not a data folder:
hub B runs with ``--workers 2``. A kiosk enrolls at one and syncs alternately through both, and
everything is stored exactly once; a sign-in lockout earned at one holds at the other; signing out
at one ends the session at the other; a lesson pack published through A's dashboard is served by
B, which never had its file.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from kiosk.hub.dashboard.users import add_user
from kiosk.hub.enrollment import make_code
from kiosk.hub.schema import records
from kiosk.hub.site import open_hub
from kiosk.sync.enroll import enroll
from kiosk.sync.lesson_update import installed_version, update_lessons
from kiosk.sync.push import sync_round

from tests.hub.conftest import add_records, client_via
from tests.hub.dashboard_helpers import csrf_of, lesson_zip

ADMIN, PASSWORD = "city.admin", "mật khẩu thành phố 1"
START_TIMEOUT_S = 60


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(url: str, data_dir: Path, *extra: str) -> tuple[subprocess.Popen, str]:
    """A ``kiosk-hub serve`` process and its address, once its health answer comes."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk.hub", "serve", "--db", url, "--data-dir", str(data_dir),
         "--port", str(port), *extra], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    address = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:  # the condition is the hub answering; between tries, a short pause
        if process.poll() is not None:
            raise RuntimeError(f"the hub stopped: {process.stderr.read().decode()[-2000:]}")
        try:
            if httpx.get(f"{address}/api/v1/health", timeout=2).status_code == 200:
                return process, address
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("the hub did not start in time")
        time.sleep(0.1)


@pytest.fixture
def two_hubs(hub_db_url, tmp_path):
    """Hubs A and B (``--workers 2``) on one database, with the same keys in separate data
    folders; the database has a city admin."""
    first, second = tmp_path / "hub-a", tmp_path / "hub-b"
    hub = open_hub(hub_db_url, first)  # makes the keys and the schema
    add_user(hub.engine, ADMIN, "admin", PASSWORD)
    shutil.copytree(first / "keys", second / "keys")
    started = []
    try:
        for folder, extra in ((first, ()), (second, ("--workers", "2"))):
            started.append(_serve(hub_db_url, folder, *extra))
        yield hub, started[0][1], started[1][1]
    finally:
        for process, _ in started:
            process.terminate()
        for process, _ in started:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)
            process.stderr.close()
        hub.close()


def _signin_form(client: httpx.Client) -> str:
    return csrf_of(client.get("/signin").text)


def _sign_in(client: httpx.Client, password: str) -> int:
    answer = client.post("/signin", data={"name": ADMIN, "password": password,
                                          "csrf": _signin_form(client)})
    return answer.status_code


def test_a_kiosk_alternating_between_two_hubs_stores_everything_once(two_hubs, make_kiosk):
    hub, a, b = two_hubs
    db, data = make_kiosk()
    enroll(db, b, make_code(hub.engine, "Nhà văn hóa tổ 5", keys=hub.keys)["code"])
    add_records(db, 40, revisions=2)
    for round_, address in enumerate((a, b, a, b, a, b, a, b)):
        with client_via(db, address, timeout=20) as client:
            result = sync_round(db, client, batch_rows=10, max_batches=1)
        assert result.last_error is None, (round_, result.last_error)
    assert result.unsent == 0
    with db.atomic():  # as if every acknowledgement had been lost: all of it is sent again
        db.execute("UPDATE outbox SET sent_at = NULL")
    for address in (a, b):
        with client_via(db, address, timeout=20) as client:
            assert sync_round(db, client, batch_rows=25).unsent == 0
    with hub.engine.connect() as connection:
        stored = connection.execute(select(func.count()).select_from(records)).scalar_one()
        newest = connection.execute(select(func.min(records.c.revision))).scalar_one()
    assert (stored, newest) == (40, 2)


def test_a_lockout_and_a_sign_out_at_one_hub_hold_at_the_other(two_hubs):
    _, a, b = two_hubs
    with httpx.Client(base_url=a, timeout=20) as at_a, httpx.Client(base_url=b, timeout=20) as at_b:
        assert _sign_in(at_a, PASSWORD) == 303
        session = at_a.cookies.get("kh_session")
        at_b.cookies.set("kh_session", session)
        assert at_b.get("/dashboard/kiosks").status_code == 200  # one session, both hubs
        answer = at_a.post("/signout", data={"csrf": csrf_of(at_a.get("/dashboard/kiosks").text)})
        assert answer.status_code == 303
        at_b.cookies.set("kh_session", session)  # a copy of the cookie is no use at B either
        assert at_b.get("/dashboard/kiosks", follow_redirects=False).status_code == 303
    with httpx.Client(base_url=a, timeout=20) as at_a, httpx.Client(base_url=b, timeout=20) as at_b:
        codes = [_sign_in(at_a, "not the password") for _ in range(5)]
        assert codes[:4] == [401] * 4 and codes[4] in (401, 429)
        assert _sign_in(at_b, PASSWORD) == 429  # locked at B too, right password or not


def test_a_pack_published_through_one_hub_is_served_by_the_other(two_hubs, make_kiosk,
                                                                  tmp_path):
    hub, a, b = two_hubs
    with httpx.Client(base_url=a, timeout=60) as at_a:
        assert _sign_in(at_a, PASSWORD) == 303
        token = csrf_of(at_a.get("/dashboard/lessons").text)
        answer = at_a.post("/dashboard/lessons", data={"csrf": token},
                           files={"pack": ("lessons.zip", lesson_zip(tmp_path), "application/zip")})
        assert answer.status_code == 200, answer.text[-500:]
    assert (tmp_path / "hub-a" / "packs" / "lessons-1.zip").is_file()
    assert not (tmp_path / "hub-b" / "packs" / "lessons-1.zip").exists()
    db, data = make_kiosk()
    enroll(db, a, make_code(hub.engine, "Nhà văn hóa tổ 5", keys=hub.keys)["code"])
    with client_via(db, b, timeout=30) as client:
        result = update_lessons(db, data, client)
    assert (result.status, installed_version(data)) == ("installed", 1)
    assert (tmp_path / "hub-b" / "packs" / "lessons-1.zip").read_bytes() == \
        (tmp_path / "hub-a" / "packs" / "lessons-1.zip").read_bytes()
