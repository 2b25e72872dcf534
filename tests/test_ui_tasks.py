"""The task manager: background results come back on the UI thread, errors are reported,
the database connection never leaves its thread, and shutdown drops queued work."""

import threading

import pytest

from kiosk.core.paths import db_path
from kiosk.ui.app import create_application
from kiosk.ui.tasks import TaskManager

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def tasks(qtbot, data_dir):
    create_application()
    manager = TaskManager(db_path(data_dir), background_threads=1)
    yield manager
    manager.shutdown()


def test_a_background_result_arrives_on_the_ui_thread(qtbot, tasks):
    ui_thread = threading.get_ident()
    ran_on, answered_on = [], []
    tasks.run_in_background(lambda: ran_on.append(threading.get_ident()) or 42,
                            on_done=lambda result: answered_on.append(
                                (result, threading.get_ident())))
    qtbot.waitUntil(lambda: tasks.pending == 0)
    assert ran_on and ran_on[0] != ui_thread
    assert answered_on == [(42, ui_thread)]


def test_a_failing_task_reports_its_error_in_words(qtbot, tasks):
    errors = []
    tasks.run_in_background(lambda: 1 / 0, on_done=lambda _: errors.append("done?"),
                            on_error=errors.append)
    qtbot.waitUntil(lambda: tasks.pending == 0)
    assert errors == ["ZeroDivisionError: division by zero"]


def test_a_forgotten_task_does_not_answer(qtbot, tasks):
    answers = []
    token = tasks.run_in_background(lambda: "late", on_done=answers.append)
    tasks.forget(token)
    tasks.run_in_background(lambda: "kept", on_done=answers.append)
    qtbot.waitUntil(lambda: tasks.pending == 0)
    tasks.wait_for_background()
    qtbot.waitUntil(lambda: answers == ["kept"])


def test_the_connection_is_only_usable_on_the_database_thread(qtbot, tasks):
    handle = tasks.database.handle()
    with pytest.raises(RuntimeError):
        handle.execute("select 1")
    with pytest.raises(RuntimeError):
        tasks.call_database(lambda db: 1)  # would block the UI thread
    seen = []
    tasks.run_in_background(
        lambda: tasks.call_database(lambda _db: handle.execute("select 7").fetchone()[0]),
        on_done=seen.append)
    qtbot.waitUntil(lambda: seen == [7])


def test_shutdown_drops_queued_background_work_and_drains_the_database(qtbot, data_dir):
    create_application()
    manager = TaskManager(db_path(data_dir), background_threads=1)
    release, started, ran = threading.Event(), threading.Event(), []
    manager.run_in_background(lambda: (started.set(), release.wait(10)))
    manager.run_in_background(lambda: ran.append("queued"))
    written = []
    manager.run_on_database(lambda db: written.append(db.execute("select 1").fetchone()[0]))
    assert started.wait(10)
    release.set()
    manager.shutdown()
    assert ran == [] and written == [1]
    before = manager.pending
    manager.run_in_background(lambda: ran.append("late"))  # after shutdown: never started
    assert manager.wait_for_background(1000)
    assert ran == [] and manager.pending == before
