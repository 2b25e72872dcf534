"""Fixtures of the real-use tests: one X display per test session, a prepared data folder."""

import os
import shutil
from pathlib import Path

import pytest

from kiosk.core import accounts
from kiosk.core.db import connect
from kiosk.core.paths import db_path

ADMIN_PIN = "1357"
VOLUNTEER = ("Nguyễn Thị Lan", "2468")


@pytest.fixture(scope="session")
def artifacts() -> Path:
    folder = Path(os.environ.get("KIOSK_ARTIFACTS_DIR", "artifacts/realuse")).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def xsession(tmp_path_factory, artifacts):
    from realuse.xsession import XSession, missing_tools

    missing = missing_tools()
    if missing:
        pytest.skip(f"real-use tests need {', '.join(missing)} (Debian: xvfb openbox xdotool "
                    "imagemagick x11-utils)")
    session = XSession(tmp_path_factory.mktemp("x-logs"))
    yield session
    session.close()


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory) -> Path:
    """Mock phone screens are drawn once for the whole run, not once per kiosk."""
    return tmp_path_factory.mktemp("picture-cache")


@pytest.fixture
def data_dir(tmp_path, shared_cache) -> Path:
    """A kiosk data folder for a named help point, with an admin, one volunteer and records
    not yet sent to the hub."""
    folder = tmp_path / "kiosk-data"
    folder.mkdir()
    (folder / "cache").symlink_to(shared_cache, target_is_directory=True)
    (folder / "config.toml").write_text('help_point = "Nhà văn hóa tổ dân phố số 7"\n',
                                        encoding="utf-8")
    db = connect(db_path(folder))
    accounts.create_account(db, name="Quản trị", role="admin", pin=ADMIN_PIN)
    accounts.create_account(db, name=VOLUNTEER[0], role="volunteer", pin=VOLUNTEER[1])
    from kiosk.core.demo import record_demo_sessions

    list(record_demo_sessions(db, 3, seed=1))
    db.conn.close()
    return folder


@pytest.fixture
def start_kiosk(xsession, data_dir, artifacts):
    """Start the kiosk (full screen, locked) as a process; stopped after the test."""
    from realuse.driver import Kiosk

    started = []

    def start(label: str):
        kiosk = Kiosk(xsession, data_dir, artifacts, label, "--fullscreen")
        started.append(kiosk)
        return kiosk

    yield start
    for kiosk in started:
        kiosk.close()
