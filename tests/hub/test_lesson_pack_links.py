"""The link policy at the hub's publish and at the kiosk's pack install: a pack whose verified
link is off the official allow-list (or plain http) is refused by both; the kiosk keeps the
lessons it had."""

import shutil

import pytest

from kiosk.hub import packs
from kiosk.hub.packs import PublishError, publish
from kiosk.lessons import BUNDLED_DIR
from kiosk.lessons.installed import installed_library
from kiosk.lessons.official_links import official_link_problem
from kiosk.sync.lesson_update import install_pack, installed_version
from kiosk.sync.pack_format import PackError

from tests.test_lesson_links import bad_link_lessons

OFF_LIST = ["https://dichvucong.gov.vn@evil.example", "http://dichvucong.gov.vn",
            "https://dichvucong.gov.vn.xyz", "https://xn--dchvucng-9za8c.gov.vn"]


@pytest.mark.parametrize("url", OFF_LIST)
def test_publish_refuses_a_pack_with_an_off_list_verified_link(live_hub, tmp_path, url):
    with pytest.raises(PublishError) as refused:
        publish(live_hub.engine, live_hub.keys, live_hub.packs_dir, bad_link_lessons(tmp_path, url))
    assert "list of official domains" in str(refused.value)
    assert "nothing was published" in str(refused.value)
    assert packs.current_pack(live_hub.engine) is None
    assert not list(live_hub.packs_dir.glob("*.zip"))


@pytest.mark.parametrize("url", OFF_LIST)
def test_install_refuses_a_signed_pack_with_an_off_list_link_and_keeps_the_lessons(
        live_hub, make_kiosk, tmp_path, url):
    _, data = make_kiosk()
    key = live_hub.keys.public()["signing_key"]
    good = tmp_path / "good"
    shutil.copytree(BUNDLED_DIR / "dichvucong-submit", good / "dichvucong-submit")
    first = publish(live_hub.engine, live_hub.keys, live_hub.packs_dir, good)
    install_pack(data, live_hub.packs_dir / first["file_name"], key)
    before = sorted(p.relative_to(data) for p in (data / "lessons").rglob("*"))
    # A hub that skipped the check (an older hub, or a hand-made pack) signs such a pack anyway.
    evil = tmp_path / "evil.zip"
    packs._write_pack(evil, bad_link_lessons(tmp_path, url), 2, live_hub.keys)
    with pytest.raises(PackError) as refused:
        install_pack(data, evil, key, version=2)
    assert "list of official domains" in str(refused.value)
    assert "current lessons stay" in str(refused.value)
    assert sorted(p.relative_to(data) for p in (data / "lessons").rglob("*")) == before
    assert installed_version(data) == 1
    shown = installed_library(data).lesson("dichvucong-submit")
    assert shown.verified_links
    assert [link.url for link in shown.verified_links if official_link_problem(link.url)] == []
