"""The journeys a resident, an admin and a volunteer take, as real taps on the kiosk.

Each step waits for what a person would wait for (the next screen's words), then ``look()``s:
screenshot plus every check. Findings specific to one screen (the finish screen's QR codes, the
welcome screen's admin counters, the form opening at the top) are noted here.
"""

from __future__ import annotations

from kiosk.core import journal
from kiosk.lessons.installed import installed_library
from kiosk.lessons.model import tr
from kiosk.locale import catalogue, ui_text

from realuse.checks import BUTTON_CLASSES

SIZES = ("normal", "large", "larger")
# A lesson with QR codes at every size; at the largest, then the scams lesson (long warnings,
# and no links: its finish screen must not keep the first lesson's QR codes).
LESSONS = {"normal": ("vneid-activate",), "large": ("vneid-activate",),
           "larger": ("vneid-activate", "safety-scams")}


def _t(key: str, language: str, **values) -> str:
    return ui_text(key, language, **values)


def choose_look(k, size: str, language: str) -> int:
    """On the welcome screen: tap "Cỡ chữ" until ``size``, then the language; returns the
    default text height in px (what the next resident must start with)."""
    k.wait_for(_t("welcome.start", "vi"))
    start = k.settled() and k.find(_t("welcome.start", "vi"))
    default_px = start["font_px"]
    for _ in range(SIZES.index(size)):
        before = k.find(_t("welcome.start", "vi"))["font_px"]
        k.tap_text(_t("nav.text_size", "vi"))
        _wait_font(k, _t("welcome.start", "vi"), before)
    if language == "en":
        k.tap_text(_t("nav.language", "vi"))
        k.wait_for(_t("welcome.start", "en"))
    return default_px


def _wait_font(k, text: str, before: int) -> None:
    from realuse.xsession import wait_until

    wait_until(lambda: (k.find(text) or {}).get("font_px", before) > before, 20,
               "the text to grow")


def resident_walk(k, data_dir, size: str, language: str) -> None:
    library = installed_library(data_dir)
    default_px = choose_look(k, size, language)
    k.look("welcome")
    for either in ("vi", "en"):
        sync_words = _t("welcome.sync", either, n=0).split(":")[0]
        if k.find(sync_words, exact=False):
            k.note("welcome", "the public welcome screen shows an admin counter "
                              f"('{sync_words}…')")
    k.tap_text(_t("welcome.start", language))
    k.wait_for(_t("home.title", language))
    for number, lesson_id in enumerate(LESSONS[size]):
        lesson = library.lesson(lesson_id)
        if number:
            k.tap_text(_t("nav.home", language))
            k.wait_for(_t("home.title", language))
        walk_lesson(k, library, lesson, language, f"{lesson_id}")
    k.tap(k.wait_for(_t("rating.good", language), classes=("FaceButton",)))
    k.wait_for(_t("thanks.title", language))
    k.look("thanks")
    k.tap(k.wait_for(role="go", what="the thanks screen's button"))
    try:
        k.wait_for(_t("welcome.start", "vi"))
        if k.find(_t("welcome.start", "vi"))["font_px"] != default_px:
            k.note("thanks", "the next resident starts at the previous person's text size")
    except TimeoutError:
        k.note("thanks", "after the rating the kiosk does not go back to the welcome screen "
                         "(the next resident keeps this person's text size and language)")


def walk_lesson(k, library, lesson, language: str, name: str) -> None:
    app = library.apps[lesson.app]
    k.look("home")
    k.tap_text(tr(app.name, language), exact=False, classes=BUTTON_CLASSES)
    if len(library.lessons_for(lesson.app)) > 1:
        k.wait_for(_t("choose.title", language))
        k.look(f"{name} choose")
        k.tap_text(tr(lesson.title, language), exact=False,
                   classes=BUTTON_CLASSES)
    k.wait_for(_t("intro.start", language))
    k.look(f"{name} intro")
    k.tap_text(_t("intro.start", language))
    for index in range(len(lesson.steps)):
        counter = _t("step.counter", language, n=index + 1, total=len(lesson.steps))
        k.wait_for(counter)
        k.look(f"{name} step {index + 1}")
        last = index == len(lesson.steps) - 1
        k.tap_text(_t("nav.finish" if last else "nav.next", language))
    k.wait_for(_t("finish.title", language))
    k.look(f"{name} finish")
    codes = [w for w in k.widgets() if w["class"] == "QrCodeView" and w["visible"]]
    if len(codes) > len(lesson.verified_links):
        k.note(f"{name} finish", f"{len(codes)} QR codes shown for a lesson with "
                                 f"{len(lesson.verified_links)} verified links")
    handout = k.find(_t("handout.button", language))
    if handout is None:
        k.note(f"{name} finish", "'In / Lưu hướng dẫn' cannot be reached by a tap")
        return
    k.tap(handout)
    k.wait_for(_t("handout.title", language))
    k.wait_for(_t("handout.no_way", language))
    k.look(f"{name} take-home guide")
    dialog = [w for w in k.dump()["windows"] if w["dialog"]]
    if dialog and not any(x["role"] == "help" for x in dialog[0]["widgets"]):
        k.note(f"{name} take-home guide", "nothing to tap to call a volunteer")
    k.tap_text(_t("handout.close", language))
    k.wait_for(_t("finish.title", language))


def admin_walk(k, language: str, pin: str) -> None:
    choose_look(k, "larger", language)
    k.tap_text(_t("admin.button", language))
    k.wait_for(_t("gate.title", language))
    k.look("admin PIN")
    for digit in pin:
        k.tap_text(digit, classes=("QPushButton",))
    k.tap_text(_t("gate.ok", language))
    sections = [key for key in catalogue() if key.startswith("admin.section.")]
    k.wait_for(_t(sections[0], language))
    for key in sections:
        k.tap_text(_t(key, language))
        k.look(f"admin {key.rsplit('.', 1)[1]}")
    k.tap_text(_t("admin.back", language))
    k.wait_for(_t("welcome.start", "vi"))  # the next person starts at the defaults


CHOICES = ("QPushButton", "WrapButton")  # the volunteer form's choices wrap their words


def volunteer_walk(k, language: str, name: str, pin: str, size: str = "larger") -> int:
    """Sign in, record one typical person (60–74, VNeID, account activated, satisfied), open
    the form again; returns the taps the record took on the form ("Lưu" included), a finger
    drag to scroll counting as one."""
    choose_look(k, size, language)
    k.tap_text(_t("volunteer.button", language))
    k.wait_for(_t("signin.title", language))
    k.look("volunteer sign-in")
    k.tap_text(name)
    for digit in pin:
        k.tap_text(digit, classes=("QPushButton",))
    k.tap_text(_t("gate.ok", language))
    k.wait_for(_t("journal.new", language))
    k.look("volunteer today")
    k.tap_text(_t("journal.new", language))
    k.wait_for(_t("form.save", language))
    k.look("volunteer form")
    before = k.taps
    for field, value in (("age_band", "60-74"), ("service", "vneid"),
                         ("outcome", "account_activated"), ("satisfaction", "good")):
        choice = _t(journal.label_key(field, value), language)
        widget = k.wait_for(choice, classes=CHOICES, onscreen=False)
        if widget["visible"] is None or widget["visible"][3] < widget["rect"][3]:
            k.note("volunteer form", f"'{choice}' must be scrolled to before it can be tapped")
            widget = k.scroll_into_view(choice, classes=CHOICES)
        k.tap(widget)
    save = k.wait_for(_t("form.save", language), onscreen=False)
    if save["visible"] is None or save["visible"][3] < save["rect"][3]:
        k.note("volunteer form", f"'{save['text']}' is below the fold")
        save = k.scroll_into_view(_t("form.save", language))
    k.tap(save)
    k.wait_for(_t("journal.new", language))
    taps = k.taps - before
    k.look("volunteer saved")
    k.tap_text(_t("journal.new", language))
    k.wait_for(_t("form.save", language))
    dump = k.look("volunteer form again")
    scrolled = [w for w in k.widgets(dump) if w.get("scroll", {}).get("area")
                and w["scroll"]["value"]]
    if scrolled:
        k.note("volunteer form again", "the form reopens scrolled away from its top")
    k.tap_text(_t("form.cancel", language))
    k.wait_for(_t("journal.new", language))
    return taps


def volunteer_types_a_note(k, name: str, pin: str, words: list[tuple[str, str | None]]) -> None:
    """Sign in, record a person with a note typed on the on-screen keyboard by real taps.
    ``words``: (letters without tones, tone key name or None) for each word of the note."""
    choose_look(k, "normal", "vi")
    k.tap_text(_t("volunteer.button", "vi"))
    k.tap_text(name)
    for digit in pin:
        k.tap_text(digit, classes=("QPushButton",))
    k.tap_text(_t("gate.ok", "vi"))
    k.tap_text(_t("journal.new", "vi"))
    k.wait_for(_t("form.save", "vi"))
    for field, value in (("age_band", "75+"), ("service", "vneid"), ("outcome", "installed")):
        k.tap_text(_t(journal.label_key(field, value), "vi"), classes=CHOICES)
    k.tap_text(_t("form.more", "vi"))
    k.tap(k.wait_for(classes=("QLineEdit",), what="the note field"))
    k.wait_for(_t("keyboard.done", "vi"))
    k.look("on-screen keyboard")
    for index, (letters, tone) in enumerate(words):
        if index:
            k.tap_text(_t("keyboard.space", "vi"))
        for letter in letters:
            k.tap_text(letter, classes=("QPushButton",))
        if tone:
            k.tap_text(f"{_TONE_SAMPLE[tone]} {_t(f'keyboard.{tone}', 'vi')}")
    k.look("note typed")
    k.tap_text(_t("keyboard.done", "vi"))
    k.tap_text(_t("form.save", "vi"))
    k.wait_for(_t("journal.new", "vi"))


_TONE_SAMPLE = {"sac": "á", "huyen": "à", "hoi": "ả", "nga": "ã", "nang": "ạ"}
