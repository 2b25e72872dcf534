"""Step illustrations, drawn off the UI thread and kept in memory for the lesson on screen.

Mock phone screens are rendered by ``kiosk.lessons.mockscreen`` into the disk cache (so each is
drawn once per kiosk) and decoded as a background task (``kiosk.ui.tasks``); the UI thread
only wraps the decoded pixels in a ``QImage``. Each step has two pictures: the lesson's, with
the target ringed, and the practice one, without the ring. Only the current lesson's pictures
are kept, so walking through every lesson does not grow memory.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

if TYPE_CHECKING:  # the lesson modules load after the first paint
    from kiosk.lessons.library import Library
    from kiosk.lessons.model import Lesson
    from kiosk.ui.tasks import TaskManager

log = logging.getLogger(__name__)
RENDER_SCALE = 1.25


def illustration_key(lesson: Lesson, index: int, language: str, practice: bool = False) -> str:
    return f"{lesson.id}@{lesson.version}/{index}/{language}" + ("/practice" if practice else "")


class IllustrationStore(QObject):
    illustration_did_load = Signal(str)  # the key; fetch it with ``image(key)``

    def __init__(self, library: Callable[[], Library], cache_dir: Path, tasks: TaskManager,
                 parent: QObject | None = None):
        """``library`` gives the lesson library when called (it may be read lazily); pictures
        are drawn as tasks on ``tasks``' background queue."""
        super().__init__(parent)
        self._library = library
        self._cache_dir = cache_dir
        self._tasks = tasks
        self._images: dict[str, QImage] = {}
        self._boxes: dict[str, tuple | None] = {}
        self._pending: dict[str, int] = {}  # key -> the task drawing it
        self._lesson_id: str | None = None

    def image(self, key: str) -> QImage | None:
        return self._images.get(key)

    def target_box(self, key: str) -> tuple | None:
        """The tap target's box ``(left, top, right, bottom)`` in the image's pixels."""
        return self._boxes.get(key)

    def prefetch(self, lesson: Lesson, language: str, practice: bool = False) -> None:
        """Start loading every step's picture of ``lesson``; forget other lessons' pictures."""
        self._switch_to(lesson.id)
        for index in range(len(lesson.steps)):
            self.request(lesson, index, language, practice)

    def request(self, lesson: Lesson, index: int, language: str, practice: bool = False) -> str:
        """Start loading one picture unless it is loaded or on its way; returns its key."""
        key = illustration_key(lesson, index, language, practice)
        if key not in self._images and key not in self._pending and lesson.id == self._lesson_id:
            self._pending[key] = self._tasks.run_in_background(
                lambda: self._decode(lesson, index, language, practice, key),
                on_done=lambda drawn: self._store(lesson.id, key, *drawn), priority=1)
        return key

    def shutdown(self) -> None:
        """Forget the pictures still being drawn (the task manager stops its pool)."""
        for token in self._pending.values():
            self._tasks.forget(token)
        self._pending.clear()

    def load_now(self, lesson: Lesson, language: str, practice: bool = False) -> None:
        """Load every step's picture on the calling thread (screenshots and benchmarks)."""
        self._switch_to(lesson.id)
        for index in range(len(lesson.steps)):
            key = illustration_key(lesson, index, language, practice)
            if key not in self._images:
                self._tasks.forget(self._pending.get(key, 0))
                pixels, box = self._decode(lesson, index, language, practice, key)
                self._store(lesson.id, key, pixels, box)

    def _switch_to(self, lesson_id: str) -> None:
        """Keep only ``lesson_id``'s pictures from now on."""
        if lesson_id != self._lesson_id:
            self._images.clear()
            self._boxes.clear()
            self._lesson_id = lesson_id

    def _decode(self, lesson: Lesson, index: int, language: str, practice: bool, key: str):
        """(RGBA pixels as ``(bytes, width, height)`` or None, target box). Any thread.

        Decoding is done with Pillow so that no Qt image object is made off the UI thread."""
        try:
            path, box = self._render(lesson, index, language, practice)
            if not path:
                return None, None
            from PIL import Image

            with Image.open(path) as picture:
                rgba = picture.convert("RGBA")
            return (rgba.tobytes(), rgba.width, rgba.height), box
        except Exception:  # a broken picture must not take the lesson down
            log.exception("illustration %s could not be drawn", key)
            return None, None

    def _store(self, lesson_id: str, key: str, pixels, box) -> None:
        """On the UI thread: keep the picture if its lesson is still the current one."""
        self._pending.pop(key, None)
        if lesson_id != self._lesson_id:
            return
        image = QImage()
        if pixels:
            data, width, height = pixels
            image = QImage(data, width, height, width * 4, QImage.Format.Format_RGBA8888).copy()
        self._images[key] = image
        self._boxes[key] = box
        self.illustration_did_load.emit(key)

    def _render(self, lesson: Lesson, index: int, language: str, practice: bool):
        step = lesson.steps[index]
        if step.image:
            return step.image, None
        if not step.screen:
            return None, None
        from kiosk.lessons.mockscreen import cached_render

        apps = self._library().apps
        color = apps[lesson.app].color if lesson.app in apps else "#333333"
        return cached_render(self._cache_dir, step.screen, language=language, app_color=color,
                             target=step.target, scale=RENDER_SCALE, highlight=not practice)
