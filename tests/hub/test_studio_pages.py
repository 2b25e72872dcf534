"""The lesson studio's pages on their own (an in-memory store): list, create, the editor made
from the schema, pictures and target picking, stale saves, publish, history, rollback, preview,
zip, and what a viewer may not do."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from kiosk.locale import ui_text
from kiosk.hub.studio.pages import Studio

from tests.hub.dashboard_helpers import VIEWER, dashboard_app, signed_in
from tests.hub.studio_fake import BUNDLED, FakeFunnel, FakeStore

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def studio_app(hub_engine, hub_keys, tmp_path):
    app = dashboard_app(hub_engine, hub_keys, tmp_path / "packs")
    app.state.studio = Studio(FakeStore(), FakeFunnel())
    return app


def fields_of(page: str) -> dict[str, str]:
    """The editor's inputs and textareas as posted by a browser (name → value)."""
    found = dict(re.findall(r'<input name="(f:[^"]+)" value="([^"]*)"', page))
    found.update(re.findall(r'<textarea name="(f:[^"]+)" rows="2">([^<]*)</textarea>', page))
    for name, options in re.findall(r'<select name="(f:[^"]+)">(.*?)</select>', page):
        chosen = re.search(r'<option(?: value="([^"]*)")? selected>([^<]*)<', options)
        found[name] = (chosen.group(1) or chosen.group(2)) if chosen else ""
    found.update(re.findall(r'<input type="hidden" name="(f:[^"]+)" value="([^"]*)"', page))
    return {k: v.replace("&#34;", '"').replace("&#39;", "'").replace("&amp;", "&")
            for k, v in found.items()}


def save(client, token, lesson_id, fields, *, op="", revision=None, **extra):
    page = client.get(f"/studio/lessons/{lesson_id}").text
    revision = re.search(r'name="revision" value="(\d+)"', page).group(1) \
        if revision is None else revision
    return client.post(f"/studio/lessons/{lesson_id}",
                       data={**fields, "csrf": token, "revision": revision, "op": op, **extra},
                       follow_redirects=False)


def test_the_list_shows_every_lesson_with_its_figures(studio_app):
    client, _ = signed_in(studio_app)
    page = client.get("/studio")
    assert page.status_code == 200 and BUNDLED in page.text
    assert 'data-k="completion.vneid-activate" data-v="0.6"' in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "Soạn bài học" in page.text and "Có sẵn" in page.text
    assert f'<option value="vneid">{ui_text("service.vneid", "vi")}</option>' in page.text
    studio_app.state.studio.store.package_newer = BUNDLED
    english = client.get("/studio?lang=en").text
    assert "Lesson studio" in english and "Bundled" in english
    assert "newer in the package" in english  # an upgrade overtook the ward's edit


def test_an_admin_creates_a_lesson_fills_it_in_and_orders_its_steps(studio_app):
    client, token = signed_in(studio_app)
    made = client.post("/studio/new", data={"id": "vneid-doi-mat-khau", "app": "vneid",
                                            "title": "Đổi mật khẩu", "csrf": token},
                       follow_redirects=False)
    assert made.status_code == 303 and made.headers["location"] == "/studio/lessons/vneid-doi-mat-khau"
    page = client.get("/studio/lessons/vneid-doi-mat-khau").text
    assert 'name="f:title.vi"' in page and 'name="f:title.en"' in page  # side by side
    assert 'name="f:steps.0.instruction.vi"' in page
    assert 'data-k="problem" data-v="title"' in page  # the missing English title, at its field
    fields = fields_of(page)
    fields["f:title.en"] = "Change your password"
    fields["f:steps.0.instruction.vi"] = "Mở ứng dụng"
    assert save(client, token, "vneid-doi-mat-khau", fields, op="add:steps").status_code == 303
    fields = fields_of(client.get("/studio/lessons/vneid-doi-mat-khau").text)
    fields["f:steps.1.instruction.vi"] = "Bấm Đổi mật khẩu"
    save(client, token, "vneid-doi-mat-khau", fields, op="up:steps.1")
    store = studio_app.state.studio.store
    lesson, revision = store.get_draft(None, "vneid-doi-mat-khau")
    assert [s["instruction"]["vi"] for s in lesson["steps"]] == ["Bấm Đổi mật khẩu", "Mở ứng dụng"]
    assert lesson["title"] == {"vi": "Đổi mật khẩu", "en": "Change your password"}
    assert lesson["format"] == 2 and revision == 3  # made, then saved twice
    fields = fields_of(client.get("/studio/lessons/vneid-doi-mat-khau").text)
    save(client, token, "vneid-doi-mat-khau", fields, op="remove:steps.0")
    lesson, _ = store.get_draft(None, "vneid-doi-mat-khau")
    assert [s["instruction"]["vi"] for s in lesson["steps"]] == ["Mở ứng dụng"]


def test_a_mock_screen_is_built_from_elements_and_its_target_picked_on_the_picture(studio_app):
    client, token = signed_in(studio_app)
    client.post("/studio/new", data={"id": "thu", "app": "vneid", "title": "Thử",
                                     "csrf": token})
    fields = {**fields_of(client.get("/studio/lessons/thu").text),
              "f:steps.0.instruction.vi": "Bấm Đăng nhập"}
    save(client, token, "thu", fields, op="add:steps.0.screen")
    fields = fields_of(client.get("/studio/lessons/thu").text)
    save(client, token, "thu", fields, op="add:steps.0.screen.elements",
         **{"new_type:steps.0.screen.elements": "button"})
    page = client.get("/studio/lessons/thu").text
    assert 'name="f:steps.0.screen.elements.0.label.vi"' in page  # the button's own fields
    assert f"<legend>{ui_text('dash.studio.element.button', 'vi')} " in page  # in plain words
    assert f'<option value="button">{ui_text("dash.studio.element.button", "vi")}<' in page
    fields = {**fields_of(page), "f:steps.0.screen.elements.0.id": "login",
              "f:steps.0.screen.elements.0.label.vi": "Đăng nhập"}
    save(client, token, "thu", fields)
    page = client.get("/studio/lessons/thu").text
    area = re.search(r'<area shape="rect" coords="(\d+),(\d+),(\d+),(\d+)"[^>]*'
                     r'data-target="login" data-input="f:steps.0.target"', page)
    assert area, "the button is clickable on the picture"
    picture = client.get("/studio/lessons/thu/steps/0/picture.png")
    assert picture.status_code == 200 and picture.headers["content-type"] == "image/png"
    with Image.open(io.BytesIO(picture.content)) as image:
        left, top, right, bottom = (int(v) for v in area.groups())
        assert right <= image.width and bottom <= image.height and left < right
    fields = {**fields_of(page), "f:steps.0.target": "nowhere"}
    save(client, token, "thu", fields)
    assert 'data-v="steps.0.target"' in client.get("/studio/lessons/thu").text  # next to it
    fields["f:steps.0.target"] = "login"
    save(client, token, "thu", fields)
    lesson, _ = studio_app.state.studio.store.get_draft(None, "thu")
    assert lesson["steps"][0]["target"] == "login"
    assert lesson["steps"][0]["screen"]["elements"] == [
        {"type": "button", "id": "login", "label": {"vi": "Đăng nhập"}}]
    marked = client.get("/studio/lessons/thu/steps/0/picture.png").content
    assert marked != picture.content  # the target is now marked on the picture


def test_a_stale_save_overwrites_nothing_and_says_so(studio_app):
    client, token = signed_in(studio_app)
    fields = fields_of(client.get(f"/studio/lessons/{BUNDLED}").text)
    first = {**fields, "f:title.vi": "Bản của người thứ nhất"}
    assert save(client, token, BUNDLED, first, revision="0").status_code == 303
    second = {**fields, "f:title.vi": "Bản của người thứ hai"}
    answer = save(client, token, BUNDLED, second, revision="0")
    assert answer.status_code == 409 and "Người khác vừa lưu" in answer.text
    assert "Bản của người thứ hai" in answer.text  # what they typed is still there
    lesson, _ = studio_app.state.studio.store.get_draft(None, BUNDLED)
    assert lesson["title"]["vi"] == "Bản của người thứ nhất"


def test_publish_history_diff_and_rollback(studio_app, hub_engine):
    client, token = signed_in(studio_app)
    published = client.post(f"/studio/lessons/{BUNDLED}/publish", data={"csrf": token},
                            follow_redirects=False)
    assert published.status_code == 303
    assert studio_app.state.studio.store.published_with.engine is hub_engine
    fields = {**fields_of(client.get(f"/studio/lessons/{BUNDLED}").text),
              "f:steps.1.instruction.vi": "Mở ứng dụng VNeID đã cài."}
    save(client, token, BUNDLED, fields)
    client.post(f"/studio/lessons/{BUNDLED}/publish", data={"csrf": token})
    page = client.get(f"/studio/lessons/{BUNDLED}/history?a=1&b=2").text
    assert re.findall(r'data-k="version">(\d+)<', page) == ["2", "1"]
    assert re.findall(r'data-k="change">([^<]+)<', page) == ["steps[1].instruction.vi"]
    rolled = client.post(f"/studio/lessons/{BUNDLED}/republish",
                         data={"version": "1", "csrf": token}, follow_redirects=False)
    assert rolled.status_code == 303 and rolled.headers["location"].endswith("published=3")
    lesson, _ = studio_app.state.studio.store.get_draft(None, BUNDLED)
    assert lesson["steps"][1]["instruction"]["vi"] != "Mở ứng dụng VNeID đã cài."


def test_an_invalid_lesson_is_not_published(studio_app):
    client, token = signed_in(studio_app)
    client.post("/studio/new", data={"id": "chua-xong", "app": "vneid", "title": "Chưa xong",
                                     "csrf": token})
    refused = client.post("/studio/lessons/chua-xong/publish", data={"csrf": token})
    assert refused.status_code == 400 and "Chưa phát hành được" in refused.text
    assert studio_app.state.studio.store.history(None, "chua-xong") == []


def test_the_preview_walks_the_lesson_step_by_step(studio_app):
    client, _ = signed_in(studio_app)
    first = client.get(f"/studio/lessons/{BUNDLED}/preview").text
    assert "Bước 1 / " in first and "Đọc tin nhắn báo hồ sơ" in first
    assert 'href="?step=2"' in first
    second = client.get(f"/studio/lessons/{BUNDLED}/preview?step=2&lang=en").text
    assert "Step 2 of" in second and "Open the VNeID app" in second
    assert f"/studio/lessons/{BUNDLED}/steps/1/picture.png" in second


def test_a_lesson_goes_out_and_comes_back_as_a_zip(studio_app):
    client, token = signed_in(studio_app)
    data = client.get(f"/studio/lessons/{BUNDLED}/export.zip")
    assert data.status_code == 200 and data.content[:2] == b"PK"
    back = client.post("/studio/import", data={"csrf": token},
                       files={"zip": ("lesson.zip", data.content, "application/zip")},
                       follow_redirects=False)
    assert back.status_code == 303 and back.headers["location"] == f"/studio/lessons/{BUNDLED}"
    bad = client.post("/studio/import", data={"csrf": token},
                      files={"zip": ("x.zip", b"not a zip", "application/zip")},
                      follow_redirects=False)
    assert bad.headers["location"] == "/studio?error=bad_zip"
    assert "không phải bài học hợp lệ" in client.get(bad.headers["location"]).text


def test_a_viewer_reads_but_cannot_change_anything(studio_app):
    client, token = signed_in(studio_app, VIEWER)
    page = client.get(f"/studio/lessons/{BUNDLED}").text
    assert '<fieldset class="all" disabled>' in page and "/publish" not in page
    assert client.get(f"/studio/lessons/{BUNDLED}/funnel.csv").text.startswith("step,")
    fields = fields_of(page)
    for url, data in ((f"/studio/lessons/{BUNDLED}", {**fields, "revision": "0"}),
                      (f"/studio/lessons/{BUNDLED}/publish", {}),
                      (f"/studio/lessons/{BUNDLED}/republish", {"version": "1"}),
                      ("/studio/new", {"id": "x", "app": "vneid", "title": "x"}),
                      (f"/studio/lessons/{BUNDLED}/duplicate", {"new_id": "y"})):
        answer = client.post(url, data={**data, "csrf": token}, follow_redirects=False)
        assert answer.status_code == 403, url
    lesson, revision = studio_app.state.studio.store.get_draft(None, BUNDLED)
    assert revision == 0 and set(studio_app.state.studio.store.lessons) == {BUNDLED}


def test_the_target_picker_script_is_the_hubs_own(studio_app):
    client, _ = signed_in(studio_app)
    page = client.get(f"/studio/lessons/{BUNDLED}").text
    assert '<script src="/studio/static/studio.js" defer></script>' in page
    script = client.get("/studio/static/studio.js")
    assert script.status_code == 200 and "data-target" in script.text
    assert "requestSubmit" in script.text and "http" not in script.text


def test_every_field_of_the_format_has_its_label_in_both_languages():
    from kiosk.lessons.form import element_fields, form_fields
    from kiosk.lessons.schema import ELEMENT_TYPES
    from kiosk.locale import catalogue

    texts, missing = catalogue(), []

    def walk(specs):
        for spec in specs:
            entry = texts.get(spec.label_key, {})
            if not (entry.get("vi") and entry.get("en")):
                missing.append(spec.label_key)
            walk(spec.fields)

    walk(form_fields())
    for kind in ELEMENT_TYPES:
        walk(element_fields(kind))
        entry = texts.get(f"dash.studio.element.{kind}", {})
        if not (entry.get("vi") and entry.get("en")):
            missing.append(f"dash.studio.element.{kind}")
    assert missing == []


def test_a_malformed_lesson_id_gets_a_plain_refusal(studio_app):
    client, token = signed_in(studio_app)
    for url in ("/studio/lessons/Bad%0Aid/export.zip", "/studio/lessons/x%22y/funnel.csv",
                "/studio/lessons/nope/preview", "/studio/lessons/nope"):
        answer = client.get(url)
        assert answer.status_code == 404 and "Traceback" not in answer.text, url
    made = client.post("/studio/new", data={"id": "Sai Mã", "app": "vneid", "title": "x",
                                            "csrf": token}, follow_redirects=False)
    assert made.headers["location"] == "/studio?error=bad_new_id"


def picture_bytes(kind: str = "PNG", size=(200, 400)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "#1565c0").save(out, kind)
    return out.getvalue()


def test_a_step_gets_an_uploaded_picture_checked_by_pillow(studio_app):
    client, token = signed_in(studio_app)
    page = client.get(f"/studio/lessons/{BUNDLED}").text
    revision = re.search(r'name="revision" value="(\d+)"', page).group(1)
    url = f"/studio/lessons/{BUNDLED}/steps/2/picture"

    def send(data: bytes, name: str = "step.png"):
        return client.post(url, data={"csrf": token, "revision": revision},
                           files={"picture": (name, data, "image/png")}, follow_redirects=False)

    assert send(b"<svg onload=alert(1)>").status_code == 400
    assert send(picture_bytes("GIF")).status_code == 400
    too_big = send(b"\x89PNG" + b"0" * (1024 * 1024))
    assert too_big.status_code == 413 and "tối đa 1 MB" in too_big.text
    assert send(picture_bytes()).status_code == 303
    lesson, _ = studio_app.state.studio.store.get_draft(None, BUNDLED)
    name = lesson["steps"][2]["image"]
    shown = client.get(f"/studio/lessons/{BUNDLED}/pictures/{name}")
    assert shown.status_code == 200 and shown.headers["content-type"] == "image/png"
    assert client.get(f"/studio/lessons/{BUNDLED}/pictures/../x").status_code == 404
    assert send(picture_bytes()).status_code == 409  # the page's revision is now stale


def test_every_studio_label_is_in_the_catalogue_in_both_languages():
    from pathlib import Path

    from kiosk.hub import studio
    from kiosk.locale import catalogue

    folder = Path(studio.__file__).parent
    source = "".join(path.read_text("utf-8")
                     for path in [*folder.glob("*.py"), *folder.glob("templates/*.j2")])
    used = set(re.findall(r'(?:t\(lang, |t\(context\.lang, |Refused\(\d+, )"(studio\.[a-z_.]+[a-z])"',
                          source))
    used |= {f"studio.{name}" for name in re.findall(r'button\("[a-z:~ .]*", "([a-z_]+)"', source)}
    used |= {"studio.origin.bundled", "studio.origin.hub", "studio.bad_new_id", "studio.bad_zip",
             "studio.package_newer_hint",
             "studio.stale", "studio.publish_refused", "nav.studio"}
    assert len(used) > 40
    texts = catalogue()
    missing = [key for key in used if not (texts.get(f"dash.{key}", {}).get("vi")
                                           and texts[f"dash.{key}"].get("en"))]
    assert missing == []
