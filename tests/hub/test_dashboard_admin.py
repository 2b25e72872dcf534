"""The dashboard's admin forms do what the ``kiosk-hub`` commands do: enrollment codes, USB
bundle import and lesson publishing, from the browser."""

from __future__ import annotations

import io
import re
import shutil
import zipfile

import pytest
from sqlalchemy import func, select

from kiosk.hub.devices import redeem_code
from kiosk.hub.schema import lesson_packs, records
from kiosk.locale import ui_text
from kiosk.sync.bundle import write_bundle

from tests.hub.conftest import add_records, enrolled_offline
from tests.hub.dashboard_helpers import dashboard_app, lesson_zip, signed_in


@pytest.fixture
def admin(hub_engine, hub_keys, tmp_path):
    app = dashboard_app(hub_engine, hub_keys, tmp_path / "packs")
    return signed_in(app)


def test_an_admin_makes_an_enrollment_code_that_a_kiosk_can_use(admin, hub_engine):
    client, token = admin
    page = client.post("/dashboard/kiosks", data={"point": "Nhà văn hóa tổ 7", "hours": "2",
                                                  "csrf": token})
    assert page.status_code == 200
    code = re.search(r'data-k="code">([A-Z2-9-]{24})<', page.text).group(1)
    assert "Nhà văn hóa tổ 7" in page.text
    granted = redeem_code(hub_engine, code, "0190f0e0-0000-7000-8000-000000000001")
    assert granted["point"] == "Nhà văn hóa tổ 7"
    listed = client.get("/dashboard/kiosks").text
    assert "0190f0e0-0000-7000-8000-000000000001" in listed and "Nhà văn hóa tổ 7" in listed
    bad = client.post("/dashboard/kiosks", data={"point": " ", "hours": "2", "csrf": token})
    assert bad.status_code == 400 and ui_text("dash.point_needed", "vi") in bad.text


def test_an_admin_imports_usb_bundles_once_and_sees_refusals(admin, hub_engine, hub_keys,
                                                            make_kiosk, tmp_path):
    client, token = admin
    db, _ = make_kiosk()
    enrolled_offline(db, hub_engine, hub_keys)
    add_records(db, 25)
    bundle = write_bundle(db, tmp_path, help_point="Tổ 9").path
    data = bundle.read_bytes()
    files = [("bundles", (bundle.name, data)), ("bundles", ("hỏng.hpb", data[: len(data) // 2]))]
    page = client.post("/dashboard/import", data={"csrf": token}, files=files)
    assert page.status_code == 200
    assert re.search(r'data-k="new">25<', page.text)
    assert ui_text("dash.refused_whole", "vi") in page.text and bundle.name in page.text
    again = client.post("/dashboard/import", data={"csrf": token},
                        files=[("bundles", (bundle.name, data))])
    assert re.search(r'data-k="already_present">25<', again.text)
    with hub_engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(records)).scalar_one() == 25
    assert str(tmp_path) not in page.text  # no server paths shown


def test_an_admin_publishes_lessons_from_a_zip(admin, hub_engine, tmp_path):
    client, token = admin
    broken = client.post("/dashboard/lessons", data={"csrf": token},
                         files={"pack": ("bai-hoc.zip", lesson_zip(tmp_path, broken=True))})
    assert broken.status_code == 400 and ui_text("dash.publish_refused", "vi") in broken.text
    assert str(tmp_path) not in broken.text
    shutil.rmtree(tmp_path / "src")
    page = client.post("/dashboard/lessons", data={"csrf": token},
                       files={"pack": ("bai-hoc.zip", lesson_zip(tmp_path))})
    assert page.status_code == 200
    assert ui_text("dash.published", "vi", count=1, n=1, version=1) in page.text
    with hub_engine.connect() as connection:
        assert connection.execute(select(lesson_packs.c.lessons)).scalar_one() == 1
    assert re.search(r'data-k="version">1<', client.get("/dashboard/lessons").text)


@pytest.mark.parametrize("name, payload, words", [
    ("not.zip", b"this is not a zip file", ui_text("dash.not_a_zip", "vi")),
    ("evil.zip", None, ui_text("dash.zip_unsafe", "vi")),
])
def test_a_bad_lesson_upload_is_refused_in_plain_words(admin, name, payload, words, tmp_path):
    client, token = admin
    if payload is None:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("../../escape/lesson.json", "{}")
        payload = out.getvalue()
    page = client.post("/dashboard/lessons", data={"csrf": token}, files={"pack": (name, payload)})
    assert page.status_code == 400 and words in page.text
    assert not (tmp_path.parent / "escape").exists()
