"""Shared fixtures: a fresh data folder and database per test, and the kiosk window."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any Qt import; no display in CI
# the cheapest Argon2 cost (kiosk.core.passwords): hashing stays fast in tests and children
os.environ.setdefault("KIOSK_PASSWORD_COST", "test")

import pytest

from kiosk.core import accounts
from kiosk.core.db import connect
from kiosk.core.paths import db_path

ADMIN_PIN = "1357"


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    folder = tmp_path / "kiosk-data"
    folder.mkdir()
    monkeypatch.setenv("KIOSK_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def db(data_dir):
    database = connect(db_path(data_dir))
    yield database
    database.conn.close()


@pytest.fixture
def with_admin(db):
    accounts.create_account(db, name="Quản trị", role="admin", pin=ADMIN_PIN)
    return db


@pytest.fixture
def make_window(qtbot, data_dir):
    """Build kiosk windows on ``data_dir``; each is closed and its worker stopped afterwards."""
    from kiosk.ui.app import build_window, create_application

    create_application()
    made = []

    def make(**options):
        window, worker = build_window(data_dir, **options)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        made.append((window, worker))
        qtbot.waitUntil(lambda: worker.pending == 0)
        return window

    yield make
    for window, worker in made:
        window.unlock_and_close()
        worker.shutdown()


@pytest.fixture
def window(make_window, with_admin):
    return make_window()


def drain(qtbot, window) -> None:
    """Wait until every database operation the window submitted has finished."""
    qtbot.waitUntil(lambda: window.worker.pending == 0, timeout=10_000)
