"""The link policy: a verified link is https on the official allow-list, checked by the
validator, by the hub's publish and by the kiosk's pack install."""

import json
import shutil

import pytest

from kiosk.lessons import BUNDLED_DIR
from kiosk.lessons.library import load_library, validate_path
from kiosk.lessons.official_links import official_hosts, official_link_problem


LOOK_ALIKES = [
    "http://dichvucong.gov.vn",                      # not https
    "https://dichvucong-gov.vn",                     # dash instead of dot
    "https://dichvucong.gov.vn.xyz",                 # official name as a sub-domain of another
    "https://dichvucong.gov.vn.",                    # trailing dot
    "https://xn--dchvucng-9za8c.gov.vn",             # punycode
    "https://dịchvụcông.gov.vn",                     # non-ASCII host
    "https://dichvucong.gov.vn@evil.example",        # user-info trick
    "https://user:pw@dichvucong.gov.vn/",            # any user-info at all
    "https://evil.example\\@dichvucong.gov.vn",      # backslash trick
    "https://dichvucong.gov.vn:8443/",               # a port
    "https://DichVuCong.gov.vn",                     # written in capitals
    "https://www.dichvucong.gov.vn.evil.example/",   # longer look-alike
    "https://sub.dichvucong.gov.vn",                 # a sub-domain not named on the list
    "https://dichvucongs.top/vn",                    # the address of a real scam
    "https:// dichvucong.gov.vn",                    # a space
    "javascript:alert(1)",
    "",
]


def test_the_allow_list_names_hosts_one_by_one():
    hosts = official_hosts()
    assert {"vneid.gov.vn", "dichvucong.gov.vn", "baohiemxahoi.gov.vn"} <= hosts
    assert all("*" not in host and host == host.strip().lower() for host in hosts)


@pytest.mark.parametrize("url", ["https://dichvucong.gov.vn", "https://vneid.gov.vn/",
                                 "https://baohiemxahoi.gov.vn/tracuu/Pages/x.aspx?a=1"])
def test_official_addresses_pass(url):
    assert official_link_problem(url) is None


@pytest.mark.parametrize("url", LOOK_ALIKES)
def test_look_alikes_and_tricks_are_refused(url):
    assert official_link_problem(url)


def test_every_verified_link_of_every_bundled_lesson_is_on_the_allow_list():
    lessons = load_library().lessons
    verified = [link.url for lesson in lessons for link in lesson.verified_links]
    assert verified, "the bundled lessons offer at least one QR code"
    assert [url for url in verified if official_link_problem(url)] == []


def bad_link_lessons(tmp_path, url: str):
    """A copy of a bundled lesson whose verified link points to ``url``."""
    folder = tmp_path / "src" / "dichvucong-submit"
    shutil.copytree(BUNDLED_DIR / "dichvucong-submit", folder)
    doc = json.loads((folder / "lesson.json").read_text(encoding="utf-8"))
    doc["links"][0]["url"] = url
    assert doc["links"][0]["verified"] is True
    (folder / "lesson.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return folder.parent


@pytest.mark.parametrize("url", ["https://dichvucong.gov.vn@evil.example",
                                 "https://dichvucong-gov.vn", "http://dichvucong.gov.vn"])
def test_the_validator_refuses_an_off_list_verified_link(tmp_path, url):
    _, problems = validate_path(bad_link_lessons(tmp_path, url))
    assert [(p.step, p.field) for p in problems] == [(None, "links[0].url")]
    assert "verified" in problems[0].message or "https" in problems[0].message


def test_an_off_list_link_may_stay_if_not_verified(tmp_path):
    source = bad_link_lessons(tmp_path, "https://example.org/guide")
    doc_file = source / "dichvucong-submit" / "lesson.json"
    doc = json.loads(doc_file.read_text(encoding="utf-8"))
    doc["links"][0]["verified"] = False
    doc_file.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert validate_path(source)[1] == []
