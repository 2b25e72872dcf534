"""The "Nghe" button: read a step aloud sentence by sentence, highlight what is read; hidden
when no speech engine is installed."""

import shutil

import pytest
from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.lessons import narration
from kiosk.lessons.library import load_library
from kiosk.locale import ui_text

LESSON = load_library().lesson("vneid-activate")


class InstantPlayer(QObject):
    """Stands in for the sound card: each clip 'ends' on the next turn of the event loop."""

    did_finish = Signal()

    def __init__(self):
        super().__init__()
        self.played = []

    def play(self, path):
        self.played.append(path)
        QTimer.singleShot(0, self.did_finish.emit)

    def stop(self):
        pass


def open_step(window, index):
    window.open_lesson(LESSON.id)
    window.start_lesson()
    for _ in range(index):
        window.next_step()


@pytest.mark.skipif(not narration.engine_available(), reason="espeak-ng is installed by setup")
def test_listen_reads_every_sentence_and_highlights_each(qtbot, window):
    player = InstantPlayer()
    window.narrator._player = player
    open_step(window, 3)  # the OTP step: instruction, detail and a warning
    step = window.step
    assert step.listen.isVisible() and step.listen.text() == "Nghe"
    sentences = narration.spoken_sentences(LESSON.steps[3], "vi")
    highlighted = []
    window.narrator.sentence_did_start.connect(lambda i: highlighted.append(step.highlighted))
    with qtbot.waitSignal(window.narrator.narration_did_end, timeout=30_000):
        step.listen.click()
    assert highlighted == [s.text for s in sentences]
    assert len(player.played) == len(sentences)
    assert all(path.stat().st_size > 1000 for path in player.played)
    assert step.highlighted is None and "<span" not in step.instruction.text()


@pytest.mark.skipif(not narration.engine_available(), reason="espeak-ng is installed by setup")
def test_leaving_the_step_stops_the_reading(qtbot, window):
    class SilentPlayer(InstantPlayer):
        def play(self, path):
            self.played.append(path)  # never finishes by itself

    window.narrator._player = SilentPlayer()
    open_step(window, 1)
    with qtbot.waitSignal(window.narrator.sentence_did_start, timeout=30_000):
        window.step.listen_slow.click()
    assert window.narrator.speaking and window.step.listen.text() == ui_text("listen.stop", "vi")
    with qtbot.waitSignal(window.narrator.narration_did_end):
        window.step.next.click()
    assert not window.narrator.speaking


def test_no_listen_buttons_without_a_speech_engine(qtbot, make_window, with_admin, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    window = make_window()
    open_step(window, 0)
    assert window.narrator is None
    assert not window.step.listen.isVisible() and not window.step.listen_slow.isVisible()
    window.step.next.click()  # everything else works
    assert "2/" in window.step.bar.title.text()
