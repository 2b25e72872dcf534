"""Helpers for the dashboard tests: an app with users, signing in, and reading numbers back."""

from __future__ import annotations

import html
import io
import re
import shutil
import zipfile

from fastapi.testclient import TestClient

from kiosk.hub.api import create_app
from kiosk.hub.dashboard.users import add_user
from kiosk.lessons import BUNDLED_DIR

ADMIN, VIEWER = ("lan.admin", "mật khẩu quản trị 1"), ("minh.viewer", "chỉ xem thôi 22")
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')
_NUMBER = re.compile(r'data-k="([^"]+)" data-v="([^"]*)"')


def dashboard_app(engine, keys, packs_dir, *, users: bool = True):
    """The hub's app with an admin and a viewer (``ADMIN``, ``VIEWER``)."""
    if users:
        add_user(engine, ADMIN[0], "admin", ADMIN[1])
        add_user(engine, VIEWER[0], "viewer", VIEWER[1])
    return create_app(engine, keys, packs_dir=packs_dir)


def csrf_of(page: str) -> str:
    found = _CSRF.search(page)
    assert found, "the page has no CSRF field"
    return html.unescape(found.group(1))


def signed_in(app, user=ADMIN) -> tuple[TestClient, str]:
    """A client signed in as ``user`` and the CSRF token of its session."""
    client = TestClient(app)
    token = csrf_of(client.get("/signin").text)
    answer = client.post("/signin", data={"name": user[0], "password": user[1], "csrf": token},
                         follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return client, csrf_of(client.get("/dashboard/kiosks").text)


def page_numbers(page: str) -> dict[str, str]:
    """Every ``data-k``/``data-v`` pair of a page: the raw numbers behind what it shows."""
    return {html.unescape(k): html.unescape(v) for k, v in _NUMBER.findall(page)}


SHOWN_PER_POINT = ("devices", "people_helped", "elderly_helped", "lesson_runs", "help_requests",
                   "satisfaction_rate", "unsent")


def flat(report: dict) -> dict[str, object]:
    """The report's figures as ``{"totals.sessions": 12, "by_app.vneid.installed": 3, …}``."""
    found = {}
    for section in ("totals", "by_age_band", "by_gender", "by_disability", "satisfaction",
                    "unsolved_by_reason", "by_outcome", "services_by_app"):
        for key, value in (report.get(section) or {}).items():
            found[f"{section}.{key}"] = value
    for section in ("by_app", "by_point"):
        for name, values in (report.get(section) or {}).items():
            for key, value in values.items():
                if key != "last_sync_at":
                    found[f"{section}.{name}.{key}"] = value
    return found


def must_show(key: str) -> bool:
    """Whether the dashboard page shows the report's figure ``key`` (see ``flat``)."""
    section, _, rest = key.partition(".")
    if section == "by_point":
        return rest.rsplit(".", 1)[-1] in SHOWN_PER_POINT
    if section == "by_app":
        return not rest.endswith(".logged_in")
    return section in ("totals", "by_age_band", "by_gender", "by_disability",
                       "unsolved_by_reason")


def same_number(shown: str, value) -> bool:
    if value is None:
        return shown in ("", "None")
    return float(shown) == float(value)


def lesson_zip(tmp_path, *, broken: bool = False) -> bytes:
    """A zip of one folder holding the etax-pay lesson (its lesson.json broken if asked)."""
    folder = tmp_path / "src" / "etax-pay"
    shutil.copytree(BUNDLED_DIR / "etax-pay", folder)
    if broken:
        (folder / "lesson.json").write_text('{"format": 1}', "utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for file in folder.rglob("*"):
            archive.write(file, f"lessons-2025-06/{file.relative_to(folder.parent).as_posix()}")
    return out.getvalue()
