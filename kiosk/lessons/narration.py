"""Spoken narration of lesson steps, rendered offline with espeak-ng into a cache of WAV clips.

What is spoken for a step: its instruction, then its detail, tip and warning, each split into
sentences; the first sentence of a tip starts with "Mẹo:" and of a warning with "Chú ý:" (the
``step.tip`` / ``step.warning`` labels of the UI catalogue, so English says "Tip:" / "Careful:").

**One clip per sentence.** ``clip_paths(...)[i]`` speaks ``step_sentences(...)[i]``, so a player
highlights sentence ``i`` while clip ``i`` plays, and moves on when it ends; no timings are needed.
``spoken_sentences`` also says which part of the step (instruction, detail, tip, warning) each
sentence comes from and its text as the lesson shows it, for finding it on screen.

A clip is named by a SHA-256 of (spoken text, language, voice, speed, engine version,
``NARRATION_VERSION``), so changed text or a new engine renders a new clip and an unchanged one is
never rendered twice. Clips are written to a temporary file and renamed, so a clip in the cache
is always complete. Everything here blocks on disk and on a subprocess: call it off the UI thread.
With no speech engine installed, nothing here raises: there are simply no clips.
"""

import hashlib
import html
import logging
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
import wave
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kiosk.core import paths
from kiosk.lessons.model import Lesson, Step, tr
from kiosk.locale import ui_text

NARRATION_VERSION = 1                       # raise when what is spoken, or how, changes
ENGINES = ("espeak-ng", "espeak")
VOICES = {"vi": "vi", "en": "en"}
SPEEDS = {"normal": 150, "slow": 115}       # words per minute; espeak's own default is 175
LANGUAGES = tuple(VOICES)
TIMEOUT_S = 30
PARTS = ("instruction", "detail", "tip", "warning")
PREFIX_KEYS = {"tip": "step.tip", "warning": "step.warning"}
ABBREVIATIONS = {"tp", "q", "p", "mr", "mrs", "ms", "dr", "st", "vd", "e.g", "i.e"}
_BOUNDARY = re.compile(r"([.!?…]+[\"”’»)]*)\s+")
_QUOTED = re.compile(r"\(([^()]+)\)|[\"“]([^\"”]+)[\"”]")
_DOUBLE_QUOTES = re.compile(r"[\"“”]")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Sentence:
    """One spoken sentence: the step ``part`` it comes from, its ``text`` as the lesson shows it,
    and what is ``spoken`` (the text, with "Mẹo: " / "Chú ý: " before a tip's or warning's first
    sentence)."""

    part: str
    text: str
    spoken: str


def split_sentences(text: str) -> list[str]:
    """``text`` (NFC, whitespace collapsed) cut into sentences at ``. ! ? …`` followed by a space
    and a capital, digit or opening quote; "TP. Hà Nội"-style abbreviations do not end one."""
    text = " ".join(unicodedata.normalize("NFC", text).split())
    sentences, start = [], 0
    for match in _BOUNDARY.finditer(text):
        following = text[match.end():match.end() + 1]
        starts_new = following.isupper() or following.isdigit() or following in "\"“«("
        words = text[start:match.start()].split()
        abbreviation = match.group(1) == "." and bool(words) and words[-1].lower() in ABBREVIATIONS
        if starts_new and not abbreviation:
            sentences.append(text[start:match.end(1)])
            start = match.end()
    if text[start:].strip():
        sentences.append(text[start:].strip())
    return sentences


def spoken_sentences(step: Step, language: str) -> list[Sentence]:
    """Every sentence spoken for ``step`` in ``language``, in speaking order."""
    result = []
    for part in PARTS:
        for index, text in enumerate(split_sentences(tr(getattr(step, part), language))):
            spoken = text
            if index == 0 and part in PREFIX_KEYS:
                spoken = f"{ui_text(PREFIX_KEYS[part], language)}: {text}"
            result.append(Sentence(part, text, spoken))
    return result


def step_sentences(step: Step, language: str) -> list[str]:
    """What is spoken for ``step``, one string per sentence and per clip of ``clip_paths``."""
    return [sentence.spoken for sentence in spoken_sentences(step, language)]


def engine_command() -> str | None:
    """The full path of espeak-ng (or, failing that, espeak), or ``None`` if neither is found."""
    for name in ENGINES:
        found = shutil.which(name)
        if found:
            return found
    return None


def engine_available() -> bool:
    """True if a speech engine is installed, so missing clips can be rendered."""
    return engine_command() is not None


@lru_cache(maxsize=4)
def engine_version(command: str) -> str | None:
    """The engine's version line (e.g. "eSpeak NG text-to-speech: 1.51"), ``None`` if it fails."""
    try:
        result = subprocess.run([command, "--version"], capture_output=True, timeout=TIMEOUT_S,
                                check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    line = result.stdout.decode("utf-8", "replace").strip().splitlines()[:1]
    return line[0].split("Data at")[0].strip() if line else None


def narration_dir(data_dir: Path) -> Path:
    """The narration cache of a kiosk data folder (created if missing)."""
    folder = paths.cache_dir(data_dir) / "narration"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def clip_key(spoken: str, language: str, speed: str, version: str) -> str:
    """The SHA-256 naming the clip of ``spoken`` for this language, speed and engine version."""
    blob = "\x1f".join((unicodedata.normalize("NFC", spoken), language, VOICES[language],
                        speed, str(SPEEDS[speed]), version, str(NARRATION_VERSION)))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def wav_seconds(path: Path) -> float:
    """How long the WAV file at ``path`` plays; raises ``OSError``/``wave.Error`` if unreadable."""
    with wave.open(str(path), "rb") as clip:
        return clip.getnframes() / clip.getframerate()


def speech_segments(spoken: str, language: str) -> list[tuple[str, str]]:
    """``spoken`` as (language, text) runs. In a language other than Vietnamese, a quoted or
    bracketed Vietnamese label ("Tap Look up (Tra cứu)") is its own run, read in Vietnamese."""
    segments, start = [], 0
    if language != "vi":
        for match in _QUOTED.finditer(spoken):
            inner = match.group(1) or match.group(2)
            if any(ord(char) > 127 and char.isalpha() for char in inner):
                begin = match.start(1) if match.group(1) else match.start(2)
                segments += [(language, spoken[start:begin]), ("vi", inner)]
                start = begin + len(inner)
    segments.append((language, spoken[start:]))
    return [(lang, text) for lang, text in segments if text]


def _engine_input(spoken: str, language: str) -> tuple[list[str], str]:
    """Extra engine options and the text to send: plain text, or SSML switching voices for
    mixed-language text. Double quotes are dropped from SSML, where espeak would read a '".' as
    "dot"; they are silent anyway."""
    segments = speech_segments(spoken, language)
    if len(segments) == 1:
        return [], spoken
    markup = "".join(f'<voice name="{VOICES[lang]}">'
                     f'{html.escape(_DOUBLE_QUOTES.sub("", text), quote=False)}</voice>'
                     for lang, text in segments)
    return ["-m"], f"<speak>{markup}</speak>"


def render_clip(command: str, spoken: str, language: str, speed: str, path: Path) -> bool:
    """Speak ``spoken`` into the WAV file ``path`` (via a temporary file and a rename).

    The text goes through stdin (``_engine_input``), never a shell. Returns False, leaving ``path`` untouched, if the
    engine fails, times out or writes no sound.
    """
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".clip-", suffix=".tmp")
    os.close(handle)
    try:
        options, text = _engine_input(spoken, language)
        subprocess.run([command, "-v", VOICES[language], "-s", str(SPEEDS[speed]), "-b", "1",
                        *options, "-w", temporary, "--stdin"], input=text.encode("utf-8"),
                       capture_output=True, timeout=TIMEOUT_S, check=True)
        if wav_seconds(Path(temporary)) <= 0:
            raise wave.Error("no sound")
        os.replace(temporary, path)
        return True
    except (OSError, subprocess.SubprocessError, wave.Error, EOFError) as error:
        log.warning("narration of %r failed: %s", spoken[:40], error)
        return False
    finally:
        Path(temporary).unlink(missing_ok=True)


def _wanted(step: Step, language: str, speed: str, cache: Path) -> list[tuple[str, Path]] | None:
    """(spoken text, clip path) per sentence of ``step``; ``None`` if there is no engine."""
    command = engine_command()
    version = engine_version(command) if command else None
    if version is None:
        return None
    cache.mkdir(parents=True, exist_ok=True)
    return [(text, cache / f"{clip_key(text, language, speed, version)}.wav")
            for text in step_sentences(step, language)]


def clip_paths(lesson: Lesson, step_index: int, language: str, speed: str,
               cache: Path) -> list[Path]:
    """The clips of step ``step_index`` (0-based) of ``lesson``, one per ``step_sentences``
    entry and in the same order, rendering the missing ones into ``cache`` (``narration_dir``).

    Returns ``[]`` if there is no speech engine or any clip could not be rendered, never a partial
    list. Raises ``IndexError`` for a step that does not exist and ``KeyError`` for an unknown
    language or speed. Blocks for the rendering (tens of ms per clip): call it off the UI thread.
    """
    wanted = _wanted(lesson.steps[step_index], language, speed, cache)
    if wanted is None:
        return []
    command = engine_command()
    for text, path in wanted:
        if not path.exists() and not render_clip(command, text, language, speed, path):
            return []
    return [path for _, path in wanted]


def narrate_library(library, cache: Path, lesson_id: str | None = None, *,
                    languages=LANGUAGES, speeds=tuple(SPEEDS)) -> int:
    """Render every missing clip of every step (of ``lesson_id`` only, if given) of ``library``
    in ``languages`` × ``speeds``, a few at a time, and return how many of its clips exist.

    Returns 0 without raising when no speech engine is installed. Unknown ``lesson_id``: 0.
    """
    lessons = [l for l in library.lessons if lesson_id is None or l.id == lesson_id]
    jobs = _jobs(lessons, languages, speeds, cache)
    if jobs is None:
        return 0
    command = engine_command()
    missing = [(command, *job) for path, job in jobs.items() if not path.exists()]
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        list(pool.map(lambda job: render_clip(*job), missing))
    return sum(1 for path in jobs if path.exists())


def _jobs(lessons: list[Lesson], languages, speeds, cache: Path) -> dict | None:
    """Clip path → (spoken, language, speed, path) for every sentence; ``None`` if no engine."""
    jobs = {}
    for lesson in lessons:
        for step in lesson.steps:
            for language in languages:
                for speed in speeds:
                    wanted = _wanted(step, language, speed, cache)
                    if wanted is None:
                        return None
                    jobs.update({path: (text, language, speed, path) for text, path in wanted})
    return jobs
