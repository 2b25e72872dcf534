"""Reading a step aloud: clips are found (or rendered) off the UI thread, then played one
sentence at a time, and ``sentence_did_start`` tells the screen which sentence to highlight.

Playback uses ``QSoundEffect`` (WAV, low latency). A player that fails (no sound card, a format
the device refuses, or nothing heard within a few seconds) ends the narration and fires
``playback_did_fail``, so the screen can say in plain words that no sound can play.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QUrl, Signal

if TYPE_CHECKING:
    from kiosk.lessons.model import Lesson
    from kiosk.ui.tasks import TaskManager


START_TIMEOUT_MS = 4000


class SoundEffectPlayer(QObject):
    """Plays one WAV file at a time; ``did_finish`` fires when it ends, ``did_fail`` when it
    cannot play (an error, no audio output, or no start within ``START_TIMEOUT_MS``)."""

    did_finish = Signal()
    did_fail = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        from PySide6.QtMultimedia import QSoundEffect

        self._effect = QSoundEffect(self)
        self._effect.playingChanged.connect(self._on_playing_changed)
        self._effect.statusChanged.connect(self._on_status_changed)
        self._started = False
        from PySide6.QtCore import QTimer

        self._watchdog = QTimer(self)
        self._watchdog.setSingleShot(True)
        self._watchdog.setInterval(START_TIMEOUT_MS)
        self._watchdog.timeout.connect(self._on_no_start)

    def play(self, path: Path) -> None:
        from PySide6.QtMultimedia import QMediaDevices

        self._started = False
        if not QMediaDevices.audioOutputs():
            self.did_fail.emit()
            return
        self._effect.setSource(QUrl.fromLocalFile(str(path)))
        self._effect.play()
        self._watchdog.start()

    def stop(self) -> None:
        self._watchdog.stop()
        self._effect.stop()

    def _on_no_start(self) -> None:
        if not self._started:
            self._effect.stop()
            self.did_fail.emit()

    def _on_playing_changed(self) -> None:
        if self._effect.isPlaying():
            self._started = True
            self._watchdog.stop()
        elif self._started:
            self.did_finish.emit()

    def _on_status_changed(self) -> None:
        from PySide6.QtMultimedia import QSoundEffect

        if self._effect.status() == QSoundEffect.Status.Error:
            self._watchdog.stop()
            self.did_fail.emit()


class Narrator(QObject):
    sentence_did_start = Signal(int)  # index into narration.spoken_sentences(step, language)
    narration_did_end = Signal()
    playback_did_fail = Signal()  # no sound could be played: say so on screen

    def __init__(self, clips_dir: Path, tasks: TaskManager, parent: QObject | None = None,
                 player=None):
        """``clips_dir`` is the narration cache (``narration.narration_dir(data_dir)``); clips
        are found or rendered as tasks on ``tasks``' background queue. ``player`` (for tests)
        needs ``play(path)``, ``stop()`` and a ``did_finish`` signal."""
        super().__init__(parent)
        self._clips_dir = clips_dir
        self._tasks = tasks
        self._player = player
        self._request = 0
        self._clips: list[Path] = []
        self._playing = -1
        self._player_connected = False

    @staticmethod
    def available() -> bool:
        """Whether a speech engine is installed (the "Nghe" button is hidden otherwise)."""
        from kiosk.lessons.narration import engine_available

        return engine_available()

    @property
    def speaking(self) -> bool:
        return self._playing >= 0

    def speak(self, lesson: Lesson, index: int, language: str, speed: str = "normal") -> None:
        """Read step ``index`` aloud; stops whatever was being read."""
        self.stop()
        self._request += 1
        request = self._request
        self._tasks.run_in_background(
            lambda: self._fetch(lesson, index, language, speed),
            on_done=lambda clips: self._on_clips_did_arrive(request, clips),
            on_error=lambda _reason: self._on_clips_did_arrive(request, []), priority=1)

    def stop(self) -> None:
        """Stop reading; ``narration_did_end`` fires if something was being read."""
        self._request += 1  # clips still on their way are ignored
        if self._playing >= 0:
            self._playing = -1
            self._active_player().stop()
            self.narration_did_end.emit()

    def shutdown(self) -> None:
        """Stop reading; clips still being made are ignored when they arrive."""
        self.stop()

    def _fetch(self, lesson, index, language, speed) -> list[Path]:
        """On a background thread: the step's clips, rendered if missing."""
        from kiosk.lessons.narration import clip_paths

        return clip_paths(lesson, index, language, speed, self._clips_dir)

    def _on_clips_did_arrive(self, request: int, clips: list[Path]) -> None:
        if request != self._request or not clips:
            if request == self._request:
                self.playback_did_fail.emit()  # no clip could be made
                self.narration_did_end.emit()
            return
        self._clips = clips
        self._play(0)

    def _play(self, position: int) -> None:
        if position >= len(self._clips):
            self._playing = -1
            self.narration_did_end.emit()
            return
        self._playing = position
        self.sentence_did_start.emit(position)
        self._active_player().play(self._clips[position])

    def _active_player(self):
        """The player, made (and connected) on first use."""
        if self._player is None:
            self._player = SoundEffectPlayer(self)
        if not self._player_connected:
            self._player.did_finish.connect(self._on_clip_did_finish)
            if hasattr(self._player, "did_fail"):  # test players may not have one
                self._player.did_fail.connect(self._on_clip_did_fail)
            self._player_connected = True
        return self._player

    def _on_clip_did_fail(self) -> None:
        if self._playing >= 0:
            self._playing = -1
            self.playback_did_fail.emit()
            self.narration_did_end.emit()

    def _on_clip_did_finish(self) -> None:
        if self._playing >= 0:
            self._play(self._playing + 1)
