"""The word catalogues: compiled files match their sources, every counted string reads right
with 0, 1, 2 and 21 in both languages, every key has both languages, no key is left unused and
no key the code names is missing."""

import importlib.util
import re
import string
from pathlib import Path

import pytest

from kiosk.locale import LANGUAGES, catalogue, forms, plural_keys, ui_text

ROOT = Path(__file__).resolve().parent.parent
NUMBERS = (0, 1, 2, 21)
# Placeholders that carry a number: a string using one must be a plural entry, unless listed in
# NOT_COUNTED with the reason its words do not change with the number.
NUMBER_PLACEHOLDERS = {"n", "count", "m", "minutes", "pages", "left", "steps", "rated", "done",
                       "s", "total", "records", "days"}
NOT_COUNTED = {
    "step.counter": "Bước 2/8, Step 2 of 8: a position, not an amount",
    "handout.page": "Trang 1/5, Page 1 of 5: a position",
    "admin.settings.minutes": "“5 min”: an abbreviation, the same for one and many",
    "admin.export.unsent": "“…: 3”, a label and its number",
    "welcome.sync": "“…: 3”, a label and its number",
    "dash.referrals_note": "“1 referred · 2 not solved”: participles, no noun",
    "dash.completions_note": "“1 completed”: a participle",
    "dash.clock_off": "“Off by 3 s”: a unit symbol",
    "admin.lessons.version": "“version 3”: a name, not an amount",
    "dash.studio.step_of": "Bước 2 / 8, Step 2 of 8: a position",
    "dash.studio.picture_alt": "“picture of step 2”: a position",
    "dash.studio.step_funnel": "“3 reached · 1 left here · help asked: 2”: participles and a label",
}
# What the English forms must read, for a few strings a resident or volunteer sees every day.
ENGLISH = {
    ("journal.today", 1): "Today: 1 person", ("journal.today", 2): "Today: 2 people",
    ("home.lessons_count", 1): "1 lesson", ("home.lessons_count", 2): "2 lessons",
    ("signin.wrong", 1): "Wrong PIN. 1 try left.", ("signin.wrong", 2): "Wrong PIN. 2 tries left.",
    ("intro.steps", 1): "1 step", ("intro.steps", 21): "21 steps",
    ("cli.narration_clips", 0): "0 narration clips", ("cli.narration_clips", 1): "1 narration clip",
}


def _catalogue_tool():
    spec = importlib.util.spec_from_file_location("catalogue_tool",
                                                  ROOT / "scripts" / "catalogue.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def render(key: str, language: str, n: int) -> str:
    """``key`` with ``count=n`` and every other placeholder filled (numbers get ``n`` too)."""
    names = set().union(*(placeholders(form) for form in forms(key, language)))
    values = {name: n if name in NUMBER_PLACEHOLDERS else f"<{name}>" for name in names}
    values.pop("count", None)
    return ui_text(key, language, count=n, **values)


def test_compiled_catalogues_match_their_sources_and_every_entry_is_complete():
    assert _catalogue_tool().problems() == []


@pytest.mark.parametrize("key", sorted(plural_keys()))
def test_every_counted_string_reads_right_with_0_1_2_and_21(key):
    vi_forms, en_forms = forms(key, "vi"), forms(key, "en")
    assert len(vi_forms) == 1 and len(en_forms) == 2, key
    assert en_forms[0] != en_forms[1], f"{key}: English singular and plural are the same"
    for n in NUMBERS:
        vi, en = render(key, "vi", n), render(key, "en", n)
        for text in (vi, en):
            assert "{" not in text and "}" not in text, (key, n, text)
            if placeholders(en_forms[1]) & {"count", "n"}:
                assert str(n) in text, (key, n, text)
        # Vietnamese nouns do not change with the number: one form for every n
        assert vi == vi_forms[0].format_map(_Filled(n)), (key, n)
        assert en == en_forms[0 if n == 1 else 1].format_map(_Filled(n)), (key, n)
    singular = render(key, "en", 1)
    assert not re.search(r"\b1 \w+[^s]s\b", singular), f"{key}: {singular!r}"  # "process" is fine
    for (known, n), words in ENGLISH.items():
        if known == key:
            assert render(key, "en", n) == words


class _Filled(dict):
    """Fills a form the way ``render`` does, to compare with the form ngettext chose."""

    def __init__(self, n: int):
        super().__init__()
        self.n = n

    def __missing__(self, name: str):
        return self.n if name in NUMBER_PLACEHOLDERS else f"<{name}>"


def test_the_english_examples_are_all_counted_strings():
    assert {key for key, _ in ENGLISH} <= plural_keys()


def test_every_string_that_shows_a_number_is_a_counted_one():
    texts = catalogue()
    flat = [key for key, words in texts.items() if key not in plural_keys()
            and NUMBER_PLACEHOLDERS & (placeholders(words["vi"]) | placeholders(words["en"]))]
    assert sorted(set(flat) - set(NOT_COUNTED)) == []
    assert set(NOT_COUNTED) <= set(texts)


def test_every_key_has_words_in_both_languages():
    for key, words in catalogue().items():
        for language in LANGUAGES:
            assert all(form.strip() for form in forms(key, language)), (key, language)
        assert set(words) == set(LANGUAGES)


def test_an_unknown_key_is_an_error_and_an_unknown_language_reads_vietnamese():
    with pytest.raises(KeyError):
        ui_text("no.such.key", "en")
    assert ui_text("journal.today", "fr", count=3) == ui_text("journal.today", "vi", count=3)


# --- keys the code names, and keys nobody names -----------------------------------------------
LOOKUPS = re.compile(r"""\b(ui_text|_say|_en|report_label|column_label)\(\s*f?["']([^"']+)["']"""
                     r"""|\bt\([a-z_.]*lang, f?["']([^"']+)["']""")
KEY_OF_CALL = {"report_label": "report.", "column_label": "report.column."}
# the dashboard's t(lang, "download." + fmt) and t(lang, key + "_title")
JOINED_PREFIX = re.compile(r"""\bt\([a-z_.]*lang, ["']([a-z_.]+\.)["']\s*\+""")
JOINED_SUFFIX = re.compile(r"""\bt\([a-z_.]*lang, [a-z_]+\s*\+\s*["'](_[a-z]+)["']""")


def _sources() -> dict[Path, str]:
    suffixes = {".py", ".html", ".j2", ".js"}
    return {path: path.read_text(encoding="utf-8") for path in (ROOT / "kiosk").rglob("*")
            if path.suffix in suffixes and "__pycache__" not in path.parts}


def _named_keys() -> tuple[set[str], set[str], set[str]]:
    """Keys the code names literally, and prefixes and suffixes of keys it builds
    (``f"hub.error.{kind}"``, ``"download." + fmt``, ``key + "_hint"``)."""
    named, prefixes, suffixes = set(), set(), set()
    for path, text in _sources().items():
        dashboard = "dashboard" in path.parts
        for call, plain, dash in LOOKUPS.findall(text):
            key = f"dash.{dash}" if dash else KEY_OF_CALL.get(call, "") + plain
            if "{" in key:
                prefixes.add(key.split("{")[0])
            elif re.fullmatch(r"[a-z_]+(\.[a-z0-9_-]+)+", key):
                named.add(key)
        for built in re.findall(r"""f["']([a-z_]+(?:\.[a-z_]+)+\.)\{""", text):  # two parts or more
            prefixes |= {built, f"dash.{built}"} if dashboard else {built}
        prefixes |= {f"dash.{prefix}" for prefix in JOINED_PREFIX.findall(text)}
        suffixes |= set(JOINED_SUFFIX.findall(text))
    prefixes.discard("dash.")  # the dashboard's own t(): every dash key goes through it
    return named, prefixes, suffixes


def _form_label_keys() -> set[str]:
    from kiosk.lessons.form import element_fields, form_fields
    from kiosk.lessons.schema import ELEMENT_TYPES

    found, fields = set(), [*form_fields(), *(f for kind in ELEMENT_TYPES
                                              for f in element_fields(kind))]
    while fields:
        field = fields.pop()
        found.add(field.label_key)
        fields.extend(field.fields)
    return found


def _quoted(word: str, text: str) -> bool:
    return f'"{word}"' in text or f"'{word}'" in text


def test_every_key_the_code_names_is_in_the_catalogue():
    named, _, _ = _named_keys()
    texts = catalogue()
    missing = sorted(key for key in named if key not in texts and not key.endswith("."))
    assert len(named) > 200 and missing == []


def test_no_key_is_left_that_nothing_uses():
    from kiosk.core.journal import LABEL_PREFIXES

    named, prefixes, suffixes = _named_keys()
    named |= _form_label_keys()  # the studio's form labels come from the lesson schema
    prefixes |= {f"{prefix}." for prefix in LABEL_PREFIXES.values()}
    prefixes |= {"report."}  # report_label / column_label / value_label take the rest of the key
    every_text = "\n".join(_sources().values())
    unused = [key for key in catalogue() if key not in named
              and not any(key.startswith(prefix) for prefix in prefixes)
              and not (key.startswith("dash.") and key.endswith(tuple(suffixes)))
              and not _quoted(key, every_text)
              and not (key.startswith("dash.") and _quoted(key[5:], every_text))]
    assert unused == []


def test_keys_of_an_old_ui_json_are_carried_into_the_catalogues(tmp_path, monkeypatch):
    import gettext
    import json
    import shutil

    tool = _catalogue_tool()
    shutil.copytree(ROOT / "kiosk" / "locale", tmp_path / "locale",
                    ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    monkeypatch.setattr(tool, "LOCALE", tmp_path / "locale")
    old = tmp_path / "ui.json"
    old.write_text(json.dumps({
        "new.key": {"vi": "Chữ mới", "en": "New words"},
        "journal.saved": {"vi": "Đã lưu xong.", "en": "Saved."},
        "journal.today": {"vi": "Hôm nay: {n} người", "en": "Today: {n} people"},
    }), encoding="utf-8")
    said = tool.import_json([old])
    assert "new.key [vi]: added" in said and "journal.saved [vi]: changed" in said
    assert any(line.startswith("journal.today: a counted entry") for line in said)
    assert tool.problems() == []
    with (tmp_path / "locale" / "en" / "LC_MESSAGES" / "kiosk.mo").open("rb") as stream:
        english = gettext.GNUTranslations(stream)
    assert english.gettext("new.key") == "New words"
    assert english.ngettext("journal.today", "journal.today", 1) == "Today: {count} person"


def test_a_call_written_before_its_entry_was_counted_still_reads_right():
    assert ui_text("dash.sessions_note", "en", n=1) == "1 session"  # n= as before: counted
    assert ui_text("app.name", "en", count=3) == ui_text("app.name", "en")  # count ignored


def _calls(text: str, name: str):
    """Each ``name(…)`` call's argument text in ``text``, parentheses balanced."""
    for found in re.finditer(rf"\b{name}\(", text):
        depth, end = 1, found.end()
        while depth and end < len(text):
            depth += {"(": 1, ")": -1}.get(text[end], 0)
            end += 1
        yield text[found.end():end - 1]


def test_every_counted_string_is_looked_up_with_its_count():
    counted = plural_keys()
    without = []
    for path, text in _sources().items():
        for name, prefix in (("ui_text", ""), ("t", "dash.")):
            for arguments in _calls(text, name):
                key = re.search(r"""["']([a-z_.]+)["']""", arguments)
                if key and prefix + key[1] in counted and "count=" not in arguments:
                    without.append(f"{path.name}: {prefix}{key[1]}")
    assert without == []
