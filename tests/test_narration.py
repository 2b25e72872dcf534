"""Spoken narration: one WAV clip per sentence, cached by content, and silence without an engine."""

import shutil
import stat
import wave
from dataclasses import replace

import pytest

from kiosk.cli import main
from kiosk.lessons import narration
from kiosk.lessons.library import load_library
from kiosk.lessons.model import Step
from kiosk.lessons.narration import (clip_paths, engine_available, narrate_library,
                                     speech_segments, split_sentences, spoken_sentences,
                                     step_sentences, wav_seconds)

# espeak-ng at 150 words a minute measured 0.057–0.17 s a character (0.24 slow, for short
# labels); these bounds catch a silent, truncated or runaway clip.
SECONDS_PER_CHAR = {"normal": (0.03, 0.3), "slow": (0.04, 0.4)}


@pytest.fixture(scope="module")
def narrated(tmp_path_factory):
    """The bundled lessons with every Vietnamese clip at normal speed rendered once."""
    library = load_library()
    cache = tmp_path_factory.mktemp("narration")
    count = narrate_library(library, cache, languages=("vi",), speeds=("normal",))
    return library, cache, count


def assert_plausible_clip(path, text, speed):
    with wave.open(str(path), "rb") as clip:
        assert clip.getnchannels() == 1 and clip.getnframes() > 0
    low, high = SECONDS_PER_CHAR[speed]
    assert low * len(text) <= wav_seconds(path) <= high * len(text) + 0.5, (text, path)


def test_every_step_of_every_lesson_has_a_clip_per_sentence(narrated):
    library, cache, count = narrated
    sentences = set()
    for lesson in library.lessons:
        for index, step in enumerate(lesson.steps):
            texts = step_sentences(step, "vi")
            paths = clip_paths(lesson, index, "vi", "normal", cache)
            assert len(paths) == len(texts) >= 1
            for path, text in zip(paths, texts):
                assert_plausible_clip(path, text, "normal")
            sentences.update(texts)
    assert count == len(sentences)      # one clip per distinct sentence, shared between steps
    assert count == len(list(cache.glob("*.wav")))


def test_english_and_slow_clips_play_and_slow_is_slower(narrated):
    library, cache, _ = narrated
    lesson = library.lesson("vneid-activate")
    for index, step in enumerate(lesson.steps):
        english = clip_paths(lesson, index, "en", "normal", cache)
        for path, text in zip(english, step_sentences(step, "en"), strict=True):
            assert_plausible_clip(path, text, "normal")
        slow = clip_paths(lesson, index, "vi", "slow", cache)
        normal = clip_paths(lesson, index, "vi", "normal", cache)
        for slow_path, normal_path, text in zip(slow, normal, step_sentences(step, "vi"),
                                                strict=True):
            assert_plausible_clip(slow_path, text, "slow")
            assert wav_seconds(slow_path) > 1.1 * wav_seconds(normal_path)


def test_running_again_renders_nothing(narrated, monkeypatch):
    library, cache, count = narrated
    before = {path: path.stat().st_mtime_ns for path in cache.glob("*.wav")}

    def must_not_render(*args):
        raise AssertionError(f"rendered again: {args}")

    monkeypatch.setattr(narration, "render_clip", must_not_render)
    assert narrate_library(library, cache, languages=("vi",), speeds=("normal",)) == count
    lesson = library.lessons[0]
    assert clip_paths(lesson, 0, "vi", "normal", cache)
    assert {path: path.stat().st_mtime_ns for path in cache.glob("*.wav")} == before


def test_changed_text_renders_a_new_clip_and_reuses_the_rest(narrated):
    library, cache, _ = narrated
    lesson = library.lesson("vneid-activate")
    old = clip_paths(lesson, 0, "vi", "normal", cache)
    step = replace(lesson.steps[0], instruction={"vi": "Mở ứng dụng VNeID ngay bây giờ.",
                                                 "en": "Open VNeID now."})
    changed = replace(lesson, steps=[step, *lesson.steps[1:]])
    new = clip_paths(changed, 0, "vi", "normal", cache)
    assert new[0] != old[0] and new[0].exists() and old[0].exists()
    assert new[1:] == old[1:]
    assert_plausible_clip(new[0], "Mở ứng dụng VNeID ngay bây giờ.", "normal")


def test_sentences_in_order_with_tip_and_warning_prefixes():
    step = Step(instruction={"vi": "Bấm \"Xác nhận\". Xong rồi.", "en": "Tap Confirm."},
                detail={"vi": "Đến UBND TP. Hà Nội nếu cần.", "en": "x"},
                tip={"vi": "Gõ chậm. Kiểm tra lại.", "en": "Type slowly."},
                warning={"vi": "Không đọc mã OTP cho ai!", "en": "Never share the code."})
    assert step_sentences(step, "vi") == [
        "Bấm \"Xác nhận\".", "Xong rồi.", "Đến UBND TP. Hà Nội nếu cần.",
        "Mẹo: Gõ chậm.", "Kiểm tra lại.", "Chú ý: Không đọc mã OTP cho ai!"]
    assert [s.part for s in spoken_sentences(step, "vi")] == [
        "instruction", "instruction", "detail", "tip", "tip", "warning"]
    assert step_sentences(step, "en")[-1] == "Careful: Never share the code."
    assert split_sentences("Có 1.000.000 đồng.  Số 2 ở đây") == ["Có 1.000.000 đồng.",
                                                                 "Số 2 ở đây"]


def test_vietnamese_labels_in_english_are_read_in_vietnamese():
    assert speech_segments('Tap "Look up" (Tra cứu).', "en") == [
        ("en", 'Tap "Look up" ('), ("vi", "Tra cứu"), ("en", ").")]
    assert speech_segments('Bấm "Tra cứu".', "vi") == [("vi", 'Bấm "Tra cứu".')]


def test_without_an_engine_there_are_no_clips_and_nothing_raises(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: None)
    assert not engine_available()
    library = load_library()
    assert narrate_library(library, tmp_path / "cache") == 0
    assert clip_paths(library.lessons[0], 0, "vi", "normal", tmp_path / "cache") == []
    assert main(["--data-dir", str(tmp_path / "data"), "lessons", "narrate"]) == 0
    assert "0 narration clips" in capsys.readouterr().out
    assert not list(tmp_path.rglob("*.wav"))


def test_a_failing_engine_leaves_no_clip_and_no_temporary_file(tmp_path, monkeypatch):
    fake = tmp_path / "bin" / "espeak-ng"
    fake.parent.mkdir()
    fake.write_text('#!/bin/sh\n[ "$1" = "--version" ] && { echo "fake 0.1"; exit 0; }\nexit 3\n')
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", str(fake.parent))
    library = load_library()
    cache = tmp_path / "cache"
    assert clip_paths(library.lessons[0], 0, "vi", "normal", cache) == []
    assert narrate_library(library, cache, library.lessons[0].id) == 0
    assert list(cache.iterdir()) == []


def test_cli_narrates_one_lesson(tmp_path, capsys):
    assert main(["--data-dir", str(tmp_path), "lessons", "narrate", "--lesson",
                 "safety-scams"]) == 0
    count = int(capsys.readouterr().out.split()[0])
    lesson = load_library().lesson("safety-scams")
    sentences = sum(len(step_sentences(s, lang)) for s in lesson.steps for lang in ("vi", "en"))
    assert count == 2 * sentences     # normal and slow
    assert main(["--data-dir", str(tmp_path), "lessons", "narrate", "--lesson", "nope"]) == 1
