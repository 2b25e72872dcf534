"""The mock phone-screen renderer: every element draws, the target is found and highlighted,
the cache is keyed on everything that changes the picture."""

import subprocess
import sys

import pytest
from PIL import Image

from kiosk.lessons import mockscreen
from kiosk.lessons.library import load_library
from kiosk.lessons.mockscreen import HIGHLIGHT, cached_render, render_screen
from kiosk.lessons.schema import ELEMENT_TYPES as ELEMENT_TEXTS

ORANGE = (0xFF, 0x6D, 0x00)


def t(vi: str, en: str) -> dict:
    return {"vi": vi, "en": en}


def item(ident: str, vi: str, en: str) -> dict:
    return {"id": ident, "label": t(vi, en)}


ELEMENTS = [
    {"type": "heading", "id": "head", "text": t("Tích hợp thông tin", "Link your details")},
    {"type": "text", "text": t("Ví giấy tờ của bạn ở đây. " * 4, "Your wallet is here. " * 4)},
    {"type": "field", "id": "pw", "label": t("Mật khẩu", "Password"), "value": t("abc", "abc"),
     "secret": True},
    {"type": "field", "id": "phone", "label": t("Số điện thoại", "Phone"),
     "value": t("09xxxxxxxx", "09xxxxxxxx")},
    {"type": "button", "id": "login", "label": t("Đăng nhập", "Log in")},
    {"type": "button", "id": "activate", "style": "secondary",
     "label": t("Kích hoạt tài khoản định danh điện tử", "Activate electronic identity account")},
    {"type": "link", "id": "forgot", "label": t("Quên mật khẩu?", "Forgot password?")},
    {"type": "menu", "items": [item("wallet", "Ví giấy tờ", "Wallet"),
                               item("services", "Thủ tục hành chính", "Public services")]},
    {"type": "grid", "items": [item(f"g{i}", name, name)
                               for i, name in enumerate(["Zalo", "VNeID", "Máy ảnh", "Đăng"])]},
    {"type": "code", "id": "otp", "digits": 6, "filled": 3},
    {"type": "message", "sender": t("Tin nhắn", "Message"), "text": t("Mã OTP: 123456", "OTP: 1")},
    {"type": "card", "id": "card", "title": t("Thẻ bảo hiểm y tế", "Health insurance card"),
     "lines": [t("Nguyễn Văn A", "Nguyen Van A"), t("Hạn dùng 2026", "Valid to 2026")]},
    {"type": "toggle", "id": "finger", "label": t("Đăng nhập vân tay", "Fingerprint"), "on": True},
    {"type": "photo", "id": "camera", "label": t("Mặt trước căn cước", "Front of ID card")},
    {"type": "alert", "text": t("Không đọc mã OTP cho ai.", "Never tell your OTP.")},
    {"type": "alert", "tone": "info", "text": t("Đang xử lý.", "Processing.")},
    {"type": "tabs", "items": [item("home", "Trang chủ", "Home"),
                               item("alerts", "Thông báo", "Alerts"), item("me", "Cá nhân", "Me")]},
]


def screen(*elements, **extra) -> dict:
    return {"title": t("Ví giấy tờ", "Wallet"), "back": True, "elements": list(elements), **extra}


def render(scr: dict, target=None, language="vi", scale=1.0):
    return render_screen(scr, language=language, app_color="#b3261e", target=target, scale=scale)


def orange_near(image: Image.Image, box) -> bool:
    """True if the highlight colour is found just outside the middle of the box's left edge."""
    rgb = image.convert("RGB")
    y = (box[1] + box[3]) // 2
    return any(rgb.getpixel((x, y)) == ORANGE for x in range(max(0, box[0] - 8), box[0]))


def test_the_highlight_constant_is_the_promised_orange():
    assert HIGHLIGHT.lower() == "#ff6d00"


def test_rendering_does_not_load_qt():
    code = ("import sys; from kiosk.lessons.mockscreen import render_screen; "
            "render_screen({'elements': [{'type': 'text', 'text': {'vi': 'a', 'en': 'a'}}]}, "
            "language='vi', app_color='#b3261e', target=None); "
            "print(any(m.startswith('PySide6') for m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"


def test_every_element_type_of_the_format_is_covered_here():
    assert {el["type"] for el in ELEMENTS} == set(ELEMENT_TEXTS)


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("element", ELEMENTS, ids=lambda el: el["type"])
def test_every_element_type_renders(element, language):
    image, box = render(screen(element), target=element.get("id"), language=language)
    assert image.size == (360, 740)
    if element.get("id"):
        assert box is not None


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_screen_with_everything_renders_and_is_clipped_to_the_phone(language):
    image, _ = render(screen(*ELEMENTS), language=language)
    assert image.size == (360, 740)
    assert image.getpixel((0, 0))[3] == 0          # transparent corner outside the rounded frame
    assert image.getpixel((180, 735))[:3] != (0xF4, 0xF5, 0xF7)   # frame, not content, at bottom


@pytest.mark.parametrize("target", ["pw", "login", "activate", "forgot", "services", "g1",
                                    "otp", "card", "finger", "camera", "alerts", "home"])
def test_the_target_box_is_inside_the_image_and_outlined_in_orange(target):
    image, box = render(screen(*ELEMENTS), target=target)
    assert box is not None
    left, top, right, bottom = box
    assert 0 <= left < right <= image.width and 0 <= top < bottom <= image.height
    assert orange_near(image, box)


def test_a_target_far_down_is_scrolled_into_view():
    long = screen(*[{"type": "text", "text": t(f"Dòng {i}", f"Line {i}")} for i in range(30)],
                  {"type": "button", "id": "last", "label": t("Cuối", "Last")})
    image, box = render(long, target="last")
    assert box is not None and box[3] <= image.height - 10
    assert orange_near(image, box)


def test_no_target_gives_no_box_and_no_orange():
    image, box = render(screen(*ELEMENTS[:6]), target=None)
    assert box is None
    assert ORANGE not in {c for _, c in image.convert("RGB").getcolors(1 << 20)}


def test_an_unknown_target_gives_no_box():
    assert render(screen(*ELEMENTS), target="no-such-id")[1] is None


def test_scale_multiplies_the_size_and_the_box():
    scr = screen(*ELEMENTS[:6])
    small, small_box = render(scr, target="login")
    big, big_box = render(scr, target="login", scale=2.0)
    assert big.size == (720, 1480)
    assert all(abs(b - 2 * s) <= 2 for s, b in zip(small_box, big_box))


def test_the_screen_colour_overrides_the_app_colour():
    image, _ = render(screen(ELEMENTS[0], color="#37474f"))
    assert image.convert("RGB").getpixel((180, 75)) == (0x37, 0x47, 0x4F)


def test_the_cache_returns_the_same_file_for_the_same_input(tmp_path):
    scr = screen(*ELEMENTS[:6])
    args = dict(language="vi", app_color="#b3261e", target="login", scale=1.0)
    first, box = cached_render(tmp_path, scr, **args)
    stamp = first.stat().st_mtime_ns
    again, box_again = cached_render(tmp_path, scr, **args)
    assert again == first and box_again == box and again.stat().st_mtime_ns == stamp
    assert Image.open(first).size == (360, 740)


def test_the_cache_renders_again_when_anything_changes(tmp_path):
    scr = screen(*ELEMENTS[:6])
    args = dict(language="vi", app_color="#b3261e", target="login", scale=1.0)
    first, _ = cached_render(tmp_path, scr, **args)
    changed = screen(*ELEMENTS[:5])
    assert cached_render(tmp_path, changed, **args)[0] != first
    for name, value in [("language", "en"), ("app_color", "#0b6fb8"), ("target", "pw"),
                        ("scale", 1.5)]:
        assert cached_render(tmp_path, scr, **{**args, name: value})[0] != first


def test_the_cache_key_ignores_key_order():
    one = {"title": t("A", "A"), "elements": [ELEMENTS[0]]}
    two = {"elements": [ELEMENTS[0]], "title": t("A", "A")}
    args = dict(language="vi", app_color="#b3261e", target=None, scale=1.0)
    assert mockscreen.cache_key(one, **args) == mockscreen.cache_key(two, **args)


@pytest.mark.parametrize("target", ["login", "no-such-id", None])
def test_a_cached_box_equals_the_fresh_box(tmp_path, target):
    scr = screen(*ELEMENTS[:8])
    args = dict(language="vi", app_color="#b3261e", target=target, scale=1.0)
    _, fresh = render_screen(scr, **args)
    cached_render(tmp_path, scr, **args)
    path, from_cache = cached_render(tmp_path, scr, **args)   # second call reads the file
    assert from_cache == fresh
    assert mockscreen._read_box(path) == fresh


def test_a_broken_cache_file_is_rendered_again(tmp_path):
    scr = screen(*ELEMENTS[:3])
    args = dict(language="vi", app_color="#b3261e", target="pw", scale=1.0)
    path, box = cached_render(tmp_path, scr, **args)
    path.write_bytes(path.read_bytes()[:100])                 # a half-written file
    again, box_again = cached_render(tmp_path, scr, **args)
    assert again == path and box_again == box
    assert Image.open(again).size == (360, 740)


def test_the_cache_leaves_no_temporary_files(tmp_path):
    cached_render(tmp_path, screen(*ELEMENTS[:3]), language="vi", app_color="#b3261e",
                  target=None, scale=1.0)
    assert [p.suffix for p in tmp_path.iterdir()] == [".png"]


def test_every_step_of_every_bundled_lesson_renders():
    library = load_library()
    assert library.lessons
    for lesson in library.lessons:
        color = library.apps[lesson.app].color
        for number, step in enumerate(lesson.steps, 1):
            if not step.screen:
                continue
            for language in ("vi", "en"):
                image, box = render_screen(step.screen, language=language, app_color=color,
                                           target=step.target)
                where = f"{lesson.id} step {number} ({language})"
                assert image.size == (360, 740), where
                assert (box is None) == (step.target is None), where
                if box:
                    assert orange_near(image, box), where


def test_practice_picture_has_no_highlight_but_the_same_box(tmp_path):
    from kiosk.lessons.library import load_library

    library = load_library()
    lesson = library.lesson("vneid-activate")
    step = lesson.steps[2]
    color = library.apps[lesson.app].color
    marked, box = render_screen(step.screen, language="vi", app_color=color, target=step.target)
    plain, plain_box = render_screen(step.screen, language="vi", app_color=color,
                                     target=step.target, highlight=False)
    assert box == plain_box
    orange = tuple(int(HIGHLIGHT[i:i + 2], 16) for i in (1, 3, 5))
    colors = lambda image: {pixel[:3] for pixel in image.getdata()}
    assert orange in colors(marked) and orange not in colors(plain)
    path_marked, _ = cached_render(tmp_path, step.screen, language="vi", app_color=color,
                                   target=step.target)
    path_plain, _ = cached_render(tmp_path, step.screen, language="vi", app_color=color,
                                  target=step.target, highlight=False)
    assert path_marked != path_plain


def test_element_boxes_give_every_visible_id_in_picture_pixels():
    scr = screen(*ELEMENTS[:8], ELEMENTS[-1])
    boxes = mockscreen.element_boxes(scr, language="vi", scale=1.0)
    assert {"head", "pw", "phone", "login", "activate", "forgot", "wallet", "home", "alerts",
            "me"} == set(boxes)                  # "services" is below the fold, out of view
    for ident, (left, top, right, bottom) in boxes.items():
        assert 0 <= left < right <= 360 and 0 <= top < bottom <= 740, ident
    for ident in ("login", "pw", "alerts"):               # the same box the render reports
        assert boxes[ident] == render(scr, target=ident)[1]
    for ident in ("wallet", "services"):                  # a target far down scrolls into view
        scrolled = mockscreen.element_boxes(scr, language="vi", scale=1.0, target=ident)
        assert scrolled[ident] == render(scr, target=ident)[1]


def test_element_boxes_follow_scale_and_the_targets_scroll():
    scr = screen(*ELEMENTS[:8])
    small = mockscreen.element_boxes(scr, language="en", scale=1.0)
    big = mockscreen.element_boxes(scr, language="en", scale=2.0)
    assert set(small) == set(big)
    assert all(abs(b - 2 * s) <= 2 for k in small for s, b in zip(small[k], big[k]))
    long = screen(*[{"type": "text", "text": t(f"Dòng {i}", f"Line {i}")} for i in range(30)],
                  {"type": "button", "id": "last", "label": t("Cuối", "Last")})
    assert "last" not in mockscreen.element_boxes(long, language="vi", scale=1.0)
    scrolled = mockscreen.element_boxes(long, language="vi", scale=1.0, target="last")
    assert scrolled["last"] == render(long, target="last")[1]


def test_a_click_inside_a_box_finds_that_element():
    """What the studio does: the box holding the clicked pixel names the tap target."""
    scr = screen(*ELEMENTS[:6])
    boxes = mockscreen.element_boxes(scr, language="vi", scale=1.5)
    left, top, right, bottom = boxes["login"]
    click = ((left + right) // 2, (top + bottom) // 2)
    hits = [k for k, (x0, y0, x1, y1) in boxes.items()
            if x0 <= click[0] < x1 and y0 <= click[1] < y1]
    assert hits == ["login"]
