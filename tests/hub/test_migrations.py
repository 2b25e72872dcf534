"""The hub's schema under Alembic: a new database gets today's schema, a database made by the last
release before Alembic (commit b212241) is adopted in place with its data, on SQLite (a committed
file made by that release) and on PostgreSQL (built by that release's own code at test time)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from kiosk.hub import migrations
from kiosk.hub.dashboard.users import Throttle, authenticate
from kiosk.hub.database import normalise_url, open_engine
from kiosk.hub.ingest import ingest_batch

FIXTURES = Path(__file__).parent / "fixtures"
LEGACY_FILE = FIXTURES / "legacy_hub_b212241.db"
LEGACY_COMMIT = "b212241"
REPO = Path(__file__).resolve().parents[2]
DEVICE = "0190c9a8-0000-7000-8000-000000000001"



def _schema(url: str) -> dict:
    """Every table's columns (name, type, nullable), indexes and unique constraints."""
    engine = create_engine(normalise_url(url))
    try:
        found = inspect(engine)
        return {table: ({(c["name"], str(c["type"]), c["nullable"])
                         for c in found.get_columns(table)},
                        {(i["name"], tuple(i["column_names"])) for i in found.get_indexes(table)},
                        {tuple(u["column_names"]) for u in found.get_unique_constraints(table)},
                        tuple(found.get_pk_constraint(table)["constrained_columns"]))
                for table in found.get_table_names() if table != "alembic_version"}
    finally:
        engine.dispose()


def _legacy_hub(url: str, tmp_path: Path) -> None:
    """Build a hub database at ``url`` with the code of the last release before Alembic."""
    if shutil.which("git") is None:
        pytest.skip("git is needed to run the old release's code")
    old = tmp_path / "old"
    old.mkdir()
    archive = subprocess.run(["git", "-C", str(REPO), "archive", LEGACY_COMMIT, "kiosk"],
                             capture_output=True, timeout=60)
    if archive.returncode != 0:
        pytest.skip(f"commit {LEGACY_COMMIT} is not in this checkout")
    subprocess.run(["tar", "-x", "-C", str(old)], input=archive.stdout, check=True, timeout=60)
    subprocess.run([sys.executable, str(FIXTURES / "make_legacy_hub.py"), url], cwd=old,
                   env={"PYTHONPATH": str(old), "PATH": "/usr/bin:/bin"}, check=True,
                   timeout=120)


def _check_adopted(url: str) -> None:
    engine = open_engine(url)
    try:
        with engine.connect() as connection:
            assert migrations.current_version(connection) == migrations.LATEST
            assert connection.execute(text("SELECT count(*) FROM records")).scalar_one() == 4
            assert connection.execute(text(
                "SELECT max(version) FROM hub_schema_version")).scalar_one() >= 2
            point = connection.execute(text("SELECT point FROM devices WHERE device_id = :d"),
                                       {"d": DEVICE}).scalar_one()
        assert point == "Nhà văn hóa tổ 5"
        assert authenticate(engine, Throttle(), "admin", "legacy-pass-1") is not None
        session = {"id": "0190c9a8-1111-7000-8000-000000000009", "device_id": DEVICE,
                   "revision": 1, "services": []}
        result = ingest_batch(engine, DEVICE, [{"seq": 5, "record_type": "assistance_session",
                                                "record": session}])
        assert result.new == 1
    finally:
        engine.dispose()
    again = open_engine(url)  # a second start finds nothing to do
    again.dispose()


def test_a_hub_database_made_by_the_last_release_is_adopted_in_place(tmp_path):
    path = tmp_path / "hub.db"
    shutil.copy(LEGACY_FILE, path)
    _check_adopted(f"sqlite:///{path}")


def test_the_baseline_builds_exactly_the_schema_of_the_last_release(tmp_path):
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    engine = open_engine(fresh, migrate=False)
    assert migrations.upgrade(engine, to="0001_baseline") == "0001_baseline"
    engine.dispose()
    assert _schema(fresh) == _schema(f"sqlite:///{LEGACY_FILE}")


def test_old_release_code_path_then_upgrade(hub_db_url, tmp_path):
    _legacy_hub(hub_db_url, tmp_path)
    with create_engine(normalise_url(hub_db_url)).connect() as connection:
        assert not inspect(connection).has_table("alembic_version")
    _check_adopted(hub_db_url)


def test_a_database_from_a_newer_hub_is_refused(hub_db_url):
    engine = open_engine(hub_db_url)
    try:
        with engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = '0999_future'"))
        with pytest.raises(RuntimeError, match="newer"):
            migrations.upgrade(engine)
    finally:
        engine.dispose()


def test_the_revisions_build_what_the_current_schema_declares(tmp_path):
    """Every table, column and index of ``kiosk.hub.schema`` comes from a revision, and no
    revision makes anything it does not declare."""
    from kiosk.hub.schema import metadata

    migrated = f"sqlite:///{tmp_path / 'migrated.db'}"
    open_engine(migrated).dispose()
    declared = f"sqlite:///{tmp_path / 'declared.db'}"
    engine = create_engine(declared)
    metadata.create_all(engine)
    engine.dispose()
    assert _schema(migrated) == _schema(declared)
