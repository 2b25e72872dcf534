"""``kiosk screenshot``: every screen and every lesson step rendered to PNG, offscreen.

This is a command-line tool, not part of the running kiosk: it drives the real window through its
own navigation methods and, before each shot, waits for the task manager to say every answer has
arrived (``did_become_idle``) and lets Qt lay the screen out. It renders what the kiosk in
``data_dir`` would show (its installed lesson packs, its settings, its picture cache) but works
in a throw-away folder for everything it writes, so the kiosk's own records are never touched.
Any error raised while shooting (even inside a Qt slot) ends the run with ``ScreenshotFailed``.
"""

import shutil
import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

from kiosk.core import accounts, paths
from kiosk.core.db import connect

SIZES = ((1366, 768), (1920, 1080))
SHOT_PIN = "2468"
SHOT_VOLUNTEER = "Nguyễn Thị Lan"


class ScreenshotFailed(Exception):
    """Shooting stopped; the message says why in plain words."""


def write_screenshots(out: Path, data_dir: Path, languages=("vi", "en"),
                      sizes=SIZES) -> list[Path]:
    """Write the PNGs under ``out/WIDTHxHEIGHT/LANG/`` and return their paths."""
    from kiosk.ui.app import create_application

    create_application()
    written: list[Path] = []
    errors: list[BaseException] = []
    previous_hook = sys.excepthook
    sys.excepthook = lambda kind, error, trace: errors.append(error)  # errors in Qt slots
    try:
        with tempfile.TemporaryDirectory(prefix="kiosk-shots-") as scratch:
            scratch_dir = _mirror(data_dir, Path(scratch))
            for width, height in sizes:
                written += _shoot_size(scratch_dir, out, languages, width, height, errors)
    finally:
        sys.excepthook = previous_hook
    return written


def _mirror(data_dir: Path, scratch_dir: Path) -> Path:
    """A scratch data folder that sees ``data_dir``'s lessons, settings and picture cache."""
    from kiosk.lessons.installed import packs_dir

    (scratch_dir / "cache").symlink_to(paths.cache_dir(data_dir), target_is_directory=True)
    if packs_dir(data_dir).is_dir():
        packs_dir(scratch_dir).symlink_to(packs_dir(data_dir), target_is_directory=True)
    if paths.config_path(data_dir).is_file():
        shutil.copyfile(paths.config_path(data_dir), paths.config_path(scratch_dir))
    db = connect(paths.db_path(scratch_dir))
    accounts.create_account(db, name="Admin", role="admin", pin=SHOT_PIN)
    accounts.create_account(db, name=SHOT_VOLUNTEER, role="volunteer", pin=SHOT_PIN)
    db.conn.close()
    return scratch_dir


def _shoot_size(scratch_dir: Path, out: Path, languages, width: int, height: int,
                errors: list) -> list[Path]:
    from kiosk.ui.app import build_window

    written: list[Path] = []
    for language in languages:
        window, tasks = build_window(scratch_dir)
        try:
            folder = out / f"{width}x{height}" / language
            folder.mkdir(parents=True, exist_ok=True)
            written += _shoot_all(window, folder, language, width, height)
        finally:
            window.unlock_and_close()
            tasks.shutdown()
            window.deleteLater()
        if errors:
            raise ScreenshotFailed(f"{type(errors[0]).__name__}: {errors[0]}")
    return written


def _shoot_all(window, folder: Path, language: str, width: int, height: int) -> list[Path]:
    window.resize(width, height)
    window.show()
    if window.session.language != language:
        window.session.toggle_language()
    shots = []

    def shoot(name: str, widget=None) -> None:
        _settle(window)
        path = folder / f"{len(shots):03d}-{name}.png"
        (widget or window).grab().save(str(path))
        shots.append(path)

    window.go_welcome()
    if window.session.language != language:
        window.session.toggle_language()
    shoot("welcome")
    window.navigator.show(window.home)
    shoot("home")
    for app_info in window.library.apps_in_use():
        if len(window.library.lessons_for(app_info.id)) > 1:
            window.choose_app(app_info.id)
            shoot(f"choose-{app_info.id}")
    for lesson in window.library.lessons:
        _shoot_lesson(window, lesson, language, shoot)
    _shoot_practice(window, language, shoot)
    _shoot_volunteer(window, language, shoot)
    window.help_dialog.show_for(language)
    shoot("help-called", window.help_dialog)
    window.help_dialog.accept()
    window.navigator.show(window.thanks)
    shoot("thanks")
    window.navigator.show(window.gate)
    shoot("admin-pin")
    window.first_run.refresh(language)
    window.stack.setCurrentWidget(window.first_run)
    shoot("first-run")
    from kiosk.ui.admin.shots import shoot_admin

    shoot_admin(window, language, shoot)
    return shots


def _shoot_lesson(window, lesson, language: str, shoot) -> None:
    window.illustrations.load_now(lesson, language)
    window.open_lesson(lesson.id)
    shoot(f"{lesson.id}-intro")
    window.start_lesson()
    for index in range(len(lesson.steps)):
        shoot(f"{lesson.id}-step{index + 1:02d}")
        window.next_step()
    shoot(f"{lesson.id}-finish")
    window.go_home()


def _shoot_practice(window, language: str, shoot) -> None:
    """The practice of the first step that has a tap target: asked, then a miss."""
    lesson = next((l for l in window.library.lessons
                   if any(step.target for step in l.steps)), None)
    if lesson is None:
        return
    window.illustrations.load_now(lesson, language)
    window.illustrations.load_now(lesson, language, practice=True)
    window.open_lesson(lesson.id)
    window.start_lesson()
    while not lesson.steps[window.session.step].target:
        window.next_step()
    window.step.start_practice()
    shoot("practice-asked")
    window.step.phone.was_tapped.emit(2.0, 2.0)
    shoot("practice-missed")
    window.go_home()


def _shoot_volunteer(window, language: str, shoot) -> None:
    """Sign-in, the empty day, the form filled in the few-tap way, the saved day, requests."""
    panel = window.volunteer
    window.navigator.show(panel)
    _settle(window)
    shoot("volunteer-sign-in")
    name = next((b for b in panel.sign_in.name_buttons.values()
                 if b.text() == SHOT_VOLUNTEER), None)
    if name is None:
        raise ScreenshotFailed("the sign-in screen does not list the sample volunteer")
    name.click()
    shoot("volunteer-pin")
    for digit in SHOT_PIN:
        panel.sign_in.pad.keys[digit].click()
    panel.sign_in.pad.ok.click()
    _settle(window)
    if panel.account is None:
        raise ScreenshotFailed("the sample volunteer could not sign in")
    shoot("volunteer-today-empty")
    panel.today.new.click()
    panel.form.age.choose("60-74")
    panel.form.services.choose("vneid")
    panel.form.results["vneid"].outcomes.choose("account_activated")
    panel.form.satisfaction.choose("good")
    shoot("volunteer-form")
    panel.form.save.click()
    _settle(window)
    shoot("volunteer-today")
    panel.today.requests.click()
    _settle(window)
    shoot("volunteer-requests")
    panel.sign_out()


def _settle(window) -> None:
    """Wait for every queued task's answer (the task manager's ``did_become_idle``), then for
    the layout and paint requests those answers posted (one pass of the event loop)."""
    from PySide6.QtCore import QEventLoop, QTimer

    if not window.tasks.wait_until_idle():
        raise ScreenshotFailed("the kiosk's background work did not finish in time")
    loop = QEventLoop()
    QTimer.singleShot(0, loop.quit)  # fires once the events already posted are handled
    loop.exec()
