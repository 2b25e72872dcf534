"""The ward dashboard: sign-in, roles, CSRF, passwords, and numbers that agree everywhere."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from kiosk.hub.dashboard.users import get_user, password_matches
from kiosk.hub.schema import enroll_codes, users
from kiosk.locale import ui_text

from tests.hub.dashboard_helpers import (ADMIN, VIEWER, csrf_of, dashboard_app, flat,
                                         must_show, page_numbers, same_number, signed_in)
from tests.hub.dashboard_seed import NAME_IN_NOTE, PERIOD, seed_hub

PAGES = ["/", "/dashboard", "/dashboard?from=2025-03-01&to=2025-03-31", "/dashboard/print",
         "/dashboard/export/csv", "/dashboard/export/xlsx", "/dashboard/export/json",
         "/dashboard/kiosks", "/dashboard/lessons", "/dashboard/import"]
ACTIONS = ["/dashboard/kiosks", "/dashboard/lessons", "/dashboard/import", "/signout"]
QUERY = {"from": PERIOD[0].isoformat(), "to": PERIOD[1].isoformat()}


@pytest.fixture
def app(hub_engine, hub_keys, tmp_path):
    return dashboard_app(hub_engine, hub_keys, tmp_path / "packs")


def test_a_visitor_who_has_not_signed_in_sees_only_the_sign_in_page(app):
    client = TestClient(app)
    for url in PAGES:
        answer = client.get(url, follow_redirects=False)
        assert answer.status_code == 303, url
        assert answer.headers["location"].startswith("/signin"), url
    for url in ACTIONS:
        answer = client.post(url, data={"point": "x", "csrf": "x"}, follow_redirects=False)
        assert answer.status_code in (303, 403), url
        assert answer.status_code == 403 or answer.headers["location"].startswith("/signin")
    page = client.get("/dashboard/kiosks")  # follows the redirect
    assert page.url.path == "/signin" and 'type="password"' in page.text
    assert client.get("/api/v1/health").json()["hub"] == "kiosk-hub"  # the kiosk API is as it was
    with pytest.raises(Exception):
        csrf_of(client.get("/api/v1/health").text)


def test_a_forged_or_stale_session_cookie_is_not_a_session(app):
    client = TestClient(app)
    client.cookies.set("kh_session", "eyJ1c2VyIjoibGFuLmFkbWluIn0.0000")
    assert client.get("/dashboard", follow_redirects=False).status_code == 303
    signed, _ = signed_in(app)
    cookie = signed.cookies.get("kh_session")
    body, mac = cookie.rsplit(".", 1)
    tampered = TestClient(app)
    tampered.cookies.set("kh_session", body[:-2] + "AA." + mac)
    assert tampered.get("/dashboard", follow_redirects=False).status_code == 303


def test_a_wrong_password_is_refused_and_repeated_tries_lock_the_name(app):
    client = TestClient(app)
    token = csrf_of(client.get("/signin").text)
    for _ in range(5):
        answer = client.post("/signin", data={"name": ADMIN[0], "password": "wrong password",
                                              "csrf": token}, follow_redirects=False)
        assert answer.status_code == 401 and ui_text("dash.wrong_password", "vi") in answer.text
    assert client.get("/dashboard", follow_redirects=False).status_code == 303
    locked = client.post("/signin", data={"name": ADMIN[0], "password": ADMIN[1],
                                          "csrf": token}, follow_redirects=False)
    assert locked.status_code == 429 and ui_text("dash.locked", "vi", count=1, n=1) in locked.text
    assert client.get("/dashboard", follow_redirects=False).status_code == 303
    signed_in(app, VIEWER)  # another name is not locked


def test_passwords_are_stored_as_slow_salted_hashes(hub_engine, app):
    from kiosk.hub.dashboard.users import add_user

    add_user(hub_engine, "same.password", "viewer", VIEWER[1])
    with hub_engine.connect() as connection:
        stored = dict(connection.execute(select(users.c.name, users.c.password_hash)).all())
    assert stored[VIEWER[0]] != stored["same.password"]  # different salts
    for name, hashed in stored.items():
        assert hashed.startswith("$argon2id$v=19$")  # the algorithm tag is stored
        assert ADMIN[1] not in hashed and VIEWER[1] not in hashed
    assert password_matches(VIEWER[1], stored["same.password"])
    assert not password_matches(VIEWER[1] + " ", stored["same.password"])


def test_a_viewer_reads_but_cannot_change_anything(app, hub_engine):
    client, token = signed_in(app, VIEWER)
    assert client.get("/dashboard").status_code == 200
    kiosks = client.get("/dashboard/kiosks").text
    assert 'action="/dashboard/kiosks"' not in kiosks  # no form to make codes
    assert 'href="/dashboard/import"' not in kiosks
    for url, data in (("/dashboard/kiosks", {"point": "Tổ 1", "hours": "24"}),
                      ("/dashboard/lessons", {}), ("/dashboard/import", {})):
        answer = client.post(url, data={**data, "csrf": token},
                             files={"pack": ("a.zip", b"PK"), "bundles": ("b.hpb", b"x")})
        assert answer.status_code == 403, url
        assert ui_text("dash.admins_only", "vi") in answer.text
    assert client.get("/dashboard/import").status_code == 403
    with hub_engine.connect() as connection:
        assert connection.execute(select(enroll_codes)).first() is None


def test_every_post_needs_this_sessions_csrf_token_from_this_hubs_page(app, hub_engine):
    client, token = signed_in(app)
    form = {"point": "Nhà văn hóa tổ 5", "hours": "24"}
    assert client.post("/dashboard/kiosks", data=form).status_code == 403
    assert client.post("/dashboard/kiosks", data={**form, "csrf": "0" * 64}).status_code == 403
    other, other_token = signed_in(app, VIEWER)
    assert client.post("/dashboard/kiosks", data={**form, "csrf": other_token}).status_code == 403
    foreign = client.post("/dashboard/kiosks", data={**form, "csrf": token},
                          headers={"Origin": "http://evil.example"})
    assert foreign.status_code == 403
    assert client.post("/signout", data={}).status_code == 403
    with hub_engine.connect() as connection:
        assert connection.execute(select(enroll_codes)).first() is None
    made = client.post("/dashboard/kiosks", data={**form, "csrf": token},
                       headers={"Origin": "http://testserver"})
    assert made.status_code == 200 and re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", made.text)
    copied = TestClient(app)
    copied.cookies.set("kh_session", client.cookies.get("kh_session"))
    assert copied.get("/dashboard", follow_redirects=False).status_code == 200
    assert client.post("/signout", data={"csrf": token},
                       follow_redirects=False).status_code == 303
    assert client.get("/dashboard", follow_redirects=False).status_code == 303
    assert copied.get("/dashboard", follow_redirects=False).status_code == 303  # ended too
    signed_in(app)  # signing in again works


def test_pages_have_no_script_no_external_address_and_strict_headers(app):
    client, _ = signed_in(app)
    for url in ["/dashboard", "/dashboard/print", "/dashboard/kiosks", "/dashboard/lessons",
                "/dashboard/import", "/dashboard?lang=en", "/dashboard/static/hub.css"]:
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert "://" not in answer.text and "<script" not in answer.text.lower(), url
    headers = client.get("/dashboard").headers
    assert "default-src 'none'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    cookie = TestClient(app).get("/signin").headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie


def test_vietnamese_first_and_english_on_request(app):
    client, _ = signed_in(app)
    assert ui_text("dash.tile.people_helped", "vi") in client.get("/dashboard").text
    english = client.get("/dashboard?lang=en")
    assert "People helped" in english.text and 'lang="en"' in english.text
    assert ui_text("dash.tile.people_helped", "en") in client.get("/dashboard").text  # remembered
    assert ui_text("dash.tile.people_helped", "vi") in client.get("/dashboard?lang=vi").text


def _downloads(client, query):
    json_report = json.loads(client.get("/dashboard/export/json", params=query).content)
    csv_text = client.get("/dashboard/export/csv", params=query).content.decode("utf-8-sig")
    xlsx = client.get("/dashboard/export/xlsx", params=query)
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in xlsx.headers["content-disposition"]
    return json_report, csv_text, xlsx.content


def test_the_page_and_every_download_show_the_reports_numbers(hub_engine, app, tmp_path):
    from kiosk.hub.reports import ward_report

    seeded = seed_hub(hub_engine, tmp_path / "kiosks")
    client, _ = signed_in(app, VIEWER)
    for point in (None, seeded.points[1]):
        query = {**QUERY, "point": point or ""}
        with hub_engine.connect() as connection:
            report = ward_report(connection, start=PERIOD[0], end=PERIOD[1], point=point)
        assert report["totals"]["sessions"] == (80 if point is None else 40)
        shown = page_numbers(client.get("/dashboard", params=query).text)
        expected = flat(report)
        assert len(shown) > 40
        for key, value in shown.items():
            assert key in expected, key
            assert same_number(value, expected[key]), (key, value, expected[key])
        for key in filter(must_show, expected):
            assert key in shown, f"the page does not show {key}"
        assert page_numbers(client.get("/dashboard/print", params=query).text) == shown
        json_report, csv_text, xlsx = _downloads(client, query)
        assert flat(json_report) == flat(json.loads(json.dumps(report, default=str)))
        assert_file_agrees(report, csv_text, xlsx)


def assert_file_agrees(report: dict, csv_text: str, xlsx: bytes) -> None:
    """The CSV and the XLSX show the report's totals, per-app and per-reason figures on the
    lines labelled as the report's labels say (so the same numbers as the page)."""
    import csv

    import openpyxl

    from kiosk.reporting.figures import APP_COLUMNS, TOTAL_KEYS, report_label, value_label

    book = openpyxl.load_workbook(io.BytesIO(xlsx), read_only=True)
    sheets = {"csv": [row for row in csv.reader(io.StringIO(csv_text)) if row],
              "xlsx": [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]}
    for kind, rows in sheets.items():
        lines = {}
        for row in filter(None, rows):
            lines.setdefault(str(row[0]), row[1:])  # the first table with that label

        def value(label):
            assert label in lines, f"{kind} has no line {label!r}"
            return lines[label]

        for key in TOTAL_KEYS:
            assert _same(value(report_label(key))[0], report["totals"][key]), (kind, key)
        for app, counts in report["by_app"].items():
            shown = value(value_label("service", app))
            for index, column in enumerate(APP_COLUMNS):
                assert _same(shown[index], counts[column]), (kind, app, column)
        for reason, n in report["unsolved_by_reason"].items():
            assert _same(value(value_label("unsolved_reason", reason))[0], n), (kind, reason)


def _same(cell, number) -> bool:
    if number is None:
        return cell in (None, "")
    if isinstance(cell, str):
        cell = float(cell.rstrip("%")) / 100 if cell.endswith("%") else float(cell)
    return abs(float(cell) - float(number)) < 1e-4


def test_no_personal_data_in_any_page_or_download(hub_engine, app, tmp_path):
    seeded = seed_hub(hub_engine, tmp_path / "kiosks")
    assert any(NAME_IN_NOTE in note for note in seeded.notes)  # it did reach the hub
    client, _ = signed_in(app)
    texts = [client.get(url, params=QUERY).text for url in
             ("/dashboard", "/dashboard/print", "/dashboard/kiosks", "/dashboard/lessons",
              "/dashboard/import", "/dashboard/export/csv", "/dashboard/export/json")]
    texts.append(_xlsx_text(client.get("/dashboard/export/xlsx", params=QUERY).content))
    secrets = [NAME_IN_NOTE, *seeded.volunteer_ids, *(note[:30] for note in seeded.notes)]
    for text in texts:
        for secret in secrets:
            assert secret not in text


def _xlsx_text(data: bytes) -> str:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(str(cell) for sheet in book.worksheets
                     for row in sheet.iter_rows(values_only=True) for cell in row)


def test_kiosk_hub_user_add(tmp_path, hub_db_url):
    def run(*args, password="đủ dài rồi 123"):
        return subprocess.run([sys.executable, "-m", "kiosk.hub", "user", "add", *args,
                               "--db", hub_db_url, "--data-dir", str(tmp_path / "hub")],
                              input=password + "\n", capture_output=True, text=True, timeout=120)

    added = run("Chị Lan", "--role", "admin", "--password-stdin")
    assert added.returncode == 0, added.stderr
    for result in (run("Chị Lan", "--role", "viewer", "--password-stdin"),
                   run("Anh Minh", "--role", "viewer", "--password-stdin", password="ngắn")):
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert "nothing was changed" in result.stderr
    assert run("Anh Minh", "--role", "boss", "--password-stdin").returncode == 2
    replaced = run("Chị Lan", "--role", "viewer", "--password-stdin", "--replace",
                   password="mật khẩu mới 456")
    assert replaced.returncode == 0, replaced.stderr
    from kiosk.hub.database import open_engine

    engine = open_engine(hub_db_url)
    user, stored = get_user(engine, "Chị Lan")
    engine.dispose()
    assert user.role == "viewer" and password_matches("mật khẩu mới 456", stored)


def test_every_dashboard_label_is_in_the_catalogue_in_both_languages():
    from pathlib import Path

    from kiosk.hub import dashboard
    from kiosk.locale import catalogue

    folder = Path(dashboard.__file__).parent
    source = "".join(path.read_text("utf-8")
                     for path in [*folder.glob("*.py"), *folder.glob("templates/*.j2")])
    used = {key for key in re.findall(
        r'(?:t\([a-z.]*lang, |Refused\(\d+, |UploadError\()"([a-z_.]+)"', source)
        if not key.endswith(".")}
    used |= {"point_needed", "bad_hours", "one_zip", "form_expired", "wrong_password", "locked",
             "not_a_zip", "zip_unsafe", "zip_too_large", "bad_date"}
    used |= {f"{prefix}.{name}" for prefix, names in (
        ("nav", ("dashboard", "kiosks", "lessons", "import")), ("role", ("viewer", "admin")),
        ("download", ("csv", "xlsx", "json", "print")),
        ("table", ("by_age_band", "by_gender", "by_disability")),
        ("col", ("devices", "people_helped", "elderly_helped", "lesson_runs", "help_requests")),
        ("tile", ("people_helped", "elderly_helped", "services", "satisfaction", "lesson_runs",
                  "help_requests"))) for name in names}
    assert len(used) > 80
    texts = catalogue()
    missing = [key for key in used if not (texts.get(f"dash.{key}", {}).get("vi")
                                           and texts[f"dash.{key}"].get("en"))]
    assert missing == []
