"""Wards as tenants: a ward's account sees and changes only its ward; the city sees every ward.

Two wards are seeded with distinct counts (tenancy_seed). Every dashboard route, export and
action is walked as ward A's viewer and admin: no answer names ward B, its help point or its
kiosks, and every number shown is ward A's own report, never the city's.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile

import pytest
from sqlalchemy import func, select, text

from kiosk.hub import migrations
from kiosk.hub.api import create_app
from kiosk.hub.cli import main
from kiosk.hub.database import open_engine
from kiosk.hub.enrollment import EnrollError, make_code
from kiosk.hub.imports import import_bundles
from kiosk.hub.reports import ward_report
from kiosk.hub.schema import devices, enroll_codes, help_points, records
from kiosk.hub.wards import DEFAULT_WARD
from kiosk.sync.bundle import write_bundle

from tests.hub.conftest import add_records, enrolled_offline
from tests.hub.dashboard_helpers import flat, page_numbers, signed_in
from tests.hub.dashboard_seed import PERIOD
from tests.hub.tenancy_seed import (PASSWORD, POINTS_A, POINTS_B, SESSIONS_A, SESSIONS_B,
                                    WARD_A, WARD_B, seed_two_wards)
from tests.hub.test_migrations import LEGACY_FILE

QUERY = f"from={PERIOD[0].isoformat()}&to={PERIOD[1].isoformat()}"
ROUTES = ["/", "/dashboard", f"/dashboard?{QUERY}", f"/dashboard?{QUERY}&point={POINTS_B[0]}",
          f"/dashboard/print?{QUERY}", f"/dashboard/print?{QUERY}&point={POINTS_B[0]}",
          f"/dashboard/export/csv?{QUERY}", f"/dashboard/export/xlsx?{QUERY}",
          f"/dashboard/export/json?{QUERY}", f"/dashboard/export/json?{QUERY}&point={POINTS_B[0]}",
          f"/dashboard/export/csv?{QUERY}&point={POINTS_B[0]}", f"/dashboard/city?{QUERY}",
          "/dashboard/kiosks", "/dashboard/lessons", "/dashboard/import"]


@pytest.fixture
def wards(hub_engine, tmp_path):
    return seed_two_wards(hub_engine, tmp_path / "kiosks")


@pytest.fixture
def app(hub_engine, hub_keys, tmp_path, wards):
    return create_app(hub_engine, hub_keys, packs_dir=tmp_path / "packs")


def _text(answer) -> str:
    """An answer's text; a workbook's every XML part."""
    if answer.content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(answer.content)) as book:
            return "".join(book.read(name).decode("utf-8") for name in book.namelist()
                           if name.endswith(".xml"))
    return answer.text


def _report(engine, ward=None) -> dict:
    with engine.connect() as connection:
        return ward_report(connection, start=PERIOD[0], end=PERIOD[1], point=None, ward=ward)


@pytest.mark.parametrize("user", ["a.viewer", "a.admin"])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_ward_account_never_sees_another_wards_names_or_numbers(app, hub_engine, wards, user,
                                                                  lang):
    client, _ = signed_in(app, (user, PASSWORD))
    own = _report(hub_engine, WARD_A)
    assert own["totals"]["sessions"] == 2 * SESSIONS_A  # the seed is what the test thinks
    for route in ROUTES:
        answer = client.get(route + ("&" if "?" in route else "?") + f"lang={lang}")
        shown = _text(answer)
        for secret in wards.secrets_of_b():
            assert secret not in shown, (route, secret)
        if route.startswith("/dashboard/city"):
            assert answer.status_code == 403, route
        elif route.startswith("/dashboard/import") and user == "a.viewer":
            assert answer.status_code == 403
        else:
            assert answer.status_code == 200, (route, answer.status_code)
    page = page_numbers(client.get(f"/dashboard?{QUERY}").text)
    assert page["totals.sessions"] == str(2 * SESSIONS_A)
    for key, value in flat(own).items():
        if key in page:
            assert page[key] == ("" if value is None else str(value)), key
    exported = json.loads(client.get(f"/dashboard/export/json?{QUERY}").text)
    assert exported["totals"] == own["totals"] and set(exported["by_point"]) == set(POINTS_A)
    csv_lines = client.get(f"/dashboard/export/csv?{QUERY}").text.splitlines()
    assert sum(POINTS_A[0] in line or POINTS_A[1] in line for line in csv_lines) \
        >= 2 * SESSIONS_A


def test_the_city_sees_every_ward_and_compares_them(app, hub_engine, wards):
    client, _ = signed_in(app, ("city.viewer", PASSWORD))
    assert page_numbers(client.get(f"/dashboard?{QUERY}").text)["totals.sessions"] == \
        str(2 * SESSIONS_A + SESSIONS_B)
    answer = client.get(f"/dashboard/city?{QUERY}")
    assert answer.status_code == 200
    numbers = page_numbers(answer.text)
    assert numbers[f"ward.{WARD_A}.people_helped"] == str(2 * SESSIONS_A)
    assert numbers[f"ward.{WARD_B}.people_helped"] == str(SESSIONS_B)
    assert numbers["ward.*.people_helped"] == str(2 * SESSIONS_A + SESSIONS_B)
    assert numbers[f"ward.{WARD_A}.points"] == "2" and numbers[f"ward.{WARD_B}.points"] == "1"
    for ward in (WARD_A, WARD_B):
        report = _report(hub_engine, ward)
        assert numbers[f"ward.{ward}.satisfaction_rate"] == \
            str(report["totals"]["satisfaction_rate"])
        for app_name, counts in report["by_app"].items():
            if counts["services"]:  # the page leaves out apps no ward of the city helped with
                assert numbers[f"ward.{ward}.app.{app_name}"] == str(counts["services"])
    other, _ = signed_in(app, ("b.viewer", PASSWORD))
    assert other.get(f"/dashboard/city?{QUERY}").status_code == 403
    assert page_numbers(other.get(f"/dashboard?{QUERY}").text)["totals.sessions"] == \
        str(SESSIONS_B)


def test_a_ward_admin_changes_only_its_own_ward(app, hub_engine, hub_keys, wards, make_kiosk,
                                                tmp_path):
    client, csrf = signed_in(app, ("a.admin", PASSWORD))
    codes_before = _count(hub_engine, enroll_codes)
    answer = client.post("/dashboard/kiosks", data={"csrf": csrf, "point": POINTS_B[0],
                                                    "hours": "24"})
    assert answer.status_code == 400 and _count(hub_engine, enroll_codes) == codes_before
    made = client.post("/dashboard/kiosks", data={"csrf": csrf, "point": "Nhà văn hóa tổ 9",
                                                  "ward": WARD_B, "hours": "24"})
    assert made.status_code == 200
    with hub_engine.connect() as connection:  # a ward admin's ward field is ignored
        assert connection.execute(select(help_points.c.ward).where(
            help_points.c.name == "Nhà văn hóa tổ 9")).scalar_one() == WARD_A
    device_b = wards.b.device_ids[0]
    refused = client.post("/dashboard/kiosks/reenroll", data={"csrf": csrf,
                                                               "device_id": device_b})
    assert refused.status_code == 400
    with hub_engine.connect() as connection:
        assert connection.execute(select(devices.c.token_hash).where(
            devices.c.device_id == device_b)).scalar_one() is not None
    assert client.post("/dashboard/lessons", data={"csrf": csrf},
                       files={"pack": ("x.zip", b"PK")}).status_code == 403
    db, _ = make_kiosk("kiosk-b2")
    enrolled_offline(db, hub_engine, hub_keys, point=POINTS_B[0])
    add_records(db, 7)
    bundle = write_bundle(db, tmp_path).path
    stored = _count(hub_engine, records)
    page = client.post("/dashboard/import", data={"csrf": csrf},
                       files={"bundles": ("b.hpb", bundle.read_bytes())})
    assert page.status_code == 200 and _count(hub_engine, records) == stored
    report = import_bundles(hub_engine, hub_keys, [bundle], ward=WARD_B)  # B's own admin may
    assert report["totals"]["new"] == 7


def test_codes_accounts_and_reports_from_the_command_line(hub_db_url, tmp_path, capsys):
    common = ["--db", hub_db_url, "--data-dir", str(tmp_path / "hub")]
    assert main(["enroll-code", *common, "--point", "Tổ 1", "--ward", WARD_A, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ward"] == WARD_A
    assert main(["enroll-code", *common, "--point", "Tổ 1", "--ward", WARD_B, "--json"]) == 1
    assert "another ward" in capsys.readouterr().err
    assert main(["enroll-code", *common, "--point", "Tổ 2", "--json"]) == 0  # the only ward
    assert json.loads(capsys.readouterr().out)["ward"] == WARD_A
    assert main(["ward", "list", *common, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"wards": [{"name": WARD_A, "points": 2}]}
    assert main(["report", *common, "--ward", "Phường Không Có", "--format", "json"]) == 1
    assert "no ward" in capsys.readouterr().err
    assert main(["report", *common, "--ward", WARD_A, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["ward"] == WARD_A


def test_a_ward_report_counts_only_that_wards_points(hub_engine, wards):
    a, b, city = (_report(hub_engine, WARD_A), _report(hub_engine, WARD_B),
                  _report(hub_engine))
    assert (a["totals"]["sessions"], b["totals"]["sessions"], city["totals"]["sessions"]) == \
        (2 * SESSIONS_A, SESSIONS_B, 2 * SESSIONS_A + SESSIONS_B)
    assert a["points"] == sorted(POINTS_A) and b["points"] == list(POINTS_B)
    with pytest.raises(EnrollError, match="another ward"):
        make_code(hub_engine, POINTS_A[0], ward=WARD_B)


@pytest.mark.parametrize("named", [None, "Phường Phúc Xá"])
def test_a_single_ward_hub_upgrades_in_place(tmp_path, named):
    path = tmp_path / "hub.db"
    shutil.copy(LEGACY_FILE, path)
    engine = open_engine(f"sqlite:///{path}", migrate=False)
    migrations.upgrade(engine, to="0003_device_identity")
    if named:
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO hub_settings (key, value) VALUES "
                                    "('ward_name', :w)"), {"w": named})
    assert migrations.upgrade(engine) == migrations.LATEST
    with engine.connect() as connection:
        placed = dict(connection.execute(select(help_points.c.name, help_points.c.ward)).all())
        accounts = connection.execute(text("SELECT name, ward FROM users")).all()
    engine.dispose()
    assert "Nhà văn hóa tổ 5" in placed  # its kiosk's point, and its codes' points
    assert set(placed.values()) == {named or DEFAULT_WARD}
    assert accounts and all(ward is None for _, ward in accounts)  # city accounts, as before


def _count(engine, table) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar_one()
