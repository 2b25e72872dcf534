"""Signed lesson packs: publish at the hub, resumable download, verify, atomic install."""

import json
import shutil
import zipfile

import pytest

from kiosk.hub.keys import generate
from kiosk.hub.packs import PublishError, publish
from kiosk.lessons import BUNDLED_DIR
from kiosk.lessons.installed import installed_library
from kiosk.lessons.library import load_library
from kiosk.core.status import kiosk_status
from kiosk.sync.client import NotConnected
from kiosk.sync.enroll import client_for
from kiosk.sync.lesson_update import install_pack, installed_version, roll_back, update_lessons
from kiosk.sync.pack_format import PackError

from tests.hub.conftest import client_via, enrolled
from tests.hub.fault_proxy import FaultProxy


def _lessons(tmp_path, version: str, name: str = "src"):
    """A folder holding one lesson (etax-pay) whose version is ``version``."""
    folder = tmp_path / name / "etax-pay"
    shutil.copytree(BUNDLED_DIR / "etax-pay", folder)
    document = json.loads((folder / "lesson.json").read_text("utf-8"))
    document["version"] = version
    (folder / "lesson.json").write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    return folder.parent


def _etax_version(data_dir) -> str:
    return installed_library(data_dir).lesson("etax-pay").version


def test_a_published_pack_installs_and_the_previous_is_kept(live_hub, make_kiosk, tmp_path):
    db, data = make_kiosk()
    enrolled(db, live_hub)
    publish(live_hub.engine, live_hub.keys, live_hub.packs_dir, _lessons(tmp_path, "2.0", "a"))
    with client_for(db) as client:
        assert update_lessons(db, data, client).status == "installed"
        assert _etax_version(data) == "2.0" and installed_version(data) == 1
        assert update_lessons(db, data, client).status == "up_to_date"
        publish(live_hub.engine, live_hub.keys, live_hub.packs_dir,
                _lessons(tmp_path, "3.0", "b"))
        result = update_lessons(db, data, client)
    assert (result.status, result.version) == ("installed", 2)
    assert _etax_version(data) == "3.0"
    assert kiosk_status(db, data, data / "kiosk.db")["lesson_pack_version"] == "2"
    assert json.loads((data / "lessons" / "previous" / "pack.json").read_text())["version"] == 1
    assert roll_back(db, data) == 1 and _etax_version(data) == "2.0"
    with client_for(db) as client:
        assert update_lessons(db, data, client).status == "held_back"  # the admin's choice
        publish(live_hub.engine, live_hub.keys, live_hub.packs_dir,
                _lessons(tmp_path, "4.0", "c"))
        assert update_lessons(db, data, client).status == "installed"  # a newer one does go
    assert _etax_version(data) == "4.0"


def test_a_broken_lesson_is_not_published(live_hub, tmp_path):
    source = _lessons(tmp_path, "2.0")
    (source / "etax-pay" / "lesson.json").write_text('{"format": 1}', "utf-8")
    with pytest.raises(PublishError, match="problems"):
        publish(live_hub.engine, live_hub.keys, live_hub.packs_dir, source)


def test_the_download_resumes_where_it_was_cut(live_hub, make_kiosk, tmp_path):
    db, data = make_kiosk()
    enrolled(db, live_hub)
    row = publish(live_hub.engine, live_hub.keys, live_hub.packs_dir, _lessons(tmp_path, "2.0"))
    target = tmp_path / "pack.zip"
    url = f"/api/v1/lessons/packs/{row['version']}"
    with FaultProxy(live_hub.port, script=["truncate", "pass"]) as proxy, \
            client_via(db, proxy.url) as client:
        with pytest.raises(NotConnected):
            client.download(url, target, size=row["size"], sha256=row["sha256"])
        part = target.with_name("pack.zip.part")
        assert 0 < part.stat().st_size < row["size"]
        kept = part.stat().st_size
        client.download(url, target, size=row["size"], sha256=row["sha256"])
    assert f"range: bytes={kept}-".encode() in proxy.requests[1].lower()
    assert target.stat().st_size == row["size"]


def _tampered(pack, tmp_path, change):
    altered = tmp_path / "altered.zip"
    with zipfile.ZipFile(pack) as source, zipfile.ZipFile(altered, "w") as out:
        for item in source.infolist():
            data = source.read(item.filename)
            name, data = change(item.filename, data)
            if name:
                out.writestr(name, data)
    return altered


@pytest.mark.parametrize("change, reason", [
    (lambda n, d: (n, d.replace(b"2.0", b"6.6")) if n.endswith("lesson.json") else (n, d),
     "checksum"),
    (lambda n, d: (n, d.replace(b'"created_at": "', b'"created_at": "X')) if n == "manifest.json"
     else (n, d), "signature"),
    (lambda n, d: (n, d) if n != "manifest.sig" else (None, d), "not a lesson pack"),
    (lambda n, d: ("lessons/../../evil.json", d) if n.endswith("lesson.json") else (n, d),
     "does not list"),
])
def test_a_tampered_pack_is_refused_and_nothing_changes(live_hub, tmp_path, make_kiosk, change,
                                                         reason):
    db, data = make_kiosk()
    keys = live_hub.keys
    first = publish(live_hub.engine, keys, live_hub.packs_dir, _lessons(tmp_path, "2.0", "a"))
    install_pack(data, live_hub.packs_dir / first["file_name"], keys.public()["signing_key"])
    before = sorted(p.relative_to(data) for p in (data / "lessons").rglob("*"))
    second = publish(live_hub.engine, keys, live_hub.packs_dir, _lessons(tmp_path, "2.0", "b"))
    altered = _tampered(live_hub.packs_dir / second["file_name"], tmp_path, change)
    with pytest.raises(PackError, match=reason):
        install_pack(data, altered, keys.public()["signing_key"])
    assert sorted(p.relative_to(data) for p in (data / "lessons").rglob("*")) == before
    assert installed_version(data) == 1


def test_a_pack_signed_by_another_hub_is_refused(live_hub, tmp_path, make_kiosk):
    _, data = make_kiosk()
    stranger = generate()
    row = publish(live_hub.engine, stranger, live_hub.packs_dir, _lessons(tmp_path, "2.0"))
    with pytest.raises(PackError, match="another hub"):
        install_pack(data, live_hub.packs_dir / row["file_name"],
                     live_hub.keys.public()["signing_key"])
    assert installed_version(data) is None


def test_a_bad_pack_from_the_hub_is_refused_once_with_a_plain_reason(live_hub, make_kiosk,
                                                                     tmp_path):
    db, data = make_kiosk()
    enrolled(db, live_hub)
    row = publish(live_hub.engine, generate(), live_hub.packs_dir, _lessons(tmp_path, "9.0"))
    with client_for(db) as client:
        result = update_lessons(db, data, client)
        assert result.status == "refused" and "another hub" in result.reason
        again = update_lessons(db, data, client)
    assert again.status == "refused" and installed_version(data) is None
    bundled = load_library().lesson("etax-pay").version
    assert _etax_version(data) == bundled != "9.0" and row["version"] == 1
