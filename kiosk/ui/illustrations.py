"""Step illustrations, drawn off the UI thread and kept in memory for the lesson on screen.

Mock phone screens are rendered by ``kiosk.lessons.mockscreen`` into the disk cache (so each is
drawn once per kiosk) and decoded on a worker thread; the UI thread only wraps the decoded pixels
in a ``QImage``. Each step has two pictures: the lesson's, with the target ringed, and the
practice one, without the ring. Only the current lesson's pictures are kept, so walking through
every lesson does not grow memory.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtGui import QImage

if TYPE_CHECKING:  # the lesson modules load after the first paint
    from kiosk.lessons.library import Library
    from kiosk.lessons.model import Lesson

log = logging.getLogger(__name__)
RENDER_SCALE = 1.25


class _Job(QRunnable):
    """A QRunnable around a Python callable."""

    def __init__(self, fn):
        super().__init__()
        self._fn = fn

    def run(self) -> None:
        self._fn()


def illustration_key(lesson: Lesson, index: int, language: str, practice: bool = False) -> str:
    return f"{lesson.id}@{lesson.version}/{index}/{language}" + ("/practice" if practice else "")


class IllustrationStore(QObject):
    illustration_did_load = Signal(str)  # the key; fetch it with ``image(key)``
    # Results cross from the pool's thread in ``_arrived`` (under a lock); the queued signal
    # carries only the key: plain strings are the safest thing to pass between threads.
    _did_render = Signal(str)

    def __init__(self, library: Callable[[], Library], cache_dir: Path,
                 parent: QObject | None = None):
        """``library`` gives the lesson library when called (it may be read lazily)."""
        super().__init__(parent)
        self._library = library
        self._cache_dir = cache_dir
        self._images: dict[str, QImage] = {}
        self._boxes: dict[str, tuple | None] = {}
        self._pending: set[str] = set()
        self._lesson_id: str | None = None
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._arrived: dict[str, tuple] = {}
        self._arrived_lock = threading.Lock()
        self._did_render.connect(self._take_arrived)

    def image(self, key: str) -> QImage | None:
        return self._images.get(key)

    def target_box(self, key: str) -> tuple | None:
        """The tap target's box ``(left, top, right, bottom)`` in the image's pixels."""
        return self._boxes.get(key)

    def prefetch(self, lesson: Lesson, language: str, practice: bool = False) -> None:
        """Start loading every step's picture of ``lesson``; forget other lessons' pictures."""
        if lesson.id != self._lesson_id:
            self._images.clear()
            self._boxes.clear()
            self._lesson_id = lesson.id
        for index in range(len(lesson.steps)):
            self.request(lesson, index, language, practice)

    def request(self, lesson: Lesson, index: int, language: str, practice: bool = False) -> str:
        """Start loading one picture unless it is loaded or on its way; returns its key."""
        key = illustration_key(lesson, index, language, practice)
        if key not in self._images and key not in self._pending and lesson.id == self._lesson_id:
            self._pending.add(key)
            self._pool.start(_Job(lambda: self._load(lesson, index, language, practice, key)))
        return key

    def shutdown(self) -> None:
        """Drop queued drawing and wait for the one in progress. Blocks briefly."""
        self._pool.clear()
        self._pool.waitForDone()

    def load_now(self, lesson: Lesson, language: str, practice: bool = False) -> None:
        """Load every step's picture on the calling thread (screenshots and benchmarks)."""
        self._pool.waitForDone()
        self.prefetch(lesson, language, practice)  # forgets other lessons
        self._pool.waitForDone()
        for index in range(len(lesson.steps)):
            key = illustration_key(lesson, index, language, practice)
            if key not in self._images:
                pixels, box = self._decode(lesson, index, language, practice, key)
                self._store(lesson.id, key, pixels, box)

    def _load(self, lesson: Lesson, index: int, language: str, practice: bool, key: str) -> None:
        """Runs on the pool's thread: render (or reuse the cache) and decode."""
        pixels, box = self._decode(lesson, index, language, practice, key)
        with self._arrived_lock:
            self._arrived[key] = (lesson.id, pixels, box)
        self._did_render.emit(key)

    def _take_arrived(self, key: str) -> None:
        with self._arrived_lock:
            arrived = self._arrived.pop(key, None)
        if arrived:
            lesson_id, pixels, box = arrived
            self._store(lesson_id, key, pixels, box)

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
        self._pending.discard(key)
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
